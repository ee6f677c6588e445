"""htmx helpers: one template per page with named partials (django-template-partials).

:func:`is_htmx` is the one way the code asks whether htmx made a request (django-htmx's
middleware sets ``request.htmx``; a request built without the middleware counts as plain).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_htmx(request: HttpRequest) -> bool:
    """True when htmx made this request (``HX-Request: true``)."""
    return bool(getattr(request, "htmx", False))


def is_partial_request(request: HttpRequest) -> bool:
    """True when htmx wants a fragment: an htmx request that is not a history restore (a
    history restore needs the whole page)."""
    details = getattr(request, "htmx", None)
    if not details:
        return False
    return not details.history_restore_request


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
    name = template
    if partial and is_partial_request(request):
        name = f"{template}#{partial}"
    response = render(request, name, context or {}, status=status)
    response.headers["Vary"] = "HX-Request"
    return response
