"""Type aliases for signatures across crm's layers."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import AnonymousUser

from config.core.models import User

# Whoever asks (``request.user``): selectors restrict what they return to what this user may see.
AnyUser = User | AnonymousUser
# Whoever acts, for the timeline and audit columns: a user, or None for the system.
Actor = User | AnonymousUser | None


def actor_user(actor: Actor) -> User | None:
    """The user to record in an audit column: ``actor`` when signed in, else None (the system,
    or an anonymous visitor)."""
    return cast(User, actor) if getattr(actor, "is_authenticated", False) else None
