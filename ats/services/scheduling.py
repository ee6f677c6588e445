"""Self-scheduling: a recruiter offers times, the candidate picks one through a signed link
(no login), and the interview is made by :mod:`ats.services.interviews`.

Booking locks the request row, then the interviewers' user rows in id order, and re-checks under
those locks that no interviewer has an interview at the picked time: two candidates racing for
the same interviewer's time serialize on the user rows, and the second sees the first's
interview and is refused with :class:`SlotTaken` (which carries the times still free)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from config.core.links import BadLink, new_nonce
from config.core.roles import Role
from config.core.throttle import count_hit
from crm.models import TimelineEntry
from crm.services.timeline import timeline_add
from crm.types import actor_user

from ..models import (
    Application,
    Interview,
    InterviewChange,
    InterviewType,
    SchedulingRequest,
    SchedulingSlot,
)
from ..selectors import scheduling as selectors
from ..selectors.availability import busy_users_at, zone_or_none
from ..selectors.jobs import User, can_move
from ..selectors.users import users_holding
from . import interviews
from .candidate_mail import company_name, mail_after_commit

MAX_SLOTS = 40
MIN_DURATION, MAX_DURATION = 5, 480
MAX_EXPIRY_DAYS = 60


class SchedulingRefused(Exception):
    """A scheduling action that may not happen; ``message`` is for a person, ``field`` names
    the input at fault (or None)."""

    def __init__(self, message: str, *, field: str | None = None):
        self.message = message
        self.field = field
        super().__init__(message)


class SlotTaken(SchedulingRefused):
    """The picked time is no longer free; ``remaining`` are the offered times that still are."""

    def __init__(self, message: str, *, remaining: list[SchedulingSlot]):
        super().__init__(message, field="slot")
        self.remaining = remaining


# --------------------------------------------------------------------------- helpers


def _recruiter_of(request: SchedulingRequest):
    return request.created_by or request.application.job.recruiter


def _check_interviewers(interviewers: Sequence[Any]) -> list:
    ids = {getattr(p, "pk", p) for p in interviewers}
    if not ids:
        raise SchedulingRefused("Pick at least one interviewer.", field="interviewers")
    users = list(users_holding(*Role.ALL).filter(pk__in=ids).order_by("pk"))
    if len(users) != len(ids):
        raise SchedulingRefused(
            "Interviewers must be active users with a role.", field="interviewers"
        )
    return users


def _check_slots(slots: Sequence[datetime]) -> list[datetime]:
    """Aware, future, distinct times (they may overlap: the candidate books one of them)."""
    if not slots:
        raise SchedulingRefused("Offer at least one time.", field="slots")
    if len(slots) > MAX_SLOTS:
        raise SchedulingRefused(f"Offer at most {MAX_SLOTS} times.", field="slots")
    now = timezone.now()
    seen: set[datetime] = set()
    out = []
    for moment in slots:
        if not isinstance(moment, datetime) or timezone.is_naive(moment):
            raise SchedulingRefused("Each time needs a date, a time and a zone.", field="slots")
        if moment <= now:
            raise SchedulingRefused(
                f"{moment:%Y-%m-%d %H:%M %Z} is in the past; offer future times.", field="slots"
            )
        if moment in seen:
            raise SchedulingRefused(f"{moment:%Y-%m-%d %H:%M %Z} is offered twice.", field="slots")
        seen.add(moment)
        out.append(moment)
    out.sort()
    return out


def _lock(request: SchedulingRequest) -> SchedulingRequest:
    """Lock the request row, its application's row, its booked interview's row (if any), then
    its interviewers' user rows in id order: the orders ats.services.interviews takes
    (application then people to schedule; interview then people to move), so a recruiter
    working by hand and a candidate booking or moving never deadlock. Returns the request re-read
    under the locks, with its slots, interviewers and interview."""
    locked = SchedulingRequest.objects.select_for_update().get(pk=request.pk)
    list(
        Application.objects.select_for_update(of=("self",))
        .filter(pk=locked.application_id)
        .values_list("pk", flat=True)
    )
    if locked.interview_id is not None:
        list(
            Interview.objects.select_for_update(of=("self",))
            .filter(pk=locked.interview_id)
            .values_list("pk", flat=True)
        )
    ids = list(locked.interviewers.values_list("pk", flat=True))
    list(
        get_user_model()
        .objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return selectors.scheduling_requests_loaded().get(pk=request.pk)


def _pick(request: SchedulingRequest, slot_id: int | None) -> SchedulingSlot:
    slot = next((s for s in request.slots.all() if s.pk == slot_id), None)
    if slot is None:
        raise SchedulingRefused("Pick one of the times offered.", field="slot")
    if slot.starts_at <= timezone.now():
        raise SlotTaken(
            "That time has already passed; please pick another.",
            remaining=selectors.free_slots(request),
        )
    return slot


def _refuse_if_busy(request: SchedulingRequest, slot: SchedulingSlot) -> None:
    ids = [user.pk for user in request.interviewers.all()]
    busy = busy_users_at(
        ids, slot.starts_at, slot.ends_at, exclude_interview_id=request.interview_id
    )
    if busy:
        raise SlotTaken(
            "Sorry, that time was taken a moment ago. Please pick another one.",
            remaining=selectors.free_slots(request),
        )


def _usable(request: SchedulingRequest) -> None:
    try:
        selectors.link_usable(request)
    except BadLink as exc:
        raise SchedulingRefused(exc.message) from None


# --------------------------------------------------------------------------- create


@transaction.atomic
def scheduling_request_create(
    *,
    application: Application,
    actor: User,
    interviewers: Sequence[Any],
    duration_minutes: int,
    timezone_name: str,
    slots: Sequence[datetime],
    interview_type: InterviewType | None = None,
    title: str = "",
    location: str = "",
    video_url: str = "",
    message: str = "",
    expires_in_days: int = 7,
) -> SchedulingRequest:
    """Offer ``slots`` (aware start times, hand-picked or proposed) to the candidate of an
    active application and email them the signed link (after commit). Raises
    :class:`SchedulingRefused` naming the field for: an application that is not active, an
    actor who may not schedule on the job, no interviewer or one without a role, a duration
    outside 5-480 minutes, an unknown time zone, 0 or more than 40 times, a past or duplicate
    time, a time an interviewer already has an interview at, a bad video link, or an
    expiry outside 1-60 days; nothing is stored then."""
    app = (
        Application.objects.select_for_update()
        .select_related("candidate", "job")
        .get(pk=application.pk)
    )
    if app.status != Application.Status.ACTIVE:
        raise SchedulingRefused(f"This application is {app.get_status_display().lower()}.")
    if not can_move(actor, app.job):
        raise SchedulingRefused("Only recruiters and the job's hiring manager offer times.")
    candidate = app.candidate
    if not candidate.email:
        raise SchedulingRefused("The candidate has no email address to send the link to.")
    if candidate.do_not_contact:
        raise SchedulingRefused("The candidate is marked do-not-contact.")
    if interview_type is not None and interview_type.job_id != app.job_id:
        raise SchedulingRefused(
            "That interview type belongs to another job.", field="interview_type"
        )
    if not isinstance(duration_minutes, int) or not (
        MIN_DURATION <= duration_minutes <= MAX_DURATION
    ):
        raise SchedulingRefused(
            f"The duration must be {MIN_DURATION} to {MAX_DURATION} minutes.",
            field="duration_minutes",
        )
    zone_name = (timezone_name or "").strip()
    if zone_or_none(zone_name) is None:
        raise SchedulingRefused(
            f"{zone_name or 'An empty name'} is not a time zone.", field="timezone"
        )
    if not (1 <= expires_in_days <= MAX_EXPIRY_DAYS):
        raise SchedulingRefused(
            f"The link must expire in 1 to {MAX_EXPIRY_DAYS} days.", field="expires_in_days"
        )
    if video_url:
        try:
            URLValidator(schemes=["http", "https"])(video_url)
        except ValidationError:
            raise SchedulingRefused(
                "The video link is not a web address.", field="video_url"
            ) from None
    length = timedelta(minutes=duration_minutes)
    starts = _check_slots(slots)
    people = _check_interviewers(interviewers)
    # Lock the interviewers (id order) so a booking cannot slip in between check and insert.
    list(
        get_user_model()
        .objects.select_for_update()
        .filter(pk__in=[p.pk for p in people])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for moment in starts:
        busy = busy_users_at([p.pk for p in people], moment, moment + length)
        if busy:
            names = ", ".join(p.get_full_name() or p.get_username() for p in people if p.pk in busy)
            raise SchedulingRefused(
                f"{names} already has an interview at {moment:%Y-%m-%d %H:%M %Z}.",
                field="slots",
            )
    now = timezone.now()
    request = SchedulingRequest.objects.create(
        application=app,
        interview_type=interview_type,
        title=(title.strip() or (interview_type.name if interview_type else "Interview"))[:120],
        duration_minutes=duration_minutes,
        timezone=zone_name,
        location=location.strip()[:300],
        video_url=video_url.strip(),
        message=message.strip(),
        nonce=new_nonce(),
        expires_at=now + timedelta(days=expires_in_days),
        created_by=actor_user(actor),
    )
    request.interviewers.set(people)
    SchedulingSlot.objects.bulk_create(
        SchedulingSlot(request=request, starts_at=moment, ends_at=moment + length)
        for moment in starts
    )
    _invite(request, app)
    return request


def _invite(request: SchedulingRequest, app: Application) -> None:
    zone = zone_or_none(request.timezone)
    slots = list(request.slots.order_by("starts_at"))
    recruiter = _recruiter_of(request)
    context = {
        "candidate": app.candidate,
        "job": app.job,
        "company": company_name(),
        "request": request,
        "url": selectors.schedule_url(request),
        "days": selectors.local_slots(slots, zone) if zone else [],
        "zone": request.timezone,
        "expires": request.expires_at.astimezone(zone) if zone else request.expires_at,
        "recruiter": recruiter,
    }
    body = render_to_string("ats/email/schedule_invite.txt", context)
    mail_after_commit(
        subject=f"Pick a time for your interview: {app.job.title}",
        body=body,
        to=app.candidate.email,
        reply_to=getattr(recruiter, "email", None) or None,
    )
    timeline_add(
        candidate=app.candidate,
        kind=TimelineEntry.Kind.INTERVIEW,
        channel="email",
        summary=f"Invited to pick an interview time: {request.title}, {app.job.title}",
        actor=request.created_by,
        data={"application": app.pk, "scheduling_request": request.pk, "slots": len(slots)},
    )


# --------------------------------------------------------------------------- the candidate


@transaction.atomic
def scheduling_request_book(*, request: SchedulingRequest, slot_id: int | None) -> Interview:
    """The candidate picks offered time ``slot_id``: under the request's and the interviewers'
    row locks, re-check the time is free for every interviewer, then schedule the interview
    (which sends the confirmation and the invites) and mark the request BOOKED. Picking the
    time already booked again (a double submit) returns that interview. Raises
    :class:`SlotTaken` (with the times still free) or :class:`SchedulingRefused`."""
    locked = _lock(request)
    _usable(locked)
    if locked.status == SchedulingRequest.Status.BOOKED:
        interview = locked.interview
        if interview is not None and any(
            s.pk == slot_id and s.starts_at == interview.starts_at for s in locked.slots.all()
        ):
            return interview
        return _rebook_locked(locked, slot_id)
    slot = _pick(locked, slot_id)
    _refuse_if_busy(locked, slot)
    try:
        interview = interviews.interview_schedule(
            application=locked.application,
            actor=None,
            starts_at=slot.starts_at,
            duration_minutes=locked.duration_minutes,
            timezone_name=locked.timezone,
            interviewers=list(locked.interviewers.all()),
            interview_type=locked.interview_type,
            title=locked.title,
            location=locked.location,
            video_url=locked.video_url,
            message=locked.message,
            allow_conflicts=False,
            by_candidate=True,
        )
    except interviews.InterviewConflict:
        raise SlotTaken(
            "Sorry, that time was taken a moment ago. Please pick another one.",
            remaining=selectors.free_slots(locked),
        ) from None
    except interviews.InterviewRefused as exc:
        raise SchedulingRefused(exc.message) from None
    SchedulingRequest.objects.filter(pk=locked.pk).update(
        status=SchedulingRequest.Status.BOOKED, interview=interview
    )
    request.status, request.interview = SchedulingRequest.Status.BOOKED, interview
    return interview


@transaction.atomic
def scheduling_request_rebook(*, request: SchedulingRequest, slot_id: int | None) -> Interview:
    """After booking, the candidate picks another offered time through the same link: the
    interview is rescheduled (same calendar UID, higher SEQUENCE) after the same re-check
    under locks. Raises :class:`SlotTaken` or :class:`SchedulingRefused`."""
    locked = _lock(request)
    _usable(locked)
    if locked.status != SchedulingRequest.Status.BOOKED:
        raise SchedulingRefused("Pick a time first; there is no interview to move yet.")
    return _rebook_locked(locked, slot_id)


def _rebook_locked(locked: SchedulingRequest, slot_id: int | None) -> Interview:
    interview = locked.interview
    assert interview is not None  # link_usable refuses a booked request without one
    slot = _pick(locked, slot_id)
    if slot.starts_at == interview.starts_at:
        return interview
    _refuse_if_busy(locked, slot)
    try:
        return interviews.interview_reschedule(
            interview=interview,
            actor=None,
            starts_at=slot.starts_at,
            allow_conflicts=False,
            by_candidate=True,
            note="The candidate picked another time through the scheduling link.",
        )
    except interviews.InterviewConflict:
        raise SlotTaken(
            "Sorry, that time was taken a moment ago. Please pick another one.",
            remaining=selectors.free_slots(locked),
        ) from None
    except interviews.InterviewRefused as exc:
        raise SchedulingRefused(exc.message) from None


ASK_LIMIT = 3  # "none of these work" messages per link ...
ASK_WINDOW_SECONDS = 3600  # ... within an hour


@transaction.atomic
def scheduling_request_ask_reschedule(*, request: SchedulingRequest, note: str) -> None:
    """None of the times work for the candidate: record it (an InterviewChange
    RESCHEDULE_REQUESTED on the booked interview, if any), put it on their timeline, and email
    the recruiter (the request's creator, else the job's recruiter)."""
    locked = _lock(request)
    _usable(locked)
    note = (note or "").strip()
    if len(note) > 1000:
        raise SchedulingRefused("Keep the note under 1000 characters.", field="note")
    # a public form that emails a recruiter: a few asks per link and hour, not a mail cannon
    if count_hit(f"schedule-ask:{locked.pk}", ASK_WINDOW_SECONDS) > ASK_LIMIT:
        raise SchedulingRefused(
            "We have your message already; the recruiter will be in touch with new times.",
            field="note",
        )
    app = locked.application
    now = timezone.now()
    if locked.status == SchedulingRequest.Status.BOOKED and locked.interview is not None:
        InterviewChange.objects.create(
            interview=locked.interview,
            action=InterviewChange.Action.RESCHEDULE_REQUESTED,
            from_starts_at=locked.interview.starts_at,
            by_candidate=True,
            note=note,
            at=now,
        )
    timeline_add(
        candidate=app.candidate,
        kind=TimelineEntry.Kind.INTERVIEW,
        summary=f"Asked for other interview times: {locked.title}, {app.job.title}",
        body=note,
        data={"application": app.pk, "scheduling_request": locked.pk},
    )
    recruiter = _recruiter_of(locked)
    if recruiter is not None and recruiter.email:
        body = render_to_string(
            "ats/email/schedule_reschedule_request.txt",
            {
                "request": locked,
                "candidate": app.candidate,
                "job": app.job,
                "note": note,
                "booked": interviews.local_time(
                    locked.interview.starts_at, locked.interview.timezone
                )
                if locked.status == SchedulingRequest.Status.BOOKED and locked.interview
                else "",
                "recruiter": recruiter,
                "company": company_name(),
            },
        )
        mail_after_commit(
            subject=f"{app.candidate} asked for other interview times ({app.job.title})",
            body=body,
            to=recruiter.email,
            reply_to=app.candidate.email or None,
        )


# --------------------------------------------------------------------------- the recruiter


@transaction.atomic
def scheduling_request_cancel(*, request: SchedulingRequest, actor: User) -> SchedulingRequest:
    """Withdraw the link (recruiters; the job's hiring manager): status CANCELLED and a new
    nonce, so the candidate's link is dead. A booked interview is not touched (cancel it on its
    own page)."""
    locked = (
        SchedulingRequest.objects.select_for_update()
        .select_related("application__job", "application__candidate")
        .get(pk=request.pk)
    )
    if not can_move(actor, locked.application.job):
        raise SchedulingRefused("Only recruiters and the job's hiring manager withdraw links.")
    if locked.status == SchedulingRequest.Status.CANCELLED:
        return locked
    locked.status = SchedulingRequest.Status.CANCELLED
    locked.nonce = new_nonce()
    locked.save(update_fields=["status", "nonce"])
    timeline_add(
        candidate=locked.application.candidate,
        kind=TimelineEntry.Kind.INTERVIEW,
        summary=f"Scheduling link withdrawn: {locked.title}, {locked.application.job.title}",
        actor=actor,
        data={"application": locked.application_id, "scheduling_request": locked.pk},
    )
    return locked
