"""The people in a sequence (filtered, paginated; stop, pause, resume one), and enrolling:
one person by id or address, one from their profile, or many from the candidate search."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from config.core.forms import parse_id
from config.core.htmx import is_partial_request, render_page, safe_next
from config.core.roles import Role, role_required
from crm.models import Candidate
from crm.selectors.candidates import candidate_get_for_user
from nurture.forms import EnrollForm, EnrollInSequenceForm
from nurture.models import Enrollment, Sequence
from nurture.selectors import candidates as candidate_selectors
from nurture.selectors import enrollments as enrollment_selectors
from nurture.selectors.sequences import (
    sequence_get_for_user,
    sequence_to_enroll_in_get,
    sequences_to_enroll_in,
)
from nurture.services.enrollments import (
    BulkEnrollResult,
    enroll,
    enroll_many,
    enrollment_pause,
    enrollment_resume,
    enrollment_stop,
)
from nurture.services.errors import NurtureError

ENROLLMENTS = "nurture/enrollment_list.html"
PAGE_SIZE = 50
MAX_SELECTED = 1000


def _enrollments_query(state: str, page: int | str) -> str:
    query = QueryDict(mutable=True)
    if state:
        query["state"] = state
    if str(page) not in ("", "1"):
        query["page"] = str(page)
    return query.urlencode()


@role_required(Role.RECRUITER, load=sequence_get_for_user)
@require_http_methods(["GET", "POST"])
def enrollment_list(request: HttpRequest, sequence: Sequence) -> HttpResponse:
    """The people in a sequence (filtered by state, 50 a page). POST enrolls one more person
    by id or email address."""
    form = EnrollForm(request.POST or None)
    if request.method == "POST":
        form.is_valid()
        wanted = form.cleaned_data.get("candidate", "")
        candidate = candidate_selectors.candidate_find_for_user(request.user, wanted)
        if candidate is None:
            messages.error(request, f"No candidate matches “{wanted}”.")
        else:
            _enroll_one(request, candidate, sequence)
        return redirect("nurture:enrollments", pk=sequence.pk)
    state = request.GET.get("state", "")
    if state not in Enrollment.State.values:
        state = ""
    paginator = Paginator(enrollment_selectors.enrollments_of(sequence, state=state), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "sequence": sequence,
        "page": page,
        "state": state,
        "states": Enrollment.State.choices,
        "query": _enrollments_query(state, page.number),
        "prev_query": _enrollments_query(state, page.number - 1) if page.has_previous() else "",
        "next_query": _enrollments_query(state, page.number + 1) if page.has_next() else "",
        "form": form,
    }
    return render_page(request, ENROLLMENTS, context, partial="rows")


def _enroll_one(request: HttpRequest, candidate: Candidate, sequence: Sequence) -> bool:
    try:
        enroll(candidate=candidate, sequence=sequence, actor=request.user)
    except NurtureError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, f"Enrolled {candidate} in “{sequence.name}”.")
    return True


ENROLLMENT_ACTIONS: dict[str, Callable[[Enrollment, Any], bool]] = {
    "stop": lambda e, user: enrollment_stop(enrollment=e, reason="manual", actor=user),
    "pause": lambda e, user: enrollment_pause(enrollment=e, actor=user),
    "resume": lambda e, user: enrollment_resume(enrollment=e, actor=user),
}
DONE = {"stop": "Stopped", "pause": "Paused", "resume": "Resumed"}


@role_required(Role.RECRUITER)
@require_POST
def enrollment_action(
    request: HttpRequest, pk: int, enrollment_pk: int, action: str
) -> HttpResponse:
    """Stop, pause or resume one enrollment; htmx gets the row back."""
    enrollment = enrollment_selectors.enrollment_get_for_user(request.user, pk, enrollment_pk)
    if enrollment is None or action not in ENROLLMENT_ACTIONS:
        raise Http404
    changed = ENROLLMENT_ACTIONS[action](enrollment, request.user)
    if is_partial_request(request):
        current = enrollment_selectors.enrollment_get_for_user(request.user, pk, enrollment_pk)
        if current is None:
            raise Http404
        context = {"sequence": current.sequence, "enrollment": current, "query": ""}
        context["row_error"] = "" if changed else f"Nothing to {action}: it has already ended."
        return render_page(request, ENROLLMENTS, context, partial="row")
    if changed:
        messages.success(
            request, f"{DONE[action]} {enrollment.candidate} in “{enrollment.sequence}”."
        )
    else:
        messages.error(request, f"Could not {action} {enrollment.candidate}: nothing to change.")
    query = QueryDict(request.POST.get("query", "")[:200])
    back = _enrollments_query(query.get("state", ""), query.get("page", ""))
    url = reverse("nurture:enrollments", args=[pk])
    return redirect(f"{url}?{back}" if back else url)


@role_required(Role.RECRUITER, load=candidate_get_for_user)
@require_POST
def candidate_enroll(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    """The profile panel's "Enroll in a sequence": a refusal says why and changes nothing."""
    form = EnrollInSequenceForm(request.POST, sequences=sequences_to_enroll_in(request.user))
    sequence = form.cleaned_data.get("sequence") if form.is_valid() else None
    if sequence is None:
        messages.error(request, "Choose a sequence to enroll them in.")
    else:
        _enroll_one(request, candidate, sequence)
    return redirect(reverse("crm:candidate-detail", args=[candidate.pk]) + "#nurture")


@role_required(Role.RECRUITER)
@require_POST
def bulk_enroll(request: HttpRequest) -> HttpResponse:
    """From the candidate search's bulk bar: the ticked people (``ids``) into ``sequence``.
    Without a sequence, a page asks which one (so the search page needs no list of them)."""
    raw = request.POST.getlist("ids")[:MAX_SELECTED]
    wanted = {pk for pk in (parse_id(v) for v in raw) if pk is not None}
    ids = candidate_selectors.candidate_ids_visible(request.user, wanted)
    search = QueryDict(request.POST.get("query", "")[:2000]).urlencode()
    back = safe_next(request, reverse("crm:candidates") + (f"?{search}" if search else ""))
    if not ids:
        messages.error(request, "Tick at least one candidate to enroll.")
        return redirect(back)
    sequences = sequences_to_enroll_in(request.user)
    sequence = sequence_to_enroll_in_get(request.user, parse_id(request.POST.get("sequence")))
    if sequence is None:
        context = {"ids": ids, "query": search, "sequences": sequences, "next": back}
        status = 422 if request.POST.get("sequence") else 200
        return render_page(request, "nurture/bulk_enroll.html", context, status=status)
    result = enroll_many(candidate_ids=ids, sequence=sequence, actor=request.user)
    _bulk_message(request, result, sequence)
    return redirect(back)


def _bulk_message(request: HttpRequest, result: BulkEnrollResult, sequence: Sequence) -> None:
    text = f"{len(result.enrolled)} enrolled in “{sequence.name}”"
    if result.refused:
        reasons = "; ".join(r.rstrip(".") for r in list(result.refused.values())[:10])
        more = f" (and {len(result.refused) - 10} more)" if len(result.refused) > 10 else ""
        text += f", {len(result.refused)} refused: {reasons}{more}"
        messages.warning(request, text + ".")
    else:
        messages.success(request, text + ".")
