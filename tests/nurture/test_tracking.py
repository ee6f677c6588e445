"""The public links of our messages: open pixel, click redirects, unsubscribe, keep me posted,
and the inbound webhook's door."""

from __future__ import annotations

import re
import secrets
import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from crm.models import Candidate, ConsentRecord, TimelineEntry
from nurture import tokens
from nurture.mailparse import MAX_RAW_BYTES
from nurture.models import Enrollment, InboundMail, Message, MessageEvent
from nurture.services.enrollments import enroll
from nurture.services.sequences import StepInput, sequence_create
from nurture.services.tracking import PIXEL_GIF, RE_ENGAGED_TAG, message_click, message_open
from tests.factories import make_candidate
from tests.nurture import mail_samples

URL = "https://jobs.example.com/roles/42?utm=mail"


def make_sequence(owner, *, topic="nurture", name="Keep in touch"):
    step = StepInput(channel="email", delay_hours=0, subject="Hi {{ candidate.first_name }}")
    step.body = "Hello {{ candidate.first_name }}"
    return sequence_create(name=name, owner=owner, steps=[step], topic=topic)


def make_message(enrollment: Enrollment, *, message_id: str | None = None) -> Message:
    now = timezone.now()
    return Message.objects.create(
        enrollment=enrollment,
        step=enrollment.sequence.steps.first(),
        candidate=enrollment.candidate,
        channel="email",
        status="sent",
        token=secrets.token_hex(8),
        message_id=message_id or f"<{secrets.token_hex(6)}@talentloop>",
        to_address=enrollment.candidate.email,
        subject="Hi Cand",
        queued_at=now,
        sent_at=now,
    )


@pytest.fixture
def sent(recruiter):
    """A person in a nurture sequence and in a job-alerts one, with a sent nurture message."""
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


def forged(token: str) -> str:
    """The token with its signature changed."""
    return token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")


def expired(monkeypatch, make_token, *args) -> str:
    """A token signed 401 days ago (past every max age)."""
    past = time.time() - 401 * 24 * 3600
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: past)
        return make_token(*args)


def events(message: Message, kind: str) -> list[MessageEvent]:
    return list(MessageEvent.objects.filter(message=message, kind=kind))


def state(enrollment: Enrollment) -> tuple[str, str]:
    enrollment.refresh_from_db()
    return enrollment.state, enrollment.stop_reason


# --------------------------------------------------------------------------- open pixel


def test_open_pixel_records_first_open_and_every_event(client, sent):
    message = sent["message"]
    Enrollment.objects.filter(pk=message.enrollment_id).update(unopened_streak=3)
    url = reverse("nurture_public:open", args=[tokens.open_token(message.pk)])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert response.content == PIXEL_GIF
    assert "no-store" in response["Cache-Control"]
    message.refresh_from_db()
    first = message.opened_at
    assert first is not None
    assert Enrollment.objects.get(pk=message.enrollment_id).unopened_streak == 0

    client.get(url)
    message.refresh_from_db()
    assert message.opened_at == first
    assert len(events(message, "open")) == 2


def test_open_pixel_forged_token_answers_gif_and_records_nothing(client, sent):
    message = sent["message"]
    for token in (forged(tokens.open_token(message.pk)), "nonsense"):
        response = client.get(reverse("nurture_public:open", args=[token]))
        assert response.status_code == 200
        assert response.content == PIXEL_GIF
    message.refresh_from_db()
    assert message.opened_at is None
    assert not MessageEvent.objects.exists()


# --------------------------------------------------------------------------- clicks


def test_click_redirects_to_signed_url_and_records(client, sent):
    message = sent["message"]
    response = client.get(
        reverse("nurture_public:click", args=[tokens.click_token(message.pk, URL)])
    )
    assert response.status_code == 302
    assert response["Location"] == URL
    message.refresh_from_db()
    assert message.clicked_at is not None
    assert message.opened_at is not None  # a click counts as an open
    assert [e.data["url"] for e in events(message, "click")] == [URL]
    assert events(message, "open")[0].data == {"via": "click"}


def test_click_tampered_token_is_400_without_redirect(client, sent):
    message = sent["message"]
    token = forged(tokens.click_token(message.pk, URL))
    response = client.get(reverse("nurture_public:click", args=[token]))
    assert response.status_code == 400
    assert "Location" not in response
    assert b"not valid" in response.content
    message.refresh_from_db()
    assert message.clicked_at is None
    assert not MessageEvent.objects.exists()


def test_click_expired_token_is_400_and_says_so(client, sent, monkeypatch):
    token = expired(monkeypatch, tokens.click_token, sent["message"].pk, URL)
    response = client.get(reverse("nurture_public:click", args=[token]))
    assert response.status_code == 400
    assert "Location" not in response
    assert b"expired" in response.content
    assert not MessageEvent.objects.exists()


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "//evil.example/", "/relative"]
)
def test_click_never_redirects_outside_http(client, sent, url):
    token = tokens.click_token(sent["message"].pk, url)
    response = client.get(reverse("nurture_public:click", args=[token]))
    assert response.status_code == 400
    assert "Location" not in response
    assert not MessageEvent.objects.exists()


# --------------------------------------------------------------------------- unsubscribe


def unsubscribe_url(message: Message) -> str:
    return reverse("nurture_public:unsubscribe", args=[tokens.unsubscribe_token(message.pk)])


def test_unsubscribe_get_changes_nothing(client, sent):
    response = client.get(unsubscribe_url(sent["message"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Unsubscribe from keeping in touch" in page
    assert "Unsubscribe from everything" in page
    assert "style=" not in page and "<script>" not in page  # the strict CSP holds
    assert "Content-Security-Policy" in response
    assert not ConsentRecord.objects.exists()
    assert state(sent["enrollment"]) == ("active", "")
    sent["message"].refresh_from_db()
    assert sent["message"].unsubscribed_at is None


def one_click(message: Message):
    """RFC 8058: what a mailbox provider posts, with no cookie and no CSRF token."""
    browserless = Client(enforce_csrf_checks=True)
    assert not browserless.cookies
    return browserless.post(
        unsubscribe_url(message),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )


def test_unsubscribe_one_click_post_withdraws_topic_and_stops_it(sent):
    candidate, message = sent["candidate"], sent["message"]
    response = one_click(message)
    assert response.status_code == 200
    assert b"unsubscribed from keeping in touch" in response.content
    record = ConsentRecord.objects.get(candidate=candidate)
    assert (record.topic, record.granted, record.source) == ("nurture", False, "one-click")
    assert state(sent["enrollment"]) == ("stopped", "unsubscribed")
    assert state(sent["other"]) == ("active", "")  # another topic is kept
    message.refresh_from_db()
    assert message.unsubscribed_at is not None
    assert [e.data["topic"] for e in events(message, "unsubscribe")] == ["nurture"]


def without_csrf(response) -> str:
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", response.content.decode())


def test_unsubscribe_post_again_is_idempotent(sent):
    message = sent["message"]
    first = one_click(message)
    message.refresh_from_db()
    at = message.unsubscribed_at
    timeline = TimelineEntry.objects.filter(candidate=sent["candidate"]).count()
    second = one_click(message)
    assert second.status_code == first.status_code == 200
    assert without_csrf(second) == without_csrf(first)
    assert ConsentRecord.objects.count() == 1
    assert len(events(message, "unsubscribe")) == 1
    assert TimelineEntry.objects.filter(candidate=sent["candidate"]).count() == timeline
    message.refresh_from_db()
    assert message.unsubscribed_at == at


def test_unsubscribe_from_everything_stops_all(client, sent):
    response = client.post(unsubscribe_url(sent["message"]), {"scope": "all"})
    assert response.status_code == 200
    assert b"unsubscribed from everything" in response.content
    assert ConsentRecord.objects.get().topic == "all"
    assert state(sent["enrollment"]) == ("stopped", "unsubscribed")
    assert state(sent["other"]) == ("stopped", "unsubscribed")
    assert ConsentRecord.objects.get().source == "unsubscribe page"


def test_unsubscribe_topic_then_everything_adds_the_wider_withdrawal(client, sent):
    client.post(unsubscribe_url(sent["message"]), {"scope": "topic"})
    client.post(unsubscribe_url(sent["message"]), {"scope": "all"})
    assert sorted(ConsentRecord.objects.values_list("topic", flat=True)) == ["all", "nurture"]
    assert state(sent["other"]) == ("stopped", "unsubscribed")


def test_unsubscribe_forged_or_expired_token_is_400_and_changes_nothing(sent, monkeypatch):
    message = sent["message"]
    bad = [forged(tokens.unsubscribe_token(message.pk))]
    bad.append(expired(monkeypatch, tokens.unsubscribe_token, message.pk))
    answers = []
    for token in bad:
        url = reverse("nurture_public:unsubscribe", args=[token])
        browserless = Client(enforce_csrf_checks=True)
        answers.append(browserless.get(url))
        answers.append(browserless.post(url, {"List-Unsubscribe": "One-Click", "scope": "all"}))
    assert [r.status_code for r in answers] == [400] * 4
    assert b"not valid" in answers[0].content
    assert b"expired" in answers[2].content
    assert b"Nothing has been changed" in answers[3].content
    assert not ConsentRecord.objects.exists()
    assert state(sent["enrollment"]) == ("active", "")
    message.refresh_from_db()
    assert message.unsubscribed_at is None


# --------------------------------------------------------------------------- keep me posted


def test_keep_posted_get_changes_nothing_post_tags_once(client, sent):
    candidate, message = sent["candidate"], sent["message"]
    url = reverse("nurture_public:keep-posted", args=[tokens.keep_posted_token(message.pk)])
    response = client.get(url)
    assert response.status_code == 200
    assert b"Yes, keep me posted" in response.content
    assert RE_ENGAGED_TAG not in Candidate.objects.get(pk=candidate.pk).tags

    for _ in range(2):
        response = Client(enforce_csrf_checks=True).post(url)
        assert response.status_code == 200
        assert b"We will keep you posted" in response.content
    assert RE_ENGAGED_TAG in Candidate.objects.get(pk=candidate.pk).tags
    assert len(events(message, "click")) == 1
    summaries = TimelineEntry.objects.filter(candidate=candidate).values_list("summary", flat=True)
    assert sum(s.startswith("Asked to be kept posted") for s in summaries) == 1
    assert sum(s == f"Tagged {RE_ENGAGED_TAG}" for s in summaries) == 1


def test_keep_posted_bad_token_is_400(client, sent):
    token = forged(tokens.keep_posted_token(sent["message"].pk))
    url = reverse("nurture_public:keep-posted", args=[token])
    assert client.post(url).status_code == 400
    assert RE_ENGAGED_TAG not in Candidate.objects.get(pk=sent["candidate"].pk).tags


# --------------------------------------------------------------------------- webhook door


INBOUND = "/n/inbound/"


def post_mail(client, raw: bytes, **headers):
    return client.post(INBOUND, data=raw, content_type="message/rfc822", **headers)


@pytest.fixture
def webhook_token(settings):
    settings.INBOUND_WEBHOOK_TOKEN = "s3cret-hook"
    return settings.INBOUND_WEBHOOK_TOKEN


def test_inbound_webhook_is_404_while_unconfigured(client, db, settings):
    settings.INBOUND_WEBHOOK_TOKEN = ""
    raw = mail_samples.render(mail_samples.UNMATCHED_REPLY, domain=settings.REPLY_DOMAIN)
    assert post_mail(client, raw, HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert not InboundMail.objects.exists()


@pytest.mark.parametrize(
    "authorization", [None, "Bearer wrong", "s3cret-hook", "Basic s3cret-hook"]
)
def test_inbound_webhook_refuses_without_the_token(
    client, db, settings, webhook_token, authorization
):
    raw = mail_samples.render(mail_samples.UNMATCHED_REPLY, domain=settings.REPLY_DOMAIN)
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    assert post_mail(client, raw, **headers).status_code == 403
    assert not InboundMail.objects.exists()


def test_inbound_webhook_ingests_and_answers_202(sent, settings, webhook_token):
    message = sent["message"]
    raw = mail_samples.render(
        mail_samples.GMAIL_REPLY,
        token=message.token,
        domain=settings.REPLY_DOMAIN,
        message_id=message.message_id,
        to=sent["candidate"].email,
    )
    client = Client(enforce_csrf_checks=True)
    response = post_mail(client, raw, HTTP_AUTHORIZATION=f"Bearer {webhook_token}")
    assert response.status_code == 202
    inbound = InboundMail.objects.get()
    assert response.json() == {"kind": "reply", "matched": True, "id": inbound.pk}
    assert inbound.source == "webhook"
    assert bytes(inbound.raw) == raw
    assert state(sent["enrollment"]) == ("stopped", "replied")


def test_inbound_webhook_refuses_other_methods_types_and_sizes(client, db, webhook_token):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {webhook_token}"}
    assert client.get(INBOUND, **auth).status_code == 405
    assert client.post(INBOUND, {"a": "b"}, **auth).status_code == 415
    assert post_mail(client, b"", **auth).status_code == 400
    too_big = b"Subject: x\r\n\r\n" + b"x" * MAX_RAW_BYTES
    assert post_mail(client, too_big, **auth).status_code == 413
    assert not InboundMail.objects.exists()


def test_first_open_and_each_click_are_on_the_timeline(sent):
    message = sent["message"]
    message_open(message=message)
    message_open(message=message)
    message_click(message=message, url="https://example.com/jobs")
    summaries = list(
        TimelineEntry.objects.filter(candidate=message.candidate, data__message=message.pk)
        .order_by("id")
        .values_list("summary", flat=True)
    )
    assert summaries == [
        f"Opened “{message.subject}”",
        f"Clicked https://example.com/jobs in “{message.subject}”",
    ]
