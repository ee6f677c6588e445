"""Writes of interviews: schedule, reschedule, change and cancel, each with one history, a
timeline entry, a domain event, replanned reminders and calendar invites.

Every invite for an interview carries the same UID; a change raises the SEQUENCE so calendars
replace the event; a cancellation is METHOD:CANCEL. Invites go to the candidate (transactional:
sent even when they are marked do-not-contact; not when there is no address) and to each
interviewer, by the mail task, after the transaction commits.

Double bookings are checked under row locks on the interviewers (``SELECT ... FOR UPDATE`` on
their user rows, in id order), so two recruiters booking the same person at the same time
serialize and the second sees the first's interview as a conflict.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from config.core.models import User as AuthUser
from config.core.models import record_event
from crm.models import Channel, TimelineEntry
from crm.services.timeline import timeline_add
from crm.types import actor_user

from ..ics import local_time
from ..models import Application, Interview, InterviewChange, InterviewType
from ..selectors.jobs import User
from . import interview_checks as checks
from . import interview_invites as invites
from .interview_checks import (
    MAX_MINUTES,
    MIN_MINUTES,
    InterviewConflict,
    InterviewRefused,
    zone_check,
)
from .notices import interview_notices_replan

__all__ = ["MAX_MINUTES", "MIN_MINUTES", "InterviewConflict", "InterviewRefused", "zone_check"]

# --------------------------------------------------------------------------- records


def _history(
    interview: Interview,
    action: str,
    *,
    actor: User | None,
    by_candidate: bool,
    note: str = "",
    from_starts_at: datetime | None = None,
    to_starts_at: datetime | None = None,
) -> InterviewChange:
    return InterviewChange.objects.create(
        interview=interview,
        action=action,
        actor=actor_user(actor),
        by_candidate=by_candidate,
        note=note[:1000],
        from_starts_at=from_starts_at,
        to_starts_at=to_starts_at,
        at=timezone.now(),
    )


def _timeline(interview: Interview, summary: str, *, actor: User | None, **data: Any) -> None:
    candidate = interview.application.candidate
    timeline_add(
        candidate=candidate,
        kind=TimelineEntry.Kind.INTERVIEW,
        summary=summary,
        actor=actor,
        # the candidate hears of it by email (the invite) when they have an address
        channel=Channel.EMAIL if candidate.email else "",
        data={"interview": interview.pk, "application": interview.application_id, **data},
    )


def _event(kind: str, interview: Interview, **payload: Any) -> None:
    record_event(
        kind,
        subject_type="ats.interview",
        subject_id=interview.pk,
        payload={
            "application": interview.application_id,
            "candidate": interview.application.candidate_id,
            "job": interview.application.job_id,
            "starts_at": interview.starts_at.isoformat(),
            "ends_at": interview.ends_at.isoformat(),
            "timezone": interview.timezone,
            "sequence": interview.sequence,
            "interviewers": sorted(interview.interviewers.values_list("pk", flat=True)),
            **payload,
        },
    )


# --------------------------------------------------------------------------- services


@transaction.atomic
def interview_schedule(
    *,
    application: Application,
    actor: User | None,
    starts_at: datetime,
    duration_minutes: int,
    timezone_name: str,
    interviewers: Iterable[Any],
    interview_type: InterviewType | None = None,
    title: str = "",
    location: str = "",
    video_url: str = "",
    message: str = "",
    allow_conflicts: bool = False,
    by_candidate: bool = False,
) -> Interview:
    """Schedule an interview of an active application and send the invites (METHOD:REQUEST,
    SEQUENCE 0) to the candidate and each interviewer after commit.

    Raises :class:`InterviewRefused` (naming the field) for a start in the past, a duration
    outside 5..480 minutes, an unknown time zone, an interviewer who is not an active user with
    a role, another job's interview type or an inactive application; and
    :class:`InterviewConflict` when an interviewer is already booked then, unless
    ``allow_conflicts``. Nothing is stored when it raises."""
    zone_check(timezone_name)
    starts_at, ends_at = checks.check_time(starts_at, duration_minutes)
    people = checks.check_interviewers(interviewers)
    location = checks.check_text(location, "location", 300)
    video_url = checks.check_video_url(video_url)
    message = checks.check_text(message, "message", 5000)
    application = checks.lock_application(application)
    if interview_type is not None and interview_type.job_id != application.job_id:
        raise InterviewRefused("That interview type belongs to another job.", "interview_type")
    title = checks.check_text(title, "title", 120) or (
        interview_type.name if interview_type is not None else "Interview"
    )
    checks.check_conflicts(people, starts_at, ends_at, exclude=None, allow=allow_conflicts)
    interview = Interview.objects.create(
        application=application,
        interview_type=interview_type,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=timezone_name.strip(),
        location=location,
        video_url=video_url,
        message=message,
        created_by=actor_user(actor),
    )
    interview.interviewers.set(people)
    _history(
        interview,
        InterviewChange.Action.SCHEDULED,
        actor=actor,
        by_candidate=by_candidate,
        to_starts_at=starts_at,
    )
    when = local_time(starts_at, interview.timezone)
    who = "the candidate" if by_candidate else None
    _timeline(
        interview,
        f"Interview scheduled{' by ' + who if who else ''}: {title}, {when}",
        actor=actor,
    )
    _event("interview.scheduled", interview, by_candidate=by_candidate)
    interview_notices_replan(interview=interview)
    invites.queue_after_commit(
        invites.change_mails(
            interview, kind="scheduled", interviewers=people, extra={"by_candidate": by_candidate}
        )
    )
    return interview


def _move(
    interview: Interview,
    *,
    actor: User | None,
    starts_at: datetime,
    duration_minutes: int,
    timezone_name: str,
    people: Sequence[AuthUser],
    allow_conflicts: bool,
    by_candidate: bool,
    note: str,
) -> bool:
    """Move a locked interview (no save, no mail); False when nothing changes."""
    zone_check(timezone_name)
    starts_at, ends_at = checks.check_time(starts_at, duration_minutes)
    if (
        starts_at == interview.starts_at
        and ends_at == interview.ends_at
        and timezone_name == interview.timezone
    ):
        return False
    checks.check_conflicts(people, starts_at, ends_at, exclude=interview, allow=allow_conflicts)
    previous = interview.starts_at
    interview.starts_at, interview.ends_at = starts_at, ends_at
    interview.timezone = timezone_name.strip()
    _history(
        interview,
        InterviewChange.Action.RESCHEDULED,
        actor=actor,
        by_candidate=by_candidate,
        note=note,
        from_starts_at=previous,
        to_starts_at=starts_at,
    )
    _timeline(
        interview,
        f"Interview rescheduled: {interview.title}, from "
        f"{local_time(previous, interview.timezone)} to {local_time(starts_at, interview.timezone)}",
        actor=actor,
        from_starts_at=previous.isoformat(),
    )
    return True


@transaction.atomic
def interview_reschedule(
    *,
    interview: Interview,
    actor: User | None,
    starts_at: datetime,
    duration_minutes: int | None = None,
    timezone_name: str | None = None,
    allow_conflicts: bool = False,
    by_candidate: bool = False,
    note: str = "",
) -> Interview:
    """Move a scheduled interview (same UID, SEQUENCE + 1) and send the updated invites.
    The duration and zone stay as they were unless given. Refusals as
    :func:`interview_schedule`; a cancelled interview cannot be moved."""
    interview = checks.lock_interview(interview)
    people = list(interview.interviewers.order_by("pk"))
    moved = _move(
        interview,
        actor=actor,
        starts_at=starts_at,
        duration_minutes=interview.duration_minutes
        if duration_minutes is None
        else duration_minutes,
        timezone_name=interview.timezone if timezone_name is None else timezone_name,
        people=people,
        allow_conflicts=allow_conflicts,
        by_candidate=by_candidate,
        note=note,
    )
    if not moved:
        return interview
    interview.sequence += 1
    interview.save()
    _event("interview.rescheduled", interview, by_candidate=by_candidate, note=note[:1000])
    interview_notices_replan(interview=interview)
    invites.queue_after_commit(
        invites.change_mails(
            interview, kind="rescheduled", interviewers=people, extra={"note": note}
        )
    )
    return interview


UPDATABLE = {
    "title",
    "location",
    "video_url",
    "message",
    "interviewers",
    "starts_at",
    "duration_minutes",
    "timezone",
    "allow_conflicts",
    "note",
}


@transaction.atomic
def interview_update(
    *, interview: Interview, actor: User | None, data: dict[str, Any]
) -> Interview:
    """Change a scheduled interview: any of ``title``, ``location``, ``video_url``,
    ``message``, ``interviewers`` (users or ids); ``starts_at`` / ``duration_minutes`` /
    ``timezone`` move it as :func:`interview_reschedule` does (``allow_conflicts`` and ``note``
    apply to that). A change that alters the invite raises SEQUENCE once and re-sends it to
    everyone on it; interviewers taken off get METHOD:CANCEL. Nothing changes on a refusal."""
    unknown = set(data) - UPDATABLE
    if unknown:
        raise InterviewRefused(
            f"Unknown field(s): {', '.join(sorted(unknown))}.", sorted(unknown)[0]
        )
    interview = checks.lock_interview(interview)
    before = list(interview.interviewers.order_by("pk"))
    people = checks.check_interviewers(data["interviewers"]) if "interviewers" in data else before
    allow = bool(data.get("allow_conflicts", False))
    fields: dict[str, str] = {}
    if "title" in data:
        fields["title"] = checks.check_text(data["title"], "title", 120, required=True)
    if "location" in data:
        fields["location"] = checks.check_text(data["location"], "location", 300)
    if "video_url" in data:
        fields["video_url"] = checks.check_video_url(data["video_url"])
    if "message" in data:
        fields["message"] = checks.check_text(data["message"], "message", 5000)
    changed = [name for name, value in fields.items() if getattr(interview, name) != value]
    for name in changed:
        setattr(interview, name, fields[name])
    moved = False
    if {"starts_at", "duration_minutes", "timezone"} & set(data):
        moved = _move(
            interview,
            actor=actor,
            starts_at=data.get("starts_at", interview.starts_at),
            duration_minutes=data.get("duration_minutes", interview.duration_minutes),
            timezone_name=data.get("timezone", interview.timezone),
            people=people,
            allow_conflicts=allow,
            by_candidate=False,
            note=str(data.get("note", "")),
        )
    before_ids = {user.pk for user in before}
    after_ids = {user.pk for user in people}
    added = [user for user in people if user.pk not in before_ids]
    removed = [user for user in before if user.pk not in after_ids]
    if added and not moved:  # a move already checked everyone at the new time
        checks.check_conflicts(
            added, interview.starts_at, interview.ends_at, exclude=interview, allow=allow
        )
    if not (changed or moved or added or removed):
        return interview
    if added or removed:
        interview.interviewers.set(people)
    if changed or added or removed:
        notes = [f"{name.replace('_', ' ')} changed" for name in changed]
        notes += [f"added {u.get_full_name() or u.get_username()}" for u in added]
        notes += [f"removed {u.get_full_name() or u.get_username()}" for u in removed]
        _history(
            interview,
            InterviewChange.Action.UPDATED,
            actor=actor,
            by_candidate=False,
            note="; ".join(notes),
        )
        _timeline(
            interview, f"Interview updated: {interview.title} ({'; '.join(notes)})", actor=actor
        )
    interview.sequence += 1
    interview.save()
    if moved:
        _event("interview.rescheduled", interview, by_candidate=False)
    _event(
        "interview.updated",
        interview,
        changed=changed,
        added=[u.pk for u in added],
        removed=[u.pk for u in removed],
    )
    interview_notices_replan(interview=interview)
    candidate_sees = moved or bool({"title", "location", "video_url", "message"} & set(changed))
    mails = invites.change_mails(
        interview,
        kind="rescheduled" if moved else "updated",
        interviewers=people,
        candidate=candidate_sees,
    )
    mails += invites.removed_mails(interview, removed)
    invites.queue_after_commit(mails)
    return interview


@transaction.atomic
def interview_cancel(
    *, interview: Interview, actor: User | None, reason: str = "", by_candidate: bool = False
) -> Interview:
    """Cancel a scheduled interview (SEQUENCE + 1), skip its reminders and send METHOD:CANCEL
    to the candidate and each interviewer. A cancelled interview cannot be cancelled again."""
    reason = checks.check_text(reason, "reason", 500)
    interview = checks.lock_interview(interview)
    people = list(interview.interviewers.order_by("pk"))
    interview.status = Interview.Status.CANCELLED
    interview.cancelled_at = timezone.now()
    interview.cancel_reason = reason
    interview.sequence += 1
    interview.save()
    _history(
        interview,
        InterviewChange.Action.CANCELLED,
        actor=actor,
        by_candidate=by_candidate,
        note=reason,
        from_starts_at=interview.starts_at,
    )
    _timeline(
        interview,
        f"Interview cancelled{' by the candidate' if by_candidate else ''}: {interview.title}, "
        f"{local_time(interview.starts_at, interview.timezone)}"
        + (f" ({reason})" if reason else ""),
        actor=actor,
    )
    _event("interview.cancelled", interview, by_candidate=by_candidate, reason=reason)
    interview_notices_replan(interview=interview)
    invites.queue_after_commit(
        invites.change_mails(
            interview,
            kind="cancelled",
            interviewers=people,
            method="CANCEL",
            extra={"reason": reason},
        )
    )
    return interview
