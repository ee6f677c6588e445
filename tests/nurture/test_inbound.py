"""Inbound mail: replies, bounces, automatic replies, unsubscribe mails, and the Maildir command."""

from __future__ import annotations

import mailbox
import secrets
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from crm.models import Candidate, ConsentRecord, TimelineEntry
from nurture.mailparse import note_reason, strip_quoted
from nurture.models import Enrollment, InboundMail, Message, MessageEvent
from nurture.services.enrollments import enroll
from nurture.services.inbound import ingest_raw
from nurture.services.sequences import StepInput, sequence_create
from tests.factories import make_candidate
from tests.nurture import mail_samples as samples


def make_sequence(owner, *, topic="nurture", name="Keep in touch"):
    step = StepInput(channel="email", delay_hours=0, subject="Hi {{ candidate.first_name }}")
    step.body = "Hello {{ candidate.first_name }}"
    return sequence_create(name=name, owner=owner, steps=[step], topic=topic)


def make_message(enrollment: Enrollment) -> Message:
    now = timezone.now()
    return Message.objects.create(
        enrollment=enrollment,
        step=enrollment.sequence.steps.first(),
        candidate=enrollment.candidate,
        channel="email",
        status="sent",
        token=secrets.token_hex(8),
        message_id=f"<{secrets.token_hex(6)}@talentloop>",
        to_address=enrollment.candidate.email,
        subject="Hi Cand",
        queued_at=now,
        sent_at=now,
    )


@pytest.fixture
def sent(recruiter):
    candidate = make_candidate()
    nurture = enroll(candidate=candidate, sequence=make_sequence(recruiter))
    alerts = enroll(
        candidate=candidate,
        sequence=make_sequence(recruiter, topic="job_alerts", name="Job alerts"),
    )
    return {
        "candidate": candidate,
        "enrollment": nurture,
        "other": alerts,
        "message": make_message(nurture),
    }


@pytest.fixture
def mail(sent, settings):
    """A sample filled in for the sent message (any placeholder can be overridden)."""
    message = sent["message"]

    def fill(sample: str, **values) -> bytes:
        values = {
            "token": message.token,
            "domain": settings.REPLY_DOMAIN,
            "message_id": message.message_id,
            "to": sent["candidate"].email,
        } | values
        return samples.render(sample, **values)

    return fill


def state(enrollment: Enrollment) -> tuple[str, str]:
    enrollment.refresh_from_db()
    return enrollment.state, enrollment.stop_reason


def kinds(message: Message) -> list[str]:
    return list(MessageEvent.objects.filter(message=message).values_list("kind", flat=True))


def replies_on_timeline(candidate) -> list[TimelineEntry]:
    return list(TimelineEntry.objects.filter(candidate=candidate, kind=TimelineEntry.Kind.EMAIL_IN))


# --------------------------------------------------------------------------- quoted text


def test_strip_quoted_cuts_gmail_wrapped_attribution_and_quotes():
    text = "Yes please.\n\nOn Mon, 3 Mar 2025 at 09:00, Rita <rita@example.com>\nwrote:\n\n> Hi\n"
    assert strip_quoted(text) == "Yes please."


def test_strip_quoted_cuts_outlook_blocks_and_keeps_ordinary_lines():
    assert strip_quoted("Fine.\r\n-----Original Message-----\r\nFrom: x\r\nold") == "Fine."
    assert strip_quoted("Fine.\nFrom: Rita <r@x>\nSent: Monday\nTo: me\n\nold") == "Fine."
    assert strip_quoted("See below\n> quoted\nmy answer") == "See below\nmy answer"
    ordinary = "On Tuesday I can talk.\nFrom: my side, all good.\nOn second thought, as I wrote:"
    assert strip_quoted(ordinary) == ordinary


# --------------------------------------------------------------------------- replies


def test_gmail_reply_matched_by_reply_address(sent, mail):
    message = sent["message"]
    # Not our Message-ID in In-Reply-To: only the reply+token address can match it.
    inbound = ingest_raw(
        raw=mail(samples.GMAIL_REPLY, message_id="<x@gmail.example>"), source="imap"
    )
    assert (inbound.kind, inbound.message) == ("reply", message)
    assert "reply address" in note_reason(inbound.note)
    message.refresh_from_db()
    assert message.replied_at is not None
    assert kinds(message).count("reply") == 1
    assert state(sent["enrollment"]) == ("stopped", "replied")
    assert state(sent["other"]) == ("active", "")  # only the replied-to sequence stops
    (entry,) = replies_on_timeline(sent["candidate"])
    assert entry.body == (
        "Hi Rita,\n\nThanks for reaching out — yes, I would be happy to talk next week.\n"
        "Tuesday afternoon works.\n\nBest,\nCand"
    )
    assert entry.channel == "email"
    assert "Unsubscribe" in inbound.text  # the stored text is whole; the timeline is stripped


def test_outlook_reply_matched_by_in_reply_to(sent, mail):
    inbound = ingest_raw(raw=mail(samples.OUTLOOK_REPLY), source="webhook")
    assert inbound.message == sent["message"]
    assert "In-Reply-To" in inbound.note
    (entry,) = replies_on_timeline(sent["candidate"])
    assert entry.body == (
        "Hello,\n\nNot looking right now, please check back in a few months.\n\n"
        "Regards,\nCand Idate"
    )
    assert state(sent["enrollment"]) == ("stopped", "replied")


def test_outlook_new_style_reply_strips_from_sent_block(sent, mail):
    ingest_raw(raw=mail(samples.OUTLOOK_REPLY_NEW_STYLE), source="webhook")
    (entry,) = replies_on_timeline(sent["candidate"])
    assert entry.body == "Sounds good, call me on Friday."


def test_reingesting_the_same_mail_applies_nothing_twice(sent, mail):
    raw = mail(samples.GMAIL_REPLY)
    first = ingest_raw(raw=raw, source="webhook")
    timeline = TimelineEntry.objects.filter(candidate=sent["candidate"]).count()
    again = ingest_raw(raw=raw, source="webhook")
    # The same mail fetched by IMAP has other Received lines but the same Message-ID.
    refetched = ingest_raw(raw=b"Received: by imap.example.net\r\n" + raw, source="imap")
    assert first.pk == again.pk == refetched.pk
    assert InboundMail.objects.count() == 1
    assert kinds(sent["message"]).count("reply") == 1
    assert TimelineEntry.objects.filter(candidate=sent["candidate"]).count() == timeline


def test_mail_without_message_id_is_deduplicated_by_its_bytes(db, settings):
    raw = samples.render(samples.UNMATCHED_REPLY, domain=settings.REPLY_DOMAIN)
    raw = raw.replace(b"Message-ID: <inbound-1@mail.example.com>\r\n", b"")
    assert ingest_raw(raw=raw, source="maildir").pk == ingest_raw(raw=raw, source="maildir").pk
    ingest_raw(raw=raw + b"another line\r\n", source="maildir")
    assert InboundMail.objects.count() == 2


def test_unmatched_reply_is_kept_without_message(sent, mail):
    inbound = ingest_raw(raw=mail(samples.UNMATCHED_REPLY), source="webhook")
    assert (inbound.kind, inbound.message) == ("reply", None)
    assert note_reason(inbound.note).startswith("unmatched")
    assert inbound.from_address == "someone@example.org"
    assert bytes(inbound.raw).startswith(b"From: Someone Else")
    assert state(sent["enrollment"]) == ("active", "")
    assert not MessageEvent.objects.exists()


def test_auto_reply_is_kept_matched_but_stops_nothing(sent, mail):
    inbound = ingest_raw(raw=mail(samples.AUTO_REPLY), source="webhook")
    assert (inbound.kind, inbound.message) == ("other", sent["message"])
    assert "automatic reply" in inbound.note
    assert state(sent["enrollment"]) == ("active", "")
    assert "reply" not in kinds(sent["message"])
    assert not replies_on_timeline(sent["candidate"])


@pytest.mark.parametrize("generated", [False, True])
def test_unsubscribe_mail_unsubscribes_from_the_topic(sent, mail, generated):
    raw = mail(samples.UNSUBSCRIBE_MAIL)
    if generated:  # a mail client's unsubscribe button may mark its mail as generated
        raw = b"Auto-Submitted: auto-generated\r\n" + raw
    inbound = ingest_raw(raw=raw, source="webhook")
    assert inbound.message == sent["message"]
    record = ConsentRecord.objects.get(candidate=sent["candidate"])
    assert (record.topic, record.granted, record.source) == ("nurture", False, "mailto")
    assert state(sent["enrollment"]) == ("stopped", "unsubscribed")
    assert state(sent["other"]) == ("active", "")


# --------------------------------------------------------------------------- bounces


def test_hard_bounce_marks_address_invalid_and_stops_everything(sent, mail):
    message, candidate = sent["message"], sent["candidate"]
    inbound = ingest_raw(raw=mail(samples.DSN_HARD), source="webhook")
    assert (inbound.kind, inbound.message) == ("bounce", message)
    assert "hard bounce 5.1.1" in inbound.note
    candidate.refresh_from_db()
    assert candidate.email_invalid
    assert "5.1.1" in candidate.email_invalid_reason
    assert "User unknown" in candidate.email_invalid_reason
    assert state(sent["enrollment"]) == ("stopped", "bounced")
    assert state(sent["other"]) == ("stopped", "bounced")
    message.refresh_from_db()
    assert message.bounced_at is not None
    event = MessageEvent.objects.get(message=message, kind="bounce")
    assert event.data["hard"] is True
    assert event.data["status"] == "5.1.1"
    assert any("bounced" in e.summary for e in replies_on_timeline(candidate))


def test_hard_bounce_matched_by_final_recipient_alone(sent, mail):
    raw = mail(samples.DSN_HARD, token="0" * 16, message_id="<unknown@elsewhere.example>")
    inbound = ingest_raw(raw=raw, source="webhook")
    assert inbound.message == sent["message"]
    assert "failed address" in inbound.note
    assert state(sent["enrollment"]) == ("stopped", "bounced")


def test_hard_bounce_of_an_old_address_stops_nothing(sent, mail):
    Candidate.objects.filter(pk=sent["candidate"].pk).update(email="new-address@example.com")
    inbound = ingest_raw(raw=mail(samples.DSN_HARD), source="webhook")
    assert inbound.message == sent["message"]
    assert "no longer theirs" in inbound.note
    assert not Candidate.objects.get(pk=sent["candidate"].pk).email_invalid
    assert state(sent["enrollment"]) == ("active", "")


def test_soft_bounce_is_noted_and_stops_nothing(sent, mail):
    message = sent["message"]
    inbound = ingest_raw(raw=mail(samples.DSN_SOFT), source="webhook")
    assert (inbound.kind, inbound.message) == ("bounce", message)
    assert "soft bounce 4.2.2" in inbound.note
    event = MessageEvent.objects.get(message=message, kind="bounce")
    assert event.data["hard"] is False
    message.refresh_from_db()
    assert (message.status, message.bounced_at) == ("sent", None)
    assert not Candidate.objects.get(pk=sent["candidate"].pk).email_invalid
    assert state(sent["enrollment"]) == ("active", "")


def test_unmatched_bounce_is_kept_without_message(sent, mail):
    raw = mail(
        samples.DSN_HARD,
        token="0" * 16,
        message_id="<unknown@elsewhere.example>",
        to="nobody@nowhere.example",
    )
    inbound = ingest_raw(raw=raw, source="webhook")
    assert (inbound.kind, inbound.message) == ("bounce", None)
    assert "unmatched hard bounce" in inbound.note
    assert not Candidate.objects.filter(email_invalid=True).exists()
    assert state(sent["enrollment"]) == ("active", "")


# --------------------------------------------------------------------------- ingest_mail


def make_maildir(tmp_path, *raws: bytes) -> tuple[mailbox.Maildir, list[str]]:
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    return box, [box.add(raw) for raw in raws]


def test_ingest_mail_maildir_end_to_end(sent, mail, tmp_path):
    raws = [
        mail(samples.GMAIL_REPLY),
        mail(samples.DSN_SOFT, inbound_id="<dsn-2@mx.example.net>"),
        mail(samples.UNMATCHED_REPLY, inbound_id="<other-3@example.org>"),
    ]
    box, keys = make_maildir(tmp_path, *raws)
    stored = [box.get_bytes(key) for key in keys]
    out = StringIO()
    call_command("ingest_mail", maildir=str(box._path), stdout=out)
    assert out.getvalue().strip() == (
        "maildir: 3 ingested (2 replies, 1 bounces, 0 other; 2 matched, 1 unmatched), 0 failed"
    )
    assert InboundMail.objects.filter(source="maildir").count() == 3
    assert state(sent["enrollment"]) == ("stopped", "replied")
    for key, before in zip(keys, stored, strict=True):
        message = box.get_message(key)
        assert (message.get_subdir(), message.get_flags()) == ("cur", "S")
        # marking it seen rewrites the file with the Maildir's own line ends, content unchanged
        assert box.get_bytes(key).replace(b"\r\n", b"\n") == before.replace(b"\r\n", b"\n")

    out = StringIO()
    call_command("ingest_mail", maildir=str(box._path), stdout=out)
    assert out.getvalue().startswith("maildir: 0 ingested")
    assert InboundMail.objects.count() == 3


def test_ingest_mail_maildir_delete(sent, mail, tmp_path):
    box, _ = make_maildir(tmp_path, mail(samples.OUTLOOK_REPLY))
    call_command("ingest_mail", maildir=str(box._path), delete=True, stdout=StringIO())
    assert InboundMail.objects.get().message == sent["message"]
    assert len(box) == 0


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({}, "exactly one of --maildir"),
        ({"maildir": "/tmp", "imap": "imaps://u:p@h/INBOX"}, "exactly one of --maildir"),
        ({"maildir": "/nonexistent/Maildir"}, "is not a Maildir"),
        ({"imap": "ftp://u:p@host/INBOX"}, "imaps://user:pass@host"),
        ({"imap": "imaps://host/INBOX"}, "imaps://user:pass@host"),
        ({"imap": "imaps://user@host/INBOX"}, "password"),
    ],
)
def test_ingest_mail_bad_arguments(db, monkeypatch, options, says):
    monkeypatch.delenv("INGEST_IMAP_PASSWORD", raising=False)
    with pytest.raises(CommandError, match=says):
        call_command("ingest_mail", stdout=StringIO(), **options)
