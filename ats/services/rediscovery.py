"""Acting on the Rediscover list: put the ticked people into the job as sourced."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from crm.selectors.candidates import candidates_visible_among
from crm.types import AnyUser

from ..models import Application, Job
from .applications import AlreadyApplied, MoveRefused, application_create

SOURCE_DETAIL = "Rediscovery"


@dataclass
class SourcedResult:
    """Who was added (candidate ids) and who was not, with the reason."""

    added: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)


@transaction.atomic
def applications_add_sourced(
    *, job: Job, candidate_ids: Iterable[int], actor: AnyUser
) -> SourcedResult:
    """Add each of ``candidate_ids`` (that ``actor`` may see) to ``job`` with source SOURCED.
    Do-not-contact, archived and already active people are refused, each with a reason; one
    refusal never undoes the others."""
    wanted = sorted(set(candidate_ids))
    result = SourcedResult()
    people = {c.pk: c for c in candidates_visible_among(actor, wanted)}
    for pk in wanted:
        candidate = people.get(pk)
        if candidate is None:
            result.refused[pk] = "not found"
        elif candidate.do_not_contact:
            result.refused[pk] = f"{candidate} is marked do not contact"
        elif candidate.archived:
            result.refused[pk] = f"{candidate} is archived"
        else:
            try:
                with transaction.atomic():
                    application_create(
                        candidate=candidate,
                        job=job,
                        actor=actor,
                        source=Application.Source.SOURCED,
                        source_detail=SOURCE_DETAIL,
                    )
            except AlreadyApplied:
                result.refused[pk] = f"{candidate} is already in this job"
            except MoveRefused as exc:
                result.refused[pk] = str(exc)
            else:
                result.added.append(pk)
    return result
