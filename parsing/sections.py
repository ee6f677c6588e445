"""Section headings: which lines are headings, and what kind of section each opens.

A line is a heading when its words name a section ("Work Experience", "EDUCATION:",
"Tools & Technologies") and it is set like one (short, no sentence punctuation), or when the
document styles it as one (a Word heading style, bold or larger than the body, all capitals)
even if its words are not in the list ("Selected Engagements" -> an unknown section).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from .layout import Line

# Checked in order: the first kind whose pattern matches the heading text wins.
_KINDS: list[tuple[str, re.Pattern]] = [
    ("volunteering", re.compile(r"\bvolunteer|\bcommunity (?:service|involvement)|\bpro bono")),
    (
        "summary",
        re.compile(
            r"\bsummary\b|\bprofile\b|\babout\b|\bobjective\b|\boverview\b|\bintroduction\b"
            r"|\bpersonal statement\b|\bprofil\b"
        ),
    ),
    (
        "experience",
        re.compile(
            r"\bexperience\b|\bemployment\b|\bwork history\b|\bcareer\b|\bpositions?\b"
            r"|\bprofessional background\b|\bwork\b|\bappointments\b|\bberufserfahrung"
            r"|\bexp[ée]rience professionnelle|\bengagements\b|\binternships?\b"
        ),
    ),
    (
        "education",
        re.compile(
            r"\beducation\b|\bacademic\b|\bqualifications?\b|\bdegrees?\b|\bstudies\b"
            r"|\btraining\b|\bausbildung|\bformation\b|\bschooling\b"
        ),
    ),
    (
        "skills",
        re.compile(
            r"\bskills?\b|\bcompetenc(?:ies|es)\b|\btechnolog(?:y|ies)\b|\btools?\b|\bexpertise\b"
            r"|\btech stack\b|\bproficienc(?:y|ies)\b|\bstrengths\b|\bsoftware\b|\bprogramming\b"
            r"|\bkenntnisse|\bcompétences|\bcapabilities\b|\bstack\b"
        ),
    ),
    ("projects", re.compile(r"\bprojects?\b|\bportfolio\b")),
    (
        "certifications",
        re.compile(r"\bcertific|\blicen[cs]es?\b|\baccreditations?\b|\bcourses?\b|\bcredentials\b"),
    ),
    ("languages", re.compile(r"\blanguages?\b|\bsprachen\b|\blangues\b")),
    ("contact", re.compile(r"\bcontact\b|\bpersonal (?:details|information|info)\b|\bdetails\b")),
    (
        "other",
        re.compile(
            r"\binterests\b|\bhobbies\b|\bpublications?\b|\bawards?\b|\bhonou?rs\b"
            r"|\breferences?\b|\bactivities\b|\bachievements\b|\baffiliations\b"
            r"|\bmemberships?\b|\bpatents?\b|\bpresentations\b|\bleadership\b|\bextracurricular"
            r"|\bresearch\b|\btalks\b|\bconferences\b|\bpersonal\b"
        ),
    ),
]
_DECORATION = re.compile(r"^[\s\W_]+|[\s:|\W_]+$")
_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_SENTENCE = re.compile(r"[.!?;]\s|[.!?]$|@|\d{3}|https?:|www\.")


@dataclass
class Section:
    kind: str  # experience, education, skills, summary, projects, certifications, languages,
    # volunteering, contact, other, or "" for the lines before the first heading
    heading: str
    lines: list[Line] = field(default_factory=list)


# Every word of a named heading comes from here, so a job title such as "Software Engineer"
# or "Training Coordinator" is never taken for the "Software" or "Training" heading.
_VOCABULARY = frozenset(
    [
        "about",
        "academic",
        "academics",
        "accomplishments",
        "accreditations",
        "achievements",
        "activities",
        "additional",
        "affiliations",
        "and",
        "appointments",
        "areas",
        "associations",
        "awards",
        "background",
        "berufserfahrung",
        "bildung",
        "career",
        "certificates",
        "certification",
        "certifications",
        "clinical",
        "community",
        "competence",
        "competences",
        "competencies",
        "compétences",
        "computer",
        "conferences",
        "contact",
        "core",
        "courses",
        "coursework",
        "credentials",
        "degrees",
        "details",
        "education",
        "educational",
        "employment",
        "engagements",
        "expérience",
        "experience",
        "experiences",
        "expertise",
        "extracurricular",
        "formation",
        "hard",
        "held",
        "highlights",
        "history",
        "hobbies",
        "honors",
        "honours",
        "industry",
        "information",
        "interests",
        "internship",
        "internships",
        "introduction",
        "involvement",
        "it",
        "key",
        "kenntnisse",
        "knowledge",
        "langues",
        "language",
        "languages",
        "leadership",
        "licenses",
        "licences",
        "me",
        "memberships",
        "my",
        "objective",
        "of",
        "other",
        "overview",
        "patents",
        "personal",
        "portfolio",
        "positions",
        "presentations",
        "pro",
        "professional",
        "professionnelle",
        "proficiencies",
        "proficiency",
        "profil",
        "profile",
        "programming",
        "projects",
        "publications",
        "qualifications",
        "recent",
        "references",
        "relevant",
        "research",
        "schooling",
        "selected",
        "service",
        "skill",
        "skills",
        "soft",
        "software",
        "sprachen",
        "stack",
        "statement",
        "strengths",
        "studies",
        "summary",
        "talks",
        "teaching",
        "tech",
        "technical",
        "technologies",
        "technology",
        "tools",
        "top",
        "training",
        "volunteer",
        "volunteering",
        "work",
        "ausbildung",
        "bono",
        "skillset",
        "capabilities",
        "expertise",
        "summary",
    ]
)


def heading_kind(text: str) -> str | None:
    """The kind of section a heading's words name, or None when they name none."""
    words = _WORDS.findall(text)
    if not words or len(words) > 5:
        return None
    if not all(word.lower() in _VOCABULARY for word in words):
        return None
    normal = " ".join(words).lower()
    if normal in ("experience", "work", "education", "skills"):
        return "experience" if normal == "work" else normal
    for kind, pattern in _KINDS:
        if pattern.search(normal):
            return kind
    return None


def _signature(line: Line, text: str) -> tuple:
    letters = [ch for ch in text if ch.isalpha()]
    caps = len(letters) >= 3 and all(ch.isupper() for ch in letters)
    return (line.style, caps, line.bold, round(line.size))


def is_heading(line: Line, body_size: float) -> tuple[str, tuple] | None:
    """(section kind, style signature) when this line can be a heading: "other" for a styled
    line whose words name no section (kept only if it is set like the named headings)."""
    text = _DECORATION.sub("", line.text).strip()
    if not text or len(text) > 48 or len(line.segments) > 2:
        return None
    if _SENTENCE.search(text) or line.bullet:
        return None
    words = _WORDS.findall(text)
    if not words or len(words) > 5:
        return None
    signature = _signature(line, text)
    style, caps, bold, _size = signature
    larger = bool(body_size) and line.size >= body_size * 1.12
    styled = style in ("heading", "title") or caps or (bold and len(words) <= 4) or larger
    kind = heading_kind(text)
    if kind is not None:
        ends_colon = line.text.rstrip().endswith(":")
        if styled or ends_colon or len(words) <= 3:
            return kind, signature
        return None
    if styled and not any(ch.isdigit() for ch in text):
        return "other", signature
    return None


def split_sections(
    lines: list[Line], body_size: float, *, skip: set[int] | None = None
) -> list[Section]:
    """The lines cut at each heading. A heading of unknown words counts only when it is set
    exactly like a heading of known words in the same document (so "ACME CORPORATION" in
    bold capitals is a company, not a section, unless the headings look just like it).
    ``skip`` holds ids of lines that cannot be headings (the name)."""
    found = []
    for line in lines:
        found.append(None if skip and id(line) in skip else is_heading(line, body_size))
    known = {found_[1] for found_ in found if found_ and found_[0] != "other"}
    sections = [Section("", "")]
    for line, found_ in zip(lines, found, strict=True):
        if found_ and (
            found_[0] != "other"
            or (found_[1] in known and (found_[1][0] == "heading" or found_[1][1]))
        ):
            sections.append(Section(found_[0], _DECORATION.sub("", line.text).strip()))
        else:
            sections[-1].lines.append(line)
    return [section for section in sections if section.lines or section.kind]


def _vocabulary_only(text: str) -> bool:
    words = _WORDS.findall(text)
    return 0 < len(words) <= 3 and all(word.lower() in _VOCABULARY for word in words)


def margin_headings(lines: list[Line]) -> list[Line]:
    """Headings set in a left margin beside the first line of their section ("Professional |
    Thornbury Publishing ...", "Background | Senior Paralegal") become heading lines of their
    own, so the section's lines read as in any other layout. Only lines that start left of
    the body text qualify (a margin exists only where the body is indented)."""
    if not lines:
        return lines
    body_x = statistics.median(line.x0 for line in lines)
    out: list[Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        split = _margin_split(line) if line.x0 < body_x - 20 else None
        if split is None:
            out.append(line)
            index += 1
            continue
        words, rest = [split[0]], [split[1]]
        following = index + 1
        while heading_kind(" ".join(words)) is None and following < len(lines):
            nxt = lines[following]
            more = _margin_split(nxt) if abs(nxt.x0 - line.x0) < 4 else None
            if more is None:
                break
            words.append(more[0])
            rest.append(more[1])
            following += 1
        heading = " ".join(words)
        if heading_kind(heading) is None:
            out.append(line)
            index += 1
            continue
        out.append(
            Line(segments=[heading], size=line.size, bold=True, page=line.page, top=line.top,
                 x0=line.x0, style="heading")
        )  # fmt: skip
        for row, segments in zip(lines[index:following], rest, strict=True):
            if segments:
                out.append(
                    Line(segments=segments, size=row.size, bold=row.bold, page=row.page,
                         top=row.top, x0=body_x, gap_before=row.gap_before)
                )  # fmt: skip
        index = following
    return out


def _margin_split(line: Line) -> tuple[str, list[str]] | None:
    """(margin words, the rest of the line's segments) when the line starts with 1-3 heading
    words: as a segment of its own, or run into the text after it."""
    if len(line.segments) >= 2 and _vocabulary_only(line.segments[0]):
        return line.segments[0].strip(" :"), line.segments[1:]
    words = line.segments[0].split() if line.segments else []
    count = 0
    while count < min(3, len(words)) and _vocabulary_only(words[count]):
        count += 1
    if count == 0 or count == len(words) or _vocabulary_only(words[count]):
        return None  # all heading words ("Personal information"), or more than three
    head = " ".join(words[:count])
    if heading_kind(head) is None:
        return None
    return head.strip(" :"), [" ".join(words[count:]), *line.segments[1:]]
