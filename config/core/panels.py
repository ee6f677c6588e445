"""Panels a higher app adds to a lower app's page without the lower app importing it.

The candidate profile (crm) shows the person's applications (ats) and, later, enrollments
(nurture): each app registers a provider in its ``AppConfig.ready``; crm's profile view asks
:func:`profile_panels` and includes each panel's template with its context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)


_PROFILE_PROVIDERS: list[Callable] = []


def register_profile_panel(provider: Callable) -> Callable:
    """``provider(request, candidate) -> Panel | None``; registering twice is a no-op."""
    if provider not in _PROFILE_PROVIDERS:
        _PROFILE_PROVIDERS.append(provider)
    return provider


def profile_panels(request, candidate) -> list[Panel]:
    panels = (provider(request, candidate) for provider in _PROFILE_PROVIDERS)
    return [panel for panel in panels if panel is not None]


_LIMITED_PROVIDERS: list[Callable] = []


def register_limited_profile_panel(provider: Callable) -> Callable:
    """A panel of the limited profile that interviewer-only users get (name, title, resume and
    what the higher apps add here: ats the jobs they interview for, with the kit links).
    ``provider(request, candidate) -> Panel | None``; registering twice is a no-op."""
    if provider not in _LIMITED_PROVIDERS:
        _LIMITED_PROVIDERS.append(provider)
    return provider


def limited_profile_panels(request, candidate) -> list[Panel]:
    panels = (provider(request, candidate) for provider in _LIMITED_PROVIDERS)
    return [panel for panel in panels if panel is not None]


@dataclass(frozen=True)
class BulkAction:
    """A button in the candidate search's bulk bar that posts the ticked ids to ``url_name``."""

    label: str
    url_name: str
    roles: tuple[str, ...]


_BULK_ACTIONS: list[BulkAction] = []


def register_candidate_bulk_action(action: BulkAction) -> BulkAction:
    if action not in _BULK_ACTIONS:
        _BULK_ACTIONS.append(action)
    return action


def candidate_bulk_actions(user) -> list[tuple[str, str]]:
    """(label, url) of the bulk actions the user may use."""
    # roles imports auth's views (and so its models); apps import this module before the
    # app registry is ready, so roles loads on first use.
    from .roles import has_role  # noqa: PLC0415 - see above

    return [
        (action.label, reverse(action.url_name))
        for action in _BULK_ACTIONS
        if has_role(user, *action.roles)
    ]
