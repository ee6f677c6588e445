"""Interview reminders and feedback prompts: due times kept in the database
(:class:`ats.models.InterviewNotice`), claimed by a Celery beat tick with SKIP LOCKED and sent
once. Scheduling services call :func:`interview_notices_replan` whenever an interview is
scheduled, moved or cancelled."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from ..models import Interview, InterviewNotice

REMINDER_BEFORE = timedelta(hours=24)
FEEDBACK_PROMPT_AFTER = timedelta(hours=2)
FEEDBACK_OVERDUE_AFTER = timedelta(hours=24)


@transaction.atomic
def interview_notices_replan(*, interview: Interview) -> list[InterviewNotice]:
    """Make the notices match the interview as it is now: queued notices made for an earlier
    SEQUENCE (a reschedule, a cancellation) are skipped, and a scheduled interview gets its
    reminders (24 h before, to the candidate and each interviewer), feedback prompts (2 h after
    the end, to each interviewer) and overdue alerts (24 h after the end, to the recruiter) for
    its current SEQUENCE. Idempotent: calling it twice makes no second row."""
    InterviewNotice.objects.filter(
        interview=interview, status=InterviewNotice.Status.QUEUED
    ).exclude(for_sequence=interview.sequence).update(
        status=InterviewNotice.Status.SKIPPED, detail="interview moved or cancelled"
    )
    if interview.status != Interview.Status.SCHEDULED:
        InterviewNotice.objects.filter(
            interview=interview, status=InterviewNotice.Status.QUEUED
        ).update(status=InterviewNotice.Status.SKIPPED, detail="interview cancelled")
        return []
    kinds = InterviewNotice.Kind
    reminder_at = interview.starts_at - REMINDER_BEFORE
    rows = [InterviewNotice(kind=kinds.CANDIDATE_REMINDER, user=None, due_at=reminder_at)]
    for user in interview.interviewers.all():
        rows += [
            InterviewNotice(kind=kinds.INTERVIEWER_REMINDER, user=user, due_at=reminder_at),
            InterviewNotice(
                kind=kinds.FEEDBACK_PROMPT,
                user=user,
                due_at=interview.ends_at + FEEDBACK_PROMPT_AFTER,
            ),
            InterviewNotice(
                kind=kinds.FEEDBACK_OVERDUE,
                user=user,
                due_at=interview.ends_at + FEEDBACK_OVERDUE_AFTER,
            ),
        ]
    for row in rows:
        row.interview = interview
        row.for_sequence = interview.sequence
    InterviewNotice.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["interview", "kind", "user", "for_sequence"],
        update_fields=["due_at"],
    )
    return rows
