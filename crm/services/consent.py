"""The consent ledger's writes: every grant or withdrawal is a row, and on the timeline.

The reads (the verdict every sender asks for) are in :mod:`crm.selectors.consent`."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..models import Candidate, ConsentRecord, ContactTopic, TimelineEntry
from ..types import Actor, actor_user
from .timeline import timeline_add


@transaction.atomic
def consent_record(
    *,
    candidate: Candidate,
    topic: str,
    granted: bool,
    source: str,
    actor: Actor = None,
    note: str = "",
) -> ConsentRecord:
    """Append to the ledger and put it on the timeline."""
    if topic not in ContactTopic.values:
        raise ValueError(f"unknown topic {topic!r}")
    now = timezone.now()
    record = ConsentRecord.objects.create(
        candidate=candidate,
        topic=topic,
        granted=granted,
        source=source[:40],
        actor=actor_user(actor),
        note=note[:300],
        at=now,
    )
    label = ContactTopic(topic).label.lower()
    timeline_add(
        candidate=candidate,
        kind=TimelineEntry.Kind.CONSENT,
        summary=(f"Opted in to {label}" if granted else f"Unsubscribed from {label}")
        + f" ({source})",
        actor=actor,
        data={"topic": topic, "granted": granted, "source": source},
        occurred_at=now,
    )
    return record
