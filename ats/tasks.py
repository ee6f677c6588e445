"""Thin Celery tasks of the ATS: beat ticks that call a service."""

import logging

from celery import shared_task

from ats.services import offers

logger = logging.getLogger(__name__)


@shared_task(name="ats.expire_offers", ignore_result=True)
def expire_offers() -> int:
    """Beat, hourly: sent offers past their date become expired. Several workers are safe
    (rows are claimed with SKIP LOCKED)."""
    expired = offers.offers_expire()
    if expired:
        logger.info("expired %d offer(s)", expired)
    return expired
