"""Talent pools: rule parsing and validation, the set a dynamic pool's rule selects, the
members a user sees, and the pool's size over time.

A dynamic pool's rule is JSON::

    {"filters": {"skills": "python", "seniority": "senior,lead"},   # the candidate search's
     "conditions": {"community_status": "confirmed", "engaged_within_days": 90},
     "match": "all"}                                                # or "any" of the conditions

``filters`` are the query-string filters of /candidates/ (parsed by
:class:`crm.selectors.search.SearchParams`, so a pool selects what the search would);
``conditions`` are crm's own (:data:`CRM_CONDITIONS`) or those the higher apps registered
(:mod:`config.core.pool_conditions`). A rule naming an unknown field or with a bad value is
refused with a message per field (``filters.skills``, ``conditions.hired``, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from config.core.pool_conditions import parse_days, pool_condition, pool_conditions
from config.core.roles import Role, has_role

from ..models import (
    Candidate,
    CommunityStatus,
    ConsentRecord,
    ContactTopic,
    Pool,
    PoolChange,
    PoolMembership,
    Source,
)
from .search import SearchParams, matching

RULE_KEYS = ("filters", "conditions", "match")
FILTER_NAMES = (
    "q",
    "skills",
    "skills_mode",
    "location",
    "country",
    "seniority",
    "min_years",
    "max_years",
    "tags",
    "source",
    "owner",
    "active_after",
    "active_before",
    "include_dnc",
    "include_archived",
)
MAX_RULE_CHARS = 4000


class RuleError(ValueError):
    """A rule that cannot be used: ``errors`` maps the field (``filters.skills``) to why."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _parse_community(value: Any) -> str:
    text = str(value).strip().lower()
    if text not in CommunityStatus.values:
        raise ValueError(f"{text[:30]!r} is not one of: {', '.join(CommunityStatus.values)}")
    return text


def _parse_topic(value: Any) -> str:
    text = str(value).strip().lower()
    topics = [t for t in ContactTopic.values if t != ContactTopic.ALL]
    if text not in topics:
        raise ValueError(f"{text[:30]!r} is not one of: {', '.join(topics)}")
    return text


def _parse_tags(value: Any) -> list[str]:
    from crm import normalize  # noqa: PLC0415 - keep the module's imports light

    items = value if isinstance(value, list) else str(value).split(",")
    tags = normalize.normalize_tags([str(v) for v in items if str(v).strip()])
    if not tags:
        raise ValueError("name at least one tag")
    if len(tags) > 20:
        raise ValueError("give at most 20 tags")
    return list(tags)


def _parse_sources(value: Any) -> list[str]:
    raw = value if isinstance(value, list) else str(value or "").split(",")
    sources = [str(item).strip().lower() for item in raw if str(item).strip()]
    unknown = [item for item in sources if item not in Source.values]
    if unknown or not sources:
        raise ValueError(f"give one or more of: {', '.join(Source.values)}")
    return sources


def _since(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


def _consent_granted(topic: str) -> QuerySet:
    """People whose newest ledger row for ``topic`` is a grant and who have not withdrawn all."""
    latest = ConsentRecord.objects.filter(candidate=OuterRef("pk"), topic=topic).order_by(
        "-at", "-id"
    )
    latest_all = ConsentRecord.objects.filter(candidate=OuterRef("pk"), topic="all").order_by(
        "-at", "-id"
    )
    return (
        Candidate.objects.annotate(
            granted=Subquery(latest.values("granted")[:1]),
            all_granted=Subquery(latest_all.values("granted")[:1]),
        )
        .filter(granted=True)
        .exclude(all_granted=False)
        .values("id")
    )


@dataclass(frozen=True)
class CrmCondition:
    label: str
    parse: Callable[[Any], Any]
    where: Callable[[Any], Q]
    help: str = ""


CRM_CONDITIONS: dict[str, CrmCondition] = {
    "tags_any": CrmCondition(
        "Has any of these tags",
        _parse_tags,
        lambda tags: Q(tags__overlap=tags),
        "comma separated",
    ),
    "source_any": CrmCondition(
        "Came to us from any of these sources",
        _parse_sources,
        lambda sources: Q(source__in=sources),
        ", ".join(Source.values),
    ),
    "community_status": CrmCondition(
        "Talent community status",
        _parse_community,
        lambda status: Q(community_status=status),
        "none, pending or confirmed",
    ),
    "consent_granted": CrmCondition(
        "Consent granted for topic",
        _parse_topic,
        lambda topic: Q(pk__in=_consent_granted(topic)),
        ", ".join(t for t in ContactTopic.values if t != ContactTopic.ALL),
    ),
    "active_within_days": CrmCondition(
        "Last activity within N days",
        parse_days,
        lambda days: Q(last_activity_at__gte=_since(days)),
        "a number of days",
    ),
    "inactive_for_days": CrmCondition(
        "No activity for N days",
        parse_days,
        lambda days: Q(last_activity_at__lt=_since(days)) | Q(last_activity_at__isnull=True),
        "a number of days",
    ),
}


@dataclass(frozen=True)
class ConditionInfo:
    name: str
    label: str
    help: str


def condition_choices() -> list[ConditionInfo]:
    """Every condition a rule may name (crm's and the registered ones), for forms and docs."""
    own = [ConditionInfo(n, c.label, c.help) for n, c in CRM_CONDITIONS.items()]
    return own + [ConditionInfo(c.name, c.label, c.help) for c in pool_conditions()]


@dataclass(frozen=True)
class PoolRule:
    """A validated rule (see the module's docstring)."""

    params: SearchParams = field(default_factory=SearchParams)
    filters: dict[str, str] = field(default_factory=dict)
    conditions: dict[str, Any] = field(default_factory=dict)
    match: str = "all"

    def as_json(self) -> dict[str, Any]:
        return {
            "filters": dict(self.filters),
            "conditions": dict(self.conditions),
            "match": self.match,
        }


def _filter_text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    if isinstance(value, str | int | float):
        return str(value)
    raise ValueError("must be text, a number or a list")


def rule_parse(raw: Any) -> PoolRule:
    """The validated rule, or RuleError naming each bad field."""
    if not isinstance(raw, dict):
        raise RuleError({"rule": "must be an object with filters, conditions and match"})
    errors: dict[str, str] = {}
    unknown = [k for k in raw if k not in RULE_KEYS]
    if unknown:
        errors[str(unknown[0])] = f"is not a rule field (use: {', '.join(RULE_KEYS)})"
    if len(str(raw)) > MAX_RULE_CHARS:
        errors["rule"] = f"is longer than {MAX_RULE_CHARS} characters"
    match = str(raw.get("match") or "all")
    if match not in ("all", "any"):
        errors["match"] = "must be 'all' or 'any'"
    filters, params = _parse_filters(raw.get("filters") or {}, errors)
    conditions = _parse_conditions(raw.get("conditions") or {}, errors)
    if errors:
        raise RuleError(errors)
    return PoolRule(params, filters, conditions, match)


def _parse_filters(raw: Any, errors: dict[str, str]) -> tuple[dict[str, str], SearchParams]:
    if not isinstance(raw, dict):
        errors["filters"] = "must be an object of search filters"
        return {}, SearchParams()
    texts: dict[str, str] = {}
    for name, value in raw.items():
        if name not in FILTER_NAMES:
            errors[f"filters.{name}"] = "is not a search filter"
            continue
        try:
            text = _filter_text(value).strip()
        except ValueError as exc:
            errors[f"filters.{name}"] = str(exc)
            continue
        if text:
            texts[name] = text
    if texts.get("owner") == "me":
        errors["filters.owner"] = "a pool's rule needs a user id, not 'me'"
    params, problems = SearchParams.from_query(texts)
    for name, message in problems.items():
        errors[f"filters.{name}"] = message
    return texts, params


def _parse_conditions(raw: Any, errors: dict[str, str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        errors["conditions"] = "must be an object of conditions"
        return {}
    parsed: dict[str, Any] = {}
    for name, value in raw.items():
        own = CRM_CONDITIONS.get(name)
        registered = pool_condition(name)
        parse = own.parse if own else registered.parse if registered else None
        if parse is None:
            known = ", ".join(c.name for c in condition_choices())
            errors[f"conditions.{name}"] = f"is not a condition (known: {known})"
            continue
        try:
            parsed[name] = parse(value)
        except ValueError as exc:
            errors[f"conditions.{name}"] = str(exc)
    return parsed


def _everyone() -> Any:
    """An unsaved administrator: the search's selector then restricts to nobody (every live
    person), which is what a pool's rule runs over."""
    return get_user_model()(is_superuser=True, is_active=True)


def rule_candidates(rule: PoolRule) -> QuerySet[Candidate]:
    """Everyone (not merged away) the rule selects; no order. One SQL statement as a subquery."""
    qs = matching(_everyone(), rule.params)
    if not rule.conditions:
        return qs
    parts = []
    for name, value in rule.conditions.items():
        own = CRM_CONDITIONS.get(name)
        if own is not None:
            parts.append(own.where(value))
            continue
        registered = pool_condition(name)
        if registered is None:  # a condition whose app is gone: select nobody
            parts.append(Q(pk__in=[]))
            continue
        parts.append(Q(pk__in=registered.ids(value)))
    combined = parts[0]
    for part in parts[1:]:
        combined = combined | part if rule.match == "any" else combined & part
    return qs.filter(combined)


# --------------------------------------------------------------------------- reading pools


def pools_for_user(user) -> QuerySet[Pool]:
    if not has_role(user, Role.RECRUITER):
        return Pool.objects.none()
    return Pool.objects.select_related("owner")


def pool_get_for_user(user, pk: int) -> Pool | None:
    return pools_for_user(user).filter(pk=pk).first()


def static_pools_for_user(user) -> QuerySet[Pool]:
    return pools_for_user(user).filter(kind=Pool.Kind.STATIC)


def pool_members(user, pool: Pool, params: SearchParams | None = None) -> QuerySet[Candidate]:
    """The pool's members that ``user`` may see, narrowed by the search's filters."""
    base = matching(user, params or SearchParams(include_dnc=True, include_archived=True))
    member_ids = PoolMembership.objects.filter(pool=pool).values("candidate_id")
    return base.filter(pk__in=member_ids)


def pool_candidates(pool: Pool) -> QuerySet[Candidate]:
    """Everyone in ``pool`` (no visibility rule: callers narrow to what their user may see),
    for ranking or counting within a pool (the Rediscover tab's pool filter)."""
    return Candidate.objects.filter(
        pk__in=PoolMembership.objects.filter(pool=pool).values("candidate_id")
    )


def pools_of_candidate(user, candidate: Candidate) -> list[Pool]:
    if not has_role(user, Role.RECRUITER):
        return []
    ids = PoolMembership.objects.filter(candidate=candidate).values("pool_id")
    return list(Pool.objects.filter(pk__in=ids))


def is_member(pool: Pool, candidate_id: int) -> bool:
    return PoolMembership.objects.filter(pool=pool, candidate_id=candidate_id).exists()


@dataclass(frozen=True)
class SizeOnDay:
    day: date
    size: int
    joined: int
    left: int


def pool_size_history(pool: Pool, days: int = 30) -> list[SizeOnDay]:
    """The pool's size at the end of each of the last ``days`` days, from its change log
    (two queries: the current size and the joins and leaves per day)."""
    today = timezone.localdate()
    start = today - timedelta(days=days - 1)
    size = PoolMembership.objects.filter(pool=pool).count()
    rows = (
        PoolChange.objects.filter(
            pool=pool, at__gte=timezone.make_aware(datetime.combine(start, datetime.min.time()))
        )
        .annotate(day=TruncDate("at"))
        .values("day", "action")
        .annotate(n=Count("id"))
    )
    per_day: dict[date, dict[str, int]] = {}
    for row in rows:
        per_day.setdefault(row["day"], {})[row["action"]] = row["n"]
    history: list[SizeOnDay] = []
    for offset in range(days):
        day = today - timedelta(days=offset)
        counts = per_day.get(day, {})
        joined, left = counts.get("joined", 0), counts.get("left", 0)
        history.append(SizeOnDay(day, max(size, 0), joined, left))
        size = size - joined + left
    history.reverse()
    return history


def pool_preview_count(rule: PoolRule) -> int:
    return rule_candidates(rule).count()


def dynamic_pools() -> QuerySet[Pool]:
    return Pool.objects.filter(kind=Pool.Kind.DYNAMIC)


def pool_members_page(
    user, pool: Pool, params: SearchParams | None, after: int | None, limit: int
) -> tuple[list[Candidate], int | None]:
    """One page of members, newest id first (keyset on id): the rows and the next page's
    ``after`` id (None on the last page)."""
    people = pool_members(user, pool, params)
    if after:
        people = people.filter(pk__lt=after)
    rows = list(people.order_by("-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].pk if more and rows else None)
