"""htmx helpers: one template per page with named partials (django-template-partials).

:func:`is_htmx` is the one way the code asks whether htmx made a request (django-htmx's
middleware sets ``request.htmx``; a request built without the middleware counts as plain).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme


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


def safe_next(request: HttpRequest, default: str) -> str:
    """The form's ``next`` (the page a bulk bar or a button was on) when it is a path on this
    site, else ``default``: never an open redirect."""
    target = (request.POST.get("next") or request.GET.get("next") or "")[:2000]
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return default


def redirect_back(request: HttpRequest, default: str) -> HttpResponse:
    """Redirect to :func:`safe_next`."""
    return redirect(safe_next(request, default))
