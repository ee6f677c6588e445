"""The hiring manager's review inbox, and the application actions of the candidate profile
(add to a job, move, reject) that work for recruiters and for a job's hiring manager."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from config.core.forms import parse_id
from config.core.htmx import render_page
from config.core.roles import Role, role_required
from crm.selectors import candidate_get_for_user

from . import services
from .profile import AddToJobForm
from .selectors import application_get_for_user, manager_inbox, rejection_reasons


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(default)


@role_required(Role.HIRING_MANAGER)
@require_GET
def review_inbox(request: HttpRequest) -> HttpResponse:
    """Hiring managers: applications on their jobs waiting for their review, oldest first."""
    items = list(manager_inbox(request.user))
    now = timezone.now()
    for app in items:
        app.waiting_days = max(0, (now - app.stage_entered_at).days)
    context = {"items": items, "reasons": rejection_reasons()}
    return render_page(request, "ats/review.html", context, partial="inbox")


@role_required(Role.HIRING_MANAGER, Role.RECRUITER, hide=True)
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """A hiring manager (or recruiter) advances or rejects an application, with a comment.
    Applications the user may not see answer 404."""
    app = application_get_for_user(request.user, pk)
    if app is None:
        raise Http404
    decision = request.POST.get("decision", "")
    comment = (request.POST.get("comment") or "").strip()
    try:
        app = services.application_manager_review(
            application=app,
            actor=request.user,
            decision=decision,
            comment=comment,
            reason=parse_id(request.POST.get("reason")) if decision == "reject" else None,
        )
    except services.MoveRefused as exc:
        messages.error(request, f"{app.candidate}: {exc.message}")
    else:
        verb = "moved to " + app.stage.name if decision == "advance" else "rejected"
        messages.success(request, f"{app.candidate} {verb}.")
    return _back(request, reverse("ats:review"))


@role_required(Role.RECRUITER, hide=True)
@require_POST
def candidate_add_to_job(request: HttpRequest, pk: int) -> HttpResponse:
    """Recruiters: put the person forward for a job (sourced, referral...)."""
    candidate = candidate_get_for_user(request.user, pk)
    if candidate is None:
        raise Http404
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
    except services.AlreadyApplied:
        messages.info(request, f"{candidate} is already in the pipeline of {data['job']}.")
    except services.MoveRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{candidate} added to {data['job']}.")
    return redirect(profile + "#applications")


@role_required(Role.RECRUITER, Role.HIRING_MANAGER, hide=True)
@require_POST
def application_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move to another stage of the same job (recruiters; the job's hiring manager)."""
    app = application_get_for_user(request.user, pk)
    if app is None:
        raise Http404
    stage_id = parse_id(request.POST.get("stage")) or 0
    try:
        app = services.application_move_stage(
            application=app,
            stage=stage_id,
            actor=request.user,
            comment=(request.POST.get("comment") or "").strip(),
        )
    except services.MoveRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{app.candidate} is now at {app.stage.name} for {app.job}.")
    return _back(request, reverse("crm:candidate-detail", args=[app.candidate_id]))


@role_required(Role.RECRUITER, Role.HIRING_MANAGER, hide=True)
@require_POST
def application_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Reject with a reason, optionally emailing the candidate (recruiters; the job's manager)."""
    app = application_get_for_user(request.user, pk)
    if app is None:
        raise Http404
    reason = parse_id(request.POST.get("reason"))
    try:
        if reason is None:
            raise services.MoveRefused("Pick a rejection reason from the list.")
        app = services.application_reject(
            application=app,
            reason=reason,
            actor=request.user,
            send_email=request.POST.get("send_email") == "on",
            note=(request.POST.get("note") or "").strip(),
        )
    except services.MoveRefused as exc:
        messages.error(request, exc.message)
    else:
        extra = " Silver medalist: they reached the final round." if app.silver_medalist else ""
        messages.success(request, f"{app.candidate} rejected for {app.job}.{extra}")
    return _back(request, reverse("crm:candidate-detail", args=[app.candidate_id]))
