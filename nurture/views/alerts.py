"""Alerts of the user's sequences (a send failed, a worker stopped mid-send)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from config.core.forms import parse_id
from config.core.htmx import render_page
from config.core.roles import Role, role_required
from nurture.selectors.tasks_alerts import alerts_of, alerts_unseen_count
from nurture.services.tasks_alerts import alerts_mark_seen

PAGE_SIZE = 50


@role_required(Role.RECRUITER)
@require_http_methods(["GET", "POST"])
def alert_list(request: HttpRequest) -> HttpResponse:
    """Alerts of the user's sequences (and the shared ones); POST marks one (``alert``) or all
    of them seen."""
    alerts = alerts_of(request.user)
    if request.method == "POST":
        count = alerts_mark_seen(alerts=alerts, alert_id=parse_id(request.POST.get("alert")))
        messages.success(request, f"Marked {count} alert{'s' if count != 1 else ''} seen.")
        return redirect("nurture:alerts")
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    unseen = alerts_unseen_count(alerts)
    return render_page(request, "nurture/alert_list.html", {"page": page, "unseen": unseen})
