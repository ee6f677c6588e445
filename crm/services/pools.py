"""Writes to talent pools: create and edit, static membership by hand, and the refresh that
keeps a dynamic pool's members equal to what its rule selects, logging each join and leave
(:class:`crm.models.PoolChange`) so the pool's growth can be charted."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from ..models import Candidate, Pool, PoolChange, PoolMembership
from ..selectors.pools import RuleError, dynamic_pools, rule_candidates, rule_parse
from ..types import Actor, actor_user

logger = logging.getLogger(__name__)

JOINED_RULE = "matched the rule"
LEFT_RULE = "no longer matches"
MAX_IDS = 1000


class PoolError(ValueError):
    """A pool operation refused: ``errors`` maps the field to why."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class RefreshResult:
    joined: int
    left: int


def _clean_fields(*, name: str, description: str, kind: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = " ".join(name.split())
    if not name:
        errors["name"] = "give the pool a name"
    elif len(name) > 120:
        errors["name"] = "is longer than 120 characters"
    if len(description) > 500:
        errors["description"] = "is longer than 500 characters"
    if kind not in Pool.Kind.values:
        errors["kind"] = f"must be one of: {', '.join(Pool.Kind.values)}"
    if errors:
        raise PoolError(errors)
    return {"name": name, "description": description.strip(), "kind": kind}


def _clean_rule(kind: str, rule: Any) -> dict[str, Any]:
    if kind != Pool.Kind.DYNAMIC:
        if rule:
            raise PoolError({"rule": "only a dynamic pool has a rule"})
        return {}
    try:
        return rule_parse(rule).as_json()
    except RuleError as exc:
        raise PoolError(exc.errors) from None


def _name_taken(name: str, pool: Pool | None = None) -> bool:
    others = Pool.objects.filter(name__iexact=name)
    if pool is not None:
        others = others.exclude(pk=pool.pk)
    return others.exists()


@transaction.atomic
def pool_create(
    *,
    name: str,
    description: str = "",
    kind: str,
    rule: Any = None,
    owner: Actor,
    built_in: str = "",
) -> Pool:
    """A new pool; a dynamic one is refreshed at once (on commit)."""
    clean = _clean_fields(name=name, description=description, kind=kind)
    clean_rule = _clean_rule(kind, rule)
    if _name_taken(clean["name"]):
        raise PoolError({"name": "another pool has this name"})
    pool = Pool.objects.create(**clean, rule=clean_rule, owner=actor_user(owner), built_in=built_in)
    if pool.is_dynamic:
        pool_refresh(pool=pool)
    return pool


@transaction.atomic
def pool_update(*, pool: Pool, name: str, description: str, rule: Any = None) -> Pool:
    """Rename, describe, and (dynamic pools) change the rule; the kind never changes."""
    clean = _clean_fields(name=name, description=description, kind=pool.kind)
    clean_rule = _clean_rule(pool.kind, rule)
    if _name_taken(clean["name"], pool):
        raise PoolError({"name": "another pool has this name"})
    pool = Pool.objects.select_for_update().get(pk=pool.pk)
    pool.name, pool.description, pool.rule = clean["name"], clean["description"], clean_rule
    pool.save(update_fields=["name", "description", "rule", "updated_at"])
    if pool.is_dynamic:
        pool_refresh(pool=pool)
    return pool


@transaction.atomic
def pool_delete(*, pool: Pool) -> None:
    Pool.objects.filter(pk=pool.pk).delete()


# --------------------------------------------------------------------------- static membership


def _static(pool: Pool) -> Pool:
    if pool.is_dynamic:
        raise PoolError(
            {"pool": f"{pool.name} is a dynamic pool: its members follow its rule; edit the rule"}
        )
    return pool


def _clean_ids(candidate_ids: Any) -> list[int]:
    if not isinstance(candidate_ids, list | tuple) or not candidate_ids:
        raise PoolError({"candidates": "give a list of candidate ids"})
    if len(candidate_ids) > MAX_IDS:
        raise PoolError({"candidates": f"give at most {MAX_IDS} ids at once"})
    ids: list[int] = []
    for value in candidate_ids:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise PoolError({"candidates": f"{str(value)[:20]!r} is not a candidate id"})
        text = str(value).strip()
        if not text.isdigit() or not 0 < int(text) < 2**63:
            raise PoolError({"candidates": f"{text[:20]!r} is not a candidate id"})
        ids.append(int(text))
    return list(dict.fromkeys(ids))


def _count(pool: Pool) -> None:
    Pool.objects.filter(pk=pool.pk).update(
        member_count=PoolMembership.objects.filter(pool=pool).count()
    )


@transaction.atomic
def pool_members_add(*, pool: Pool, candidate_ids: Any, actor: Actor, reason: str = "") -> int:
    """Add people to a static pool (unknown or merged-away ids are refused); returns how many
    joined (people already in it are skipped)."""
    _static(pool)
    ids = _clean_ids(candidate_ids)
    found = set(
        Candidate.objects.filter(pk__in=ids, merged_into__isnull=True).values_list("pk", flat=True)
    )
    missing = [i for i in ids if i not in found]
    if missing:
        raise PoolError({"candidates": f"no candidate with id {missing[0]}"})
    Pool.objects.select_for_update().filter(pk=pool.pk).first()
    present = set(
        PoolMembership.objects.filter(pool=pool, candidate_id__in=ids).values_list(
            "candidate_id", flat=True
        )
    )
    new = [i for i in ids if i not in present]
    now = timezone.now()
    who = getattr(actor_user(actor), "display_name", "") or "the API"
    why = reason or f"added by {who}"
    PoolMembership.objects.bulk_create(
        [PoolMembership(pool=pool, candidate_id=i, joined_at=now) for i in new]
    )
    PoolChange.objects.bulk_create(
        [
            PoolChange(pool=pool, candidate_id=i, action="joined", reason=why[:200], at=now)
            for i in new
        ]
    )
    _count(pool)
    return len(new)


@transaction.atomic
def pool_members_remove(*, pool: Pool, candidate_ids: Any, actor: Actor) -> int:
    """Remove people from a static pool; returns how many left."""
    _static(pool)
    ids = _clean_ids(candidate_ids)
    Pool.objects.select_for_update().filter(pk=pool.pk).first()
    gone = list(
        PoolMembership.objects.filter(pool=pool, candidate_id__in=ids).values_list(
            "candidate_id", flat=True
        )
    )
    PoolMembership.objects.filter(pool=pool, candidate_id__in=gone).delete()
    now = timezone.now()
    who = getattr(actor_user(actor), "display_name", "") or "the API"
    PoolChange.objects.bulk_create(
        [
            PoolChange(
                pool=pool, candidate_id=i, action="left", reason=f"removed by {who}"[:200], at=now
            )
            for i in gone
        ]
    )
    _count(pool)
    return len(gone)


# --------------------------------------------------------------------------- dynamic refresh

_JOIN_SQL = """
WITH wanted AS ({wanted}),
joined AS (
    INSERT INTO crm_poolmembership (pool_id, candidate_id, joined_at)
    SELECT %s, wanted.id, %s FROM wanted
    WHERE NOT EXISTS (
        SELECT 1 FROM crm_poolmembership m WHERE m.pool_id = %s AND m.candidate_id = wanted.id
    )
    ON CONFLICT (pool_id, candidate_id) DO NOTHING
    RETURNING candidate_id
)
INSERT INTO crm_poolchange (pool_id, candidate_id, action, reason, at)
SELECT %s, candidate_id, 'joined', %s, %s FROM joined
"""

_LEAVE_SQL = """
WITH wanted AS ({wanted}),
gone AS (
    DELETE FROM crm_poolmembership m
    WHERE m.pool_id = %s AND NOT EXISTS (SELECT 1 FROM wanted WHERE wanted.id = m.candidate_id)
    RETURNING candidate_id
)
INSERT INTO crm_poolchange (pool_id, candidate_id, action, reason, at)
SELECT %s, candidate_id, 'left', %s, %s FROM gone
"""


def _wanted_sql(pool: Pool, only: int | None = None) -> tuple[str, tuple]:
    try:
        rule = rule_parse(pool.rule)
    except RuleError as exc:  # e.g. a condition whose app was removed since the rule was saved
        raise PoolError({"rule": f"{pool.name}: {exc}"}) from None
    qs = rule_candidates(rule)
    if only is not None:
        qs = qs.filter(pk=only)
    query = qs.values("id").query
    sql, params = query.get_compiler(connection=connection).as_sql()
    return sql, tuple(params)


@transaction.atomic
def pool_refresh(*, pool: Pool) -> RefreshResult:
    """Make a dynamic pool's members what its rule selects now: one statement adds the joiners
    (with their PoolChange rows), one removes the leavers (likewise). Running it again changes
    nothing. The pool row is locked so two refreshes of one pool take turns."""
    pool = Pool.objects.select_for_update().get(pk=pool.pk)
    if not pool.is_dynamic:
        raise PoolError({"pool": f"{pool.name} is a static pool: it has no rule to refresh"})
    now = timezone.now()
    wanted, params = _wanted_sql(pool)
    with connection.cursor() as cursor:
        cursor.execute(
            _JOIN_SQL.format(wanted=wanted),
            (*params, pool.pk, now, pool.pk, pool.pk, JOINED_RULE, now),
        )
        joined = cursor.rowcount
        cursor.execute(
            _LEAVE_SQL.format(wanted=wanted), (*params, pool.pk, pool.pk, LEFT_RULE, now)
        )
        left = cursor.rowcount
    Pool.objects.filter(pk=pool.pk).update(
        last_refreshed_at=now, member_count=PoolMembership.objects.filter(pool=pool).count()
    )
    return RefreshResult(joined, left)


def pools_refresh_all() -> dict[str, RefreshResult]:
    """Refresh every dynamic pool, each in its own transaction (the beat's full refresh); a
    pool whose stored rule no longer parses is logged and skipped, not the whole run."""
    results: dict[str, RefreshResult] = {}
    for pool in dynamic_pools():
        try:
            results[pool.name] = pool_refresh(pool=pool)
        except PoolError as exc:
            logger.warning("pool %s not refreshed: %s", pool.pk, exc)
    return results


@transaction.atomic
def pools_refresh_for_candidate(*, candidate_id: int) -> RefreshResult:
    """Re-check one person against every dynamic pool (after an edit or a tag): join the pools
    that now select them, leave those that no longer do."""
    joined = left = 0
    now = timezone.now()
    for pool in dynamic_pools().select_for_update():
        try:
            wanted = rule_candidates(rule_parse(pool.rule)).filter(pk=candidate_id).exists()
        except RuleError:
            continue
        member = PoolMembership.objects.filter(pool=pool, candidate_id=candidate_id)
        if wanted and not member.exists():
            PoolMembership.objects.create(pool=pool, candidate_id=candidate_id, joined_at=now)
            PoolChange.objects.create(
                pool=pool, candidate_id=candidate_id, action="joined", reason=JOINED_RULE, at=now
            )
            joined += 1
        elif not wanted and member.exists():
            member.delete()
            PoolChange.objects.create(
                pool=pool, candidate_id=candidate_id, action="left", reason=LEFT_RULE, at=now
            )
            left += 1
        else:
            continue
        _count(pool)
    return RefreshResult(joined, left)


def pools_refresh_queue(*, candidate_ids: list[int]) -> None:
    """Queue the incremental refresh of these people once the surrounding transaction commits."""
    from ..tasks import refresh_pools_for_candidate  # noqa: PLC0415 - crm.tasks imports services

    for candidate_id in candidate_ids:
        transaction.on_commit(
            lambda cid=candidate_id: refresh_pools_for_candidate.delay(cid)  # type: ignore[misc]
        )
