"""Signed tokens in the links of our messages: open pixel, click redirects, unsubscribe, keep me
posted. Signed with the SECRET_KEY (django.core.signing), so a forged or altered token is
refused; an expired one (past ``max_age``) is refused and says so. A click token carries the
link's own URL, so the redirect can only ever go where the message pointed."""

from __future__ import annotations

from django.conf import settings

from config.core.links import BadLink, read_link, sign_link

UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 400  # a little over a year: old mails still work
LINK_MAX_AGE = 60 * 60 * 24 * 400


# One signing helper for every app; nurture's links raise its historical name for the error.
BadToken = BadLink


_sign = sign_link
_read = read_link


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
