"""Normalizers for what people type: emails, phones, profile URLs, countries, tags, skills.

Each returns the normalized value or raises :class:`InvalidValue` with a message for a person.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import slugify

from parsing.skills import normalize_skill

DEFAULT_REGION = "US"
_LINKEDIN_RE = re.compile(r"^(?:[a-z]{2,3}\.)?linkedin\.com$")
_TAG_RE = re.compile(r"[^\w\- ]+")


class InvalidValue(ValueError):
    pass


def normalize_email(value: str) -> str:
    email = (value or "").strip().lower()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidValue(f"{value.strip()!r} is not a valid email address") from None
    return email


def normalize_phone(value: str, region: str | None = None) -> str:
    """E.164 (``+14155550123``). Numbers without a country code use ``region`` (default US)."""
    raw = (value or "").strip()
    if not raw:
        return ""
    try:
        parsed = phonenumbers.parse(raw, (region or DEFAULT_REGION).upper())
    except phonenumbers.NumberParseException:
        raise InvalidValue(f"{raw!r} is not a phone number") from None
    if not phonenumbers.is_possible_number(parsed) or not phonenumbers.is_valid_number(parsed):
        raise InvalidValue(f"{raw!r} is not a valid phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def display_phone(number: str) -> str:
    """An E.164 number as people read it ("+1 415-555-0132"), or the text as stored."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _url(value: str) -> str:
    raw = (value or "").strip()
    if not raw:
        return ""
    if "://" not in raw:
        raw = "https://" + raw
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.hostname or "." not in parts.hostname:
        raise InvalidValue(f"{value.strip()!r} is not a web address")
    return raw


def normalize_linkedin(value: str) -> str:
    """Canonical ``https://www.linkedin.com/in/<slug>`` so the same profile always compares equal."""
    raw = _url(value)
    if not raw:
        return ""
    parts = urlsplit(raw)
    host = (parts.hostname or "").lower()
    if not _LINKEDIN_RE.match(host.removeprefix("www.")) and not host.endswith("linkedin.com"):
        raise InvalidValue(f"{value.strip()!r} is not a LinkedIn address")
    path = re.sub(r"/+", "/", parts.path).rstrip("/")
    segments = [s for s in path.split("/") if s]
    if len(segments) < 2 or segments[0] not in {"in", "pub"}:
        raise InvalidValue(f"{value.strip()!r} is not a LinkedIn profile address (…/in/name)")
    return f"https://www.linkedin.com/in/{segments[1].lower()}"


def normalize_url(value: str) -> str:
    raw = _url(value)
    if not raw:
        return ""
    parts = urlsplit(raw)
    return parts._replace(netloc=parts.netloc.lower(), fragment="").geturl().rstrip("/")


def normalize_country(value: str) -> str:
    raw = (value or "").strip()
    if not raw:
        return ""
    if len(raw) == 2 and raw.isalpha():
        return raw.upper()
    # A few spelled-out names recruiters type often; otherwise ask for the code.
    names = {
        "united states": "US", "usa": "US", "united kingdom": "GB", "uk": "GB",
        "germany": "DE", "france": "FR", "canada": "CA", "india": "IN", "spain": "ES",
        "netherlands": "NL", "ireland": "IE", "australia": "AU", "brazil": "BR",
        "poland": "PL", "portugal": "PT", "italy": "IT", "sweden": "SE", "mexico": "MX",
    }  # fmt: skip
    code = names.get(raw.lower())
    if code is None:
        raise InvalidValue(f"{raw!r} is not a country code (use two letters, e.g. US, DE)")
    return code


def normalize_tag(value: str) -> str:
    tag = _TAG_RE.sub("", (value or "").strip().lower())
    return re.sub(r"\s+", " ", tag)[:60].strip()


def normalize_tags(values) -> list[str]:
    seen: list[str] = []
    for value in values or []:
        tag = normalize_tag(value)
        if tag and tag not in seen:
            seen.append(tag)
    return seen


def skill_entry(name: str) -> tuple[str, str, bool]:
    """(slug, display name, in taxonomy) for a typed skill: the taxonomy's skill when it knows
    the name, else an ``x-`` slug of the name as typed."""
    skill = normalize_skill(name)
    if skill is not None:
        return skill.slug, skill.name, True
    return "x-" + (slugify(name)[:110] or hashlib.sha1(name.encode()).hexdigest()[:12]), name, False  # noqa: S324
