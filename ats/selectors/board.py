"""Reads of a job's board: the cards, the counts per column, and the names in a bulk report.
The board renders in a constant number of queries whatever the number of cards."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ..models import Application, Job
from .applications import applications_visible_to
from .jobs import User

CARD_FIELDS = (
    "id", "stage_id", "status", "source", "stage_entered_at", "silver_medalist",
    "candidate__id", "candidate__first_name", "candidate__last_name", "candidate__email",
    "candidate__current_title", "candidate__current_company", "candidate__tags",
)  # fmt: skip


def board_applications(user: User, job: Job, params: dict[str, Any]) -> QuerySet[Application]:
    """The cards' applications (active only unless ``closed``), narrowed by the filters; the
    longest waiting first. Starts from the user's visible applications."""
    apps = applications_visible_to(user).filter(job=job)
    if not params["closed"]:
        apps = apps.filter(status=Application.Status.ACTIVE)
    for term in params["q"].split()[:8]:
        apps = apps.filter(
            Q(candidate__first_name__icontains=term)
            | Q(candidate__last_name__icontains=term)
            | Q(candidate__current_title__icontains=term)
        )
    if params["source"]:
        apps = apps.filter(source=params["source"])
    if params["days"] is not None:
        apps = apps.filter(stage_entered_at__lte=timezone.now() - timedelta(days=params["days"]))
    return apps.select_related("candidate").only(*CARD_FIELDS).order_by("stage_entered_at", "id")


def stage_counts(job: Job) -> dict[int, int]:
    """Active applications per stage id."""
    rows = (
        Application.objects.filter(job=job, status=Application.Status.ACTIVE)
        .values("stage")
        .annotate(n=Count("id"))
    )
    return {row["stage"]: row["n"] for row in rows}


def application_names_on_job(job: Job, ids: list[int]) -> dict[int, str]:
    """Who the applications ``ids`` of this job are (others are left out: a bulk report never
    names another job's application)."""
    people = Application.objects.filter(job=job, pk__in=ids).select_related("candidate")
    return {app.pk: str(app.candidate) for app in people}
