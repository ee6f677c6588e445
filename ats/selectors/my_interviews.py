"""Reads of the "My interviews" page and the scorecard form: an interviewer's own interviews
(today, upcoming, awaiting their feedback), a recruiter's upcoming interviews on their jobs, and
one interview of the user's with what its scorecard form shows. Constant queries whatever the
number of interviews."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from config.core.models import User as AuthUser
from crm.models import ResumeFile

from ..models import Interview
from .jobs import User
from .scorecards import my_scorecard_submitted

SCHEDULED = Interview.Status.SCHEDULED
# How far back "awaiting my feedback" looks (older ones are considered abandoned).
FEEDBACK_WINDOW = timedelta(days=180)
# At most this many rows per section (the page says when there are more).
SECTION_LIMIT = 200


@dataclass
class MyInterviews:
    today: list[Interview] = field(default_factory=list)
    upcoming: list[Interview] = field(default_factory=list)
    awaiting: list[Interview] = field(default_factory=list)
    on_my_jobs: list[Interview] = field(default_factory=list)


# The columns a row shows (a person's and a job's full rows are wide: search vectors, JSON,
# descriptions; loading them for hundreds of rows is most of the page's time).
ROW_FIELDS = (
    "id", "application_id", "interview_type_id", "title", "starts_at", "ends_at", "timezone",
    "location", "video_url", "status",
    "application__id", "application__candidate_id", "application__job_id",
    "application__candidate__id", "application__candidate__first_name",
    "application__candidate__last_name", "application__candidate__current_title",
    "application__job__id", "application__job__title",
    "interview_type__id", "interview_type__name",
)  # fmt: skip
PEOPLE_FIELDS = ("id", "username", "first_name", "last_name")


def _with_people(interviews: QuerySet[Interview]) -> QuerySet[Interview]:
    people = AuthUser.objects.only(*PEOPLE_FIELDS).order_by("first_name", "id")
    return (
        interviews.select_related("application__candidate", "application__job", "interview_type")
        .only(*ROW_FIELDS)
        .prefetch_related(Prefetch("interviewers", queryset=people))
    )


def _day_bounds(now: datetime) -> tuple[datetime, datetime]:
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def my_interviews(
    user: User, *, recruiter: bool = False, now: datetime | None = None
) -> MyInterviews:
    """The user's scheduled interviews split into today, upcoming (after today) and awaiting
    their feedback (ended, no submitted scorecard of theirs); with ``recruiter``, also the
    upcoming interviews on the jobs they recruit for. Four queries (five for a recruiter)."""
    now = now or timezone.now()
    day_start, day_end = _day_bounds(now)
    uid = getattr(user, "pk", None)
    mine = (
        _with_people(Interview.objects.filter(interviewers=uid, status=SCHEDULED))
        .filter(starts_at__gte=min(day_start, now - FEEDBACK_WINDOW))
        .annotate(submitted=my_scorecard_submitted(user))
        .order_by("starts_at", "id")
    )
    result = MyInterviews()
    for interview in mine:
        if day_start <= interview.starts_at < day_end:
            result.today.append(interview)
        elif interview.starts_at >= day_end:
            result.upcoming.append(interview)
        if interview.ends_at <= now and not interview.submitted:
            result.awaiting.append(interview)
    result.upcoming = result.upcoming[:SECTION_LIMIT]
    result.awaiting = result.awaiting[-SECTION_LIMIT:][::-1]  # most recent first
    if recruiter:
        result.on_my_jobs = list(
            _with_people(
                Interview.objects.filter(
                    application__job__recruiter=uid, status=SCHEDULED, ends_at__gte=now
                )
            ).order_by("starts_at", "id")[:SECTION_LIMIT]
        )
    return result


def interview_on_my_panel(user: User, pk: int) -> Interview | None:
    """One interview of which the user is an interviewer, with its application, person, job
    and kit; None otherwise (the scorecard form's loader: 404)."""
    return (
        Interview.objects.filter(pk=pk, interviewers=getattr(user, "pk", None))
        .select_related("application__candidate", "application__job", "interview_type")
        .first()
    )


def latest_resume(candidate_id: int) -> ResumeFile | None:
    """The person's most recent resume file (the kit links to it)."""
    return (
        ResumeFile.objects.filter(candidate_id=candidate_id)
        .only("id", "candidate_id", "original_name", "uploaded_at")
        .order_by("-uploaded_at", "-id")
        .first()
    )


def my_interviews_with(user: User, candidate_id: int) -> list[Interview]:
    """The user's scheduled interviews of one person (any of their applications), with job and
    kit, oldest first: what the interviewer's limited profile shows."""
    return list(
        Interview.objects.filter(
            application__candidate_id=candidate_id,
            interviewers=getattr(user, "pk", None),
            status=SCHEDULED,
        )
        .select_related("application__job", "interview_type")
        .annotate(submitted=my_scorecard_submitted(user))
        .order_by("starts_at", "id")
    )
