"""Export a candidate as a JSON Resume document (https://jsonresume.org/schema, v1.0.0).

Empty values are left out rather than sent as "" or []: the schema's ``email`` and ``uri``
formats reject empty strings, and an absent key reads better in every consumer.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from urllib.parse import urlsplit

from django.utils import timezone

from .models import Candidate

SCHEMA_VERSION = "v1.0.0"
_MONTHS = {
    name: number
    for number, names in enumerate(
        ("jan january", "feb february", "mar march", "apr april", "may", "jun june",
         "jul july", "aug august", "sep sept september", "oct october", "nov november",
         "dec december"),
        start=1,
    )
    for name in names.split()
}  # fmt: skip
_YMD = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:T.*)?")
_MY = re.compile(r"(\d{1,2})[-/.](\d{4})")
_NAMED = re.compile(r"([A-Za-z]+)\.?,?\s+(\d{4})")


def iso_partial(value) -> str:
    """A date as the schema's ISO 8601 partial ("2019", "2019-03" or "2019-03-15"), or "" when
    it is missing, open-ended ("present") or not a date."""
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    text = str(value or "").strip()
    year = month = day = None
    if match := _YMD.fullmatch(text):
        year, month, day = (int(part) if part else None for part in match.groups())
    elif match := _MY.fullmatch(text):
        month, year = int(match.group(1)), int(match.group(2))
    elif (match := _NAMED.fullmatch(text)) and match.group(1).lower() in _MONTHS:
        month, year = _MONTHS[match.group(1).lower()], int(match.group(2))
    if year is None or not 1000 <= year <= 2999:
        return ""
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return ""
    if day:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


def _uri(value) -> str:
    """An absolute http(s) address, or "" (the schema's ``uri`` format needs a scheme)."""
    text = str(value or "").strip()
    if text and "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    return text if parts.scheme in ("http", "https") and parts.hostname else ""


def _first(entry: dict, *names):
    return next((entry[n] for n in names if entry.get(n) not in (None, "", [])), None)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        value = [value]
    return [str(item).strip() for item in value or [] if str(item).strip()]


def _compact(value):
    """Drop None, empty strings, lists and objects, at every depth."""
    if isinstance(value, dict):
        items = ((key, _compact(item)) for key, item in value.items())
        return {key: item for key, item in items if item not in (None, "", [], {})}
    if isinstance(value, list):
        items = (_compact(item) for item in value)
        return [item for item in items if item not in (None, "", [], {})]
    return value


def _profile(network: str, url: str) -> dict:
    url = _uri(url)
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if network == "LinkedIn" and len(segments) >= 2 and segments[0] in ("in", "pub"):
        username = segments[1]
    else:
        username = segments[0] if segments else ""
    return {"network": network, "username": username, "url": url}


def _work(entry: dict) -> dict:
    return {
        "name": str(_first(entry, "company", "name", "employer", "organization") or ""),
        "position": str(_first(entry, "title", "position", "role") or ""),
        "location": str(_first(entry, "location") or ""),
        "url": _uri(_first(entry, "url", "website")),
        "startDate": iso_partial(_first(entry, "start", "start_date", "startDate", "from")),
        "endDate": iso_partial(_first(entry, "end", "end_date", "endDate", "to")),
        "summary": str(_first(entry, "summary", "description") or ""),
        "highlights": _strings(entry.get("highlights")),
    }


def _education(entry: dict) -> dict:
    return {
        "institution": str(_first(entry, "institution", "school", "university", "name") or ""),
        "url": _uri(_first(entry, "url", "website")),
        "area": str(_first(entry, "area", "field", "field_of_study", "major") or ""),
        "studyType": str(_first(entry, "studyType", "study_type", "degree") or ""),
        "startDate": iso_partial(_first(entry, "start", "start_date", "startDate", "from")),
        "endDate": iso_partial(_first(entry, "end", "end_date", "endDate", "to")),
        "score": str(_first(entry, "score", "gpa", "grade") or ""),
        "courses": _strings(entry.get("courses")),
    }


def _years(years: Decimal | None) -> str:
    if years is None:
        return ""
    number = format(years.normalize(), "f")  # 5.0 -> "5", 2.5 -> "2.5", 10.0 -> "10"
    return f"{number} year" if number == "1" else f"{number} years"


def candidate_to_json_resume(candidate: Candidate, *, canonical: str = "") -> dict:
    """The candidate as a JSON Resume document that validates against the v1.0.0 schema."""
    profiles = [
        _profile(network, url)
        for network, url in (("LinkedIn", candidate.linkedin_url), ("GitHub", candidate.github_url))
        if _uri(url)
    ]
    history = [e for e in candidate.work_history or [] if isinstance(e, dict)]
    if not history and candidate.current_company:
        history = [{"company": candidate.current_company, "title": candidate.current_title}]
    modified = timezone.localtime(candidate.updated_at, dt.UTC) if candidate.updated_at else None
    document = {
        "basics": {
            "name": candidate.full_name,
            "label": candidate.current_title,
            "email": candidate.email if "@" in candidate.email else "",
            "phone": candidate.phone,
            "url": _uri(candidate.website_url),
            "summary": candidate.summary,
            "location": {
                "city": candidate.city,
                "region": candidate.region,
                "countryCode": candidate.country,
            },
            "profiles": profiles,
        },
        "work": [_work(entry) for entry in history],
        "education": [_education(e) for e in candidate.education or [] if isinstance(e, dict)],
        "skills": [
            {"name": skill.name, "level": _years(skill.years)}
            for skill in candidate.skills.order_by("name")
        ],
        "meta": {
            "canonical": _uri(canonical),
            "version": SCHEMA_VERSION,
            "lastModified": modified.strftime("%Y-%m-%dT%H:%M:%S") if modified else "",
        },
    }
    return _compact(document)
