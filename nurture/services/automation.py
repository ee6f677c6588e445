"""Reactions to what happens elsewhere (domain events written by ats and crm in the same
transaction as the change): an application stops passive nurture, a hire stops everything.
Events are claimed with SKIP LOCKED and marked processed, so each is handled once."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from config.core.models import DomainEvent
from crm.models import Candidate
from nurture.models import Enrollment
from nurture.services.enrollments import enrollment_stop

HANDLED = ("application.created", "application.hired")


def _live(candidate_id: int) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(
        candidate_id=candidate_id, state__in=[Enrollment.State.ACTIVE, Enrollment.State.PAUSED]
    ).select_related("sequence", "candidate")


def _handle(event: DomainEvent) -> None:
    candidate_id = event.payload.get("candidate")
    if not candidate_id or not Candidate.objects.filter(pk=candidate_id).exists():
        return
    if event.type == "application.created":
        for enrollment in _live(candidate_id).filter(sequence__stop_on_application=True):
            enrollment_stop(enrollment=enrollment, reason=Enrollment.StopReason.APPLIED)
    elif event.type == "application.hired":
        for enrollment in _live(candidate_id):
            enrollment_stop(enrollment=enrollment, reason=Enrollment.StopReason.HIRED)


def consume_events(*, batch: int = 500) -> int:
    """Handle the unprocessed events this engine reacts to; others are left for their owners."""
    with transaction.atomic():
        events = list(
            DomainEvent.objects.select_for_update(skip_locked=True)
            .filter(processed_at__isnull=True, type__in=HANDLED)
            .order_by("id")[:batch]
        )
        for event in events:
            _handle(event)
        DomainEvent.objects.filter(pk__in=[e.pk for e in events]).update(
            processed_at=timezone.now()
        )
    return len(events)
