"""Reads of saved searches: each user sees only their own."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import SavedSearch
from ..types import AnyUser


def saved_searches_of(user: AnyUser) -> QuerySet[SavedSearch]:
    """The user's own saved searches."""
    if not user.is_authenticated:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(owner=user)


def saved_search_get_for_user(user: AnyUser, pk: int) -> SavedSearch | None:
    """One of the user's own saved searches, or None (anyone else's too)."""
    return saved_searches_of(user).filter(pk=pk).first()
