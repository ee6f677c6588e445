"""Reading inbound mail: pure functions over a parsed mail (no database), used by
:mod:`nurture.services.inbound`. Headers read defensively (a broken header reads as empty),
our reply+<token> and unsubscribe+<token> addresses, the new part of a reply, the plain-text
body, delivery status notifications (DSNs), automatic-reply detection and the dedupe key."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from email.parser import HeaderParser
from email.utils import getaddresses, parseaddr

from django.conf import settings
from django.utils.html import strip_tags

logger = logging.getLogger(__name__)

MAX_RAW_BYTES = 10 * 1024 * 1024
MAX_TEXT_CHARS = 100_000
KEY_CHARS = 32

_TOKEN_ADDRESS = re.compile(r"^(reply|unsubscribe)\+([A-Za-z0-9_-]{1,64})@(.+)$", re.IGNORECASE)
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To")
# Where our reply+token address shows in the headers of a message we sent (copied into a DSN).
ORIGINAL_ADDRESS_HEADERS = ("To", "From", "Reply-To", "Return-Path", "Sender")


# --------------------------------------------------------------------------- header reading


def header(mail: Message, name: str) -> str:
    """A header as text; a malformed header reads as empty rather than failing the ingest."""
    try:
        value = mail.get(name)
    except Exception:  # the email package raises assorted errors on broken headers
        return ""
    return str(value).strip() if value is not None else ""


def _header_all(mail: Message, name: str) -> list[str]:
    try:
        return [str(v) for v in mail.get_all(name) or []]
    except Exception:
        return []


def addresses(mail: Message, names: Iterable[str]) -> list[str]:
    """Every address in the headers ``names``, lower-cased."""
    values = [value for name in names for value in _header_all(mail, name)]
    return [address.strip().lower() for _, address in getaddresses(values) if address]


def token_in(addresses: list[str], kind: str) -> str | None:
    """The token of our ``kind`` address (reply, unsubscribe) among ``addresses``, if any."""
    domain = settings.REPLY_DOMAIN.lower()
    for address in addresses:
        match = _TOKEN_ADDRESS.match(address)
        if match and match.group(1).lower() == kind and match.group(3).lower() == domain:
            return match.group(2)
    return None


def message_ids(*values: str) -> list[str]:
    """The Message-IDs (``<...>``) in header values such as In-Reply-To and References."""
    return [i for value in values for i in _MESSAGE_ID.findall(value or "")]


# --------------------------------------------------------------------------- text


QUOTE_HEADERS = (
    re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.IGNORECASE),
    re.compile(r"^\s*_{10,}\s*$"),  # Outlook's rule above its From:/Sent: block
)
_ON_WROTE = re.compile(r"^\s*On\b.*\bwrote:\s*$", re.IGNORECASE)
_HEADER_BLOCK = re.compile(r"^\s*\*?From:\*?\s", re.IGNORECASE)
_HEADER_NEXT = re.compile(r"^\s*\*?(Sent|Date|To):\*?\s", re.IGNORECASE)


def _quote_starts(lines: list[str], i: int) -> bool:
    line = lines[i]
    if any(pattern.match(line) for pattern in QUOTE_HEADERS):
        return True
    if line.lstrip().lower().startswith("on "):
        # "On <date>, <name> wrote:", which Gmail may wrap onto a second line
        joined = line if i + 1 >= len(lines) else f"{line} {lines[i + 1]}"
        matched = _ON_WROTE.match(line) or _ON_WROTE.match(joined)
        return bool(matched and re.search(r"\d", joined))  # the attribution carries a date
    if _HEADER_BLOCK.match(line):  # Outlook: "From: ...", then "Sent: ..." / "Date: ..."
        return any(_HEADER_NEXT.match(next_line) for next_line in lines[i + 1 : i + 3])
    return False


def strip_quoted(text: str) -> str:
    """The new part of a reply: drop lines quoted with ">" and everything from the quoted
    message's header ("On ... wrote:", "-----Original Message-----", "From: ... Sent: ...")
    on."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = []
    for i, line in enumerate(lines):
        if _quote_starts(lines, i):
            break
        if not line.lstrip().startswith(">"):
            kept.append(line.rstrip())
    return "\n".join(kept).strip()


def body_text(mail: EmailMessage) -> str:
    """The plain-text body (the HTML one with its tags removed when there is no plain one)."""
    try:
        part = mail.get_body(preferencelist=("plain", "html"))
        if part is None:
            return ""
        content = part.get_content()
    except Exception:  # unknown charset, broken encoding: keep the mail, lose the text
        return ""
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        content = strip_tags(re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n", content))
    return content[:MAX_TEXT_CHARS]


# --------------------------------------------------------------------------- bounces


@dataclass
class Dsn:
    status: str = ""
    action: str = ""
    recipient: str = ""
    diagnostic: str = ""
    original: Message | None = None

    @property
    def hard(self) -> bool:
        return self.status.startswith("5") or (not self.status and self.action == "failed")

    @property
    def soft(self) -> bool:
        return self.status.startswith("4") or self.action == "delayed"


def is_dsn(mail: EmailMessage) -> bool:
    return (
        mail.get_content_type() == "multipart/report"
        and str(mail.get_param("report-type", "")).lower() == "delivery-status"
    )


def _field_value(value: str) -> str:
    """A DSN field without its type ("smtp; 550 ..." -> "550 ..."), unfolded."""
    return " ".join(value.split(";", 1)[-1].split())


def parse_dsn(mail: EmailMessage) -> Dsn:
    """The first failed recipient of a DSN (else its first recipient) and the original
    message's headers."""
    dsn = Dsn()
    recipients = []
    for part in mail.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            blocks = part.get_payload()
            if isinstance(blocks, list):  # per-message fields, then one block per recipient
                recipients += [b for b in blocks if header(b, "Final-Recipient")]
        elif kind in ("text/rfc822-headers", "message/rfc822-headers") and dsn.original is None:
            try:
                dsn.original = HeaderParser(policy=policy.default).parsestr(part.get_content())
            except Exception:
                logger.warning("unreadable original headers in a DSN", exc_info=True)
        elif kind == "message/rfc822" and dsn.original is None:
            payload = part.get_payload()
            dsn.original = payload[0] if isinstance(payload, list) and payload else None
    failed = [b for b in recipients if header(b, "Action").lower() == "failed"]
    block = (failed or recipients or [None])[0]
    if block is not None:
        dsn.status = header(block, "Status").split(" ")[0]
        dsn.action = header(block, "Action").lower()
        dsn.recipient = parseaddr(_field_value(header(block, "Final-Recipient")))[1].lower()
        dsn.diagnostic = _field_value(header(block, "Diagnostic-Code"))[:250]
    return dsn


def auto_submitted(mail: EmailMessage) -> str:
    """Why the mail is an automatic reply ("" when it is not)."""
    auto = header(mail, "Auto-Submitted").lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    for name in ("X-Autoreply", "X-Autorespond"):
        if header(mail, name):
            return name
    if header(mail, "Precedence").lower() == "auto_reply":
        return "Precedence: auto_reply"
    return ""


def dedupe_key(mail: EmailMessage, raw: bytes) -> str:
    """The same mail gives the same key: its Message-ID, or its bytes when it has none."""
    message_id = header(mail, "Message-ID")
    basis = f"mid:{message_id}".encode() if message_id else b"raw:" + raw
    return hashlib.sha256(basis).hexdigest()[:KEY_CHARS]


def note_reason(note: str) -> str:
    """An InboundMail note without its leading dedupe key, for showing to a person."""
    key, _, reason = note.partition(" ")
    return reason if len(key) == KEY_CHARS + 2 and key.startswith("[") else note
