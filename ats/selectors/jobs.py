"""Reads of jobs, and who may do what on them. Recruiters see every job; a hiring manager the
jobs they manage; an interviewer the jobs whose panel they sit on; nobody else any."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from config.core.roles import Role, has_role
from crm.selectors.search import skill_label
from crm.types import AnyUser

from ..models import Application, ApplicationQuestion, Job, JobLocation, Stage

# Whoever asks (``request.user``), as in crm.
User = AnyUser


# --------------------------------------------------------------------------- permissions


def can_manage_jobs(user: User) -> bool:
    """Recruiters create, edit, open and close jobs and edit their pipelines."""
    return has_role(user, Role.RECRUITER)


def can_move(user: User, job: Job) -> bool:
    """Recruiters move any application; a hiring manager moves those on the jobs they manage."""
    if has_role(user, Role.RECRUITER):
        return True
    return has_role(user, Role.HIRING_MANAGER) and job.hiring_manager_id == getattr(
        user, "pk", None
    )


def can_bulk(user: User, job: Job) -> bool:
    """The board's bulk bar (move or reject many at once): recruiters; the job's hiring manager
    only when the job grants it (``manager_can_bulk``)."""
    if has_role(user, Role.RECRUITER):
        return True
    return job.manager_can_bulk and can_move(user, job)


# --------------------------------------------------------------------------- jobs


def jobs_visible_to(user: User) -> QuerySet[Job]:
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


def job_get_for_user(user: User, pk: int) -> Job | None:
    """One job the user may see, or None (the access decorator's loader for the board)."""
    return jobs_visible_to(user).filter(pk=pk).first()


def job_get_for_recruiter(user: User, pk: int) -> Job | None:
    """One job for a recruiter's own pages (edit, status, setup), or None for anyone else (the
    access decorator's loader: the pages answer 404 either way)."""
    if not can_manage_jobs(user):
        return None
    return Job.objects.filter(pk=pk).first()


def jobs_for_list(user: User, *, statuses: Iterable[str], query: str = "") -> QuerySet[Job]:
    """The job list: the user's jobs in ``statuses`` with their active and new (last 7 days)
    application counts, newest opened first; ``query`` matches title, department or reference."""
    week_ago = timezone.now() - timedelta(days=7)
    active = Q(applications__status=Application.Status.ACTIVE)
    jobs = (
        jobs_visible_to(user)
        .filter(status__in=statuses)
        .select_related("hiring_manager", "recruiter")
        .prefetch_related(Prefetch("locations", queryset=JobLocation.objects.order_by("id")))
        .annotate(
            active_count=Count("applications", filter=active, distinct=True),
            new_count=Count(
                "applications",
                filter=active & Q(applications__applied_at__gte=week_ago),
                distinct=True,
            ),
        )
        .order_by("-opened_at", "title", "id")
    )
    if query:
        jobs = jobs.filter(
            Q(title__icontains=query) | Q(department__icontains=query) | Q(reference__iexact=query)
        )
    return jobs


def job_form_initial(job: Job) -> dict[str, Any]:
    """The job form's initial values for an existing job."""
    lines = [
        ", ".join(p for p in (loc.city, loc.region, loc.country, loc.postal_code) if p)
        for loc in job.locations.all()
    ]
    initial = {
        name: getattr(job, name)
        for name in (
            "title", "department", "employment_type", "remote_policy", "description",
            "salary_min", "salary_max", "salary_currency", "salary_period", "openings",
            "valid_through", "published", "manager_can_bulk",
        )
    }  # fmt: skip
    initial.update(
        required_skills=", ".join(skill_label(slug) for slug in job.required_skills),
        nice_skills=", ".join(skill_label(slug) for slug in job.nice_skills),
        seniority=job.seniority,
        min_years=job.min_years,
        remote_countries=", ".join(job.remote_countries),
        locations="\n".join(lines),
        hiring_manager=job.hiring_manager_id,
        recruiter=job.recruiter_id,
        panel=list(job.panel.values_list("pk", flat=True)),
    )
    return initial


def jobs_open_to_add(candidate: Any = None) -> QuerySet[Job]:
    """Jobs a recruiter may put the person forward for: not closed, and (given a candidate) not
    one they already have an active application to."""
    jobs = Job.objects.exclude(status=Job.Status.CLOSED).order_by("title", "id")
    if candidate is not None:
        active = Application.objects.filter(candidate=candidate, status="active")
        jobs = jobs.exclude(pk__in=active.values("job"))
    return jobs


# --------------------------------------------------------------------------- API reads


def jobs_for_api(user: User) -> QuerySet[Job]:
    """The user's jobs with everything the API's job output shows (fixed number of queries)."""
    return jobs_visible_to(user).prefetch_related("locations", "stages", "questions", "panel")


def job_get_for_api(user: User, pk: int) -> Job | None:
    return jobs_for_api(user).filter(pk=pk).first()


def jobs_search_for_api(user: User, filters: dict[str, Any]) -> QuerySet[Job]:
    """The API's job list narrowed by its checked filters (status, published, department, q)."""
    jobs = jobs_for_api(user)
    if filters.get("status"):
        jobs = jobs.filter(status=filters["status"])
    if "published" in filters:
        jobs = jobs.filter(published=filters["published"])
    if filters.get("department"):
        jobs = jobs.filter(department__iexact=filters["department"])
    for word in filters.get("q", "").split():
        jobs = jobs.filter(Q(title__icontains=word) | Q(reference__iexact=word))
    return jobs


# --------------------------------------------------------------------------- pipeline


def job_stages(job: Job) -> list[Stage]:
    return list(job.stages.order_by("position", "id"))


def job_stage_get(job: Job, stage_id: int) -> Stage | None:
    """A stage of ``job``'s pipeline, or None (another job's stage, or none at all)."""
    return Stage.objects.filter(pk=stage_id, job=job).first()


def job_stage_choices(job: Job) -> QuerySet[Stage]:
    """The stages of ``job`` for a form's choice field."""
    return job.stages.all()


def job_stages_with_counts(job: Job) -> list[Stage]:
    """The pipeline with each stage's active applications as ``n`` (the setup page)."""
    return list(
        Stage.objects.filter(job=job)
        .annotate(n=Count("applications", filter=Q(applications__status="active")))
        .order_by("position", "id")
    )


def job_questions(job: Job) -> list[ApplicationQuestion]:
    return list(job.questions.all())


def job_question_get(job: Job, question_id: int) -> ApplicationQuestion | None:
    return ApplicationQuestion.objects.filter(pk=question_id, job=job).first()
