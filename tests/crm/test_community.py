"""The talent community's services: signup (checks, lookup before create, consent ledger,
confirmation mail after commit) and the double opt-in confirmation link."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings

from config.celery import app as celery_app
from config.core.links import BadLink, sign_link
from config.core.models import DomainEvent
from crm.forms import sniff_resume
from crm.models import Candidate, CommunityStatus, ConsentRecord, TimelineEntry
from crm.selectors.community import COMMUNITY_LINK_SALT, community_members, email_digest
from crm.selectors.consent import may_contact, withdrawn_topics
from crm.services.community import (
    community_confirm,
    community_link,
    community_signup,
)
from crm.services.consent import consent_record
from crm.services.errors import CandidateInputError
from tests.factories import make_candidate

pytestmark = pytest.mark.django_db


def signup_data(**overrides) -> dict:
    data = {
        "first_name": "Grace",
        "last_name": "Hopper",
        "email": "grace@example.com",
        "interests": ["Engineering", "Data"],
        "locations": ["Berlin", "Remote"],
        "topics": ["job_alerts", "company_news"],
    }
    return data | overrides


def signup(**overrides):
    return community_signup(
        data=signup_data(**overrides), privacy_notice_version="2026-01", ip="10.1.2.3"
    )


def token_of(candidate) -> str:
    return community_link(candidate).rstrip("/").rsplit("/", 1)[1]


def test_signup_creates_a_pending_person_with_consent_and_a_mail_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        outcome = signup()
    person = Candidate.objects.get()
    assert outcome.created and person == outcome.candidate
    assert person.community_status == CommunityStatus.PENDING
    assert person.community_joined_at is None
    assert person.interest_areas == ["Engineering", "Data"]
    assert person.interest_locations == ["Berlin", "Remote"]
    assert person.source == "talent_community"
    assert not ConsentRecord.objects.exists()  # granted on confirming, not on typing an address
    summaries = list(person.timeline.values_list("summary", flat=True))
    assert "Signed up for the talent community (awaiting confirmation)" in summaries
    assert len(callbacks) == 1  # the confirmation mail
    assert not community_members().exists()  # pending is not a member


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": ""}, "email"),
        ({"first_name": "  "}, "first_name"),
        ({"interests": []}, "interests"),
        ({"interests": ["Astrology"]}, "interests"),
        ({"topics": ["company_news"]}, "topics"),
        ({"topics": []}, "topics"),
        ({"linkedin_url": "https://evil.example/in/grace"}, "linkedin_url"),
        ({"seniority": "overlord"}, "seniority"),
        ({"locations": [f"City {i}" for i in range(11)]}, "locations"),
    ],
)
def test_bad_signups_name_the_field_and_store_nothing(overrides, field):
    with pytest.raises(CandidateInputError) as exc:
        signup(**overrides)
    assert exc.value.errors.get(field)
    assert not Candidate.objects.exists() and not ConsentRecord.objects.exists()


def test_no_job_alert_consent_is_refused_with_a_clear_reason():
    with pytest.raises(CandidateInputError) as exc:
        signup(topics=["nurture"])
    assert "job alerts" in exc.value.errors["topics"]


def test_an_existing_person_is_not_renamed_and_gains_interests():
    known = make_candidate(
        first_name="Grace", last_name="Hopper", email="grace@example.com", current_title="Admiral"
    )
    known.interest_areas = ["Product"]
    known.save(update_fields=["interest_areas"])
    outcome = signup(
        first_name="Mallory", last_name="Stranger", email=" GRACE@example.com ", seniority="intern"
    )
    person = Candidate.objects.get()
    assert not outcome.created and person.pk == known.pk
    assert (person.first_name, person.last_name) == ("Grace", "Hopper")
    assert person.current_title == "Admiral"
    assert person.interest_areas == ["Product", "Engineering", "Data"]
    assert person.seniority == "intern"  # was empty: filled, never replaced


def test_a_confirmed_member_stays_confirmed_when_signing_up_again():
    outcome = signup()
    community_confirm(token=token_of(outcome.candidate))
    again = signup(interests=["Sales"])
    person = Candidate.objects.get()
    assert again.already_member
    assert person.community_status == CommunityStatus.CONFIRMED
    assert person.interest_areas == ["Engineering", "Data", "Sales"]


def test_confirm_makes_a_member_once_with_consent_timeline_and_event(
    django_capture_on_commit_callbacks, smtp_server, eager_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        person = signup().candidate
    body = smtp_server.messages[0]["message"].get_content()
    token = re.search(r"/careers/join/confirm/(\S+)/", body).group(1)
    first = community_confirm(token=token)
    second = community_confirm(token=token)
    person.refresh_from_db()
    assert first.newly_joined and not second.newly_joined
    assert person.community_status == CommunityStatus.CONFIRMED
    assert person.community_joined_at is not None
    assert list(community_members()) == [person]
    events = DomainEvent.objects.filter(type="community.joined", subject_id=person.pk)
    assert events.count() == 1
    assert events.get().payload["interests"] == ["Engineering", "Data"]
    joined = person.timeline.filter(summary__startswith="Joined the talent community")
    assert joined.count() == 1
    consents = ConsentRecord.objects.filter(candidate=person, granted=True)
    assert sorted(consents.values_list("topic", flat=True)) == ["company_news", "job_alerts"]
    assert all("privacy notice 2026-01" in c.note for c in consents)


@pytest.fixture
def eager_tasks():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def test_a_stranger_signup_does_not_resubscribe_until_confirmed():
    person = make_candidate(email="grace@example.com")
    consent_record(candidate=person, topic="job_alerts", granted=False, source="unsubscribe link")
    consent_record(candidate=person, topic="all", granted=False, source="unsubscribe link")
    signup()
    assert withdrawn_topics(person) == {"job_alerts", "all"}
    link = community_link(person, topics=["job_alerts"], version="2026-01")
    community_confirm(token=link.rstrip("/").rsplit("/", 1)[1])
    assert withdrawn_topics(person) == set()  # the person's own confirmation is the fresh opt-in
    assert may_contact(person, "job_alerts").allowed


def test_a_forged_link_is_refused_and_changes_nothing():
    person = signup().candidate
    with pytest.raises(BadLink) as exc:
        community_confirm(token=token_of(person)[:-3] + "abc")
    assert not exc.value.expired and "not valid" in exc.value.message
    other_salt = sign_link("ats.offer", [person.pk, email_digest(person.email)])
    with pytest.raises(BadLink):
        community_confirm(token=other_salt)
    person.refresh_from_db()
    assert person.community_status == CommunityStatus.PENDING


def _token_signed_ago(monkeypatch, person, age: timedelta) -> str:
    """A link signed ``age`` ago (the signer's clock moved back just while signing)."""
    real = signing.time.time
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: real() - age.total_seconds())
        return token_of(person)


def test_an_expired_link_says_so(monkeypatch):
    person = signup().candidate
    old = _token_signed_ago(monkeypatch, person, timedelta(days=7, minutes=1))
    with pytest.raises(BadLink) as exc:
        community_confirm(token=old)
    assert exc.value.expired and "expired" in exc.value.message
    person.refresh_from_db()
    assert person.community_status == CommunityStatus.PENDING
    recent = _token_signed_ago(monkeypatch, person, timedelta(days=6, hours=23))
    assert community_confirm(token=recent).newly_joined  # within 7 days


def test_a_link_dies_when_the_address_changes_or_the_person_left():
    person = signup().candidate
    token = token_of(person)
    Candidate.objects.filter(pk=person.pk).update(email="new@example.com")
    with pytest.raises(BadLink):
        community_confirm(token=token)
    Candidate.objects.filter(pk=person.pk).update(
        email="grace@example.com", community_status=CommunityStatus.NONE
    )
    with pytest.raises(BadLink):
        community_confirm(token=token)


def test_signup_with_a_resume_stores_it(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("cv.pdf", b"%PDF-1.4 tiny", content_type="application/pdf")
    checked = sniff_resume(upload)
    person = community_signup(
        data=signup_data(), privacy_notice_version="2026-01", ip="10.0.0.1",
        resume=(upload, checked),
    ).candidate  # fmt: skip
    assert person.resumes.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_signups_of_one_address_make_one_person():
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def run(variant: str) -> None:
        try:
            barrier.wait(timeout=10)
            signup(email=variant)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    variants = ["race@example.com", " RACE@example.com", "Race@Example.com", "race@EXAMPLE.com"]
    threads = [threading.Thread(target=run, args=(v,)) for v in variants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Candidate.objects.count() == 1
    person = Candidate.objects.get()
    assert person.community_status == CommunityStatus.PENDING
    assert person.interest_areas == ["Engineering", "Data"]
    signups = TimelineEntry.objects.filter(summary__startswith="Signed up for the talent")
    assert signups.count() == 4


@override_settings(SITE_URL="https://jobs.example.com")
def test_the_link_is_absolute_and_signed_for_the_current_address():
    person = signup().candidate
    link = community_link(person)
    assert link.startswith("https://jobs.example.com/careers/join/confirm/")
    payload = signing.loads(token_of(person), salt=COMMUNITY_LINK_SALT)
    assert payload == [person.pk, email_digest("grace@example.com"), ["job_alerts"], "2026-01"]


def test_demo_data_has_a_confirmed_and_a_pending_member(capsys):
    call_command("load_demo_data")
    first = capsys.readouterr().out
    call_command("load_demo_data")
    second = capsys.readouterr().out
    assert "2 community signups added, 1 community members, 1 community signups pending" in first
    # nurture's demo (loaded after crm's) adds two job-alert members, Carmen and Yara.
    assert "0 community signups added, 3 community members, 1 community signups pending" in second
    assert sorted(c.email for c in community_members()) == [
        "carmen.navarro@demo.talentloop.localhost",
        "wen.zhang@demo.talentloop.localhost",
        "yara.costa@demo.talentloop.localhost",
    ]
    pending = Candidate.objects.get(community_status=CommunityStatus.PENDING)
    assert pending.email == "quinn.doyle@demo.talentloop.localhost"
    assert DomainEvent.objects.filter(type="community.joined").count() == 1
