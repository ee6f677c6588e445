"""Thin Celery tasks for site plumbing. Retry policy for mail lives here, in one place."""

import logging
import smtplib

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from .mail import CalendarEmail

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "core:beat:last-tick"


@shared_task(
    name="core.send_email",
    autoretry_for=(smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html: str | None = None,
    calendar: str | None = None,
    calendar_method: str = "REQUEST",
    reply_to: list[str] | None = None,
) -> int:
    """Send one transactional email (password reset, interview invites and the like).

    ``calendar`` is an iCalendar text (an interview invite); it goes out as a
    ``text/calendar; method=<calendar_method>`` alternative part, which mail clients show as an
    invitation, and as an ``invite.ics`` attachment for the rest (see :class:`CalendarEmail`)."""
    message = CalendarEmail(
        subject=subject,
        body=body,
        from_email=from_email,
        to=to,
        reply_to=reply_to,
        calendar=calendar,
        calendar_method=calendar_method,
    )
    if html:
        message.attach_alternative(html, "text/html")
    sent = message.send()
    logger.info("sent %s to %d recipient(s)", subject, len(to))
    return sent


@shared_task(name="core.heartbeat", ignore_result=True)
def heartbeat() -> str:
    """Beat's tick: records when the scheduler and a worker last ran (shown by /healthz)."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now
