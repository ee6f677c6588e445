"""Interviews (a placeholder page until interviews and scorecards exist)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from config.core.roles import Role, role_required
from config.core.views import placeholder


@role_required(Role.INTERVIEWER, Role.HIRING_MANAGER)
def interview_list(request: HttpRequest) -> HttpResponse:
    return placeholder(
        request,
        title="Interviews",
        summary="Your upcoming interviews and the scorecards to submit.",
        coming_with="the interviews and scorecards issue",
    )
