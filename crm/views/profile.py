"""The candidate profile: record page, timeline, notes, new/edit forms and do-not-contact.

Permissions: every candidate URL resolves the person through
:func:`~crm.selectors.candidates.candidate_get_for_user` (``role_required(load=...)``), so
anyone who may not see them gets the same 404 whether they exist or not. Writes additionally
need the recruiter role (404 otherwise: a write URL must not confirm the person exists).
Resume upload, download, parse status and re-parse live in :mod:`crm.views.resumes`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.core.htmx import is_htmx, render_page
from config.core.panels import limited_profile_panels, profile_panels
from config.core.roles import Role, has_role, role_required

from ..forms import CandidateForm, DoNotContactForm, NoteForm, ResumeUploadForm
from ..models import Candidate
from ..normalize import display_phone
from ..selectors.candidates import (
    candidate_get_for_user,
    candidate_profile_get_for_user,
    candidate_survivor_get_for_user,
    sees_limited_profile,
    timeline_page,
)
from ..selectors.resumes import resume_files
from ..services import candidates
from ..services.errors import CandidateInputError
from ..services.timeline import note_add
from .resume_panel import resume_panels

TIMELINE_TEMPLATE = "crm/profile/timeline.html"


# --------------------------------------------------------------------------- access


def _to_survivor(request: HttpRequest, pk: int) -> HttpResponse | None:
    """A merged-away id redirects to the record it now lives in, if the user may see that."""
    survivor = candidate_survivor_get_for_user(request.user, pk)
    return redirect("crm:candidate-detail", pk=survivor.pk) if survivor else None


# --------------------------------------------------------------------------- profile page


def _links(candidate: Candidate) -> list[tuple[str, str]]:
    pairs = [
        ("LinkedIn", candidate.linkedin_url),
        ("GitHub", candidate.github_url),
        ("Website", candidate.website_url),
    ]
    # Only web addresses become links: a stored "javascript:" value stays inert text.
    return [
        (label, url) for label, url in pairs if url and urlsplit(url).scheme in {"http", "https"}
    ]


_WORK_KEYS = {
    "title": ("title", "position"),
    "company": ("company", "name"),
    "location": ("location",),
    "start": ("start", "startDate", "start_date"),
    "end": ("end", "endDate", "end_date"),
    "summary": ("summary", "description"),
}
_EDUCATION_KEYS = {
    "institution": ("institution", "school"),
    "degree": ("degree", "studyType"),
    "field": ("field", "area"),
    "start": ("start", "startDate", "start_date"),
    "end": ("end", "endDate", "end_date"),
}


def _history(items, keys: dict) -> list[dict]:
    """Entries of a JSON list as plain strings; anything that is not an object is skipped
    (imports and parsers wrote these lists, the page must not trust their shape)."""
    rows = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        row = {}
        for key, aliases in keys.items():
            value = next((item[a] for a in aliases if item.get(a) not in (None, "")), "")
            row[key] = str(value).strip() if isinstance(value, str | int | float) else ""
        if any(row.values()):
            rows.append(row)
    return rows


def render_profile(
    request: HttpRequest,
    pk: int,
    *,
    candidate: Candidate | None = None,
    note_form: NoteForm | None = None,
    dnc_form: DoNotContactForm | None = None,
    resume_form: ResumeUploadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    candidate = candidate or candidate_profile_get_for_user(request.user, pk)
    if candidate is None:
        raise Http404
    entries, next_cursor = timeline_page(candidate)
    location = ", ".join(p for p in (candidate.city, candidate.region, candidate.country) if p)
    context = {
        "candidate": candidate,
        "can_edit": has_role(request.user, Role.RECRUITER),
        "location": location,
        "emails": list(candidate.emails.all()),
        "phones": [(p, display_phone(p.number)) for p in candidate.phones.all()],
        "links": _links(candidate),
        "skills": list(candidate.skills.all()),
        "work_history": _history(candidate.work_history, _WORK_KEYS),
        "education": _history(candidate.education, _EDUCATION_KEYS),
        "resumes": resume_panels(candidate, list(candidate.resumes.all())),
        "entries": entries,
        "next_cursor": next_cursor,
        "note_form": note_form or NoteForm(),
        "dnc_form": dnc_form or DoNotContactForm(),
        "resume_form": resume_form or ResumeUploadForm(),
        "extra_panels": profile_panels(request, candidate),
    }
    return render(request, "crm/profile/detail.html", context, status=status)


@role_required(*Role.ALL, hide=True, load=candidate_profile_get_for_user, on_missing=_to_survivor)
@require_GET
def candidate_detail(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    """Visible candidates only (404 otherwise); a merged-away id redirects to the survivor.
    Interviewer-only users get the limited profile."""
    if sees_limited_profile(request.user):
        return render_limited_profile(request, candidate)
    return render_profile(request, candidate.pk, candidate=candidate)


def render_limited_profile(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    """What an interviewer needs: name, current title, the resume files, and the panels the
    higher apps add (ats: the jobs and interviews, with the kit links). No contact details,
    notes, timeline, other jobs, tags or consent."""
    files = resume_files(candidate)
    context = {
        "candidate": candidate,
        "resumes": [
            (resume, reverse("crm:candidate-resume", args=[candidate.pk, resume.pk]))
            for resume in files
        ],
        "panels": limited_profile_panels(request, candidate),
    }
    return render(request, "crm/profile/limited.html", context)


@role_required(*Role.ALL, hide=True, load=candidate_get_for_user)
@require_GET
def candidate_timeline(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    """A page of older entries: the entries partial for htmx, a plain page otherwise.
    Not for interviewer-only users (404: their profile has no timeline)."""
    if sees_limited_profile(request.user):
        raise Http404
    try:
        entries, next_cursor = timeline_page(candidate, request.GET.get("before"))
    except (ValueError, OverflowError):
        return HttpResponseBadRequest("Bad cursor")
    context = {"candidate": candidate, "entries": entries, "next_cursor": next_cursor}
    return render_page(request, TIMELINE_TEMPLATE, context, partial="entries")


@role_required(Role.RECRUITER, hide=True, load=candidate_get_for_user)
@require_POST
def candidate_note(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    """Add a note. htmx gets the new entry (swapped into the top of the timeline) plus a fresh
    form out of band; an empty note gets the form back with its error (422)."""
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        entry = note_add(
            candidate=candidate, body=form.cleaned_data.get("body", ""), actor=request.user
        )
    except CandidateInputError as exc:
        form.add_error("body", exc.errors.get("body") or str(exc))
        if not is_htmx(request):
            return render_profile(request, candidate.pk, note_form=form, status=422)
        response = render(
            request,
            f"{TIMELINE_TEMPLATE}#note-form",
            {"candidate": candidate, "note_form": form},
            status=422,
        )
        response["HX-Retarget"] = "#note-form"
        response["HX-Reswap"] = "outerHTML"
        return response
    if is_htmx(request):
        context = {"candidate": candidate, "entry": entry, "note_form": NoteForm(), "oob": True}
        return render(request, f"{TIMELINE_TEMPLATE}#note-created", context)
    messages.success(request, "Note added.")
    return redirect(reverse("crm:candidate-detail", args=[candidate.pk]) + "#timeline")


@role_required(Role.RECRUITER, hide=True, load=candidate_get_for_user)
@require_POST
def candidate_dnc(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    """Mark or lift do-not-contact; marking needs a reason."""
    form = DoNotContactForm(request.POST)
    if form.is_valid():
        flag = form.cleaned_data["flag"]
        try:
            candidates.candidate_set_do_not_contact(
                candidate=candidate,
                flag=flag,
                reason=form.cleaned_data["do_not_contact_reason"],
                actor=request.user,
            )
        except CandidateInputError as exc:
            for message in exc.errors.values():
                form.add_error("do_not_contact_reason", message)
        else:
            text = "Marked do not contact." if flag else "Do-not-contact lifted."
            messages.success(request, text)
            return redirect("crm:candidate-detail", pk=candidate.pk)
    return render_profile(request, candidate.pk, dnc_form=form, status=422)


# --------------------------------------------------------------------------- new and edit


def _render_form(request, form: CandidateForm, candidate: Candidate | None) -> HttpResponse:
    status = 422 if form.is_bound and form.errors else 200
    context = {"form": form, "candidate": candidate}
    return render(request, "crm/profile/form.html", context, status=status)


@role_required(Role.RECRUITER)
@require_http_methods(["GET", "POST"])
def candidate_new(request: HttpRequest) -> HttpResponse:
    """Add a person; looks them up first, so a second entry finds the existing record."""
    data = request.POST if request.method == "POST" else None
    form = CandidateForm(data, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            result = candidates.candidate_add(
                data=form.service_data(),
                source=form.cleaned_data["source"],
                owner=form.cleaned_data["owner"],
                actor=request.user,
            )
        except CandidateInputError as exc:
            form.add_service_errors(exc.errors)
        else:
            person = result.candidate
            if result.created:
                messages.success(request, f"Added {person}.")
            elif result.changed_fields:
                messages.info(
                    request, f"Already in the database: we added the new details to {person}."
                )
            else:
                messages.info(request, f"Already in the database: {person}. Nothing new to add.")
            return redirect("crm:candidate-detail", pk=person.pk)
    return _render_form(request, form, None)


@role_required(Role.RECRUITER, hide=True, load=candidate_get_for_user)
@require_http_methods(["GET", "POST"])
def candidate_edit(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    """A recruiter's edit: the fields changed here become recruiter-owned (imports keep them)."""
    data = request.POST if request.method == "POST" else None
    form = CandidateForm(data, instance=candidate)
    if request.method == "POST" and form.is_valid():
        try:
            changed = candidates.candidate_edit(
                candidate=candidate,
                data=form.service_data(),
                owner=form.cleaned_data["owner"],
                source=form.cleaned_data["source"],
                actor=request.user,
            )
        except CandidateInputError as exc:
            form.add_service_errors(exc.errors)
        else:
            messages.success(request, "Saved." if changed else "Nothing changed.")
            return redirect("crm:candidate-detail", pk=candidate.pk)
    return _render_form(request, form, candidate)
