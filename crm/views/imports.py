"""Import pages (upload, map, dry run, run with progress, rejected rows) and JSON Resume export.

All of it is for recruiters. The job page is one template with a ``panel`` partial: while the
job is queued or running the panel polls ``import-progress`` every second; the answer for a
finished job has no trigger and status 286, which also tells htmx to stop polling.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.core.htmx import render_page
from config.core.roles import Role, role_required

from ..forms import CsvUploadForm, MappingForm, ZipUploadForm, mapping_form
from ..json_resume import candidate_to_json_resume
from ..models import ImportJob
from ..selectors.candidates import candidate_get_for_user
from ..selectors.imports import (
    IMPORT,
    PREVIEW,
    import_job_can_run,
    import_job_get_for_user,
    import_job_is_active,
    import_job_phase,
    import_jobs_recent_for_user,
)
from ..services.imports import import_job_preview, import_job_start
from ..services.imports_common import ImportFileError, ImportStateError
from ..services.imports_csv import (
    CSV_MAX_BYTES,
    MappingError,
    import_job_create_csv,
    rejected_rows_csv,
)
from ..services.imports_zip import ZIP_MAX_BYTES, import_job_create_zip, rejected_files_csv

DETAIL = "crm/imports/detail.html"
STOP_POLLING = 286  # htmx stops polling on this status (and still swaps the answer in)
SHOWN_REJECTIONS = 100
SHOWN_DUPLICATES = 50


# --------------------------------------------------------------------------- upload


class _UploadCap(FileUploadHandler):
    """Stop spooling an upload to disk once it passes the largest limit (the view says why),
    instead of accepting a file of any size before looking at it."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def _start_page(request, csv_form, zip_form, *, status: int = 200) -> HttpResponse:
    jobs = import_jobs_recent_for_user(request.user)
    context = {"csv_form": csv_form, "zip_form": zip_form, "jobs": jobs}
    return render(request, "crm/imports/start.html", context, status=status)


@csrf_exempt  # checked by _upload once the size cap is in place (Django's documented pattern)
@role_required(Role.RECRUITER)
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    """Upload a CSV of people or a zip of resumes."""
    if request.method == "POST":
        cap = _UploadCap(request, max(CSV_MAX_BYTES, ZIP_MAX_BYTES))
        request.upload_handlers.insert(0, cap)
        return _upload(request, cap)
    return _start_page(request, CsvUploadForm(prefix="csv"), ZipUploadForm(prefix="zip"))


@csrf_protect
def _upload(request: HttpRequest, cap: _UploadCap) -> HttpResponse:
    kind = "zip" if request.POST.get("kind") == "zip" else "csv"
    forms_ = {"csv": CsvUploadForm(prefix="csv"), "zip": ZipUploadForm(prefix="zip")}
    form_class, limit, create = {
        "csv": (CsvUploadForm, CSV_MAX_BYTES, import_job_create_csv),
        "zip": (ZipUploadForm, ZIP_MAX_BYTES, import_job_create_zip),
    }[kind]
    form = forms_[kind] = form_class(request.POST, request.FILES, prefix=kind)
    if cap.exceeded:
        form.is_valid()
        form.errors.clear()
        form.add_error("file", f"The file is larger than {limit // (1024 * 1024)} MB.")
    elif form.is_valid():
        try:
            job = create(upload=form.cleaned_data["file"], actor=request.user)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("crm:import-detail", pk=job.pk)
    return _start_page(request, forms_["csv"], forms_["zip"], status=400)


# --------------------------------------------------------------------------- the job page


def _job_or_404(request, pk: int) -> ImportJob:
    job = import_job_get_for_user(request.user, pk)
    if job is None:
        raise Http404
    return job


def _shows_run(job: ImportJob, phase: str) -> bool:
    """Where the Import button belongs (it is disabled when :func:`import_job_can_run` says no)."""
    if job.status == ImportJob.Status.FAILED:
        return phase == IMPORT
    if job.kind == ImportJob.Kind.CSV:
        return job.status == ImportJob.Status.PREVIEWED
    return job.status == ImportJob.Status.UPLOADED


def _panel_context(job: ImportJob, form: MappingForm | None = None) -> dict:
    summary, phase = job.summary or {}, import_job_phase(job)
    context = {
        "job": job,
        "phase": phase,
        "active": import_job_is_active(job),
        "can_run": import_job_can_run(job),
        "preview": summary.get("preview"),
        "result": summary.get("result"),
        "rejections": (job.rejected_rows or [])[:SHOWN_REJECTIONS],
        "more_rejections": max(0, len(job.rejected_rows or []) - SHOWN_REJECTIONS),
        "show_run": not import_job_is_active(job) and _shows_run(job, phase),
    }
    if job.kind == ImportJob.Kind.CSV:
        info = summary.get("csv", {})
        width = len(info.get("header", []))
        context["csv"] = info
        context["sample"] = [(row + [""] * width)[:width] for row in info.get("sample", [])]
        report = context["result"] or context["preview"] or {}
        context["importable"] = report.get("total", 0) - report.get("rejected", 0)
        context["duplicates"] = report.get("duplicates", [])[:SHOWN_DUPLICATES]
        mappable = job.status in (ImportJob.Status.UPLOADED, ImportJob.Status.PREVIEWED) or (
            job.status == ImportJob.Status.FAILED and phase == PREVIEW
        )
        if mappable:
            context["form"] = form or mapping_form(job)
    else:
        context["entries"] = summary.get("entries", [])
        context["files"] = summary.get("files", [])
    return context


@role_required(Role.RECRUITER)
@require_http_methods(["GET", "POST"])
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The job: column mapping and preview, dry-run summary, progress, results. POST saves the
    mapping and starts the dry run."""
    job = _job_or_404(request, pk)
    form, status = None, 200
    if request.method == "POST":
        if job.kind != ImportJob.Kind.CSV:
            raise Http404
        form = mapping_form(job, request.POST)
        if form.is_valid():
            try:
                import_job_preview(job=job, columns=form.columns())
            except (ImportStateError, MappingError) as exc:
                messages.error(request, str(exc))
            return redirect("crm:import-detail", pk=job.pk)
        status = 400
    return render_page(request, DETAIL, _panel_context(job, form), partial="panel", status=status)


@role_required(Role.RECRUITER)
@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The panel alone, polled while the job is queued or running."""
    job = _job_or_404(request, pk)
    status = 200 if import_job_is_active(job) else STOP_POLLING
    response = render(request, f"{DETAIL}#panel", _panel_context(job), status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


@role_required(Role.RECRUITER)
@require_POST
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the import (or continue one that failed)."""
    job = _job_or_404(request, pk)
    try:
        import_job_start(job=job)
    except ImportStateError as exc:
        messages.error(request, str(exc))
    return redirect("crm:import-detail", pk=job.pk)


@role_required(Role.RECRUITER)
@require_GET
def import_rejected_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The rejected rows (or files) as CSV, each with its row number and reason."""
    job = _job_or_404(request, pk)
    as_csv = rejected_rows_csv if job.kind == ImportJob.Kind.CSV else rejected_files_csv
    content = as_csv(job)
    stem = slugify(job.original_name.rsplit(".", 1)[0]) or "import"
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = content_disposition_header(
        True, f"{stem}-rejected.csv"
    )
    return response


# --------------------------------------------------------------------------- JSON Resume


@role_required(Role.RECRUITER)
@require_GET
def candidate_json_resume(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the candidate as a JSON Resume document."""
    candidate = candidate_get_for_user(request.user, pk)
    if candidate is None:
        raise Http404
    body = json.dumps(candidate_to_json_resume(candidate), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = slugify(candidate.full_name) or f"candidate-{candidate.pk}"
    response.headers["Content-Disposition"] = content_disposition_header(
        True, f"{name}.resume.json"
    )
    return response
