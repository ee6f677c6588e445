"""Reads of inbound mail: what a person must look at, and what was already ingested."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from config.core.roles import Role, has_role
from nurture.models import InboundMail


def unmatched_inbound(user: Any) -> QuerySet[InboundMail]:
    """Replies and bounces that matched none of our messages (recruiters only)."""
    if not has_role(user, Role.RECRUITER):
        return InboundMail.objects.none()
    return InboundMail.objects.filter(message__isnull=True).defer("raw").order_by("-received_at")


def inbound_by_key(key: str) -> InboundMail | None:
    """The mail already ingested under dedupe ``key`` (the first word of its note), if any."""
    return InboundMail.objects.filter(note__startswith=f"[{key}] ").order_by("id").first()
