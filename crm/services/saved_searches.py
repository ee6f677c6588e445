"""Writes of saved searches: a user saves, renames over, or deletes their own searches."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from ..models import SavedSearch


def saved_search_save(
    *, owner: AbstractBaseUser, name: str, query: str
) -> tuple[SavedSearch, bool]:
    """Save ``query`` under ``name`` for ``owner``, replacing the query of a search already
    saved under that name; returns the search and whether it is new."""
    return SavedSearch.objects.update_or_create(owner=owner, name=name, defaults={"query": query})


def saved_search_delete(*, saved: SavedSearch) -> None:
    """Delete a saved search (the caller loaded it for its owner)."""
    saved.delete()
