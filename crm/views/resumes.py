"""Resume files on the profile: upload (PDF or DOCX, judged by content), download, the parse
status (polled by htmx every 2 s while pending) and re-parse.

Files are stored under a server-generated name outside the web root and only ever leave through
:func:`candidate_resume`, which checks that the user may see the candidate and serves the file as
an attachment (never inline, never sniffed), so a crafted upload cannot run in our origin.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from config.core.htmx import is_htmx
from config.core.roles import Role, has_role, role_required

from ..forms import ResumeUploadForm
from ..models import Candidate, ResumeFile
from ..selectors.candidates import (
    candidate_contacts,
    candidate_get_for_user,
    sees_limited_profile,
)
from ..selectors.resumes import resume_get, resume_is_attached, resume_with_uploader_get
from ..services.resumes import resume_attach, resume_reparse
from .profile import render_profile
from .resume_panel import resume_panel

RESUMES_TEMPLATE = "crm/profile/resumes.html"
STOP_POLLING = 286  # htmx stops polling on this status (and still swaps the answer in)


@role_required(Role.RECRUITER, hide=True, load=candidate_get_for_user)
@require_POST
def candidate_resume_upload(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    form = ResumeUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_profile(request, candidate.pk, resume_form=form, status=422)
    checked = form.checked
    if resume_is_attached(candidate, checked.sha256):
        messages.info(request, "This file is already attached.")
    else:
        resume_attach(
            candidate=candidate,
            upload=form.cleaned_data["file"],
            checked=checked,
            actor=request.user,
        )
        messages.success(request, "Resume uploaded. Parsing it now.")
    return redirect("crm:candidate-detail", pk=candidate.pk)


@role_required(*Role.ALL, hide=True, load=candidate_get_for_user)
@require_GET
def candidate_resume(request: HttpRequest, candidate: Candidate, resume_id: int) -> HttpResponse:
    """The stored file, as an attachment, to users who may see the candidate (404 otherwise)."""
    resume = resume_get(candidate, resume_id)
    if resume is None or not resume.file:
        raise Http404
    try:
        handle = resume.file.storage.open(resume.file.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=resume.original_name,
        content_type=resume.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _resume_or_404(candidate: Candidate, resume_id: int) -> ResumeFile:
    resume = resume_with_uploader_get(candidate, resume_id)
    if resume is None:
        raise Http404
    return resume


def _item(request: HttpRequest, candidate: Candidate, resume: ResumeFile, **extra) -> HttpResponse:
    """One file's panel (the ``item`` partial), as the profile page renders it."""
    emails, phones = candidate_contacts(candidate)
    context = {
        "candidate": candidate,
        "panel": resume_panel(candidate, resume, emails=emails, phones=phones),
        "can_edit": has_role(request.user, Role.RECRUITER),
        **extra,
    }
    response = render(request, f"{RESUMES_TEMPLATE}#item", context)
    response.headers["Cache-Control"] = "no-store"
    return response


def _detail_anchor(candidate: Candidate, resume: ResumeFile) -> str:
    return reverse("crm:candidate-detail", args=[candidate.pk]) + f"#resume-{resume.pk}"


@role_required(Role.RECRUITER, hide=True, load=candidate_get_for_user)
@require_POST
def candidate_resume_reparse(
    request: HttpRequest, candidate: Candidate, resume_id: int
) -> HttpResponse:
    """Parse the file again: htmx gets the file's panel (now polling), a plain post a redirect."""
    resume = resume_reparse(resume=_resume_or_404(candidate, resume_id), actor=request.user)
    if is_htmx(request):
        return _item(request, candidate, _resume_or_404(candidate, resume.pk))
    messages.success(request, f"Parsing {resume.original_name} again.")
    return redirect(_detail_anchor(candidate, resume))


@role_required(*Role.ALL, hide=True, load=candidate_get_for_user)
@require_GET
def candidate_resume_status(
    request: HttpRequest, candidate: Candidate, resume_id: int
) -> HttpResponse:
    """The file's panel, polled while it is parsed; once done, status 286 stops the polling.
    Without htmx: the profile page at this file. Not for interviewer-only users (the panel
    shows what the parser found, contact details included): 404."""
    if sees_limited_profile(request.user):
        raise Http404
    resume = _resume_or_404(candidate, resume_id)
    if not is_htmx(request):
        return redirect(_detail_anchor(candidate, resume))
    response = _item(request, candidate, resume, finished=True)
    if resume.parse_status != ResumeFile.ParseStatus.PENDING:
        response.status_code = STOP_POLLING
    return response
