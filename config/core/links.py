"""Signed links for people who do not log in (candidates picking an interview slot, reading an
offer, following a link in our mail): the payload is signed with the SECRET_KEY
(django.core.signing) under a salt per purpose, so a forged, altered or cut-short token is
refused, and one past ``max_age`` is refused and says so. Put a nonce stored on the row in the
payload to make a link revocable (a new nonce kills every old link)."""

from __future__ import annotations

import secrets
from typing import Any

from django.core import signing


class BadLink(Exception):
    """A token that cannot be used; ``message`` is fit to show the person who followed it."""

    def __init__(self, message: str, *, expired: bool = False):
        self.message = message
        self.expired = expired
        super().__init__(message)


def new_nonce() -> str:
    return secrets.token_hex(16)


def sign_link(salt: str, payload: Any) -> str:
    return signing.dumps(payload, salt=salt, compress=True)


def read_link(salt: str, token: str, max_age: int | None) -> Any:
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise BadLink("This link has expired.", expired=True) from None
    except signing.BadSignature:
        raise BadLink("This link is not valid (it may have been changed or cut short).") from None
