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
row and applies nothing twice: its key is the first word of ``InboundMail.note``. Reading the
mail itself (headers, DSNs, quoted text) is :mod:`nurture.mailparse`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr

from django.db import connection, transaction
from django.utils import timezone

from crm.models import Candidate, TimelineEntry
from crm.selectors.candidates import candidate_survivor
from crm.services.candidates import candidate_mark_email_invalid
from crm.services.timeline import timeline_add
from nurture.mailparse import (
    MAX_RAW_BYTES,
    ORIGINAL_ADDRESS_HEADERS,
    RECIPIENT_HEADERS,
    Dsn,
    addresses,
    auto_submitted,
    body_text,
    dedupe_key,
    header,
    is_dsn,
    message_ids,
    parse_dsn,
    strip_quoted,
    token_in,
)
from nurture.models import Enrollment, InboundMail, Message, MessageEvent
from nurture.selectors.inbound import inbound_by_key
from nurture.selectors.messages import (
    message_by_message_ids,
    message_by_token,
    message_last_sent_to,
)
from nurture.services import tracking
from nurture.services.enrollments import enrollment_stop, stop_all_for

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- matching


def _bounced_message(mail: EmailMessage, dsn: Dsn) -> tuple[Message | None, str]:
    """Ours by the original Message-ID, by a reply+token in the original's headers or the
    DSN's own recipients, else the last message sent to the failed address."""
    original = dsn.original
    if original is not None:
        found = message_by_message_ids(message_ids(header(original, "Message-ID")))
        if found:
            return found, "original Message-ID"
        token = token_in(addresses(original, ORIGINAL_ADDRESS_HEADERS), "reply")
        if found := message_by_token(token):
            return found, "reply address in the original"
    if found := message_by_token(token_in(addresses(mail, RECIPIENT_HEADERS), "reply")):
        return found, "reply address"
    if dsn.recipient:
        found = message_last_sent_to(dsn.recipient)
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


def _reply_target(mail: EmailMessage) -> tuple[Message | None, str]:
    recipients = addresses(mail, RECIPIENT_HEADERS)
    if found := message_by_token(token_in(recipients, "reply")):
        return found, "reply address"
    found = message_by_message_ids(
        message_ids(header(mail, "In-Reply-To"), header(mail, "References"))
    )
    if found:
        return found, "In-Reply-To/References"
    return None, ""


def classify(mail: EmailMessage) -> Outcome:
    """What the mail is and which of our messages it answers. Order matters: a DSN often says
    Auto-Submitted too, and a mail client's unsubscribe mail may say it was generated."""
    if is_dsn(mail):
        return _classify_dsn(mail)
    token = token_in(addresses(mail, RECIPIENT_HEADERS), "unsubscribe")
    if token:
        found = message_by_token(token)
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


def _apply_reply(message: Message, inbound: InboundMail, text: str) -> None:
    now = inbound.received_at
    Message.objects.filter(pk=message.pk, replied_at__isnull=True).update(replied_at=now)
    MessageEvent.objects.create(
        message=message, kind=MessageEvent.Kind.REPLY, at=now, data={"inbound": inbound.pk}
    )
    tracking.message_mark_opened(message=message, at=now)  # a reply proves the mail was read
    timeline_add(
        candidate=candidate_survivor(message.candidate),
        kind=TimelineEntry.Kind.EMAIL_IN,
        summary=f"Replied: {inbound.subject or message.subject}"[:300],
        body=strip_quoted(text),
        channel="email",
        data={"message": message.pk, "inbound": inbound.pk},
        occurred_at=now,
    )
    enrollment_stop(enrollment=message.enrollment, reason=Enrollment.StopReason.REPLIED)


def _apply_bounce(message: Message, dsn: Dsn, hard: bool, inbound: InboundMail) -> str:
    now = inbound.received_at
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
    person = Candidate.objects.select_for_update().get(pk=candidate_survivor(message.candidate).pk)
    current = bool(person.email) and person.email.lower() == address
    summary = f"Email to {address} bounced ({dsn.status or dsn.action})"
    if current:
        candidate_mark_email_invalid(candidate=person, reason=f"{dsn.status} {dsn.diagnostic}")
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
    message = outcome.message
    if message is None:  # an effect needs the message it answers
        return ""
    if outcome.effect == "reply":
        _apply_reply(message, inbound, text)
    elif outcome.effect in ("hard_bounce", "soft_bounce") and outcome.dsn is not None:
        return _apply_bounce(message, outcome.dsn, outcome.effect == "hard_bounce", inbound)
    elif outcome.effect == "unsubscribe":
        result = tracking.message_unsubscribe(message=message, source="mailto")
        return "" if result.changed else " (already unsubscribed)"
    return ""


# --------------------------------------------------------------------------- entry point


def ingest_raw(*, raw: bytes, source: str) -> InboundMail:
    """Store one raw RFC 5322 mail, match it and apply what it means (see the module doc).
    Never drops a mail: unmatched ones are kept with ``message=None`` and a note saying why.
    Idempotent: a mail already ingested returns its row unchanged."""
    raw = bytes(raw[:MAX_RAW_BYTES])
    mail = message_from_bytes(raw, policy=policy.default)
    key = dedupe_key(mail, raw)
    with transaction.atomic():
        with connection.cursor() as cursor:  # one ingest per key at a time
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(key[:15], 16)])
        existing = inbound_by_key(key)
        if existing is not None:
            return existing
        outcome = classify(mail)
        text = body_text(mail)
        inbound = InboundMail.objects.create(
            kind=outcome.kind,
            message=outcome.message,
            from_address=parseaddr(header(mail, "From"))[1][:254],
            subject=header(mail, "Subject")[:300],
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
