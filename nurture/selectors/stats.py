"""Statistics for the recruiter screens: message counts per sequence and per step, in a fixed
number of queries however many sequences, steps or messages there are."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from nurture.models import Channel, Enrollment, Message, Sequence, Step
from nurture.selectors.sequences import sequences_visible_to


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class MessageStats:
    """Counts of one sequence's or one step's messages. ``sent`` counts every channel; the
    rates are of the emails sent (opens, clicks and bounces exist only for email)."""

    sent: int = 0
    emails: int = 0
    opened: int = 0
    clicked: int = 0
    replied: int = 0
    unsubscribed: int = 0
    bounced: int = 0

    @property
    def open_pct(self) -> float | None:
        return _pct(self.opened, self.emails)

    @property
    def click_pct(self) -> float | None:
        return _pct(self.clicked, self.emails)

    @property
    def reply_pct(self) -> float | None:
        return _pct(self.replied, self.emails)

    @property
    def unsubscribe_pct(self) -> float | None:
        return _pct(self.unsubscribed, self.emails)

    @property
    def bounce_pct(self) -> float | None:
        return _pct(self.bounced, self.emails)


def _message_counts() -> dict[str, Count]:
    """Aggregates over Message rows: a message counts as sent once it has ``sent_at`` (a bounce
    or a later status change does not un-send it)."""
    email = Q(channel=Channel.EMAIL, sent_at__isnull=False)
    return {
        "sent": Count("id", filter=Q(sent_at__isnull=False)),
        "emails": Count("id", filter=email),
        "opened": Count("id", filter=email & Q(opened_at__isnull=False)),
        "clicked": Count("id", filter=email & Q(clicked_at__isnull=False)),
        "replied": Count("id", filter=email & Q(replied_at__isnull=False)),
        "unsubscribed": Count("id", filter=email & Q(unsubscribed_at__isnull=False)),
        "bounced": Count("id", filter=email & Q(bounced_at__isnull=False)),
    }


def _stats_by(group: str, ids: Iterable[Any]) -> dict[int, MessageStats]:
    rows = (
        Message.objects.filter(**{f"{group}__in": ids})
        .order_by()
        .values(group)
        .annotate(**_message_counts())
    )
    return {row.pop(group): MessageStats(**row) for row in rows}


@dataclass
class SequenceRow:
    sequence: Sequence
    steps: int = 0
    enrolled: int = 0
    active: int = 0
    stats: MessageStats = field(default_factory=MessageStats)


def sequence_list_with_stats(user: Any, *, archived: bool = False) -> list[SequenceRow]:
    """The list page: each sequence with its counts, in four queries whatever the number of
    sequences (sequences; enrollments, steps and messages each grouped by sequence)."""
    sequences = list(sequences_visible_to(user).filter(archived=archived).select_related("owner"))
    ids = [s.pk for s in sequences]
    enrollments = {
        row["sequence"]: row
        for row in Enrollment.objects.filter(sequence__in=ids)
        .order_by()
        .values("sequence")
        .annotate(enrolled=Count("id"), active=Count("id", filter=Q(state=Enrollment.State.ACTIVE)))
    }
    steps = dict(
        Step.objects.filter(sequence__in=ids)
        .order_by()
        .values("sequence")
        .annotate(n=Count("id"))
        .values_list("sequence", "n")
    )
    stats = _stats_by("step__sequence", ids)
    return [
        SequenceRow(
            sequence=s,
            steps=steps.get(s.pk, 0),
            enrolled=enrollments.get(s.pk, {}).get("enrolled", 0),
            active=enrollments.get(s.pk, {}).get("active", 0),
            stats=stats.get(s.pk, MessageStats()),
        )
        for s in sequences
    ]


def delay_label(step: Step) -> str:
    """ "3 days after the previous step", "immediately after enrollment"."""
    hours = step.delay_hours
    anchor = Step.DelayFrom(step.delay_from).label
    if hours == 0:
        return f"Immediately {anchor}"
    if hours % 24 == 0:
        days = hours // 24
        return f"{days} day{'s' if days != 1 else ''} {anchor}"
    return f"{hours} hour{'s' if hours != 1 else ''} {anchor}"


@dataclass
class StepRow:
    step: Step
    stats: MessageStats
    sent_ever: bool
    number: int = 1

    @property
    def delay(self) -> str:
        return delay_label(self.step)


def steps_with_stats(sequence: Sequence) -> list[StepRow]:
    """The sequence's steps in order with their message counts (two queries)."""
    steps = list(sequence.steps.order_by("position", "id"))
    stats = _stats_by("step", [s.pk for s in steps])
    sent = set(
        Message.objects.filter(step__in=steps).order_by().values_list("step", flat=True).distinct()
    )
    return [
        StepRow(s, stats.get(s.pk, MessageStats()), s.pk in sent, number)
        for number, s in enumerate(steps, start=1)
    ]


def sequence_stats(sequence: Sequence) -> MessageStats:
    """The counts of all the sequence's messages."""
    return _stats_by("step__sequence", [sequence.pk]).get(sequence.pk, MessageStats())
