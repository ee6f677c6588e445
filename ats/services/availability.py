"""Writes of interviewers' working hours (what slot proposals are built from)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time

from django.db import transaction

from ..models import WorkingHours
from ..selectors.availability import zone_or_none
from ..selectors.jobs import User


class AvailabilityRefused(Exception):
    """Working hours that cannot be stored; ``message`` is for a person, ``field`` names the
    input at fault."""

    def __init__(self, message: str, *, field: str | None = None):
        self.message = message
        self.field = field
        super().__init__(message)


@transaction.atomic
def working_hours_set(
    *,
    user: User,
    timezone_name: str,
    weekdays: Iterable[int],
    start_time: time,
    end_time: time,
) -> WorkingHours:
    """Store the user's working hours: the same ``start_time``-``end_time`` on each of
    ``weekdays`` (0 = Monday .. 6 = Sunday) in the IANA zone ``timezone_name``. Raises
    :class:`AvailabilityRefused` (nothing changes) for an unknown zone, no weekday or one
    outside 0-6, or a start that is not before the end."""
    if getattr(user, "pk", None) is None:
        raise AvailabilityRefused("Sign in to set working hours.")
    name = (timezone_name or "").strip()
    if zone_or_none(name) is None:
        raise AvailabilityRefused(
            f"{name or 'An empty name'} is not a time zone (use a name such as Europe/Paris).",
            field="timezone",
        )
    days = sorted(set(weekdays))
    if not days:
        raise AvailabilityRefused("Pick at least one working day.", field="weekdays")
    if any(not isinstance(d, int) or d < 0 or d > 6 for d in days):
        raise AvailabilityRefused("Working days are 0 (Monday) to 6 (Sunday).", field="weekdays")
    if start_time >= end_time:
        raise AvailabilityRefused("The day must start before it ends.", field="end_time")
    row, _ = WorkingHours.objects.update_or_create(
        user_id=user.pk,
        defaults={
            "timezone": name,
            "weekdays": days,
            "start_time": start_time,
            "end_time": end_time,
        },
    )
    return row


@transaction.atomic
def working_hours_reset(*, user: User) -> None:
    """Forget the user's working hours (they fall back to the default)."""
    pk = getattr(user, "pk", None)
    if pk is not None:
        WorkingHours.objects.filter(user_id=pk).delete()
