"""Reads of self-scheduling links: the request a candidate's signed token names (or why it cannot
be used), the offered times still free, and the requests a recruiter or hiring manager may see
on an application."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from config.core.links import BadLink, read_link, sign_link

from ..models import Application, Interview, InterviewType, SchedulingRequest, SchedulingSlot
from .applications import application_get_for_user
from .availability import busy_intervals, overlapping, zone_or_none
from .jobs import User, can_move

SALT = "ats.schedule"


# --------------------------------------------------------------------------- links


def schedule_token(request: SchedulingRequest) -> str:
    """The signed token of the candidate's link: [request id, nonce] (a new nonce revokes it)."""
    return sign_link(SALT, [request.pk, request.nonce])


def schedule_url(request: SchedulingRequest) -> str:
    """The absolute address of the candidate's link (for the email and the recruiter's page)."""
    path = reverse("careers:schedule", args=[schedule_token(request)])
    return f"{settings.SITE_URL}{path}"


def scheduling_requests_loaded() -> QuerySet[SchedulingRequest]:
    """Scheduling requests with their application, person, job, interview, slots and
    interviewers (for services that re-read a locked row)."""
    return SchedulingRequest.objects.select_related(
        "application__candidate",
        "application__job",
        "interview",
        "interview_type",
        "created_by",
    ).prefetch_related(
        Prefetch("slots", queryset=SchedulingSlot.objects.order_by("starts_at", "id")),
        "interviewers",
    )


def scheduling_request_from_token(token: str) -> SchedulingRequest:
    """The request a candidate's token names, usable now. Raises :class:`BadLink` (its message
    is fit for the candidate) for a forged or altered token, a revoked or withdrawn link, or
    one that expired before the candidate booked. A booked link stays usable (to see the
    interview, pick another time or ask to reschedule) until the expiry or the interview,
    whichever is later."""
    payload = read_link(SALT, token, max_age=None)
    if not (
        isinstance(payload, list)
        and len(payload) == 2
        and isinstance(payload[0], int)
        and isinstance(payload[1], str)
    ):
        raise BadLink("This link is not valid (it may have been changed or cut short).")
    request = scheduling_requests_loaded().filter(pk=payload[0]).first()
    if request is None or request.nonce != payload[1]:
        raise BadLink("This link is no longer valid: a newer one may have been sent to you.")
    link_usable(request)
    return request


def link_usable(request: SchedulingRequest) -> None:
    """Raise :class:`BadLink` when the request's link may not be used now."""
    now = timezone.now()
    if request.status == SchedulingRequest.Status.CANCELLED:
        raise BadLink("This scheduling link was withdrawn by the recruiting team.")
    if request.application.status != Application.Status.ACTIVE:
        raise BadLink("This scheduling link is no longer in use.")
    if request.status == SchedulingRequest.Status.OPEN and request.expires_at <= now:
        raise BadLink(
            "This scheduling link has expired. Reply to the email it came with and we will "
            "send you new times.",
            expired=True,
        )
    if request.status == SchedulingRequest.Status.BOOKED:
        interview = request.interview
        if interview is None or interview.status == Interview.Status.CANCELLED:
            raise BadLink("This interview was cancelled; the recruiting team will be in touch.")
        if request.expires_at <= now and interview.ends_at <= now:
            raise BadLink("This interview has taken place, so this link is closed.", expired=True)


# --------------------------------------------------------------------------- slots


def free_slots(request: SchedulingRequest, *, now: datetime | None = None) -> list[SchedulingSlot]:
    """The request's offered times that are still in the future and where no interviewer has a
    scheduled interview (the request's own booked interview aside). Two queries at most, or
    none when the slots are prefetched."""
    now = now or timezone.now()
    slots = [slot for slot in request.slots.all() if slot.starts_at > now]
    if not slots:
        return []
    ids = [user.pk for user in request.interviewers.all()]
    busy = busy_intervals(
        ids,
        slots[0].starts_at,
        slots[-1].ends_at,
        include_offered=False,
        exclude_interview_id=request.interview_id,
    )
    taken = [interval for intervals in busy.values() for interval in intervals]
    booked_start = request.interview.starts_at if request.interview is not None else None
    return [
        slot
        for slot in slots
        if slot.starts_at != booked_start and not overlapping((slot.starts_at, slot.ends_at), taken)
    ]


@dataclass(frozen=True)
class LocalSlot:
    """An offered time as the candidate sees it, in their zone."""

    id: int
    starts_at: datetime
    ends_at: datetime
    day: str
    time: str


def _group(
    times: list[tuple[int, datetime, datetime]], zone: ZoneInfo
) -> list[tuple[str, list[LocalSlot]]]:
    days: dict[str, list[LocalSlot]] = {}
    for pk, starts_at, ends_at in times:
        start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
        day = f"{start:%A} {start.day} {start:%B %Y}"
        label = f"{start:%H:%M}\u2013{end:%H:%M}"
        days.setdefault(day, []).append(LocalSlot(pk, start, end, day, label))
    return list(days.items())


def local_slots(slots: list[SchedulingSlot], zone: ZoneInfo) -> list[tuple[str, list[LocalSlot]]]:
    """The slots grouped by local day ("Tuesday 8 December 2026") in ``zone``."""
    return _group([(s.pk, s.starts_at, s.ends_at) for s in slots], zone)


def local_slots_from_times(
    moments: list[datetime], duration_minutes: int, zone: ZoneInfo
) -> list[tuple[str, list[LocalSlot]]]:
    """Start times (not yet stored) grouped like :func:`local_slots`: the recruiter's preview."""
    length = timedelta(minutes=duration_minutes)
    return _group([(i, m, m + length) for i, m in enumerate(sorted(moments))], zone)


def is_expired(request: SchedulingRequest) -> bool:
    return request.expires_at <= timezone.now()


def candidate_zone(request: SchedulingRequest, asked: str | None) -> tuple[ZoneInfo, str, bool]:
    """The zone to show times in: ``asked`` (the page's ``tz``) when it is a real zone, else the
    request's; returns (zone, name, whether ``asked`` was refused)."""
    if asked:
        zone = zone_or_none(asked)
        if zone is not None:
            return zone, asked.strip(), False
    fallback = zone_or_none(request.timezone) or ZoneInfo("UTC")
    return fallback, str(fallback.key), bool(asked)


# --------------------------------------------------------------------------- staff reads


def application_for_scheduling(user: User, pk: int) -> Application | None:
    """An active application whose scheduling links the user may manage (recruiters; the job's
    hiring manager), or None."""
    app = application_get_for_user(user, pk)
    if app is None or not can_move(user, app.job):
        return None
    return app


def scheduling_requests_of(application: Application) -> list[SchedulingRequest]:
    """The application's scheduling requests, newest first, with their slots and interviewers."""
    return list(scheduling_requests_loaded().filter(application=application))


def scheduling_links_by_application(
    application_ids: list[int],
) -> dict[int, list[SchedulingRequest]]:
    """The scheduling links of the given applications (newest first), by application id, in
    one query: for the profile's applications panel, which passes only the applications whose
    links the user may manage."""
    out: dict[int, list[SchedulingRequest]] = {pk: [] for pk in application_ids}
    if not application_ids:
        return out
    rows = SchedulingRequest.objects.filter(application_id__in=application_ids).select_related(
        "interview"
    )
    for row in rows.order_by("-created_at", "-id"):
        out[row.application_id].append(row)
    return out


def scheduling_request_get_for_user(user: User, pk: int) -> SchedulingRequest | None:
    """One scheduling request on an application the user may manage, or None."""
    request = scheduling_requests_loaded().filter(pk=pk).first()
    if request is None or application_for_scheduling(user, request.application_id) is None:
        return None
    return request


def interview_types_of(application: Application) -> QuerySet[InterviewType]:
    """The job's interview plan entries (to prefill a request)."""
    return InterviewType.objects.filter(job_id=application.job_id).select_related("stage")


def request_zone(request: SchedulingRequest) -> ZoneInfo:
    return zone_or_none(request.timezone) or ZoneInfo("UTC")
