"""Writes of the private ICS feeds: each user has at most one; making a new one revokes the old
URL (the token is the whole secret), revoking deletes it (its URL then answers 404)."""

from __future__ import annotations

import secrets

from django.db import transaction

from config.core.models import User as AuthUser

from ..models import CalendarFeed


@transaction.atomic
def calendar_feed_create(*, user: AuthUser) -> CalendarFeed:
    """A new feed URL token for ``user``; any earlier one stops working at once."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(32))


@transaction.atomic
def calendar_feed_revoke(*, user: AuthUser) -> bool:
    """Revoke the user's feed (False when there was none)."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return deleted > 0
