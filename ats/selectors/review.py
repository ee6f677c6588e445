"""Reads of the hiring manager's review inbox."""

from __future__ import annotations

from typing import cast

from django.db.models import F, Q, QuerySet

from config.core.models import User as AuthUser

from ..models import Application
from .jobs import User


def manager_inbox(user: User) -> QuerySet[Application]:
    """Active applications on the user's jobs sitting in a stage the hiring manager reviews,
    not yet reviewed since they entered it (oldest first). Only for hiring managers (the view
    requires the role), so ``user`` is signed in."""
    manager = cast(AuthUser, user)
    return (
        Application.objects.filter(
            job__hiring_manager=manager,
            status=Application.Status.ACTIVE,
            stage__manager_review=True,
        )
        .filter(
            Q(manager_reviewed_at__isnull=True) | Q(manager_reviewed_at__lt=F("stage_entered_at"))
        )
        .select_related("candidate", "job", "stage")
        .order_by("stage_entered_at", "id")
    )
