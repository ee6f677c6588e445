"""Candidate search: the query string of /candidates/ parsed into :class:`SearchParams`
(``params``), and :func:`candidate_search` turning it into one page of results, a keyset
cursor, a capped total and facet counts (``query``; :func:`search_facets` gives the
counts alone, which the page loads after the rows).

Every search starts from :func:`crm.selectors.candidates.candidates_visible_to`. The filters are built
with the ORM on top of that queryset (so the selector stays the one place that decides who sees
whom); the part the ORM cannot express well (facet counts with ``unnest``) wraps the ORM's
SQL in raw SQL. Every user value travels as a query parameter; only SQL text we generate is
ever concatenated.
"""

from .params import SORTS, Cursor, SearchParams, skill_label, skill_slug
from .query import (
    EXPORT_FIELDS,
    FACET_CAP,
    FacetValue,
    SearchPage,
    candidate_search,
    export_batches,
    matching,
    search_facets,
)

__all__ = [
    "EXPORT_FIELDS",
    "FACET_CAP",
    "SORTS",
    "Cursor",
    "FacetValue",
    "SearchPage",
    "SearchParams",
    "candidate_search",
    "export_batches",
    "matching",
    "search_facets",
    "skill_label",
    "skill_slug",
]
