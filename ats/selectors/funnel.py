"""A job's funnel: conversion and time in stage, read from the stage history."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Job, Stage, StageChange
from .jobs import job_stages


@dataclass
class FunnelRow:
    """One stage of a job's funnel: how many applications ever reached it (or a later stage),
    the share of those that went further, and the median days spent in it."""

    stage: Stage
    reached: int
    conversion: float | None  # share of ``reached`` that reached the next stage
    median_days: float | None


def job_funnel(job: Job) -> list[FunnelRow]:
    """Conversion and time in stage from the stage history, in two queries. An application that
    skipped a stage (Applied straight to Interview) counts as having passed it."""
    stages = job_stages(job)
    position = {stage.pk: index for index, stage in enumerate(stages)}
    furthest: dict[int, int] = {}
    spent: dict[int, list[float]] = {stage.pk: [] for stage in stages}
    rows = (
        StageChange.objects.filter(application__job=job)
        .order_by("application_id", "at", "id")
        .values_list("application_id", "to_stage_id", "at")
    )
    previous = None
    for app_id, stage_id, at in rows:
        index = position.get(stage_id, 0)
        furthest[app_id] = max(furthest.get(app_id, 0), index)
        if previous and previous[0] == app_id and previous[1] != stage_id:
            spent[previous[1]].append((at - previous[2]).total_seconds() / 86400)
        if not previous or previous[0] != app_id or previous[1] != stage_id:
            previous = (app_id, stage_id, at)
    reached = [sum(1 for f in furthest.values() if f >= i) for i in range(len(stages))]
    funnel = []
    for index, stage in enumerate(stages):
        nxt = reached[index + 1] if index + 1 < len(stages) else None
        conversion = nxt / reached[index] if nxt is not None and reached[index] else None
        days = sorted(spent[stage.pk])
        median = round(days[len(days) // 2], 1) if days else None
        funnel.append(FunnelRow(stage, reached[index], conversion, median))
    return funnel
