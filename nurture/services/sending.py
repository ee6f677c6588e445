"""Phase 2 of the dispatcher (see nurture.services.dispatch): claim queued messages, check consent again,
send, record; and the reaper for messages whose worker died mid-send."""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from crm.models import TimelineEntry
from crm.selectors.consent import verdict, withdrawn_topics_by_person
from crm.services.timeline import timeline_add_many
from nurture import email as mail
from nurture.models import Alert, Channel, Enrollment, Message
from nurture.services.bulk import update_rows
from nurture.sms import SmsError, sms_backend

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
PAUSED_RECHECK = timedelta(minutes=15)


# --------------------------------------------------------------------------- phase 2


def claim(*, batch: int | None = None, now: datetime | None = None) -> list[int]:
    """Move up to ``batch`` QUEUED messages (due for a retry, if retried) to SENDING and return
    their ids; committed at once, so no other worker can claim them."""
    now = now or timezone.now()
    batch = batch or settings.NURTURE_BATCH_SIZE
    with transaction.atomic():
        ids = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(status=Message.Status.QUEUED, channel__in=[Channel.EMAIL, Channel.SMS])
            .exclude(retry_at__gt=now)
            .order_by("id")
            .values_list("id", flat=True)[:batch]
        )
        if ids:
            Message.objects.filter(pk__in=ids, status=Message.Status.QUEUED).update(
                status=Message.Status.SENDING, sending_at=now
            )
    return ids


@dataclass
class SendResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0


def send_claimed(*, ids: list[int], connection: BaseEmailBackend | None = None) -> SendResult:
    """Send the SENDING messages ``ids`` (claimed by this worker) over ``connection`` (opened
    here when not given), checking the enrollment and consent first."""
    result = SendResult()
    if not ids:
        return result
    messages = list(
        Message.objects.filter(pk__in=ids, status=Message.Status.SENDING).select_related(
            "enrollment__sequence__owner", "candidate", "step"
        )
    )
    withdrawn = withdrawn_topics_by_person({m.candidate_id for m in messages})
    own = connection is None
    connection = connection or get_connection()
    outcome: dict[str, list[Message]] = defaultdict(list)
    try:
        for message in messages:
            if getattr(connection, "connection", "n/a") is None:
                _open_quietly(connection)  # keep one connection for the whole batch
            _send_one(message, withdrawn, connection)
            outcome[message.status].append(message)
    finally:
        if own:
            connection.close()
        _record(outcome, result)
    return result


def _not_now(message: Message, withdrawn: dict[int, set[str]]) -> str:
    """Why the message must not go now ('' when it may)."""
    enrollment = message.enrollment
    if enrollment.state == Enrollment.State.STOPPED:
        return f"enrollment stopped ({enrollment.get_stop_reason_display().lower()})"
    topic = enrollment.sequence.topic
    held_back = withdrawn.get(message.candidate_id, set())
    return verdict(message.candidate, topic, message.channel, held_back).reason


_TRANSIENT = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
)


def _send_one(
    message: Message, withdrawn: dict[int, set[str]], connection: BaseEmailBackend
) -> None:
    """Send one message and set its status (SENT, SKIPPED, QUEUED for a retry, FAILED)."""
    if message.enrollment.state == Enrollment.State.PAUSED:
        message.status = Message.Status.QUEUED  # waits for the resume
        message.retry_at = timezone.now() + PAUSED_RECHECK
        return
    reason = _not_now(message, withdrawn)
    if reason:
        message.status, message.error = Message.Status.SKIPPED, f"not sent: {reason}"[:500]
        return
    message.attempts += 1
    try:
        if message.channel == Channel.SMS:
            sms_backend().send(to=message.to_address, body=message.body_text)
        else:
            connection.send_messages([mail.build(message, message.enrollment.sequence)])
    except _TRANSIENT as exc:
        _close_quietly(connection)
        _retry_or_fail(message, f"connection: {exc}")
        return
    except SmsError as exc:
        _fail(message, str(exc))
        return
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if any(400 <= code < 500 for code in codes):
            _retry_or_fail(message, f"recipient deferred: {codes}")
        else:
            _fail(message, f"recipient refused: {codes}")
        return
    except smtplib.SMTPResponseException as exc:
        error = f"{exc.smtp_code} {exc.smtp_error!r}"
        if 400 <= exc.smtp_code < 500:
            _retry_or_fail(message, error)
        else:
            _fail(message, error)
        return
    message.status, message.sent_at, message.error = Message.Status.SENT, timezone.now(), ""


def _open_quietly(connection: BaseEmailBackend) -> None:
    """Open the SMTP connection; a failure here surfaces on the send as a transient error."""
    try:
        connection.open()
    except (OSError, smtplib.SMTPException):
        logger.warning("could not connect to the SMTP server", exc_info=True)


def _close_quietly(connection: BaseEmailBackend) -> None:
    """After a dropped connection, Django's backend reconnects on the next send."""
    try:
        connection.close()
    except Exception:
        logger.debug("closing a broken SMTP connection failed", exc_info=True)


def _retry_or_fail(message: Message, error: str) -> None:
    if message.attempts >= MAX_ATTEMPTS:
        _fail(message, f"gave up after {message.attempts} attempts: {error}")
        return
    backoff = timedelta(seconds=min(3600, 30 * 2 ** (message.attempts - 1)))
    message.status, message.error = Message.Status.QUEUED, error[:500]
    message.retry_at = timezone.now() + backoff


def _fail(message: Message, error: str) -> None:
    message.status, message.error = Message.Status.FAILED, error[:500]


def _record(outcome: dict[str, list[Message]], result: SendResult) -> None:
    now = timezone.now()
    everything = [m for rows in outcome.values() for m in rows]
    update_rows(Message, everything, ["status", "error", "attempts", "sent_at", "retry_at"])
    sent = outcome.get(Message.Status.SENT, [])
    result.sent = len(sent)
    result.retried = len(outcome.get(Message.Status.QUEUED, []))
    result.failed = len(outcome.get(Message.Status.FAILED, []))
    result.skipped = len(outcome.get(Message.Status.SKIPPED, []))
    timeline_add_many(
        entries=[
            TimelineEntry(
                candidate_id=m.candidate_id,
                kind=TimelineEntry.Kind.EMAIL_OUT
                if m.channel == Channel.EMAIL
                else TimelineEntry.Kind.UPDATED,
                channel=m.channel,
                summary=f"Sent “{m.subject or m.enrollment.sequence.name}” ({m.enrollment.sequence.name})",
                data={"message": m.pk, "enrollment": m.enrollment_id},
                occurred_at=m.sent_at or now,
            )
            for m in sent
        ]
    )
    Alert.objects.bulk_create(
        Alert(
            owner=m.enrollment.sequence.owner,
            message=m,
            text=f"Could not send “{m.subject}” to {m.candidate}: {m.error}"[:500],
        )
        for m in outcome.get(Message.Status.FAILED, [])
    )


def send_queued(
    *, batch: int | None = None, connection: BaseEmailBackend | None = None
) -> SendResult:
    """Claim one batch and send it (over one SMTP connection)."""
    return send_claimed(ids=claim(batch=batch), connection=connection)


# --------------------------------------------------------------------------- upkeep


def reap_stuck(*, now: datetime | None = None) -> int:
    """Fail messages left SENDING by a worker that died (see the module docstring)."""
    now = now or timezone.now()
    limit = now - timedelta(seconds=settings.NURTURE_SENDING_TIMEOUT_SECONDS)
    stuck = list(
        Message.objects.filter(status=Message.Status.SENDING, sending_at__lt=limit).select_related(
            "enrollment__sequence__owner", "candidate"
        )
    )
    reaped = 0
    for message in stuck:
        updated = Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(
            status=Message.Status.FAILED,
            error="worker stopped mid-send; not retried: it may have been delivered",
        )
        if updated:
            reaped += 1
            Alert.objects.create(
                owner=message.enrollment.sequence.owner,
                message=message,
                text=f"“{message.subject}” to {message.candidate} may or may not have been sent "
                "(the sending worker stopped). Check with the person before sending again.",
            )
    return reaped
