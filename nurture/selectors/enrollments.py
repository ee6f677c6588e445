"""Reads of enrollments: a sequence's people, one enrollment, a person's enrollments. Only
enrollments of people the user may see, in sequences the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from crm.models import Candidate
from crm.selectors.candidates import candidates_visible_to
from nurture.models import Enrollment, Message, Sequence
from nurture.selectors.sequences import sequences_visible_to

LIVE = (Enrollment.State.ACTIVE, Enrollment.State.PAUSED)


def enrollments_of(sequence: Sequence, *, state: str = "") -> QuerySet[Enrollment]:
    """The people in a sequence (the caller resolved it for the user), newest first."""
    rows = Enrollment.objects.filter(sequence=sequence).select_related("candidate", "enrolled_by")
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("-enrolled_at", "-id")


def enrollment_get_for_user(user: Any, sequence_pk: int, pk: int) -> Enrollment | None:
    """One enrollment of ``sequence_pk`` the user may see, or None."""
    return (
        Enrollment.objects.filter(
            pk=pk,
            sequence__in=sequences_visible_to(user),
            sequence=sequence_pk,
            candidate__in=candidates_visible_to(user),
        )
        .select_related("candidate", "sequence", "enrolled_by")
        .first()
    )


def enrollments_visible_to(user: Any) -> QuerySet[Enrollment]:
    """Enrollments of the people the user may see, with their candidate and sequence."""
    return Enrollment.objects.filter(candidate__in=candidates_visible_to(user)).select_related(
        "candidate", "sequence"
    )


def enrollment_visible_get(user: Any, pk: int) -> Enrollment | None:
    """One enrollment of a person the user may see, or None."""
    return enrollments_visible_to(user).filter(pk=pk).first()


def enrollments_in(user: Any, sequence: Sequence, *, state: str = "") -> QuerySet[Enrollment]:
    """The enrollments of people the user may see in ``sequence`` (of one state, if given)."""
    rows = enrollments_visible_to(user).filter(sequence=sequence)
    if state:
        rows = rows.filter(state=state)
    return rows


def enrollment_with_messages_for_user(user: Any, pk: int) -> Enrollment | None:
    """One enrollment the user may see with its messages (oldest first) prefetched, or None."""
    messages = Message.objects.select_related("step").order_by("queued_at", "id")
    return (
        enrollments_visible_to(user)
        .prefetch_related(Prefetch("messages", queryset=messages))
        .filter(pk=pk)
        .first()
    )


def enrollment_live(candidate: Candidate, sequence: Sequence) -> Enrollment | None:
    """The person's active or paused enrollment in the sequence, if any."""
    return Enrollment.objects.filter(candidate=candidate, sequence=sequence, state__in=LIVE).first()


def candidate_enrollments(candidate: Candidate) -> list[Enrollment]:
    """Every enrollment of one person (the profile panel), newest first."""
    return list(
        Enrollment.objects.filter(candidate=candidate)
        .select_related("sequence")
        .order_by("-enrolled_at", "-id")
    )
