"""The application actions of the candidate profile: add the person to a job (recruiters), and
move or reject an application (recruiters; the job's hiring manager)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from config.core.forms import parse_id
from config.core.htmx import redirect_back as back
from config.core.roles import Role, role_required
from crm.models import Candidate
from crm.selectors.candidates import candidate_get_for_user

from ..forms.applications import AddToJobForm, LeftCompanyForm
from ..models import Application
from ..selectors.applications import application_get_for_user
from ..services import applications as services
from ..services.alumni import application_mark_left
from ..services.applications import AlreadyApplied, MoveRefused


@role_required(Role.RECRUITER, hide=True, load=candidate_get_for_user)
@require_POST
def candidate_add_to_job(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    """Recruiters: put the person forward for a job (sourced, referral...)."""
    form = AddToJobForm(request.POST, candidate=candidate)
    profile = reverse("crm:candidate-detail", args=[candidate.pk])
    if not form.is_valid():
        errors = "; ".join(e for errs in form.errors.values() for e in errs)
        messages.error(request, f"Not added to a job: {errors}")
        return redirect(profile + "#applications")
    data = form.cleaned_data
    try:
        services.application_create(
            candidate=candidate,
            job=data["job"],
            actor=request.user,
            source=data["source"],
            source_detail=data["source_detail"],
            referrer=data["referrer"],
        )
    except AlreadyApplied:
        messages.info(request, f"{candidate} is already in the pipeline of {data['job']}.")
    except MoveRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{candidate} added to {data['job']}.")
    return redirect(profile + "#applications")


@role_required(Role.RECRUITER, Role.HIRING_MANAGER, hide=True, load=application_get_for_user)
@require_POST
def application_move(request: HttpRequest, app: Application) -> HttpResponse:
    """Move to another stage of the same job (recruiters; the job's hiring manager)."""
    stage_id = parse_id(request.POST.get("stage")) or 0
    try:
        app = services.application_move_stage(
            application=app,
            stage=stage_id,
            actor=request.user,
            comment=(request.POST.get("comment") or "").strip(),
        )
    except MoveRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{app.candidate} is now at {app.stage.name} for {app.job}.")
    return back(request, reverse("crm:candidate-detail", args=[app.candidate_id]))


@role_required(Role.RECRUITER, Role.HIRING_MANAGER, hide=True, load=application_get_for_user)
@require_POST
def application_reject(request: HttpRequest, app: Application) -> HttpResponse:
    """Reject with a reason, optionally emailing the candidate (recruiters; the job's manager)."""
    reason = parse_id(request.POST.get("reason"))
    try:
        if reason is None:
            raise MoveRefused("Pick a rejection reason from the list.")
        app = services.application_reject(
            application=app,
            reason=reason,
            actor=request.user,
            send_email=request.POST.get("send_email") == "on",
            note=(request.POST.get("note") or "").strip(),
        )
    except MoveRefused as exc:
        messages.error(request, exc.message)
    else:
        extra = " Silver medalist: they reached the final round." if app.silver_medalist else ""
        messages.success(request, f"{app.candidate} rejected for {app.job}.{extra}")
    return back(request, reverse("crm:candidate-detail", args=[app.candidate_id]))


@role_required(Role.RECRUITER, Role.HIRING_MANAGER, hide=True, load=application_get_for_user)
@require_POST
def application_left(request: HttpRequest, app: Application) -> HttpResponse:
    """Mark a hire as having left the company on a day (alumni), or clear it (recruiters; the
    job's manager)."""
    form = LeftCompanyForm(request.POST)
    try:
        if not form.is_valid():
            raise MoveRefused("Give the day they left as a date (YYYY-MM-DD).")
        left_on = form.cleaned_data["left_on"]
        app = application_mark_left(application=app, left_on=left_on, actor=request.user)
    except MoveRefused as exc:
        messages.error(request, exc.message)
    else:
        if app.left_company_on:
            messages.success(
                request, f"{app.candidate} marked as alumni (left on {left_on:%d %b %Y})."
            )
        else:
            messages.success(request, f"{app.candidate} is no longer marked as having left.")
    return back(request, reverse("crm:candidate-detail", args=[app.candidate_id]))
