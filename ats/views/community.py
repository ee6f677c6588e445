"""The talent-community signup of the public career site: ``/careers/join/`` (and its
embeddable copy ``/careers/join/embed/`` for a company's own site), the "check your inbox" page
and the confirmation link's page. Permission: anyone, signed in or not. The writes are crm's
(:mod:`crm.services.community`); nobody is a member before confirming by POST on the link's
page (a link scanner's GET confirms nothing)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from config.core.links import BadLink
from config.core.throttle import client_address
from crm.models import CommunityStatus
from crm.selectors.community import community_link_candidate
from crm.services.community import community_confirm, community_signup
from crm.services.errors import CandidateInputError

from ..forms.careers import privacy_notice
from ..forms.community import CommunityJoinForm
from ..selectors import careers as selectors
from ..services import careers as services

# The embed may be framed by any site; everything else keeps the strict policy.
EMBED_CSP = settings.CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors *")
RESUME_AGAIN = (
    "PDF or Word (.docx), up to 10 MB. Choose the file again: a file is not kept when the "
    "form comes back with errors."
)


def _context(**values) -> dict:
    return {
        "company": settings.COMPANY_NAME,
        "company_url": settings.COMPANY_URL,
        "privacy": privacy_notice(),
        **values,
    }


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _form(data=None, files=None) -> CommunityJoinForm:
    return CommunityJoinForm(
        data,
        files,
        interests=selectors.community_interest_choices(),
        locations=selectors.community_location_choices(),
    )


def _handle(request: HttpRequest, *, embed: bool) -> HttpResponse:
    """The form's GET and POST for the page and the embed: limit, honeypot, checks, signup."""
    template = "careers/join_embed.html" if embed else "careers/join.html"
    sent = reverse("careers:join-embed-sent" if embed else "careers:join-sent")
    if request.method == "GET":
        return render(request, template, _context(form=_form(), embed=embed))
    if not services.join_attempt_allowed(client_address(request)):
        response = render(request, "careers/join_limited.html", _context(embed=embed), status=429)
        response.headers["Retry-After"] = str(services.APPLY_WINDOW_SECONDS)
        return response
    form = _form(request.POST, request.FILES)
    if form.honeypot_filled:
        return _see_other(sent)  # a bot sees success; nothing is stored or sent
    if form.is_valid():
        try:
            community_signup(
                data=form.signup_data(),
                privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
                ip=client_address(request),
                allowed_interests=form.interest_choices,
                resume=form.resume_upload(),
            )
        except CandidateInputError as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
        else:
            return _see_other(sent)
    form["resume"].help_text = RESUME_AGAIN
    return render(request, template, _context(form=form, embed=embed), status=422)


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Public: the talent-community signup form; 422 with the errors on bad input, 429 past
    the per-address limit, a filled honeypot gets the "check your inbox" page and nothing else."""
    return _handle(request, embed=False)


def _framable(response: HttpResponse) -> HttpResponse:
    response.headers["Content-Security-Policy"] = EMBED_CSP
    return response


# The embed is posted from inside another site's frame, where the browser withholds our
# SameSite CSRF cookie; a signup needs no session and a forged one gains an attacker nothing
# they could not do by posting themselves, so the honeypot and the rate limit guard it instead.
@csrf_exempt
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def join_embed(request: HttpRequest) -> HttpResponse:
    """Public: the same form in a minimal layout that any site may frame."""
    return _framable(_handle(request, embed=True))


@require_GET
def join_sent(request: HttpRequest) -> HttpResponse:
    """Public: "check your inbox" (names no person: anyone can type any address)."""
    return render(request, "careers/join_sent.html", _context())


@xframe_options_exempt
@require_GET
def join_embed_sent(request: HttpRequest) -> HttpResponse:
    """Public: "check your inbox" inside the embed."""
    return _framable(render(request, "careers/join_sent_embed.html", _context(embed=True)))


def _dead_link(request: HttpRequest, exc: BadLink) -> HttpResponse:
    status = 410 if exc.expired else 404
    context = _context(message=exc.message, expired=exc.expired)
    return render(request, "careers/join_dead.html", context, status=status)


@require_http_methods(["GET", "POST"])
def join_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the emailed link's page. GET shows a "Confirm" button and changes nothing (mail
    scanners follow links); POST confirms and shows "you're in". A forged or no longer valid
    link is a kind 404, an expired one 410, each with a way to sign up again. After confirming, the link's page says "you're in"."""
    try:
        candidate = community_link_candidate(token)
    except BadLink as exc:
        return _dead_link(request, exc)
    if request.method == "POST":
        try:
            community_confirm(token=token)
        except BadLink as exc:
            return _dead_link(request, exc)
        return _see_other(request.path)  # a reload shows "you're in", never posts again
    context = _context(first_name=candidate.first_name)
    if candidate.community_status == CommunityStatus.CONFIRMED:
        return render(request, "careers/join_done.html", context)
    return render(request, "careers/join_confirm.html", context)
