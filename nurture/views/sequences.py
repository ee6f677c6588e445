"""The sequence screens: the list, a new sequence, a sequence's page with its settings and
steps (add, edit, move, delete) and the preview of its steps for one person."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.core.forms import parse_id
from config.core.htmx import is_partial_request, render_page
from config.core.roles import Role, role_required
from nurture import templating
from nurture.forms import PreviewForm, SequenceForm, StepForm, add_problems
from nurture.models import Sequence, Step
from nurture.selectors import candidates as candidate_selectors
from nurture.selectors import preview as preview_selectors
from nurture.selectors import stats as stats_selectors
from nurture.selectors.sequences import sequence_get_for_user, sequence_step
from nurture.services.errors import NurtureError
from nurture.services.sequences import (
    sequence_create,
    sequence_update,
    step_delete,
    step_move,
    step_save,
)

DETAIL = "nurture/sequence_detail.html"


def _step_or_404(sequence: Sequence, step_pk: int) -> Step:
    step = sequence_step(sequence, step_pk)
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
        "rows": stats_selectors.sequence_list_with_stats(request.user, archived=archived),
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


def _detail_context(request: HttpRequest, sequence: Sequence, **extra: Any) -> dict[str, Any]:
    steps = stats_selectors.steps_with_stats(sequence)
    context = {
        "sequence": sequence,
        "steps": steps,
        "stats": stats_selectors.sequence_stats(sequence),
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
        recent = candidate_selectors.recent_candidates(request.user)
        context["preview_form"] = PreviewForm(recent=recent)
    return context


def _render_detail(
    request: HttpRequest,
    sequence: Sequence,
    *,
    partial: str | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """The sequence page, or only its ``partial`` for htmx (render_page decides)."""
    context = _detail_context(request, sequence, **extra)
    return render_page(request, DETAIL, context, partial=partial, status=status)


@role_required(Role.RECRUITER, load=sequence_get_for_user)
@require_http_methods(["GET", "POST"])
def sequence_detail(request: HttpRequest, sequence: Sequence) -> HttpResponse:
    """GET: settings, steps, preview. POST: save the settings. ``?edit=<step>`` opens a step's
    form without JavaScript; htmx GETs get the steps partial (e.g. "Cancel" on a step form)."""
    if request.method == "POST":
        form = SequenceForm(request.POST, instance=sequence)
        if form.is_valid():
            sequence_update(sequence=sequence, settings=form.settings())
            messages.success(request, "Saved the settings.")
            return redirect(_detail_url(sequence))
        # The form wrote its values onto the instance while validating: show the stored ones.
        stored = sequence_get_for_user(request.user, sequence.pk)
        if stored is None:
            raise Http404
        return _render_detail(request, stored, settings_form=form, status=422)
    extra = {}
    edit = parse_id(request.GET.get("edit", ""))
    if edit is not None:
        step = _step_or_404(sequence, edit)
        extra = {"editing": step.pk, "edit_form": StepForm.for_step(step, prefix=f"s{step.pk}")}
    return _render_detail(request, sequence, partial="steps", **extra)


@role_required(Role.RECRUITER, load=sequence_get_for_user)
@require_POST
def step_add(request: HttpRequest, sequence: Sequence) -> HttpResponse:
    """Add a step at the end of the sequence."""
    form = StepForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            step = step_save(sequence=sequence, data=form.to_input())
        except NurtureError as exc:
            add_problems(form, exc.problems)
        else:
            if is_partial_request(request):
                return _render_detail(request, sequence, partial="steps")
            messages.success(request, f"Added step {step.position + 1}.")
            return redirect(_detail_url(sequence, f"step-{step.pk}"))
    return _render_detail(request, sequence, partial="steps", add_form=form, status=422)


@role_required(Role.RECRUITER, load=sequence_get_for_user)
@require_http_methods(["GET", "POST"])
def step_edit(request: HttpRequest, sequence: Sequence, step_pk: int) -> HttpResponse:
    """GET: the step's form (htmx swaps it in place of the step). POST: save it."""
    step = _step_or_404(sequence, step_pk)
    prefix = f"s{step.pk}"
    if request.method == "GET":
        if not is_partial_request(request):
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
            if is_partial_request(request):
                return _render_detail(request, sequence, partial="steps")
            messages.success(request, f"Saved step {step.position + 1}.")
            return redirect(_detail_url(sequence, f"step-{step.pk}"))
    return _render_detail(
        request, sequence, partial="steps", editing=step.pk, edit_form=form, status=422
    )


def _render_step_form(
    request: HttpRequest, sequence: Sequence, step: Step, form: StepForm, status: int = 200
) -> HttpResponse:
    rows = stats_selectors.steps_with_stats(sequence)
    row = next(row for row in rows if row.step.pk == step.pk)
    context = {"sequence": sequence, "row": row, "edit_form": form, "editing": step.pk}
    return render_page(request, DETAIL, context, partial="step", status=status)


@role_required(Role.RECRUITER, load=sequence_get_for_user)
@require_POST
def step_move_view(request: HttpRequest, sequence: Sequence, step_pk: int) -> HttpResponse:
    """``direction`` up or down; moving past either end is refused with a message."""
    step = _step_or_404(sequence, step_pk)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    error = "Say which way to move the step." if offset is None else ""
    if offset is not None:
        try:
            step_move(step=step, offset=offset)
        except NurtureError as exc:
            error = exc.message
    return _after_step_action(request, sequence, step, error)


@role_required(Role.RECRUITER, load=sequence_get_for_user)
@require_POST
def step_delete_view(request: HttpRequest, sequence: Sequence, step_pk: int) -> HttpResponse:
    """Refused (with the reason, at the step) once the step has been sent to anyone."""
    step = _step_or_404(sequence, step_pk)
    try:
        step_delete(step=step)
    except NurtureError as exc:
        return _after_step_action(request, sequence, step, exc.message)
    if not is_partial_request(request):
        messages.success(request, "Deleted the step.")
    return _after_step_action(request, sequence, None, "")


def _after_step_action(
    request: HttpRequest, sequence: Sequence, step: Step | None, error: str
) -> HttpResponse:
    if is_partial_request(request):
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


@role_required(Role.RECRUITER, load=sequence_get_for_user)
@require_GET
def sequence_preview(request: HttpRequest, sequence: Sequence) -> HttpResponse:
    """The steps rendered for the candidate chosen (by the select, or an id or email typed)."""
    recent = candidate_selectors.recent_candidates(request.user)
    form = PreviewForm(request.GET, recent=recent)
    wanted = form.wanted()
    candidate = (
        candidate_selectors.candidate_find_for_user(request.user, wanted) if wanted else None
    )
    preview: dict[str, Any] = {"candidate": candidate, "items": [], "error": ""}
    if candidate is None:
        preview["error"] = (
            f"No candidate matches “{wanted}”." if wanted else "Choose a candidate to preview."
        )
    else:
        preview["items"] = preview_selectors.preview_steps(sequence, candidate)
    status = 422 if preview["error"] else 200
    if is_partial_request(request):
        context = {"sequence": sequence, "preview": preview}
        return render_page(request, DETAIL, context, partial="preview", status=status)
    return _render_detail(request, sequence, preview=preview, preview_form=form, status=status)
