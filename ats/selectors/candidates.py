"""Which candidates a hiring manager or an interviewer may see: scopes that ats registers with
:mod:`config.core.scopes` in ``AtsConfig.ready`` (crm never names ats's tables)."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import Application
from .jobs import User


def candidate_ids_managed_by(user: User) -> QuerySet[Application]:
    """Scope for hiring managers: the people with an application on a job they manage."""
    return Application.objects.filter(job__hiring_manager=user).values("candidate_id")


def candidate_ids_on_panel_of(user: User) -> QuerySet[Application]:
    """Scope for interviewers: the people with an application on a job whose panel they sit on."""
    return Application.objects.filter(job__panel=user).values("candidate_id")
