"""iCalendar (RFC 5545) text for interviews, built with the ``icalendar`` library.

Invites follow iTIP (RFC 5546): METHOD:REQUEST for a new or changed interview, METHOD:CANCEL
for a cancelled one (or for an interviewer taken off it), always with the same UID
(``<interview.uid>@<site host>``) and the interview's SEQUENCE, so calendars replace the event
instead of adding a second one. Times carry the TZID of the zone the interview was scheduled in,
with its VTIMEZONE. Feeds (METHOD:PUBLISH) list many interviews in one calendar."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, datetime
from email.utils import parseaddr
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from .models import Interview

PRODID = "-//Talentloop//Interviews//EN"
METHODS = ("REQUEST", "CANCEL", "PUBLISH")


def site_host() -> str:
    """The host of SITE_URL: the right-hand side of every interview's calendar UID."""
    return urlparse(settings.SITE_URL).hostname or "talentloop.localhost"


def event_uid(interview: Interview) -> str:
    return f"{interview.uid}@{site_host()}"


def interview_url(interview: Interview) -> str:
    return settings.SITE_URL + reverse("ats:interview-detail", args=[interview.pk])


def _address(email: str, name: str = "", **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key.replace("_", "-").upper()] = vText(value)
    return address


def _organizer(interview: Interview) -> vCalAddress:
    """The recruiter who scheduled it, else the job's recruiter, else the site's sender."""
    for user in (interview.created_by, interview.application.job.recruiter):
        if user is not None and user.email:
            return _address(user.email, user.get_full_name() or user.get_username())
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return _address(email or "no-reply@" + site_host(), name or settings.COMPANY_NAME)


def _description(interview: Interview, *, for_staff: bool) -> str:
    lines = []
    if interview.video_url:
        lines.append(f"Video call: {interview.video_url}")
    if interview.location:
        lines.append(f"Location: {interview.location}")
    if for_staff:
        lines.append(f"Interview kit: {interview_url(interview)}")
    elif interview.message:
        lines += ["", interview.message]
    return "\n".join(lines).strip()


def zone_or_none(name: object) -> ZoneInfo | None:
    """The IANA zone called ``name``, or None when there is no such zone (the one lookup every
    form, service and page uses; a path-like name never reaches the tz database)."""
    if not isinstance(name, str):
        return None
    name = name.strip()
    if not name or name.startswith(("/", ".")) or ".." in name or "\x00" in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _zone(interview: Interview) -> ZoneInfo:
    # a zone removed from tzdata since the interview was made: UTC
    return zone_or_none(interview.timezone) or ZoneInfo("UTC")


def interview_event(
    interview: Interview,
    *,
    attendees: Iterable | None = None,
    include_candidate: bool = True,
    cancelled: bool | None = None,
    for_staff: bool = True,
    stamp: datetime | None = None,
) -> Event:
    """The VEVENT of one interview. ``attendees`` defaults to its interviewers; the candidate is
    added when ``include_candidate`` and they have an address. ``cancelled`` defaults to the
    interview's own status."""
    if cancelled is None:
        cancelled = interview.status == Interview.Status.CANCELLED
    zone = _zone(interview)
    application = interview.application
    candidate = application.candidate
    event = Event()
    event.add("uid", event_uid(interview))
    event.add("sequence", interview.sequence)
    event.add("dtstamp", stamp or timezone.now())
    event.add("dtstart", interview.starts_at.astimezone(zone))
    event.add("dtend", interview.ends_at.astimezone(zone))
    event.add("summary", f"{interview.title}: {candidate.full_name} for {application.job.title}")
    if interview.location:
        event.add("location", interview.location)
    elif interview.video_url:
        event.add("location", interview.video_url)
    if interview.video_url:
        event.add("url", interview.video_url)
    description = _description(interview, for_staff=for_staff)
    if description:
        event.add("description", description)
    event.add("organizer", _organizer(interview))
    people = list(interview.interviewers.all()) if attendees is None else list(attendees)
    for user in people:
        if user.email:
            event.add(
                "attendee",
                _address(
                    user.email,
                    user.get_full_name() or user.get_username(),
                    role="REQ-PARTICIPANT",
                    partstat="NEEDS-ACTION",
                    rsvp="TRUE",
                    cutype="INDIVIDUAL",
                ),
            )
    if include_candidate and candidate.email:
        event.add(
            "attendee",
            _address(
                candidate.email,
                candidate.full_name,
                role="REQ-PARTICIPANT",
                partstat="NEEDS-ACTION",
                rsvp="TRUE",
                cutype="INDIVIDUAL",
            ),
        )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _calendar(method: str) -> Calendar:
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def interview_calendar(
    interview: Interview,
    *,
    method: str = "REQUEST",
    attendees: Iterable | None = None,
    include_candidate: bool = True,
    for_staff: bool = True,
) -> str:
    """The iCalendar text of one interview's invite: METHOD:REQUEST (new or changed) or
    METHOD:CANCEL (cancelled, or ``attendees`` taken off it), with its VTIMEZONE."""
    calendar = _calendar(method)
    calendar.add_component(
        interview_event(
            interview,
            attendees=attendees,
            include_candidate=include_candidate,
            cancelled=True if method == "CANCEL" else None,
            for_staff=for_staff,
        )
    )
    return _with_zones(calendar, [interview])


def feed_calendar(interviews: Iterable[Interview], *, name: str) -> str:
    """A subscribable feed (METHOD:PUBLISH) of many interviews; cancelled ones stay in it with
    STATUS:CANCELLED so subscribed calendars drop them."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    shown = []
    for interview in interviews:
        calendar.add_component(interview_event(interview, include_candidate=False, stamp=stamp))
        shown.append(interview)
    return _with_zones(calendar, shown)


def _with_zones(calendar: Calendar, interviews: list[Interview]) -> str:
    """The calendar's text with the VTIMEZONE of each zone its events use, covering the year
    before the first event to the year after the last: what a calendar needs to place them.
    (The library's default span, 1970-2038, writes some 140 transitions per zone.) A zone's
    block is the same for every invite of those years, so it is written once per process and
    put before the first VEVENT (RFC 5545 allows the components in any order)."""
    text = calendar.to_ical().decode("utf-8")
    if not interviews:
        return text
    first = min(i.starts_at for i in interviews).year - 1
    last = max(i.starts_at for i in interviews).year + 2
    zones = sorted({_zone(i).key for i in interviews} - {"UTC"})
    block = "".join(_vtimezone_text(key, first, last) for key in zones)
    return text.replace("BEGIN:VEVENT\r\n", block + "BEGIN:VEVENT\r\n", 1)


@functools.lru_cache(maxsize=128)
def _vtimezone_text(key: str, first_year: int, last_year: int) -> str:
    zone = Timezone.from_tzid(
        key, first_date=date(first_year, 1, 1), last_date=date(last_year, 1, 1)
    )
    return zone.to_ical().decode("utf-8")


def local_time(moment: datetime, zone_name: str) -> str:
    """``moment`` as people read it in the interview's zone: "Tue 1 Dec 2026, 10:00 (Europe/Berlin)"."""
    zone = zone_or_none(zone_name) or ZoneInfo("UTC")
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} ({zone_name})"
