"""Writes of the ATS: jobs and their pipelines, applications and every move they make.

Every HTML view, API view and task goes through these functions. Moves lock the application row
(``SELECT ... FOR UPDATE``) and read its current stage under the lock, so concurrent moves
serialize: the last valid one wins and each history row's ``from_stage`` is the stage the
application really was in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import nh3
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from markdown_it import MarkdownIt

from config.core.models import record_event
from config.core.roles import Role, has_role
from crm.models import Candidate, TimelineEntry
from crm.services import timeline_add

from .models import (
    DEFAULT_PIPELINE,
    KIND_ORDER,
    Application,
    Job,
    RejectionReason,
    Stage,
    StageChange,
    StageKind,
)

SILVER_MEDALIST_TAG = "silver medalist"

_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "a", "h2", "h3", "h4",
    "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


class MoveRefused(Exception):
    """A move, rejection or status change that may not happen; ``message`` is for a person."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class AlreadyApplied(Exception):
    """The candidate already has an active application to this job."""

    def __init__(self, application: Application):
        self.application = application
        super().__init__(f"already applied (application {application.pk})")


# --------------------------------------------------------------------------- permissions


def can_manage_jobs(user) -> bool:
    return has_role(user, Role.RECRUITER)


def can_move(user, job: Job) -> bool:
    """Recruiters move any application; a hiring manager moves those on the jobs they manage."""
    if has_role(user, Role.RECRUITER):
        return True
    return has_role(user, Role.HIRING_MANAGER) and job.hiring_manager_id == getattr(
        user, "pk", None
    )


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


def _unique_slug(title: str, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:200] or "job"
    slug, n = base, 1
    taken = Job.objects.exclude(pk=exclude_pk)
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
    "hiring_manager", "recruiter", "published",
)  # fmt: skip


def _apply_status(job: Job, status: str, now) -> None:
    if status == Job.Status.OPEN and job.opened_at is None:
        job.opened_at = now
    if status == Job.Status.CLOSED:
        job.closed_at = job.closed_at or now
    elif job.closed_at is not None:
        job.closed_at = None  # reopened
    job.status = status


@transaction.atomic
def job_create(*, actor, data: dict, locations: list[dict] | None = None, panel=None) -> Job:
    """A new job with the default pipeline (Applied, Screen, Interview, Final round, Offer,
    Hired); ``data`` holds the model fields by name (see ``JOB_FIELDS``) and may hold
    ``status``, ``slug`` and ``reference``."""
    job = Job(**{k: v for k, v in data.items() if k in JOB_FIELDS})
    job.slug = data.get("slug") or _unique_slug(job.title)
    job.reference = data.get("reference") or _next_reference()
    job.description_html = render_description(job.description)
    if job.recruiter is None and has_role(actor, Role.RECRUITER):
        job.recruiter = actor
    _apply_status(job, data.get("status") or Job.Status.DRAFT, timezone.now())
    job.save()
    Stage.objects.bulk_create(
        Stage(job=job, name=name, kind=kind, position=index, manager_review=review)
        for index, (name, kind, review) in enumerate(DEFAULT_PIPELINE)
    )
    if locations:
        job_set_locations(job=job, locations=locations)
    if panel is not None:
        job.panel.set(panel)
    return job


@transaction.atomic
def job_update(*, job: Job, actor, data: dict, locations=None, panel=None) -> Job:
    job = Job.objects.select_for_update().get(pk=job.pk)
    for name in JOB_FIELDS:
        if name in data:
            setattr(job, name, data[name])
    job.description_html = render_description(job.description)
    if data.get("status"):
        _apply_status(job, data["status"], timezone.now())
    job.save()
    if locations is not None:
        job_set_locations(job=job, locations=locations)
    if panel is not None:
        job.panel.set(panel)
    return job


@transaction.atomic
def job_set_status(*, job: Job, status: str, actor) -> Job:
    """Open, hold or close a job (dates kept: opened once, closed when closed)."""
    if status not in Job.Status.values:
        raise MoveRefused(f"Unknown job status {status!r}.")
    job = Job.objects.select_for_update().get(pk=job.pk)
    _apply_status(job, status, timezone.now())
    job.save(update_fields=["status", "opened_at", "closed_at", "updated_at"])
    return job


def job_set_locations(*, job: Job, locations: list[dict]) -> None:
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


# --------------------------------------------------------------------------- applications


def _history_row(app: Application, *, from_stage, from_status, actor, comment="", at) -> None:
    StageChange.objects.create(
        application=app,
        from_stage=from_stage,
        to_stage=app.stage,
        from_status=from_status,
        to_status=app.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        comment=comment[:1000],
        at=at,
    )


def _event(kind: str, app: Application, **payload) -> None:
    record_event(
        kind,
        subject_type="ats.application",
        subject_id=app.pk,
        payload={"candidate": app.candidate_id, "job": app.job_id, **payload},
    )


@transaction.atomic
def application_create(
    *,
    candidate: Candidate,
    job: Job,
    actor=None,
    source: str = Application.Source.SOURCED,
    source_detail: str = "",
    tracking: dict | None = None,
    referrer=None,
    cover_letter: str = "",
    answers: list | None = None,
    resume=None,
    privacy_notice_version: str = "",
    stage: Stage | None = None,
) -> Application:
    """Put a candidate into a job's pipeline (first stage unless ``stage``). Raises
    :class:`AlreadyApplied` when an active application to the job exists (the database
    constraint backs this under concurrency)."""
    if source not in Application.Source.values:
        raise MoveRefused(f"Unknown source {source!r}.")
    if job.status == Job.Status.CLOSED:
        raise MoveRefused("This job is closed.")
    if stage is None:
        stage = job.stages.order_by("position", "id").first()
    elif stage.job_id != job.pk:
        raise MoveRefused("That stage belongs to another job.")
    if stage is None:
        raise MoveRefused("This job has no pipeline stages.")
    existing = Application.objects.filter(candidate=candidate, job=job, status="active").first()
    if existing is not None:
        raise AlreadyApplied(existing)
    now = timezone.now()
    app = Application(
        candidate=candidate,
        job=job,
        stage=stage,
        source=source,
        source_detail=source_detail[:200],
        tracking=tracking or {},
        referrer=referrer,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        applied_at=now,
        stage_entered_at=now,
        reached_final=KIND_ORDER[stage.kind] >= KIND_ORDER[StageKind.FINAL],
        cover_letter=cover_letter,
        answers=answers or [],
        resume=resume,
        privacy_notice_version=privacy_notice_version,
        privacy_consent_at=now if privacy_notice_version else None,
    )
    try:
        with transaction.atomic():
            app.save()
    except IntegrityError:
        existing = Application.objects.filter(candidate=candidate, job=job, status="active").first()
        if existing is None:
            raise
        raise AlreadyApplied(existing) from None
    _history_row(app, from_stage=None, from_status="", actor=actor, at=now)
    how = app.get_source_display().lower()
    timeline_add(
        candidate=candidate,
        kind=TimelineEntry.Kind.APPLICATION,
        summary=f"Applied to {job.title} ({how})"
        if source == Application.Source.CAREER_PAGE
        else f"Added to {job.title} ({how})",
        actor=actor,
        data={"application": app.pk, "job": job.pk, "source": source},
        occurred_at=now,
    )
    _event("application.created", app, source=source)
    return app


def _locked(application: Application | int) -> Application:
    """Lock the row, then read its relations. The lock takes no join: under READ COMMITTED a
    row updated by a concurrent move is re-checked against the *old* joined stage row, would
    fail the join and vanish from the result."""
    pk = application if isinstance(application, int) else application.pk
    Application.objects.select_for_update().filter(pk=pk).values_list("pk").get()
    return Application.objects.select_related("job", "stage", "candidate").get(pk=pk)


def _reached_final_in_history(app: Application) -> bool:
    later = [k for k, i in KIND_ORDER.items() if i >= KIND_ORDER[StageKind.FINAL]]
    return (
        StageChange.objects.filter(application=app, to_stage__kind__in=later).exists()
        or KIND_ORDER[app.stage.kind] >= KIND_ORDER[StageKind.FINAL]
    )


@transaction.atomic
def application_move_stage(
    *, application: Application | int, stage: Stage | int, actor, comment: str = ""
) -> Application:
    """Move an active application to another stage of its own job. Moving into a stage of kind
    "hired" hires. Refused (nothing changes) for another job's stage, an application that is not
    active, or a user who may not move it."""
    app = _locked(application)
    stage_id = stage if isinstance(stage, int) else stage.pk
    target = Stage.objects.filter(pk=stage_id, job=app.job_id).first()
    if target is None:
        raise MoveRefused("That stage is not part of this job's pipeline.")
    if not can_move(actor, app.job):
        raise MoveRefused("You may not move candidates on this job.")
    if not app.is_active:
        raise MoveRefused(
            f"{app.candidate} is {app.get_status_display().lower()}; only active applications move."
        )
    if target.pk == app.stage_id:
        return app
    now = timezone.now()
    from_stage, from_status = app.stage, app.status
    app.stage, app.stage_entered_at = target, now
    if KIND_ORDER[target.kind] >= KIND_ORDER[StageKind.FINAL]:
        app.reached_final = True
    if target.kind == StageKind.HIRED:
        app.status, app.closed_at = Application.Status.HIRED, now
    app.save()
    _history_row(
        app, from_stage=from_stage, from_status=from_status, actor=actor, comment=comment, at=now
    )
    summary = f"{app.job.title}: {from_stage.name} → {target.name}"
    if app.status == Application.Status.HIRED:
        summary = f"Hired for {app.job.title}"
    timeline_add(
        candidate=app.candidate,
        kind=TimelineEntry.Kind.STAGE_CHANGE,
        summary=summary,
        body=comment,
        actor=actor,
        data={"application": app.pk, "from": from_stage.pk, "to": target.pk},
        occurred_at=now,
    )
    kind = "application.hired" if app.status == Application.Status.HIRED else "application.moved"
    _event(kind, app, from_stage=from_stage.pk, to_stage=target.pk, stage_kind=target.kind)
    return app


@transaction.atomic
def application_reject(
    *,
    application: Application | int,
    reason: RejectionReason | int,
    actor,
    send_email: bool = False,
    note: str = "",
) -> Application:
    """Reject an active application with a reason from the list. Rejected after reaching the
    final round (read from the history) makes a silver medalist: the application is flagged and
    the person tagged ``silver medalist`` for the CRM's segments. ``send_email`` queues the
    rejection email after commit."""
    app = _locked(application)
    reason_id = reason if isinstance(reason, int) else reason.pk
    reason_row = RejectionReason.objects.filter(pk=reason_id, active=True).first()
    if reason_row is None:
        raise MoveRefused("Pick a rejection reason from the list.")
    if not can_move(actor, app.job):
        raise MoveRefused("You may not reject candidates on this job.")
    if not app.is_active:
        raise MoveRefused(f"{app.candidate} is already {app.get_status_display().lower()}.")
    now = timezone.now()
    app.status, app.closed_at = Application.Status.REJECTED, now
    app.rejection_reason, app.rejection_note = reason_row, note[:500]
    app.reached_final = _reached_final_in_history(app)
    app.silver_medalist = app.reached_final
    app.save()
    _history_row(app, from_stage=app.stage, from_status="active", actor=actor, comment=note, at=now)
    if app.silver_medalist:
        _tag(app.candidate, SILVER_MEDALIST_TAG)
    timeline_add(
        candidate=app.candidate,
        kind=TimelineEntry.Kind.STAGE_CHANGE,
        summary=f"Rejected for {app.job.title} at {app.stage.name}: {reason_row.name}"
        + (" (silver medalist)" if app.silver_medalist else ""),
        body=note,
        actor=actor,
        data={"application": app.pk, "reason": reason_row.pk, "email": send_email},
        occurred_at=now,
    )
    _event("application.rejected", app, silver_medalist=app.silver_medalist)
    if send_email:
        rejection_email_queue(application=app)
    return app


@transaction.atomic
def application_withdraw(*, application: Application | int, actor, note: str = "") -> Application:
    app = _locked(application)
    if not can_move(actor, app.job):
        raise MoveRefused("You may not change applications on this job.")
    if not app.is_active:
        raise MoveRefused(f"{app.candidate} is already {app.get_status_display().lower()}.")
    now = timezone.now()
    app.status, app.closed_at = Application.Status.WITHDRAWN, now
    app.save()
    _history_row(app, from_stage=app.stage, from_status="active", actor=actor, comment=note, at=now)
    timeline_add(
        candidate=app.candidate,
        kind=TimelineEntry.Kind.STAGE_CHANGE,
        summary=f"Withdrew from {app.job.title}",
        body=note,
        actor=actor,
        data={"application": app.pk},
        occurred_at=now,
    )
    _event("application.withdrawn", app)
    return app


def _tag(candidate: Candidate, tag: str) -> None:
    row = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if tag not in row.tags:
        row.tags = [*row.tags, tag]
        row.save(update_fields=["tags", "updated_at"])
        candidate.tags = row.tags


def application_manager_review(
    *,
    application: Application | int,
    actor,
    decision: str,
    comment: str = "",
    reason: RejectionReason | int | None = None,
) -> Application:
    """A hiring manager's verdict from the inbox: ``advance`` moves to the next stage,
    ``reject`` rejects with ``reason``. Either way the application leaves the inbox."""
    with transaction.atomic():
        app = _locked(application)
        if decision == "advance":
            following = (
                Stage.objects.filter(job=app.job_id, position__gt=app.stage.position)
                .order_by("position", "id")
                .first()
            )
            if following is None:
                raise MoveRefused("This is the last stage of the pipeline.")
            app = application_move_stage(
                application=app.pk, stage=following.pk, actor=actor, comment=comment
            )
        elif decision == "reject":
            if reason is None:
                raise MoveRefused("Pick a rejection reason from the list.")
            app = application_reject(application=app.pk, reason=reason, actor=actor, note=comment)
        else:
            raise MoveRefused("Choose advance or reject.")
        Application.objects.filter(pk=app.pk).update(manager_reviewed_at=timezone.now())
        return app


# --------------------------------------------------------------------------- bulk


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        text = f"{len(self.done)} done"
        if self.refused:
            text += f", {len(self.refused)} refused"
        return text


def applications_bulk_move(*, application_ids: list[int], stage: Stage | int, actor) -> BulkResult:
    """Each application moves in its own transaction; refusals are collected, not fatal."""
    result = BulkResult()
    for pk in application_ids:
        try:
            application_move_stage(application=pk, stage=stage, actor=actor)
            result.done.append(pk)
        except (MoveRefused, Application.DoesNotExist) as exc:
            result.refused[pk] = getattr(exc, "message", "not found")
    return result


def applications_bulk_reject(
    *,
    application_ids: list[int],
    reason: RejectionReason | int,
    actor,
    send_email: bool = False,
    note: str = "",
) -> BulkResult:
    result = BulkResult()
    for pk in application_ids:
        try:
            application_reject(
                application=pk, reason=reason, actor=actor, send_email=send_email, note=note
            )
            result.done.append(pk)
        except (MoveRefused, Application.DoesNotExist) as exc:
            result.refused[pk] = getattr(exc, "message", "not found")
    return result


# --------------------------------------------------------------------------- email


def _send_after_commit(*, subject: str, template: str, context: dict, to: str) -> None:
    from config.core.tasks import send_email

    body = render_to_string(template, context)
    subject = re.sub(r"\s+", " ", subject).strip()
    transaction.on_commit(
        lambda: send_email.delay(subject=subject, body=body, to=[to]), robust=True
    )


def _company() -> str:
    return getattr(settings, "COMPANY_NAME", "Talentloop")


def rejection_email_queue(*, application: Application) -> bool:
    """Queue the candidate's rejection email (never names the internal reason). Returns False
    when there is no address or the person is marked do-not-contact."""
    candidate = application.candidate
    if not candidate.email or candidate.do_not_contact:
        return False
    context = {"candidate": candidate, "job": application.job, "company": _company()}
    _send_after_commit(
        subject=f"Your application for {application.job.title}",
        template="ats/email/rejection.txt",
        context=context,
        to=candidate.email,
    )
    timeline_add(
        candidate=candidate,
        kind=TimelineEntry.Kind.EMAIL_OUT,
        channel="email",
        summary=f"Rejection email queued: {application.job.title}",
        data={"application": application.pk},
    )
    return True


def confirmation_email_queue(*, application: Application) -> bool:
    """Queue "we received your application" right after the career-page submit commits."""
    candidate = application.candidate
    if not candidate.email:
        return False
    context = {"candidate": candidate, "job": application.job, "company": _company()}
    _send_after_commit(
        subject=f"We received your application for {application.job.title}",
        template="ats/email/confirmation.txt",
        context=context,
        to=candidate.email,
    )
    timeline_add(
        candidate=candidate,
        kind=TimelineEntry.Kind.EMAIL_OUT,
        channel="email",
        summary=f"Application confirmation queued: {application.job.title}",
        data={"application": application.pk},
    )
    return True
