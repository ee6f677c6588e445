"""The public end of our messages: the open pixel, click redirects, the unsubscribe and "keep me
posted" pages, and the inbound-mail webhook.

Permission: anyone holding a signed token (nurture.tokens), no login. A token names one
message and these views read only that message
(:func:`nurture.selectors.messages.message_for_token`).
A forged, altered or expired token answers 400 and changes nothing. GET never changes anything
(mail scanners follow links); the changes are POSTs. Those POSTs are CSRF-exempt: there is no
session to ride, the secret is the token in the URL, and RFC 8058 one-click unsubscribe posts
without cookies.

The webhook's permission: a caller holding settings.INBOUND_WEBHOOK_TOKEN (404 when unset).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from nurture.mailparse import MAX_RAW_BYTES
from nurture.models import Message
from nurture.selectors.messages import message_for_token
from nurture.services import tracking
from nurture.services.inbound import ingest_raw
from nurture.tokens import (
    BadToken,
    read_click_token,
    read_keep_posted_token,
    read_open_token,
    read_unsubscribe_token,
)

NO_STORE = "no-store, no-cache, must-revalidate, max-age=0"
INBOUND_CONTENT_TYPES = ("message/rfc822", "application/octet-stream")
ONE_CLICK = "One-Click"


def _bad_link(request: HttpRequest, reason: str, *, expired: bool = False) -> HttpResponse:
    response = render(
        request,
        "nurture/public/bad_link.html",
        {"reason": reason, "expired": expired, "company": settings.COMPANY_NAME},
        status=400,
    )
    response["Cache-Control"] = NO_STORE
    return response


def _message_or_bad_link(
    request: HttpRequest, reader: Callable[[str], int], token: str
) -> tuple[Message | None, HttpResponse | None]:
    """(message, None) for a good token, else (None, the 400 page)."""
    try:
        message_id = reader(token)
    except BadToken as exc:
        return None, _bad_link(request, exc.message, expired=exc.expired)
    message = message_for_token(message_id)
    if message is None:
        return None, _bad_link(request, "This link no longer works.")
    return message, None


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    response = render(request, template, {"company": settings.COMPANY_NAME, **context})
    response["Cache-Control"] = NO_STORE
    return response


@require_safe
def open_pixel(request: HttpRequest, token: str) -> HttpResponse:
    """Public. Always the transparent GIF; a valid token's GET records an open."""
    try:
        message_id = read_open_token(token)
    except BadToken:
        message_id = None
    if message_id is not None and request.method == "GET":
        message = message_for_token(message_id)
        if message is not None:
            tracking.message_open(message=message)
    response = HttpResponse(tracking.PIXEL_GIF, content_type="image/gif")
    response["Cache-Control"] = NO_STORE
    return response


@require_safe
def click(request: HttpRequest, token: str) -> HttpResponse:
    """Public. Records the click and redirects (302) to the URL signed into the token, only ever
    an http(s) one; a bad token is a 400 page and no redirect."""
    try:
        message_id, url = read_click_token(token)
    except BadToken as exc:
        return _bad_link(request, exc.message, expired=exc.expired)
    if not tracking.is_redirectable(url):
        return _bad_link(request, "This link does not lead to a web page.")
    message = message_for_token(message_id)
    if message is not None and request.method == "GET":
        tracking.message_click(message=message, url=url)
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = NO_STORE
    return response


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Public. GET asks (changes nothing); POST unsubscribes from the message's topic, or from
    everything when the form says ``scope=all``. RFC 8058 one-click: a POST with
    ``List-Unsubscribe=One-Click``. Idempotent."""
    message, bad = _message_or_bad_link(request, read_unsubscribe_token, token)
    if bad:
        return bad
    topic = tracking.topic_of(message)
    context = {"topic": topic, "topic_label": tracking.topic_label(topic), "result": None}
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == ONE_CLICK
        context["result"] = tracking.message_unsubscribe(
            message=message,
            everything=request.POST.get("scope") == "all",
            source="one-click" if one_click else "unsubscribe page",
        )
    return _page(request, "nurture/public/unsubscribe.html", context)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def keep_posted(request: HttpRequest, token: str) -> HttpResponse:
    """Public. GET shows one button (changes nothing); POST tags the person re-engaged, once."""
    message, bad = _message_or_bad_link(request, read_keep_posted_token, token)
    if bad:
        return bad
    done = False
    if request.method == "POST":
        tracking.message_keep_posted(message=message)
        done = True
    return _page(request, "nurture/public/keep_posted.html", {"done": done})


# --------------------------------------------------------------------------- webhook


def _webhook_authorized(request: HttpRequest, expected: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def _error(status: int, text: str) -> JsonResponse:
    return JsonResponse({"error": text}, status=status)


@csrf_exempt
def inbound(request: HttpRequest) -> HttpResponse:
    """The inbound-mail webhook. Permission: ``Authorization: Bearer
    <INBOUND_WEBHOOK_TOKEN>`` (404 while the setting is empty, 403 for a wrong token). The body
    is one raw RFC 5322 mail, at most 10 MB; answers 202 with what it was and whether it matched."""
    expected = settings.INBOUND_WEBHOOK_TOKEN
    if not expected:
        return _error(404, "not found")
    if not _webhook_authorized(request, expected):
        return _error(403, "a valid bearer token is required")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_RAW_BYTES:
        return _error(413, "the mail is larger than 10 MB")
    raw = request.read(MAX_RAW_BYTES + 1)
    if len(raw) > MAX_RAW_BYTES:
        return _error(413, "the mail is larger than 10 MB")
    if not raw.strip():
        return _error(400, "the body is empty")
    if request.content_type not in INBOUND_CONTENT_TYPES:
        return _error(415, "send the raw mail as message/rfc822 or application/octet-stream")
    mail = ingest_raw(raw=raw, source="webhook")
    return JsonResponse(
        {"kind": mail.kind, "matched": mail.message_id is not None, "id": mail.pk}, status=202
    )
