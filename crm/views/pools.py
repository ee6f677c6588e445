"""Talent pools: the list, a new pool (static, or dynamic with a rule and a preview count),
a pool's page (members with the search's filters, size over time, bulk actions), edit,
refresh now, and adding people to a static pool from the search's bulk bar or a profile.
Recruiters only."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from config.core.forms import parse_id
from config.core.htmx import render_page
from config.core.panels import Panel, candidate_bulk_actions
from config.core.roles import Role, has_role, role_required

from ..forms import PoolForm
from ..selectors.candidates import candidate_ids_visible_to
from ..selectors.pools import (
    RuleError,
    condition_choices,
    pool_get_for_user,
    pool_members_page,
    pool_preview_count,
    pool_size_history,
    pools_for_user,
    pools_of_candidate,
    rule_parse,
    static_pools_for_user,
)
from ..selectors.search import SearchParams
from ..services.candidates import candidates_tag
from ..services.errors import CandidateInputError
from ..services.pools import (
    PoolError,
    pool_create,
    pool_members_add,
    pool_members_remove,
    pool_refresh,
    pool_update,
)

MEMBERS_PAGE = 100
MAX_SELECTED = 1000
CHART_HEIGHT = 120


def _pool_or_404(request: HttpRequest, pk: int):
    pool = pool_get_for_user(request.user, pk)
    if pool is None:
        raise Http404
    return pool


def _selected_ids(request: HttpRequest) -> list[int]:
    ids = [parse_id(v) for v in request.POST.getlist("ids")[:MAX_SELECTED]]
    return candidate_ids_visible_to(request.user, [i for i in ids if i is not None])


@role_required(Role.RECRUITER)
def pool_list(request: HttpRequest) -> HttpResponse:
    pools = list(pools_for_user(request.user))
    return render_page(request, "crm/pools/list.html", {"pools": pools})


def _form(request: HttpRequest, data=None, *, initial=None, dynamic_only=False) -> PoolForm:
    return PoolForm(
        data, initial=initial, conditions=condition_choices(), dynamic_only=dynamic_only
    )


def _preview(form: PoolForm) -> int | None:
    try:
        return pool_preview_count(rule_parse(form.rule()))
    except RuleError as exc:
        form.add_rule_errors(exc.errors)
        return None


@role_required(Role.RECRUITER)
@require_http_methods(["GET", "POST"])
def pool_new(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST with ``preview``: the rule's count, nothing saved. POST: create."""
    form = _form(request, request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        if "preview" in request.POST and kind == "dynamic":
            preview = _preview(form)
        else:
            try:
                pool = pool_create(
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    kind=kind,
                    rule=form.rule() if kind == "dynamic" else None,
                    owner=request.user,
                )
            except PoolError as exc:
                form.add_rule_errors(exc.errors)
            else:
                messages.success(
                    request, f"Pool “{pool.name}” created with {pool.member_count} members."
                )
                return HttpResponseRedirect(reverse("crm:pool-detail", args=[pool.pk]))
    status = 422 if request.method == "POST" and form.errors else 200
    context = {"form": form, "preview": preview, "pool": None}
    return render_page(request, "crm/pools/form.html", context, status=status)


@role_required(Role.RECRUITER)
@require_http_methods(["GET", "POST"])
def pool_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pool = _pool_or_404(request, pk)
    initial = PoolForm.initial_for(pool)
    form = _form(request, request.POST or None, initial=initial, dynamic_only=True)
    if not pool.is_dynamic:
        for name in list(form.fields):
            if name not in ("name", "description"):
                form.fields.pop(name)
        form.condition_names = []
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST and pool.is_dynamic:
            preview = _preview(form)
        else:
            try:
                pool_update(
                    pool=pool,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    rule=form.rule() if pool.is_dynamic else None,
                )
            except PoolError as exc:
                form.add_rule_errors(exc.errors)
            else:
                messages.success(request, "Pool saved.")
                return HttpResponseRedirect(reverse("crm:pool-detail", args=[pool.pk]))
    status = 422 if request.method == "POST" and form.errors else 200
    context = {"form": form, "preview": preview, "pool": pool}
    return render_page(request, "crm/pools/form.html", context, status=status)


def _chart(history) -> dict:
    """Bars for the size chart: a height class per bar (CSS only, no inline style)."""
    top = max((h.size for h in history), default=0) or 1
    bars = []
    for index, h in enumerate(history):
        height = round(CHART_HEIGHT * h.size / top)
        bars.append({"x": index * 10, "y": CHART_HEIGHT - height, "height": height, "day": h})
    return {"bars": bars, "width": len(history) * 10, "height": CHART_HEIGHT, "top": top}


@role_required(Role.RECRUITER)
def pool_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pool = _pool_or_404(request, pk)
    params, errors = SearchParams.from_query(request.GET)
    params = SearchParams(**{**params.__dict__, "after": None})
    after = parse_id(request.GET.get("after_id"))
    rows, next_after = pool_members_page(
        request.user, pool, params if params.has_filters else None, after, MEMBERS_PAGE
    )
    history = pool_size_history(pool)
    query = params.to_query()
    context = {
        "pool": pool,
        "people": rows,
        "next_after": next_after,
        "params": params,
        "errors": errors,
        "query": query,
        "history": history,
        "chart": _chart(history),
        "bulk_actions": candidate_bulk_actions(request.user),
        "rule_text": _rule_text(pool.rule),
    }
    return render_page(request, "crm/pools/detail.html", context)


def _rule_text(rule: dict) -> list[str]:
    lines = [f"{k}: {v}" for k, v in (rule.get("filters") or {}).items()]
    lines += [f"{k}: {v}" for k, v in (rule.get("conditions") or {}).items()]
    if rule.get("conditions") and len(rule["conditions"]) > 1:
        lines.append(f"conditions combined: {rule.get('match', 'all')}")
    return lines


def _back(pool) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("crm:pool-detail", args=[pool.pk]))


@role_required(Role.RECRUITER)
@require_POST
def pool_refresh_now(request: HttpRequest, pk: int) -> HttpResponse:
    pool = _pool_or_404(request, pk)
    try:
        result = pool_refresh(pool=pool)
    except (PoolError, RuleError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Refreshed: {result.joined} joined, {result.left} left.")
    return _back(pool)


@role_required(Role.RECRUITER)
@require_POST
def pool_bulk_tag(request: HttpRequest, pk: int) -> HttpResponse:
    pool = _pool_or_404(request, pk)
    ids = _selected_ids(request)
    tags = [t for t in request.POST.get("tags", "").replace(";", ",").split(",") if t.strip()]
    if not ids:
        messages.error(request, "Tick at least one member to tag.")
        return _back(pool)
    try:
        changed = candidates_tag(candidate_ids=ids, tags=tags, actor=request.user)
    except CandidateInputError as exc:
        messages.error(request, "; ".join(exc.errors.values()))
    else:
        messages.success(request, f"Tagged {changed} of {len(ids)} selected members.")
    return _back(pool)


@role_required(Role.RECRUITER)
@require_POST
def pool_bulk_remove(request: HttpRequest, pk: int) -> HttpResponse:
    pool = _pool_or_404(request, pk)
    ids = _selected_ids(request)
    if not ids:
        messages.error(request, "Tick at least one member to remove.")
        return _back(pool)
    try:
        gone = pool_members_remove(pool=pool, candidate_ids=ids, actor=request.user)
    except PoolError as exc:
        messages.error(request, "; ".join(exc.errors.values()))
    else:
        messages.success(request, f"Removed {gone} from the pool.")
    return _back(pool)


@role_required(Role.RECRUITER)
@require_http_methods(["POST"])
def pool_bulk_add(request: HttpRequest) -> HttpResponse:
    """From the search's bulk bar or a profile: the ticked people (``ids``) into a static pool
    (``pool``); without one, a page asks which."""
    ids = _selected_ids(request)
    back = request.POST.get("next", "")
    if not back.startswith("/") or back.startswith("//") or "\\" in back:
        params, _ = SearchParams.from_query(QueryDict(request.POST.get("query", "")[:2000]))
        query = params.to_query()
        back = reverse("crm:candidates") + (f"?{query}" if query else "")
    if not ids:
        messages.error(request, "Tick at least one candidate to add to a pool.")
        return HttpResponseRedirect(back)
    pools = list(static_pools_for_user(request.user))
    pool = pool_get_for_user(request.user, parse_id(request.POST.get("pool")) or 0)
    if pool is None:
        status = 422 if request.POST.get("pool") else 200
        context = {"ids": ids, "pools": pools, "next": back}
        return render_page(request, "crm/pools/bulk_add.html", context, status=status)
    try:
        added = pool_members_add(pool=pool, candidate_ids=ids, actor=request.user)
    except PoolError as exc:
        messages.error(request, "; ".join(exc.errors.values()))
    else:
        messages.success(
            request, f"{added} added to “{pool.name}” ({len(ids) - added} already in it)."
        )
    return HttpResponseRedirect(back)


def pools_panel(request: HttpRequest, candidate) -> Panel | None:
    """The profile's "Pools" card (recruiters): the pools the person is in, and "Add to pool"
    for the static ones (a plain POST to :func:`pool_bulk_add`)."""
    if not has_role(request.user, Role.RECRUITER):
        return None
    context = {
        "candidate": candidate,
        "pools": pools_of_candidate(request.user, candidate),
        "static_pools": list(static_pools_for_user(request.user)),
        "next": reverse("crm:candidate-detail", args=[candidate.pk]),
    }
    return Panel("crm/pools/_profile_panel.html", context)
