"""The recruiter's job pages: the job list, creating and editing a job, and its status. (Its
pipeline and questions: :mod:`ats.views.pipeline`; its board: :mod:`ats.views.board`.)"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from config.core.htmx import render_page
from config.core.roles import Role, role_required

from ..forms.jobs import JobForm
from ..models import Job
from ..selectors.jobs import (
    can_manage_jobs,
    job_form_initial,
    job_get_for_recruiter,
    jobs_for_list,
)
from ..services.applications import MoveRefused
from ..services.jobs import job_create, job_set_status, job_update

STATUS_TABS = (
    ("active", "Open, on hold and drafts", (Job.Status.OPEN, Job.Status.ON_HOLD, Job.Status.DRAFT)),
    ("open", "Open", (Job.Status.OPEN,)),
    ("draft", "Drafts", (Job.Status.DRAFT,)),
    ("on_hold", "On hold", (Job.Status.ON_HOLD,)),
    ("closed", "Closed", (Job.Status.CLOSED,)),
)

# Recruiters only; anyone else gets 404 (the login page when anonymous), whether the job
# exists or not, so an outsider cannot tell which jobs exist.
recruiter_job = role_required(Role.RECRUITER, hide=True, load=job_get_for_recruiter)


@role_required(Role.RECRUITER, Role.HIRING_MANAGER)
def job_list(request: HttpRequest) -> HttpResponse:
    """Recruiters see every job; hiring managers only the jobs they manage."""
    tab = request.GET.get("status") or "active"
    tabs = {key: (label, statuses) for key, label, statuses in STATUS_TABS}
    if tab not in tabs:
        tab = "active"
    query = (request.GET.get("q") or "").strip()
    context = {
        "jobs": jobs_for_list(request.user, statuses=tabs[tab][1], query=query),
        "tabs": [(key, label) for key, label, _ in STATUS_TABS],
        "tab": tab,
        "query": query,
        "can_manage": can_manage_jobs(request.user),
    }
    return render_page(request, "ats/job_list.html", context, partial="rows")


def _save_job(request: HttpRequest, form: JobForm, job: Job | None) -> Job:
    data = form.job_data()
    locations = form.cleaned_data["locations"]
    panel = list(form.cleaned_data["panel"])
    if job is None:
        return job_create(actor=request.user, data=data, locations=locations, panel=panel)
    return job_update(job=job, actor=request.user, data=data, locations=locations, panel=panel)


@role_required(Role.RECRUITER)
@require_http_methods(["GET", "POST"])
def job_new(request: HttpRequest) -> HttpResponse:
    """Recruiters only. A new job starts as a draft with the default pipeline."""
    form = JobForm(request.POST or None, initial={"openings": 1, "recruiter": request.user.pk})
    if request.method == "POST" and form.is_valid():
        job = _save_job(request, form, None)
        messages.success(request, f"“{job.title}” created as a draft with the default pipeline.")
        return redirect("ats:job-board", pk=job.pk)
    status = 422 if request.method == "POST" else 200
    return render_page(request, "ats/job_form.html", {"form": form, "job": None}, status=status)


@recruiter_job
@require_http_methods(["GET", "POST"])
def job_edit(request: HttpRequest, job: Job) -> HttpResponse:
    """Recruiters only."""
    form = JobForm(request.POST or None, initial=job_form_initial(job))
    if request.method == "POST" and form.is_valid():
        job = _save_job(request, form, job)
        messages.success(request, "Job saved.")
        return redirect("ats:job-board", pk=job.pk)
    status = 422 if request.method == "POST" else 200
    return render_page(request, "ats/job_form.html", {"form": form, "job": job}, status=status)


@recruiter_job
@require_POST
def job_status(request: HttpRequest, job: Job) -> HttpResponse:
    """Recruiters only: open, hold, close or reopen; publish or unpublish."""
    action = request.POST.get("action", "")
    if action in ("publish", "unpublish"):
        job_update(job=job, actor=request.user, data={"published": action == "publish"})
        messages.success(
            request,
            "Published: it shows on the career page while open."
            if action == "publish"
            else "Unpublished: it left the career page and the feeds.",
        )
    elif action in Job.Status.values:
        try:
            job_set_status(job=job, status=action, actor=request.user)
        except MoveRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"The job is now {Job.Status(action).label.lower()}.")
    else:
        messages.error(request, "Unknown action.")
    if request.POST.get("next_page") == "list":
        return redirect("ats:jobs")
    return redirect("ats:job-board", pk=job.pk)
