"""Reads of the decision page (``/applications/<pk>/summary/``): one application the user may
decide on, with its person's resumes and its interviews, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch

from config.core.models import User as AuthUser
from crm.models import ResumeFile

from ..models import Application, Interview, Stage
from .applications import applications_visible_to
from .jobs import User


def application_for_decision(user: User, pk: int) -> Application | None:
    """One application the user may see, with its job, stage, person, the person's resume
    files (newest first), its interviews (with interviewers and kit) and the job's stages;
    None when they may not see it (the page answers 404)."""
    interviews = Interview.objects.select_related("interview_type").prefetch_related(
        Prefetch("interviewers", queryset=AuthUser.objects.order_by("first_name", "id"))
    )
    return (
        applications_visible_to(user)
        .select_related("job__hiring_manager", "stage", "candidate", "rejection_reason")
        .prefetch_related(
            Prefetch("interviews", queryset=interviews.order_by("starts_at", "id")),
            Prefetch(
                "candidate__resumes",
                queryset=ResumeFile.objects.only(
                    "id", "candidate_id", "original_name", "uploaded_at"
                ).order_by("-uploaded_at", "-id"),
            ),
            Prefetch("job__stages", queryset=Stage.objects.order_by("position", "id")),
        )
        .filter(pk=pk)
        .first()
    )
