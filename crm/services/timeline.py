"""Writes to the person's timeline: every touch is a row, and the one place
``Candidate.last_activity_at`` moves."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from ..models import Candidate, TimelineEntry
from ..types import Actor, actor_user
from .errors import CandidateInputError


@transaction.atomic
def timeline_add(
    *,
    candidate: Candidate,
    kind: str,
    summary: str,
    actor: Actor = None,
    channel: str = "",
    body: str = "",
    data: dict | None = None,
    occurred_at: datetime | None = None,
) -> TimelineEntry:
    """Record a touch on the person's timeline and bump their last activity."""
    occurred_at = occurred_at or timezone.now()
    entry = TimelineEntry.objects.create(
        candidate=candidate,
        kind=kind,
        summary=summary[:300],
        actor=actor_user(actor),
        channel=channel,
        body=body,
        data=data or {},
        occurred_at=occurred_at,
    )
    _bump_last_activity({candidate.pk: occurred_at})
    return entry


@transaction.atomic
def timeline_add_many(*, entries: Iterable[TimelineEntry]) -> list[TimelineEntry]:
    """Record many touches at once (unsaved :class:`TimelineEntry` rows, ``occurred_at`` set or
    now) in one insert, and bump each person's last activity: the batch form of
    :func:`timeline_add`, for the dispatcher and other bulk writers."""
    now = timezone.now()
    rows = list(entries)
    for row in rows:
        row.summary = row.summary[:300]
        row.occurred_at = row.occurred_at or now
    created = TimelineEntry.objects.bulk_create(rows)
    latest: dict[int, datetime] = {}
    for row in created:
        if row.candidate_id not in latest or latest[row.candidate_id] < row.occurred_at:
            latest[row.candidate_id] = row.occurred_at
    _bump_last_activity(latest)
    return created


def _bump_last_activity(latest: dict[int, datetime]) -> None:
    """The one place ``last_activity_at`` moves: forward only, one statement for any number of
    people (``latest`` maps candidate id to the time of their newest touch)."""
    if not latest:
        return
    ids, times = zip(*latest.items(), strict=True)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Candidate._meta.db_table} AS c SET last_activity_at = v.at "  # noqa: S608
            "FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, at) "
            "WHERE c.id = v.id AND (c.last_activity_at IS NULL OR c.last_activity_at < v.at)",
            [list(ids), list(times)],
        )


def note_add(*, candidate: Candidate, body: str, actor: Actor) -> TimelineEntry:
    """A person's note on the timeline (its first line is the summary)."""
    body = (body or "").strip()
    if not body:
        raise CandidateInputError({"body": "a note cannot be empty"})
    if len(body) > 20000:
        raise CandidateInputError({"body": "a note is limited to 20,000 characters"})
    first_line = body.splitlines()[0]
    return timeline_add(
        candidate=candidate,
        kind=TimelineEntry.Kind.NOTE,
        summary=first_line[:140],
        body=body,
        actor=actor,
    )
