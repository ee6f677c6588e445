"""Thin Celery tasks of the ATS: beat ticks that call a service."""

from __future__ import annotations

import logging

from celery import shared_task

from .services import notices, offers

logger = logging.getLogger(__name__)


@shared_task(name="ats.interview_notices_tick", ignore_result=True)
def interview_notices_tick() -> dict:
    """Beat, every minute: send due interview reminders, feedback prompts and overdue alerts
    (claimed with SKIP LOCKED: overlapping ticks and several workers send each once), and fail
    the ones a dead worker left half-sent."""
    result = notices.notices_send_due()
    reaped = notices.notices_reap_stuck()
    summary = {"sent": result.sent, "skipped": result.skipped, "failed": result.failed}
    if reaped or any(summary.values()):
        logger.info("interview notices: %s, reaped %d", summary, reaped)
    return summary


@shared_task(name="ats.expire_offers", ignore_result=True)
def expire_offers() -> int:
    """Beat, hourly: sent offers past their date become expired. Several workers are safe
    (rows are claimed with SKIP LOCKED)."""
    expired = offers.offers_expire()
    if expired:
        logger.info("expired %d offer(s)", expired)
    return expired
