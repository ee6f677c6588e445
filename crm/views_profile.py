"""The candidate profile: record page, timeline, notes, new/edit forms and do-not-contact.

Permissions: every candidate URL resolves the person through :func:`candidate_get_for_user`, so
anyone who may not see them gets the same 404 whether they exist or not. Writes additionally
need the recruiter role (404 otherwise: a write URL must not confirm the person exists).
Resume upload, download, parse status and re-parse live in :mod:`crm.views_profile_resume`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.core.htmx import render_page
from config.core.panels import profile_panels
from config.core.roles import Role, has_role, role_required

from .forms import CandidateForm, DoNotContactForm, NoteForm, ResumeUploadForm
from .models import Candidate, CandidateEmail, CandidatePhone, ResumeFile, TimelineEntry
from .normalize import display_phone
from .resume_panel import resume_panels
from .selectors import candidate_get_for_user, candidates_visible_to
from .services import (
    CandidateInputError,
    candidate_set_do_not_contact,
    candidate_update,
    candidate_upsert,
    note_add,
)
from .services_profile import candidate_assign

TIMELINE_PAGE_SIZE = 20
TIMELINE_TEMPLATE = "crm/profile/timeline.html"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


# --------------------------------------------------------------------------- access


def _profile_get(user, pk: int) -> Candidate | None:
    """The candidate with everything the profile page shows, in a fixed number of queries."""
    return (
        candidates_visible_to(user)
        .select_related("owner")
        .prefetch_related(
            Prefetch("emails", queryset=CandidateEmail.objects.order_by("-is_primary", "email")),
            Prefetch("phones", queryset=CandidatePhone.objects.order_by("-is_primary", "id")),
            "skills",
            Prefetch("resumes", queryset=ResumeFile.objects.select_related("uploaded_by")),
        )
        .filter(pk=pk)
        .first()
    )


def _survivor_visible_to(user, pk: int) -> Candidate | None:
    """For a merged-away id: the record it now lives in, if the user may see that one."""
    target, seen = pk, set()
    while target is not None and target not in seen:
        seen.add(target)
        row = Candidate.objects.filter(pk=target).values_list("merged_into_id", flat=True).first()
        if row is None:
            break
        target = row
    if target is None or target == pk:
        return None
    return candidate_get_for_user(user, target)


def candidate_view(
    *, write: bool = False, loader: Callable = candidate_get_for_user, follow_merges: bool = False
) -> Callable:
    """Resolve ``pk`` into a candidate the user may see (``write``: and may change), passing it
    to the view; anonymous users go to the login page, everyone else gets 404."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, pk: int, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if write and not has_role(request.user, Role.RECRUITER):
                raise Http404
            candidate = loader(request.user, pk)
            if candidate is None:
                survivor = _survivor_visible_to(request.user, pk) if follow_merges else None
                if survivor is None:
                    raise Http404
                return redirect("crm:candidate-detail", pk=survivor.pk)
            return view(request, candidate, *args, **kwargs)

        return wrapped

    return decorator


# --------------------------------------------------------------------------- timeline pages


def encode_cursor(entry: TimelineEntry) -> str:
    return f"{(entry.occurred_at - _EPOCH) // _MICROSECOND}_{entry.pk}"


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    micros, _, pk = cursor.partition("_")
    return _EPOCH + timedelta(microseconds=int(micros)), int(pk)


def timeline_page(
    candidate: Candidate, before: str | None = None, size: int = TIMELINE_PAGE_SIZE
) -> tuple[list[TimelineEntry], str | None]:
    """Newest first, keyset-paginated on (occurred_at, id): stable while entries are added.
    Raises ValueError for a malformed cursor."""
    entries = (
        TimelineEntry.objects.filter(candidate=candidate)
        .select_related("actor")
        .order_by("-occurred_at", "-id")
    )
    if before:
        at, pk = decode_cursor(before)
        entries = entries.filter(Q(occurred_at__lt=at) | Q(occurred_at=at, id__lt=pk))
    rows = list(entries[: size + 1])
    next_cursor = encode_cursor(rows[size - 1]) if len(rows) > size else None
    return rows[:size], next_cursor


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
    candidate = candidate or _profile_get(request.user, pk)
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


@candidate_view(loader=_profile_get, follow_merges=True)
@require_GET
def candidate_detail(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    """Visible candidates only (404 otherwise); a merged-away id redirects to the survivor."""
    return render_profile(request, candidate.pk, candidate=candidate)


@candidate_view()
@require_GET
def candidate_timeline(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    """A page of older entries: the entries partial for htmx, a plain page otherwise."""
    try:
        entries, next_cursor = timeline_page(candidate, request.GET.get("before"))
    except (ValueError, OverflowError):
        return HttpResponseBadRequest("Bad cursor")
    context = {"candidate": candidate, "entries": entries, "next_cursor": next_cursor}
    return render_page(request, TIMELINE_TEMPLATE, context, partial="entries")


@candidate_view(write=True)
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
        if not request.htmx:
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
    if request.htmx:
        context = {"candidate": candidate, "entry": entry, "note_form": NoteForm(), "oob": True}
        return render(request, f"{TIMELINE_TEMPLATE}#note-created", context)
    messages.success(request, "Note added.")
    return redirect(reverse("crm:candidate-detail", args=[candidate.pk]) + "#timeline")


@candidate_view(write=True)
@require_POST
def candidate_dnc(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    """Mark or lift do-not-contact; marking needs a reason."""
    form = DoNotContactForm(request.POST)
    if form.is_valid():
        flag = form.cleaned_data["flag"]
        try:
            candidate_set_do_not_contact(
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
            with transaction.atomic():
                result = candidate_upsert(
                    data=form.service_data(),
                    actor=request.user,
                    source=form.cleaned_data["source"],
                    origin="recruiter",
                )
                if result.created:
                    candidate_assign(
                        candidate=result.candidate,
                        owner=form.cleaned_data["owner"],
                        actor=request.user,
                        record=False,
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


@candidate_view(write=True)
@require_http_methods(["GET", "POST"])
def candidate_edit(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    """A recruiter's edit: the fields changed here become recruiter-owned (imports keep them)."""
    data = request.POST if request.method == "POST" else None
    form = CandidateForm(data, instance=candidate)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                changed = candidate_update(
                    candidate=candidate, data=form.service_data(), actor=request.user
                )
                changed += candidate_assign(
                    candidate=candidate,
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
