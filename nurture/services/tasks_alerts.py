"""Writes of manual-step tasks and of alerts."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from nurture.models import Alert, Task


def task_complete(*, task: Task) -> bool:
    """Mark a manual-step task done; False when it already was (a conditional update)."""
    return bool(
        Task.objects.filter(pk=task.pk, done_at__isnull=True).update(done_at=timezone.now())
    )


def alerts_mark_seen(*, alerts: QuerySet[Alert], alert_id: int | None = None) -> int:
    """Mark the unseen ones among ``alerts`` (a queryset the caller may see) seen, or only
    ``alert_id``; returns how many changed."""
    unseen = Alert.objects.filter(pk__in=alerts.values("pk"), seen_at__isnull=True)
    if alert_id is not None:
        unseen = unseen.filter(pk=alert_id)
    return unseen.update(seen_at=timezone.now())
