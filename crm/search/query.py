"""Search queries: :func:`candidate_search` (one keyset page, a capped total, facet counts)
and :func:`export_batches` (the whole search, in flat-memory batches)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import add

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import F, FloatField, Q, QuerySet, Value
from django.db.models.functions import Cast, Greatest, Lower
from django.utils import timezone

from crm.models import Candidate, Seniority, Source
from crm.selectors import candidates_visible_to

from .params import Cursor, SearchParams, skill_label

# ts_rank_cd weights, in PostgreSQL's order {D, C, B, A}: resume text, location/tags,
# title/skills/company, name (the trigger in migration 0002 assigns the letters).
RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]
# A fuzzy name hit adds up to half of an exact name hit's weight, so exact words still win.
TRIGRAM_BOOST = 0.5
TRIGRAM_MAX_WORDS = 3
FUZZY_CAP = 200
FACET_CAP = 5_000
FACET_TOP = 15
# Columns the results table reads; the large text columns stay on disk.
LIST_FIELDS = (
    "id", "first_name", "last_name", "email", "current_title", "current_company", "city",
    "region", "country", "seniority", "skills_text", "tags", "last_activity_at",
    "do_not_contact", "archived",
)  # fmt: skip
EXPORT_FIELDS = (
    "id", "first_name", "last_name", "email", "phone", "current_title", "current_company",
    "city", "region", "country", "seniority", "years_experience", "skills_text", "tags",
    "source", "last_activity_at", "linkedin_url",
)  # fmt: skip
_WEBSEARCH_OPERATORS = re.compile(r'"|(?:^|\s)-\S|\sor\s', re.IGNORECASE)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchPage:
    """One page of results. ``total`` is exact up to ``FACET_CAP``; past that it is the cap
    and ``total_capped`` is set (facet counts then describe the first ``FACET_CAP`` matches)."""

    results: list[Candidate]
    next_cursor: str | None = None
    total: int = 0
    total_capped: bool = False
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    sort: str = "recent"


def _tsquery(q: str):
    """Stemmed English words or the exact words: ``websearch_to_tsquery`` in both configs."""
    english = SearchQuery(q, search_type="websearch", config="english")
    return english | SearchQuery(q, search_type="websearch", config="simple")


def _fuzzy_terms(q: str) -> tuple[list[str], list[str], str]:
    """What the trigram fallback uses: the words that find rows through the name indexes, the
    words that score them, and the token compared with addresses (one word of 4+ letters).
    Nothing with websearch operators: quotes, -exclusions and OR mean "exactly this"."""
    if _WEBSEARCH_OPERATORS.search(q):
        return [], [], ""
    lowered = q.lower()
    scored = list(dict.fromkeys(re.findall(r"[^\W_]{3,}", lowered)))[:TRIGRAM_MAX_WORDS]
    # Words under 5 letters share their leading trigrams with a large share of all names
    # ("jonh" with every "Jo..."): the index would hand back tens of thousands of rows to
    # recheck. So only 5+ letter words look rows up; every word still counts in the score.
    finders = [word for word in scored if len(word) >= 5]
    token = lowered if " " not in lowered and len(lowered) >= 4 else ""
    return finders, scored, token


def _fuzzy_hits(filtered: QuerySet[Candidate], q: str) -> dict[int, float]:
    """Trigram matches for misspelled names and addresses: id -> score in [0, 1] (the mean over
    the words of the best first/last name similarity, or the address's word similarity), the
    best ``FUZZY_CAP`` only. A query of its own, so the planner answers it from the trigram
    indexes instead of testing every row that the full-text half of an OR would scan."""
    finders, scored, token = _fuzzy_terms(q)
    if not finders and not token:
        return {}
    condition, scores = Q(), []
    for word in finders:
        # `%`: pg_trgm.similarity_threshold (0.3 by default), served by the trigram indexes.
        condition |= Q(lower_first__trigram_similar=word) | Q(lower_last__trigram_similar=word)
    for word in scored if finders else ():
        scores.append(
            Greatest(
                TrigramSimilarity(Lower("first_name"), Value(word)),
                TrigramSimilarity(Lower("last_name"), Value(word)),
            )
        )
    score = reduce(add, scores) / Value(float(len(scores))) if scores else None
    if token:
        # `email %> q`: q resembles a part of the address (word_similarity_threshold, 0.6).
        condition |= Q(email__trigram_word_similar=token)
        by_email = TrigramWordSimilarity(Value(token), "email")
        score = Greatest(score, by_email) if score is not None else by_email
    hits = (
        filtered.alias(lower_first=Lower("first_name"), lower_last=Lower("last_name"))
        .filter(condition)
        .annotate(fuzzy=Cast(score, FloatField()))
        .order_by("-fuzzy", "-id")
        .values_list("id", "fuzzy")[:FUZZY_CAP]
    )
    return dict(hits)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered(user, params: SearchParams) -> QuerySet[Candidate]:
    """Everything but the keywords."""
    qs = candidates_visible_to(user)
    conditions = Q()
    if not params.include_dnc:
        conditions &= Q(do_not_contact=False)
    if not params.include_archived:
        conditions &= Q(archived=False)
    if params.skills:
        lookup = "skill_slugs__contains" if params.skills_mode == "all" else "skill_slugs__overlap"
        conditions &= Q(**{lookup: list(params.skills)})
    if params.tags:
        conditions &= Q(tags__contains=list(params.tags))
    if params.seniority:
        conditions &= Q(seniority__in=params.seniority)
    if params.source:
        conditions &= Q(source__in=params.source)
    if params.min_years is not None:
        conditions &= Q(years_experience__gte=params.min_years)
    if params.max_years is not None:
        conditions &= Q(years_experience__lte=params.max_years)
    if params.country:
        conditions &= Q(country=params.country)
    if params.location:
        conditions &= _location(params.location)
    if params.owner:
        conditions &= Q(owner_id=user.pk if params.owner == "me" else int(params.owner))
    if params.active_after:
        conditions &= Q(last_activity_at__gte=_day_start(params.active_after))
    if params.active_before:
        conditions &= Q(last_activity_at__lt=_day_start(params.active_before + timedelta(1)))
    return qs.filter(conditions)


def _matching(user, params: SearchParams) -> tuple[QuerySet[Candidate], dict[int, float]]:
    qs = _filtered(user, params)
    if not params.q or qs.query.is_empty():
        return qs, {}
    fuzzy = _fuzzy_hits(qs, params.q)
    keyword = Q(search_vector=_tsquery(params.q))
    if fuzzy:
        keyword |= Q(pk__in=list(fuzzy))
    return qs.filter(keyword), fuzzy


def matching(user, params: SearchParams) -> QuerySet[Candidate]:
    """The candidates ``user`` may see that match ``params`` (no order, no rank)."""
    return _matching(user, params)[0]


def _location(text: str) -> Q:
    """City or region containing ``text``. Location words carry weight C in the search vector,
    so a weight-restricted tsquery lets the GIN index find the rows; the substring test then
    drops tag hits (tags share weight C)."""
    place = Q(city__icontains=text) | Q(region__icontains=text)
    tokens = re.findall(r"[^\W_]+", text.lower())
    if not tokens:
        return place
    raw = " & ".join(f"{token}:C" for token in tokens)  # word characters only: no syntax
    return Q(search_vector=SearchQuery(raw, search_type="raw", config="simple")) & place


def candidate_search(
    user, params: SearchParams, limit: int = 50, *, facets: bool = True
) -> SearchPage:
    """One page of the candidates ``user`` may see that match ``params``.

    Keywords match the full-text vector (``websearch_to_tsquery`` english || simple, GIN) or,
    for misspelled names and addresses, the best ``FUZZY_CAP`` trigram hits, found by a query
    of their own (trigram GIN indexes) and joined in by id. Pages are keyset-paginated, never
    OFFSET: by (rank, id) for relevance, (last_activity_at, id) for recent (people never
    active come last, by id) and (created_at, id) for created; the two dated orders follow
    their btree indexes. Ranking reads every match's vector, so a keyword matching a large
    share of the table costs in proportion to its matches (see bench/candidates.py).

    Facets: with ``facets``, one more query returns the total, exact up to ``FACET_CAP``, and
    the facet counts, computed with ``unnest``/GROUP BY over the first ``FACET_CAP`` matching
    rows in whatever order the plan finds them (not over every match), which bounds its cost
    however many rows match. Queries per call: 1-2 for the page (+1 with keywords, +1 to load
    the ranked rows), +1 for facets; never one per row.
    """
    sort = params.effective_sort
    qs, fuzzy = _matching(user, params)
    if qs.query.is_empty():
        return SearchPage([], sort=sort)
    if sort == "relevance":
        rows, next_key = _page_by_rank(qs, params, fuzzy, limit)
    else:
        rows, next_key = _page_by_time(qs, params, sort, limit)
    page = SearchPage(rows, next_key.encode() if next_key else None, sort=sort)
    if facets:
        page.total, page.total_capped, page.facets = _facets(qs, params)
    return page


def _page_by_rank(qs, params: SearchParams, fuzzy: dict[int, float], limit: int):
    """Rank = ts_rank_cd with the A-D weights, plus TRIGRAM_BOOST x the trigram score for the
    fuzzy hits (passed in as arrays); the keyset is the row value (rank, id)."""
    rank = SearchRank(
        F("search_vector"), _tsquery(params.q), weights=RANK_WEIGHTS, cover_density=True
    )
    inner = qs.annotate(text_rank=Cast(rank, FloatField())).values("id", "text_rank").order_by()
    sql, args = inner.query.sql_with_params()
    args = (TRIGRAM_BOOST, *args, list(fuzzy), list(fuzzy.values()))
    where = ""
    if params.after:
        where = "WHERE (r.search_rank, r.id) < (%s, %s)"
        args = (*args, params.after.key, params.after.id)
    # Only SQL we generated is concatenated; every value is a parameter.
    sql = (
        "SELECT r.id, r.search_rank FROM ("  # noqa: S608
        "SELECT m.id, m.text_rank + coalesce(f.score, 0) * %s AS search_rank "
        f"FROM ({sql}) AS m "
        "LEFT JOIN unnest(%s::bigint[], %s::float8[]) AS f(id, score) ON f.id = m.id"
        f") AS r {where} ORDER BY r.search_rank DESC, r.id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*args, limit + 1))
        ranked = cursor.fetchall()
    more = len(ranked) > limit
    ranked = ranked[:limit]
    by_id = {
        c.pk: c for c in qs.model.objects.filter(pk__in=[r[0] for r in ranked]).only(*LIST_FIELDS)
    }
    rows = []
    for pk, score in ranked:
        if pk in by_id:
            by_id[pk].search_rank = score
            rows.append(by_id[pk])
    last = ranked[-1] if more else None
    return rows, Cursor("relevance", last[1], last[0]) if last else None


def _page_by_time(qs, params: SearchParams, sort: str, limit: int):
    column = "last_activity_at" if sort == "recent" else "created_at"
    qs = qs.only(*LIST_FIELDS, "created_at")
    after = params.after
    rows: list[Candidate] = []
    if after is None or after.key is not None:
        # Index order (DESC, NULLS FIRST) with the NULLs filtered out, so the index is usable.
        dated = qs.filter(**{f"{column}__isnull": False})
        if after is not None:
            dated = dated.filter(
                Q(**{f"{column}__lt": after.key}) | Q(**{column: after.key, "id__lt": after.id}),
                **{f"{column}__lte": after.key},
            )
        rows = list(dated.order_by(f"-{column}", "-id")[: limit + 1])
    if sort == "recent" and len(rows) <= limit:
        undated = qs.filter(last_activity_at__isnull=True)
        if after is not None and after.key is None:
            undated = undated.filter(id__lt=after.id)
        rows += list(undated.order_by("-id")[: limit + 1 - len(rows)])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, Cursor(sort, getattr(rows[-1], column), rows[-1].pk)


_FACET_SQL = """
WITH m AS MATERIALIZED ({inner})
SELECT 'total'::text AS facet, ''::text AS value, count(*) AS n FROM m
UNION ALL (
  SELECT 'skills', s, count(*) FROM m CROSS JOIN LATERAL unnest(m.skill_slugs) AS s
  GROUP BY s ORDER BY count(*) DESC, s LIMIT %s)
UNION ALL (
  SELECT 'tags', t, count(*) FROM m CROSS JOIN LATERAL unnest(m.tags) AS t
  GROUP BY t ORDER BY count(*) DESC, t LIMIT %s)
UNION ALL (SELECT 'seniority', seniority, count(*) FROM m WHERE seniority <> '' GROUP BY seniority)
UNION ALL (SELECT 'source', source, count(*) FROM m GROUP BY source)
UNION ALL (
  SELECT 'country', country, count(*) FROM m WHERE country <> ''
  GROUP BY country ORDER BY count(*) DESC, country LIMIT %s)
"""


def _facets(qs, params: SearchParams):
    columns = ("id", "skill_slugs", "tags", "seniority", "source", "country")
    inner = qs.values(*columns).order_by()[: FACET_CAP + 1]
    sql, args = inner.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_FACET_SQL.format(inner=sql), (*args, FACET_TOP, FACET_TOP, FACET_TOP))
        found = cursor.fetchall()
    total = next(n for facet, _, n in found if facet == "total")
    labels = {  # skills get theirs from the taxonomy; tags and countries are their own labels
        "tags": {},
        "country": {},
        "seniority": dict(Seniority.choices),
        "source": dict(Source.choices),
    }
    selected = {
        "skills": set(params.skills),
        "tags": set(params.tags),
        "seniority": set(params.seniority),
        "source": set(params.source),
        "country": {params.country},
    }
    facets: dict[str, list[FacetValue]] = {name: [] for name in selected}
    for facet, value, count in found:
        if facet == "total":
            continue
        label = labels[facet].get(value, value) if facet in labels else skill_label(value)
        facets[facet].append(FacetValue(value, label, count, value in selected[facet]))
    for name in ("seniority", "source"):
        facets[name].sort(key=lambda item: (-item.count, item.label))
    return min(total, FACET_CAP), total > FACET_CAP, facets


def export_batches(qs: QuerySet[Candidate], batch_size: int = 2000):
    """Yield lists of EXPORT_FIELDS tuples, ``batch_size`` at a time, in id order, with keyset
    batches (``id > last``): memory stays flat whatever the size of the search, and no
    long-lived cursor or transaction is held between batches."""
    last = 0
    base = qs.order_by("id").values_list(*EXPORT_FIELDS)
    while True:
        batch = list(base.filter(id__gt=last)[:batch_size])
        if not batch:
            return
        yield batch
        last = batch[-1][0]
        if len(batch) < batch_size:
            return
