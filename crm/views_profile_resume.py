"""Resume files on the profile: upload (PDF or DOCX, judged by content) and download.

Files are stored under a server-generated name outside the web root and only ever leave through
:func:`candidate_resume`, which checks that the user may see the candidate and serves the file as
an attachment (never inline, never sniffed), so a crafted upload cannot run in our origin.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from .forms import ResumeUploadForm
from .models import Candidate, ResumeFile
from .services_profile import resume_attach
from .views_profile import candidate_view, render_profile


@candidate_view(write=True)
@require_POST
def candidate_resume_upload(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    form = ResumeUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_profile(request, candidate.pk, resume_form=form, status=422)
    checked = form.checked
    if ResumeFile.objects.filter(candidate=candidate, sha256=checked.sha256).exists():
        messages.info(request, "This file is already attached.")
    else:
        resume_attach(
            candidate=candidate,
            upload=form.cleaned_data["file"],
            checked=checked,
            actor=request.user,
        )
        messages.success(request, "Resume uploaded.")
    return redirect("crm:candidate-detail", pk=candidate.pk)


@candidate_view()
@require_GET
def candidate_resume(request: HttpRequest, candidate: Candidate, resume_id: int) -> HttpResponse:
    """The stored file, as an attachment, to users who may see the candidate (404 otherwise)."""
    resume = ResumeFile.objects.filter(pk=resume_id, candidate=candidate).first()
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
