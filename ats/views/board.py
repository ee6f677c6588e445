"""A job's board: its stages as columns and its active applications as cards, moved by drag
and drop, by each card's own form (no JavaScript needed) or in bulk.

The board renders in a constant number of queries whatever the number of cards: one for the
stages, one for the counts, one for the cards (candidate joined), one for the rejection reasons.
Per-card URLs are built from one ``reverse()`` each, not one per card.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from config.core.forms import parse_id
from config.core.htmx import is_htmx, render_page
from config.core.roles import Role, has_role, role_required

from ..forms.board import BoardBulkForm, BoardFilterForm
from ..models import Application, Job, Stage
from ..selectors.applications import rejection_reasons
from ..selectors.board import application_names_on_job, board_applications, stage_counts
from ..selectors.funnel import job_funnel
from ..selectors.jobs import can_bulk, can_manage_jobs, can_move, job_get_for_user, job_stages
from ..selectors.rediscovery import can_rediscover
from ..services.applications import (
    SILVER_MEDALIST_TAG,
    BulkResult,
    MoveRefused,
    application_board_move,
    applications_board_bulk,
)

BOARD = "ats/board.html"
VIEWERS = (Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER)
MOVERS = (Role.RECRUITER, Role.HIRING_MANAGER)
REFUSED_LISTED = 5


@dataclass(slots=True)
class Card:
    """What a card shows. Numbers are kept as text: the template prints them thousands of times
    and Django would localize each one."""

    pk: str
    stage_id: int
    name: str
    title: str
    days_label: str
    source: str
    referral: bool
    silver: bool
    active: bool
    movable: bool
    status: str
    profile_url: str
    move_url: str
    schedule_url: str
    summary_url: str = ""


@dataclass
class Column:
    stage: Stage
    total: int
    cards: list[Card] = field(default_factory=list)
    options: str = ""

    @property
    def shown(self) -> int:
        return sum(1 for card in self.cards if card.active)

    @property
    def closed(self) -> int:
        return sum(1 for card in self.cards if not card.active)


# --------------------------------------------------------------------------- views


@role_required(*VIEWERS, hide=True, load=job_get_for_user)
@require_GET
def job_board(request: HttpRequest, job: Job) -> HttpResponse:
    """Recruiters (any job) and the job's hiring manager see and move cards; interviewers on
    the job's panel see it read-only. Anyone else gets 404, whether the job exists or not.
    htmx requests (the filters) get the ``board`` partial."""
    return _render_board(request, job)


@role_required(*MOVERS, hide=True, load=job_get_for_user)
@require_POST
def board_move(request: HttpRequest, job: Job, app_id: int) -> HttpResponse:
    """Recruiters and the job's hiring manager move one card to ``stage`` (drag and drop or
    the card's form). 404 when the job is not theirs to see, 403 when they see it but may not
    move; a refused move answers 422 with the board as it was."""
    _ensure_can_move(request.user, job)
    try:
        move = application_board_move(
            job=job,
            application_id=app_id,
            stage_id=parse_id(request.POST.get("stage")),
            actor=request.user,
        )
    except MoveRefused as exc:
        messages.error(request, exc.message)
        return _after_post(request, job, status=422)
    app = move.application
    if not move.moved:
        messages.info(request, f"{app.candidate} is already in {app.stage.name}.")
    elif app.status == Application.Status.HIRED:
        messages.success(request, f"Hired {app.candidate}.")
    else:
        messages.success(request, f"Moved {app.candidate} to {app.stage.name}.")
    return _after_post(request, job)


@role_required(*MOVERS, hide=True, load=job_get_for_user)
@require_POST
def board_bulk(request: HttpRequest, job: Job) -> HttpResponse:
    """Recruiters and the job's hiring manager move or reject the ticked cards (the bulk bar);
    the hiring manager only when the job grants it (``manager_can_bulk``; 403 otherwise). Each
    card is moved or refused on its own."""
    _ensure_can_bulk(request.user, job)
    form = BoardBulkForm(request.POST, job=job)
    if not form.is_valid():
        messages.error(request, form.error_text())
        return _after_post(request, job, status=422)
    data = form.cleaned_data
    result = applications_board_bulk(
        job=job,
        action=data["action"],
        application_ids=data["ids"],
        actor=request.user,
        stage=data["stage"],
        reason=data["reason"],
        send_email=data["send_email"],
        note=data["note"],
    )
    verb = "moved" if data["action"] == "move" else "rejected"
    level, text = _bulk_summary(job, result, verb, data["ids"])
    messages.add_message(request, level, text)
    return _after_post(request, job)


def _ensure_can_bulk(user, job: Job) -> None:
    if not can_bulk(user, job):
        raise PermissionDenied


def _ensure_can_move(user, job: Job) -> None:
    if not can_move(user, job):
        raise PermissionDenied


def _bulk_summary(job: Job, result: BulkResult, verb: str, order: list[int]) -> tuple[int, str]:
    """The report ("3 moved, 1 refused: Ada Lovelace: <why>") and its message level. Names
    only this job's applications; another job's id stays a number."""
    text = f"{len(result.done)} {verb}"
    if not result.refused:
        return messages.SUCCESS, text + "."
    refused = [pk for pk in order if pk in result.refused]
    names = application_names_on_job(job, refused[:REFUSED_LISTED])
    listed = "; ".join(
        f"{names.get(pk, f'#{pk}')}: {result.refused[pk]}" for pk in refused[:REFUSED_LISTED]
    )
    more = len(refused) - REFUSED_LISTED
    text += f", {len(refused)} refused: {listed}" + (f" (and {more} more)" if more > 0 else "")
    return (messages.WARNING if result.done else messages.ERROR), text


def _after_post(request: HttpRequest, job: Job, *, status: int = 200) -> HttpResponse:
    """htmx: the board partial (messages swapped out of band); otherwise back to the board."""
    if is_htmx(request):
        return _render_board(request, job, status=status, oob=True)
    query = BoardFilterForm(request.GET).query()
    return redirect(reverse("ats:job-board", args=[job.pk]) + (f"?{query}" if query else ""))


# --------------------------------------------------------------------------- the board


def _render_board(
    request: HttpRequest, job: Job, *, status: int = 200, oob: bool = False
) -> HttpResponse:
    filters = BoardFilterForm(request.GET)
    context = board_context(request.user, job, filters) | {"oob": oob}
    return render_page(request, BOARD, context, partial="board", status=status)


def board_context(user, job: Job, filters: BoardFilterForm) -> dict:
    """Everything the board template shows, in a fixed number of queries."""
    movable = can_move(user, job)
    query = filters.query()
    stages = job_stages(job)
    cards = _cards(board_applications(user, job, filters.params()), job, query, movable)
    return {
        "job": job,
        "filters": filters,
        "filtered": filters.narrows,
        "show_closed": filters.params()["closed"],
        "query": query,
        "can_move": movable,
        "can_bulk": movable and can_bulk(user, job),
        "columns": _columns(stages, stage_counts(job), cards, movable),
        "stages": stages,
        "reasons": rejection_reasons() if movable else [],
        "can_list_jobs": has_role(user, *MOVERS),
        "board_url": reverse("ats:job-board", args=[job.pk]),
        "bulk_url": reverse("ats:board-bulk", args=[job.pk]) + (f"?{query}" if query else ""),
        **_job_links(user, job),
    }


# The status changes offered from each status: (action, button label).
STATUS_ACTIONS = {
    Job.Status.DRAFT: (("open", "Open the job"),),
    Job.Status.OPEN: (("on_hold", "Put on hold"), ("closed", "Close")),
    Job.Status.ON_HOLD: (("open", "Reopen"), ("closed", "Close")),
    Job.Status.CLOSED: (("open", "Reopen"),),
}


def _job_links(user, job: Job) -> dict:
    """Links to the job's own pages and its status actions (recruiters only), and the funnel
    (two queries, whatever the number of applications)."""
    public = reverse("careers:job", args=[job.slug]) if job.is_public else ""
    rediscover = reverse("ats:job-rediscover", args=[job.pk]) if can_rediscover(user, job) else ""
    links = {"public_url": public, "funnel": job_funnel(job), "rediscover_url": rediscover}
    if not can_manage_jobs(user):
        return links | {"edit_url": "", "setup_url": "", "status_actions": ()}
    return links | {
        "edit_url": reverse("ats:job-edit", args=[job.pk]),
        "setup_url": reverse("ats:job-setup", args=[job.pk]),
        "status_url": reverse("ats:job-status", args=[job.pk]),
        "status_actions": STATUS_ACTIONS[job.status],
    }


def _cards(apps: QuerySet[Application], job: Job, query: str, movable: bool) -> list[Card]:
    now = timezone.now()
    profile_url = _url_for_each("crm:candidate-detail")
    # the decision page, for those who decide (recruiters, the job's hiring manager)
    summary_url = _url_for_each("ats:application-summary") if movable else None
    move_url = _url_for_each("ats:board-move", job.pk)
    schedule_url = _url_for_each("ats:interview-new")
    suffix = f"?{query}" if query else ""
    sources = dict(Application.Source.choices)
    statuses = dict(Application.Status.choices)
    cards = []
    for app in apps:
        person = app.candidate
        title = " · ".join(part for part in (person.current_title, person.current_company) if part)
        active = app.status == Application.Status.ACTIVE
        cards.append(
            Card(
                pk=str(app.pk),
                stage_id=app.stage_id,
                name=str(person),
                title=title,
                days_label=_days_label((now - app.stage_entered_at).days),
                source=sources.get(app.source, app.source),
                referral=app.source == Application.Source.REFERRAL,
                silver=app.silver_medalist or SILVER_MEDALIST_TAG in (person.tags or ()),
                active=active,
                movable=movable and active,
                status=statuses.get(app.status, app.status),
                profile_url=profile_url(person.pk),
                move_url=move_url(app.pk) + suffix,
                schedule_url=schedule_url(app.pk),
                summary_url=summary_url(app.pk) if summary_url else "",
            )
        )
    return cards


def _columns(stages: list[Stage], totals: dict, cards: list[Card], movable: bool) -> list[Column]:
    columns = {stage.pk: Column(stage=stage, total=totals.get(stage.pk, 0)) for stage in stages}
    for card in cards:
        if card.stage_id in columns:
            columns[card.stage_id].cards.append(card)
    if movable:
        for index, stage in enumerate(stages):
            columns[stage.pk].options = _stage_options(stages, index)
    return list(columns.values())


def _stage_options(stages: list[Stage], index: int) -> str:
    """The <option>s of a card's "Move to" select in column ``index``: every other stage, the
    next one selected. Rendered once per column, not once per card."""
    following = stages[index + 1].pk if index + 1 < len(stages) else None
    targets = [stage for position, stage in enumerate(stages) if position != index]
    return render_to_string(f"{BOARD}#stage_options", {"targets": targets, "selected": following})


# --------------------------------------------------------------------------- helpers


def _days_label(days: int) -> str:
    days = max(days, 0)
    return f"{days} day{'' if days == 1 else 's'} in stage"


def _url_for_each(name: str, *args) -> Callable[[int], str]:
    """``reverse()`` once with a marker id; each card's URL is then a string join."""
    marker = "2147483647"
    head, _, tail = reverse(name, args=[*args, int(marker)]).rpartition(marker)
    return lambda pk: f"{head}{pk}{tail}"
