"""One nurture email, done right: multipart text + HTML, a unique Message-ID, a per-message
reply address (reply+<token>@REPLY_DOMAIN) so replies are matched, RFC 8058 one-click
unsubscribe headers, an open pixel and click-tracked links that only ever lead to the
link's own URL."""

from __future__ import annotations

import html
import re
from email.utils import formataddr, make_msgid, parseaddr
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from .tokens import absolute, click_token, keep_posted_token, open_token, unsubscribe_token

_URL = re.compile(r"https?://[^\s<>\"')\]]+")


_SLOT = "__token__"


@lru_cache(maxsize=8)
def _pattern(name: str) -> str:
    """The absolute URL of a public endpoint with a slot for the token (reverse once)."""
    return absolute(reverse(f"nurture_public:{name}", args=[_SLOT]))


def _url(name: str, token: str) -> str:
    return _pattern(name).replace(_SLOT, token)


def unsubscribe_url(message_id: int) -> str:
    return _url("unsubscribe", unsubscribe_token(message_id))


def keep_posted_url(message_id: int) -> str:
    return _url("keep-posted", keep_posted_token(message_id))


def reply_address(token: str) -> str:
    return f"reply+{token}@{settings.REPLY_DOMAIN}"


def unsubscribe_mailto(token: str) -> str:
    return f"mailto:unsubscribe+{token}@{settings.REPLY_DOMAIN}?subject=unsubscribe"


def _tracked(message_id: int, url: str) -> str:
    return _url("click", click_token(message_id, url))


def text_body(body: str, message_id: int) -> str:
    return f"{body.rstrip()}\n\n--\nUnsubscribe: {unsubscribe_url(message_id)}\n"


def html_body(body: str, message_id: int) -> str:
    """Paragraphs of the escaped text, every URL a tracked link, an unsubscribe footer and the
    open pixel."""

    def link(match: re.Match) -> str:
        url = html.unescape(match.group(0))
        return f'<a href="{html.escape(_tracked(message_id, url))}">{match.group(0)}</a>'

    paragraphs = [p for p in re.split(r"\n\s*\n", body.strip()) if p.strip()]
    rendered = "".join(
        "<p>" + _URL.sub(link, html.escape(p, quote=False)).replace("\n", "<br>\n") + "</p>\n"
        for p in paragraphs
    )
    pixel = _url("open", open_token(message_id))
    footer = (
        '<p style="color:#666;font-size:12px">'
        f'<a href="{html.escape(unsubscribe_url(message_id))}">Unsubscribe</a></p>'
    )
    return (
        "<!doctype html><html><body>\n"
        f"{rendered}{footer}\n"
        f'<img src="{html.escape(pixel)}" width="1" height="1" alt="">\n</body></html>\n'
    )


def sender(sequence) -> str:
    default_name, default_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    name = sequence.from_name or default_name or settings.COMPANY_NAME
    return formataddr((name, sequence.from_email or default_address))


def new_message_id() -> str:
    return make_msgid(domain=settings.REPLY_DOMAIN)


def build(message, sequence) -> EmailMultiAlternatives:
    """The EmailMessage for a stored, rendered Message row."""
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=sender(sequence),
        to=[message.to_address],
        reply_to=[reply_address(message.token)],
        headers={
            "Message-ID": message.message_id,
            "List-Unsubscribe": (
                f"<{unsubscribe_url(message.pk)}>, <{unsubscribe_mailto(message.token)}>"
            ),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-Talentloop-Message": str(message.pk),
        },
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    return email
