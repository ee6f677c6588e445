"""Writes of jobs: the job itself, its pipeline stages and its apply-form questions.
(Applications and their moves: :mod:`ats.services.applications`.)"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import nh3
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from markdown_it import MarkdownIt

from config.core.models import User as AuthUser
from config.core.roles import Role, has_role
from crm.types import actor_user

from ..models import (
    DEFAULT_PIPELINE,
    KIND_ORDER,
    Application,
    ApplicationQuestion,
    Job,
    Stage,
    StageChange,
    StageKind,
)
from ..selectors.jobs import User
from .applications import MoveRefused
from .plans import interview_plan_default

_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "a", "h2", "h3", "h4",
    "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


# --------------------------------------------------------------------------- jobs


def render_description(markdown: str) -> str:
    """Markdown → HTML limited to an allow-list of tags; links get rel=noopener nofollow."""
    html = _markdown.render(markdown or "")
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
    ).strip()


# Paths of the career site that a job's slug must not take (``careers`` in ats/urls.py).
RESERVED_SLUGS = frozenset(
    {"privacy", "feeds", "sitemap", "apply", "applied", "api", "schedule", "offer", "join"}
)


def _unique_slug(title: str, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:200] or "job"
    if base in RESERVED_SLUGS:
        base = f"{base}-job"
    slug, n = base, 1
    taken = Job.objects.all() if exclude_pk is None else Job.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _next_reference() -> str:
    last = Job.objects.filter(reference__regex=r"^REQ-[0-9]+$").aggregate(m=Max("id"))["m"] or 0
    n = last + 1
    while Job.objects.filter(reference=f"REQ-{n:04d}").exists():
        n += 1
    return f"REQ-{n:04d}"


JOB_FIELDS = (
    "title", "department", "remote_policy", "remote_countries", "employment_type", "description",
    "salary_min", "salary_max", "salary_currency", "salary_period", "openings", "valid_through",
    "hiring_manager", "recruiter", "published", "manager_can_bulk", "required_skills",
    "nice_skills", "seniority", "min_years",
)  # fmt: skip


def _apply_status(job: Job, status: str, now: datetime) -> None:
    if status == Job.Status.OPEN and job.opened_at is None:
        job.opened_at = now
    if status == Job.Status.CLOSED:
        job.closed_at = job.closed_at or now
    elif job.closed_at is not None:
        job.closed_at = None  # reopened
    job.status = status


@transaction.atomic
def job_create(
    *,
    actor: User | None,
    data: dict[str, Any],
    locations: list[dict[str, Any]] | None = None,
    panel: Iterable[AuthUser] | None = None,
) -> Job:
    """A new job with the default pipeline (Applied, Screen, Interview, Final round, Offer,
    Hired); ``data`` holds the model fields by name (see ``JOB_FIELDS``) and may hold
    ``status``, ``slug`` and ``reference``."""
    job = Job(**{k: v for k, v in data.items() if k in JOB_FIELDS})
    job.slug = data.get("slug") or _unique_slug(job.title)
    job.reference = data.get("reference") or _next_reference()
    job.description_html = render_description(job.description)
    if job.recruiter is None and has_role(actor, Role.RECRUITER):
        job.recruiter = actor_user(actor)  # has_role: signed in
    now = timezone.now()
    _apply_status(job, data.get("status") or Job.Status.DRAFT, now)
    job.published_at = now if job.published else None
    job.save()
    Stage.objects.bulk_create(
        Stage(job=job, name=name, kind=kind, position=index, manager_review=review)
        for index, (name, kind, review) in enumerate(DEFAULT_PIPELINE)
    )
    interview_plan_default(job=job)
    if locations:
        job_set_locations(job=job, locations=locations)
    if panel is not None:
        job.panel.set(panel)
    return job


@transaction.atomic
def job_update(
    *,
    job: Job,
    actor: User | None,
    data: dict[str, Any],
    locations: list[dict[str, Any]] | None = None,
    panel: Iterable[AuthUser] | None = None,
) -> Job:
    """Change the fields ``data`` names (see ``JOB_FIELDS``; ``status`` opens, holds or closes);
    ``locations`` and ``panel``, when given, replace the job's lists."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    was_published = job.published
    for name in JOB_FIELDS:
        if name in data:
            setattr(job, name, data[name])
    job.description_html = render_description(job.description)
    now = timezone.now()
    if data.get("status"):
        _apply_status(job, data["status"], now)
    if job.published and not was_published:
        job.published_at = now
    job.save()
    if locations is not None:
        job_set_locations(job=job, locations=locations)
    if panel is not None:
        job.panel.set(panel)
    return job


@transaction.atomic
def job_set_status(*, job: Job, status: str, actor: User | None) -> Job:
    """Open, hold or close a job (dates kept: opened once, closed when closed)."""
    if status not in Job.Status.values:
        raise MoveRefused(f"Unknown job status {status!r}.")
    job = Job.objects.select_for_update().get(pk=job.pk)
    _apply_status(job, status, timezone.now())
    job.save(update_fields=["status", "opened_at", "closed_at", "updated_at"])
    return job


def job_set_locations(*, job: Job, locations: list[dict[str, Any]]) -> None:
    """Replace the job's places with ``locations`` (rows without a city are skipped)."""
    job.locations.all().delete()
    keep = ("city", "region", "country", "postal_code")
    job.locations.bulk_create(
        job.locations.model(job=job, **{k: (loc.get(k) or "").strip() for k in keep})
        for loc in locations
        if (loc.get("city") or "").strip()
    )


# --------------------------------------------------------------------------- pipeline editing


@transaction.atomic
def stage_add(*, job: Job, name: str, kind: str, manager_review: bool = False) -> Stage:
    """A new stage placed before the first stage of a later kind (so kinds stay in order)."""
    name = name.strip()
    if not name:
        raise MoveRefused("A stage needs a name.")
    if kind not in StageKind.values:
        raise MoveRefused(f"Unknown stage kind {kind!r}.")
    stages = list(Stage.objects.select_for_update().filter(job=job).order_by("position", "id"))
    if any(s.name.lower() == name.lower() for s in stages):
        raise MoveRefused(f"This job already has a stage called “{name}”.")
    index = next((i for i, s in enumerate(stages) if KIND_ORDER[s.kind] > KIND_ORDER[kind]), None)
    index = len(stages) if index is None else index
    stage = Stage(job=job, name=name, kind=kind, position=index, manager_review=manager_review)
    stages.insert(index, stage)
    stage.save()
    _renumber(stages)
    return stage


@transaction.atomic
def stage_update(*, stage: Stage, name: str, manager_review: bool) -> Stage:
    """Rename a stage and set whether the hiring manager reviews it (names stay unique)."""
    name = name.strip()
    if not name:
        raise MoveRefused("A stage needs a name.")
    if Stage.objects.filter(job=stage.job_id, name__iexact=name).exclude(pk=stage.pk).exists():
        raise MoveRefused(f"This job already has a stage called “{name}”.")
    stage.name, stage.manager_review = name, manager_review
    stage.save(update_fields=["name", "manager_review"])
    return stage


@transaction.atomic
def stage_move(*, stage: Stage, offset: int) -> None:
    """Move a stage up (-1) or down (+1) among the stages of the same kind."""
    stages = list(Stage.objects.select_for_update().filter(job=stage.job_id))
    index = next(i for i, s in enumerate(stages) if s.pk == stage.pk)
    target = index + offset
    if not 0 <= target < len(stages) or stages[target].kind != stage.kind:
        raise MoveRefused("A stage stays among the stages of its kind.")
    stages[index], stages[target] = stages[target], stages[index]
    _renumber(stages)


@transaction.atomic
def stage_delete(*, stage: Stage) -> None:
    """Only an empty stage that is not the job's last of the applied kind can go."""
    if (
        Application.objects.filter(stage=stage).exists()
        or StageChange.objects.filter(to_stage=stage).exists()
    ):
        raise MoveRefused(f"“{stage.name}” has applications or history; it cannot be deleted.")
    siblings = Stage.objects.filter(job=stage.job_id).exclude(pk=stage.pk)
    if (
        stage.kind in (StageKind.APPLIED, StageKind.HIRED)
        and not siblings.filter(kind=stage.kind).exists()
    ):
        raise MoveRefused(f"A pipeline needs a stage of kind “{stage.get_kind_display()}”.")
    stage.delete()
    _renumber(list(siblings))


def _renumber(stages: list[Stage]) -> None:
    for index, stage in enumerate(stages):
        if stage.position != index:
            stage.position = index
            Stage.objects.filter(pk=stage.pk).update(position=index)


@transaction.atomic
def job_delete(*, job: Job) -> bool:
    """Delete a job nobody has applied to; False when it has applications (close it instead).
    The row lock makes a concurrent application wait, then fail on the missing job."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if Application.objects.filter(job=job).exists():
        return False
    job.delete()
    return True


# --------------------------------------------------------------------------- questions


@transaction.atomic
def question_add(
    *, job: Job, label: str, kind: str, choices: list[str], required: bool
) -> ApplicationQuestion:
    """A new question at the end of the job's apply form."""
    label = label.strip()
    if not label:
        raise MoveRefused("A question needs its text.")
    if kind not in ApplicationQuestion.Kind.values:
        raise MoveRefused(f"Unknown answer kind {kind!r}.")
    if kind == ApplicationQuestion.Kind.CHOICE and len(choices) < 2:
        raise MoveRefused("A choice question needs at least two options.")
    last = job.questions.aggregate(m=Max("position"))["m"]
    return ApplicationQuestion.objects.create(
        job=job,
        label=label,
        kind=kind,
        choices=choices if kind == ApplicationQuestion.Kind.CHOICE else [],
        required=required,
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def question_move(*, question: ApplicationQuestion, offset: int) -> None:
    """Move a question up (-1) or down (+1) on the apply form."""
    rows = list(ApplicationQuestion.objects.select_for_update().filter(job=question.job_id))
    index = next(i for i, q in enumerate(rows) if q.pk == question.pk)
    target = index + offset
    if not 0 <= target < len(rows):
        raise MoveRefused("The question is already at that end.")
    rows[index], rows[target] = rows[target], rows[index]
    for position, row in enumerate(rows):
        ApplicationQuestion.objects.filter(pk=row.pk).update(position=position)


@transaction.atomic
def question_delete(*, question: ApplicationQuestion) -> None:
    """Answers already given keep their own copy of the question's text (Application.answers)."""
    question.delete()
