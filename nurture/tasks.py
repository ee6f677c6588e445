"""Thin Celery tasks of the nurture engine: beat ticks that run the dispatcher."""

import logging

from celery import shared_task

from nurture.selectors.job_alerts import job_alerts_person_get
from nurture.services import dispatch, job_alerts, sending
from nurture.services.automation import consume_events

logger = logging.getLogger(__name__)


@shared_task(name="nurture.dispatch_tick", ignore_result=True)
def dispatch_tick() -> dict:
    """Beat, every 30 s: react to domain events, schedule due steps, send what is queued.
    Overlapping ticks and several workers are safe (rows are claimed with SKIP LOCKED)."""
    events = consume_events()
    scheduled, sent = dispatch.dispatch()
    summary = {
        "events": events,
        "queued": scheduled.queued,
        "sent": sent.sent,
        "failed": sent.failed,
        "skipped": sent.skipped,
        "retried": sent.retried,
    }
    if any(summary.values()):
        logger.info("nurture tick: %s", summary)
    return summary


@shared_task(name="nurture.send_batches", ignore_result=True)
def send_batches() -> int:
    """Send queued messages until none is left (fan-out target for extra workers)."""
    total = 0
    while True:
        result = sending.send_queued()
        done = result.sent + result.failed + result.skipped + result.retried
        if not done:
            return total
        total += result.sent


@shared_task(name="nurture.reap_stuck", ignore_result=True)
def reap_stuck() -> int:
    """Beat, every 5 min: fail messages left SENDING by a worker that died."""
    return sending.reap_stuck()


@shared_task(name="nurture.job_alerts_tick", ignore_result=True)
def job_alerts_tick() -> dict:
    """Beat, every 15 min: enroll members who asked for job alerts and queue the alerts that
    are due (the dispatch tick sends them). Overlapping ticks are safe (SKIP LOCKED claims)."""
    result = job_alerts.job_alerts_run()
    summary = {"enrolled": result.enrolled, "queued": result.queued, "jobs": result.jobs}
    if any(summary.values()):
        logger.info("job alerts: %s", summary)
    return summary


@shared_task(name="nurture.job_alerts_for", ignore_result=True)
def job_alerts_for(candidate_id: int) -> int:
    """Job alerts for one person now (e.g. after they changed their interests or frequency);
    an id that names nobody is logged and ignored. Returns the mails queued."""
    person = job_alerts_person_get(candidate_id)
    if person is None:
        logger.warning("job alerts: no person with id %r; nothing to do", candidate_id)
        return 0
    return job_alerts.job_alerts_run(candidate_ids=[person.pk]).queued
