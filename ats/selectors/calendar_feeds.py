"""Reads of the private ICS feeds: a user's own feed, and the interviews a feed token shows."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Prefetch
from django.utils import timezone

from config.core.models import User as AuthUser
from config.core.roles import Role, has_role

from ..models import CalendarFeed, Interview
from .jobs import User

FEED_PAST = timedelta(days=30)


def calendar_feed_of(user: User) -> CalendarFeed | None:
    """The user's feed, if they made one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return CalendarFeed.objects.filter(user_id=int(user.pk or 0)).first()


def calendar_feed_get(token: str) -> CalendarFeed | None:
    """The feed a URL token names, when its user is still active and holds a role; or None
    (revoked, replaced, unknown, or the user left)."""
    if not token or len(token) > 64:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active or not has_role(feed.user, *Role.ALL):
        return None
    return feed


def calendar_feed_interviews(feed: CalendarFeed) -> list[Interview]:
    """The feed owner's interviews from 30 days ago onward, cancelled ones included (the feed
    marks them cancelled so subscribed calendars drop them), by start."""
    since = timezone.now() - FEED_PAST
    return list(
        Interview.objects.filter(
            pk__in=Interview.interviewers.through.objects.filter(user_id=feed.user_id).values(
                "interview_id"
            ),
            starts_at__gte=since,
        )
        .select_related("application__candidate", "application__job__recruiter", "created_by")
        .prefetch_related(Prefetch("interviewers", queryset=AuthUser.objects.order_by("pk")))
        .order_by("starts_at", "id")
    )
