"""Reads of the ATS. Every read a user can trigger starts from a ``*_visible_to`` selector."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from config.core.roles import Role, has_role

from .models import Application, Job, RejectionReason, Stage, StageChange


def jobs_visible_to(user) -> QuerySet[Job]:
    """Recruiters see every job; a hiring manager the jobs they manage; an interviewer the jobs
    whose panel they sit on; nobody else any."""
    jobs = Job.objects.all()
    if has_role(user, Role.RECRUITER):
        return jobs
    scope = Q(pk__in=[])
    if has_role(user, Role.HIRING_MANAGER):
        scope |= Q(hiring_manager=user)
    if has_role(user, Role.INTERVIEWER):
        scope |= Q(panel=user)
    return jobs.filter(scope).distinct()


def job_get_for_user(user, pk: int) -> Job | None:
    return jobs_visible_to(user).filter(pk=pk).first()


def applications_visible_to(user) -> QuerySet[Application]:
    """Applications on the jobs the user may see (hiring managers: only their jobs')."""
    apps = Application.objects.all()
    if has_role(user, Role.RECRUITER):
        return apps
    return apps.filter(job__in=jobs_visible_to(user).values("pk"))


def application_get_for_user(user, pk: int) -> Application | None:
    return (
        applications_visible_to(user)
        .select_related("job", "stage", "candidate", "rejection_reason")
        .filter(pk=pk)
        .first()
    )


def active_application(*, candidate, job: Job) -> Application | None:
    """The candidate's active application to ``job``, if any (at most one: a constraint)."""
    return Application.objects.filter(
        candidate=candidate, job=job, status=Application.Status.ACTIVE
    ).first()


def job_stages(job: Job) -> list[Stage]:
    return list(job.stages.order_by("position", "id"))


def stage_counts(job: Job) -> dict[int, int]:
    """Active applications per stage id."""
    rows = (
        Application.objects.filter(job=job, status=Application.Status.ACTIVE)
        .values("stage")
        .annotate(n=Count("id"))
    )
    return {row["stage"]: row["n"] for row in rows}


def rejection_reasons() -> list[RejectionReason]:
    return list(RejectionReason.objects.filter(active=True))


def manager_inbox(user) -> QuerySet[Application]:
    """Active applications on the user's jobs sitting in a stage the hiring manager reviews,
    not yet reviewed since they entered it (oldest first)."""
    return (
        Application.objects.filter(
            job__hiring_manager=user,
            status=Application.Status.ACTIVE,
            stage__manager_review=True,
        )
        .filter(
            Q(manager_reviewed_at__isnull=True) | Q(manager_reviewed_at__lt=F("stage_entered_at"))
        )
        .select_related("candidate", "job", "stage")
        .order_by("stage_entered_at", "id")
    )


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


def candidate_ids_managed_by(user) -> QuerySet:
    """Scope for hiring managers: the people with an application on a job they manage."""
    return Application.objects.filter(job__hiring_manager=user).values("candidate_id")


def candidate_ids_on_panel_of(user) -> QuerySet:
    """Scope for interviewers: the people with an application on a job whose panel they sit on."""
    return Application.objects.filter(job__panel=user).values("candidate_id")
