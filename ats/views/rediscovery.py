"""The job's Rediscover tab: everyone we already know, ranked against the job with the reasons,
and (recruiters) adding the ticked people to the job as sourced or handing them to the bulk
actions other apps register (nurture: enroll in a sequence). The job's hiring manager reads it.

The page runs a fixed number of queries whatever the number of rows: the job, its locations and
the one ranking statement (ats/selectors/rediscovery.py); rows are paged by keyset (score, id),
the "Show more" button fetching the next rows with htmx (a plain link without JavaScript)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from config.core.htmx import is_partial_request, render_page
from config.core.panels import candidate_bulk_actions
from config.core.roles import Role, role_required
from crm.models import Seniority
from crm.selectors.pools import pool_candidates, pools_for_user
from crm.selectors.search import skill_label

from ..forms.rediscovery import RediscoverAddForm, RediscoverFilterForm
from ..models import Job
from ..selectors.rediscovery import (
    CUT_CAP,
    PAGE_SIZE,
    WEIGHTS,
    Ranking,
    can_add_from_rediscovery,
    cut_label,
    job_get_for_rediscovery,
    rank_candidates,
)
from ..services.rediscovery import SourcedResult, applications_add_sourced

TEMPLATE = "ats/rediscover.html"
LISTED_REFUSALS = 5

rediscovery_job = role_required(
    Role.RECRUITER, Role.HIRING_MANAGER, hide=True, load=job_get_for_rediscovery
)


@rediscovery_job
@require_GET
def job_rediscover(request: HttpRequest, job: Job) -> HttpResponse:
    """Recruiters, and the job's hiring manager (read-only); 404 for anyone else."""
    pools = list(pools_for_user(request.user))
    filters = RediscoverFilterForm(request.GET or None, pools=pools)
    params = filters.params()
    pool = params["pool"]
    ranking = rank_candidates(
        request.user,
        job,
        candidate_ids=pool_candidates(pool) if pool is not None else None,
        min_score=params["min_score"],
        location=params["location"],
        after=params["after"],
        limit=PAGE_SIZE,
    )
    can_act = can_add_from_rediscovery(request.user)
    base = reverse("ats:job-rediscover", args=[job.pk])
    more = filters.query(ranking.next_after) if ranking.next_after else ""
    context = {
        "job": job,
        "filters": filters,
        "pools": pools,
        "pool": pool,
        "ranking": ranking,
        "rows": _rows(ranking),
        "ask": _ask_labels(job, ranking),
        "weights": WEIGHTS,
        "can_act": can_act,
        "bulk_actions": candidate_bulk_actions(request.user) if can_act else [],
        "add_url": reverse("ats:job-rediscover-add", args=[job.pk]),
        "board_url": reverse("ats:job-board", args=[job.pk]),
        "edit_url": reverse("ats:job-edit", args=[job.pk]) if can_act else "",
        "more_url": f"{base}?{more}" if more else "",
        "first_page": params["after"] is None,
    }
    partial = "rows" if is_partial_request(request) and params["after"] is not None else None
    return render_page(request, TEMPLATE, context, partial=partial)


def _rows(ranking: Ranking) -> list[dict]:
    marker = "2147483647"
    head, _, tail = reverse("crm:candidate-detail", args=[int(marker)]).rpartition(marker)
    return [
        {
            "match": match,
            "profile_url": f"{head}{match.candidate_id}{tail}",
            "place": ", ".join(part for part in (match.city, match.country) if part),
        }
        for match in ranking.matches
    ]


def _ask_labels(job: Job, ranking: Ranking) -> dict:
    ask = ranking.ask
    return {
        "required": ", ".join(skill_label(s) for s in ask.required),
        "nice": ", ".join(skill_label(s) for s in ask.nice),
        "derived": ask.derived,
        "empty": not ask.all,
        "seniority": Seniority(job.seniority).label if job.seniority else "",
        "min_years": job.min_years,
        "narrowed": cut_label(ranking.ask, ranking.level, ranking.countries),
        "cut_cap": CUT_CAP,
    }


@role_required(Role.RECRUITER, hide=True, load=job_get_for_rediscovery)
@require_POST
def job_rediscover_add(request: HttpRequest, job: Job) -> HttpResponse:
    """Recruiters only: the ticked people into the job as sourced."""
    form = RediscoverAddForm(request.POST)
    back = reverse("ats:job-rediscover", args=[job.pk])
    query = RediscoverFilterForm(request.GET or None, pools=pools_for_user(request.user)).query()
    back += f"?{query}" if query else ""
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect(back)
    result = applications_add_sourced(
        job=job, candidate_ids=form.cleaned_data["ids"], actor=request.user
    )
    report_sourced(request, job, result)
    return redirect(back)


def report_sourced(request: HttpRequest, job: Job, result: SourcedResult) -> None:
    """The flash message after adding people to a job as sourced: how many, and who was not
    added and why (the first few)."""
    text = f"{len(result.added)} added to “{job.title}” as sourced"
    if not result.refused:
        messages.success(request, text + ".")
        return
    reasons = list(result.refused.values())
    listed = "; ".join(reasons[:LISTED_REFUSALS])
    extra = (
        f" (and {len(reasons) - LISTED_REFUSALS} more)" if len(reasons) > LISTED_REFUSALS else ""
    )
    messages.warning(request, f"{text}; {len(reasons)} not added: {listed}{extra}.")
