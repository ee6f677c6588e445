"""The people a form or API field may name: hiring managers, recruiters, panel members and
referrers (active users only)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db.models import Q, QuerySet


def users_in_role(role: str) -> QuerySet[AbstractUser]:
    """Active members of the ``role`` group, by name (the job form's pickers)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(groups__name=role)
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


def users_holding(*roles: str) -> QuerySet[AbstractUser]:
    """Active users holding one of ``roles`` (superusers hold every role: the API's checks)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__name__in=roles) | Q(is_superuser=True))
        .distinct()
    )


def active_users() -> QuerySet[AbstractUser]:
    """Every active user (who may have referred a candidate)."""
    return get_user_model().objects.filter(is_active=True)


def referrer_choices() -> QuerySet[AbstractUser]:
    """Active users by name, for the "referred by" picker."""
    return active_users().order_by("first_name", "username")
