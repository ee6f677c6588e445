"""``parse_resume``: bytes in, :class:`~parsing.result.ParsedResume` out.

1. :mod:`parsing.safety` judges the file by its content and refuses what is not a resume we
   can read (with a reason a person understands), before any parser runs.
2. A reader turns it into lines in blocks (:mod:`parsing.extract_pdf`,
   :mod:`parsing.extract_docx`, or plain text here).
3. The spaCy pipeline (:mod:`parsing.nlp`) finds skills, emails, URLs, phones and date ranges
   in the whole text at once; :mod:`parsing.sections` cuts each block at its headings;
   :mod:`parsing.contact` and :mod:`parsing.entries` read the parts.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re

from pdfminer.pdfexceptions import PDFException
from pdfminer.psexceptions import PSException

from . import entries as entries_module
from . import nlp, safety
from .contact import classify_link, clean_email, find_location, find_name, parse_phone
from .dates import DateRange, years_of_experience
from .extract_docx import read_docx
from .extract_pdf import read_pdf
from .layout import Block, Document, Line
from .limits import Limits
from .places import region_code
from .result import Link, ParsedResume, ParseFailed, ResumeError, SkillHit
from .sections import Section, margin_headings, split_sections
from .skills import get_skill

__all__ = ["parse_resume", "warm_up"]

# Product names that are also everyday English words: outside a skills list they count only
# where they read as a name (not at the start of a sentence, "Excel at ...").
_EVERYDAY = frozenset(
    [
        "go",
        "route",
        "swift",
        "spring",
        "express",
        "excel",
        "word",
        "access",
        "outlook",
        "rust",
        "ruby",
        "shell",
        "make",
        "chef",
        "puppet",
        "ant",
        "teams",
        "box",
        "notion",
        "sketch",
        "keynote",
        "pages",
        "numbers",
        "mail",
        "office",
        "basic",
        "dart",
        "scratch",
        "logo",
        "hack",
        "pig",
        "hive",
        "spark",
        "storm",
        "dash",
        "flask",
        "bottle",
        "pyramid",
        "falcon",
        "tornado",
        "play",
        "meteor",
        "ember",
        "backbone",
        "canvas",
        "mode",
        "segment",
        "heap",
        "drift",
        "front",
        "loom",
        "monday",
        "atlas",
        "compass",
        "mercury",
        "unity",
        "maya",
        "nuke",
        "bridge",
        "animate",
        "premiere",
        "illustrator",
        "lightroom",
        "sage",
        "epic",
    ]
)
# Surfaces that name a taxonomy product but, on a resume, mean something else: "PMP" is the
# Project Management Professional certification, not the Pathogen Modeling Program.
_NEVER = frozenset({"pmp"})
_SKILL_SECTIONS = {"skills"}
_RULE = re.compile(r"[=\-_~*#.·•]{3,}")
_LIST_NEIGHBOURS = {",", "/", "(", ")", "and", "or", ";", "|", ":", "&", "with", "in", "using"}
_ITEM_SPLIT = re.compile(r"\s*[,;|•·●▪◆/]\s*|\s+[–—-]\s+|\s{2,}|\band\b")
_LABEL = re.compile(r"^[^:]{2,40}:\s*")
_SENIORITY_WORDS = [
    ("executive", r"\b(?:chief|ceo|cto|cfo|coo|cmo|cio|ciso|president|vp|vice president|founder|co-founder|partner|managing director)\b"),
    ("director", r"\b(?:director|head of)\b"),
    ("manager", r"\b(?:manager|supervisor)\b"),
    ("lead", r"\b(?:lead|principal|staff|architect)\b"),
    ("intern", r"\b(?:intern|internship|trainee|apprentice|working student|werkstudent)\b"),
    ("entry", r"\b(?:junior|jr\.?|graduate|entry[- ]level|assistant)\b"),
    ("senior", r"\b(?:senior|sr\.?)\b"),
]  # fmt: skip


def warm_up() -> None:
    """Load the spaCy pipeline, the taxonomy and the title words (before forking)."""
    nlp.warm_up()
    entries_module.warm_up()


def parse_resume(data: bytes, filename: str, *, limits: Limits | None = None) -> ParsedResume:
    """Parse one resume. Raises :class:`~parsing.result.ResumeError` subclasses when the file
    gives no result: ``UnsupportedFormat``, ``FileRejected`` or ``ParseFailed``."""
    limits = limits or Limits()
    kind = safety.detect_kind(data, filename, limits)
    try:
        if kind == "pdf":
            safety.check_pdf(data, limits)
            document = read_pdf(data, limits)
        elif kind == "docx":
            document = read_docx(safety.docx_parts(data, limits))
        else:
            document = read_text(safety.decode_text(data))
    except ResumeError:
        raise
    except (PDFException, PSException, ValueError, KeyError, IndexError, TypeError) as exc:
        raise ParseFailed(f"the {kind.upper()} could not be read ({type(exc).__name__})") from exc
    except Exception as exc:  # defusedxml/ElementTree errors and the like
        if type(exc).__name__ in ("ParseError", "DefusedXmlException", "EntitiesForbidden"):
            raise ParseFailed(
                f"the {kind.upper()} could not be read ({type(exc).__name__})"
            ) from exc
        raise
    return build(document, filename, limits)


def read_text(text: str) -> Document:
    lines = []
    for index, raw in enumerate(text.splitlines()):
        if not raw.strip() or _RULE.fullmatch(raw.strip()):
            continue  # blank, or a rule under a heading ("=====", "-----")
        segments = [part.strip() for part in re.split(r"\t+|\s{3,}", raw.strip()) if part.strip()]
        lines.append(Line(segments=segments, top=float(index), x0=len(raw) - len(raw.lstrip())))
    if not lines:
        raise ParseFailed("the text file is empty")
    return Document("text", [Block("main", lines)])


def build(document: Document, filename: str, limits: Limits) -> ParsedResume:
    result = ParsedResume(source=filename, kind=document.kind, pages=document.pages)
    result.warnings.extend(document.warnings)
    for block in document.blocks:
        block.lines = margin_headings(block.lines)
    lines = document.all_lines()
    if not lines:
        raise ParseFailed("no text was found in the file")
    body_size = document.body_size()

    # One text, one spaCy doc; each match maps back to its line.
    texts = [line.text for line in lines]
    starts = []
    position = 0
    for text in texts:
        starts.append(position)
        position += len(text) + 1
    full_text = "\n".join(texts)
    if len(full_text) > limits.max_text_chars:
        result.warnings.append(f"only the first {limits.max_text_chars:,} characters were read")
        full_text = full_text[: limits.max_text_chars]
    result.text = full_text
    doc = nlp.analyse(full_text)
    line_of = {id(line): index for index, line in enumerate(lines)}

    def line_index(offset: int) -> int:
        return bisect.bisect_right(starts, offset) - 1

    # The name: the first page's first lines, largest type first.
    first_page = [line for line in lines if line.page == 0]
    if document.kind == "pdf":
        first_page.sort(key=lambda line: line.top)
    name, name_confidence, name_line = find_name(first_page, body_size)
    if name:
        result.name = name
        result.confidence["name"] = round(name_confidence, 2)

    # Sections, block by block.
    section_of: dict[int, str] = {}
    sections: list[Section] = []
    skip = {id(name_line)} if name_line is not None else set()
    for block in document.blocks:
        if block.kind == "header":
            section = Section("", "", list(block.lines))
            sections.append(section)
            for line in block.lines:
                section_of[line_of[id(line)]] = ""
            continue
        for section in split_sections(block.lines, body_size, skip=skip):
            sections.append(section)
            for line in section.lines:
                section_of[line_of[id(line)]] = section.kind
    result.sections = [section.kind for section in sections if section.kind]
    # "Languages" listing Python and Java is a skills list.
    skill_lines_by_kind = _reclassify_languages(sections, section_of, line_of, doc, starts)

    contact_lines = [
        line
        for section in sections
        if section.kind in ("", "contact")
        for line in section.lines
        if line is not name_line
    ]
    contact_indexes = {line_of[id(line)] for line in contact_lines}

    # Location first: it says how to read a national phone number.
    location, location_confidence = find_location(contact_lines)
    if location:
        result.location = location
        result.confidence["location"] = location_confidence
    region = region_code(location)

    emails: list[tuple[bool, str]] = []
    phones: list[tuple[bool, str]] = []
    links: list[Link] = []
    skill_hits: dict[str, SkillHit] = {}
    taken: list[tuple[int, int]] = []
    for match in doc._.resume_matches:
        index = line_index(match.start)
        surface = full_text[match.start : match.end]
        in_contact = index in contact_indexes
        if match.label == "EMAIL":
            email = clean_email(surface)
            if email:
                emails.append((in_contact, email))
                taken.append((match.start, match.end))
        elif match.label == "URL":
            link = classify_link(surface)
            if link and not any(s <= match.start < e for s, e in taken):
                links.append(Link(*link))
                taken.append((match.start, match.end))
        elif match.label == "PHONE":
            if _overlaps_dates(doc, match):
                continue
            phone = parse_phone(surface, region)
            if phone:
                phones.append((in_contact, phone))
    for in_contact in (True, False):
        for flag, email in emails:
            if flag == in_contact and email not in result.emails:
                result.emails.append(email)
        for flag, phone in phones:
            if flag == in_contact and phone not in result.phones:
                result.phones.append(phone)
    if result.emails:
        result.email = result.emails[0]
        result.confidence["email"] = 0.98
    if result.phones:
        result.phone = result.phones[0]
        result.confidence["phone"] = 0.9 if phones[0][0] else 0.7
    seen_urls = set()
    for link in links:
        key = link.url.lower().rstrip("/")
        if key not in seen_urls:
            seen_urls.add(key)
            result.links.append(link)

    # Skills: every taxonomy match that reads as a skill where it stands.
    contact_link_lines = {line_index(start) for start, _end in taken}
    name_index = line_of.get(id(name_line)) if name_line is not None else None
    accepted: list[tuple[int, int]] = []
    candidates = [m for m in doc._.resume_matches if m.label.startswith("SKILL:")]
    candidates.sort(key=lambda m: (m.start, -(m.end - m.start)))
    for match in candidates:
        if any(start < match.end and match.start < end for start, end in accepted + taken):
            continue
        index = line_index(match.start)
        if index == name_index:
            continue
        kind = section_of.get(index, "")
        if kind == "contact" or index in contact_link_lines:
            continue  # "(LinkedIn)" beside a profile address is not a skill
        in_list = kind in _SKILL_SECTIONS or index in skill_lines_by_kind
        slug = match.label.split(":", 1)[1]
        skill = get_skill(slug)
        if skill is None:
            continue
        surface = full_text[match.start : match.end]
        if not _reads_as_skill(
            skill, surface, full_text, match.start, match.end, in_list, lines[index]
        ):
            continue
        accepted.append((match.start, match.end))
        if slug not in skill_hits:
            skill_hits[slug] = SkillHit(
                name=skill.name,
                slug=slug,
                category=skill.category,
                confidence=0.9 if in_list else 0.7,
                section="skills" if in_list else kind,
            )
    result.skills = list(skill_hits.values())
    result.other_skills = _other_skills(
        sections, lines, line_of, starts, accepted, skill_lines_by_kind
    )
    if result.skills:
        result.confidence["skills"] = 0.85

    # Work and education.
    experience = [line for s in sections if s.kind == "experience" for line in s.lines]
    education = [line for s in sections if s.kind == "education" for line in s.lines]
    result.work = entries_module.work_entries(experience)
    result.education = entries_module.education_entries(education)
    if result.work:
        result.confidence["work"] = round(
            sum(e.confidence for e in result.work) / len(result.work), 2
        )
    if result.education:
        result.confidence["education"] = round(
            sum(e.confidence for e in result.education) / len(result.education), 2
        )

    # Headline: the short line under the name.
    result.headline = _headline(name_line, lines, line_of, section_of, result)
    if result.headline:
        result.confidence["headline"] = 0.7

    result.summary = " ".join(
        line.clean_text() for s in sections if s.kind == "summary" for line in s.lines
    )[:2000]
    result.certifications = [
        line.clean_text()[:200] for s in sections if s.kind == "certifications" for line in s.lines
    ][:30]
    result.languages = _languages(sections, skill_lines_by_kind, line_of)

    ranges = [
        DateRange(entry.start, entry.end, entry.current, (0, 0))
        for entry in result.work
        if entry.start
    ]
    result.years_experience = years_of_experience(ranges)
    if result.years_experience is not None:
        result.confidence["years_experience"] = 0.8
    result.seniority = seniority(result.current_title, result.years_experience)
    if result.seniority:
        result.confidence["seniority"] = 0.6
    for key in ("summary", "certifications", "languages"):
        if getattr(result, key):
            result.confidence[key] = 0.8
    return result


def _overlaps_dates(doc, match) -> bool:
    return any(
        other.label == "DATES" and other.start < match.end and match.start < other.end
        for other in doc._.resume_matches
    )


def _reads_as_skill(skill, surface, text, start, end, in_list, line: Line) -> bool:
    forms = (skill.name, *skill.aliases)
    exact = surface in forms
    lowered = surface.lower()
    if lowered in _NEVER:
        return False
    # An acronym ("DOE", "SAP") is only itself in capitals: "Doe" is a surname.
    acronym = any(form.lower() == lowered and form.isupper() and len(form) <= 5 for form in forms)
    if acronym and not surface.isupper():
        return False
    if in_list:
        return True
    if skill.category in ("Professional skills",):
        return False
    plain = surface.isalpha() and " " not in surface
    if plain and not exact:
        return False  # "go", "excel", "python" in running text: a word, not the product
    before = text[max(0, start - 40) : start].split()
    after = text[end : end + 20].split()
    if len(surface) <= 2:
        previous = before[-1] if before else ""
        following = after[0] if after else ""
        if not (
            previous.rstrip(",") in _LIST_NEIGHBOURS
            or previous.endswith((",", "/", "("))
            or following[:1] in (",", "/", ")", ";")
            or following in ("and", "or")
        ):
            return False
        if following.startswith(("&", "+")):
            return False
    if lowered in _EVERYDAY:
        segment_start = text.rfind("\n", 0, start) + 1
        prefix = text[segment_start:start].strip().lstrip("•●▪◆*–—-").strip()
        if not prefix or prefix.endswith((".", "!", "?", ":")):
            return False  # the first word of a sentence
    return True


def _reclassify_languages(sections, section_of, line_of, doc, starts) -> set[int]:
    """Indexes of lines that list skills outside a skills section: a "Languages" section that
    names programming languages, and "Technologies: ..." lines inside entries."""
    indexes: set[int] = set()
    skill_lines: dict[int, int] = {}
    for match in doc._.resume_matches:
        if match.label.startswith("SKILL:"):
            index = bisect.bisect_right(starts, match.start) - 1
            skill_lines[index] = skill_lines.get(index, 0) + 1
    for section in sections:
        if section.kind == "languages":
            line_indexes = [line_of[id(line)] for line in section.lines]
            hits = sum(skill_lines.get(index, 0) for index in line_indexes)
            if hits >= max(2, len(line_indexes) // 2):
                section.kind = "skills"
                for index in line_indexes:
                    section_of[index] = "skills"
        for line in section.lines:
            if re.match(
                r"^\s*(?:tech(?:nologies|nology| stack)?|tools|stack|environment|skills(?: used)?|"
                r"key skills|software)\s*:",
                line.clean_text(),
                re.IGNORECASE,
            ):
                indexes.add(line_of[id(line)])
    return indexes


def _other_skills(sections, lines, line_of, starts, accepted, extra) -> list[str]:
    out: list[str] = []
    seen = set()
    for section in sections:
        if section.kind != "skills":
            continue
        for line in section.lines:
            index = line_of[id(line)]
            text = line.text
            base = starts[index]
            offset = 0
            cleaned = _LABEL.sub("", text)
            offset = len(text) - len(cleaned)
            for item in re.finditer(r"[^,;|•·●▪◆/]+", cleaned):
                raw = item.group(0).strip(" -–—.()")
                if not raw or len(raw.split()) > 4 or len(raw) < 2:
                    continue
                item_start = base + offset + item.start()
                item_end = base + offset + item.end()
                if any(s < item_end and item_start < e for s, e in accepted):
                    continue
                if any(ch.isdigit() for ch in raw) and not re.search(r"[A-Za-z]{2}", raw):
                    continue
                key = raw.casefold()
                if key not in seen:
                    seen.add(key)
                    out.append(raw)
    return out[:40]


def _languages(sections, skill_line_indexes, line_of) -> list[str]:
    out = []
    for section in sections:
        if section.kind != "languages":
            continue
        for line in section.lines:
            for item in re.split(r"\s*[,;|•·]\s*", line.clean_text()):
                item = item.strip()
                if item and len(item) <= 60:
                    out.append(item)
    return out[:15]


def _headline(name_line, lines, line_of, section_of, result) -> str:
    if name_line is None:
        return ""
    index = line_of[id(name_line)]
    for offset in (1, 2):
        if index + offset >= len(lines):
            break
        line = lines[index + offset]
        if section_of.get(index + offset, "") not in ("",):
            break
        text = line.clean_text()
        if (
            not text
            or "@" in text
            or re.search(r"\d{3}|https?:|www\.|linkedin|github", text, re.IGNORECASE)
            or len(text.split()) > 10
            or (result.location and result.location.split(",")[0] in text)
        ):
            continue
        first = re.split(r"\s+(?:\||at|@)\s+", text)[0].strip()
        if entries_module.title_score(first) >= 2.0:
            return first
    return ""


def seniority(title: str, years: float | None) -> str:
    lowered = (title or "").lower()
    for level, pattern in _SENIORITY_WORDS:
        if re.search(pattern, lowered):
            return level
    if years is None:
        return ""
    if years < 2:
        return "entry"
    if years < 5:
        return "mid"
    return "senior"


def _today() -> dt.date:
    return dt.date.today()
