"""Reads of applications: those a user may see, one with its history, the active one of a
person on a job, and the rejection reasons to pick from."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from config.core.roles import Role, has_role

from ..models import Application, Interview, Job, RejectionReason, Stage, StageChange
from .jobs import User, jobs_visible_to


def applications_visible_to(user: User) -> QuerySet[Application]:
    """Applications on the jobs the user may see (hiring managers: only their jobs')."""
    apps = Application.objects.all()
    if has_role(user, Role.RECRUITER):
        return apps
    return apps.filter(job__in=jobs_visible_to(user).values("pk"))


def application_get_for_user(user: User, pk: int) -> Application | None:
    """One application the user may see, with its job, stage, person and reason; or None."""
    return (
        applications_visible_to(user)
        .select_related("job", "stage", "candidate", "rejection_reason")
        .filter(pk=pk)
        .first()
    )


def active_application(*, candidate: Any, job: Job) -> Application | None:
    """The candidate's active application to ``job``, if any (at most one: a constraint)."""
    return Application.objects.filter(
        candidate=candidate, job=job, status=Application.Status.ACTIVE
    ).first()


def rejection_reasons() -> list[RejectionReason]:
    """The active rejection reasons, in their order."""
    return list(RejectionReason.objects.filter(active=True))


def rejection_reason_choices() -> QuerySet[RejectionReason]:
    """The active rejection reasons as a queryset, for form and serializer fields."""
    return RejectionReason.objects.filter(active=True)


def _history() -> QuerySet[StageChange]:
    return StageChange.objects.select_related("from_stage", "to_stage", "actor")


def candidate_applications(user: User, candidate: Any) -> list[Application]:
    """The person's applications the user may see, newest first, each with its history (oldest
    first) and its job's stages, in a fixed number of queries."""
    return list(
        applications_visible_to(user)
        .filter(candidate=candidate)
        .select_related("job", "stage", "rejection_reason", "referrer")
        .prefetch_related(
            Prefetch("history", queryset=_history().order_by("at", "id")),
            Prefetch("job__stages", queryset=Stage.objects.order_by("position", "id")),
            Prefetch("interviews", queryset=Interview.objects.order_by("starts_at", "id")),
        )
        .order_by("-applied_at", "-id")
    )


# --------------------------------------------------------------------------- API reads


def applications_for_api(user: User) -> QuerySet[Application]:
    """The user's applications with what the API's output shows."""
    return applications_visible_to(user).select_related(
        "candidate", "job", "stage", "rejection_reason"
    )


def applications_search_for_api(user: User, filters: dict[str, Any]) -> QuerySet[Application]:
    """The API's application list narrowed by its checked filters (job, stage, candidate,
    status, source)."""
    return applications_for_api(user).filter(**filters)


def application_get_for_api(user: User, pk: int) -> Application | None:
    return applications_for_api(user).filter(pk=pk).first()


def application_detail_for_api(user: User, pk: int) -> Application | None:
    """One application with its whole history, or None."""
    return (
        applications_for_api(user)
        .prefetch_related(Prefetch("history", queryset=_history()))
        .filter(pk=pk)
        .first()
    )
