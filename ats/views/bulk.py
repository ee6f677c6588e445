"""The candidate bulk bar's "Add selected to a job…" (registered in ats/apps.py, so it shows on
the candidate search, a pool's page and the Rediscover tab): the ticked people into a job as
sourced. Recruiters only. Without a job, a page asks which one (so the pages with a bulk bar need
no list of jobs); each person refused is listed with the reason, and one refusal never undoes the
others (ats.services.rediscovery.applications_add_sourced)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from config.core.forms import parse_id
from config.core.htmx import redirect_back, render_page, safe_next
from config.core.roles import Role, role_required
from crm.selectors.candidates import candidate_ids_visible_to

from ..selectors.jobs import jobs_open_to_add
from ..services.rediscovery import applications_add_sourced
from .rediscovery import report_sourced

MAX_SELECTED = 1000
TEMPLATE = "ats/bulk_add_to_job.html"


@role_required(Role.RECRUITER)
@require_POST
def bulk_add_to_job(request: HttpRequest) -> HttpResponse:
    """POST ``ids`` (and ``next``, the page to return to); with ``job`` the people are added,
    without it (or with a job that cannot take them) the page asks for one."""
    wanted = {pk for pk in (parse_id(v) for v in request.POST.getlist("ids")[:MAX_SELECTED]) if pk}
    ids = candidate_ids_visible_to(request.user, wanted)
    default = reverse("crm:candidates")
    if not ids:
        messages.error(request, "Tick at least one person to add to a job.")
        return redirect_back(request, default)
    jobs = jobs_open_to_add()
    raw_job = request.POST.get("job")
    job_id = parse_id(raw_job)
    job = jobs.filter(pk=job_id).first() if job_id else None
    if job is None:
        context = {
            "ids": sorted(ids),
            "jobs": list(jobs.only("id", "title", "status")),
            "next": safe_next(request, default),
            "error": "Choose one of the open jobs." if raw_job else "",
        }
        return render_page(request, TEMPLATE, context, status=422 if raw_job else 200)
    result = applications_add_sourced(job=job, candidate_ids=ids, actor=request.user)
    report_sourced(request, job, result)
    return redirect_back(request, default)
