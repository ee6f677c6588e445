"""Reads of job alerts: whether a person gets them and when the last one went (the profile's
nurture panel), and the person a task's id names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm.models import Candidate, CommunityStatus, ContactTopic
from crm.selectors.consent import latest_consent_by_topic, verdict, withdrawn_topics
from nurture.builtin import JOB_ALERTS_KEY
from nurture.models import Enrollment, JobAlertItem, Message

LIVE = (Enrollment.State.ACTIVE, Enrollment.State.PAUSED)


@dataclass(frozen=True)
class JobAlertStatus:
    """What the profile says about a person's job alerts."""

    gets_alerts: bool
    why_not: str  # for a person: "unsubscribed from job alerts", "" when they get them
    pending: bool  # they may get them, and the next run enrolls them
    frequency: str  # "Weekly digest"
    paused_until: datetime | None
    last_message: Message | None
    jobs_alerted: int


def job_alerts_person_get(candidate_id: Any) -> Candidate | None:
    """The person a task's id names, or None (also for an id that is not a whole number)."""
    try:
        pk = int(candidate_id)
    except (TypeError, ValueError):
        return None
    return Candidate.objects.filter(pk=pk).first()


def _why_not(candidate: Candidate) -> str:
    if candidate.community_status != CommunityStatus.CONFIRMED:
        return "not a confirmed talent-community member"
    gate = verdict(candidate, ContactTopic.JOB_ALERTS, "email", withdrawn_topics(candidate))
    if not gate:
        return gate.detail
    if latest_consent_by_topic(candidate).get(ContactTopic.JOB_ALERTS) is not True:
        return "has not asked for job alerts"
    return ""


def job_alerts_status(candidate: Candidate) -> JobAlertStatus | None:
    """The person's job alerts for the profile (a few queries), or None when there is nothing
    to say (never a member, never alerted). The caller decided the user may see the person."""
    alerted = JobAlertItem.objects.filter(candidate=candidate).count()
    if candidate.community_status == CommunityStatus.NONE and not alerted:
        return None
    last = (
        Message.objects.filter(
            candidate=candidate, enrollment__sequence__builtin_key=JOB_ALERTS_KEY
        )
        .defer("body_text", "body_html")
        .order_by("-queued_at", "-id")
        .first()
    )
    why_not = _why_not(candidate)
    live = Enrollment.objects.filter(
        candidate=candidate, sequence__builtin_key=JOB_ALERTS_KEY, state__in=LIVE
    ).exists()
    return JobAlertStatus(
        gets_alerts=not why_not,
        why_not=why_not,
        pending=not why_not and not live,
        frequency=candidate.get_contact_frequency_display(),
        paused_until=candidate.contact_paused_until,
        last_message=last,
        jobs_alerted=alerted,
    )
