"""The main navigation: each entry names the roles that may use it."""

from dataclasses import dataclass

from django.urls import reverse

from .roles import Role, has_role


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: tuple[str, ...]


NAVIGATION = (
    NavEntry("Candidates", "crm:candidates", (Role.RECRUITER, Role.HIRING_MANAGER)),
    NavEntry("Jobs", "ats:jobs", (Role.RECRUITER, Role.HIRING_MANAGER)),
    NavEntry("Review", "ats:review", (Role.HIRING_MANAGER,)),
    NavEntry("Interviews", "ats:interviews", Role.ALL),
    NavEntry("Offers", "ats:offers", (Role.RECRUITER, Role.HIRING_MANAGER)),
    NavEntry("Pools", "crm:pools", (Role.RECRUITER,)),
    NavEntry("Sequences", "nurture:sequences", (Role.RECRUITER,)),
    NavEntry("Tasks", "nurture:tasks", (Role.RECRUITER,)),
    NavEntry("Analytics", "analytics:dashboard", (Role.RECRUITER, Role.HIRING_MANAGER)),
)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def nav_items_for(user, current_path: str) -> list[NavItem]:
    items = []
    for entry in NAVIGATION:
        if not has_role(user, *entry.roles):
            continue
        url = reverse(entry.url_name)
        items.append(NavItem(entry.label, url, current_path.startswith(url)))
    return items
