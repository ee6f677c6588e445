"""Reads of sent messages: a person's recent ones, and the one a signed token, a reply address
or a Message-ID names (the public views and inbound mail)."""

from __future__ import annotations

from collections.abc import Iterable

from crm.models import Candidate
from nurture.models import Message


def candidate_messages(candidate: Candidate, limit: int = 20) -> list[Message]:
    """The person's last ``limit`` messages (the profile panel), without their bodies."""
    return list(
        Message.objects.filter(candidate=candidate)
        .select_related("step__sequence")
        .defer("body_text", "body_html")
        .order_by("-queued_at", "-id")[:limit]
    )


def message_for_token(message_id: int) -> Message | None:
    """The message a verified signed token names (None when it is gone): the only read the
    public views make with a token."""
    return (
        Message.objects.select_related("enrollment__sequence", "candidate")
        .filter(pk=message_id)
        .first()
    )


def message_by_token(token: str | None) -> Message | None:
    """The message whose reply+<token> address a mail was sent to."""
    if not token:
        return None
    return Message.objects.filter(token=token).first()


def message_by_message_ids(ids: Iterable[str]) -> Message | None:
    """The most recently sent of our messages with one of these Message-IDs."""
    ids = list(ids)
    if not ids:
        return None
    return Message.objects.filter(message_id__in=ids).order_by("-sent_at", "-id").first()


def message_last_sent_to(address: str) -> Message | None:
    """The last message sent to ``address`` (any case)."""
    return (
        Message.objects.filter(to_address__iexact=address, status=Message.Status.SENT)
        .order_by("-sent_at", "-id")
        .first()
    )
