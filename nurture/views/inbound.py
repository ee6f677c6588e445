"""Inbound mail that matched none of our messages, for a person to look at."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from config.core.htmx import render_page
from config.core.roles import Role, role_required
from nurture.selectors.inbound import unmatched_inbound

PAGE_SIZE = 50


@role_required(Role.RECRUITER)
@require_GET
def inbound_list(request: HttpRequest) -> HttpResponse:
    """Replies and bounces that matched none of our messages: a person looks at them here."""
    page = Paginator(unmatched_inbound(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "nurture/inbound_list.html", {"page": page})
