"""Calendar feeds: each user's private, revocable ICS feed URL (made and revoked on a settings
page) and the feed itself (no login: the token in the URL is the secret)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from config.core.htmx import render_page
from config.core.roles import Role, role_required

from .. import ics
from ..selectors.calendar_feeds import calendar_feed_get, calendar_feed_interviews, calendar_feed_of
from ..services import calendar_feeds


@role_required(*Role.ALL)
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """Anyone with a role: the URL of their interview feed to subscribe to in Google Calendar,
    Outlook or Apple Calendar; POST ``action=create`` makes a new one (revoking the old URL),
    ``action=revoke`` revokes it."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            calendar_feeds.calendar_feed_create(user=request.user)
            messages.success(request, "New feed URL made; any earlier URL no longer works.")
        elif action == "revoke":
            if calendar_feeds.calendar_feed_revoke(user=request.user):
                messages.success(request, "Feed revoked: its URL no longer works.")
        else:
            messages.error(request, "Unknown action.")
        return redirect("ats:calendar-settings")
    feed = calendar_feed_of(request.user)
    # The public address (SITE_URL), not the one this request came in by: calendar servers
    # fetch it from outside.
    url = settings.SITE_URL + reverse("ats:calendar-feed", args=[feed.token]) if feed else ""
    webcal = "webcal://" + url.split("://", 1)[1] if url else ""
    context = {"feed": feed, "feed_url": url, "webcal_url": webcal}
    return render_page(request, "ats/calendar_settings.html", context)


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The ICS feed (METHOD:PUBLISH) of the token's owner: their interviews from 30 days ago
    onward, cancelled ones as STATUS:CANCELLED. Unknown or revoked tokens: 404."""
    feed = calendar_feed_get(token)
    if feed is None:
        raise Http404
    name = f"Interviews ({feed.user.get_full_name() or feed.user.get_username()})"
    body = ics.feed_calendar(calendar_feed_interviews(feed), name=name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="interviews.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
