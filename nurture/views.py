"""The recruiter screens of the nurture engine: sequences and their steps, previews,
enrollments, enrolling one person or many, manual-step tasks, unmatched inbound mail, alerts.

Every view is for recruiters (``role_required(Role.RECRUITER)``: others get 403, anonymous users
the login page) and resolves objects through :mod:`nurture.selectors`, so what the user may not
see is a 404. Every form is a plain POST answered with a redirect and works without JavaScript;
with htmx the same URL answers with the named partial of the page's template.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.core.forms import parse_id
from config.core.htmx import render_page
from config.core.roles import Role, role_required
from crm.selectors import candidate_get_for_user, candidates_visible_to

from . import selectors, templating
from .forms import EnrollForm, PreviewForm, SequenceForm, StepForm, add_problems
from .models import Enrollment, Sequence, Step, Task
from .services import (
    NurtureError,
    alerts_mark_seen,
    enroll,
    enroll_many,
    enrollment_pause,
    enrollment_resume,
    enrollment_stop,
    sequence_create,
    step_delete,
    step_move,
    step_save,
    task_complete,
)

DETAIL = "nurture/sequence_detail.html"
ENROLLMENTS = "nurture/enrollment_list.html"
PAGE_SIZE = 50
MAX_SELECTED = 1000


def _htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _sequence_or_404(request: HttpRequest, pk: int) -> Sequence:
    sequence = selectors.sequence_get_for_user(request.user, pk)
    if sequence is None:
        raise Http404
    return sequence


def _step_or_404(sequence: Sequence, step_pk: int) -> Step:
    step = sequence.steps.filter(pk=step_pk).first()
    if step is None:
        raise Http404
    return step


def _detail_url(sequence: Sequence, anchor: str = "") -> str:
    return reverse("nurture:sequence", args=[sequence.pk]) + (f"#{anchor}" if anchor else "")


# --------------------------------------------------------------------------- sequence list


@role_required(Role.RECRUITER)
@require_GET
def sequence_list(request: HttpRequest) -> HttpResponse:
    """Every sequence with live statistics (a fixed number of queries)."""
    archived = request.GET.get("archived") == "1"
    context = {
        "rows": selectors.sequence_list_with_stats(request.user, archived=archived),
        "archived": archived,
    }
    return render_page(request, "nurture/sequence_list.html", context, partial="rows")


@role_required(Role.RECRUITER)
@require_http_methods(["GET", "POST"])
def sequence_new(request: HttpRequest) -> HttpResponse:
    """Name and settings first; the steps are added on the sequence's page."""
    form = SequenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sequence = sequence_create(
                name=form.cleaned_data["name"],
                owner=request.user,
                steps=[],
                **form.service_fields(),
            )
        except NurtureError as exc:
            add_problems(form, exc.problems or [exc.message])
        else:
            messages.success(request, f"Created “{sequence.name}”. Now add its steps.")
            return redirect(_detail_url(sequence, "steps"))
    status = 422 if form.errors else 200
    return render_page(request, "nurture/sequence_new.html", {"form": form}, status=status)


# --------------------------------------------------------------------------- sequence page


def _detail_context(request: HttpRequest, sequence: Sequence, **extra) -> dict:
    steps = selectors.steps_with_stats(sequence)
    context = {
        "sequence": sequence,
        "steps": steps,
        "stats": selectors.sequence_stats(sequence),
        "settings_form": SequenceForm(instance=sequence),
        "add_form": StepForm(prefix="new"),
        "editing": None,
        "edit_form": None,
        "step_error_pk": None,
        "step_error": "",
        "merge_fields": templating.MERGE_FIELDS,
        "preview": None,
    }
    context.update(extra)
    if "preview_form" not in context:
        context["preview_form"] = PreviewForm(recent=selectors.recent_candidates(request.user))
    return context


def _render_detail(request, sequence, *, partial=None, status=200, **extra) -> HttpResponse:
    """The sequence page, or only its ``partial`` for htmx (render_page decides)."""
    context = _detail_context(request, sequence, **extra)
    return render_page(request, DETAIL, context, partial=partial, status=status)


@role_required(Role.RECRUITER)
@require_http_methods(["GET", "POST"])
def sequence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: settings, steps, preview. POST: save the settings. ``?edit=<step>`` opens a step's
    form without JavaScript; htmx GETs get the steps partial (e.g. "Cancel" on a step form)."""
    sequence = _sequence_or_404(request, pk)
    if request.method == "POST":
        form = SequenceForm(request.POST, instance=sequence)
        if form.is_valid():
            form.save()
            messages.success(request, "Saved the settings.")
            return redirect(_detail_url(sequence))
        sequence.refresh_from_db()
        return _render_detail(request, sequence, settings_form=form, status=422)
    extra = {}
    edit = request.GET.get("edit", "")
    if edit.isdigit() and len(edit) < 19:
        step = _step_or_404(sequence, int(edit))
        extra = {"editing": step.pk, "edit_form": StepForm.for_step(step, prefix=f"s{step.pk}")}
    return _render_detail(request, sequence, partial="steps", **extra)


@role_required(Role.RECRUITER)
@require_POST
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    sequence = _sequence_or_404(request, pk)
    form = StepForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            step = step_save(sequence=sequence, data=form.to_input())
        except NurtureError as exc:
            add_problems(form, exc.problems)
        else:
            if _htmx(request):
                return _render_detail(request, sequence, partial="steps")
            messages.success(request, f"Added step {step.position + 1}.")
            return redirect(_detail_url(sequence, f"step-{step.pk}"))
    return _render_detail(request, sequence, partial="steps", add_form=form, status=422)


@role_required(Role.RECRUITER)
@require_http_methods(["GET", "POST"])
def step_edit(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    """GET: the step's form (htmx swaps it in place of the step). POST: save it."""
    sequence = _sequence_or_404(request, pk)
    step = _step_or_404(sequence, step_pk)
    prefix = f"s{step.pk}"
    if request.method == "GET":
        if not _htmx(request):
            return redirect(f"{_detail_url(sequence)}?edit={step.pk}#step-{step.pk}")
        form = StepForm.for_step(step, prefix=prefix)
        return _render_step_form(request, sequence, step, form)
    form = StepForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            step_save(sequence=sequence, data=form.to_input(), step=step)
        except NurtureError as exc:
            add_problems(form, exc.problems)
        else:
            if _htmx(request):
                return _render_detail(request, sequence, partial="steps")
            messages.success(request, f"Saved step {step.position + 1}.")
            return redirect(_detail_url(sequence, f"step-{step.pk}"))
    return _render_detail(
        request, sequence, partial="steps", editing=step.pk, edit_form=form, status=422
    )


def _render_step_form(request, sequence, step, form, status=200) -> HttpResponse:
    row = next(row for row in selectors.steps_with_stats(sequence) if row.step.pk == step.pk)
    context = {"sequence": sequence, "row": row, "edit_form": form, "editing": step.pk}
    return render_page(request, DETAIL, context, partial="step", status=status)


@role_required(Role.RECRUITER)
@require_POST
def step_move_view(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    """``direction`` up or down; moving past either end is refused with a message."""
    sequence = _sequence_or_404(request, pk)
    step = _step_or_404(sequence, step_pk)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    error = "Say which way to move the step." if offset is None else ""
    if offset is not None:
        try:
            step_move(step=step, offset=offset)
        except NurtureError as exc:
            error = exc.message
    return _after_step_action(request, sequence, step, error)


@role_required(Role.RECRUITER)
@require_POST
def step_delete_view(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    """Refused (with the reason, at the step) once the step has been sent to anyone."""
    sequence = _sequence_or_404(request, pk)
    step = _step_or_404(sequence, step_pk)
    try:
        step_delete(step=step)
    except NurtureError as exc:
        return _after_step_action(request, sequence, step, exc.message)
    if not _htmx(request):
        messages.success(request, "Deleted the step.")
    return _after_step_action(request, sequence, None, "")


def _after_step_action(request, sequence, step, error: str) -> HttpResponse:
    if _htmx(request):
        return _render_detail(
            request,
            sequence,
            partial="steps",
            step_error_pk=step.pk if error and step else None,
            step_error=error,
            status=422 if error else 200,
        )
    if error:
        messages.error(request, error)
    return redirect(_detail_url(sequence, f"step-{step.pk}" if step else "steps"))


# --------------------------------------------------------------------------- preview


@role_required(Role.RECRUITER)
@require_GET
def sequence_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The steps rendered for the candidate chosen (by the select, or an id or email typed)."""
    sequence = _sequence_or_404(request, pk)
    recent = selectors.recent_candidates(request.user)
    form = PreviewForm(request.GET, recent=recent)
    wanted = form.wanted()
    candidate = selectors.candidate_find_for_user(request.user, wanted) if wanted else None
    preview = {"candidate": candidate, "items": [], "error": ""}
    if candidate is None:
        preview["error"] = (
            f"No candidate matches “{wanted}”." if wanted else "Choose a candidate to preview."
        )
    else:
        preview["items"] = selectors.preview_steps(sequence, candidate)
    status = 422 if preview["error"] else 200
    if _htmx(request):
        context = {"sequence": sequence, "preview": preview}
        return render_page(request, DETAIL, context, partial="preview", status=status)
    return _render_detail(request, sequence, preview=preview, preview_form=form, status=status)


# --------------------------------------------------------------------------- enrollments


def _enrollments_query(state: str, page: int | str) -> str:
    query = QueryDict(mutable=True)
    if state:
        query["state"] = state
    if str(page) not in ("", "1"):
        query["page"] = str(page)
    return query.urlencode()


@role_required(Role.RECRUITER)
@require_http_methods(["GET", "POST"])
def enrollment_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The people in a sequence (filtered by state, 50 a page). POST enrolls one more person
    by id or email address."""
    sequence = _sequence_or_404(request, pk)
    form = EnrollForm(request.POST or None)
    if request.method == "POST":
        form.is_valid()
        wanted = form.cleaned_data.get("candidate", "")
        candidate = selectors.candidate_find_for_user(request.user, wanted)
        if candidate is None:
            messages.error(request, f"No candidate matches “{wanted}”.")
        else:
            _enroll_one(request, candidate, sequence)
        return redirect("nurture:enrollments", pk=sequence.pk)
    state = request.GET.get("state", "")
    if state not in Enrollment.State.values:
        state = ""
    paginator = Paginator(selectors.enrollments_of(sequence, state=state), PAGE_SIZE)
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


def _enroll_one(request: HttpRequest, candidate, sequence: Sequence) -> bool:
    try:
        enroll(candidate=candidate, sequence=sequence, actor=request.user)
    except NurtureError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, f"Enrolled {candidate} in “{sequence.name}”.")
    return True


ENROLLMENT_ACTIONS = {
    "stop": lambda e, user: enrollment_stop(enrollment=e, reason="manual", actor=user),
    "pause": lambda e, user: enrollment_pause(enrollment=e, actor=user),
    "resume": lambda e, user: enrollment_resume(enrollment=e, actor=user),
}
DONE = {"stop": "Stopped", "pause": "Paused", "resume": "Resumed"}


@role_required(Role.RECRUITER)
@require_POST
def enrollment_action(request: HttpRequest, pk: int, enrollment_pk: int, action: str):
    """Stop, pause or resume one enrollment; htmx gets the row back."""
    enrollment = selectors.enrollment_get_for_user(request.user, pk, enrollment_pk)
    if enrollment is None or action not in ENROLLMENT_ACTIONS:
        raise Http404
    changed = ENROLLMENT_ACTIONS[action](enrollment, request.user)
    if _htmx(request):
        enrollment.refresh_from_db()
        context = {"sequence": enrollment.sequence, "enrollment": enrollment, "query": ""}
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


@role_required(Role.RECRUITER)
@require_POST
def candidate_enroll(request: HttpRequest, pk: int) -> HttpResponse:
    """The profile panel's "Enroll in a sequence": a refusal says why and changes nothing."""
    candidate = candidate_get_for_user(request.user, pk)
    if candidate is None:
        raise Http404
    form = EnrollForm(request.POST, sequences=selectors.sequences_to_enroll_in(request.user))
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
    wanted = {int(v) for v in raw if v.isdigit() and len(v) < 19}
    ids = list(
        candidates_visible_to(request.user).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    search = QueryDict(request.POST.get("query", "")[:2000]).urlencode()
    back = reverse("crm:candidates") + (f"?{search}" if search else "")
    if not ids:
        messages.error(request, "Tick at least one candidate to enroll.")
        return redirect(back)
    sequences = selectors.sequences_to_enroll_in(request.user)
    sequence = sequences.filter(pk=parse_id(request.POST.get("sequence"))).first()
    if sequence is None:
        context = {"ids": ids, "query": search, "sequences": sequences}
        status = 422 if request.POST.get("sequence") else 200
        return render_page(request, "nurture/bulk_enroll.html", context, status=status)
    result = enroll_many(candidate_ids=ids, sequence=sequence, actor=request.user)
    _bulk_message(request, result, sequence)
    return redirect(back)


def _bulk_message(request, result, sequence) -> None:
    text = f"{len(result.enrolled)} enrolled in “{sequence.name}”"
    if result.refused:
        reasons = "; ".join(r.rstrip(".") for r in list(result.refused.values())[:10])
        more = f" (and {len(result.refused) - 10} more)" if len(result.refused) > 10 else ""
        text += f", {len(result.refused)} refused: {reasons}{more}"
        messages.warning(request, text + ".")
    else:
        messages.success(request, text + ".")


# --------------------------------------------------------------------------- tasks


@role_required(Role.RECRUITER)
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    """The user's manual-step tasks: open ones by due date first, then recently done ones."""
    return _render_tasks(request)


def _render_tasks(request: HttpRequest) -> HttpResponse:
    open_tasks, done = selectors.tasks_of(request.user)
    context = {"open_tasks": open_tasks, "done_tasks": done, "now": timezone.now()}
    return render_page(request, "nurture/task_list.html", context, partial="tasks")


@role_required(Role.RECRUITER)
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's own tasks done (someone else's is a 404). A conditional update:
    marking a done task done again changes nothing."""
    task = Task.objects.filter(pk=pk, owner=request.user).first()
    if task is None:
        raise Http404
    task_complete(task=task)
    if _htmx(request):
        return _render_tasks(request)
    messages.success(request, f"Done: {task.title}.")
    return redirect("nurture:tasks")


# --------------------------------------------------------------------------- inbound, alerts


@role_required(Role.RECRUITER)
@require_GET
def inbound_list(request: HttpRequest) -> HttpResponse:
    """Replies and bounces that matched none of our messages: a person looks at them here."""
    page = Paginator(selectors.unmatched_inbound(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render_page(request, "nurture/inbound_list.html", {"page": page})


@role_required(Role.RECRUITER)
@require_http_methods(["GET", "POST"])
def alert_list(request: HttpRequest) -> HttpResponse:
    """Alerts of the user's sequences (and the shared ones); POST marks one (``alert``) or all
    of them seen."""
    alerts = selectors.alerts_of(request.user)
    if request.method == "POST":
        count = alerts_mark_seen(alerts=alerts, alert_id=parse_id(request.POST.get("alert")))
        messages.success(request, f"Marked {count} alert{'s' if count != 1 else ''} seen.")
        return redirect("nurture:alerts")
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    unseen = alerts.filter(seen_at__isnull=True).count()
    return render_page(request, "nurture/alert_list.html", {"page": page, "unseen": unseen})
