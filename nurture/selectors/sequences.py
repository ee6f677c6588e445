"""Reads of sequences and their steps. Sequences are the recruiting team's shared tools:
every recruiter sees them all (the built-in ones have no owner); nobody else sees any."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from config.core.roles import Role, has_role
from nurture.builtin import JOB_ALERTS_KEY
from nurture.models import Enrollment, Sequence, Step

if TYPE_CHECKING:
    from django.db.models import Model


def sequences_visible_to(user: Any) -> QuerySet[Sequence]:
    """Every sequence for a recruiter; none for anyone else."""
    if not has_role(user, Role.RECRUITER):
        return Sequence.objects.none()
    return Sequence.objects.all()


def sequence_get_for_user(user: Any, pk: int) -> Sequence | None:
    """One sequence the user may see (with its owner), or None."""
    return sequences_visible_to(user).select_related("owner").filter(pk=pk).first()


def sequences_to_enroll_in(user: Any) -> QuerySet[Sequence]:
    """What an "Enroll in…" select offers: the sequences that are not archived (and not job
    alerts, which members get by asking for them)."""
    return (
        sequences_visible_to(user)
        .filter(archived=False)
        .exclude(builtin_key=JOB_ALERTS_KEY)
        .order_by("name", "id")
    )


def sequence_to_enroll_in_get(user: Any, pk: int | None) -> Sequence | None:
    """One of :func:`sequences_to_enroll_in`, or None (also for no id)."""
    if pk is None:
        return None
    return sequences_to_enroll_in(user).filter(pk=pk).first()


def sequence_step(sequence: Sequence, step_pk: int) -> Step | None:
    """One step of a sequence the caller has already resolved for the user, or None."""
    return sequence.steps.filter(pk=step_pk).first()


def _count(model: type[Model], **filters: Any) -> Coalesce:
    """How many ``model`` rows point at the outer sequence (a subquery: no row fan-out)."""
    rows = (
        model._default_manager.filter(sequence=OuterRef("pk"), **filters)
        .order_by()
        .values("sequence")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def sequences_with_counts(user: Any) -> QuerySet[Sequence]:
    """The sequences the user may see, each with ``step_count``, ``enrolled_count`` (ever) and
    ``active_count`` (the API's list and detail)."""
    return sequences_visible_to(user).annotate(
        step_count=_count(Step),
        enrolled_count=_count(Enrollment),
        active_count=_count(Enrollment, state=Enrollment.State.ACTIVE),
    )


def sequence_with_steps_for_user(user: Any, pk: int) -> Sequence | None:
    """One sequence with its counts and its steps prefetched, or None."""
    return sequences_with_counts(user).prefetch_related("steps").filter(pk=pk).first()
