"""Candidate search: the query string of /candidates/ parsed into :class:`SearchParams`
(``params``), and :func:`candidate_search` turning it into one page of results, a keyset
cursor, a capped total and facet counts (``query``).

Every search starts from :func:`crm.selectors.candidates_visible_to`. The filters are built
with the ORM on top of that queryset (so the selector stays the one place that decides who sees
whom); the parts the ORM cannot express well (a row-value keyset over a computed rank, facet
counts with ``unnest``) wrap the ORM's SQL in raw SQL. Every user value travels as a query
parameter; only SQL text we generate is ever concatenated.
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
    "skill_label",
    "skill_slug",
]
