"""Mail plumbing: a message class that carries a calendar invite, and the development outbox
(an email backend that keeps each sent message as an .eml file).

`make run` uses the outbox (EMAIL_URL=outbox://) so a demo shows what candidates would receive,
at /outbox/, without any mail leaving the machine. Web and worker processes share the folder.
"""

from __future__ import annotations

import email
import email.policy
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import SafeMIMEText

CALENDAR_METHODS = ("REQUEST", "CANCEL", "PUBLISH")


class CalendarEmail(EmailMultiAlternatives):
    """An email that may carry an iCalendar invite (RFC 6047, iMIP): the calendar text is an
    alternative part ``text/calendar; method=REQUEST`` (or CANCEL) beside the plain text, which
    Gmail, Outlook and Apple Mail show as an invitation with its buttons, and is also attached
    as ``invite.ics`` for clients that only offer attachments."""

    def __init__(
        self, *args, calendar: str | None = None, calendar_method: str = "REQUEST", **kwargs
    ):
        super().__init__(*args, **kwargs)
        if calendar_method not in CALENDAR_METHODS:
            raise ValueError(f"calendar_method must be one of {', '.join(CALENDAR_METHODS)}")
        self.calendar_method = calendar_method
        if calendar:
            self.attach_alternative(calendar, "text/calendar")
            self.attach("invite.ics", calendar.encode("utf-8"), "application/ics")

    def _create_mime_attachment(self, content, mimetype):
        if mimetype == "text/calendar":
            part = SafeMIMEText(content, "calendar", self.encoding or settings.DEFAULT_CHARSET)
            part.set_param("method", self.calendar_method)
            return part
        return super()._create_mime_attachment(content, mimetype)  # type: ignore[misc]


_ID_RE = re.compile(r"^[0-9]{8}T[0-9]{6}-[0-9a-f]{32}$")


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        directory = Path(settings.OUTBOX_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            name = f"{stamp}-{uuid.uuid4().hex}"
            temporary = directory / f".{name}.tmp"
            temporary.write_bytes(message.message().as_bytes(linesep="\r\n"))
            temporary.rename(directory / f"{name}.eml")  # atomic: readers never see half a file
            sent += 1
        return sent


@dataclass
class OutboxMail:
    id: str
    from_: str
    to: str
    subject: str
    sent_at: datetime | None
    text: str
    html: str

    @property
    def has_html(self) -> bool:
        return bool(self.html)


def _path(mail_id: str) -> Path | None:
    if not _ID_RE.match(mail_id):
        return None
    path = Path(settings.OUTBOX_DIR) / f"{mail_id}.eml"
    return path if path.is_file() else None


def raw_mail(mail_id: str) -> bytes | None:
    path = _path(mail_id)
    return path.read_bytes() if path else None


def read_mail(mail_id: str) -> OutboxMail | None:
    raw = raw_mail(mail_id)
    if raw is None:
        return None
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    text_part = parsed.get_body(preferencelist=("plain",))
    html_part = parsed.get_body(preferencelist=("html",))
    try:
        sent_at = parsedate_to_datetime(parsed["Date"]) if parsed["Date"] else None
    except (TypeError, ValueError):
        sent_at = None
    return OutboxMail(
        id=mail_id,
        from_=str(parsed["From"] or ""),
        to=", ".join(filter(None, [str(parsed["To"] or ""), str(parsed["Cc"] or "")])),
        subject=str(parsed["Subject"] or "(no subject)"),
        sent_at=sent_at,
        text=text_part.get_content() if text_part else "",
        html=html_part.get_content() if html_part else "",
    )


def list_mail(limit: int = 200) -> list[OutboxMail]:
    directory = Path(settings.OUTBOX_DIR)
    if not directory.is_dir():
        return []
    names = sorted((p.stem for p in directory.glob("*.eml")), reverse=True)[:limit]
    return [mail for mail in map(read_mail, names) if mail is not None]
