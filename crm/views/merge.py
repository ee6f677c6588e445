"""Duplicates queue, merge screen, merge history and undo. Recruiters only."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.core.forms import parse_id
from config.core.htmx import is_htmx, render_page
from config.core.roles import Role, role_required

from ..models import Candidate
from ..selectors import merge as merge_reads
from ..services import merge as merging

PAGE_SIZE = 50


def _pair_or_404(user, a: int, b: int) -> tuple[Candidate, Candidate]:
    """Both records, if the user may see them; a merged-away one raises MergeError (the person
    gets told) and anything else is a 404."""
    pair = merge_reads.merge_pair_get_for_user(user, a, b)
    if pair is not None:
        return pair
    merged = merge_reads.merged_record_among(user, [a, b])
    if merged is not None:
        raise merging.MergeError(
            f"Record #{merged.pk} was already merged into record #{merged.merged_into_id}."
        )
    raise Http404


# --------------------------------------------------------------------------- duplicates


@role_required(Role.RECRUITER)
@require_GET
def duplicates(request):
    """The possible-duplicates queue, best match first, paged by cursor."""
    after = merge_reads.parse_cursor(request.GET.get("after"))
    pairs = merge_reads.duplicate_pairs(request.user, limit=PAGE_SIZE + 1, after=after)
    next_cursor = pairs[PAGE_SIZE - 1].cursor if len(pairs) > PAGE_SIZE else None
    context = {"pairs": pairs[:PAGE_SIZE], "next_cursor": next_cursor, "paged": after is not None}
    return render_page(request, "crm/merge/duplicates.html", context, partial="pairs")


@role_required(Role.RECRUITER)
@require_POST
def duplicate_dismiss(request, a: int, b: int):
    """ "Not a duplicate": the pair leaves the queue for good (idempotent)."""
    try:
        first, second = _pair_or_404(request.user, a, b)
        merging.duplicate_dismiss(a=first, b=second, actor=request.user)
    except merging.MergeError as exc:
        messages.error(request, str(exc))
        return redirect("crm:duplicates")
    if is_htmx(request):
        return HttpResponse("")  # the row swaps itself out
    messages.success(request, f"#{a} and #{b} are marked as different people.")
    return redirect("crm:duplicates")


# --------------------------------------------------------------------------- merge screen


@dataclass
class Cell:
    pk: int
    value: str
    selected: bool


@dataclass
class Row:
    key: str
    label: str
    cells: list[Cell]
    differs: bool
    choosable: bool
    note: str = ""


def _display(candidate: Candidate, attnames: tuple[str, ...]) -> str:
    parts = []
    for name in attnames:
        if name == "owner_id":
            owner = candidate.owner
            parts.append((owner.get_full_name() or owner.username) if owner else "")
            continue
        value = getattr(candidate, name)
        if Candidate._meta.get_field(name).choices:
            value = getattr(candidate, f"get_{name}_display")() if value else ""
        elif isinstance(value, bool):
            value = "Yes" if value else "No"
        elif isinstance(value, list):
            value = f"{len(value)} entries" if value else ""
        elif isinstance(value, datetime.datetime):
            value = f"since {value:%Y-%m-%d}"
        parts.append("" if value is None else str(value))
    return " · ".join(part for part in parts if part)


_RELATED_ROWS = (
    ("tags", "Tags (combined)"),
    ("skills", "Skills (combined; larger years kept)"),
    ("emails", "All emails (all kept)"),
    ("phones", "All phones (combined)"),
    ("timeline", "Timeline entries (all kept)"),
    ("resumes", "Resumes (all kept)"),
)


def _merge_context(first, second, *, survivor_id=None, posted=None, error="") -> dict:
    people = {first.pk: first, second.pk: second}
    if survivor_id not in people:
        survivor_id = min(people.values(), key=lambda c: (c.created_at, c.pk)).pk
    survivor = people[survivor_id]
    other = second if survivor is first else first
    defaults = merging.merge_field_choices(survivor=survivor, other=other)
    forced = merging.merge_forced_choices(survivor=survivor, other=other)
    side = {"survivor": survivor.pk, "other": other.pk}
    rows = []
    for key, label, attnames in merging.CHOICE_GROUPS:
        differs = any(getattr(first, n) != getattr(second, n) for n in attnames)
        picked = side[forced.get(key) or defaults[key]]
        if (
            posted is not None
            and key not in forced
            and parse_id(posted.get(f"choice_{key}")) in people
        ):
            picked = parse_id(posted.get(f"choice_{key}"))
        cells = [Cell(c.pk, _display(c, attnames), c.pk == picked) for c in (first, second)]
        note = "" if key not in forced else "Kept from the record that has it."
        rows.append(Row(key, label, cells, differs, differs and key not in forced, note))
    related = {c.pk: merge_reads.merge_related(c) for c in (first, second)}
    related_rows = [
        Row(key, label, [Cell(c.pk, str(related[c.pk][key]), False) for c in (first, second)],
            related[first.pk][key] != related[second.pk][key], False)
        for key, label in _RELATED_ROWS
    ]  # fmt: skip
    return {
        "first": first,
        "second": second,
        "survivor": survivor,
        "other": other,
        "rows": rows,
        "related_rows": related_rows,
        "error": error,
    }


@role_required(Role.RECRUITER)
@require_http_methods(["GET", "POST"])
def merge(request, a: int, b: int):
    """GET: both records side by side with a choice per differing field and which survives.
    POST: merge, then go to the survivor's page."""
    if a == b:
        messages.error(request, "A record cannot be merged with itself.")
        return redirect("crm:duplicates")
    try:
        first, second = _pair_or_404(request.user, a, b)
    except merging.MergeError as exc:
        messages.error(request, str(exc))
        return redirect("crm:duplicates")
    template = "crm/merge/merge.html"
    if request.method == "GET":
        context = _merge_context(first, second, survivor_id=parse_id(request.GET.get("survivor")))
        return render(request, template, context)

    people = {first.pk: first, second.pk: second}
    survivor_id = parse_id(request.POST.get("survivor"))
    error = "Choose which record survives."
    if survivor_id in people:
        survivor = people[survivor_id]
        other = second if survivor is first else first
        choices = {}
        for key in merging.GROUP_KEYS:
            picked = parse_id(request.POST.get(f"choice_{key}"))
            if picked in people:
                choices[key] = "survivor" if picked == survivor.pk else "other"
        try:
            merging.candidate_merge(
                survivor=survivor, other=other, field_choices=choices, actor=request.user
            )
        except merging.MergeError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                f"Merged #{other.pk} into {survivor.full_name or 'this record'} (#{survivor.pk}). "
                "The merge history can undo it.",
            )
            return redirect(reverse("crm:candidate-detail", args=[survivor.pk]))
    context = _merge_context(
        first, second, survivor_id=survivor_id, posted=request.POST, error=error
    )
    return render(request, template, context, status=400)


# --------------------------------------------------------------------------- history and undo


@role_required(Role.RECRUITER)
@require_GET
def merge_history(request):
    """Every merge, newest first, with an undo button where undo is possible."""
    records = merge_reads.merge_records_visible_to(request.user)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    for record in page.object_list:
        record.undoable = merge_reads.merge_is_undoable(record)
    return render_page(request, "crm/merge/history.html", {"page": page}, partial="records")


@role_required(Role.RECRUITER)
@require_http_methods(["GET", "POST"])
def merge_undo(request, merge_id: int):
    """GET (or a POST without the confirmation): a small confirmation form. POST with
    ``confirm=yes``: undo the merge."""
    record = merge_reads.merge_record_get_for_user(request.user, merge_id)
    if record is None:
        raise Http404
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            merging.merge_undo(merge=record, actor=request.user)
        except merging.MergeError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"Merge undone: #{record.loser_id} is a separate record again."
            )
        return redirect("crm:merge-history")
    context = {"record": record, "undoable": merge_reads.merge_is_undoable(record)}
    return render(request, "crm/merge/undo_confirm.html", context)
