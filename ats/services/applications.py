"""Writes of applications: create, move, reject, withdraw, a hiring manager's review, bulk
moves and rejections from the board (the emails they queue are in .candidate_mail; the row lock,
history row and domain event in .application_records).

Every HTML view, API view and task goes through these functions. Moves lock the application row
(``SELECT ... FOR UPDATE``) and read its current stage under the lock, so concurrent moves
serialize: the last valid one wins and each history row's ``from_stage`` is the stage the
application really was in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from config.core.models import User as AuthUser
from crm.models import Candidate, ResumeFile, TimelineEntry
from crm.services.candidates import candidates_tag
from crm.services.timeline import timeline_add
from crm.types import actor_user

from ..models import (
    KIND_ORDER,
    Application,
    Interview,
    Job,
    Offer,
    OfferChange,
    RejectionReason,
    Stage,
    StageChange,
    StageKind,
)
from ..selectors.applications import active_application
from ..selectors.jobs import User, can_bulk, can_move
from .application_records import (
    AlreadyApplied,
    MoveRefused,
    application_event_record,
    application_locked,
    stage_change_record,
)
from .candidate_mail import rejection_email_queue
from .interviews import interview_cancel

SILVER_MEDALIST_TAG = "silver medalist"


@transaction.atomic
def application_create(
    *,
    candidate: Candidate,
    job: Job,
    actor: User | None = None,
    source: str = Application.Source.SOURCED,
    source_detail: str = "",
    tracking: dict[str, Any] | None = None,
    referrer: AuthUser | None = None,
    cover_letter: str = "",
    answers: list[dict[str, Any]] | None = None,
    resume: ResumeFile | None = None,
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
    existing = active_application(candidate=candidate, job=job)
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
        created_by=actor_user(actor),
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
        existing = active_application(candidate=candidate, job=job)
        if existing is None:
            raise
        raise AlreadyApplied(existing) from None
    stage_change_record(app, from_stage=None, from_status="", actor=actor, at=now)
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
    application_event_record("application.created", app, source=source)
    return app


def _reached_final_in_history(app: Application) -> bool:
    later = [k for k, i in KIND_ORDER.items() if i >= KIND_ORDER[StageKind.FINAL]]
    return (
        StageChange.objects.filter(application=app, to_stage__kind__in=later).exists()
        or KIND_ORDER[app.stage.kind] >= KIND_ORDER[StageKind.FINAL]
    )


@transaction.atomic
def application_move_stage(
    *, application: Application | int, stage: Stage | int, actor: User, comment: str = ""
) -> Application:
    """Move an active application to another stage of its own job. Moving into a stage of kind
    "hired" hires. Refused (nothing changes) for another job's stage, an application that is not
    active, or a user who may not move it."""
    app = application_locked(application)
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
    stage_change_record(
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
    application_event_record(
        kind, app, from_stage=from_stage.pk, to_stage=target.pk, stage_kind=target.kind
    )
    return app


@transaction.atomic
def application_reject(
    *,
    application: Application | int,
    reason: RejectionReason | int,
    actor: User,
    send_email: bool = False,
    note: str = "",
) -> Application:
    """Reject an active application with a reason from the list. Rejected after reaching the
    final round (read from the history) makes a silver medalist: the application is flagged and
    the person tagged ``silver medalist`` for the CRM's segments. ``send_email`` queues the
    rejection email after commit."""
    app = application_locked(application)
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
    stage_change_record(
        app, from_stage=app.stage, from_status="active", actor=actor, comment=note, at=now
    )
    if app.silver_medalist:
        candidates_tag(candidate_ids=[app.candidate_id], tags=[SILVER_MEDALIST_TAG], actor=actor)
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
    application_event_record("application.rejected", app, silver_medalist=app.silver_medalist)
    _close_loose_ends(app, actor=actor, why=f"Application rejected ({reason_row.name})")
    if send_email:
        rejection_email_queue(application=app)
    return app


@transaction.atomic
def application_withdraw(
    *, application: Application | int, actor: User, note: str = ""
) -> Application:
    """Withdraw an active application (the person stepped back); refused as a move is."""
    app = application_locked(application)
    if not can_move(actor, app.job):
        raise MoveRefused("You may not change applications on this job.")
    if not app.is_active:
        raise MoveRefused(f"{app.candidate} is already {app.get_status_display().lower()}.")
    now = timezone.now()
    app.status, app.closed_at = Application.Status.WITHDRAWN, now
    app.save()
    stage_change_record(
        app, from_stage=app.stage, from_status="active", actor=actor, comment=note, at=now
    )
    timeline_add(
        candidate=app.candidate,
        kind=TimelineEntry.Kind.STAGE_CHANGE,
        summary=f"Withdrew from {app.job.title}",
        body=note,
        actor=actor,
        data={"application": app.pk},
        occurred_at=now,
    )
    application_event_record("application.withdrawn", app)
    _close_loose_ends(app, actor=actor, why="The candidate withdrew")
    return app


def _close_loose_ends(app: Application, *, actor: User, why: str) -> None:
    """An application that closes takes its upcoming interviews (cancelled: every attendee gets
    METHOD:CANCEL and no reminder goes out) and its open offer (withdrawn: the link dies) with
    it. Scheduling links die on their own with the application."""
    now = timezone.now()
    upcoming = Interview.objects.filter(
        application=app, status=Interview.Status.SCHEDULED, starts_at__gt=now
    ).order_by("pk")
    for interview in upcoming:
        interview_cancel(interview=interview, actor=actor, reason=why)
    offers = list(
        Offer.objects.select_for_update().filter(application=app, status__in=Offer.OPEN_STATUSES)
    )
    for offer in offers:
        offer.status, offer.nonce = Offer.Status.WITHDRAWN, ""
        offer.save(update_fields=["status", "nonce", "updated_at"])
        OfferChange.objects.create(
            offer=offer, action="withdrawn", actor=actor_user(actor), note=why, at=now
        )


def application_manager_review(
    *,
    application: Application | int,
    actor: User,
    decision: str,
    comment: str = "",
    reason: RejectionReason | int | None = None,
) -> Application:
    """A hiring manager's verdict from the inbox: ``advance`` moves to the next stage,
    ``reject`` rejects with ``reason``. Either way the application leaves the inbox."""
    with transaction.atomic():
        app = application_locked(application)
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
    """Which applications a bulk action changed, and why it refused the others."""

    done: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        text = f"{len(self.done)} done"
        if self.refused:
            text += f", {len(self.refused)} refused"
        return text


def applications_bulk_move(
    *, application_ids: list[int], stage: Stage | int, actor: User
) -> BulkResult:
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
    actor: User,
    send_email: bool = False,
    note: str = "",
) -> BulkResult:
    """Each application is rejected in its own transaction; refusals are collected."""
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


@dataclass(frozen=True)
class BoardMove:
    """One card moved on a board: the application after the move, and whether it changed stage
    (False when it already was in the stage asked for)."""

    application: Application
    moved: bool


def application_board_move(
    *, job: Job, application_id: int, stage_id: int | None, actor: User
) -> BoardMove:
    """Move one card of ``job``'s board (drag and drop or the card's form). Raises
    :class:`MoveRefused` when the application is not on this job's board, no stage was chosen,
    or the move itself is refused (nothing changes then)."""
    stage_before = (
        Application.objects.filter(pk=application_id, job=job)
        .values_list("stage_id", flat=True)
        .first()
    )
    if stage_before is None:
        raise MoveRefused("That application is not on this job's board.")
    if stage_id is None:
        raise MoveRefused("Choose a stage to move to.")
    app = application_move_stage(application=application_id, stage=stage_id, actor=actor)
    return BoardMove(app, moved=app.stage_id != stage_before)


def applications_board_bulk(
    *,
    job: Job,
    action: str,
    application_ids: list[int],
    actor: User,
    stage: Stage | None = None,
    reason: RejectionReason | None = None,
    send_email: bool = False,
    note: str = "",
) -> BulkResult:
    """The board's bulk bar: ``move`` the ticked applications to ``stage`` or ``reject`` them
    with ``reason``; each one is changed or refused on its own. Ticked ids that are not on
    this job's board are refused, never touched. Refused as a whole for a user the job does not
    give the bulk bar (recruiters have it; the hiring manager when ``manager_can_bulk``)."""
    if not can_bulk(actor, job):
        raise MoveRefused("Only recruiters move or reject in bulk on this job.")
    on_job = set(
        Application.objects.filter(job=job, pk__in=application_ids).values_list("pk", flat=True)
    )
    ids = [pk for pk in application_ids if pk in on_job]
    if action == "move":
        if stage is None:
            raise MoveRefused("Choose the stage to move the selected cards to.")
        result = applications_bulk_move(application_ids=ids, stage=stage, actor=actor)
    else:
        if reason is None:
            raise MoveRefused("Pick a rejection reason from the list.")
        result = applications_bulk_reject(
            application_ids=ids, reason=reason, actor=actor, send_email=send_email, note=note
        )
    for pk in application_ids:
        if pk not in on_job:
            result.refused[pk] = "not on this job's board"
    return result
