"""ats's conditions for crm's dynamic talent pools (registered in ats/apps.py, see
:mod:`config.core.pool_conditions`): each returns the ids of the people it selects."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from config.core.pool_conditions import parse_days

from ..models import Application, StageChange, StageKind
from ..models.jobs import KIND_ORDER


def parse_stage_reached(value: Any) -> dict[str, Any]:
    """``"final"`` or ``{"kind": "final", "within_days": 365}``: reached that kind of stage (or a
    later one), optionally entered within the last N days."""
    raw = value if isinstance(value, dict) else {"kind": value}
    unknown = [k for k in raw if k not in ("kind", "within_days")]
    if unknown:
        raise ValueError(f"{str(unknown[0])[:30]!r} is not kind or within_days")
    kind = str(raw.get("kind", "")).strip().lower()
    if kind not in StageKind.values:
        raise ValueError(f"{kind[:30]!r} is not one of: {', '.join(StageKind.values)}")
    parsed: dict[str, Any] = {"kind": kind}
    if raw.get("within_days") not in (None, ""):
        parsed["within_days"] = parse_days(raw["within_days"])
    return parsed


def stage_reached(value: dict[str, Any]) -> QuerySet:
    """People with an application whose history entered a stage of ``kind`` or later."""
    later = [k for k, order in KIND_ORDER.items() if order >= KIND_ORDER[value["kind"]]]
    changes = StageChange.objects.filter(to_stage__kind__in=later)
    if "within_days" in value:
        changes = changes.filter(at__gte=timezone.now() - timedelta(days=value["within_days"]))
    return Application.objects.filter(pk__in=changes.values("application_id")).values(
        "candidate_id"
    )


def silver_medalists(value: bool) -> QuerySet:
    """Rejected after reaching the final round (or marked a silver medalist by hand)."""
    return Application.objects.filter(
        Q(silver_medalist=True) | Q(status=Application.Status.REJECTED, reached_final=True)
    ).values("candidate_id")


def hired(value: bool) -> QuerySet:
    return Application.objects.filter(status=Application.Status.HIRED).values("candidate_id")


def former_employees(value: bool) -> QuerySet:
    """Hired and later marked as having left the company (alumni)."""
    return Application.objects.filter(
        status=Application.Status.HIRED, left_company_on__isnull=False
    ).values("candidate_id")
