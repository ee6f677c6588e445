"""Type aliases for signatures across crm's layers."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

# Whoever asks (``request.user``): selectors restrict what they return to what this user may see.
AnyUser = AbstractBaseUser | AnonymousUser
# Whoever acts, for the timeline and audit columns: a user, or None for the system.
Actor = AbstractBaseUser | AnonymousUser | None
