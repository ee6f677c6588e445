"""Which candidates a hiring manager or an interviewer may see: scopes that ats registers with
:mod:`config.core.scopes` in ``AtsConfig.ready`` (crm never names ats's tables)."""

from __future__ import annotations

from typing import TypedDict, cast

from django.db.models import QuerySet

from config.core.models import User as AuthUser

from ..models import Application, Interview
from .jobs import User


class CandidateIdRow(TypedDict):
    candidate_id: int


# The scopes run only for users holding the role (crm.selectors.candidates_visible_to): signed in.


def candidate_ids_managed_by(user: User) -> QuerySet[Application, CandidateIdRow]:
    """Scope for hiring managers: the people with an application on a job they manage."""
    manager = cast(AuthUser, user)
    return Application.objects.filter(job__hiring_manager=manager).values("candidate_id")


def candidate_ids_on_panel_of(user: User) -> QuerySet[Application, CandidateIdRow]:
    """Scope for interviewers: the people with an application on which they interview (an
    interviewer of one of its interviews that is not cancelled). Sitting on the job's panel
    alone is not enough: interviewers see only the applications they interview for."""
    interviewer = cast(AuthUser, user)
    return Application.objects.filter(
        interviews__interviewers=interviewer, interviews__status=Interview.Status.SCHEDULED
    ).values("candidate_id")
