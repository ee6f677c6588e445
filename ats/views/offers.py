"""Offers for recruiters, hiring managers and approvers: make one from an application, the list
("awaiting my approval" first), one offer with its terms, letter, approval chain and history,
and its actions by state (edit, submit, approve/decline, send, withdraw).

Permission: Recruiter or Hiring manager; offers come from :func:`offers_visible_to` (hiring
managers: their jobs' offers and those they approve), others answer 404. Making, editing,
submitting, sending and withdrawing need :func:`can_manage_offer` (403 otherwise); deciding is
for the approver whose turn it is (the service refuses anyone else)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.core.htmx import render_page
from config.core.roles import Role, role_required

from .. import letters
from ..forms.offers import (
    DecideForm,
    OfferForm,
    SendForm,
    WithdrawForm,
    offer_form_initial,
)
from ..models import Application, Offer
from ..selectors.applications import application_get_for_user
from ..selectors.offers import (
    can_manage_offer,
    offer_get_for_user,
    offers_for_list,
    open_offer_for_application,
)
from ..services import offers as services
from ..services.offers import OfferRefused

STAFF = (Role.RECRUITER, Role.HIRING_MANAGER)
ACTION_LABELS = {
    "created": "Drafted",
    "edited": "Edited",
    "submitted": "Submitted for approval",
    "approval": "Approved",
    "approval_declined": "Declined by an approver",
    "approved": "Fully approved",
    "sent": "Sent",
    "accepted": "Accepted",
    "declined": "Declined",
    "withdrawn": "Withdrawn",
    "expired": "Expired",
}


def _refused_into(form, exc: OfferRefused) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _detail(offer: Offer) -> HttpResponse:
    return redirect("ats:offer-detail", pk=offer.pk)


# --------------------------------------------------------------------------- make / edit


@role_required(*STAFF, hide=True, load=application_get_for_user)
@require_http_methods(["GET", "POST"])
def offer_new(request: HttpRequest, app: Application) -> HttpResponse:
    """Make an offer for an application: terms, template (with a preview of the letter) and
    the approval chain. An application with an open offer goes to that offer."""
    if not can_manage_offer(request.user, app.job):
        raise PermissionDenied
    existing = open_offer_for_application(app)
    if existing is not None:
        messages.info(request, f"{app.candidate} already has an open offer for {app.job.title}.")
        return _detail(existing)
    if not app.is_active:
        messages.error(request, f"{app.candidate} is {app.get_status_display().lower()}.")
    data = request.POST if request.method == "POST" else None
    form = OfferForm(data, application=app, initial=offer_form_initial(app))
    preview = ""
    if data is not None and form.is_valid():
        if "preview" in data:
            preview = form.preview(request.user)
        else:
            try:
                offer = services.offer_create(application=app, actor=request.user, **form.terms())
            except OfferRefused as exc:
                _refused_into(form, exc)
            else:
                messages.success(request, "Offer drafted. Submit it for approval when ready.")
                return _detail(offer)
    context = {"form": form, "application": app, "preview": preview, "offer": None}
    status = 422 if data is not None and form.errors else 200
    return render(request, "ats/offers/form.html", context, status=status)


@role_required(*STAFF, hide=True, load=offer_get_for_user)
@require_http_methods(["GET", "POST"])
def offer_edit(request: HttpRequest, offer: Offer) -> HttpResponse:
    """Edit an offer that was not sent; a change after an approval restarts the chain."""
    app = offer.application
    if not can_manage_offer(request.user, app.job):
        raise PermissionDenied
    if offer.status not in services.EDITABLE:
        messages.error(
            request,
            f"This offer was already {offer.get_status_display().lower()}, so it cannot be "
            "edited any more.",
        )
        return _detail(offer)
    data = request.POST if request.method == "POST" else None
    initial = offer_form_initial(app, offer)
    form = OfferForm(data, application=app, initial=initial)
    preview = ""
    if data is not None and form.is_valid():
        if "preview" in data:
            preview = form.preview(request.user)
        else:
            terms = form.terms()
            if "expires_in_days" not in form.changed_data:
                terms.pop("expires_in_days")  # the date stays unless it was changed
            if terms["template"] is None:
                terms.pop("template")
            try:
                services.offer_update(offer=offer, actor=request.user, **terms)
            except OfferRefused as exc:
                _refused_into(form, exc)
            else:
                messages.success(request, "Offer saved.")
                return _detail(offer)
    context = {"form": form, "application": app, "preview": preview, "offer": offer}
    status = 422 if data is not None and form.errors else 200
    return render(request, "ats/offers/form.html", context, status=status)


# --------------------------------------------------------------------------- list / detail


@role_required(*STAFF)
@require_GET
def offer_list(request: HttpRequest) -> HttpResponse:
    """Open offers the user may see, those awaiting their approval first (``?show=all``: every
    offer, answered and ended ones too)."""
    show_all = request.GET.get("show") == "all"
    offers = list(offers_for_list(request.user, open_only=not show_all))
    context = {
        "offers": offers,
        "show_all": show_all,
        "awaiting": sum(1 for offer in offers if offer.my_turn),
    }
    return render_page(request, "ats/offers/list.html", context, partial="rows")


@role_required(*STAFF, hide=True, load=offer_get_for_user)
@require_GET
def offer_detail(request: HttpRequest, offer: Offer) -> HttpResponse:
    """One offer: terms, letter, chain with each decision and comment, history, actions."""
    return render(request, "ats/offers/detail.html", _detail_context(request, offer))


def _detail_context(request: HttpRequest, offer: Offer, **forms) -> dict:
    chain = list(offer.approvals.all())
    remaining = 0
    if offer.expires_at:
        remaining = (timezone.localtime(offer.expires_at).date() - timezone.localdate()).days
    return {
        "offer": offer,
        "application": offer.application,
        "chain": chain,
        "history": [(c, ACTION_LABELS.get(c.action, c.action)) for c in offer.history.all()],
        "can_manage": can_manage_offer(request.user, offer.application.job),
        "my_turn": offer.my_turn,
        "editable": offer.status in services.EDITABLE,
        "decide_form": forms.get("decide_form") or DecideForm(),
        "send_form": forms.get("send_form")
        or SendForm(initial={"expires_in_days": max(remaining, services.DEFAULT_VALID_DAYS)}),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "expires_on": timezone.localtime(offer.expires_at).date() if offer.expires_at else None,
        "salary": f"{letters.format_salary(offer.salary)} {offer.currency} "
        f"{letters.period_label(offer.salary_period)}",
    }


def _answer(request: HttpRequest, offer: Offer, refused: OfferRefused | None, done: str, **forms):
    """After an action: back to the offer with a message; a refusal re-renders it with the
    form's error (422) so nothing typed is lost."""
    if refused is None:
        messages.success(request, done)
        return _detail(offer)
    messages.error(request, refused.message)
    fresh = offer_get_for_user(request.user, offer.pk) or offer
    context = _detail_context(request, fresh, **forms)
    return render(request, "ats/offers/detail.html", context, status=422)


def _managed(request: HttpRequest, offer: Offer) -> None:
    if not can_manage_offer(request.user, offer.application.job):
        raise PermissionDenied


@role_required(*STAFF, hide=True, load=offer_get_for_user)
@require_POST
def offer_submit(request: HttpRequest, offer: Offer) -> HttpResponse:
    """Submit a draft to its approval chain."""
    _managed(request, offer)
    try:
        services.offer_submit_for_approval(offer=offer, actor=request.user)
    except OfferRefused as exc:
        return _answer(request, offer, exc, "")
    return _answer(request, offer, None, "Submitted for approval.")


@role_required(*STAFF, hide=True, load=offer_get_for_user)
@require_POST
def offer_decide(request: HttpRequest, offer: Offer) -> HttpResponse:
    """The current approver approves or declines (a decline needs a comment)."""
    form = DecideForm(request.POST)
    if not form.is_valid():
        refused = OfferRefused("Check the decision: " + " ".join(_errors(form)))
        return _answer(request, offer, refused, "", decide_form=form)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.offer_decide(
            offer=offer,
            approver=request.user,
            approve=approve,
            comment=form.cleaned_data["comment"],
        )
    except OfferRefused as exc:
        if exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        return _answer(request, offer, exc, "", decide_form=form)
    return _answer(request, offer, None, "Approved." if approve else "Declined: back to draft.")


@role_required(*STAFF, hide=True, load=offer_get_for_user)
@require_POST
def offer_send(request: HttpRequest, offer: Offer) -> HttpResponse:
    """Send an approved offer to the candidate (the email with their link)."""
    _managed(request, offer)
    form = SendForm(request.POST)
    if not form.is_valid():
        refused = OfferRefused("Check the validity: " + " ".join(_errors(form)))
        return _answer(request, offer, refused, "", send_form=form)
    try:
        services.offer_send(
            offer=offer, actor=request.user, expires_in_days=form.cleaned_data["expires_in_days"]
        )
    except OfferRefused as exc:
        return _answer(request, offer, exc, "", send_form=form)
    return _answer(request, offer, None, f"Offer sent to {offer.application.candidate.email}.")


@role_required(*STAFF, hide=True, load=offer_get_for_user)
@require_POST
def offer_withdraw(request: HttpRequest, offer: Offer) -> HttpResponse:
    """Withdraw the offer; the candidate's link stops working at once."""
    _managed(request, offer)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        refused = OfferRefused("Check the reason: " + " ".join(_errors(form)))
        return _answer(request, offer, refused, "", withdraw_form=form)
    try:
        services.offer_withdraw(offer=offer, actor=request.user, reason=form.cleaned_data["reason"])
    except OfferRefused as exc:
        return _answer(request, offer, exc, "", withdraw_form=form)
    return _answer(request, offer, None, "Offer withdrawn; the candidate's link no longer works.")


def _errors(form) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]
