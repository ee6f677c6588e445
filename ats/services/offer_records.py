"""What every offer step writes and locks (``ats.services.offers``): the row lock, the history
row with its timeline entry, the domain events, the rendered letter and the approval chain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from config.core.models import User as AuthUser
from config.core.models import record_event
from crm.models import TimelineEntry
from crm.services.timeline import timeline_add
from crm.types import actor_user

from .. import letters
from ..models import Application, Offer, OfferApproval, OfferChange
from ..selectors.jobs import User
from ..selectors.offers import can_manage_offer
from . import offer_checks as checks
from .offer_checks import OfferRefused


def locked(offer: Offer | int) -> Offer:
    """Lock the offer row, then read it with its application, person and job (the lock takes
    no join; see ats.services.application_records.application_locked)."""
    pk = offer if isinstance(offer, int) else offer.pk
    Offer.objects.select_for_update().filter(pk=pk).values_list("pk").get()
    return Offer.objects.select_related(
        "application__candidate", "application__job", "template", "created_by"
    ).get(pk=pk)


def record(
    offer: Offer,
    action: str,
    *,
    actor: User | None,
    summary: str,
    note: str = "",
    by_candidate: bool = False,
    channel: str = "",
    at: datetime | None = None,
) -> None:
    """The offer's history row and the person's timeline entry for one step."""
    at = at or timezone.now()
    OfferChange.objects.create(
        offer=offer,
        action=action,
        actor=actor_user(actor),
        by_candidate=by_candidate,
        note=note[:1000],
        at=at,
    )
    timeline_add(
        candidate=offer.application.candidate,
        kind=TimelineEntry.Kind.OFFER,
        summary=f"Offer for {offer.application.job.title}: {summary}",
        body=note,
        actor=actor,
        channel=channel or ("web" if by_candidate else ""),
        data={"offer": offer.pk, "application": offer.application_id, "action": action},
        occurred_at=at,
    )


def event(kind: str, offer: Offer, **payload: Any) -> None:
    app = offer.application
    record_event(
        kind,
        subject_type="ats.offer",
        subject_id=offer.pk,
        payload={
            "application": app.pk,
            "candidate": app.candidate_id,
            "job": app.job_id,
            **payload,
        },
    )


def terms(offer: Offer, sender: AuthUser | None) -> letters.LetterTerms:
    app = offer.application
    return letters.LetterTerms(
        candidate_first_name=app.candidate.first_name,
        candidate_last_name=app.candidate.last_name,
        job_title=app.job.title,
        job_department=app.job.department,
        salary=offer.salary,
        currency=offer.currency,
        salary_period=offer.salary_period,
        start_date=offer.start_date,
        bonus=offer.bonus,
        equity=offer.equity,
        expires_on=timezone.localtime(offer.expires_at).date() if offer.expires_at else None,
        sender_name=checks.name(sender),
    )


def render(offer: Offer) -> str:
    """The letter from the offer's template for its current terms ("" without a template)."""
    if offer.template is None:
        return ""
    try:
        return letters.render_letter(offer.template.body, terms(offer, offer.created_by))
    except ValueError as exc:
        raise OfferRefused(str(exc), "template") from None


def check_manage(actor: User, offer_or_app: Offer | Application) -> None:
    app = offer_or_app.application if isinstance(offer_or_app, Offer) else offer_or_app
    if not can_manage_offer(actor, app.job):
        raise OfferRefused("You may not make or change offers on this job.")


def set_chain(offer: Offer, chain: list[AuthUser]) -> None:
    offer.approvals.all().delete()
    OfferApproval.objects.bulk_create(
        OfferApproval(offer=offer, approver=user, position=i) for i, user in enumerate(chain)
    )


def reset_chain(offer: Offer) -> int:
    """Every step back to pending; returns how many had been decided."""
    return offer.approvals.exclude(decision=OfferApproval.Decision.PENDING).update(
        decision=OfferApproval.Decision.PENDING, comment="", decided_at=None
    )


def pending_steps(offer: Offer) -> list[OfferApproval]:
    return list(
        offer.approvals.filter(decision=OfferApproval.Decision.PENDING)
        .select_related("approver")
        .order_by("position", "id")
    )


def approved_if_chain_done(offer: Offer, *, actor: User | None, at: datetime) -> None:
    if offer.status == Offer.Status.PENDING_APPROVAL and not pending_steps(offer):
        offer.status = Offer.Status.APPROVED
        offer.save(update_fields=["status", "updated_at"])
        record(offer, "approved", actor=actor, summary="approved, ready to send", at=at)
