"""What a parsed resume proposes for the candidate record, field group by field group.

A *unit* is a group of record fields that only make sense together: a name is first and last
name, a location is city, region and country. A unit is filled, refreshed or kept as a whole,
so a record never ends up with a recruiter's city and a resume's country.

Every proposal goes through :func:`crm.services.candidates.clean_input`, the same validation as forms,
API and imports; a value it refuses is left out with the reason (shown on the profile).
"""

from __future__ import annotations

import re
from decimal import Decimal

import phonenumbers

from parsing import ParsedResume

from . import normalize
from .services.candidates import clean_input
from .services.errors import CandidateInputError

# unit -> the record fields it sets, in display order
UNITS: dict[str, tuple[str, ...]] = {
    "name": ("first_name", "last_name"),
    "current_title": ("current_title",),
    "current_company": ("current_company",),
    "location": ("city", "region", "country"),
    "years_experience": ("years_experience",),
    "seniority": ("seniority",),
    "summary": ("summary",),
    "work_history": ("work_history",),
    "education": ("education",),
    "linkedin_url": ("linkedin_url",),
    "github_url": ("github_url",),
    "website_url": ("website_url",),
}
# How a unit reads in "Resume parsed: filled title, company, ..."
LABELS = {
    "name": "name",
    "current_title": "title",
    "current_company": "company",
    "location": "location",
    "years_experience": "years of experience",
    "seniority": "seniority",
    "summary": "summary",
    "work_history": "work entries",
    "education": "education entries",
    "linkedin_url": "LinkedIn",
    "github_url": "GitHub",
    "website_url": "website",
}
UNIT_OF = {name: unit for unit, names in UNITS.items() for name in names}

# Words that start a family name ("Ludwig van Beethoven", "Juan de la Cruz").
_PARTICLES = {
    "van", "von", "de", "der", "den", "del", "della", "di", "da", "dos", "das", "du", "la", "le",
    "ter", "ten", "bin", "ibn", "al", "el", "st", "st.", "mac", "zu",
}  # fmt: skip
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d.", "md", "m.d.", "mba"}
_US_STATES = {
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY",
}  # fmt: skip
_NOT_A_PLACE = re.compile(r"^(remote|anywhere|worldwide|global|n/?a)$", re.IGNORECASE)


def split_name(name: str) -> tuple[str, str]:
    """("first", "last") from a full name: "Last, First" is turned round, a family name starts at
    a particle ("van", "de la") or is the last word, and "Jr."/"PhD" stay with the family name.
    A name in capitals is put in title case (a resume heading, not how the person spells it)."""
    name = re.sub(r"\s+", " ", (name or "").strip().strip(",")).strip()
    if not name:
        return "", ""
    if name.isupper():
        name = name.title()
    if name.count(",") == 1:
        last, first = (part.strip() for part in name.split(","))
        if first.lower().rstrip(".") not in {s.rstrip(".") for s in _SUFFIXES}:
            return first, last
        name = f"{last} {first}"
    words = name.replace(",", "").split()
    suffix = []
    while len(words) > 2 and words[-1].lower() in _SUFFIXES:
        suffix.insert(0, words.pop())
    if len(words) == 1:
        return words[0], " ".join(suffix)
    start = next(
        (i for i in range(1, len(words) - 1) if words[i].lower() in _PARTICLES), len(words) - 1
    )
    return " ".join(words[:start]), " ".join(words[start:] + suffix)


def split_location(text: str, hint: str = "") -> tuple[str, str, str]:
    """(city, region, country code) from "City, Region", "City, ST" (a US state), "City, Country"
    or "City, Region, Country". A country is kept only when it is a code or a name we know.
    Two letters that are both a US state and a country ("Berlin, DE") are read as the country
    only when ``hint`` (the country of the resume's phone number) says so."""
    parts = [part.strip() for part in re.split(r"[,;|]", text or "") if part.strip()]
    if not parts or _NOT_A_PLACE.match(parts[0]):
        return "", "", ""
    city, rest = parts[0], parts[1:]
    last = rest[-1] if rest else ""
    state = len(rest) == 1 and len(last) == 2 and last.upper() in _US_STATES
    if state and hint.upper() != last.upper():
        return city, last.upper(), "US"  # "Austin, TX": a state, not a country code
    country = _country(last) if last else ""
    if country:
        rest = rest[:-1]
    region = rest[0] if rest else ""
    if not country and region.upper() in _US_STATES and len(region) == 2:
        region, country = region.upper(), "US"
    return city, region, country


def phone_country(number: str) -> str:
    """The two-letter country of an international phone number, or ""."""
    try:
        parsed = phonenumbers.parse(number or "", None)
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.region_code_for_number(parsed) or ""


def _country(text: str) -> str:
    if text.strip().upper() in ("UK", "U.K."):  # two letters, but not the ISO code
        return "GB"
    try:
        return normalize.normalize_country(text)
    except normalize.InvalidValue:
        return ""


def _first_link(parsed: ParsedResume, network: str) -> str:
    if network:
        return parsed.link(network)
    return next((link.url for link in parsed.links if not link.network), "")


def raw_values(parsed: ParsedResume) -> dict[str, dict]:
    """unit -> {field: value} as the resume says it, before validation ("" when not found)."""
    first, last = split_name(parsed.name)
    city, region, country = split_location(parsed.location, phone_country(parsed.phone))
    work = [record for record in (entry.as_record() for entry in parsed.work) if record]
    education = [record for record in (entry.as_record() for entry in parsed.education) if record]
    return {
        "name": {"first_name": first, "last_name": last},
        "current_title": {"current_title": parsed.current_title},
        "current_company": {"current_company": parsed.current_company},
        "location": {"city": city, "region": region, "country": country},
        "years_experience": {"years_experience": parsed.years_experience},
        "seniority": {"seniority": parsed.seniority},
        "summary": {"summary": parsed.summary},
        "work_history": {"work_history": work},
        "education": {"education": education},
        "linkedin_url": {"linkedin_url": _first_link(parsed, "LinkedIn")},
        "github_url": {"github_url": _first_link(parsed, "GitHub")},
        "website_url": {"website_url": _first_link(parsed, "")},
    }


def _blank(value) -> bool:
    return value in (None, "", [])


def proposals(parsed: ParsedResume) -> tuple[dict[str, dict], dict[str, str]]:
    """(unit -> {field: clean value}, unit -> why a found value was refused)."""
    proposed: dict[str, dict] = {}
    refused: dict[str, str] = {}
    for unit, values in raw_values(parsed).items():
        if all(_blank(value) for value in values.values()):
            continue
        try:
            scalars = clean_input(values).scalars
        except CandidateInputError as exc:
            refused[unit] = "; ".join(exc.errors.values())
            continue
        if any(name in scalars for name in UNITS[unit]):
            proposed[unit] = {name: scalars.get(name, _empty(name)) for name in UNITS[unit]}
    return proposed, refused


def _empty(name: str):
    return (
        [] if name in ("work_history", "education") else None if name == "years_experience" else ""
    )


def contact_values(parsed: ParsedResume, country: str = "") -> tuple[list[str], list[str]]:
    """(emails, phones) found in the resume, normalized; unusable ones are dropped."""
    emails, phones = [], []
    for raw in [parsed.email, *parsed.emails]:
        try:
            email = normalize.normalize_email(raw or "")
        except normalize.InvalidValue:
            continue
        if email and email not in emails:
            emails.append(email)
    for raw in [parsed.phone, *parsed.phones]:
        try:
            phone = normalize.normalize_phone(raw or "", country or None)
        except normalize.InvalidValue:
            continue
        if phone and phone not in phones:
            phones.append(phone)
    return emails, phones


def snapshot(value):
    """A field value as JSON, comparable with what was stored (years are Decimals)."""
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.1")))
    return value


def unit_snapshot(holder, unit: str) -> dict:
    """The unit's values on ``holder`` (a Candidate, or a dict of clean values)."""
    get = holder.get if isinstance(holder, dict) else lambda name: getattr(holder, name)
    return {name: snapshot(get(name)) for name in UNITS[unit]}


def unit_is_empty(candidate, unit: str) -> bool:
    return all(_blank(getattr(candidate, name)) for name in UNITS[unit])


def unit_display(candidate, unit: str) -> str:
    """The unit's current value on the record, as a person would read it."""
    if unit in ("work_history", "education"):
        count = len(getattr(candidate, unit) or [])
        return f"{count} entr{'y' if count == 1 else 'ies'}"
    values = [getattr(candidate, name) for name in UNITS[unit]]
    text = ", ".join(str(value) for value in values if not _blank(value))
    if unit == "name":
        text = " ".join(str(value) for value in values if value)
    return text if len(text) <= 80 else text[:79] + "…"
