"""The candidate search page and its actions: saved searches, bulk tagging, CSV export."""

from __future__ import annotations

import csv
from datetime import datetime

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.core.forms import parse_id
from config.core.htmx import is_htmx, is_partial_request, render_page
from config.core.panels import candidate_bulk_actions
from config.core.roles import Role, has_role, role_required

from ..models import Seniority, Source
from ..selectors.candidates import (
    candidate_ids_visible_to,
    candidates_visible_among,
    recruiters_to_filter_by,
)
from ..selectors.saved_searches import saved_search_get_for_user, saved_searches_of
from ..selectors.search import (
    EXPORT_FIELDS,
    SearchParams,
    candidate_search,
    export_batches,
    matching,
    search_facets,
    skill_label,
)
from ..services import saved_searches
from ..services.candidates import candidates_tag
from ..services.errors import CandidateInputError

TEMPLATE = "crm/candidate_list.html"
PAGE_SIZE = 50
MAX_SELECTED = 1000
EXPORT_HEADER = [name if name != "skills_text" else "skills" for name in EXPORT_FIELDS]
FIELD_LABELS = {
    "q": "Keywords", "sort": "Sort by", "skills": "Skills", "skills_mode": "Skills (all/any)",
    "location": "City or region", "country": "Country", "seniority": "Seniority",
    "min_years": "Min. years", "max_years": "Max. years", "tags": "Tags", "source": "Source",
    "owner": "Owner", "active_after": "Active after", "active_before": "Active before",
    "include_dnc": "Include do-not-contact", "include_archived": "Include archived",
    "after": "Page",
}  # fmt: skip
FACET_TITLES = {
    "skills": "Skills",
    "seniority": "Seniority",
    "source": "Source",
    "tags": "Tags",
    "country": "Country",
}


@role_required(Role.RECRUITER, Role.HIRING_MANAGER)
@require_GET
def candidate_list(request: HttpRequest) -> HttpResponse:
    """Search everyone the user may see: recruiters everyone, hiring managers only their jobs'
    candidates. htmx requests get the ``results`` partial, or the
    ``rows`` partial for "Load more"; the query string holds the whole search."""
    params, errors = SearchParams.from_query(request.GET)
    htmx = is_htmx(request)
    load_more = htmx and request.htmx.target == "load-more"
    page = None
    # Typing updates get the rows at once and fetch the counts in a request of their own
    # (candidate_facets); a full page load (no JavaScript needed) counts inline.
    deferred = is_partial_request(request) and not load_more
    if not errors:
        page = candidate_search(
            request.user, params, limit=PAGE_SIZE, facets=not (load_more or deferred)
        )
        for candidate in page.results:
            candidate.detail_url = _detail_url(candidate.pk)
            candidate.top_skills = [s for s in candidate.skills_text.split(", ") if s][:5]
    context = {
        "params": params,
        "errors": errors,
        "error_list": [(FIELD_LABELS.get(name, name), message) for name, message in errors.items()],
        "page": page,
        "query": params.to_query(),
        "skills_text": ", ".join(skill_label(slug) for slug in params.skills),
        "tags_text": ", ".join(params.tags),
        "facets": _facet_groups(params, page) if page else [],
        "facets_deferred": deferred and not errors,
        # Out-of-band only where the panel travels beside the results (never in a whole page).
        "oob": deferred,
        "can_manage": has_role(request.user, Role.RECRUITER),
        "bulk_actions": candidate_bulk_actions(request.user),
        "seniorities": Seniority.choices,
        "sources": Source.choices,
        "sorts": [("relevance", "Relevance"), ("recent", "Recent activity"), ("created", "Newest")],
        "owners": recruiters_to_filter_by,  # evaluated only when the full page renders
        "saved_searches": saved_searches_of(request.user),
    }
    # A bad value is a client error; htmx swaps only 2xx answers, so live updates get 200 and
    # show the same messages.
    status = 400 if errors and not htmx else 200
    partial = "rows" if load_more else "results"
    return render_page(request, TEMPLATE, context, partial=partial, status=status)


@role_required(Role.RECRUITER, Role.HIRING_MANAGER)
@require_GET
def candidate_facets(request: HttpRequest) -> HttpResponse:
    """The total and facet counts of the search in the query string, as out-of-band swaps of
    the page's count and facets panel (asked for by the panel once the rows are shown)."""
    params, errors = SearchParams.from_query(request.GET)
    if errors:
        lines = [f"{FIELD_LABELS.get(name, name)}: {message}" for name, message in errors.items()]
        return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")
    page = search_facets(request.user, params)
    context = {
        "params": params,
        "page": page,
        "query": params.to_query(),
        "facets": _facet_groups(params, page),
        "facets_deferred": False,
        "oob": True,
        "count_oob": True,
    }
    return render(request, f"{TEMPLATE}#counts", context)


def _detail_url(pk: int) -> str:
    return reverse("crm:candidate-detail", args=[pk])


def _facet_groups(params: SearchParams, page) -> list[dict]:
    """Facet values with the query string that toggles each one."""
    groups = []
    for name, title in FACET_TITLES.items():
        items = []
        for item in page.facets.get(name, []):
            if name == "country":
                toggled = "" if item.selected else item.value
            else:
                current = getattr(params, name)
                toggled = tuple(v for v in current if v != item.value)
                if not item.selected:
                    toggled = (*current, item.value)
            items.append({"item": item, "query": params.to_query(**{name: toggled})})
        if items:
            groups.append({"name": name, "title": title, "items": items})
    return groups


def _back_to_search(request: HttpRequest) -> HttpResponseRedirect:
    """Back to the search page with the search the form came from (re-parsed, so only our own
    canonical query string is ever put in the redirect)."""
    params, _ = SearchParams.from_query(QueryDict(request.POST.get("query", "")[:2000]))
    query = params.to_query()
    return HttpResponseRedirect(reverse("crm:candidates") + (f"?{query}" if query else ""))


@role_required(Role.RECRUITER, Role.HIRING_MANAGER)
@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    """Save (or, under an existing name, update) the current search for this user."""
    name = " ".join(request.POST.get("name", "").split())
    params, errors = SearchParams.from_query(QueryDict(request.POST.get("query", "")[:2000]))
    query = params.to_query()
    if not name or len(name) > 120:
        messages.error(request, "Give the search a name of at most 120 characters.")
    elif errors:
        messages.error(request, "Fix the search before saving it.")
    elif len(query) > 2000:
        messages.error(request, "This search is too long to save.")
    else:
        _, created = saved_searches.saved_search_save(owner=request.user, name=name, query=query)
        messages.success(request, f"{'Saved' if created else 'Updated'} the search “{name}”.")
    return _back_to_search(request)


@role_required(Role.RECRUITER, Role.HIRING_MANAGER)
@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete one of the user's own saved searches (anyone else's is a 404)."""
    saved = saved_search_get_for_user(request.user, pk)
    if saved is None:
        raise Http404
    saved_searches.saved_search_delete(saved=saved)
    messages.success(request, f"Deleted the saved search “{saved.name}”.")
    return _back_to_search(request)


def _selected_ids(request: HttpRequest) -> list[int] | None:
    """The ticked candidates the user may see; None when an id is not a number."""
    ids = [parse_id(value) for value in request.POST.getlist("ids")[:MAX_SELECTED]]
    if None in ids:
        return None
    return candidate_ids_visible_to(request.user, ids)


@role_required(Role.RECRUITER)
@require_POST
def bulk_tag(request: HttpRequest) -> HttpResponse:
    """Add tags to the ticked candidates (the bulk bar)."""
    ids = _selected_ids(request)
    tags = [t for t in request.POST.get("tags", "").replace(";", ",").split(",") if t.strip()]
    if not ids:
        messages.error(request, "Tick at least one candidate to tag.")
        return _back_to_search(request)
    try:
        changed = candidates_tag(candidate_ids=ids, tags=tags, actor=request.user)
    except CandidateInputError as exc:
        messages.error(request, "; ".join(exc.errors.values()))
    else:
        messages.success(request, f"Tagged {changed} of {len(ids)} selected candidates.")
    return _back_to_search(request)


# --------------------------------------------------------------------------- CSV export


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A cell as text; a spreadsheet would run text starting with = + - @ as a formula, so
    such text gets a leading single quote (OWASP's CSV injection advice)."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = ", ".join(value)
    elif isinstance(value, datetime):
        value = value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_stream(batches):
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_HEADER)
    for batch in batches:
        yield "".join(writer.writerow([csv_cell(v) for v in row]) for row in batch)


@role_required(Role.RECRUITER)
@require_http_methods(["GET", "POST"])
def export_csv(request: HttpRequest) -> HttpResponse:
    """Stream the search (GET, same query string as the page) or the ticked candidates (POST
    ``ids``) as CSV, in keyset batches, so a million rows never sit in memory."""
    if request.method == "POST":
        ids = _selected_ids(request)
        if ids is None:
            return HttpResponseBadRequest(
                "Candidate ids must be numbers.", content_type="text/plain"
            )
        if not ids:
            messages.error(request, "Tick at least one candidate to export.")
            return _back_to_search(request)
        rows = candidates_visible_among(request.user, ids)
    else:
        params, errors = SearchParams.from_query(request.GET)
        if errors:
            lines = [f"{name}: {message}" for name, message in errors.items()]
            return HttpResponseBadRequest("\n".join(lines), content_type="text/plain")
        rows = matching(request.user, params)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        _csv_stream(export_batches(rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="candidates-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
