"""nurture's conditions for crm's dynamic talent pools (registered in nurture/apps.py, see
:mod:`config.core.pool_conditions`): engagement with the messages we sent."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from crm.models import Candidate

from ..models import Message


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
