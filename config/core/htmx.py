"""htmx helpers: one template per page with named partials (django-template-partials)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(
    request: HttpRequest,
    template: str,
    context: dict | None = None,
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render ``template``; for an htmx request (not a history restore) render only its
    ``partial`` (``template#partial``), so the page and its fragments share one template."""
    htmx = getattr(request, "htmx", None)
    name = template
    if partial and htmx and not htmx.history_restore_request:
        name = f"{template}#{partial}"
    response = render(request, name, context or {}, status=status)
    response.headers["Vary"] = "HX-Request"
    return response
