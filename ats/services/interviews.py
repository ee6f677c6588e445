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

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from config.core.models import User as AuthUser
from config.core.models import record_event
from config.core.roles import Role
from config.core.tasks import send_email as send_email_task
from crm.models import Channel, TimelineEntry
from crm.services.timeline import timeline_add
from crm.types import actor_user

from .. import ics
from ..models import Application, Interview, InterviewChange, InterviewType
from ..selectors.interviews import interview_conflicts
from ..selectors.jobs import User
from ..selectors.users import users_holding
from .notices import interview_notices_replan

MIN_MINUTES = 5
MAX_MINUTES = 480


class InterviewRefused(Exception):
    """A schedule, change or cancellation that may not happen. ``message`` is for a person;
    ``field`` names the input at fault (None when it is about the whole request)."""

    def __init__(self, message: str, field: str | None = None):
        self.message = message
        self.field = field
        super().__init__(message)


class InterviewConflict(InterviewRefused):
    """One or more interviewers are already in another scheduled interview at that time.
    ``conflicts`` lists each (person, other interview); pass ``allow_conflicts=True`` to book
    anyway."""

    def __init__(self, conflicts: list[tuple[AuthUser, Interview]]):
        self.conflicts = conflicts
        names = sorted({user.get_full_name() or user.get_username() for user, _ in conflicts})
        super().__init__(
            f"Double booking: {', '.join(names)} already "
            f"{'has' if len(names) == 1 else 'have'} an interview at that time.",
            "starts_at",
        )


# --------------------------------------------------------------------------- validation


def zone_check(timezone_name: str) -> ZoneInfo:
    """The IANA zone named, or :class:`InterviewRefused` naming the ``timezone`` field."""
    name = (timezone_name or "").strip()
    if not name or not re.fullmatch(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*", name):
        raise InterviewRefused(f"Unknown time zone {name!r}.", "timezone")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InterviewRefused(
            f"Unknown time zone {name!r}: use an IANA name such as Europe/Berlin.", "timezone"
        ) from None


def _check_time(starts_at: Any, duration_minutes: Any) -> tuple[datetime, datetime]:
    if not isinstance(starts_at, datetime):
        raise InterviewRefused("Give a start date and time.", "starts_at")
    if timezone.is_naive(starts_at):
        raise InterviewRefused(
            "The start needs a time zone offset (e.g. 2026-12-01T10:00:00+01:00).", "starts_at"
        )
    if isinstance(duration_minutes, bool) or not isinstance(duration_minutes, int):
        raise InterviewRefused(
            "The duration must be a whole number of minutes.", "duration_minutes"
        )
    if not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        raise InterviewRefused(
            f"The duration must be between {MIN_MINUTES} and {MAX_MINUTES} minutes "
            "(the end must come after the start).",
            "duration_minutes",
        )
    if starts_at <= timezone.now():
        raise InterviewRefused("The start is in the past: pick a time in the future.", "starts_at")
    return starts_at, starts_at + timedelta(minutes=duration_minutes)


def _check_interviewers(interviewers: Iterable[Any]) -> list[AuthUser]:
    """Active users holding a role, each once, in the order given; ids or user objects."""
    ids: list[int] = []
    for person in interviewers:
        pk = getattr(person, "pk", person)
        if isinstance(pk, bool) or not isinstance(pk, int):
            raise InterviewRefused(f"{person!r} is not a user.", "interviewers")
        if pk not in ids:
            ids.append(pk)
    if not ids:
        raise InterviewRefused("Pick at least one interviewer.", "interviewers")
    found: dict[int, AuthUser] = {
        user.pk: cast(AuthUser, user) for user in users_holding(*Role.ALL).filter(pk__in=ids)
    }
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise InterviewRefused(
            "Interviewers must be active users with a role; not: "
            + ", ".join(str(pk) for pk in missing)
            + ".",
            "interviewers",
        )
    return [found[pk] for pk in ids]


def _check_text(value: Any, field: str, limit: int, *, required: bool = False) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise InterviewRefused(f"{field} must be text.", field)
    if required and not text:
        raise InterviewRefused(f"Give a {field}.", field)
    if len(text) > limit:
        raise InterviewRefused(f"The {field} is too long (at most {limit} characters).", field)
    return text


def _check_video_url(value: Any) -> str:
    url = _check_text(value, "video_url", 500)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise InterviewRefused(
                "The video link must be a web address (https://...).", "video_url"
            ) from None
    return url


def _lock_application(application: Application) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("candidate", "job__recruiter", "job__hiring_manager")
        .get(pk=application.pk)
    )
    if locked.status != Application.Status.ACTIVE:
        raise InterviewRefused(
            f"This application is {locked.get_status_display().lower()}: "
            "only active applications get interviews.",
            "application",
        )
    return locked


def _lock_interview(interview: Interview) -> Interview:
    locked = (
        Interview.objects.select_for_update(of=("self",))
        .select_related(
            "application__candidate", "application__job__recruiter", "interview_type", "created_by"
        )
        .get(pk=interview.pk)
    )
    if locked.status != Interview.Status.SCHEDULED:
        raise InterviewRefused("This interview is cancelled.", None)
    return locked


def _lock_people(people: Sequence[AuthUser]) -> None:
    """Serialize bookings per interviewer: lock their user rows in id order (no deadlocks)."""
    ids = sorted(user.pk for user in people)
    list(AuthUser.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


def _check_conflicts(
    people: Sequence[AuthUser],
    starts_at: datetime,
    ends_at: datetime,
    *,
    exclude: Interview | None,
    allow: bool,
) -> None:
    if allow or not people:
        return
    _lock_people(people)
    conflicts = interview_conflicts(
        users=people, starts_at=starts_at, ends_at=ends_at, exclude=exclude
    )
    if conflicts:
        raise InterviewConflict(conflicts)


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


def local_time(moment: datetime, zone_name: str) -> str:
    """``moment`` as people read it in the interview's zone: "Tue 1 Dec 2026, 10:00 (Europe/Berlin)"."""
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        zone = ZoneInfo("UTC")
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} ({zone_name})"


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


# --------------------------------------------------------------------------- invites


@dataclass
class _Mail:
    subject: str
    body: str
    to: str
    calendar: str
    method: str
    reply_to: list[str] | None = None


def _reply_to(interview: Interview) -> list[str] | None:
    """Candidates' replies go to the recruiter who scheduled it, else the job's recruiter."""
    for user in (interview.created_by, interview.application.job.recruiter):
        if user is not None and user.email:
            return [user.email]
    return None


def _company() -> str:
    return getattr(settings, "COMPANY_NAME", "Talentloop")


def _context(interview: Interview, **extra: Any) -> dict[str, Any]:
    application = interview.application
    return {
        "interview": interview,
        "candidate": application.candidate,
        "job": application.job,
        "company": _company(),
        "when": local_time(interview.starts_at, interview.timezone),
        "kit_url": ics.interview_url(interview),
        **extra,
    }


def _queue(mails: list[_Mail]) -> None:
    """Send each mail after the transaction commits (never for a rolled-back change)."""
    for mail in mails:
        subject = re.sub(r"\s+", " ", mail.subject).strip()

        def send(mail: _Mail = mail, subject: str = subject) -> None:
            send_email_task.delay(
                subject=subject,
                body=mail.body,
                to=[mail.to],
                calendar=mail.calendar,
                calendar_method=mail.method,
                reply_to=mail.reply_to,
            )

        transaction.on_commit(send, robust=True)


def _invites(
    interview: Interview,
    *,
    kind: str,
    interviewers: Sequence[AuthUser],
    method: str = "REQUEST",
    candidate: bool = True,
    extra: dict[str, Any] | None = None,
) -> list[_Mail]:
    """Mails of one change: ``kind`` is scheduled, rescheduled, updated or cancelled (the
    templates ``ats/email/interview_<kind>_candidate.txt`` / ``..._interviewer.txt``)."""
    context = _context(interview, **(extra or {}))
    job = interview.application.job
    mails: list[_Mail] = []
    person = interview.application.candidate
    subjects = {
        "scheduled": f"Interview invitation: {job.title} at {_company()}",
        "rescheduled": f"Interview moved: {job.title} at {_company()}",
        "updated": f"Interview details changed: {job.title} at {_company()}",
        "cancelled": f"Interview cancelled: {job.title} at {_company()}",
    }
    if candidate and person.email:
        mails.append(
            _Mail(
                subject=subjects[kind],
                body=render_to_string(f"ats/email/interview_{kind}_candidate.txt", context),
                to=person.email,
                calendar=ics.interview_calendar(interview, method=method, for_staff=False),
                method=method,
                reply_to=_reply_to(interview),
            )
        )
    if interviewers:
        # Interviewers see the candidate's name, not their address (no contact details).
        staff_calendar = ics.interview_calendar(
            interview, method=method, for_staff=True, include_candidate=False
        )
        staff_subject = f"Interview {kind}: {interview.title} with {person.full_name} ({job.title})"
        for user in interviewers:
            if not user.email:
                continue
            body = render_to_string(
                f"ats/email/interview_{kind}_interviewer.txt", context | {"user": user}
            )
            mails.append(_Mail(staff_subject, body, user.email, staff_calendar, method))
    return mails


def _removed_invites(interview: Interview, removed: Sequence[AuthUser]) -> list[_Mail]:
    """METHOD:CANCEL to interviewers taken off an interview (only they are attendees in it)."""
    mails = []
    for user in removed:
        if not user.email:
            continue
        calendar = ics.interview_calendar(
            interview, method="CANCEL", attendees=[user], include_candidate=False
        )
        body = render_to_string(
            "ats/email/interview_removed_interviewer.txt", _context(interview, user=user)
        )
        subject = f"You are no longer on: {interview.title} with {interview.application.candidate.full_name}"
        mails.append(_Mail(subject, body, user.email, calendar, "CANCEL"))
    return mails


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
    starts_at, ends_at = _check_time(starts_at, duration_minutes)
    people = _check_interviewers(interviewers)
    location = _check_text(location, "location", 300)
    video_url = _check_video_url(video_url)
    message = _check_text(message, "message", 5000)
    application = _lock_application(application)
    if interview_type is not None and interview_type.job_id != application.job_id:
        raise InterviewRefused("That interview type belongs to another job.", "interview_type")
    title = _check_text(title, "title", 120) or (
        interview_type.name if interview_type is not None else "Interview"
    )
    _check_conflicts(people, starts_at, ends_at, exclude=None, allow=allow_conflicts)
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
    _queue(
        _invites(
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
    starts_at, ends_at = _check_time(starts_at, duration_minutes)
    if (
        starts_at == interview.starts_at
        and ends_at == interview.ends_at
        and timezone_name == interview.timezone
    ):
        return False
    _check_conflicts(people, starts_at, ends_at, exclude=interview, allow=allow_conflicts)
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
    interview = _lock_interview(interview)
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
    _queue(_invites(interview, kind="rescheduled", interviewers=people, extra={"note": note}))
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
    interview = _lock_interview(interview)
    before = list(interview.interviewers.order_by("pk"))
    people = _check_interviewers(data["interviewers"]) if "interviewers" in data else before
    allow = bool(data.get("allow_conflicts", False))
    fields: dict[str, str] = {}
    if "title" in data:
        fields["title"] = _check_text(data["title"], "title", 120, required=True)
    if "location" in data:
        fields["location"] = _check_text(data["location"], "location", 300)
    if "video_url" in data:
        fields["video_url"] = _check_video_url(data["video_url"])
    if "message" in data:
        fields["message"] = _check_text(data["message"], "message", 5000)
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
        _check_conflicts(
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
    mails = _invites(
        interview,
        kind="rescheduled" if moved else "updated",
        interviewers=people,
        candidate=candidate_sees,
    )
    mails += _removed_invites(interview, removed)
    _queue(mails)
    return interview


@transaction.atomic
def interview_cancel(
    *, interview: Interview, actor: User | None, reason: str = "", by_candidate: bool = False
) -> Interview:
    """Cancel a scheduled interview (SEQUENCE + 1), skip its reminders and send METHOD:CANCEL
    to the candidate and each interviewer. A cancelled interview cannot be cancelled again."""
    reason = _check_text(reason, "reason", 500)
    interview = _lock_interview(interview)
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
    _queue(
        _invites(
            interview,
            kind="cancelled",
            interviewers=people,
            method="CANCEL",
            extra={"reason": reason},
        )
    )
    return interview
