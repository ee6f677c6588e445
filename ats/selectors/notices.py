"""Reads for the interview-notice tick (see ``ats.services.notices``): the claimed rows with
everything a mail needs, in a fixed number of queries, and whether each still applies."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch

from ..models import Interview, InterviewNotice, Scorecard


def claimed_notices(*, ids: list[int]) -> list[InterviewNotice]:
    """The SENDING notices ``ids`` with their interview, application, candidate, job, recruiter,
    panel and submitted scorecards loaded (a constant number of queries for any batch)."""
    return list(
        InterviewNotice.objects.filter(pk__in=ids, status=InterviewNotice.Status.SENDING)
        .select_related(
            "user",
            "interview__application__candidate",
            "interview__application__job__recruiter",
            "interview__interview_type",
            "interview__created_by",
        )
        .prefetch_related(
            "interview__interviewers",
            Prefetch(
                "interview__scorecards",
                queryset=Scorecard.objects.filter(status=Scorecard.Status.SUBMITTED),
                to_attr="submitted_scorecards",
            ),
        )
        .order_by("due_at", "id")
    )


def _submitted_by(interview: Interview, user_id: int | None) -> bool:
    return any(card.interviewer_id == user_id for card in interview.submitted_scorecards)  # type: ignore[attr-defined]


def why_not(notice: InterviewNotice, *, now: datetime) -> str:
    """Why ``notice`` must not go now ('' when it may): the interview was cancelled or moved
    (the notice belongs to an older SEQUENCE), the time has passed, the interviewer left the
    panel, or the feedback it asks for is in."""
    interview = notice.interview
    kinds = InterviewNotice.Kind
    if interview.status != Interview.Status.SCHEDULED:
        return "interview cancelled"
    if notice.for_sequence != interview.sequence:
        return "interview moved since this was planned"
    if notice.user_id is not None and notice.user_id not in {
        user.pk for user in interview.interviewers.all()
    }:
        return "no longer on the interview panel"
    if notice.kind in (kinds.CANDIDATE_REMINDER, kinds.INTERVIEWER_REMINDER):
        if interview.starts_at <= now:
            return "the interview has started: too late for a reminder"
    elif _submitted_by(interview, notice.user_id):
        return "feedback submitted"
    return ""
