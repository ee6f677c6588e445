"""Reads of manual-step tasks and of alerts: a user sees their own."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet

from config.core.roles import Role, has_role
from nurture.models import Alert, Task


def tasks_of(user: Any) -> tuple[list[Task], list[Task]]:
    """The user's manual-step tasks: the open ones by due date, then the 50 done most recently."""
    base = Task.objects.filter(owner=user).select_related("candidate", "message__step__sequence")
    open_tasks = list(base.filter(done_at__isnull=True).order_by("due_at", "id")[:500])
    done = list(base.filter(done_at__isnull=False).order_by("-done_at", "-id")[:50])
    return open_tasks, done


def task_get_for_user(user: Any, pk: int) -> Task | None:
    """One of the user's own tasks, or None (someone else's is as missing as a deleted one)."""
    return Task.objects.filter(pk=pk, owner=user).first()


def alerts_of(user: Any) -> QuerySet[Alert]:
    """Alerts of the user's own sequences, and of the shared ones that have no owner."""
    if not has_role(user, Role.RECRUITER):
        return Alert.objects.none()
    return (
        Alert.objects.filter(Q(owner=user) | Q(owner__isnull=True))
        .select_related("message__candidate", "message__step__sequence")
        .order_by(F("seen_at").asc(nulls_first=True), "-created_at", "-id")
    )


def alerts_unseen_count(alerts: QuerySet[Alert]) -> int:
    """How many of ``alerts`` (from :func:`alerts_of`) are not seen yet."""
    return alerts.filter(seen_at__isnull=True).count()
