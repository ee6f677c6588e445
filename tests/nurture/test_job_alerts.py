"""Job alerts: who gets which new jobs (department, places, remote, none given), once per job
ever, at their frequency (immediate, weekly digest; frozen clock through ``now=``), never
during a pause or without consent, exactly once under racing runs, and the mail as it arrives
at a real SMTP server on loopback, with job links and an unsubscribe that stops job alerts only.
"""

from __future__ import annotations

import importlib
import logging
import threading
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.db import connection as db_connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from ats.models import Job
from ats.services.jobs import job_update
from crm.models import Candidate, ConsentRecord
from crm.selectors.consent import may_contact
from crm.services.candidates import candidate_mark_email_invalid, candidate_set_do_not_contact
from crm.services.community import community_confirm, community_link, community_signup
from crm.services.consent import consent_record
from nurture import builtin, templating
from nurture.models import Enrollment, JobAlertItem, Message, Sequence
from nurture.services import dispatch, sending
from nurture.services.enrollments import enroll
from nurture.services.errors import NurtureError
from nurture.services.job_alerts import _next_alert_at, job_alerts_run, job_fits
from nurture.services.sequences import StepInput, ensure_builtin_sequences, step_problems
from nurture.tasks import job_alerts_for, job_alerts_tick
from nurture.views.profile import nurture_panel
from tests.factories import make_candidate, make_job

pytestmark = pytest.mark.django_db

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # the members join here
migration = importlib.import_module("nurture.migrations.0004_job_alerts")


def member(
    *,
    interests=("Engineering",),
    locations=(),
    frequency="immediate",
    joined=T0,
    consent=True,
    status="confirmed",
    **data,
) -> Candidate:
    """A talent-community member as the signup and the confirmation leave them."""
    person = make_candidate(**data)
    Candidate.objects.filter(pk=person.pk).update(
        community_status=status,
        community_joined_at=joined,
        interest_areas=list(interests),
        interest_locations=list(locations),
        contact_frequency=frequency,
    )
    if consent:
        consent_record(candidate=person, topic="job_alerts", granted=True, source="test")
    person.refresh_from_db()
    return person


def job(title="Backend Engineer", *, opened=T0 + timedelta(days=1), city="Berlin",
        country="DE", remote="onsite", department="Engineering", **data) -> Job:  # fmt: skip
    """A public job opened at ``opened``."""
    locations = [{"city": city, "country": country}] if city else []
    made = make_job(
        title=title, department=department, remote_policy=remote, locations=locations, **data
    )
    Job.objects.filter(pk=made.pk).update(opened_at=opened)
    return made


def alerted(person) -> set[str]:
    return set(JobAlertItem.objects.filter(candidate=person).values_list("job__title", flat=True))


def mails(person) -> list[Message]:
    return list(
        Message.objects.filter(candidate=person, enrollment__sequence__builtin_key="job_alerts")
        .prefetch_related("job_alert_items__job")
        .order_by("queued_at", "id")
    )


def titles(message: Message) -> set[str]:
    return {item.job.title for item in message.job_alert_items.all()}


def send_all():
    while True:
        result = sending.send_queued()
        if not (result.sent + result.failed + result.skipped + result.retried):
            return


# --------------------------------------------------------------------------- the sequence


def test_job_alerts_sequence_exists_after_migrate_and_matches_the_module():
    sequence = Sequence.objects.get(builtin_key="job_alerts")
    assert (sequence.name, sequence.topic, sequence.owner) == ("Job alerts", "job_alerts", None)
    assert migration.JOB_ALERTS == builtin.JOB_ALERTS
    (step,) = sequence.steps.all()
    data = StepInput(channel=step.channel, subject=step.subject, body=step.body)
    assert step_problems(data) == []
    assert "{{ jobs.list }}" in step.body and "{{ links.preferences }}" in step.body


def test_nobody_is_enrolled_in_job_alerts_by_hand_and_the_dispatcher_never_sends_it():
    sequence = Sequence.objects.get(builtin_key="job_alerts")
    person = make_candidate()
    with pytest.raises(NurtureError, match="by hand"):
        enroll(candidate=person, sequence=sequence)
    # Even an enrollment that looks due to the dispatcher is not the dispatcher's to send.
    Enrollment.objects.create(
        candidate=person, sequence=sequence, enrolled_at=T0, next_due_at=T0 - timedelta(days=1)
    )
    assert dispatch.schedule_due(now=T0).claimed == 0
    assert not Message.objects.exists()


# --------------------------------------------------------------------------- fit


def test_job_fits_by_department_place_and_remote():
    berlin = job("Berlin backend")
    remote = job("Remote backend", city="", remote="remote")
    design = job("Designer", department="Design")
    hybrid = job("Lisbon backend", city="Lisbon", country="PT", remote="hybrid")

    def fits(made, areas=(), places=()):
        return job_fits(made, areas=areas, places=places)

    assert fits(berlin, ["engineering"], ["berlin"])  # any case
    assert fits(berlin, ["Engineering"], ["DE"]) and fits(berlin, ["Engineering"], ["Berlin, DE"])
    assert not fits(berlin, ["Engineering"], ["London"])
    assert not fits(design, ["Engineering"], [])
    assert fits(design, [], [])  # nothing given: anything, anywhere
    assert fits(remote, ["Engineering"], ["Remote"])
    assert fits(remote, ["Engineering"], ["London"])  # they may work remotely from London
    assert not fits(berlin, ["Engineering"], ["Remote"])  # remote only
    assert fits(hybrid, ["Engineering"], ["Lisbon"]) and not fits(hybrid, [], ["Berlin"])


def test_matching_members_get_the_jobs_that_fit_them():
    berlin_eng = member(interests=["Engineering"], locations=["Berlin"])
    remote_only = member(interests=["Engineering"], locations=["Remote"])
    anywhere = member(interests=["Engineering"], locations=[])
    design = member(interests=["Design"], locations=["Berlin"])
    job("Berlin backend")
    job("Remote backend", city="", remote="remote")
    job("London backend", city="London", country="GB")
    job("Berlin designer", department="Design")

    result = job_alerts_run(now=T0 + timedelta(days=2))

    assert result.queued == 4
    assert alerted(berlin_eng) == {"Berlin backend", "Remote backend"}
    assert alerted(remote_only) == {"Remote backend"}
    assert alerted(anywhere) == {"Berlin backend", "Remote backend", "London backend"}
    assert alerted(design) == {"Berlin designer"}


def test_only_public_jobs_opened_since_joining_are_new():
    person = member(interests=[], locations=[])
    job("Opened before joining", opened=T0 - timedelta(days=1))
    job("Draft", status="draft", published=False)
    job("Unpublished", published=False)
    job("Closed", status="closed")
    job("New")
    job_alerts_run(now=T0 + timedelta(days=2))
    assert alerted(person) == {"New"}


# --------------------------------------------------------------------------- gates


def test_nobody_who_may_not_get_alerts_gets_any():
    no_consent = member(consent=False)
    pending = member(status="pending")
    dnc = member()
    candidate_set_do_not_contact(candidate=dnc, flag=True, reason="asked us", actor=None)
    bounced = member()
    candidate_mark_email_invalid(candidate=bounced, reason="550 no such user")
    withdrew = member()
    consent_record(candidate=withdrew, topic="job_alerts", granted=False, source="test")
    everything = member()
    consent_record(candidate=everything, topic="all", granted=False, source="test")
    paused = member()
    Candidate.objects.filter(pk=paused.pk).update(contact_paused_until=T0 + timedelta(days=30))
    ok = member()
    job("Berlin backend")

    job_alerts_run(now=T0 + timedelta(days=2))

    assert [m.candidate_id for m in Message.objects.all()] == [ok.pk]
    enrolled = set(Enrollment.objects.values_list("candidate_id", flat=True))
    assert enrolled == {ok.pk, paused.pk}  # the paused member waits in it
    for person in (no_consent, pending, dnc, bounced, withdrew, everything, paused):
        assert alerted(person) == set(), person


def test_a_member_who_becomes_do_not_contact_is_stopped_and_never_alerted():
    person = member()
    job_alerts_run(now=T0 + timedelta(hours=1))  # enrolled, nothing new yet
    candidate_set_do_not_contact(candidate=person, flag=True, reason="asked us", actor=None)
    job("Berlin backend")
    result = job_alerts_run(now=T0 + timedelta(days=2))
    assert result.stopped == 1 and result.queued == 0
    enrollment = Enrollment.objects.get(candidate=person)
    assert (enrollment.state, enrollment.stop_reason) == ("stopped", "do_not_contact")


def test_a_paused_member_gets_nothing_until_the_pause_ends():
    person = member()
    until = T0 + timedelta(days=10)
    Candidate.objects.filter(pk=person.pk).update(contact_paused_until=until)
    job("Berlin backend")
    assert job_alerts_run(now=T0 + timedelta(days=2)).queued == 0
    assert job_alerts_run(now=until - timedelta(minutes=1)).queued == 0
    assert job_alerts_run(now=until + timedelta(minutes=1)).queued == 1
    assert alerted(person) == {"Berlin backend"}


# --------------------------------------------------------------------------- frequency


def test_immediate_sends_promptly_then_holds_to_the_frequency_cap(settings):
    settings.NURTURE_FREQUENCY_CAP_HOURS = 72
    person = member(frequency="immediate")
    first = job("First", opened=T0 + timedelta(hours=1))
    assert job_alerts_run(now=T0 + timedelta(hours=1, minutes=15)).queued == 1
    job("Second", opened=T0 + timedelta(hours=2))
    assert job_alerts_run(now=T0 + timedelta(hours=3)).queued == 0  # capped
    assert job_alerts_run(now=T0 + timedelta(hours=1, minutes=15) + timedelta(hours=72)).queued == 1
    got = mails(person)
    assert [titles(m) for m in got] == [{"First"}, {"Second"}]
    assert [m.occurrence for m in got] == [1, 2]
    assert first.title in got[0].body_text


def test_immediate_without_a_cap_is_at_most_one_mail_a_day(settings):
    settings.NURTURE_FREQUENCY_CAP_HOURS = 0
    person = member(frequency="immediate")
    job("First", opened=T0 + timedelta(hours=1))
    assert job_alerts_run(now=T0 + timedelta(hours=2)).queued == 1
    job("Second", opened=T0 + timedelta(hours=3))
    assert job_alerts_run(now=T0 + timedelta(hours=20)).queued == 0
    assert job_alerts_run(now=T0 + timedelta(hours=26)).queued == 1
    assert len(mails(person)) == 2


def test_a_nurture_email_holds_the_alert_back_like_any_email(settings):
    settings.NURTURE_FREQUENCY_CAP_HOURS = 72
    person = member()
    job("Berlin backend")
    at = T0 + timedelta(days=2)
    other = Sequence.objects.get(builtin_key="passive_nurture")
    enrollment = Enrollment.objects.create(
        candidate=person, sequence=other, enrolled_at=at, next_due_at=at
    )
    Message.objects.create(
        enrollment=enrollment, step=other.steps.first(), candidate=person, channel="email",
        token="t" * 24, to_address=person.email, queued_at=at - timedelta(hours=1), status="sent",
    )  # fmt: skip
    assert job_alerts_run(now=at).queued == 0
    assert job_alerts_run(now=at + timedelta(hours=72)).queued == 1


def test_weekly_digest_batches_new_jobs_into_one_mail_and_waits_seven_days(settings):
    settings.NURTURE_FREQUENCY_CAP_HOURS = 72
    person = member(frequency="weekly", interests=["Engineering"], locations=["Berlin"])
    for day, title in ((1, "One"), (2, "Two"), (5, "Three")):
        job(title, opened=T0 + timedelta(days=day))
    job("Not a fit", opened=T0 + timedelta(days=3), department="Sales")

    assert job_alerts_run(now=T0 + timedelta(days=3)).queued == 0  # a week after joining
    assert job_alerts_run(now=T0 + timedelta(days=6, hours=23)).queued == 0
    assert job_alerts_run(now=T0 + timedelta(days=7)).queued == 1
    job("Four", opened=T0 + timedelta(days=8))
    assert job_alerts_run(now=T0 + timedelta(days=10)).queued == 0
    assert job_alerts_run(now=T0 + timedelta(days=13, hours=23)).queued == 0
    assert job_alerts_run(now=T0 + timedelta(days=14)).queued == 1

    first, second = mails(person)
    assert titles(first) == {"One", "Two", "Three"} and titles(second) == {"Four"}
    assert first.subject == f"New at {settings.COMPANY_NAME}: Three and 2 more roles"
    for title in ("One", "Two", "Three"):
        assert title in first.body_text


def test_monthly_and_pause_rules_of_next_alert_at():
    person = Candidate(contact_frequency="monthly", community_joined_at=T0)
    assert _next_alert_at(person, None, T0) == T0 + timedelta(days=30)
    assert _next_alert_at(person, T0 + timedelta(days=31), T0) == T0 + timedelta(days=61)
    person.contact_paused_until = T0 + timedelta(days=90)
    assert _next_alert_at(person, None, T0) == T0 + timedelta(days=90)
    person.contact_frequency, person.contact_paused_until = "immediate", None
    assert _next_alert_at(person, None, T0) == T0


def test_at_most_ten_jobs_a_mail_and_the_rest_in_the_next(settings):
    settings.NURTURE_FREQUENCY_CAP_HOURS = 0
    person = member(interests=[], locations=[])
    for n in range(12):
        job(f"Job {n:02d}", opened=T0 + timedelta(hours=1, minutes=n))
    job_alerts_run(now=T0 + timedelta(hours=2))
    job_alerts_run(now=T0 + timedelta(days=2))
    first, second = mails(person)
    assert len(titles(first)) == 10 and titles(second) == {"Job 00", "Job 01"}  # newest first


# --------------------------------------------------------------------------- once, ever


def test_a_job_is_alerted_to_a_person_once_ever(settings):
    settings.NURTURE_FREQUENCY_CAP_HOURS = 0
    person = member()
    job("Berlin backend")
    job_alerts_run(now=T0 + timedelta(days=2))
    # They unsubscribe, come back (a fresh enrollment), and a new job opens.
    consent_record(candidate=person, topic="job_alerts", granted=False, source="test")
    job_alerts_run(now=T0 + timedelta(days=3))
    assert Enrollment.objects.get(candidate=person).state == "stopped"
    consent_record(candidate=person, topic="job_alerts", granted=True, source="test")
    job("Berlin frontend", opened=T0 + timedelta(days=4))
    job_alerts_run(now=T0 + timedelta(days=5))
    job_alerts_run(now=T0 + timedelta(days=9))

    assert [titles(m) for m in mails(person)] == [{"Berlin backend"}, {"Berlin frontend"}]
    assert Enrollment.objects.filter(candidate=person, state="active").count() == 1


@pytest.mark.django_db(transaction=True)
def test_overlapping_runs_send_each_alert_exactly_once(smtp_server):
    ensure_builtin_sequences()  # an earlier transactional test's flush removed the migration's
    people = [member() for _ in range(30)]
    job("Berlin backend")
    job("Berlin frontend")
    barrier = threading.Barrier(4)
    errors = []

    def worker():
        try:
            barrier.wait()
            for _ in range(3):
                job_alerts_run(now=T0 + timedelta(days=2), batch=4)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            db_connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    job_alerts_run(now=T0 + timedelta(days=2))  # whatever the racers left
    send_all()

    assert errors == []
    assert Enrollment.objects.filter(sequence__builtin_key="job_alerts").count() == 30
    assert Message.objects.count() == 30
    assert JobAlertItem.objects.count() == 60
    assert sorted(m["to"][0] for m in smtp_server.messages) == sorted(p.email for p in people)


# --------------------------------------------------------------------------- the mail


def one_click(url: str):
    """RFC 8058: what a mailbox provider posts, with no cookie and no CSRF token."""
    return Client(enforce_csrf_checks=True).post(
        urlsplit(url).path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )


def test_the_alert_arrives_with_job_links_and_unsubscribes_from_job_alerts_only(smtp_server):
    person = member(first_name="Ada", locations=["Berlin"])
    backend = job("Senior Backend Engineer")
    remote = job("Platform Engineer", city="", remote="remote")

    job_alerts_run(now=T0 + timedelta(days=2))
    send_all()

    (got,) = smtp_server.messages
    mail = got["message"]
    assert got["to"] == [person.email]
    assert mail["Subject"].startswith("New at ")
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert text.startswith("Hi Ada,")
    for made in (backend, remote):
        assert made.title in text and templating.job_url(made) in text
    assert "Remote" in text and "Berlin, DE" in text
    assert "/n/c/" in html and "/n/o/" in html  # tracked links, open pixel
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    stored = Message.objects.get()
    assert stored.status == "sent" and mail["Message-ID"].strip() == stored.message_id

    url = mail["List-Unsubscribe"].split(",")[0].strip("<> ")
    response = one_click(url)
    assert response.status_code == 200
    assert b"unsubscribed from job alerts" in response.content
    record = ConsentRecord.objects.filter(candidate=person).order_by("-at", "-id").first()
    assert (record.topic, record.granted, record.source) == ("job_alerts", False, "one-click")
    assert may_contact(person, "nurture")  # the other topics are kept
    enrollment = Enrollment.objects.get(candidate=person)
    assert (enrollment.state, enrollment.stop_reason) == ("stopped", "unsubscribed")

    job("Berlin data engineer", opened=T0 + timedelta(days=3))
    assert job_alerts_run(now=T0 + timedelta(days=10)).queued == 0
    assert Enrollment.objects.filter(candidate=person).count() == 1  # not enrolled again


def test_a_visitor_who_joins_and_confirms_gets_the_next_matching_job(settings):
    settings.NURTURE_FREQUENCY_CAP_HOURS = 0
    data = {
        "first_name": "Grace", "last_name": "Hopper", "email": "grace@example.com",
        "interests": ["Engineering"], "locations": ["Berlin"], "topics": ["job_alerts"],
    }  # fmt: skip
    outcome = community_signup(data=data, privacy_notice_version="v1", ip="127.0.0.1")
    before = job("Before confirming")
    link = community_link(outcome.candidate, topics=["job_alerts"], version="v1")
    community_confirm(token=urlsplit(link).path.rstrip("/").rsplit("/", 1)[-1])
    person = Candidate.objects.get(pk=outcome.candidate.pk)
    Job.objects.filter(pk=before.pk).update(
        opened_at=person.community_joined_at - timedelta(hours=1)
    )
    later = person.community_joined_at + timedelta(hours=1)
    job("After confirming", opened=later)

    assert job_alerts_run(now=later + timedelta(minutes=15)).queued == 1
    assert alerted(person) == {"After confirming"}


# --------------------------------------------------------------------------- tasks


def test_the_tasks_run_alerts_and_a_missing_id_is_logged_and_ignored(caplog):
    person = member()
    job("Berlin backend", opened=T0)
    Candidate.objects.filter(pk=person.pk).update(community_joined_at=T0 - timedelta(days=1))
    with caplog.at_level(logging.WARNING, logger="nurture.tasks"):
        assert job_alerts_for(987654321) == 0
        assert job_alerts_for("not-an-id") == 0
    assert "no person with id 987654321" in caplog.text
    assert not Message.objects.exists()
    assert job_alerts_for(person.pk) == 1
    assert job_alerts_tick() == {"enrolled": 0, "queued": 0, "jobs": 0}  # already done


def test_archiving_the_sequence_turns_job_alerts_off():
    Sequence.objects.filter(builtin_key="job_alerts").update(archived=True)
    member()
    job("Berlin backend")
    result = job_alerts_run(now=T0 + timedelta(days=2))
    assert (result.enrolled, result.queued) == (0, 0)


# --------------------------------------------------------------------------- screens


def test_the_profile_says_who_gets_job_alerts_and_when_the_last_went(client, recruiter):
    person = member(first_name="Ada", frequency="weekly")
    job("Berlin backend")
    job_alerts_run(now=T0 + timedelta(days=8))
    Message.objects.update(status="sent", sent_at=T0 + timedelta(days=8))
    client.force_login(recruiter)
    response = client.get(reverse("crm:candidate-detail", args=[person.pk]))
    html = response.content.decode()
    panel = html[html.index('id="nurture"') :]
    assert response.status_code == 200
    assert "Gets job alerts" in panel and "Weekly digest" in panel
    assert "Last alert" in panel and "9 Mar 2027" in panel and "1 job alerted" in panel

    consent_record(candidate=person, topic="job_alerts", granted=False, source="test")
    html = client.get(reverse("crm:candidate-detail", args=[person.pk])).content.decode()
    assert "No job alerts" in html and "Unsubscribed from job alerts" in html


def test_the_profile_panel_is_for_recruiters_only(manager):
    request = RequestFactory().get("/")
    request.user = manager
    assert nurture_panel(request, member()) is None


def test_the_job_alerts_sequence_page_lists_its_people_for_recruiters_only(client, users):
    person = member(first_name="Ada", last_name="Alerted")
    job("Berlin backend")
    job_alerts_run(now=T0 + timedelta(days=2))
    sequence = Sequence.objects.get(builtin_key="job_alerts")
    url = reverse("nurture:enrollments", args=[sequence.pk])
    client.force_login(users["recruiter"])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and person.full_name in html
    assert "Who gets job alerts" in html and "Enroll someone" not in html
    detail = client.get(reverse("nurture:sequence", args=[sequence.pk]))
    assert detail.status_code == 200 and "Job alerts" in detail.content.decode()
    for role in ("manager", "interviewer", "outsider"):
        client.force_login(users[role])
        assert client.get(url).status_code in (403, 404), role


def test_job_alerts_are_not_offered_in_the_enroll_select(recruiter):
    request = RequestFactory().get("/")
    request.user = recruiter
    panel = nurture_panel(request, make_candidate())
    assert "Job alerts" not in {s.name for s in panel.context["sequences"]}


def test_a_deleted_job_alerts_sequence_comes_back_with_its_topic():
    Sequence.objects.filter(builtin_key="job_alerts").delete()
    assert ensure_builtin_sequences() == ["job_alerts"]
    assert Sequence.objects.get(builtin_key="job_alerts").topic == "job_alerts"


def test_the_preview_of_job_alerts_shows_sample_jobs(client, recruiter):
    sequence = Sequence.objects.get(builtin_key="job_alerts")
    person = make_candidate(first_name="Ada")
    client.force_login(recruiter)
    url = reverse("nurture:sequence-preview", args=[sequence.pk])
    response = client.get(url, {"candidate": person.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hi Ada," in html and templating.MERGE_FIELDS["jobs"]["headline"] in html


def test_a_job_published_after_joining_is_new_even_when_opened_before():
    now = timezone.now()  # this one runs on the real clock (job_update stamps published_at)
    person = member(joined=now - timedelta(days=10))
    internal = job("Opened internally first", published=False, opened=now - timedelta(days=20))
    job("Public all along", opened=now - timedelta(days=20))
    Job.objects.filter(title="Public all along").update(published_at=now - timedelta(days=20))
    job_update(job=internal, actor=None, data={"published": True})
    job_alerts_run(now=timezone.now() + timedelta(minutes=1))
    assert alerted(person) == {"Opened internally first"}
