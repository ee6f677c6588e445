"""Writes of enrollments: putting people into sequences (one or many) and ending, pausing or
resuming their enrollments. Each change is on the person's timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from config.core.models import User
from crm.models import Candidate, TimelineEntry
from crm.selectors.consent import may_contact
from crm.services.timeline import timeline_add
from nurture.builtin import JOB_ALERTS_KEY
from nurture.models import Enrollment, Sequence
from nurture.selectors.enrollments import enrollment_live
from nurture.services.errors import AlreadyEnrolledError, NurtureError

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ats.models import Job

    Actor = User | AnonymousUser | None


def first_due_at(sequence: Sequence, now: datetime) -> datetime | None:
    """When the first step of a new enrollment is due (None: the sequence has no steps)."""
    first = sequence.steps.order_by("position", "id").first()
    if first is None:
        return None
    return now + timedelta(hours=first.delay_hours)


def enroll(
    *, candidate: Candidate, sequence: Sequence, actor: Actor = None, job: Job | None = None
) -> Enrollment:
    """Put a person into a sequence; refused (NurtureError with the reason) when they may not
    be contacted about the sequence's topic, when they are already in it, or when the sequence
    has no steps. The first step becomes due after its delay."""
    verdict = may_contact(candidate, sequence.topic)
    if not verdict and verdict.reason != "no_address":
        raise NurtureError(f"{candidate} cannot be enrolled: {verdict.detail}.")
    if sequence.archived:
        raise NurtureError("This sequence is archived.")
    if sequence.builtin_key == JOB_ALERTS_KEY:
        raise NurtureError(
            "Nobody is enrolled in job alerts by hand: talent-community members who asked for "
            "them get them."
        )
    now = timezone.now()
    due = first_due_at(sequence, now)
    if due is None:
        raise NurtureError("This sequence has no steps yet.")
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                candidate=candidate,
                sequence=sequence,
                enrolled_at=now,
                enrolled_by=actor if isinstance(actor, User) else None,
                next_due_at=due,
                job=job,
            )
            timeline_add(
                candidate=candidate,
                kind=TimelineEntry.Kind.UPDATED,
                summary=f"Enrolled in “{sequence.name}”",
                actor=actor,
                data={"enrollment": enrollment.pk, "sequence": sequence.pk},
                occurred_at=now,
            )
    except IntegrityError:
        raise NurtureError(f"{candidate} is already in “{sequence.name}”.") from None
    return enrollment


def enroll_new(*, candidate: Candidate, sequence: Sequence, actor: Actor = None) -> Enrollment:
    """:func:`enroll` for the API, where "already in it" is its own answer: a person already
    live in the sequence raises :class:`AlreadyEnrolledError` naming that enrollment, whether
    found first or created meanwhile by someone else (the constraint said no)."""
    existing = enrollment_live(candidate, sequence)
    if existing is not None:
        message = f"{candidate} is already in “{sequence.name}”."
        raise AlreadyEnrolledError(message, existing)
    try:
        return enroll(candidate=candidate, sequence=sequence, actor=actor)
    except NurtureError as exc:
        existing = enrollment_live(candidate, sequence)
        if existing is not None:
            raise AlreadyEnrolledError(exc.message, existing) from None
        raise


@dataclass
class BulkEnrollResult:
    enrolled: list[int]
    refused: dict[int, str]


def enroll_many(
    *, candidate_ids: list[int], sequence: Sequence, actor: Actor = None
) -> BulkEnrollResult:
    """Enroll each of the people (merged-away records skipped); one refusal does not stop the
    others, and each is reported with its reason."""
    result = BulkEnrollResult([], {})
    for candidate in Candidate.objects.filter(pk__in=candidate_ids, merged_into__isnull=True):
        try:
            enroll(candidate=candidate, sequence=sequence, actor=actor)
            result.enrolled.append(candidate.pk)
        except NurtureError as exc:
            result.refused[candidate.pk] = exc.message
    return result


def _end(enrollment: Enrollment, state: str, reason: str, actor: Actor, now: datetime) -> bool:
    updated = Enrollment.objects.filter(
        pk=enrollment.pk, state__in=[Enrollment.State.ACTIVE, Enrollment.State.PAUSED]
    ).update(state=state, stop_reason=reason, ended_at=now, next_due_at=None)
    if not updated:
        return False
    enrollment.state, enrollment.stop_reason, enrollment.ended_at = state, reason, now
    label = Enrollment.StopReason(reason).label.lower() if reason else "finished"
    verb = "Completed" if state == Enrollment.State.COMPLETED else "Stopped"
    timeline_add(
        candidate=enrollment.candidate,
        kind=TimelineEntry.Kind.UPDATED,
        summary=f"{verb} “{enrollment.sequence.name}” ({label})",
        actor=actor,
        data={"enrollment": enrollment.pk, "reason": reason},
        occurred_at=now,
    )
    return True


@transaction.atomic
def enrollment_stop(*, enrollment: Enrollment, reason: str, actor: Actor = None) -> bool:
    """Stop a live enrollment (idempotent: False when it had already ended)."""
    if reason not in Enrollment.StopReason.values:
        raise NurtureError(f"Unknown stop reason {reason!r}.")
    return _end(enrollment, Enrollment.State.STOPPED, reason, actor, timezone.now())


@transaction.atomic
def enrollment_complete(*, enrollment: Enrollment, reason: str = "") -> bool:
    """End a live enrollment as completed (every step sent, or gone cold)."""
    return _end(enrollment, Enrollment.State.COMPLETED, reason, None, timezone.now())


@transaction.atomic
def stop_all_for(
    *, candidate: Candidate, reason: str, topic: str | None = None, actor: Actor = None
) -> int:
    """Stop every live enrollment of the person (of one topic's sequences, when given)."""
    live = Enrollment.objects.filter(
        candidate=candidate, state__in=[Enrollment.State.ACTIVE, Enrollment.State.PAUSED]
    ).select_related("sequence", "candidate")
    if topic and topic != "all":
        live = live.filter(sequence__topic=topic)
    return sum(enrollment_stop(enrollment=e, reason=reason, actor=actor) for e in live)


@transaction.atomic
def enrollment_pause(*, enrollment: Enrollment, actor: Actor = None) -> bool:
    """Pause an active enrollment (False when it was not active)."""
    return bool(
        Enrollment.objects.filter(pk=enrollment.pk, state=Enrollment.State.ACTIVE).update(
            state=Enrollment.State.PAUSED
        )
    )


@transaction.atomic
def enrollment_resume(*, enrollment: Enrollment, actor: Actor = None) -> bool:
    """Resume; a step that fell due while paused goes out at the next tick."""
    return bool(
        Enrollment.objects.filter(pk=enrollment.pk, state=Enrollment.State.PAUSED).update(
            state=Enrollment.State.ACTIVE
        )
    )
