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

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from config.core.links import new_nonce, sign_link
from config.core.models import User as AuthUser
from config.core.models import record_event
from config.core.tasks import send_email as send_email_task
from crm.models import TimelineEntry
from crm.services.timeline import timeline_add
from crm.types import actor_user

from .. import letters
from ..models import Application, Offer, OfferApproval, OfferChange, OfferTemplate, SalaryPeriod
from ..selectors.jobs import User, can_move
from ..selectors.offers import OFFER_LINK_SALT, can_manage_offer, hired_stage, may_approve
from .applications import MoveRefused, application_move_stage

MAX_SALARY = Decimal("99999999.99")
MAX_VALID_DAYS = 90
DEFAULT_VALID_DAYS = 14
# A link must leave the candidate at least this long to answer.
MIN_TIME_TO_ANSWER = timedelta(hours=24)
EDITABLE = (Offer.Status.DRAFT, Offer.Status.PENDING_APPROVAL, Offer.Status.APPROVED)


class OfferRefused(Exception):
    """A step that may not happen; ``message`` is for a person, ``field`` names the input at
    fault (None when it is the offer's state or the user's right)."""

    def __init__(self, message: str, field: str | None = None):
        self.message = message
        self.field = field
        super().__init__(message)


# --------------------------------------------------------------------------- checks


def _salary(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise OfferRefused("Enter the salary as a number, e.g. 85000.", "salary") from None
    if not amount.is_finite():
        raise OfferRefused("Enter the salary as a number, e.g. 85000.", "salary")
    if amount < 0:
        raise OfferRefused("The salary cannot be negative.", "salary")
    if amount > MAX_SALARY:
        raise OfferRefused(f"The salary cannot be more than {MAX_SALARY:,.0f}.", "salary")
    if amount != amount.quantize(Decimal("0.01")):
        raise OfferRefused("Use at most two decimals for the salary.", "salary")
    return amount.quantize(Decimal("0.01"))


def _currency(value: str) -> str:
    code = (value or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise OfferRefused("Use a three-letter ISO 4217 currency code, e.g. EUR.", "currency")
    return code


def _period(value: str) -> str:
    period = (value or "").strip().upper()
    if period not in SalaryPeriod.values:
        names = ", ".join(SalaryPeriod.values)
        raise OfferRefused(f"The salary period must be one of {names}.", "salary_period")
    return period


def _start_date(value: date) -> date:
    if not isinstance(value, date):
        raise OfferRefused("Give the start date (YYYY-MM-DD).", "start_date")
    if value < timezone.localdate():
        raise OfferRefused("The start date cannot be in the past.", "start_date")
    return value


def _text(value: str, field: str, limit: int = 500) -> str:
    # Browsers send a textarea's lines with CRLF; stored text uses LF.
    text = (value or "").replace("\r\n", "\n").strip()
    if len(text) > limit:
        raise OfferRefused(f"Keep this under {limit} characters.", field)
    return text


def _valid_until(days: int, now: datetime) -> datetime:
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_VALID_DAYS:
        raise OfferRefused(
            f"The offer must stay valid for 1 to {MAX_VALID_DAYS} days.", "expires_in_days"
        )
    return now + timedelta(days=days)


def _approvers(approvers: Sequence[AuthUser]) -> list[AuthUser]:
    chain: list[AuthUser] = []
    for user in approvers:
        if user is None:
            continue
        if any(other.pk == user.pk for other in chain):
            raise OfferRefused(f"{_name(user)} is on the approval chain twice.", "approvers")
        if not may_approve(user):
            raise OfferRefused(
                f"{_name(user)} cannot approve offers: approvers must be active recruiters or "
                "hiring managers.",
                "approvers",
            )
        chain.append(user)
    return chain


def _template(template: OfferTemplate | None) -> OfferTemplate | None:
    if template is not None and not template.active:
        raise OfferRefused(f"The template “{template}” is no longer in use.", "template")
    return template


def _name(user: AuthUser | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


# --------------------------------------------------------------------------- bookkeeping


def _locked(offer: Offer | int) -> Offer:
    """Lock the offer row, then read it with its application, person and job (the lock takes
    no join; see ats.services.applications._locked)."""
    pk = offer if isinstance(offer, int) else offer.pk
    Offer.objects.select_for_update().filter(pk=pk).values_list("pk").get()
    return Offer.objects.select_related(
        "application__candidate", "application__job", "template", "created_by"
    ).get(pk=pk)


def _record(
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


def _event(kind: str, offer: Offer, **payload: Any) -> None:
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


def _terms(offer: Offer, sender: AuthUser | None) -> letters.LetterTerms:
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
        sender_name=_name(sender),
    )


def _render(offer: Offer) -> str:
    """The letter from the offer's template for its current terms ("" without a template)."""
    if offer.template is None:
        return ""
    try:
        return letters.render_letter(offer.template.body, _terms(offer, offer.created_by))
    except ValueError as exc:
        raise OfferRefused(str(exc), "template") from None


def _check_manage(actor: User, offer_or_app: Offer | Application) -> None:
    app = offer_or_app.application if isinstance(offer_or_app, Offer) else offer_or_app
    if not can_manage_offer(actor, app.job):
        raise OfferRefused("You may not make or change offers on this job.")


def _set_chain(offer: Offer, chain: list[AuthUser]) -> None:
    offer.approvals.all().delete()
    OfferApproval.objects.bulk_create(
        OfferApproval(offer=offer, approver=user, position=i) for i, user in enumerate(chain)
    )


def _reset_chain(offer: Offer) -> int:
    """Every step back to pending; returns how many had been decided."""
    return offer.approvals.exclude(decision=OfferApproval.Decision.PENDING).update(
        decision=OfferApproval.Decision.PENDING, comment="", decided_at=None
    )


def _pending_steps(offer: Offer) -> list[OfferApproval]:
    return list(
        offer.approvals.filter(decision=OfferApproval.Decision.PENDING)
        .select_related("approver")
        .order_by("position", "id")
    )


def _approved_if_chain_done(offer: Offer, *, actor: User | None, at: datetime) -> None:
    if offer.status == Offer.Status.PENDING_APPROVAL and not _pending_steps(offer):
        offer.status = Offer.Status.APPROVED
        offer.save(update_fields=["status", "updated_at"])
        _record(offer, "approved", actor=actor, summary="approved, ready to send", at=at)


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
    _check_manage(actor, app)
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
    chain = _approvers(approvers)
    offer = Offer(
        application=app,
        salary=_salary(salary),
        currency=_currency(currency),
        salary_period=_period(salary_period),
        start_date=_start_date(start_date),
        bonus=_text(bonus, "bonus"),
        equity=_text(equity, "equity"),
        template=_template(template),
        expires_at=_valid_until(expires_in_days, now),
        created_by=actor_user(actor),
    )
    written = _text(letter, "letter", 20000)
    offer.letter = written + "\n" if written else _render(offer)
    if not offer.letter:
        raise OfferRefused("Choose a letter template or write the letter.", "template")
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError:
        raise OfferRefused("This application already has an open offer.") from None
    _set_chain(offer, chain)
    names = ", ".join(_name(u) for u in chain) or "no approvers"
    _record(
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
    offer = _locked(offer)
    _check_manage(actor, offer)
    if offer.status not in EDITABLE:
        raise OfferRefused(
            f"This offer was already {offer.get_status_display().lower()}, so it cannot be "
            "edited any more. Withdraw it and make a new offer instead.",
            "status",
        )
    was_template_letter = offer.template is not None and offer.letter == _render(offer)
    before = _snapshot(offer)
    now = timezone.now()
    if salary is not None:
        offer.salary = _salary(salary)
    if currency is not None:
        offer.currency = _currency(currency)
    if salary_period is not None:
        offer.salary_period = _period(salary_period)
    if start_date is not None:
        offer.start_date = _start_date(start_date)
    if bonus is not None:
        offer.bonus = _text(bonus, "bonus")
    if equity is not None:
        offer.equity = _text(equity, "equity")
    if template is not None and template.pk != offer.template_id:
        offer.template = _template(template)
        was_template_letter = True
    if expires_in_days is not None:
        offer.expires_at = _valid_until(expires_in_days, now)
    written = _text(letter, "letter", 20000) if letter is not None else None
    if written and written != offer.letter.strip():
        offer.letter = written if written.endswith("\n") else written + "\n"
    elif was_template_letter:
        offer.letter = _render(offer)
    chain = _approvers(approvers) if approvers is not None else None
    old_chain = list(offer.approvals.order_by("position").values_list("approver_id", flat=True))
    chain_changed = chain is not None and [u.pk for u in chain] != old_chain
    changed = [name for name, value in _snapshot(offer).items() if before[name] != value]
    if not changed and not chain_changed:
        return offer
    if chain_changed:
        assert chain is not None
        _set_chain(offer, chain)
        changed.append("approvers")
        reset = 0
    else:
        reset = _reset_chain(offer)
    if offer.status in (Offer.Status.PENDING_APPROVAL, Offer.Status.APPROVED):
        offer.status = Offer.Status.PENDING_APPROVAL
    offer.save()
    note = "Changed: " + ", ".join(changed) + "."
    if reset or (chain_changed and offer.status == Offer.Status.PENDING_APPROVAL):
        note += " The approval chain starts again."
    _record(offer, "edited", actor=actor, summary="edited", note=note, at=now)
    _approved_if_chain_done(offer, actor=actor, at=now)
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
    offer = _locked(offer)
    _check_manage(actor, offer)
    if offer.status != Offer.Status.DRAFT:
        raise OfferRefused(
            f"Only a draft can be submitted; this offer is {offer.get_status_display().lower()}."
        )
    now = timezone.now()
    _reset_chain(offer)
    offer.status = Offer.Status.PENDING_APPROVAL
    offer.save(update_fields=["status", "updated_at"])
    steps = _pending_steps(offer)
    waiting = f"waiting for {_name(steps[0].approver)}" if steps else "no approvers"
    _record(offer, "submitted", actor=actor, summary=f"submitted for approval ({waiting})", at=now)
    _approved_if_chain_done(offer, actor=actor, at=now)
    return offer


@transaction.atomic
def offer_decide(*, offer: Offer | int, approver: User, approve: bool, comment: str = "") -> Offer:
    """The current approver's decision. Approving hands the turn to the next step (the last
    approval makes the offer APPROVED); declining sends it back to DRAFT with the comment
    (required then) on the chain and in the history. Only the approver whose turn it is may
    decide."""
    offer = _locked(offer)
    if offer.status != Offer.Status.PENDING_APPROVAL:
        raise OfferRefused(
            f"This offer is {offer.get_status_display().lower()}, not waiting for approval."
        )
    comment = _text(comment, "comment", 1000)
    steps = _pending_steps(offer)
    current = steps[0] if steps else None
    if current is None or current.approver_id != getattr(approver, "pk", None):
        on_chain = offer.approvals.filter(approver_id=getattr(approver, "pk", None)).first()
        if on_chain is None:
            raise OfferRefused("You are not on this offer's approval chain.")
        if on_chain.decision != OfferApproval.Decision.PENDING:
            raise OfferRefused("You have already decided on this offer.")
        waiting = _name(current.approver) if current else "nobody"
        raise OfferRefused(f"It is not your turn yet: the offer is waiting for {waiting}.")
    if not approve and not comment:
        raise OfferRefused("Say why you decline, so the offer can be reworked.", "comment")
    now = timezone.now()
    current.decision = (
        OfferApproval.Decision.APPROVED if approve else OfferApproval.Decision.DECLINED
    )
    current.comment, current.decided_at = comment, now
    current.save(update_fields=["decision", "comment", "decided_at"])
    who = _name(current.approver)
    if approve:
        _record(
            offer, "approval", actor=approver, summary=f"approved by {who}", note=comment, at=now
        )
        _approved_if_chain_done(offer, actor=approver, at=now)
    else:
        offer.status = Offer.Status.DRAFT
        offer.save(update_fields=["status", "updated_at"])
        _record(
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
    offer = _locked(offer)
    _check_manage(actor, offer)
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
        was_template_letter = offer.template is not None and offer.letter == _render(offer)
        offer.expires_at = _valid_until(expires_in_days, now)
        if was_template_letter:
            offer.letter = _render(offer)
    if offer.expires_at is None or offer.expires_at < now + MIN_TIME_TO_ANSWER:
        raise OfferRefused(
            "The offer would expire before the candidate has a day to answer; give it a new "
            "validity.",
            "expires_in_days",
        )
    offer.nonce, offer.sent_at, offer.status = new_nonce(), now, Offer.Status.SENT
    offer.save()
    until = timezone.localtime(offer.expires_at)
    _record(
        offer,
        "sent",
        actor=actor,
        summary=f"sent to {candidate.email}",
        note=f"Valid until {letters.format_date(until.date())}.",
        channel="email",
        at=now,
    )
    _event("offer.sent", offer, expires_at=offer.expires_at.isoformat())
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
        "sender": _name(actor_user(sender)),
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
    offer = _locked(offer)
    _check_manage(actor, offer)
    if offer.status not in Offer.OPEN_STATUSES:
        raise OfferRefused(
            f"This offer is already {offer.get_status_display().lower()}; it cannot be withdrawn."
        )
    reason = _text(reason, "reason", 1000)
    offer.status, offer.nonce = Offer.Status.WITHDRAWN, ""
    offer.save(update_fields=["status", "nonce", "updated_at"])
    _record(offer, "withdrawn", actor=actor, summary="withdrawn", note=reason)
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
    offer = _locked(offer)
    if offer.status != Offer.Status.SENT:
        raise OfferRefused(
            f"This offer is {offer.get_status_display().lower()}; it cannot be answered."
        )
    now = timezone.now()
    if offer.expires_at is not None and offer.expires_at <= now:
        raise OfferRefused("This offer has expired. Please ask your recruiter.")
    reason = _text(reason, "reason", 1000)
    offer.responded_at = now
    if accept:
        _hire(offer, now)
        offer.status = Offer.Status.ACCEPTED
        offer.save(update_fields=["status", "responded_at", "updated_at"])
        _record(offer, "accepted", actor=None, by_candidate=True, summary="accepted", at=now)
        _event("offer.accepted", offer)
    else:
        offer.status, offer.decline_reason = Offer.Status.DECLINED, reason
        offer.save(update_fields=["status", "responded_at", "decline_reason", "updated_at"])
        _record(
            offer,
            "declined",
            actor=None,
            by_candidate=True,
            summary="declined by the candidate",
            note=reason,
            at=now,
        )
        _event("offer.declined", offer, reason=reason)
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
        _record(offer, "expired", actor=None, summary="expired without an answer", at=now)
    return len(due)
