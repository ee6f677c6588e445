"""Search parameters: the /candidates/ query string parsed and validated into
:class:`SearchParams`, and the keyset :class:`Cursor` that marks where a page starts."""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.utils import timezone

from crm import normalize
from crm.models import Seniority, Source
from parsing.skills import normalize_skill

SORTS = ("relevance", "recent", "created")
MAX_VALUES = 20
BAD_CURSOR = "This page link is invalid or out of date; start again from the first page."
_TRUE = {"1", "true", "on", "yes"}
_FALSE = {"", "0", "false", "off", "no"}
_SLUG = re.compile(r"^x-[a-z0-9]+(?:-[a-z0-9]+)*$")


# Relevance tiers, best first (see query.candidate_search): 0 name, 1 title/skills/company,
# 2 similar name or address (trigram), 3 anywhere else (location, tags, summary, resume).
RELEVANCE_TIERS = (0, 1, 2, 3)
FUZZY_TIER = 2


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: the sort key and id of the last row shown, and for relevance
    the match tier that row was in (``RELEVANCE_TIERS``). In the similar-name tier the key is the
    trigram score; in the others, as in the recent sort, it is ``last_activity_at`` (or None)."""

    sort: str
    key: float | datetime | None
    id: int
    tier: int = 0

    def encode(self) -> str:
        key = self.key.isoformat() if isinstance(self.key, datetime) else self.key
        data = {"s": self.sort, "k": key, "i": self.id}
        if self.sort == "relevance":
            data["t"] = self.tier
        raw = json.dumps(data, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str, sort: str) -> Cursor:
        """Raise ValueError unless ``token`` is a cursor we made for ``sort``."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            data = json.loads(raw)
        except (binascii.Error, ValueError, UnicodeDecodeError):
            raise ValueError(BAD_CURSOR) from None
        expected = {"s", "k", "i", "t"} if sort == "relevance" else {"s", "k", "i"}
        if not isinstance(data, dict) or set(data) != expected or data["s"] != sort:
            raise ValueError(BAD_CURSOR)
        pk, key, tier = data["i"], data["k"], data.get("t", 0)
        if type(pk) is not int or not 0 < pk < 2**63:
            raise ValueError(BAD_CURSOR)
        if type(tier) is not int or tier not in RELEVANCE_TIERS:
            raise ValueError(BAD_CURSOR)
        if sort == "relevance" and tier == FUZZY_TIER:
            if type(key) not in (int, float) or not math.isfinite(key):
                raise ValueError(BAD_CURSOR)
            return cls(sort, float(key), pk, tier)
        if key is None and sort in ("recent", "relevance"):
            return cls(sort, None, pk, tier)
        try:
            moment = datetime.fromisoformat(key)
        except (TypeError, ValueError):
            raise ValueError(BAD_CURSOR) from None
        if timezone.is_naive(moment):
            raise ValueError(BAD_CURSOR)
        return cls(sort, moment, pk, tier)


@dataclass(frozen=True)
class SearchParams:
    """One search, as the page's query string describes it (see :meth:`from_query`)."""

    q: str = ""
    skills: tuple[str, ...] = ()  # taxonomy slugs, or "x-<slug>" for skills it does not know
    skills_mode: str = "all"
    location: str = ""
    country: str = ""
    seniority: tuple[str, ...] = ()
    min_years: Decimal | None = None
    max_years: Decimal | None = None
    tags: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    owner: str = ""  # "me" or a user id
    active_after: date | None = None
    active_before: date | None = None
    include_dnc: bool = False
    include_archived: bool = False
    sort: str = ""  # "" means relevance with keywords, recent without
    after: Cursor | None = field(default=None, compare=False)

    @property
    def effective_sort(self) -> str:
        if self.sort == "relevance" or not self.sort:
            return "relevance" if self.q else "recent"
        return self.sort

    @property
    def has_filters_besides_keywords(self) -> bool:
        return replace(self, q="", after=None).has_filters

    @property
    def has_filters(self) -> bool:
        return any(
            getattr(self, f.name) not in (None, "", (), False)
            for f in fields(self)
            if f.name not in ("sort", "after", "skills_mode")
        )

    @classmethod
    def from_query(cls, qd: Mapping[str, Any]) -> tuple[SearchParams, dict[str, str]]:
        """Parse a QueryDict (or a plain dict). Returns the params and a message per bad field;
        bad fields are left at their defaults."""
        parser = _Parser(qd)
        params = cls(
            q=parser.text("q", 200),
            skills=parser.skills(),
            skills_mode=parser.choice("skills_mode", ("all", "any"), "all"),
            location=parser.text("location", 120),
            country=parser.country(),
            seniority=parser.choices("seniority", Seniority.values),
            min_years=parser.years("min_years"),
            max_years=parser.years("max_years"),
            tags=parser.tags(),
            source=parser.choices("source", Source.values),
            owner=parser.owner(),
            active_after=parser.day("active_after"),
            active_before=parser.day("active_before"),
            include_dnc=parser.flag("include_dnc"),
            include_archived=parser.flag("include_archived"),
            sort=parser.choice("sort", SORTS, ""),
        )
        params = parser.check_ranges(params)
        token = parser.text("after", 500)
        if token and "sort" not in parser.errors:
            try:
                params = replace(params, after=Cursor.decode(token, params.effective_sort))
            except ValueError as exc:
                parser.errors["after"] = str(exc)
        return params, parser.errors

    def to_pairs(self) -> list[tuple[str, str]]:
        """The canonical query string pairs (no cursor): what saved searches store."""
        pairs: list[tuple[str, str]] = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "after" or value in (None, "", (), False):
                continue
            if f.name == "skills_mode" and value == "all":
                continue
            values = value if isinstance(value, tuple) else (value,)
            for item in values:
                text = "1" if item is True else item.isoformat() if isinstance(item, date) else item
                pairs.append((f.name, str(text)))
        return pairs

    def to_query(self, **changes: Any) -> str:
        """The urlencoded query string, optionally with some fields changed."""
        return urlencode((replace(self, **changes) if changes else self).to_pairs())


class _Parser:
    """Reads one field at a time from a query dict, collecting a message per bad field."""

    def __init__(self, qd: Mapping[str, Any]):
        self.qd = qd
        self.errors: dict[str, str] = {}

    def values(self, name: str) -> list[str]:
        if hasattr(self.qd, "getlist"):
            raw = self.qd.getlist(name)
        else:
            raw = self.qd.get(name, [])
            raw = [raw] if isinstance(raw, str) else list(raw)
        return [str(v).strip() for v in raw if str(v).strip()]

    def one(self, name: str) -> str:
        values = self.values(name)
        return values[-1] if values else ""

    def split(self, name: str) -> list[str]:
        parts = [p.strip() for v in self.values(name) for p in v.split(",") if p.strip()]
        if len(parts) > MAX_VALUES:
            self.errors[name] = f"give at most {MAX_VALUES} values"
            return []
        return parts

    def text(self, name: str, limit: int) -> str:
        value = " ".join(self.one(name).split())
        if "\x00" in value:
            self.errors[name] = "contains a character that is not allowed"
            return ""
        if len(value) > limit:
            self.errors[name] = f"is longer than {limit} characters"
            return ""
        return value

    def choice(self, name: str, allowed: Collection[str], default: str) -> str:
        value = self.one(name).lower()
        if value and value not in allowed:
            self.errors[name] = f"{value!r} is not one of: {', '.join(allowed)}"
            return default
        return value or default

    def choices(self, name: str, allowed: Collection[str]) -> tuple[str, ...]:
        values = list(dict.fromkeys(v.lower() for v in self.split(name)))
        bad = [v for v in values if v not in allowed]
        if bad:
            options = ", ".join(a for a in allowed if a)
            self.errors[name] = f"{bad[0]!r} is not one of: {options}"
            return ()
        return tuple(values)

    def flag(self, name: str) -> bool:
        value = self.one(name).lower()
        if value not in _TRUE | _FALSE:
            self.errors[name] = "must be on or off"
            return False
        return value in _TRUE

    def years(self, name: str) -> Decimal | None:
        value = self.one(name)
        if not value:
            return None
        try:
            years = Decimal(value)
        except InvalidOperation:
            self.errors[name] = f"{value[:20]!r} is not a number of years"
            return None
        if not years.is_finite() or not 0 <= years <= 80:
            self.errors[name] = "must be between 0 and 80"
            return None
        return years.quantize(Decimal("0.1"))

    def day(self, name: str) -> date | None:
        value = self.one(name)
        if not value:
            return None
        try:
            day = date.fromisoformat(value)
        except ValueError:
            self.errors[name] = f"{value[:20]!r} is not a date (YYYY-MM-DD)"
            return None
        if not 1900 <= day.year <= 2999:
            self.errors[name] = "must be a date between the years 1900 and 2999"
            return None
        return day

    def country(self) -> str:
        try:
            return normalize.normalize_country(self.one("country")[:60])
        except normalize.InvalidValue as exc:
            self.errors["country"] = str(exc)
            return ""

    def owner(self) -> str:
        value = self.one("owner").lower()
        if value and value != "me" and not (value.isdigit() and 0 < int(value) < 2**31):
            self.errors["owner"] = "must be 'me' or a user id"
            return ""
        return value

    def skills(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(skill_slug(v) for v in self.split("skills")))

    def tags(self) -> tuple[str, ...]:
        return tuple(normalize.normalize_tags(self.split("tags")))

    def check_ranges(self, params: SearchParams) -> SearchParams:
        low, high = params.min_years, params.max_years
        if low is not None and high is not None and low > high:
            self.errors["max_years"] = "must not be less than the minimum"
            params = replace(params, max_years=None)
        start, end = params.active_after, params.active_before
        if start and end and start > end:
            self.errors["active_before"] = "must not be before the 'active after' date"
            params = replace(params, active_before=None)
        return params


def skill_slug(text: str) -> str:
    """The slug a typed skill is stored under (the same rule as crm.services.candidates' intake)."""
    if _SLUG.match(text):  # already one of our own slugs, e.g. from a facet link
        return text
    return normalize.skill_entry(text[:200])[0]


@lru_cache(maxsize=4096)
def skill_label(slug: str) -> str:
    """A display name for a skill slug, without touching the database."""
    if slug.startswith("x-"):
        return slug[2:].replace("-", " ")
    skill = normalize_skill(slug)
    return skill.name if skill is not None and skill.slug == slug else slug
