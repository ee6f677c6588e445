"""Reads of candidate data. Every read a user can trigger starts from :func:`candidates_visible_to`."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from config.core.roles import Role, has_role

from .models import Candidate


def candidates_visible_to(user) -> QuerySet[Candidate]:
    """Recruiters (and admins) see everyone not merged away; a hiring manager sees the people
    with an application on a job they manage, an interviewer those on a job whose panel they
    sit on; nobody else sees anyone. (The lookups name ats's relations by string: crm does not
    import ats.)"""
    live = Candidate.objects.filter(merged_into__isnull=True)
    if has_role(user, Role.RECRUITER):
        return live
    scope = Q(pk__in=[])
    if has_role(user, Role.HIRING_MANAGER):
        scope |= Q(applications__job__hiring_manager=user)
    if has_role(user, Role.INTERVIEWER):
        scope |= Q(applications__job__panel=user)
    if not has_role(user, Role.HIRING_MANAGER, Role.INTERVIEWER):
        return live.none()
    return live.filter(pk__in=Candidate.objects.filter(scope).values("pk"))


def candidate_get_for_user(user, pk: int) -> Candidate | None:
    """One candidate the user may see, or None (callers answer 404 either way)."""
    return candidates_visible_to(user).filter(pk=pk).first()
