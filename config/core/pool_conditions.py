"""Conditions a dynamic talent pool's rule may name that need the data of apps above crm.

crm owns pools, but "reached the final round" is ats's data and "opened a message in the last
90 days" is nurture's. Each of those apps registers its conditions in ``AppConfig.ready`` (as
ats registers candidate scopes, see :mod:`config.core.scopes`); crm's pool rules look them up
here by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class PoolCondition:
    """``parse(value)`` returns the value normalized or raises ValueError with a message;
    ``ids(value)`` (given a parsed value) returns a queryset of candidate ids (one column)."""

    name: str
    label: str
    parse: Callable[[Any], Any]
    ids: Callable[[Any], QuerySet]
    help: str = ""


_POOL_CONDITIONS: dict[str, PoolCondition] = {}


def register_pool_condition(
    name: str,
    provider: Callable[[Any], QuerySet],
    *,
    parse: Callable[[Any], Any],
    label: str,
    help: str = "",
) -> PoolCondition:
    """Register ``provider(value)`` under ``name``; registering the same name again replaces it."""
    condition = PoolCondition(name, label, parse, provider, help)
    _POOL_CONDITIONS[name] = condition
    return condition


def pool_condition(name: str) -> PoolCondition | None:
    return _POOL_CONDITIONS.get(name)


def pool_conditions() -> list[PoolCondition]:
    return sorted(_POOL_CONDITIONS.values(), key=lambda c: c.name)


def parse_days(value: Any) -> int:
    """A whole number of days from 1 to 3650 (the usual value of a 'within N days' condition)."""
    if isinstance(value, bool):
        raise ValueError("must be a whole number of days")
    try:
        days = int(str(value).strip())
    except ValueError:
        raise ValueError("must be a whole number of days") from None
    if not 1 <= days <= 3650:
        raise ValueError("must be between 1 and 3650 days")
    return days


def parse_true(value: Any) -> bool:
    """A yes/no condition: only 'true' is meaningful (a rule leaves a condition out instead)."""
    if value is True or str(value).strip().lower() in {"1", "true", "on", "yes"}:
        return True
    raise ValueError("must be true (leave the condition out otherwise)")
