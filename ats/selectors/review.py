"""Reads of the hiring manager's review inbox."""

from __future__ import annotations

from typing import cast

from django.db.models import F, Prefetch, Q, QuerySet

from config.core.models import User as AuthUser
from crm.models import ResumeFile

from ..models import Application
from .jobs import User


def manager_inbox(user: User) -> QuerySet[Application]:
    """Active applications on the user's jobs sitting in a stage the hiring manager reviews,
    not yet reviewed since they entered it (oldest first), each with its person's resume files
    (newest first). Only for hiring managers (the view requires the role), so ``user`` is signed
    in."""
    resumes = ResumeFile.objects.only("id", "candidate_id", "original_name", "uploaded_at")
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
        .prefetch_related(
            Prefetch("candidate__resumes", queryset=resumes.order_by("-uploaded_at", "-id"))
        )
        .order_by("stage_entered_at", "id")
    )
