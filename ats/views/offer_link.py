"""The candidate's offer page, ``/careers/offer/<token>/``: no login; the signed token names the
offer (:func:`ats.selectors.offers.offer_for_token`). The candidate reads the letter and the
terms and accepts or declines (with a reason) by POST. An expired, withdrawn, forged or already
answered link is a page that says so: 404 for a link that is not ours (or no longer valid),
410 for an expired or withdrawn offer, 200 with the answer for an answered one."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .. import letters
from ..forms.offers import AnswerForm
from ..models import Offer
from ..selectors.offers import OfferLink, offer_for_token
from ..services.offers import OfferRefused, offer_respond

TEMPLATE = "careers/offer.html"


def _context(link: OfferLink, **values) -> dict:
    offer = link.offer
    context = {
        "company": settings.COMPANY_NAME,
        "company_url": settings.COMPANY_URL,
        "link": link,
        "offer": offer,
        "problem": link.problem,
        "expired": link.expired,
    }
    if offer is not None:
        app = offer.application
        context.update(
            job=app.job,
            candidate=app.candidate,
            salary=f"{letters.format_salary(offer.salary)} {offer.currency} "
            f"{letters.period_label(offer.salary_period)}",
            start_date=letters.format_date(offer.start_date),
            expires_on=letters.format_date(timezone.localtime(offer.expires_at).date())
            if offer.expires_at
            else "",
            answered=offer.status in (Offer.Status.ACCEPTED, Offer.Status.DECLINED),
        )
    return context | values


def _status(link: OfferLink) -> int:
    if link.usable:
        return 200
    if link.offer is None:
        return 404
    if link.offer.status in (Offer.Status.ACCEPTED, Offer.Status.DECLINED):
        return 200
    return 410


@require_http_methods(["GET", "POST"])
def offer_page(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the offer letter with accept/decline; after an answer, the answer."""
    link = offer_for_token(token)
    if request.method == "GET" or not link.usable:
        context = _context(link, form=AnswerForm() if link.usable else None)
        return render(request, TEMPLATE, context, status=_status(link))
    form = AnswerForm(request.POST)
    if form.is_valid():
        assert link.offer is not None
        try:
            offer_respond(
                offer=link.offer,
                accept=form.cleaned_data["answer"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except OfferRefused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            response = HttpResponseRedirect(request.path)
            response.status_code = 303  # a reload shows the answer, never posts again
            return response
    return render(request, TEMPLATE, _context(link, form=form), status=422)
