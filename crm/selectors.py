"""Reads of candidate data. Every read a user can trigger starts from :func:`candidates_visible_to`."""

from __future__ import annotations

from django.db.models import QuerySet

from config.core.roles import Role, has_role

from .models import Candidate


def candidates_visible_to(user) -> QuerySet[Candidate]:
    """Recruiters (and admins) see everyone not merged away; hiring managers and interviewers
    will see the candidates on jobs they are part of (wired by the ATS issue); nobody else sees
    anyone."""
    live = Candidate.objects.filter(merged_into__isnull=True)
    if has_role(user, Role.RECRUITER):
        return live
    return live.none()


def candidate_get_for_user(user, pk: int) -> Candidate | None:
    """One candidate the user may see, or None (callers answer 404 either way)."""
    return candidates_visible_to(user).filter(pk=pk).first()
