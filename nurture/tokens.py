"""Signed tokens in the links of our messages: open pixel, click redirects, unsubscribe, keep me
posted. Signed with the SECRET_KEY (django.core.signing), so a forged or altered token is
refused; an expired one (past ``max_age``) is refused and says so. A click token carries the
link's own URL, so the redirect can only ever go where the message pointed."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 400  # a little over a year: old mails still work
LINK_MAX_AGE = 60 * 60 * 24 * 400


class BadToken(Exception):
    def __init__(self, message: str, *, expired: bool = False):
        self.message = message
        self.expired = expired
        super().__init__(message)


def _sign(salt: str, payload) -> str:
    return signing.dumps(payload, salt=salt, compress=True)


def _read(salt: str, token: str, max_age: int | None):
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise BadToken("This link has expired.", expired=True) from None
    except signing.BadSignature:
        raise BadToken("This link is not valid (it may have been changed or cut short).") from None


def open_token(message_id: int) -> str:
    return _sign("nurture.open", message_id)


def read_open_token(token: str) -> int:
    return int(_read("nurture.open", token, None))


def click_token(message_id: int, url: str) -> str:
    return _sign("nurture.click", [message_id, url])


def read_click_token(token: str) -> tuple[int, str]:
    message_id, url = _read("nurture.click", token, LINK_MAX_AGE)
    return int(message_id), str(url)


def unsubscribe_token(message_id: int) -> str:
    return _sign("nurture.unsubscribe", message_id)


def read_unsubscribe_token(token: str) -> int:
    return int(_read("nurture.unsubscribe", token, UNSUBSCRIBE_MAX_AGE))


def keep_posted_token(message_id: int) -> str:
    return _sign("nurture.keep", message_id)


def read_keep_posted_token(token: str) -> int:
    return int(_read("nurture.keep", token, LINK_MAX_AGE))


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"
