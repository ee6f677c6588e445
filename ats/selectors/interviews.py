"""Reads of interviews: who may see which (recruiters and administrators all; a hiring manager
those on the jobs they manage; an interviewer those they are on), one interview with what its
page shows, an application's interviews, and the conflicts of a set of people in a time range."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from config.core.models import User as AuthUser
from config.core.roles import Role, has_role

from ..models import Application, Interview, InterviewChange, InterviewType, Job, Stage
from .jobs import User, can_move

# --------------------------------------------------------------------------- permissions


def can_schedule(user: User, application: Application) -> bool:
    """Recruiters schedule, move and cancel any interview; a hiring manager those on the jobs
    they manage (the same rule as moving an application)."""
    return can_move(user, application.job)


def can_see_contact(user: User) -> bool:
    """Interviewers see the candidate's name, not their contact details."""
    return has_role(user, Role.RECRUITER, Role.HIRING_MANAGER)


# --------------------------------------------------------------------------- interviews


def interviews_visible_to(user: User) -> QuerySet[Interview]:
    """Recruiters (and administrators) see every interview; a hiring manager those on the jobs
    they manage; an interviewer those they are on; nobody else any."""
    interviews = Interview.objects.all()
    if has_role(user, Role.RECRUITER):
        return interviews
    scope = Q(pk__in=[])
    if has_role(user, Role.HIRING_MANAGER):
        scope |= Q(application__job__hiring_manager=user)
    if has_role(user, Role.INTERVIEWER):
        scope |= Q(
            pk__in=Interview.interviewers.through.objects.filter(
                user_id=int(getattr(user, "pk", 0) or 0)
            ).values("interview_id")
        )
    return interviews.filter(scope)


def _history() -> QuerySet[InterviewChange]:
    return InterviewChange.objects.select_related("actor").order_by("at", "id")


def interview_get_for_user(user: User, pk: int) -> Interview | None:
    """One interview the user may see, with its application, person, job, type, interviewers
    and history; or None."""
    return (
        interviews_visible_to(user)
        .select_related(
            "application__candidate",
            "application__job__hiring_manager",
            "application__job__recruiter",
            "application__stage",
            "interview_type",
            "created_by",
        )
        .prefetch_related(
            Prefetch("interviewers", queryset=AuthUser.objects.order_by("first_name", "username")),
            Prefetch("history", queryset=_history()),
        )
        .filter(pk=pk)
        .first()
    )


def interviews_of_application(user: User, application: Application) -> list[Interview]:
    """The application's interviews the user may see, by start, with their interviewers."""
    return list(
        interviews_visible_to(user)
        .filter(application=application)
        .select_related("interview_type")
        .prefetch_related(
            Prefetch("interviewers", queryset=AuthUser.objects.order_by("first_name", "username"))
        )
        .order_by("starts_at", "id")
    )


def interviews_for_api(user: User) -> QuerySet[Interview]:
    """The user's interviews with what the API's output shows."""
    return (
        interviews_visible_to(user)
        .select_related("application__candidate", "application__job", "interview_type")
        .prefetch_related(Prefetch("interviewers", queryset=AuthUser.objects.order_by("pk")))
    )


def interview_types_of_job(job_id: int) -> list[InterviewType]:
    """A job's interview plan, in stage order, with each type's stage."""
    return list(InterviewType.objects.filter(job_id=job_id).select_related("stage"))


def interview_conflicts(
    *,
    users: Iterable[AuthUser],
    starts_at: datetime,
    ends_at: datetime,
    exclude: Interview | None = None,
) -> list[tuple[AuthUser, Interview]]:
    """Each (person, other scheduled interview) where one of ``users`` is already booked in an
    interview overlapping [starts_at, ends_at) (touching ends do not overlap), by start."""
    ids = [user.pk for user in users]
    if not ids:
        return []
    rows = (
        Interview.interviewers.through.objects.filter(
            user_id__in=ids,
            interview__status=Interview.Status.SCHEDULED,
            interview__starts_at__lt=ends_at,
            interview__ends_at__gt=starts_at,
        )
        .select_related("user", "interview__application__candidate", "interview__application__job")
        .order_by("interview__starts_at", "user_id")
    )
    if exclude is not None and exclude.pk:
        rows = rows.exclude(interview_id=exclude.pk)
    return [(row.user, row.interview) for row in rows]


def interviewer_choices(job: Job) -> QuerySet[AuthUser]:
    """Active users holding a role, the job's panel first (then by name): who may interview."""
    on_panel = Job.panel.through.objects.filter(job_id=job.pk, user_id=OuterRef("pk"))
    return (
        AuthUser.objects.filter(is_active=True)
        .filter(Q(groups__name__in=Role.ALL) | Q(is_superuser=True))
        .distinct()
        .annotate(on_panel=Exists(on_panel))
        .order_by("-on_panel", "first_name", "last_name", "username")
    )


def interview_type_choices(job: Job) -> QuerySet[InterviewType]:
    """A job's interview types, for a picker."""
    return InterviewType.objects.filter(job_id=job.pk).select_related("stage")


def interview_type_get(job: Job, pk: int) -> InterviewType | None:
    """One interview type of the job, or None."""
    return InterviewType.objects.filter(job_id=job.pk, pk=pk).select_related("stage").first()


def stage_choices(job: Job) -> QuerySet[Stage]:
    """A job's stages in pipeline order, for a picker."""
    return Stage.objects.filter(job_id=job.pk).order_by("position", "id")


def application_for_scheduling(user: User, pk: int) -> Application | None:
    """An application the user may schedule interviews for (recruiters: any; a hiring manager:
    those on their jobs), with its person and job; or None (the access decorator's loader)."""
    application = (
        Application.objects.select_related("candidate", "job", "stage").filter(pk=pk).first()
    )
    if application is None or not can_schedule(user, application):
        return None
    return application


def interview_get_for_api(user: User, pk: int) -> Interview | None:
    """One interview the user may see, with what the API's output shows; or None."""
    return interviews_for_api(user).filter(pk=pk).first()


def interviews_search_for_api(user: User, filters: dict[str, Any]) -> QuerySet[Interview]:
    """The user's interviews narrowed by ``filters`` (already validated): ``application``,
    ``status``, ``starts_after``, ``starts_before``, ``interviewer``."""
    interviews = interviews_for_api(user)
    if filters.get("application"):
        interviews = interviews.filter(application_id=filters["application"])
    if filters.get("status"):
        interviews = interviews.filter(status=filters["status"])
    if filters.get("starts_after"):
        interviews = interviews.filter(starts_at__gte=filters["starts_after"])
    if filters.get("starts_before"):
        interviews = interviews.filter(starts_at__lt=filters["starts_before"])
    if filters.get("interviewer"):
        interviews = interviews.filter(
            pk__in=Interview.interviewers.through.objects.filter(
                user_id=filters["interviewer"]
            ).values("interview_id")
        )
    return interviews
