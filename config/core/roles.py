"""Roles and the permission helpers every view and selector uses.

A role is a Django group created by a data migration. Superusers are administrators and hold
every role. Views state their permission with :func:`role_required`; selectors ask
:func:`has_role` / :func:`roles_of` to restrict what a user may see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from rest_framework.permissions import BasePermission


class Role:
    RECRUITER = "Recruiter"
    HIRING_MANAGER = "Hiring manager"
    INTERVIEWER = "Interviewer"

    ALL = (RECRUITER, HIRING_MANAGER, INTERVIEWER)


ADMIN = "Admin"
_CACHE_ATTR = "_talentloop_roles"


def roles_of(user) -> frozenset[str]:
    """The roles a user holds (cached on the user object for the request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset((*Role.ALL, ADMIN))
        else:
            names = user.groups.filter(name__in=Role.ALL).values_list("name", flat=True)
            cached = frozenset(names)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def has_role(user, *roles: str) -> bool:
    """True when the user holds any of ``roles`` (administrators hold them all)."""
    held = roles_of(user)
    return bool(held & set(roles))


def role_labels(user) -> list[str]:
    held = roles_of(user)
    if ADMIN in held:
        return [ADMIN]
    return [role for role in Role.ALL if role in held]


def role_required(
    *roles: str,
    hide: bool = False,
    load: Callable | None = None,
    on_missing: Callable | None = None,
) -> Callable:
    """The one access decorator for function views.

    Anonymous users go to the login page; users without one of ``roles`` get 403, or 404 with
    ``hide=True`` where even the page's existence is private.

    With ``load(user, pk) -> object | None`` (a selector that restricts to what the user may
    see), the URL's ``pk`` is resolved first and the view receives the object in its place;
    an object the user may not see answers 404, the same answer as one that does not exist.
    ``on_missing(request, pk) -> HttpResponse | None`` may answer instead of that 404 (a
    merged-away candidate redirects to the record it now lives in)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                if hide:
                    raise Http404
                raise PermissionDenied
            if load is None:
                return view(request, *args, **kwargs)
            pk = kwargs.pop("pk")
            obj = load(request.user, pk)
            if obj is None:
                answer = on_missing(request, pk) if on_missing else None
                if answer is None:
                    raise Http404
                return answer
            return view(request, obj, *args, **kwargs)

        wrapped.required_roles = roles  # type: ignore[attr-defined]
        return wrapped

    return decorator


def assign_roles(user, roles: Iterable[str]) -> None:
    """Replace the user's role groups with ``roles`` (other groups are kept)."""
    # Auth's models need the app registry; this module is imported while apps load.
    from django.contrib.auth.models import Group  # noqa: PLC0415 - see above

    unknown = set(roles) - set(Role.ALL)
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(sorted(unknown))}")
    # The data migration creates the groups; get_or_create keeps this working after a flush.
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in Role.ALL}
    user.groups.remove(*groups.values())
    user.groups.add(*(groups[name] for name in roles))
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def ensure_role(user, *roles: str) -> None:
    """For services and selectors: raise PermissionDenied unless the user holds one of ``roles``."""
    if not has_role(user, *roles):
        raise PermissionDenied


def api_role_permission(*roles: str):
    """A DRF permission class admitting authenticated users holding one of ``roles``:
    ``permission_classes = [api_role_permission(Role.RECRUITER)]``."""

    class HasRole(BasePermission):
        message = f"This needs one of these roles: {', '.join(roles)}."

        def has_permission(self, request, view) -> bool:
            return has_role(request.user, *roles)

    HasRole.__name__ = f"HasRole[{','.join(roles)}]"
    return HasRole
