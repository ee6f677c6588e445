"""What parsing returns: :class:`ParsedResume`, a typed result with a confidence per field, and
the errors that say why a file gave no result.

Everything here is plain data (stdlib only), so a result crosses a process boundary as JSON
(:meth:`ParsedResume.to_dict` / :meth:`ParsedResume.from_dict`) and is stored as JSON by the
product. Dates are ISO 8601 partials: "2019", "2019-03" or "2019-03-15".
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "SENIORITY_LEVELS",
    "EducationEntry",
    "FileRejected",
    "Link",
    "ParseFailed",
    "ParsedResume",
    "ResumeError",
    "SkillHit",
    "UnsupportedFormat",
    "WorkEntry",
]

# The candidate record's seniority values (crm.models.Seniority), lowest first.
SENIORITY_LEVELS = ("intern", "entry", "mid", "senior", "lead", "manager", "director", "executive")


class ResumeError(Exception):
    """A file gave no result. ``code`` is stable for programs; the message is for people."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.code


class UnsupportedFormat(ResumeError):
    """A real document we cannot read: legacy .doc, RTF, an image, a PDF with no text layer."""

    code = "unsupported"


class FileRejected(ResumeError):
    """A file refused for safety: too large, too many pages, not what its name says, a zip bomb,
    encrypted, or over the time or memory limit."""

    code = "rejected"


class ParseFailed(ResumeError):
    """The file claimed to be a document but could not be read (corrupt, truncated)."""

    code = "failed"


@dataclass
class Link:
    url: str
    network: str = ""  # "LinkedIn", "GitHub", ... or "" for a personal site
    username: str = ""


@dataclass
class SkillHit:
    name: str  # canonical name from the taxonomy
    slug: str
    category: str = ""
    confidence: float = 1.0
    # "skills" when found in a skills section, else the section it was found in.
    section: str = ""


@dataclass
class WorkEntry:
    title: str = ""
    company: str = ""
    location: str = ""
    start: str = ""  # ISO 8601 partial, "" when unknown
    end: str = ""  # "" when unknown or current
    current: bool = False
    summary: str = ""
    highlights: list[str] = field(default_factory=list)
    confidence: float = 0.0

    def as_record(self) -> dict[str, Any]:
        """The shape of ``crm.Candidate.work_history`` entries."""
        record = {
            "title": self.title,
            "company": self.company,
            "location": self.location,
            "start": self.start,
            "end": "present" if self.current else self.end,
            "summary": self.summary,
        }
        if self.highlights:
            record["highlights"] = list(self.highlights)
        return {key: value for key, value in record.items() if value}


@dataclass
class EducationEntry:
    institution: str = ""
    degree: str = ""  # "BSc", "Master of Science", ...
    field: str = ""  # "Computer Science"
    start: str = ""
    end: str = ""
    score: str = ""
    confidence: float = 0.0

    def as_record(self) -> dict[str, Any]:
        """The shape of ``crm.Candidate.education`` entries."""
        record = {
            "institution": self.institution,
            "degree": self.degree,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "score": self.score,
        }
        return {key: value for key, value in record.items() if value}


@dataclass
class ParsedResume:
    """A parsed resume. Scalar fields are "" (or None) when not found; ``confidence`` maps a
    field name to 0..1 for every field that was found."""

    source: str  # the file name it came from
    kind: str  # "pdf", "docx" or "text"
    text: str = ""  # the whole text in reading order (for search)
    pages: int = 0
    name: str = ""
    headline: str = ""  # the title line under the name, or the current title
    email: str = ""
    emails: list[str] = field(default_factory=list)
    phone: str = ""  # E.164 when it parses as a phone number, else as written
    phones: list[str] = field(default_factory=list)
    location: str = ""  # "City, Region" or "City, Country" as written
    links: list[Link] = field(default_factory=list)
    summary: str = ""
    work: list[WorkEntry] = field(default_factory=list)
    education: list[EducationEntry] = field(default_factory=list)
    skills: list[SkillHit] = field(default_factory=list)
    # Skill-section items that are not in the taxonomy, as written.
    other_skills: list[str] = field(default_factory=list)
    certifications: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    years_experience: float | None = None
    seniority: str = ""  # one of SENIORITY_LEVELS, or ""
    sections: list[str] = field(default_factory=list)  # the section kinds found, in order
    confidence: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ convenience

    @property
    def current_title(self) -> str:
        for entry in self.work:
            if entry.current and entry.title:
                return entry.title
        return self.work[0].title if self.work and self.work[0].title else self.headline

    @property
    def current_company(self) -> str:
        for entry in self.work:
            if entry.current and entry.company:
                return entry.company
        return self.work[0].company if self.work else ""

    def link(self, network: str) -> str:
        for link in self.links:
            if link.network.lower() == network.lower():
                return link.url
        return ""

    # ------------------------------------------------------------------ transport

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data; :meth:`from_dict` gives the same result back."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParsedResume:
        values = dict(data)
        values["links"] = [Link(**item) for item in values.get("links", [])]
        values["work"] = [WorkEntry(**item) for item in values.get("work", [])]
        values["education"] = [EducationEntry(**item) for item in values.get("education", [])]
        values["skills"] = [SkillHit(**item) for item in values.get("skills", [])]
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{key: value for key, value in values.items() if key in known})

    # ------------------------------------------------------------------ JSON Resume

    def to_json_resume(self) -> dict[str, Any]:
        """A JSON Resume v1.0.0 document (https://jsonresume.org/schema). Empty values are
        left out: the schema's ``email`` and ``uri`` formats reject empty strings."""
        city, region, country = _split_location(self.location)
        basics = {
            "name": self.name,
            "label": self.headline or self.current_title,
            "email": self.email if _EMAIL.fullmatch(self.email or "") else "",
            "phone": self.phone,
            "url": next((link.url for link in self.links if not link.network), ""),
            "summary": self.summary,
            "location": _compact({"city": city, "region": region, "countryCode": country}),
            "profiles": [
                _compact({"network": link.network, "username": link.username, "url": link.url})
                for link in self.links
                if link.network and _is_uri(link.url)
            ],
        }
        if basics["url"] and not _is_uri(basics["url"]):
            basics["url"] = ""
        document = {
            "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
            "basics": _compact(basics),
            "work": [
                _compact(
                    {
                        "name": entry.company,
                        "position": entry.title,
                        "location": entry.location,
                        "startDate": _iso(entry.start),
                        "endDate": "" if entry.current else _iso(entry.end),
                        "summary": entry.summary,
                        "highlights": list(entry.highlights),
                    }
                )
                for entry in self.work
            ],
            "education": [
                _compact(
                    {
                        "institution": entry.institution,
                        "studyType": entry.degree,
                        "area": entry.field,
                        "startDate": _iso(entry.start),
                        "endDate": _iso(entry.end),
                        "score": entry.score,
                    }
                )
                for entry in self.education
            ],
            "skills": [
                _compact(
                    {"name": skill.name, "keywords": [skill.category] if skill.category else []}
                )
                for skill in self.skills
            ]
            + [{"name": text} for text in self.other_skills],
            "certificates": [{"name": text} for text in self.certifications],
            "languages": [{"language": text} for text in self.languages],
            "meta": _compact(
                {
                    "version": "v1.0.0",
                    "canonical": "",
                }
            ),
        }
        return _compact(document)


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_ISO = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?")


def _iso(value: str) -> str:
    return value if value and _ISO.fullmatch(value) else ""


def _is_uri(value: str) -> bool:
    try:
        parts = urlsplit(value or "")
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _split_location(text: str) -> tuple[str, str, str]:
    """("City", "Region", "CC") from "City, Region" or "City, Country"; the country code only
    when the last part is a two-letter code other than a US state."""
    parts = [part.strip() for part in (text or "").split(",") if part.strip()]
    if not parts:
        return "", "", ""
    city = parts[0]
    region = parts[1] if len(parts) > 1 else ""
    country = ""
    if len(parts) > 2 and re.fullmatch(r"[A-Z]{2}", parts[-1]):
        country = parts[-1]
    return city, region, country


def _compact(value: Any) -> Any:
    """Drop empty strings, lists and dicts, recursively."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = _compact(item)
            if item in ("", None, [], {}):
                continue
            out[key] = item
        return out
    if isinstance(value, list):
        items = [_compact(item) for item in value]
        return [item for item in items if item not in ("", None, [], {})]
    return value
