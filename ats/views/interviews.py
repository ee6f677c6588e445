"""Interviews: one interview's page (when, where, who, the kit, the history, and the reschedule
and cancel forms for those who may change it). The list ``interview_list`` stays a placeholder
here until "My interviews" replaces it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from config.core.htmx import render_page
from config.core.roles import Role, role_required
from config.core.views import placeholder

from ..models import Interview
from ..selectors.interviews import interview_get_for_user


@role_required(Role.INTERVIEWER, Role.HIRING_MANAGER)
def interview_list(request: HttpRequest) -> HttpResponse:
    return placeholder(
        request,
        title="Interviews",
        summary="Your upcoming interviews and the scorecards to submit.",
        coming_with="the interviews and scorecards issue",
    )


@role_required(*Role.ALL, hide=True, load=interview_get_for_user)
@require_GET
def interview_detail(request: HttpRequest, interview: Interview) -> HttpResponse:
    """The interview's page for anyone who may see it (recruiters, the job's hiring manager,
    its interviewers)."""
    return render_page(request, "ats/interview_detail.html", {"interview": interview})
