"""The checks and locks behind the interview services (``ats.services.interviews``): what a
schedule, change or cancellation may be, and the row locks that keep two bookings of one
interviewer from both getting through. Raised errors carry the field at fault."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from config.core.models import User as AuthUser
from config.core.roles import Role

from ..ics import zone_or_none
from ..models import Application, Interview
from ..selectors.interviews import interview_conflicts
from ..selectors.users import users_holding

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
    zone = zone_or_none(timezone_name)
    if zone is None:
        name = timezone_name.strip() if isinstance(timezone_name, str) else timezone_name
        raise InterviewRefused(
            f"Unknown time zone {name!r}: use an IANA name such as Europe/Berlin.", "timezone"
        )
    return zone


def check_time(starts_at: Any, duration_minutes: Any) -> tuple[datetime, datetime]:
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


def check_interviewers(interviewers: Iterable[Any]) -> list[AuthUser]:
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


def check_text(value: Any, field: str, limit: int, *, required: bool = False) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise InterviewRefused(f"{field} must be text.", field)
    if required and not text:
        raise InterviewRefused(f"Give a {field}.", field)
    if len(text) > limit:
        raise InterviewRefused(f"The {field} is too long (at most {limit} characters).", field)
    return text


def check_video_url(value: Any) -> str:
    url = check_text(value, "video_url", 500)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise InterviewRefused(
                "The video link must be a web address (https://...).", "video_url"
            ) from None
    return url


def lock_application(application: Application) -> Application:
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


def lock_interview(interview: Interview) -> Interview:
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


def lock_people(people: Sequence[AuthUser]) -> None:
    """Serialize bookings per interviewer: lock their user rows in id order (no deadlocks)."""
    ids = sorted(user.pk for user in people)
    list(AuthUser.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


def check_conflicts(
    people: Sequence[AuthUser],
    starts_at: datetime,
    ends_at: datetime,
    *,
    exclude: Interview | None,
    allow: bool,
) -> None:
    if allow or not people:
        return
    lock_people(people)
    conflicts = interview_conflicts(
        users=people, starts_at=starts_at, ends_at=ends_at, exclude=exclude
    )
    if conflicts:
        raise InterviewConflict(conflicts)
