"""Interviews: scheduling one from an application (conflicts shown before saving), the
interview's page (when, where, who, the kit, the one history) with the reschedule, change and
cancel forms for recruiters and the job's hiring manager. The list ``interview_list`` stays a
placeholder here until "My interviews" replaces it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.core.forms import parse_id
from config.core.htmx import render_page
from config.core.roles import Role, role_required
from config.core.views import placeholder

from ..forms.interviews import (
    CancelForm,
    DetailsForm,
    InterviewForm,
    RescheduleForm,
    show_refusal,
    site_zone,
)
from ..models import Application, Interview, InterviewChange
from ..selectors.interviews import (
    application_for_scheduling,
    can_schedule,
    can_see_contact,
    interview_get_for_user,
    interview_type_get,
    interview_types_of_job,
)
from ..services import interviews as interview_services
from ..services.interviews import InterviewConflict, InterviewRefused, local_time


@role_required(Role.INTERVIEWER, Role.HIRING_MANAGER)
def interview_list(request: HttpRequest) -> HttpResponse:
    return placeholder(
        request,
        title="Interviews",
        summary="Your upcoming interviews and the scorecards to submit.",
        coming_with="the interviews and scorecards issue",
    )


# --------------------------------------------------------------------------- scheduling


def _new_context(app: Application, form: InterviewForm, **extra: Any) -> dict[str, Any]:
    return {
        "app": app,
        "candidate": app.candidate,
        "job": app.job,
        "form": form,
        "types": interview_types_of_job(app.job_id),
        "conflicts": [],
        **extra,
    }


def _initial(request: HttpRequest, app: Application) -> dict[str, Any]:
    """Prefill from ``?type=``: the type's name and duration, and the job's panel."""
    initial: dict[str, Any] = {"timezone": site_zone()}
    type_id = parse_id(request.GET.get("type"))
    kind = interview_type_get(app.job, type_id) if type_id else None
    if kind is not None:
        initial |= {
            "interview_type": kind.pk,
            "title": kind.name,
            "duration_minutes": kind.duration_minutes,
        }
    return initial


@role_required(Role.RECRUITER, Role.HIRING_MANAGER, hide=True, load=application_for_scheduling)
@require_http_methods(["GET", "POST"])
def interview_new(request: HttpRequest, app: Application) -> HttpResponse:
    """Recruiters (and the job's hiring manager): schedule an interview of an active
    application. A double booking re-renders the form with the conflicts and a "schedule
    anyway" box; other refusals show on their field. Nothing is stored until it is valid."""
    if not app.is_active:
        messages.error(request, "Only active applications get interviews.")
        return redirect("crm:candidate-detail", app.candidate_id)
    if request.method == "GET":
        form = InterviewForm(initial=_initial(request, app), job=app.job)
        return render_page(request, "ats/interview_new.html", _new_context(app, form))
    form = InterviewForm(request.POST, job=app.job)
    conflicts: list = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            interview = interview_services.interview_schedule(
                application=app,
                actor=request.user,
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                timezone_name=data["timezone_name"],
                interviewers=list(data["interviewers"]),
                interview_type=data["interview_type"],
                title=data["title"],
                location=data["location"],
                video_url=data["video_url"],
                message=data["message"],
                allow_conflicts=data["allow_conflicts"],
            )
        except InterviewConflict as error:
            conflicts = error.conflicts
            form.add_error(None, error.message)
        except InterviewRefused as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                f"{interview.title} scheduled for {local_time(interview.starts_at, interview.timezone)}; "
                "invites sent.",
            )
            return redirect("ats:interview-detail", interview.pk)
    context = _new_context(app, form, conflicts=conflicts)
    return render_page(request, "ats/interview_new.html", context, status=422)


# --------------------------------------------------------------------------- one interview


@dataclass
class HistoryRow:
    change: InterviewChange
    label: str
    who: str


def _who(change: InterviewChange) -> str:
    if change.by_candidate:
        return "the candidate"
    if change.actor is not None:
        return change.actor.get_full_name() or change.actor.get_username()
    return "the system"


def _label(change: InterviewChange, zone: str) -> str:
    def at(moment: datetime | None) -> str:
        return local_time(moment, zone) if moment else "?"

    action = InterviewChange.Action
    if change.action == action.SCHEDULED:
        return f"Scheduled for {at(change.to_starts_at)}"
    if change.action == action.RESCHEDULED:
        return f"Rescheduled from {at(change.from_starts_at)} to {at(change.to_starts_at)}"
    if change.action == action.CANCELLED:
        return "Cancelled"
    if change.action == action.RESCHEDULE_REQUESTED:
        return "The candidate asked to reschedule"
    return "Details changed"


def _detail_context(request: HttpRequest, interview: Interview, **forms: Any) -> dict[str, Any]:
    user = request.user
    manage = interview.is_scheduled and can_schedule(user, interview.application)
    zone = interview.timezone
    context: dict[str, Any] = {
        "interview": interview,
        "app": interview.application,
        "candidate": interview.application.candidate,
        "job": interview.application.job,
        "kit": interview.interview_type,
        "interviewers": list(interview.interviewers.all()),
        "when": local_time(interview.starts_at, zone),
        "ends": local_time(interview.ends_at, zone),
        "when_site": (local_time(interview.starts_at, site_zone()) if site_zone() != zone else ""),
        "history": [HistoryRow(c, _label(c, zone), _who(c)) for c in interview.history.all()],
        "show_contact": can_see_contact(user),
        "can_manage": manage,
        "conflicts": forms.pop("conflicts", []),
    }
    if manage:
        local = interview.starts_at.astimezone(ZoneInfo(zone))
        context["reschedule_form"] = forms.get("reschedule_form") or RescheduleForm(
            initial={
                "start_date": local.date(),
                "start_time": local.time().strftime("%H:%M"),
                "timezone": zone,
                "duration_minutes": interview.duration_minutes,
            },
            prefix="move",
        )
        if zone not in dict(context["reschedule_form"].fields["timezone"].choices):
            context["reschedule_form"].initial["timezone_other"] = zone
        context["details_form"] = forms.get("details_form") or DetailsForm(
            initial={
                "title": interview.title,
                "interviewers": [u.pk for u in context["interviewers"]],
                "location": interview.location,
                "video_url": interview.video_url,
                "message": interview.message,
            },
            job=interview.application.job,
            prefix="details",
        )
        context["cancel_form"] = forms.get("cancel_form") or CancelForm(prefix="cancel")
    return context


@role_required(*Role.ALL, hide=True, load=interview_get_for_user)
@require_GET
def interview_detail(request: HttpRequest, interview: Interview) -> HttpResponse:
    """The interview's page for anyone who may see it: recruiters, the job's hiring manager
    (both with the forms to move, change and cancel it) and its interviewers (the kit, the
    time, the candidate's name; no contact details). Others: 404."""
    return render_page(request, "ats/interview_detail.html", _detail_context(request, interview))


def _managed(request: HttpRequest, interview: Interview) -> Interview:
    if not can_schedule(request.user, interview.application):
        raise Http404
    return interview


def _refused(request: HttpRequest, interview: Interview, **forms: Any) -> HttpResponse:
    context = _detail_context(request, interview, **forms)
    return render_page(request, "ats/interview_detail.html", context, status=422)


@role_required(Role.RECRUITER, Role.HIRING_MANAGER, hide=True, load=interview_get_for_user)
@require_POST
def interview_reschedule(request: HttpRequest, interview: Interview) -> HttpResponse:
    """Move the interview (same calendar UID, higher SEQUENCE; the invites go out again)."""
    interview = _managed(request, interview)
    form = RescheduleForm(request.POST, prefix="move")
    if form.is_valid():
        data = form.cleaned_data
        try:
            interview_services.interview_reschedule(
                interview=interview,
                actor=request.user,
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                timezone_name=data["timezone_name"],
                allow_conflicts=data["allow_conflicts"],
                note=data["note"],
            )
        except InterviewConflict as error:
            form.add_error(None, error.message)
            return _refused(request, interview, reschedule_form=form, conflicts=error.conflicts)
        except InterviewRefused as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Interview moved; updated invites sent.")
            return redirect("ats:interview-detail", interview.pk)
    return _refused(request, interview, reschedule_form=form)


@role_required(Role.RECRUITER, Role.HIRING_MANAGER, hide=True, load=interview_get_for_user)
@require_POST
def interview_change(request: HttpRequest, interview: Interview) -> HttpResponse:
    """Change the title, interviewers, location, video link or message."""
    interview = _managed(request, interview)
    form = DetailsForm(request.POST, job=interview.application.job, prefix="details")
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["interviewers"] = list(data["interviewers"])
        try:
            interview_services.interview_update(interview=interview, actor=request.user, data=data)
        except InterviewConflict as error:
            form.add_error(None, error.message)
            return _refused(request, interview, details_form=form, conflicts=error.conflicts)
        except InterviewRefused as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Interview saved; everyone on it has the updated invite.")
            return redirect("ats:interview-detail", interview.pk)
    return _refused(request, interview, details_form=form)


@role_required(Role.RECRUITER, Role.HIRING_MANAGER, hide=True, load=interview_get_for_user)
@require_POST
def interview_cancel(request: HttpRequest, interview: Interview) -> HttpResponse:
    """Cancel the interview (METHOD:CANCEL to the candidate and each interviewer)."""
    interview = _managed(request, interview)
    form = CancelForm(request.POST, prefix="cancel")
    if form.is_valid():
        try:
            interview_services.interview_cancel(
                interview=interview, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except InterviewRefused as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Interview cancelled; the cancellations are sent.")
            return redirect("ats:interview-detail", interview.pk)
    return _refused(request, interview, cancel_form=form)
