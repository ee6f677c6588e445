"""The dispatcher: what arrives at a real SMTP server on loopback (headers included), exactly
once under racing dispatchers, never after an opt-out, postponed by the cap and quiet hours."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

import pytest
from aiosmtpd.controller import Controller
from django.db import connection as db_connection
from django.utils import timezone

from config.core.models import record_event
from crm.models import Candidate, TimelineEntry
from crm.services.candidates import candidate_set_do_not_contact
from crm.services.consent import consent_record
from nurture.models import Alert, Enrollment, Message, Task
from nurture.services import dispatch, sending
from nurture.services.automation import consume_events
from nurture.services.enrollments import enroll
from nurture.services.sequences import StepInput, sequence_create
from nurture.tasks import dispatch_tick
from tests.conftest import free_port, wait_for
from tests.factories import make_candidate

pytestmark = pytest.mark.django_db

BODY = "Hi {{ candidate.first_name }},\n\nSee our jobs: {{ links.careers }}\n\n{{ recruiter.name }}"


def sequence(owner=None, steps=None, **fields):
    steps = steps or [StepInput(subject="Hello {{ candidate.first_name }}", body=BODY)]
    fields.setdefault("quiet_hours", False)
    return sequence_create(
        name=fields.pop("name", "Test nurture"), owner=owner, steps=steps, **fields
    )


def run_all(now=None):
    while dispatch.schedule_due(now=now).claimed:
        pass
    while True:
        result = sending.send_queued()
        if not (result.sent + result.failed + result.skipped + result.retried):
            break


def test_email_arrives_with_every_header(smtp_server, recruiter):
    seq = sequence(owner=recruiter, from_name="Riley at Demo", from_email="riley@demo.example")
    person = make_candidate(first_name="Ada", email="ada@example.com")
    enroll(candidate=person, sequence=seq)
    run_all()
    assert len(smtp_server.messages) == 1, list(Message.objects.values("status", "error"))
    got = smtp_server.messages[0]
    mail = got["message"]
    assert got["to"] == ["ada@example.com"]
    assert mail["Subject"] == "Hello Ada"
    assert parseaddr(mail["From"]) == ("Riley at Demo", "riley@demo.example")
    stored = Message.objects.get()
    assert stored.status == "sent" and stored.sent_at
    assert mail["Message-ID"].strip() == stored.message_id
    assert mail["Reply-To"] == f"reply+{stored.token}@reply.talentloop.localhost"
    unsubscribe = mail["List-Unsubscribe"]
    assert "<http" in unsubscribe and "/n/u/" in unsubscribe
    assert f"<mailto:unsubscribe+{stored.token}@" in unsubscribe
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.get_content_type() == "multipart/alternative"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "Hi Ada," in text and "Unsubscribe: http" in text
    assert "/n/o/" in html and "/n/c/" in html  # open pixel, tracked link
    assert recruiter.get_full_name() in text  # recruiter.name
    assert TimelineEntry.objects.filter(candidate=person, kind="email_out").exists()


@pytest.mark.django_db(transaction=True)
def test_racing_dispatchers_send_each_message_exactly_once(smtp_server):
    seq = sequence()
    people = [make_candidate() for _ in range(40)]
    for person in people:
        enroll(candidate=person, sequence=seq)
    barrier = threading.Barrier(4)
    errors = []

    def worker():
        try:
            barrier.wait()
            for _ in range(10):
                dispatch.schedule_due(batch=7)
                sending.send_queued(batch=5)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            db_connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run_all()  # whatever the racers left
    assert errors == []
    recipients = [m["to"][0] for m in smtp_server.messages]
    assert sorted(recipients) == sorted(p.email for p in people)
    assert Message.objects.filter(status="sent").count() == 40


def test_unsubscribe_between_claim_and_send_stops_the_send(smtp_server):
    seq = sequence()
    person = make_candidate()
    enroll(candidate=person, sequence=seq)
    dispatch.schedule_due()
    claimed = sending.claim()
    assert len(claimed) == 1
    consent_record(candidate=person, topic="nurture", granted=False, source="test")
    result = sending.send_claimed(ids=claimed)
    assert result.skipped == 1 and smtp_server.messages == []
    message = Message.objects.get()
    assert message.status == "skipped" and "unsubscribed" in message.error


def test_a_sending_or_sent_message_is_never_sent_again(smtp_server):
    seq = sequence()
    enroll(candidate=make_candidate(), sequence=seq)
    dispatch.schedule_due()
    ids = sending.claim()
    assert sending.claim() == []  # SENDING: nobody else claims it
    sending.send_claimed(ids=ids)
    Message.objects.update(status="sent")
    assert sending.claim() == []
    assert sending.send_claimed(ids=ids).sent == 0  # no longer SENDING: not sent by a late worker
    assert len(smtp_server.messages) == 1


def test_do_not_contact_at_send_time_stops_the_enrollment(smtp_server, recruiter):
    seq = sequence()
    person = make_candidate()
    enrollment = enroll(candidate=person, sequence=seq)
    candidate_set_do_not_contact(candidate=person, flag=True, reason="asked", actor=recruiter)
    run_all()
    enrollment.refresh_from_db()
    assert enrollment.state == "stopped" and enrollment.stop_reason == "do_not_contact"
    assert not Message.objects.exists() and smtp_server.messages == []


def test_frequency_cap_postpones_across_sequences(smtp_server):
    first, second = sequence(name="One"), sequence(name="Two")
    person = make_candidate()
    enroll(candidate=person, sequence=first)
    later = enroll(candidate=person, sequence=second)
    now = timezone.now() + timedelta(minutes=1)
    result = dispatch.schedule_due(now=now)
    assert result.queued == 1 and result.postponed == 1
    later.refresh_from_db()
    assert later.step_index == 0
    assert later.next_due_at == now + timedelta(hours=72)
    # Still postponed a day later, sent once the cap has passed.
    assert dispatch.schedule_due(now=now + timedelta(days=1)).queued == 0
    assert dispatch.schedule_due(now=now + timedelta(hours=72)).queued == 1


def test_quiet_hours_postpone_to_the_persons_working_hours():
    seq = sequence(quiet_hours=True)
    person = make_candidate()
    Candidate.objects.filter(pk=person.pk).update(timezone="America/New_York")
    enrollment = enroll(candidate=person, sequence=seq)
    saturday_noon = datetime(2026, 12, 5, 17, 0, tzinfo=UTC)  # 12:00 in New York
    Enrollment.objects.filter(pk=enrollment.pk).update(next_due_at=saturday_noon)
    dispatch.schedule_due(now=saturday_noon)
    enrollment.refresh_from_db()
    assert enrollment.step_index == 0
    assert enrollment.next_due_at == datetime(2026, 12, 7, 14, 0, tzinfo=UTC)  # Mon 9:00 EST
    dispatch.schedule_due(now=enrollment.next_due_at)
    assert Message.objects.filter(enrollment=enrollment).count() == 1


def test_transient_errors_retry_and_permanent_ones_fail_with_an_alert(settings, recruiter):
    class Picky:
        def __init__(self):
            self.delivered = []

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.startswith("later"):
                return "451 4.3.0 try again later"
            if address.startswith("gone"):
                return "550 5.1.1 no such user"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            self.delivered.extend(envelope.rcpt_tos)
            return "250 OK"

    handler, port = Picky(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        seq = sequence(owner=recruiter)
        for email in ("fine@example.com", "later@example.com", "gone@example.com"):
            enroll(candidate=make_candidate(email=email), sequence=seq)
        dispatch.schedule_due()
        result = sending.send_queued()
    finally:
        controller.stop()
    assert (result.sent, result.retried, result.failed) == (1, 1, 1)
    assert handler.delivered == ["fine@example.com"]
    later = Message.objects.get(to_address="later@example.com")
    assert later.status == "queued" and later.retry_at > timezone.now() and later.attempts == 1
    gone = Message.objects.get(to_address="gone@example.com")
    assert gone.status == "failed" and "550" in gone.error
    alert = Alert.objects.get()
    assert alert.owner == recruiter and alert.message == gone
    assert sending.claim() == []  # the retry waits for its backoff


def test_worker_died_mid_send_is_failed_with_an_alert_and_never_resent(smtp_server, recruiter):
    seq = sequence(owner=recruiter)
    enroll(candidate=make_candidate(), sequence=seq)
    dispatch.schedule_due()
    ids = sending.claim()  # ... and the worker dies here
    Message.objects.filter(pk__in=ids).update(sending_at=timezone.now() - timedelta(hours=1))
    assert sending.send_queued().sent == 0
    assert sending.reap_stuck() == 1
    message = Message.objects.get()
    assert message.status == "failed" and "mid-send" in message.error
    assert Alert.objects.filter(owner=recruiter, message=message).exists()
    run_all()
    assert smtp_server.messages == []


def _sent_unopened(enrollment, start, stop):
    for step in enrollment.sequence.steps.all()[start:stop]:
        Message.objects.create(
            enrollment=enrollment,
            step=step,
            candidate=enrollment.candidate,
            channel="email",
            status="sent",
            token=f"t{step.pk}x{enrollment.pk}",
            queued_at=timezone.now() - timedelta(days=10),  # outside the frequency cap
            sent_at=timezone.now() - timedelta(days=10),
        )


def test_unopened_messages_double_the_delay_then_go_cold():
    steps = [StepInput(subject=f"S{i}", body="Hi", delay_hours=48) for i in range(8)]
    seq = sequence(steps=steps, cold_after=5)
    person = make_candidate()
    enrollment = enroll(candidate=person, sequence=seq)
    _sent_unopened(enrollment, 0, 3)
    Enrollment.objects.filter(pk=enrollment.pk).update(step_index=3)
    now = timezone.now() + timedelta(hours=49)
    dispatch.schedule_due(now=now)
    enrollment.refresh_from_db()
    assert enrollment.step_index == 4
    assert enrollment.next_due_at == now + timedelta(hours=96)  # 48 h doubled
    Message.objects.filter(enrollment=enrollment, status="queued").update(status="sent")
    _sent_unopened(enrollment, 4, 5)  # five sent, none opened
    Enrollment.objects.filter(pk=enrollment.pk).update(step_index=5)
    dispatch.schedule_due(now=enrollment.next_due_at)
    enrollment.refresh_from_db()
    assert enrollment.state == "completed" and enrollment.stop_reason == "gone_cold"
    assert "gone cold" in Candidate.objects.get(pk=person.pk).tags


def test_engaged_people_get_the_next_step_sooner():
    steps = [StepInput(subject=f"S{i}", body="Hi", delay_hours=96) for i in range(4)]
    seq = sequence(steps=steps)
    enrollment = enroll(candidate=make_candidate(), sequence=seq)
    _sent_unopened(enrollment, 0, 2)
    Message.objects.filter(enrollment=enrollment).update(opened_at=timezone.now())
    Enrollment.objects.filter(pk=enrollment.pk).update(step_index=2)
    now = timezone.now() + timedelta(days=5)
    dispatch.schedule_due(now=now)
    enrollment.refresh_from_db()
    assert enrollment.next_due_at == now + timedelta(hours=48)


def test_last_step_repeats_monthly_until_stopped(smtp_server):
    seq = sequence(
        steps=[StepInput(subject="First", body="Hi"), StepInput(subject="Monthly", body="Hi")],
        repeat_last_every_days=30,
        adaptive=False,
    )
    enrollment = enroll(candidate=make_candidate(), sequence=seq)
    now = timezone.now()
    for month in range(3):
        dispatch.schedule_due(now=now + timedelta(days=30 * month, minutes=1))
    enrollment.refresh_from_db()
    occurrences = list(
        Message.objects.filter(enrollment=enrollment)
        .order_by("id")
        .values_list("step__position", "occurrence")
    )
    assert occurrences == [(0, 0), (1, 0), (1, 1)]
    assert enrollment.state == "active"


def test_an_application_stops_passive_nurture_and_a_hire_stops_everything():

    passive = sequence(name="Passive", stop_on_application=True)
    other = sequence(name="News")
    person = make_candidate()
    stopped = enroll(candidate=person, sequence=passive)
    kept = enroll(candidate=person, sequence=other)
    record_event(
        "application.created",
        subject_type="ats.application",
        subject_id=1,
        payload={"candidate": person.pk},
    )
    assert consume_events() == 1
    stopped.refresh_from_db()
    kept.refresh_from_db()
    assert (stopped.state, stopped.stop_reason) == ("stopped", "applied")
    assert kept.state == "active"
    record_event(
        "application.hired",
        subject_type="ats.application",
        subject_id=1,
        payload={"candidate": person.pk},
    )
    consume_events()
    kept.refresh_from_db()
    assert (kept.state, kept.stop_reason) == ("stopped", "hired")
    assert consume_events() == 0


def test_manual_steps_become_tasks_and_sms_goes_to_the_outbox(settings, tmp_path, recruiter):
    settings.OUTBOX_DIR = tmp_path
    seq = sequence(
        owner=recruiter,
        steps=[
            StepInput(channel="manual", task_kind="linkedin", subject="Connect", body="Say hi"),
            StepInput(channel="sms", body="Hi {{ candidate.first_name }}, a quick hello"),
        ],
        adaptive=False,
    )
    person = make_candidate(first_name="Sam", phone="+14155550123")
    enroll(candidate=person, sequence=seq)
    run_all()
    task = Task.objects.get()
    assert task.owner == recruiter and task.candidate == person and task.kind == "linkedin"
    run_all(now=timezone.now() + timedelta(minutes=1))
    line = json.loads((tmp_path / "sms.jsonl").read_text().splitlines()[0])
    assert line["to"] == "+14155550123" and line["body"] == "Hi Sam, a quick hello"
    assert Message.objects.get(channel="sms").status == "sent"


@pytest.mark.django_db(transaction=True)
def test_the_beat_task_sends_through_a_real_worker(smtp_server, celery_worker):

    seq = sequence()
    enroll(candidate=make_candidate(email="worker@example.com"), sequence=seq)
    dispatch_tick.delay()
    wait_for(lambda: smtp_server.messages, timeout=30)
    assert smtp_server.messages[0]["to"] == ["worker@example.com"]
