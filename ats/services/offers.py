"""Writes of offers: make one, edit it, its ordered approval chain, send it to the candidate as
a signed link, withdraw it, the candidate's answer (accepting hires), and expiry.

DRAFT → PENDING_APPROVAL → APPROVED → SENT → ACCEPTED | DECLINED; WITHDRAWN and EXPIRED end an
offer otherwise. Every step locks the offer row (``SELECT ... FOR UPDATE``) and re-reads its
status under the lock, so two approvers, or an acceptance racing a withdrawal, serialize: the
second sees what the first did and is refused. Every step writes an :class:`OfferChange` row
and an OFFER entry on the person's timeline; ``offer.sent``, ``offer.accepted`` and
``offer.declined`` are domain events. Bad input raises :class:`OfferRefused` (naming the field
when there is one) and changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from config.core.links import new_nonce, sign_link
from config.core.models import User as AuthUser
from config.core.tasks import send_email as send_email_task
from crm.types import actor_user

from .. import letters
from ..models import Application, Offer, OfferApproval, OfferTemplate, SalaryPeriod
from ..selectors.jobs import User, can_move
from ..selectors.offers import OFFER_LINK_SALT, hired_stage
from . import offer_checks as checks
from . import offer_records as records
from .applications import MoveRefused, application_move_stage
from .offer_checks import (
    DEFAULT_VALID_DAYS,
    EDITABLE,
    MAX_SALARY,
    MAX_VALID_DAYS,
    MIN_TIME_TO_ANSWER,
    OfferRefused,
)

__all__ = [
    "DEFAULT_VALID_DAYS",
    "EDITABLE",
    "MAX_SALARY",
    "MAX_VALID_DAYS",
    "MIN_TIME_TO_ANSWER",
    "OfferRefused",
]

# --------------------------------------------------------------------------- create / edit


@transaction.atomic
def offer_create(
    *,
    application: Application,
    actor: User,
    salary: Decimal | int | str,
    currency: str,
    salary_period: str = SalaryPeriod.YEAR,
    start_date: date,
    bonus: str = "",
    equity: str = "",
    template: OfferTemplate | None = None,
    letter: str = "",
    approvers: Sequence[AuthUser] | None = None,
    expires_in_days: int = DEFAULT_VALID_DAYS,
) -> Offer:
    """A draft offer for an active application, its letter rendered from ``template`` (or
    ``letter`` as written), and its ordered approval chain (``approvers``; by default the job's
    hiring manager). Refused when the application already has an open offer."""
    Application.objects.select_for_update().filter(pk=application.pk).values_list("pk").get()
    app = Application.objects.select_related("job", "candidate").get(pk=application.pk)
    records.check_manage(actor, app)
    if not app.is_active:
        raise OfferRefused(
            f"{app.candidate} is {app.get_status_display().lower()}; "
            "offers go to active applications only."
        )
    existing = app.offers.filter(status__in=Offer.OPEN_STATUSES).first()
    if existing is not None:
        raise OfferRefused(f"This application already has an open offer (#{existing.pk}).")
    now = timezone.now()
    if approvers is None:
        approvers = [app.job.hiring_manager] if app.job.hiring_manager else []
    chain = checks.approvers(approvers)
    offer = Offer(
        application=app,
        salary=checks.salary(salary),
        currency=checks.currency(currency),
        salary_period=checks.period(salary_period),
        start_date=checks.start_date(start_date),
        bonus=checks.text(bonus, "bonus"),
        equity=checks.text(equity, "equity"),
        template=checks.template(template),
        expires_at=checks.valid_until(expires_in_days, now),
        created_by=actor_user(actor),
    )
    written = checks.text(letter, "letter", 20000)
    offer.letter = written + "\n" if written else records.render(offer)
    if not offer.letter:
        raise OfferRefused("Choose a letter template or write the letter.", "template")
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError:
        raise OfferRefused("This application already has an open offer.") from None
    records.set_chain(offer, chain)
    names = ", ".join(checks.name(u) for u in chain) or "no approvers"
    records.record(
        offer, "created", actor=actor, summary="drafted", note=f"Approval chain: {names}.", at=now
    )
    return offer


@transaction.atomic
def offer_update(
    *,
    offer: Offer | int,
    actor: User,
    salary: Decimal | int | str | None = None,
    currency: str | None = None,
    salary_period: str | None = None,
    start_date: date | None = None,
    bonus: str | None = None,
    equity: str | None = None,
    template: OfferTemplate | None = None,
    letter: str | None = None,
    approvers: Sequence[AuthUser] | None = None,
    expires_in_days: int | None = None,
) -> Offer:
    """Edit an offer that has not been sent (None leaves a field as it is). A change after any
    approval puts every step of the chain back to pending; an offer under approval, or
    approved, goes back to pending approval (a draft stays a draft). A letter that was the
    template's rendering is rendered again for the new terms; one written by hand is kept
    unless ``letter`` replaces it. Refused once the offer was sent."""
    offer = records.locked(offer)
    records.check_manage(actor, offer)
    if offer.status not in EDITABLE:
        raise OfferRefused(
            f"This offer was already {offer.get_status_display().lower()}, so it cannot be "
            "edited any more. Withdraw it and make a new offer instead.",
            "status",
        )
    was_template_letter = offer.template is not None and offer.letter == records.render(offer)
    before = _snapshot(offer)
    now = timezone.now()
    if salary is not None:
        offer.salary = checks.salary(salary)
    if currency is not None:
        offer.currency = checks.currency(currency)
    if salary_period is not None:
        offer.salary_period = checks.period(salary_period)
    if start_date is not None:
        offer.start_date = checks.start_date(start_date)
    if bonus is not None:
        offer.bonus = checks.text(bonus, "bonus")
    if equity is not None:
        offer.equity = checks.text(equity, "equity")
    if template is not None and template.pk != offer.template_id:
        offer.template = checks.template(template)
        was_template_letter = True
    if expires_in_days is not None:
        offer.expires_at = checks.valid_until(expires_in_days, now)
    written = checks.text(letter, "letter", 20000) if letter is not None else None
    if written and written != offer.letter.strip():
        offer.letter = written if written.endswith("\n") else written + "\n"
    elif was_template_letter:
        offer.letter = records.render(offer)
    chain = checks.approvers(approvers) if approvers is not None else None
    old_chain = list(offer.approvals.order_by("position").values_list("approver_id", flat=True))
    chain_changed = chain is not None and [u.pk for u in chain] != old_chain
    changed = [name for name, value in _snapshot(offer).items() if before[name] != value]
    if not changed and not chain_changed:
        return offer
    if chain_changed:
        assert chain is not None
        records.set_chain(offer, chain)
        changed.append("approvers")
        reset = 0
    else:
        reset = records.reset_chain(offer)
    if offer.status in (Offer.Status.PENDING_APPROVAL, Offer.Status.APPROVED):
        offer.status = Offer.Status.PENDING_APPROVAL
    offer.save()
    note = "Changed: " + ", ".join(changed) + "."
    if reset or (chain_changed and offer.status == Offer.Status.PENDING_APPROVAL):
        note += " The approval chain starts again."
    records.record(offer, "edited", actor=actor, summary="edited", note=note, at=now)
    records.approved_if_chain_done(offer, actor=actor, at=now)
    return offer


def _snapshot(offer: Offer) -> dict[str, Any]:
    return {
        "salary": offer.salary,
        "currency": offer.currency,
        "salary_period": offer.salary_period,
        "start_date": offer.start_date,
        "bonus": offer.bonus,
        "equity": offer.equity,
        "template": offer.template_id,
        "validity": offer.expires_at,
        "letter": offer.letter,
    }


# --------------------------------------------------------------------------- approval


@transaction.atomic
def offer_submit_for_approval(*, offer: Offer | int, actor: User) -> Offer:
    """Send a draft into its approval chain (every step pending, the first approver's turn).
    With no approvers on the chain the offer is approved at once."""
    offer = records.locked(offer)
    records.check_manage(actor, offer)
    if offer.status != Offer.Status.DRAFT:
        raise OfferRefused(
            f"Only a draft can be submitted; this offer is {offer.get_status_display().lower()}."
        )
    now = timezone.now()
    records.reset_chain(offer)
    offer.status = Offer.Status.PENDING_APPROVAL
    offer.save(update_fields=["status", "updated_at"])
    steps = records.pending_steps(offer)
    waiting = f"waiting for {checks.name(steps[0].approver)}" if steps else "no approvers"
    records.record(
        offer, "submitted", actor=actor, summary=f"submitted for approval ({waiting})", at=now
    )
    records.approved_if_chain_done(offer, actor=actor, at=now)
    return offer


@transaction.atomic
def offer_decide(*, offer: Offer | int, approver: User, approve: bool, comment: str = "") -> Offer:
    """The current approver's decision. Approving hands the turn to the next step (the last
    approval makes the offer APPROVED); declining sends it back to DRAFT with the comment
    (required then) on the chain and in the history. Only the approver whose turn it is may
    decide."""
    offer = records.locked(offer)
    if offer.status != Offer.Status.PENDING_APPROVAL:
        raise OfferRefused(
            f"This offer is {offer.get_status_display().lower()}, not waiting for approval."
        )
    comment = checks.text(comment, "comment", 1000)
    steps = records.pending_steps(offer)
    current = steps[0] if steps else None
    if current is None or current.approver_id != getattr(approver, "pk", None):
        on_chain = offer.approvals.filter(approver_id=getattr(approver, "pk", None)).first()
        if on_chain is None:
            raise OfferRefused("You are not on this offer's approval chain.")
        if on_chain.decision != OfferApproval.Decision.PENDING:
            raise OfferRefused("You have already decided on this offer.")
        waiting = checks.name(current.approver) if current else "nobody"
        raise OfferRefused(f"It is not your turn yet: the offer is waiting for {waiting}.")
    if not approve and not comment:
        raise OfferRefused("Say why you decline, so the offer can be reworked.", "comment")
    now = timezone.now()
    current.decision = (
        OfferApproval.Decision.APPROVED if approve else OfferApproval.Decision.DECLINED
    )
    current.comment, current.decided_at = comment, now
    current.save(update_fields=["decision", "comment", "decided_at"])
    who = checks.name(current.approver)
    if approve:
        records.record(
            offer, "approval", actor=approver, summary=f"approved by {who}", note=comment, at=now
        )
        records.approved_if_chain_done(offer, actor=approver, at=now)
    else:
        offer.status = Offer.Status.DRAFT
        offer.save(update_fields=["status", "updated_at"])
        records.record(
            offer,
            "approval_declined",
            actor=approver,
            summary=f"declined by {who}, back to draft",
            note=comment,
            at=now,
        )
    return offer


# --------------------------------------------------------------------------- send / withdraw


def offer_link_path(offer: Offer) -> str:
    """The candidate's page for the offer's current nonce (a path; prefix SITE_URL)."""
    token = sign_link(OFFER_LINK_SALT, {"o": offer.pk, "n": offer.nonce})
    return reverse("careers:offer", args=[token])


@transaction.atomic
def offer_send(*, offer: Offer | int, actor: User, expires_in_days: int | None = None) -> Offer:
    """Send an approved offer: a new nonce (any older link stops working), the email with the
    signed link after commit, status SENT and the ``offer.sent`` event. ``expires_in_days``
    sets a new validity from now (the letter's date follows when it is the template's);
    without it the offer keeps its date, which must leave the candidate a day to answer."""
    offer = records.locked(offer)
    records.check_manage(actor, offer)
    if offer.status != Offer.Status.APPROVED:
        raise OfferRefused(
            f"Only an approved offer can be sent; this one is {offer.get_status_display().lower()}."
        )
    candidate = offer.application.candidate
    if not candidate.email:
        raise OfferRefused(f"{candidate} has no email address to send the offer to.")
    if not offer.application.is_active:
        raise OfferRefused(
            f"{candidate} is {offer.application.get_status_display().lower()}; "
            "withdraw this offer instead."
        )
    if hired_stage(offer.application.job) is None:
        raise OfferRefused("This job's pipeline has no Hired stage to move an acceptance to.")
    now = timezone.now()
    if expires_in_days is not None:
        was_template_letter = offer.template is not None and offer.letter == records.render(offer)
        offer.expires_at = checks.valid_until(expires_in_days, now)
        if was_template_letter:
            offer.letter = records.render(offer)
    if offer.expires_at is None or offer.expires_at < now + MIN_TIME_TO_ANSWER:
        raise OfferRefused(
            "The offer would expire before the candidate has a day to answer; give it a new "
            "validity.",
            "expires_in_days",
        )
    offer.nonce, offer.sent_at, offer.status = new_nonce(), now, Offer.Status.SENT
    offer.save()
    until = timezone.localtime(offer.expires_at)
    records.record(
        offer,
        "sent",
        actor=actor,
        summary=f"sent to {candidate.email}",
        note=f"Valid until {letters.format_date(until.date())}.",
        channel="email",
        at=now,
    )
    records.event("offer.sent", offer, expires_at=offer.expires_at.isoformat())
    _send_offer_email(offer, sender=actor)
    return offer


def _send_offer_email(offer: Offer, *, sender: User) -> None:
    app = offer.application
    context = {
        "candidate": app.candidate,
        "job": app.job,
        "company": settings.COMPANY_NAME,
        "link": f"{settings.SITE_URL}{offer_link_path(offer)}",
        "expires_on": letters.format_date(timezone.localtime(offer.expires_at).date())
        if offer.expires_at
        else "",
        "sender": checks.name(actor_user(sender)),
    }
    body = render_to_string("ats/email/offer.txt", context)
    subject = f"Your offer for {app.job.title} at {settings.COMPANY_NAME}"
    to = [app.candidate.email]
    email = getattr(sender, "email", "")
    reply_to = [email] if email else None
    transaction.on_commit(
        lambda: send_email_task.delay(subject=subject, body=body, to=to, reply_to=reply_to),
        robust=True,
    )


@transaction.atomic
def offer_withdraw(*, offer: Offer | int, actor: User, reason: str = "") -> Offer:
    """Withdraw an offer that has not been answered; its link stops working at once (the nonce
    is cleared)."""
    offer = records.locked(offer)
    records.check_manage(actor, offer)
    if offer.status not in Offer.OPEN_STATUSES:
        raise OfferRefused(
            f"This offer is already {offer.get_status_display().lower()}; it cannot be withdrawn."
        )
    reason = checks.text(reason, "reason", 1000)
    offer.status, offer.nonce = Offer.Status.WITHDRAWN, ""
    offer.save(update_fields=["status", "nonce", "updated_at"])
    records.record(offer, "withdrawn", actor=actor, summary="withdrawn", note=reason)
    return offer


# --------------------------------------------------------------------------- the candidate


def _hiring_actor(offer: Offer) -> AuthUser | None:
    """Whose authority an acceptance hires on: who sent the offer, else the job's recruiter
    or hiring manager (the first who may still move candidates on the job)."""
    sent = offer.history.filter(action="sent").select_related("actor").order_by("-at").first()
    job = offer.application.job
    for user in (sent.actor if sent else None, job.recruiter, job.hiring_manager):
        if user is not None and user.is_active and can_move(user, job):
            return user
    return None


@transaction.atomic
def offer_respond(*, offer: Offer | int, accept: bool, reason: str = "") -> Offer:
    """The candidate's answer through their link. Accepting marks the offer ACCEPTED and hires
    the application (moved into the job's Hired stage with the stage history row, on the
    authority of who sent the offer); declining records the reason. Refused when the offer is
    not waiting for an answer (withdrawn, expired, already answered)."""
    offer = records.locked(offer)
    if offer.status != Offer.Status.SENT:
        raise OfferRefused(
            f"This offer is {offer.get_status_display().lower()}; it cannot be answered."
        )
    now = timezone.now()
    if offer.expires_at is not None and offer.expires_at <= now:
        raise OfferRefused("This offer has expired. Please ask your recruiter.")
    reason = checks.text(reason, "reason", 1000)
    offer.responded_at = now
    if accept:
        _hire(offer, now)
        offer.status = Offer.Status.ACCEPTED
        offer.save(update_fields=["status", "responded_at", "updated_at"])
        records.record(offer, "accepted", actor=None, by_candidate=True, summary="accepted", at=now)
        records.event("offer.accepted", offer)
    else:
        offer.status, offer.decline_reason = Offer.Status.DECLINED, reason
        offer.save(update_fields=["status", "responded_at", "decline_reason", "updated_at"])
        records.record(
            offer,
            "declined",
            actor=None,
            by_candidate=True,
            summary="declined by the candidate",
            note=reason,
            at=now,
        )
        records.event("offer.declined", offer, reason=reason)
    return offer


def _hire(offer: Offer, now: datetime) -> None:
    job = offer.application.job
    stage = hired_stage(job)
    actor = _hiring_actor(offer)
    if stage is None or actor is None:
        raise OfferRefused(
            "We could not record your answer right now. Please contact your recruiter."
        )
    try:
        application_move_stage(
            application=offer.application_id,
            stage=stage.pk,
            actor=actor,
            comment=f"The candidate accepted offer #{offer.pk}.",
        )
    except MoveRefused as exc:
        raise OfferRefused(
            "This offer can no longer be accepted. Please contact your recruiter."
        ) from exc


@transaction.atomic
def offers_expire(*, now: datetime | None = None) -> int:
    """Sent offers past their date become EXPIRED (their link then says so). Rows another
    worker holds are skipped (the next run takes them). Returns how many expired."""
    now = now or timezone.now()
    due = list(
        Offer.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status=Offer.Status.SENT, expires_at__lte=now)
        .select_related("application__candidate", "application__job")
        .order_by("expires_at", "id")
    )
    for offer in due:
        offer.status = Offer.Status.EXPIRED
        offer.save(update_fields=["status", "updated_at"])
        records.record(offer, "expired", actor=None, summary="expired without an answer", at=now)
    return len(due)
