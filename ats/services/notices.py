"""Interview reminders and feedback prompts: due times kept in the database
(:class:`ats.models.InterviewNotice`), claimed by a Celery beat tick with SKIP LOCKED and sent
once. Scheduling services call :func:`interview_notices_replan` whenever an interview is
scheduled, moved or cancelled."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from crm.models import Channel, TimelineEntry
from crm.services.timeline import timeline_add_many

from .. import notice_mail
from ..ics import local_time
from ..models import Interview, InterviewNotice
from ..selectors import notices as notices_selectors

logger = logging.getLogger(__name__)

REMINDER_BEFORE = timedelta(hours=24)
FEEDBACK_PROMPT_AFTER = timedelta(hours=2)
FEEDBACK_OVERDUE_AFTER = timedelta(hours=24)
SENDING_TIMEOUT = timedelta(minutes=15)


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
    # An interview set up less than 24 hours ahead gets no reminder: the invitation just went.
    remind = reminder_at > timezone.now()
    rows = []
    if remind:
        rows.append(InterviewNotice(kind=kinds.CANDIDATE_REMINDER, user=None, due_at=reminder_at))
    for user in interview.interviewers.all():
        if remind:
            rows.append(
                InterviewNotice(kind=kinds.INTERVIEWER_REMINDER, user=user, due_at=reminder_at)
            )
        rows += [
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


# --------------------------------------------------------------------------- the tick


@dataclass
class NoticeResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0


def notices_claim(*, now: datetime | None = None, batch: int = 500) -> list[int]:
    """Move up to ``batch`` due QUEUED notices to SENDING and return their ids; committed at
    once, so a racing worker skips them (SKIP LOCKED) and can never send them again."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            InterviewNotice.objects.select_for_update(skip_locked=True)
            .filter(status=InterviewNotice.Status.QUEUED, due_at__lte=now)
            .order_by("due_at", "id")
            .values_list("id", flat=True)[:batch]
        )
        if ids:
            InterviewNotice.objects.filter(pk__in=ids, status=InterviewNotice.Status.QUEUED).update(
                status=InterviewNotice.Status.SENDING, claimed_at=now
            )
    return ids


def notices_send_claimed(
    *, ids: list[int], connection: BaseEmailBackend | None = None, now: datetime | None = None
) -> NoticeResult:
    """Send the SENDING notices ``ids`` (claimed by this worker) over one SMTP connection:
    each is checked against the interview as it is now (still scheduled, same SEQUENCE, the
    user still on the panel, feedback still missing) and SKIPPED when it no longer applies."""
    result = NoticeResult()
    if not ids:
        return result
    now = now or timezone.now()
    notices = notices_selectors.claimed_notices(ids=ids)
    own = connection is None
    connection = connection or get_connection()
    done: list[InterviewNotice] = []
    try:
        for notice in notices:
            _send_one(notice, connection, now)
            done.append(notice)
    finally:
        if own:
            connection.close()
        _record(done)
    for notice in done:
        if notice.status == InterviewNotice.Status.SENT:
            result.sent += 1
        elif notice.status == InterviewNotice.Status.SKIPPED:
            result.skipped += 1
        else:
            result.failed += 1
    return result


def _send_one(notice: InterviewNotice, connection: BaseEmailBackend, now: datetime) -> None:
    reason = notices_selectors.why_not(notice, now=now)
    if reason:
        notice.status, notice.detail = InterviewNotice.Status.SKIPPED, reason[:300]
        return
    message = notice_mail.build(notice)
    if message is None:
        notice.status, notice.detail = InterviewNotice.Status.SKIPPED, "no address to send to"
        return
    try:
        connection.send_messages([message])
    except (smtplib.SMTPException, OSError) as exc:
        # Not retried: the server may have taken it; a duplicate reminder is worse than none.
        notice.status, notice.detail = InterviewNotice.Status.FAILED, f"send failed: {exc}"[:300]
        logger.warning("interview notice %s not sent: %s", notice.pk, exc)
        return
    notice.status, notice.sent_at, notice.detail = InterviewNotice.Status.SENT, timezone.now(), ""


def _record(done: list[InterviewNotice]) -> None:
    """Write the outcome: the sent ones (nearly all) in one UPDATE, the rest row by row."""
    now = timezone.now()
    sent = [n for n in done if n.status == InterviewNotice.Status.SENT]
    if sent:
        InterviewNotice.objects.filter(pk__in=[n.pk for n in sent]).update(
            status=InterviewNotice.Status.SENT, sent_at=now, detail=""
        )
    others = [n for n in done if n.status != InterviewNotice.Status.SENT]
    if others:
        InterviewNotice.objects.bulk_update(others, ["status", "detail"])
    # the candidate's reminders are touches on their timeline
    timeline_add_many(
        entries=[
            TimelineEntry(
                candidate_id=n.interview.application.candidate_id,
                kind=TimelineEntry.Kind.EMAIL_OUT,
                channel=Channel.EMAIL,
                summary=f"Interview reminder sent: {n.interview.title}, "
                f"{local_time(n.interview.starts_at, n.interview.timezone)}",
                data={"interview": n.interview_id, "application": n.interview.application_id},
                occurred_at=now,
            )
            for n in sent
            if n.kind == InterviewNotice.Kind.CANDIDATE_REMINDER
        ]
    )


def notices_send_due(*, batch: int = 500, max_batches: int = 50) -> NoticeResult:
    """What the beat tick runs: claim and send due notices, batch after batch, until none is due
    (or ``max_batches``, so one tick never runs forever)."""
    total = NoticeResult()
    connection = get_connection()
    try:
        for _ in range(max_batches):
            ids = notices_claim(batch=batch)
            if not ids:
                break
            result = notices_send_claimed(ids=ids, connection=connection)
            total.sent += result.sent
            total.skipped += result.skipped
            total.failed += result.failed
    finally:
        connection.close()
    return total


def notices_reap_stuck(*, now: datetime | None = None) -> int:
    """Notices left SENDING by a worker that died are marked FAILED, not sent again (they may
    have gone out)."""
    now = now or timezone.now()
    return InterviewNotice.objects.filter(
        status=InterviewNotice.Status.SENDING, claimed_at__lt=now - SENDING_TIMEOUT
    ).update(
        status=InterviewNotice.Status.FAILED,
        detail="worker stopped mid-send; not retried: it may have been delivered",
    )
