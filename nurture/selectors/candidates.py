"""Whom a recruiter may enroll or preview: people they may see, by id or address."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from config.core.forms import parse_id
from crm.models import Candidate
from crm.selectors.candidates import candidates_visible_to


def candidate_find_for_user(user: Any, text: str) -> Candidate | None:
    """A person the user may see, by id ("123") or email address (exact, any case)."""
    text = (text or "").strip()
    people = candidates_visible_to(user)
    pk = parse_id(text)
    if pk is not None:
        return people.filter(pk=pk).first()
    if "@" in text:
        return people.filter(email=text.lower()).first()
    return None


def recent_candidates(user: Any, limit: int = 50) -> QuerySet[Candidate]:
    """The people the user may see, newest first (the preview's select)."""
    return candidates_visible_to(user).order_by("-created_at", "-id")[:limit]


def candidate_ids_visible(user: Any, ids: Iterable[int]) -> list[int]:
    """Those of ``ids`` the user may see (a bulk action's ticked rows)."""
    return list(candidates_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
