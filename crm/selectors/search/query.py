"""Search queries: :func:`candidate_search` (one keyset page, a capped total, facet counts)
and :func:`export_batches` (the whole search, in flat-memory batches)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.postgres.search import SearchQuery, TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import FloatField, Q, QuerySet
from django.db.models.functions import Cast, Lower
from django.utils import timezone

from crm.models import Candidate, Seniority, Source
from crm.selectors.candidates import candidates_visible_to
from crm.types import AnyUser

from .params import FUZZY_TIER, RELEVANCE_TIERS, Cursor, SearchParams, skill_label

# Relevance is a ladder of tiers (params.RELEVANCE_TIERS), each answered by its own indexes:
TIER_LABELS = {0: "name", 1: "title, skills or company", 2: "similar name", 3: "profile or resume"}
TRIGRAM_MAX_WORDS = 3
FUZZY_CAP = 200
NAMES_PER_WORD = 8  # the most similar names in use per misspelled word
FUZZY_SCAN = 5_000  # people read to score them, at most
FACET_CAP = 2_000
SEARCH_WORK_MEM = "32MB"
WALK_STEPS = (500, 4_500, 15_000)  # people walked in activity order, per window
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
    """What the similar-name search uses: the words that may find people (5+ letters), the
    words that score them (3+ letters, at most TRIGRAM_MAX_WORDS), and the token compared with
    addresses (one word of 4+ letters). Nothing with websearch operators: quotes, -exclusions
    and OR mean "exactly this"."""
    if _WEBSEARCH_OPERATORS.search(q):
        return [], [], ""
    lowered = q.lower()
    scored = list(dict.fromkeys(re.findall(r"[^\W_]{3,}", lowered)))[:TRIGRAM_MAX_WORDS]
    # A short word looks like too many names ("jonh" like every "jo..."): only a query with a
    # 5+ letter word looks names up; every word still counts in the score.
    finders = [word for word in scored if len(word) >= 5]
    token = lowered if " " not in lowered and len(lowered) >= 4 else ""
    return finders, scored, token


_SIMILAR_NAMES_SQL = """
SELECT w.word, s.name, s.sim
FROM unnest(%s::text[]) AS w(word)
CROSS JOIN LATERAL (
    SELECT n.name, similarity(n.name, w.word) AS sim
    FROM crm_candidatename AS n
    WHERE n.name %% w.word
    ORDER BY sim DESC, n.name
    LIMIT %s
) AS s
"""


def _similar_names(words: list[str]) -> dict[str, dict[str, float]]:
    """word -> {name in use: similarity} for the names that look like each word (pg_trgm
    ``%``: similarity_threshold, 0.3 by default), the NAMES_PER_WORD most similar."""
    similar: dict[str, dict[str, float]] = {word: {} for word in words}
    with connection.cursor() as cursor:
        cursor.execute(_SIMILAR_NAMES_SQL, [words, NAMES_PER_WORD])
        for word, name, sim in cursor.fetchall():
            similar[word][name] = sim
    return similar


def _similarities(words: list[str], names: set[str]) -> dict[tuple[str, str], float]:
    """(word, name) -> pg_trgm similarity, for every pair (names below the lookup threshold
    still count in a score: "jonh" is 0.25 like "john")."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w, n, similarity(n, w) FROM unnest(%s::text[]) AS w, unnest(%s::text[]) AS n",
            [words, sorted(names)],
        )
        return {(word, name): sim for word, name, sim in cursor.fetchall()}


def _fuzzy_hits(filtered: QuerySet[Candidate], q: str) -> dict[int, float]:
    """Similar names and addresses, for misspellings: id -> score in [0, 1], the best
    ``FUZZY_CAP``. A person's score is the mean over the query's words of the similarity of
    the closer of their first and last name, or for a one-word query their address's word
    similarity if higher.

    The names come from CandidateName (one row per name in use, trigram index), the people
    from the btree indexes on their lower-cased names: people with both names among the
    similar ones first, and only when there are none, people with either. Reading people
    through a trigram index on crm_candidate instead rechecked tens of thousands of rows for
    a common first name (0.3-0.5 s at 1M rows)."""
    finders, scored, token = _fuzzy_terms(q)
    scores: dict[int, float] = {}
    if finders:
        similar = _similar_names(scored)
        names = {name for per_word in similar.values() for name in per_word}
        people = filtered.alias(first=Lower("first_name"), last=Lower("last_name"))
        found: list[tuple[int, str, str]] = []
        if len(scored) > 1:
            both = people.filter(first__in=names, last__in=names)
            found = list(both.values_list("id", "first_name", "last_name")[:FUZZY_SCAN])
        if not found and names:
            either = people.filter(Q(first__in=names) | Q(last__in=names))
            found = list(either.values_list("id", "first_name", "last_name")[:FUZZY_SCAN])
        found = [(pk, first.strip().lower(), last.strip().lower()) for pk, first, last in found]
        sim = _similarities(scored, {name for _, *pair in found for name in pair}) if found else {}
        for pk, first, last in found:
            total = sum(max(sim[word, first], sim[word, last]) for word in scored)
            scores[pk] = total / len(scored)
    if token:
        # `email %> q`: q resembles a part of the address (word_similarity_threshold, 0.6).
        by_email = (
            filtered.filter(email__trigram_word_similar=token)
            .annotate(fuzzy=Cast(TrigramWordSimilarity(token, "email"), FloatField()))
            .order_by("-fuzzy", "-id")
            .values_list("id", "fuzzy")[:FUZZY_CAP]
        )
        for pk, score in by_email:
            scores[pk] = max(score, scores.get(pk, 0.0))
    best = sorted(scores.items(), key=lambda item: (item[1], item[0]), reverse=True)
    return dict(best[:FUZZY_CAP])


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered(user: AnyUser, params: SearchParams) -> QuerySet[Candidate]:
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


def _with_keywords(qs: QuerySet[Candidate], q: str, fuzzy: dict[int, float]):
    if not q:
        return qs
    keyword = Q(search_vector=_tsquery(q))
    if fuzzy:
        keyword |= Q(pk__in=list(fuzzy))
    return qs.filter(keyword)


def matching(user: AnyUser, params: SearchParams) -> QuerySet[Candidate]:
    """The candidates ``user`` may see that match ``params`` (no order, no rank)."""
    qs = _filtered(user, params)
    if not params.q or qs.query.is_empty():
        return qs
    return _with_keywords(qs, params.q, _fuzzy_hits(qs, params.q))


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
    user: AnyUser, params: SearchParams, limit: int = 50, *, facets: bool = True
) -> SearchPage:
    """One page of the candidates ``user`` may see that match ``params``.

    Keywords match the full-text vector (``websearch_to_tsquery`` english || simple, GIN) or,
    for misspelled names and addresses, the best ``FUZZY_CAP`` similar-name hits
    (:func:`_fuzzy_hits`). Pages are keyset-paginated, never OFFSET.

    Relevance is a ladder of tiers, best first: the words in the name (``name_vector``), then
    in the title, skills or company (``head_vector``), then a similar name or address
    (trigram score order), then anywhere else (location, tags, summary, resume text); within a
    tier the most recently active come first. Each tier is one indexed query that stops after
    the page: the planner reads a rare word's few rows from its GIN index and sorts them, and
    walks a common word's rows in ``last_activity_at`` index order until the page is full, so
    no page ranks every match (ranking all matches of a common word at 1M rows took seconds;
    see bench/candidates.py). Recent and created follow their btree indexes, with people
    never active last (by id).

    Facets: with ``facets`` (or in a request of their own, :func:`search_facets`), one more
    query returns the total, exact up to ``FACET_CAP``, and the facet counts, computed with
    ``unnest``/GROUP BY over the best ``FACET_CAP`` matches (tier by tier, see
    :func:`_facets`), not over every match, which bounds their cost however many rows match.
    Queries per call are bounded (a few per tier reached, +1 for the
    trigram hits, +1 for facets); never one per row.
    """
    sort = params.effective_sort
    filtered = _filtered(user, params)
    if filtered.query.is_empty():
        return SearchPage([], sort=sort)
    with _search_memory():
        return _search(filtered, params, sort, limit, facets)


def _search(filtered, params: SearchParams, sort: str, limit: int, facets: bool) -> SearchPage:
    fuzzy = _LazyFuzzy(filtered, params.q)
    if sort == "relevance":
        rows, next_key = _page_by_tier(filtered, params, fuzzy, limit)
    else:
        qs = _with_keywords(filtered, params.q, fuzzy.hits)
        rows, next_key = _page_by_time(qs, sort, params.after, limit)
    page = SearchPage(rows, next_key.encode() if next_key else None, sort=sort)
    if facets:
        page.total, page.total_capped, page.facets = _facets(filtered, params, fuzzy.hits)
    return page


def search_facets(user: AnyUser, params: SearchParams) -> SearchPage:
    """The total and facet counts of a search without its rows: what the page asks for in a
    request of its own, after the rows (see candidate_search for how they are counted)."""
    page = SearchPage([], sort=params.effective_sort)
    filtered = _filtered(user, params)
    if filtered.query.is_empty():
        return page
    with _search_memory():
        fuzzy = _LazyFuzzy(filtered, params.q).hits
        page.total, page.total_capped, page.facets = _facets(filtered, params, fuzzy)
    return page


@contextmanager
def _search_memory():
    """Give the search's statements SEARCH_WORK_MEM (for this transaction only): with the
    default 4MB, the bitmap of a common word at 1M rows turns lossy and every row of every
    page it covers is rechecked (0.6 s instead of 0.2 s for the counts of python + Docker +
    US + senior, bench/candidates.py)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('work_mem', %s, true)", [SEARCH_WORK_MEM])
        yield


class _LazyFuzzy:
    """The trigram hits, looked up on first use: a relevance page filled by the name and
    title/skills tiers never needs them (for a common word, that lookup is the slow part)."""

    def __init__(self, filtered: QuerySet[Candidate], q: str):
        self._filtered, self._q = filtered, q
        self._hits: dict[int, float] | None = None

    @property
    def hits(self) -> dict[int, float]:
        if self._hits is None:
            self._hits = _fuzzy_hits(self._filtered, self._q) if self._q else {}
        return self._hits


def _tier_querysets(filtered: QuerySet[Candidate], q: str) -> dict[int, QuerySet[Candidate]]:
    """The full-text tiers, each excluding the tiers above it."""
    words = _tsquery(q)
    in_name, in_head = Q(name_vector=words), Q(head_vector=words)
    return {
        0: filtered.filter(in_name),
        1: filtered.filter(in_head).exclude(in_name),
        3: filtered.filter(search_vector=words).exclude(in_head).exclude(in_name),
    }


def _similar_only(filtered, q: str, fuzzy: dict[int, float]) -> QuerySet[Candidate]:
    """The similar-name tier: trigram hits the full-text tiers do not already hold."""
    return filtered.filter(pk__in=list(fuzzy)).exclude(search_vector=_tsquery(q))


def _fuzzy_tier(filtered, q: str, fuzzy: dict[int, float], after: Cursor | None, limit: int):
    """The similar-name tier's rows, best score first (then id)."""
    if not fuzzy:
        return []
    rows = list(_similar_only(filtered, q, fuzzy).only(*LIST_FIELDS))
    rows.sort(key=lambda c: (fuzzy[c.pk], c.pk), reverse=True)
    if after is not None:
        rows = [c for c in rows if (fuzzy[c.pk], c.pk) < (after.key, after.id)]
    return rows[:limit]


def _page_by_tier(filtered, params: SearchParams, lazy: _LazyFuzzy, limit: int):
    after = params.after
    tiers = _tier_querysets(filtered, params.q)
    # Several words, or words and filters: the planner's row estimate may be far too low.
    guessy = len(re.findall(r"\w+", params.q)) > 1 or params.has_filters_besides_keywords
    found: list[tuple[int, Candidate]] = []
    for tier in RELEVANCE_TIERS:
        if after is not None and tier < after.tier:
            continue
        since = after if after is not None and tier == after.tier else None
        want = limit + 1 - len(found)
        if tier == FUZZY_TIER:
            rows = _fuzzy_tier(filtered, params.q, lazy.hits, since, want)
        else:
            recent = Cursor("recent", since.key, since.id) if since else None
            rows = _rows_by_time(
                tiers[tier].only(*LIST_FIELDS), "recent", recent, want, adaptive=guessy and tier > 0
            )
        found += [(tier, row) for row in rows]
        if len(found) > limit:
            break
    more = len(found) > limit
    found = found[:limit]
    for tier, row in found:
        # Annotations for the result list (not model fields).
        setattr(row, "match_tier", tier)  # noqa: B010
        setattr(row, "match_label", TIER_LABELS[tier])  # noqa: B010
    rows = [row for _, row in found]
    if not more:
        return rows, None
    tier, last = found[-1]
    key = lazy.hits[last.pk] if tier == FUZZY_TIER else last.last_activity_at
    return rows, Cursor("relevance", key, last.pk, tier)


def _after(qs, column: str, after: Cursor | None):
    """Rows strictly after ``after`` in (column DESC, id DESC) order, NULL keys left out."""
    dated = qs.filter(**{f"{column}__isnull": False})
    if after is None:
        return dated
    return dated.filter(
        Q(**{f"{column}__lt": after.key}) | Q(**{column: after.key, "id__lt": after.id}),
        **{f"{column}__lte": after.key},
    )


def _rows_by_time(
    qs, sort: str, after: Cursor | None, want: int, *, adaptive: bool = False
) -> list[Candidate]:
    """Up to ``want`` rows after ``after`` in (column DESC, id DESC) order; for recent, people
    never active follow the dated ones, by id. ``adaptive``: see :func:`_dated_adaptive`."""
    column = "last_activity_at" if sort == "recent" else "created_at"
    rows: list[Candidate] = []
    if after is None or after.key is not None:
        if adaptive and sort == "recent":
            rows = _dated_adaptive(qs, after, want)
        else:
            # Index order (DESC, NULLS FIRST) with the NULLs filtered out: the index is usable.
            rows = list(_after(qs, column, after).order_by(f"-{column}", "-id")[:want])
    if sort == "recent" and len(rows) < want:
        undated = qs.filter(last_activity_at__isnull=True)
        if after is not None and after.key is None:
            undated = undated.filter(id__lt=after.id)
        rows += list(undated.order_by("-id")[: want - len(rows)])
    return rows


def _dated_adaptive(qs, after: Cursor | None, want: int) -> list[Candidate]:
    """The dated rows of a keyword tier, whatever the planner guesses about how common they
    are. PostgreSQL multiplies the frequencies of the words and filters it is given, so
    words that go together ("kubernetes terraform", "registered nurse", python + Docker) look
    far rarer than they are; it then collects and sorts every match (100-300 ms at 1M rows)
    where walking the activity index would fill the page after a few thousand rows. So: walk
    the most recently active people in WALK_STEPS windows (the first costs a few ms), going on
    only while the rate of matches so far says the walk will fill the page; whatever is still
    missing comes from the planner's own plan, restricted to the rows past the walk."""
    rows: list[Candidate] = []
    edge, walked = after, 0
    for step, window in enumerate(WALK_STEPS):
        if step and len(rows) * (walked + window) < want * walked:
            break  # at this rate the walk would not fill the page: let the planner plan
        found, edge = _walk(qs, edge, want - len(rows), window)
        rows += found
        walked += window
        if len(rows) >= want or edge is None:
            return rows
    rest = _after(qs, "last_activity_at", edge).order_by("-last_activity_at", "-id")
    return rows + list(rest[: want - len(rows)])


def _walk(qs, after: Cursor | None, want: int, window: int):
    """The rows of ``qs`` among the ``window`` most recently active people after ``after``
    (in that order, at most ``want``), and the cursor of the window's last person (None when
    the page is full or the window reached the last dated person). The window is a subquery read in index order
    and aliased as the table, so the ORM's conditions apply to it unchanged."""
    ordered = ("-last_activity_at", "-id")
    scope = _after(Candidate.objects.all(), "last_activity_at", after).order_by(*ordered)
    window_sql, window_args = scope[:window].query.sql_with_params()
    page = _after(qs, "last_activity_at", after).order_by(*ordered)[:want]
    sql, args = page.query.sql_with_params()
    table = f"FROM {connection.ops.quote_name(Candidate._meta.db_table)}"
    select, found, rest = sql.partition(table + " ")
    if not found or table in rest or "%s" in select:  # not the simple shape: no walk
        return list(page), None
    alias = connection.ops.quote_name(Candidate._meta.db_table)
    rows = list(
        Candidate.objects.raw(
            f"{select}FROM ({window_sql}) AS {alias} {rest}", (*window_args, *args)
        )
    )
    if len(rows) >= want:
        return rows, None
    edge = list(scope.values_list("last_activity_at", "id")[window - 1 : window])
    return rows, Cursor("recent", *edge[0]) if edge else None


def _page_by_time(qs, sort: str, after: Cursor | None, limit: int):
    column = "last_activity_at" if sort == "recent" else "created_at"
    rows = _rows_by_time(qs.only(*LIST_FIELDS, "created_at"), sort, after, limit + 1)
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


def _facets(filtered, params: SearchParams, fuzzy: dict[int, float]):
    """(total, capped, facets) over the first FACET_CAP + 1 matches. With keywords, those are
    the best matches: the relevance tiers in order (UNION ALL under one LIMIT stops reading
    as soon as it has enough), so a common word is counted from its name and title/skills
    matches without a recheck of long resume vectors."""
    columns = ("id", "skill_slugs", "tags", "seniority", "source", "country")
    if params.q:
        tiers = _tier_querysets(filtered, params.q)
        similar = _similar_only(filtered, params.q, fuzzy) if fuzzy else None
        parts = [tiers[0], tiers[1], similar, tiers[3]]
        first, *rest = [part.values(*columns).order_by() for part in parts if part is not None]
        inner = first.union(*rest, all=True)[: FACET_CAP + 1]
    else:
        inner = filtered.values(*columns).order_by()[: FACET_CAP + 1]
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


def export_batches(
    qs: QuerySet[Candidate], batch_size: int = 2000
) -> Iterator[list[tuple[Any, ...]]]:
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
