"""Reads of candidate data. Every read a user can trigger starts from :func:`candidates_visible_to`."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from config.core.roles import Role, has_role, roles_of
from config.core.scopes import candidate_scopes

from .models import Candidate


def candidates_visible_to(user) -> QuerySet[Candidate]:
    """Recruiters (and admins) see everyone not merged away. Other roles see what the scopes
    registered for them allow (ats: a hiring manager the people with an application on a job
    they manage, an interviewer those on a job whose panel they sit on); nobody else sees anyone."""
    live = Candidate.objects.filter(merged_into__isnull=True)
    if has_role(user, Role.RECRUITER):
        return live
    scopes = candidate_scopes(user, sorted(roles_of(user)))
    if not scopes:
        return live.none()
    wanted = Q(pk__in=[])
    for ids in scopes:
        wanted |= Q(pk__in=ids)
    return live.filter(wanted)


def candidate_get_for_user(user, pk: int) -> Candidate | None:
    """One candidate the user may see, or None (callers answer 404 either way)."""
    return candidates_visible_to(user).filter(pk=pk).first()


def candidate_survivor(candidate: Candidate) -> Candidate:
    """The record that holds the person now: for a merged-away record, the end of its
    ``merged_into`` chain (a cycle, which the database forbids, would stop the walk)."""
    seen: set[int] = set()
    while candidate.merged_into_id and candidate.pk not in seen:
        seen.add(candidate.pk)
        candidate = Candidate.objects.get(pk=candidate.merged_into_id)
    return candidate
