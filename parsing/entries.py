"""Work and education entries from the lines of their sections.

An entry is a *header* (the short lines with the title, company, institution, degree, dates
and place) followed by a *body* (bullets, sentences). Headers are found as runs of short,
non-bullet lines; a run holding one date range is one entry, a run holding several is split
so each range gets its own lines. Inside a header, fragments (segments split at " | ", " — ",
" at ", ", "...) are told apart by what they look like: a date, a place, a job title (the
O*NET alternate titles' head words), an organisation (legal forms, "University", "Hospital").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources

from .dates import DateRange, find_range, find_single
from .layout import Line
from .places import is_region
from .result import EducationEntry, WorkEntry

_SPLIT = re.compile(
    r"\s+[|•·●▪◆♦/]\s+|\s+[–—]\s+|\s+-{1,2}\s+|\s+@\s+|:\s+|\s*\((?=[^)]*\)\s*$)|\s+at\s+(?=[A-Z0-9])|\s*\t\s*|\s{2,}|;\s+"
)
_COMMA = re.compile(r",\s+")
_LEGAL = re.compile(
    r"\b(?:inc|llc|l\.l\.c|ltd|limited|gmbh|ag|corp|corporation|co|company|plc|llp|lp|sa|sas|"
    r"sarl|srl|bv|nv|ab|oy|pty|pvt|kg|se|spa|s\.a|s\.p\.a|kk|k\.k)\b\.?",
    re.IGNORECASE,
)
_ORG_WORDS = re.compile(
    r"\b(?:group|technologies|technology|tech|labs?|systems|solutions|software|consulting|"
    r"consultants|partners|bank|hospital|clinic|health|healthcare|medical|university|college|"
    r"school|institute|agency|studios?|media|foundation|council|department|ministry|services|"
    r"industries|holdings|capital|ventures|networks|global|international|enterprises|"
    r"associates|center|centre|trust|authority|district|county|airlines|motors|energy|"
    r"pharma|pharmaceuticals|foods|retail|stores|restaurants?|hotels?|bakery|cafe|café|"
    r"self-employed|freelance|freelancer|independent|nhs|government|police|army|navy|"
    r"corps|church|museum|library|publishing|press|records|games|entertainment|insurance|"
    r"financial|finance|investments|logistics|manufacturing|construction|engineering|"
    r"architects|design|marketing|digital|analytics|robotics|biotech|therapeutics|"
    r"communications|telecom|electric|automotive|aerospace|shipping|trading|realty|"
    r"properties|academy|gymnasium|lyc[ée]e|institut|universit[äyé]t?|[ée]cole|hochschule|"
    r"universidad|universit[àa]|politecnico|polytechnic|fund|npo|nonprofit|charity|"
    r"association|society|co-op|cooperative|collective|inc\.?|corp\.?)\b",
    re.IGNORECASE,
)
_INSTITUTION = re.compile(
    r"\b(?:university|universit[äyéà]t?|universidad|universidade|college|school|institute|"
    r"institut|academy|akademie|polytechnic|politecnico|hochschule|[ée]cole|conservatory|"
    r"conservatoire|seminary|bootcamp|iit|mit|gymnasium|lyc[ée]e|faculty|campus|"
    r"open university|community college|schule|escuela|instituto|universitet|universiteit|"
    r"uniwersytet|politechnika|egyetem|yliopisto|[üu]niversitesi|h[öo]gskola|h[øo]gskole|"
    r"hogeschool|technion|universita|ntnu|eth|epfl|kth|iisc)\b",
    re.IGNORECASE,
)
_DEGREE = re.compile(
    r"\b(?:bachelor|master|doctor|doctorate|ph\.?\s?d|d\.?phil|mba|m\.?b\.?a|b\.?\s?sc|m\.?\s?sc|"
    r"b\.?\s?a|m\.?\s?a|b\.?\s?s|m\.?\s?s|b\.?\s?eng|m\.?\s?eng|b\.?\s?tech|m\.?\s?tech|b\.?\s?com|"
    r"m\.?\s?com|bba|llb|llm|jd|j\.d|md|m\.d|dds|pharmd|rn|bsn|msn|dnp|associate(?:'s)?|"
    r"diploma|certificate|a\.?\s?a\.?\s?s|a\.?a|a\.?s|high school|ged|hnd|btec|a-levels?|"
    r"abitur|licence|licenciatura|laurea|magister|diplom|staatsexamen|bachelor's|master's|"
    r"postgraduate|pgce|b\.?ed|m\.?ed|ed\.?d|m\.?f\.?a|b\.?f\.?a|m\.?p\.?h|msw|bsw|cpa)\b\.?",
    re.IGNORECASE,
)
_GPA = re.compile(
    r"\b(?:gpa|grade|cgpa|honou?rs|cum laude|magna|summa|first class|2:1|distinction)\b",
    re.IGNORECASE,
)
_LOCATION = re.compile(
    r"^(?:remote|hybrid|on-?site|remote\s*\(.*\)|[^\W\d_][\w'’.\- ]{1,30},\s*[^\W\d_][\w'’.\- ]{1,30}"
    r"(?:,\s*[^\W\d_][\w'’.\- ]{1,30})?)$",
    re.IGNORECASE,
)
_MONTH_ONLY = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?]$")
_ABBREVIATION_END = re.compile(r"\b(?:inc|ltd|co|corp|jr|sr|llc|st|dept|univ|no)\.$", re.IGNORECASE)
_TITLE_WORDS_EXTRA = frozenset(
    [
        "intern",
        "internship",
        "trainee",
        "apprentice",
        "engineer",
        "developer",
        "manager",
        "director",
        "analyst",
        "designer",
        "nurse",
        "accountant",
        "teacher",
        "consultant",
        "specialist",
        "coordinator",
        "assistant",
        "lead",
        "head",
        "officer",
        "associate",
        "scientist",
        "architect",
        "administrator",
        "representative",
        "executive",
        "president",
        "vp",
        "founder",
        "cofounder",
        "co-founder",
        "owner",
        "technician",
        "therapist",
        "physician",
        "pharmacist",
        "recruiter",
        "partner",
        "advisor",
        "adviser",
        "editor",
        "writer",
        "producer",
        "marketer",
        "strategist",
        "planner",
        "supervisor",
        "clerk",
        "agent",
        "instructor",
        "professor",
        "lecturer",
        "researcher",
        "fellow",
        "resident",
        "chef",
        "operator",
        "controller",
        "auditor",
        "bookkeeper",
        "cashier",
        "receptionist",
        "paralegal",
        "attorney",
        "lawyer",
        "counsel",
        "programmer",
        "tester",
        "sre",
        "devops",
        "principal",
        "staff",
        "senior",
        "junior",
        "chief",
        "ceo",
        "cto",
        "cfo",
        "coo",
        "cmo",
        "cio",
        "ciso",
        "vice",
        "member",
        "volunteer",
        "tutor",
        "mentor",
        "rn",
        "lpn",
        "educator",
        "counselor",
        "counsellor",
        "coach",
        "buyer",
        "merchandiser",
        "electrician",
        "mechanic",
        "machinist",
        "welder",
        "driver",
        "generalist",
        "hrbp",
        "dentist",
        "surgeon",
        "paramedic",
        "psychologist",
        "librarian",
        "curator",
        "photographer",
        "illustrator",
        "animator",
        "artist",
        "translator",
        "interpreter",
        "economist",
        "statistician",
        "actuary",
        "underwriter",
        "broker",
        "trader",
        "banker",
        "teller",
        "investigator",
        "inspector",
        "estimator",
        "surveyor",
        "drafter",
        "foreman",
        "superintendent",
        "dispatcher",
        "scheduler",
        "freelancer",
        "contractor",
        "sales",
        "support",
        "success",
        "hygienist",
        "midwife",
        "practitioner",
        "pediatric",
        "registered",
        "charge",
        "clinical",
        "teaching",
        "research",
        "graduate",
        "undergraduate",
        "student",
        "postdoc",
        "postdoctoral",
        "ux",
        "ui",
        "frontend",
        "backend",
        "full-stack",
        "fullstack",
        "stack",
        "data",
        "product",
        "marketing",
        "finance",
        "financial",
        "hr",
        "operations",
        "project",
        "program",
        "account",
        "customer",
        "business",
        "software",
        "mechanical",
        "civil",
        "electrical",
        "chemical",
        "quality",
        "qa",
        "test",
        "site",
        "field",
        "store",
        "shift",
        "office",
        "sous",
        "line",
        "lab",
    ]
)


@functools.cache
def _title_words() -> frozenset[str]:
    """Head words of job titles: the last word of every O*NET alternate title, plus ours."""
    text = (
        resources.files("parsing.skills").joinpath("onet/alternate_titles.tsv").read_text("utf-8")
    )
    words: dict[str, int] = {}
    for line in text.splitlines()[1:]:
        columns = line.split("\t")
        if len(columns) < 3:
            continue
        title = columns[2].strip()
        tokens = re.findall(r"[A-Za-z][A-Za-z\-]+", title)
        if tokens:
            last = tokens[-1].lower()
            words[last] = words.get(last, 0) + 1
    common = {word for word, count in words.items() if count >= 3 and len(word) > 2}
    return frozenset(common) | _TITLE_WORDS_EXTRA


def warm_up() -> None:
    _title_words()


def _words(text: str) -> list[str]:
    return [word.lower() for word in re.findall(r"[^\W\d_][\w'\-]*", text)]


_LEVEL = re.compile(r"(?:\s+(?:[IVX]{1,4}|\d|L\d|level \d))+$|\s*\(.*\)$", re.IGNORECASE)


def title_score(text: str) -> float:
    words = _words(_LEVEL.sub("", text))
    if not words:
        return 0.0
    titles = _title_words()
    score = 0.0
    if words[-1] in titles:
        score += 2.0
    score += 0.5 * sum(1 for word in words[:-1] if word in _TITLE_WORDS_EXTRA)
    if re.search(r"\b(?:of|for)\b", text) and words[0] in titles:
        score += 1.0  # "Head of Marketing", "Director of Nursing"
    if len(words) > 7:
        score -= 1.5
    return score


def org_score(text: str) -> float:
    score = 0.0
    if _LEGAL.search(text):
        score += 2.5
    if _ORG_WORDS.search(text):
        score += 1.5
    if _INSTITUTION.search(text):
        score += 1.0
    words = text.split()
    if words and all(word.isupper() and len(word) > 1 for word in words if word.isalpha()):
        score += 0.3
    if re.search(r"[&.]|\b[A-Z][a-z]+[A-Z]", text):
        score += 0.3
    return score


@dataclass
class _Header:
    lines: list[Line] = field(default_factory=list)
    dates: DateRange | None = None
    body: list[str] = field(default_factory=list)


def _is_body(line: Line, section_x0: float) -> bool:
    text = line.clean_text()
    if line.bullet:
        return True
    if len(text) > 110:
        return True
    if _SENTENCE_END.search(text) and not _ABBREVIATION_END.search(text) and len(text.split()) > 5:
        return True
    return bool(text[:1].islower())


_SPLIT_NO_AT = re.compile(_SPLIT.pattern.replace(r"|\s+at\s+(?=[A-Z0-9])", ""))


def _fragments(line_text: str, *, keep_commas: bool = False) -> list[str]:
    parts = []
    splitter = _SPLIT_NO_AT if keep_commas else _SPLIT
    for part in splitter.split(line_text):
        part = part.strip(" ,;|()[]")
        if not part:
            continue
        if keep_commas:
            parts.append(part)
            continue
        parts.extend(_split_comma(part))
    return [part for part in parts if part]


def _split_comma(text: str) -> list[str]:
    """ "Senior Engineer, Acme Corp" -> two; "Acme, Inc." and "Austin, TX" stay whole."""
    if _LOCATION.match(text) and _place(text):
        return [text]
    pieces = _COMMA.split(text)
    if len(pieces) == 1:
        return [text]
    merged: list[str] = []
    for piece in pieces:
        if merged and (_LEGAL.fullmatch(piece.strip()) or is_region(piece)):
            merged[-1] = f"{merged[-1]}, {piece}"
        else:
            merged.append(piece)
    # A trailing "City, Region" is a place: keep it as one fragment.
    if len(merged) >= 3 and is_region(merged[-1]):
        merged[-2:] = [f"{merged[-2]}, {merged[-1]}"]
    return merged


def _place(text: str) -> bool:
    text = text.strip()
    if re.fullmatch(r"(?:remote|hybrid|on-?site)(?:\s*\(.*\))?", text, re.IGNORECASE):
        return True
    parts = [part.strip() for part in text.split(",")]
    if len(parts) == 2:
        city_ok = len(parts[0].split()) <= 3 and org_score(parts[0]) < 1.5
        return city_ok and is_region(parts[1])
    if len(parts) == 3:
        return (
            len(parts[0].split()) <= 3
            and org_score(parts[0]) < 1.5
            and is_region(parts[1])
            and is_region(parts[2])
        )
    return False


def _strip_dates(text: str) -> tuple[str, DateRange | None]:
    found = find_range(text)
    if found:
        start, end = found.span
        text = f"{text[:start]}  {text[end:]}"
    text = re.sub(r"\(\s*\)|\[\s*\]", "", text)
    return text.strip(" |,–—-·•"), found


def _runs(lines: list[Line]) -> list[tuple[str, list[Line]]]:
    """("head", lines) and ("body", lines) runs, in order."""
    runs: list[tuple[str, list[Line]]] = []
    x0 = min((line.x0 for line in lines), default=0.0)
    previous_body = False
    for line in lines:
        body = _is_body(line, x0)
        if not body and previous_body and find_range(line.text) is None:
            # A wrapped bullet continues: indented, or the bullet had not ended.
            last = runs[-1][1][-1] if runs else None
            if (
                last is not None
                and (line.x0 > x0 + 4 or not _SENTENCE_END.search(last.text))
                and not (line.bold and not last.bold)
                and line.size <= (last.size or line.size)
            ):
                body = line.x0 > x0 + 4 or bool(line.text[:1].islower())
        kind = "body" if body else "head"
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(line)
        else:
            runs.append((kind, [line]))
        previous_body = body
    return runs


def work_entries(lines: list[Line]) -> list[WorkEntry]:
    labelled = _labelled_work(lines)
    if labelled is not None:
        return labelled
    headers: list[_Header] = []
    for kind, run in _runs(lines):
        if kind == "body":
            if headers:
                headers[-1].body.extend(line.clean_text() for line in run)
            continue
        headers.extend(_split_run(run))
    entries: list[WorkEntry] = []
    order_votes = 0
    parsed = []
    for header in headers:
        fragments: list[tuple[str, int]] = []  # (text, line index)
        location = ""
        for index, line in enumerate(header.lines):
            text, _found = _strip_dates(line.text)
            for fragment in _fragments(text):
                if _place(fragment) or (
                    _LOCATION.match(fragment) and index > 0 and _place(fragment)
                ):
                    location = location or fragment
                    continue
                if find_single(fragment) and len(fragment) < 12:
                    continue
                fragments.append((fragment, index))
        if not fragments and header.dates is None:
            continue
        parsed.append((header, fragments, location))
        if len(fragments) >= 2:
            first, second = fragments[0][0], fragments[1][0]
            delta = (title_score(first) - org_score(first)) - (
                title_score(second) - org_score(second)
            )
            if delta > 0.5:
                order_votes += 1
            elif delta < -0.5:
                order_votes -= 1
    previous_company = ""
    for header, fragments, location in parsed:
        title, company, confidence = _title_company(fragments, order_votes)
        if header.dates is None and not (title and company):
            if headers and entries and not title and not company:
                continue
            if not (title and company):
                # A line of a company with several roles below it, or stray text.
                if company and not title:
                    previous_company = company
                continue
        if not company and previous_company and title:
            company = previous_company
            confidence *= 0.8
        elif company:
            previous_company = company if header.dates is None else previous_company
        entry = _work_entry(title, company, location, header.dates, header.body, confidence)
        if entry.title or entry.company:
            entries.append(entry)
    return entries


def _work_entry(title, company, location, dates: DateRange | None, body, confidence) -> WorkEntry:
    return WorkEntry(
        title=title,
        company=company,
        location=location,
        start=dates.start if dates else "",
        end=dates.end if dates else "",
        current=bool(dates and dates.current),
        highlights=[text for text in body if text][:20],
        confidence=round(confidence, 2),
    )


def _split_run(run: list[Line]) -> list[_Header]:
    """One header per date range in a run of header lines."""
    dated = [(index, find_range(line.text)) for index, line in enumerate(run)]
    anchors = [index for index, found in dated if found]
    if not anchors:
        # A date wrapped over two lines of a narrow column: "Mar 2020 – Jul" / "2023".
        for index in range(len(run) - 1):
            joined = f"{run[index].segments[0]} {run[index + 1].segments[0]}"
            found = find_range(joined)
            if found and found.span[0] < len(run[index].segments[0]) < found.span[1]:
                return [_Header(lines=list(run), dates=found)]
    if len(anchors) <= 1:
        header = _Header(lines=list(run), dates=dated[anchors[0]][1] if anchors else None)
        return [header]
    headers = []
    # Each anchor line that carries two or more fragments besides its dates stands alone.
    rich = all(len(_fragments(_strip_dates(run[i].text)[0])) >= 2 for i in anchors)
    if rich and len(anchors) == len(run):
        return [_Header(lines=[run[i]], dates=dated[i][1]) for i in anchors]
    # Otherwise cut the run evenly into entries of the same shape.
    period = len(run) // len(anchors) if len(run) % len(anchors) == 0 else None
    if period:
        offset = anchors[0] % period
        if all(anchor % period == offset for anchor in anchors):
            for start in range(0, len(run), period):
                chunk = run[start : start + period]
                found = next((f for i, f in dated[start : start + period] if f), None)
                headers.append(_Header(lines=chunk, dates=found))
            return headers
    # Fall back: each anchor takes the lines before it, down to the previous anchor.
    previous = 0
    for position, anchor in enumerate(anchors):
        end = anchor + 1
        if position == len(anchors) - 1:
            end = len(run)
        headers.append(_Header(lines=run[previous:end], dates=dated[anchor][1]))
        previous = end
    return headers


def _title_company(fragments: list[tuple[str, int]], order_votes: int) -> tuple[str, str, float]:
    texts = [text for text, _ in fragments if len(text) <= 90 and not _MONTH_ONLY.fullmatch(text)]
    if not texts:
        return "", "", 0.0
    if len(texts) == 1:
        text = texts[0]
        if title_score(text) >= org_score(text):
            return text, "", 0.5
        return "", text, 0.5
    best = None
    for i, title in enumerate(texts[:8]):
        for j, company in enumerate(texts[:8]):
            if i == j:
                continue
            score = (
                title_score(title) - org_score(title) + org_score(company) - title_score(company)
            )
            # Prefer the document's usual order, then the first two fragments.
            if (i < j) == (order_votes >= 0):
                score += 0.4
            score -= 0.1 * (i + j)
            if best is None or score > best[0]:
                best = (score, title, company)
    score, title, company = best
    confidence = max(0.3, min(0.95, 0.55 + score / 8))
    return title, company, confidence


def education_entries(lines: list[Line]) -> list[EducationEntry]:
    labelled = _labelled_education(lines)
    if labelled is not None:
        return labelled
    entries: list[EducationEntry] = []
    current: EducationEntry | None = None
    others: list[str] = []
    degree_line = None

    def close():
        nonlocal current, others
        if current is not None:
            if not current.institution and others:
                current.institution = others[0]
            if current.institution or current.degree:
                entries.append(current)
        current, others = None, []

    for kind, run in _runs(lines):
        if kind == "body":
            continue
        for line in run:
            text, found = _strip_dates(line.text)
            if found is None:
                single = find_single(text)
                if single:
                    start, end = single[1]
                    text = f"{text[:start]} {text[end:]}".strip(" |,–—-·•()")
            else:
                single = None
            for fragment in _fragments(text, keep_commas=True):
                for piece in _education_pieces(fragment):
                    piece_kind = _education_kind(piece)
                    if piece_kind == "institution":
                        if current is not None and current.institution:
                            close()
                        current = current or EducationEntry()
                        current.institution = piece
                    elif piece_kind == "degree":
                        same_line = degree_line == id(line)
                        if current is not None and current.degree and same_line:
                            # "Bachelor of Science - BS, Cognitive Science": one degree.
                            _, field_ = _degree_field(piece.replace(",", "", 1))
                            current.field = current.field or field_
                            continue
                        if current is not None and current.degree and current.institution:
                            close()
                        degree_line = id(line)
                        current = current or EducationEntry()
                        degree, field_ = _degree_field(piece)
                        current.degree = current.degree or degree
                        current.field = current.field or field_
                    elif piece_kind == "score":
                        if current is not None:
                            current.score = current.score or piece
                    elif piece_kind == "other":
                        current = current or EducationEntry()
                        others.append(piece)
            if current is not None:
                if found and not current.end:
                    current.start = found.start
                    current.end = found.end if not found.current else ""
                elif single and not current.end:
                    current.end = single[0]
    close()
    for entry in entries:
        entry.confidence = 0.9 if _INSTITUTION.search(entry.institution) else 0.6
    return entries


def _education_pieces(fragment: str) -> list[str]:
    """Split "BSc Computer Science, University of Leeds" at the comma, but keep "University of
    California, Berkeley" whole (the part after the comma is neither a degree nor a school)."""
    school = _INSTITUTION.search(fragment)
    if school:
        # "Universidad Nacional Autónoma de México BA, Communications": the degree starts a
        # new piece when it comes after the school's words.
        for degree in _DEGREE.finditer(fragment, school.end()):
            word = degree.group(0)
            if word[:1].isupper() and fragment[degree.start() - 1 : degree.start()] == " ":
                head, tail = fragment[: degree.start()].strip(" ,"), fragment[degree.start() :]
                if head and len(head.split()) >= 2:
                    return [*_education_pieces(head), tail.strip()]
                break
    if "," not in fragment:
        return [fragment]
    pieces = [piece.strip() for piece in _COMMA.split(fragment) if piece.strip()]
    out: list[str] = []
    for piece in pieces:
        kind = _education_kind(piece)
        if out and kind == "other" and _education_kind(out[-1]) == "institution":
            if _place(f"{out[-1].split(',')[-1]}, {piece}") or is_region(piece):
                continue  # "Stanford, CA": the place, dropped
            out[-1] = f"{out[-1]}, {piece}"
        elif out and kind == "other" and _education_kind(out[-1]) == "degree":
            out[-1] = f"{out[-1]}, {piece}"
        else:
            out.append(piece)
    return out


def _education_kind(text: str) -> str:
    if _place(text) or is_region(text):
        return "place"
    if _GPA.search(text):
        return "score"
    if _INSTITUTION.search(text) and not re.match(
        r"^(?:high school|school)\b", text, re.IGNORECASE
    ):
        degree = _DEGREE.search(text)
        if degree is None or degree.start() > _INSTITUTION.search(text).start():
            return "institution"
    if _DEGREE.search(text):
        return "degree"
    if _INSTITUTION.search(text):
        return "institution"
    if re.fullmatch(r"[\W\d]+", text):
        return "noise"
    return "other"


def _degree_field(text: str) -> tuple[str, str]:
    """("BSc", "Computer Science") from "BSc in Computer Science" or "BSc Computer Science"."""
    match = re.match(
        r"^(.*?\b(?:of|in)\b)\s+(.+)$|^((?:[A-Z]\.?){2,5}\.?|[A-Z][a-z]{1,3}\.?\s?[A-Z][a-z]{0,4}\.?)\s+(.+)$",
        text,
    )
    if match:
        if match.group(1):
            degree, field_ = match.group(1), match.group(2)
            if re.search(
                r"\b(?:bachelor|master|doctor|associate)\w*('s)?\s+of$", degree, re.IGNORECASE
            ):
                # "Bachelor of Science in Nursing": the degree keeps "of Science"
                inner = re.match(r"^(.*?)\s+in\s+(.+)$", text)
                if inner:
                    return inner.group(1).strip(), inner.group(2).strip()
                return text.strip(), ""
            return degree.removesuffix(" in").removesuffix(" of").strip(), field_.strip()
        return match.group(3).strip(), match.group(4).strip()
    return text.strip(), ""


# ---------------------------------------------------------------------------- labelled fields
# ATS-friendly and Europass resumes write each field after a label: "Job Title: Data
# Scientist", "Name and address of employer  Acme". The label names the field outright.
_WORK_LABELS = {
    "title": "job title|title|position|role|occupation or position held|designation|job|post",
    "company": "employer|company|organisation|organization|name and address of employer|client|firm",
    "location": "city|location|place|based in|address",
    "dates": "dates?|period|duration|from|when|time period",
    "body": "duties|responsibilities|main activities and responsibilities|achievements|description|"
    "key achievements|tasks|type of business or sector|summary",
}
_EDUCATION_LABELS = {
    "institution": "school|institution|university|college|name of organisation providing education"
    "|name and type of organisation providing education and training|name of organisation providing"
    " education and training|name of organisation providing|organisation providing education"
    "|awarding body|institute",
    "degree": "qualification|degree|title of qualification awarded|diploma|award|programme|program",
    "field": "field|major|subject|principal subjects|principal subjects/occupational skills covered"
    "|area|course",
    "dates": "dates?|period|year|years|graduated|graduation|completed|from",
    "body": "grade|gpa|honours|honors|thesis|modules|level in national or international classification",
}


def _label_pattern(labels: dict[str, str]) -> re.Pattern:
    alternatives = "|".join(f"(?P<{key}>{value})" for key, value in labels.items())
    return re.compile(rf"^\s*(?:{alternatives})\s*(?::\s*|\s{{2,}}|$)", re.IGNORECASE)


_WORK_LABEL = _label_pattern(_WORK_LABELS)
_EDUCATION_LABEL = _label_pattern(_EDUCATION_LABELS)


def _label(line: Line, pattern: re.Pattern) -> tuple[str, str] | None:
    """(field, value) when the line starts with a label: "Employer: Acme" or a label segment."""
    if len(line.segments) >= 2:
        match = pattern.fullmatch(line.segments[0].strip().rstrip(":") + ":")
        if match:
            return match.lastgroup or "", "  ".join(line.segments[1:]).strip()
    text = line.clean_text()
    match = pattern.match(text)
    if match and (":" in match.group(0) or not text[match.end() :].strip()):
        return match.lastgroup or "", text[match.end() :].strip()
    # Europass sets the label and the value on one line with a single space between: accept
    # a label of several words, or "Dates" before a date.
    match = re.compile(pattern.pattern.replace(r"(?::\s*|\s{2,}|$)", r"\s"), re.IGNORECASE).match(
        text
    )
    if match:
        label = match.group(match.lastgroup or 0)
        rest = text[match.end() :].strip()
        if len(label.split()) >= 3 or (match.lastgroup == "dates" and find_range(rest)):
            return match.lastgroup or "", rest
    return None


def labelled_records(lines: list[Line], pattern: re.Pattern) -> list[dict[str, list[str]]] | None:
    """Records of labelled fields, or None when the section is not written that way."""
    labelled = [(_label(line, pattern), line) for line in lines]
    fields = {found[0] for found, _ in labelled if found and found[0] != "body"}
    if sum(1 for found, _ in labelled if found and found[0] != "body") < 2 or len(fields) < 2:
        return None
    records: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] = {}
    last = ""
    for found, line in labelled:
        if found is None:
            if current:
                current.setdefault(last if last == "body" else "body", []).append(line.clean_text())
            continue
        key, value = found
        if key != "body" and key in current:
            records.append(current)
            current = {}
        current.setdefault(key, [])
        if value:
            current[key].append(value)
        last = key
    if current:
        records.append(current)
    return [record for record in records if set(record) - {"body"}]


def _labelled_work(lines: list[Line]) -> list[WorkEntry] | None:
    records = labelled_records(lines, _WORK_LABEL)
    if records is None:
        return None
    out = []
    for record in records:
        dates = find_range(" ".join(record.get("dates", [])))
        company = " ".join(record.get("company", []))
        title = " ".join(record.get("title", []))
        location = " ".join(record.get("location", []))
        if "," in company:  # "Name and address of employer: Acme Ltd, 1 High St, Leeds"
            head, _, rest = company.partition(",")
            if _LEGAL.fullmatch(rest.strip().split(",")[0].strip()):
                head = f"{head},{rest.split(',')[0]}"
                rest = ",".join(rest.split(",")[1:])
            company, location = head.strip(), location or rest.strip()
        if not (title or company):
            continue
        confidence = 0.9 if title and company else 0.6
        out.append(_work_entry(title, company, location, dates, record.get("body", []), confidence))
    return out


def _labelled_education(lines: list[Line]) -> list[EducationEntry] | None:
    records = labelled_records(lines, _EDUCATION_LABEL)
    if records is None:
        return None
    out = []
    for record in records:
        dates_text = " ".join(record.get("dates", []))
        dates = find_range(dates_text)
        single = find_single(dates_text) if dates is None else None
        degree_text = " ".join(record.get("degree", []))
        degree, field_ = _degree_field(degree_text.replace(",", "", 1)) if degree_text else ("", "")
        if "," in degree_text:
            degree, _, field_ = (part.strip() for part in degree_text.partition(","))
        institution = " ".join(record.get("institution", [])).split(",")[0].strip()
        if not (institution or degree):
            continue
        out.append(
            EducationEntry(
                institution=institution,
                degree=degree,
                field=" ".join(record.get("field", [])) or field_,
                start=dates.start if dates else "",
                end=(dates.end if dates else (single[0] if single else "")),
                confidence=0.9 if institution else 0.5,
            )
        )
    return out
