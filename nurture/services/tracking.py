"""What recipients do with our messages: opens (pixel), clicks (signed redirects), unsubscribes
(one-click POST, the unsubscribe page, or a mail to the List-Unsubscribe address) and the "yes,
keep me posted" link. The public views (nurture.views.public) and inbound mail
(nurture.services.inbound) call these; each is idempotent where a person or a mail scanner may
repeat it.

A person's signed token names one message;
:func:`nurture.selectors.messages.message_for_token` is the only read the public views make
with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from crm.models import Candidate, ContactTopic, TimelineEntry
from crm.selectors.candidates import candidate_survivor
from crm.selectors.consent import withdrawn_topics
from crm.services.candidates import candidates_tag
from crm.services.consent import consent_record
from crm.services.timeline import timeline_add
from nurture.models import Enrollment, Message, MessageEvent
from nurture.services.enrollments import stop_all_for

# A 1x1 transparent GIF (43 bytes).
PIXEL_GIF = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)
RE_ENGAGED_TAG = "re-engaged"
REDIRECT_SCHEMES = ("http", "https")


def is_redirectable(url: str) -> bool:
    """Only absolute http(s) URLs are ever redirected to (never javascript:, data:, //host)."""
    if not url or any(ch in url for ch in "\r\n\t\x00 "):
        return False
    parts = urlsplit(url)
    return parts.scheme.lower() in REDIRECT_SCHEMES and bool(parts.netloc)


def topic_of(message: Message) -> str:
    """The contact topic a message is about (its sequence's)."""
    return message.enrollment.sequence.topic


def topic_label(topic: str) -> str:
    """The topic as a person reads it ("Job alerts")."""
    return ContactTopic(topic).label if topic in ContactTopic.values else topic


def _event(message: Message, kind: str, at: datetime, **data: Any) -> MessageEvent:
    return MessageEvent.objects.create(message=message, kind=kind, at=at, data=data)


def message_mark_opened(*, message: Message, at: datetime) -> bool:
    """Set opened_at once and reset the unopened streak; True on the first open (a reply
    proves an open too)."""
    first = bool(Message.objects.filter(pk=message.pk, opened_at__isnull=True).update(opened_at=at))
    if first:
        message.opened_at = at
    Enrollment.objects.filter(pk=message.enrollment_id).exclude(unopened_streak=0).update(
        unopened_streak=0
    )
    return first


@transaction.atomic
def message_open(*, message: Message) -> bool:
    """The pixel loaded: every load is an event; opened_at is the first. True on the first."""
    now = timezone.now()
    _event(message, MessageEvent.Kind.OPEN, now)
    first = message_mark_opened(message=message, at=now)
    if first:
        _on_timeline(message, f"Opened “{message.subject}”", now)
    return first


def _on_timeline(message: Message, summary: str, at: datetime, **data: Any) -> None:
    timeline_add(
        candidate=candidate_survivor(message.candidate),
        kind=TimelineEntry.Kind.UPDATED,
        channel=message.channel,
        summary=summary[:300],
        data={"message": message.pk, **data},
        occurred_at=at,
    )


def _mark_clicked(message: Message, at: datetime, **data: Any) -> None:
    _event(message, MessageEvent.Kind.CLICK, at, **data)
    if Message.objects.filter(pk=message.pk, clicked_at__isnull=True).update(clicked_at=at):
        message.clicked_at = at
    if message_mark_opened(
        message=message, at=at
    ):  # a click proves an open the pixel may have missed
        _event(message, MessageEvent.Kind.OPEN, at, via="click")


@transaction.atomic
def message_click(*, message: Message, url: str) -> None:
    """A tracked link was followed: an event with the URL each time, clicked_at once; each
    click is on the person's timeline."""
    now = timezone.now()
    _mark_clicked(message, now, url=url)
    _on_timeline(message, f"Clicked {url} in “{message.subject}”", now, url=url)


@dataclass(frozen=True)
class UnsubscribeResult:
    topic: str
    changed: bool  # False: they had already withdrawn (a repeat POST)
    stopped: int  # enrollments stopped now

    @property
    def label(self) -> str:
        return topic_label(self.topic)


@transaction.atomic
def message_unsubscribe(
    *, message: Message, everything: bool = False, source: str = "one-click"
) -> UnsubscribeResult:
    """Withdraw consent for the message's topic (or for everything) and stop the person's live
    enrollments of it, at once: the dispatcher checks the ledger at send time. Idempotent: when
    the ledger already says withdrawn, nothing more is written."""
    topic = ContactTopic.ALL if everything else topic_of(message)
    # Lock the person so two concurrent POSTs cannot both append to the ledger.
    person = Candidate.objects.select_for_update().get(pk=candidate_survivor(message.candidate).pk)
    withdrawn = withdrawn_topics(person)
    if topic in withdrawn or ContactTopic.ALL in withdrawn:
        return UnsubscribeResult(topic, changed=False, stopped=0)
    now = timezone.now()
    consent_record(
        candidate=person,
        topic=topic,
        granted=False,
        source=source,
        note=f"message {message.pk} of “{message.enrollment.sequence.name}”",
    )
    Message.objects.filter(pk=message.pk, unsubscribed_at__isnull=True).update(unsubscribed_at=now)
    _event(message, MessageEvent.Kind.UNSUBSCRIBE, now, topic=topic, source=source)
    stopped = stop_all_for(candidate=person, reason=Enrollment.StopReason.UNSUBSCRIBED, topic=topic)
    return UnsubscribeResult(topic, changed=True, stopped=stopped)


@transaction.atomic
def message_keep_posted(*, message: Message) -> bool:
    """The "yes, keep me posted" link was confirmed: tag the person re-engaged, once per
    message (a click event and a timeline entry). False when it was already recorded."""
    person = Candidate.objects.select_for_update().get(pk=candidate_survivor(message.candidate).pk)
    already = MessageEvent.objects.filter(
        message=message, kind=MessageEvent.Kind.CLICK, data__action="keep_posted"
    ).exists()
    if already:
        return False
    now = timezone.now()
    candidates_tag(candidate_ids=[person.pk], tags=[RE_ENGAGED_TAG], actor=None)
    _mark_clicked(message, now, action="keep_posted")
    timeline_add(
        candidate=person,
        kind=TimelineEntry.Kind.UPDATED,
        summary=f"Asked to be kept posted (“{message.enrollment.sequence.name}”)",
        channel="email",
        data={"message": message.pk, "action": "keep_posted"},
        occurred_at=now,
    )
    return True
