"""nurture's conditions for crm's dynamic talent pools (registered in nurture/apps.py, see
:mod:`config.core.pool_conditions`): engagement with the messages we sent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from crm.models import Candidate

from ..models import Message, Sequence


def _engaged_since(days: int) -> QuerySet:
    since = timezone.now() - timedelta(days=days)
    return Message.objects.filter(
        Q(opened_at__gte=since) | Q(clicked_at__gte=since) | Q(replied_at__gte=since)
    ).values("candidate_id")


def engaged_within_days(days: int) -> QuerySet:
    """People who opened, clicked or replied to one of our messages in the last ``days`` days."""
    return _engaged_since(days)


def not_engaged_for_days(days: int) -> QuerySet:
    """People we have written to who have not opened, clicked or replied for ``days`` days."""
    written = Message.objects.filter(sent_at__isnull=False).values("candidate_id")
    return (
        Candidate.objects.filter(pk__in=written).exclude(pk__in=_engaged_since(days)).values("id")
    )


def parse_sequence(value: Any) -> int:
    """A sequence's id (or its exact name) that exists."""
    text = str(value if value is not None else "").strip()
    found = (
        Sequence.objects.filter(pk=int(text))
        if text.isdigit()
        else Sequence.objects.filter(name=text)
    ).values_list("pk", flat=True)
    ids = list(found[:2])
    if len(ids) != 1:
        raise ValueError(f"{text[:40]!r} is not a sequence (give its id or exact name)")
    return ids[0]


def engaged_with_sequence(sequence_id: int) -> QuerySet:
    """People who opened, clicked (incl. "keep me posted") or replied to a message of one
    sequence, ever."""
    return Message.objects.filter(
        Q(opened_at__isnull=False) | Q(clicked_at__isnull=False) | Q(replied_at__isnull=False),
        enrollment__sequence_id=sequence_id,
    ).values("candidate_id")
