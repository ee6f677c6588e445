"""Mail that comes back: replies, bounces (DSNs), automatic replies and unsubscribe requests.

One entry point, :func:`ingest_raw`, for every source (the webhook, IMAP, a Maildir). Every mail
is kept as an :class:`InboundMail` row, matched to the message it answers when it can be:

- a DSN (multipart/report; report-type=delivery-status) is a bounce: 5.x.x is hard (the address
  is marked invalid and the person's sequences stop), 4.x.x is soft (noted, nothing stops);
- a mail to unsubscribe+<token>@REPLY_DOMAIN (our List-Unsubscribe mailto) unsubscribes;
- an automatic reply (Auto-Submitted, X-Autoreply, Precedence: auto_reply) is kept, no action;
- anything else is a reply, matched by reply+<token>@REPLY_DOMAIN among its recipients or by
  our Message-ID in In-Reply-To/References; a matched reply stops the enrollment.

Re-ingesting the same mail (same Message-ID; without one, the same bytes) returns the stored
row and applies nothing twice: its key is the first word of ``InboundMail.note``.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.parser import HeaderParser
from email.utils import getaddresses, parseaddr

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import strip_tags

from crm.models import Candidate, TimelineEntry
from crm.services import timeline_add

from . import tracking
from .models import Enrollment, InboundMail, Message, MessageEvent
from .services import enrollment_stop, stop_all_for

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


def _header(mail, name: str) -> str:
    """A header as text; a malformed header reads as empty rather than failing the ingest."""
    try:
        value = mail.get(name)
    except Exception:  # the email package raises assorted errors on broken headers
        return ""
    return str(value).strip() if value is not None else ""


def _header_all(mail, name: str) -> list[str]:
    try:
        return [str(v) for v in mail.get_all(name) or []]
    except Exception:
        return []


def _addresses(mail, names) -> list[str]:
    values = [value for name in names for value in _header_all(mail, name)]
    return [address.strip().lower() for _, address in getaddresses(values) if address]


def _token_in(addresses: list[str], kind: str) -> str | None:
    domain = settings.REPLY_DOMAIN.lower()
    for address in addresses:
        match = _TOKEN_ADDRESS.match(address)
        if match and match.group(1).lower() == kind and match.group(3).lower() == domain:
            return match.group(2)
    return None


def _message_by_token(token: str | None) -> Message | None:
    if not token:
        return None
    return Message.objects.filter(token=token).first()


def _message_by_ids(*values: str) -> Message | None:
    ids = [i for value in values for i in _MESSAGE_ID.findall(value or "")]
    if not ids:
        return None
    return Message.objects.filter(message_id__in=ids).order_by("-sent_at", "-id").first()


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
    original: EmailMessage | None = None

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
                recipients += [b for b in blocks if _header(b, "Final-Recipient")]
        elif kind in ("text/rfc822-headers", "message/rfc822-headers") and dsn.original is None:
            try:
                dsn.original = HeaderParser(policy=policy.default).parsestr(part.get_content())
            except Exception:
                logger.warning("unreadable original headers in a DSN", exc_info=True)
        elif kind == "message/rfc822" and dsn.original is None:
            payload = part.get_payload()
            dsn.original = payload[0] if isinstance(payload, list) and payload else None
    failed = [b for b in recipients if _header(b, "Action").lower() == "failed"]
    block = (failed or recipients or [None])[0]
    if block is not None:
        dsn.status = _header(block, "Status").split(" ")[0]
        dsn.action = _header(block, "Action").lower()
        dsn.recipient = parseaddr(_field_value(_header(block, "Final-Recipient")))[1].lower()
        dsn.diagnostic = _field_value(_header(block, "Diagnostic-Code"))[:250]
    return dsn


def _bounced_message(mail: EmailMessage, dsn: Dsn) -> tuple[Message | None, str]:
    """Ours by the original Message-ID, by a reply+token in the original's headers or the
    DSN's own recipients, else the last message sent to the failed address."""
    original = dsn.original
    if original is not None:
        found = _message_by_ids(_header(original, "Message-ID"))
        if found:
            return found, "original Message-ID"
        token = _token_in(_addresses(original, ORIGINAL_ADDRESS_HEADERS), "reply")
        if found := _message_by_token(token):
            return found, "reply address in the original"
    if found := _message_by_token(_token_in(_addresses(mail, RECIPIENT_HEADERS), "reply")):
        return found, "reply address"
    if dsn.recipient:
        found = (
            Message.objects.filter(to_address__iexact=dsn.recipient, status=Message.Status.SENT)
            .order_by("-sent_at", "-id")
            .first()
        )
        if found:
            return found, "last message sent to the failed address"
    return None, ""


# --------------------------------------------------------------------------- classifying


@dataclass
class Outcome:
    kind: str
    message: Message | None = None
    effect: str = ""  # reply, hard_bounce, soft_bounce, unsubscribe, or "" (none)
    note: str = ""
    dsn: Dsn | None = None


def auto_submitted(mail: EmailMessage) -> str:
    """Why the mail is an automatic reply ("" when it is not)."""
    auto = _header(mail, "Auto-Submitted").lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    for name in ("X-Autoreply", "X-Autorespond"):
        if _header(mail, name):
            return name
    if _header(mail, "Precedence").lower() == "auto_reply":
        return "Precedence: auto_reply"
    return ""


def _reply_target(mail: EmailMessage) -> tuple[Message | None, str]:
    recipients = _addresses(mail, RECIPIENT_HEADERS)
    if found := _message_by_token(_token_in(recipients, "reply")):
        return found, "reply address"
    found = _message_by_ids(_header(mail, "In-Reply-To"), _header(mail, "References"))
    if found:
        return found, "In-Reply-To/References"
    return None, ""


def classify(mail: EmailMessage) -> Outcome:
    """What the mail is and which of our messages it answers. Order matters: a DSN often says
    Auto-Submitted too, and a mail client's unsubscribe mail may say it was generated."""
    if is_dsn(mail):
        return _classify_dsn(mail)
    token = _token_in(_addresses(mail, RECIPIENT_HEADERS), "unsubscribe")
    if token:
        found = _message_by_token(token)
        if found is None:
            return Outcome(InboundMail.Kind.OTHER, note="unsubscribe mail with an unknown token")
        return Outcome(InboundMail.Kind.OTHER, found, "unsubscribe", "unsubscribe request by mail")
    found, how = _reply_target(mail)
    why_auto = auto_submitted(mail)
    if why_auto:
        matched = f"matched by {how}" if found else "unmatched"
        note = f"automatic reply ({why_auto}), {matched}; no action"
        return Outcome(InboundMail.Kind.OTHER, found, note=note)
    if found is None:
        return Outcome(
            InboundMail.Kind.REPLY,
            note="unmatched: no reply+token address of ours, no Message-ID of ours in In-Reply-To/References",
        )
    return Outcome(InboundMail.Kind.REPLY, found, "reply", f"reply matched by {how}")


def _classify_dsn(mail: EmailMessage) -> Outcome:
    dsn = parse_dsn(mail)
    found, how = _bounced_message(mail, dsn)
    detail = f"{dsn.status or dsn.action or 'no status'} for {dsn.recipient or 'unknown recipient'}"
    if dsn.hard:
        effect, what = "hard_bounce", f"hard bounce {detail}"
    elif dsn.soft:
        effect, what = "soft_bounce", f"soft bounce {detail}: kept sending"
    else:
        effect, what = "", f"delivery report ({detail}): no action"
    if found is None:
        return Outcome(InboundMail.Kind.BOUNCE, None, "", f"unmatched {what}", dsn)
    return Outcome(InboundMail.Kind.BOUNCE, found, effect, f"{what}, matched by {how}", dsn)


# --------------------------------------------------------------------------- effects


def _apply_reply(outcome: Outcome, inbound: InboundMail, text: str) -> None:
    message = outcome.message
    now = inbound.received_at
    Message.objects.filter(pk=message.pk, replied_at__isnull=True).update(replied_at=now)
    MessageEvent.objects.create(
        message=message, kind=MessageEvent.Kind.REPLY, at=now, data={"inbound": inbound.pk}
    )
    tracking._mark_opened(message, now)  # a reply proves the mail was read
    timeline_add(
        candidate=tracking.person_of(message.candidate),
        kind=TimelineEntry.Kind.EMAIL_IN,
        summary=f"Replied: {inbound.subject or message.subject}"[:300],
        body=strip_quoted(text),
        channel="email",
        data={"message": message.pk, "inbound": inbound.pk},
        occurred_at=now,
    )
    enrollment_stop(enrollment=message.enrollment, reason=Enrollment.StopReason.REPLIED)


def _apply_bounce(outcome: Outcome, inbound: InboundMail) -> str:
    message, dsn, now = outcome.message, outcome.dsn, inbound.received_at
    hard = outcome.effect == "hard_bounce"
    address = dsn.recipient or message.to_address.lower()
    MessageEvent.objects.create(
        message=message,
        kind=MessageEvent.Kind.BOUNCE,
        at=now,
        data={
            "hard": hard,
            "status": dsn.status,
            "recipient": address,
            "diagnostic": dsn.diagnostic,
            "inbound": inbound.pk,
        },
    )
    if not hard:
        return ""
    Message.objects.filter(pk=message.pk, bounced_at__isnull=True).update(bounced_at=now)
    person = Candidate.objects.select_for_update().get(pk=tracking.person_of(message.candidate).pk)
    current = bool(person.email) and person.email.lower() == address
    summary = f"Email to {address} bounced ({dsn.status or dsn.action})"
    if current:
        person.email_invalid = True
        person.email_invalid_reason = f"{dsn.status} {dsn.diagnostic}".strip()[:300]
        person.save(update_fields=["email_invalid", "email_invalid_reason", "updated_at"])
        summary += ": address marked invalid"
    timeline_add(
        candidate=person,
        kind=TimelineEntry.Kind.EMAIL_IN,
        summary=summary,
        body=dsn.diagnostic,
        channel="email",
        data={"message": message.pk, "inbound": inbound.pk, "status": dsn.status},
        occurred_at=now,
    )
    if not current:
        return "; the address is no longer theirs, nothing stopped"
    stop_all_for(candidate=person, reason=Enrollment.StopReason.BOUNCED)
    return ""


def _apply(outcome: Outcome, inbound: InboundMail, text: str) -> str:
    """The outcome's effects; returns what to add to the note."""
    if outcome.effect == "reply":
        _apply_reply(outcome, inbound, text)
    elif outcome.effect in ("hard_bounce", "soft_bounce"):
        return _apply_bounce(outcome, inbound)
    elif outcome.effect == "unsubscribe":
        result = tracking.message_unsubscribe(message=outcome.message, source="mailto")
        return "" if result.changed else " (already unsubscribed)"
    return ""


# --------------------------------------------------------------------------- entry point


def dedupe_key(mail: EmailMessage, raw: bytes) -> str:
    """The same mail gives the same key: its Message-ID, or its bytes when it has none."""
    message_id = _header(mail, "Message-ID")
    basis = f"mid:{message_id}".encode() if message_id else b"raw:" + raw
    return hashlib.sha256(basis).hexdigest()[:KEY_CHARS]


def note_reason(note: str) -> str:
    """An InboundMail note without its leading dedupe key, for showing to a person."""
    key, _, reason = note.partition(" ")
    return reason if len(key) == KEY_CHARS + 2 and key.startswith("[") else note


def _find_ingested(key: str) -> InboundMail | None:
    return InboundMail.objects.filter(note__startswith=f"[{key}] ").order_by("id").first()


def ingest_raw(raw: bytes, *, source: str) -> InboundMail:
    """Store one raw RFC 5322 mail, match it and apply what it means (see the module doc).
    Never drops a mail: unmatched ones are kept with ``message=None`` and a note saying why.
    Idempotent: a mail already ingested returns its row unchanged."""
    raw = bytes(raw[:MAX_RAW_BYTES])
    mail = message_from_bytes(raw, policy=policy.default)
    key = dedupe_key(mail, raw)
    with transaction.atomic():
        with connection.cursor() as cursor:  # one ingest per key at a time
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(key[:15], 16)])
        existing = _find_ingested(key)
        if existing is not None:
            return existing
        outcome = classify(mail)
        text = body_text(mail)
        inbound = InboundMail.objects.create(
            kind=outcome.kind,
            message=outcome.message,
            from_address=parseaddr(_header(mail, "From"))[1][:254],
            subject=_header(mail, "Subject")[:300],
            text=text,
            raw=raw,
            received_at=timezone.now(),
            source=source[:20],
            note=f"[{key}] {outcome.note}"[:300],
        )
        try:
            with transaction.atomic():
                suffix = _apply(outcome, inbound, text)
        except Exception as exc:  # keep the mail; a person can act on it from the note
            logger.exception("inbound mail %s: applying its effects failed", inbound.pk)
            suffix = f"; its effects failed ({type(exc).__name__}), see the log"
        if suffix:
            inbound.note = f"{inbound.note}{suffix}"[:300]
            inbound.save(update_fields=["note"])
        return inbound
