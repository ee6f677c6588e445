"""The public career site's pages. Permission: anyone, signed in or not; every read goes through
:mod:`ats.selectors.careers`, which only ever returns published jobs (drafts and unpublished
jobs answer 404, closed ones 410). (Its feeds: :mod:`ats.views.feeds`.)"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from config.core.htmx import render_page
from config.core.throttle import client_address
from crm.services.errors import CandidateInputError

from .. import jsonld
from ..forms.careers import ApplyForm, JobFilterForm, privacy_notice, tracking_initial
from ..models import Job
from ..selectors import careers as selectors
from ..services import careers as services
from ..services.applications import MoveRefused
from .feeds import job_url, salary_text

PAGE_SIZE = 20
RESUME_AGAIN = (
    "PDF or Word (.docx), up to 10 MB. Choose the file again: a file is not kept when the "
    "form comes back with errors."
)


def _context(**values) -> dict:
    return {"company": settings.COMPANY_NAME, "company_url": settings.COMPANY_URL, **values}


def _job_or_404(slug: str) -> Job:
    job = selectors.career_job_get(slug)
    if job is None:
        raise Http404
    return job


def _see_other(url: str) -> HttpResponseRedirect:
    """303: after a POST the browser GETs the next page (a reload never re-posts)."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


# --------------------------------------------------------------------------- list


@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    """Public: open, published jobs, filtered and searched with a plain GET form (htmx swaps
    just the results when it is there)."""
    form = JobFilterForm(request.GET, options=selectors.public_filter_options())
    jobs = selectors.public_jobs_search(form.filters())
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = _context(form=form, page_obj=page, jobs=page.object_list)
    return render_page(request, "careers/list.html", context, partial="results")


# --------------------------------------------------------------------------- one job


def _gone(request: HttpRequest, job: Job) -> HttpResponse:
    return render(request, "careers/gone.html", _context(job=job), status=410)


def _job_page(request: HttpRequest, job: Job, form: ApplyForm | None, status: int = 200):
    context = _context(
        job=job,
        form=form,
        salary=salary_text(job),
        privacy=privacy_notice(),
        noindex=not job.is_public,
        jsonld=jsonld.script_json(jsonld.job_posting(job, url=job_url(request, job)))
        if job.is_public
        else None,
    )
    return render(request, "careers/job.html", context, status=status)


@require_GET
def job_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: an open job with its JobPosting data and the apply form (utm_* and ref from the
    address ride along in hidden fields); on hold: the job without a form, not indexed;
    closed: 410 Gone."""
    job = _job_or_404(slug)
    if job.status == Job.Status.CLOSED:
        return _gone(request, job)
    form = ApplyForm(job=job, initial=tracking_initial(request.GET)) if job.is_public else None
    return _job_page(request, job, form)


def _invalid(request: HttpRequest, job: Job, form: ApplyForm) -> HttpResponse:
    form["resume"].help_text = RESUME_AGAIN  # the bound field: it already exists
    return _job_page(request, job, form, status=422)


def _add_service_errors(form: ApplyForm, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        form.add_error(name if name in form.fields else None, message)


@require_http_methods(["GET", "POST"])
def job_apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: the apply form's POST. Limited per client address (429 past the limit); a filled
    honeypot gets the thank-you page and nothing is stored; bad input comes back with 422."""
    job = _job_or_404(slug)
    if job.status == Job.Status.CLOSED:
        return _gone(request, job)
    if request.method == "GET" or not job.is_public:
        return _see_other(reverse("careers:job", args=[job.slug]))
    if not services.apply_attempt_allowed(client_address(request)):
        return _limited(request, job)
    form = ApplyForm(request.POST, request.FILES, job=job)
    if form.honeypot_filled:
        return _see_other(reverse("careers:applied", args=[job.slug]))
    if not form.is_valid():
        return _invalid(request, job, form)
    try:
        outcome = _submit(job, form)
    except CandidateInputError as exc:
        _add_service_errors(form, exc.errors)
        return _invalid(request, job, form)
    except MoveRefused as exc:
        form.add_error(None, exc.message)
        return _invalid(request, job, form)
    if outcome.already_applied:
        context = _context(job=job, application=outcome.application)
        return render(request, "careers/already_applied.html", context)
    return _see_other(reverse("careers:applied", args=[job.slug]))


def _submit(job: Job, form: ApplyForm) -> services.ApplyOutcome:
    return services.career_apply(
        job=job,
        person=form.person(),
        upload=form.cleaned_data["resume"],
        checked=form.checked,
        cover_letter=form.cleaned_data["cover_letter"],
        answers=form.answers(),
        tracking=form.tracking(),
    )


def _limited(request: HttpRequest, job: Job) -> HttpResponse:
    response = render(request, "careers/limited.html", _context(job=job), status=429)
    response.headers["Retry-After"] = str(services.APPLY_WINDOW_SECONDS)
    return response


@require_GET
def job_applied(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: the thank-you page after applying (names no person; not indexed)."""
    job = _job_or_404(slug)
    return render(request, "careers/applied.html", _context(job=job))


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """Public: the applicant privacy notice the apply form links to."""
    return render(request, "careers/privacy.html", _context(privacy=privacy_notice()))
