"""The talent-community pages of the career site (/careers/join/, the embed, the link's page)
and the public API POST /api/v1/public/talent-community/."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.celery import app as celery_app
from crm.models import Candidate, CommunityStatus, ConsentRecord
from crm.services.community import community_link, community_signup
from tests.factories import make_candidate, make_job

pytestmark = pytest.mark.django_db

JOIN = reverse("careers:join")
EMBED = reverse("careers:join-embed")
API = "/api/v1/public/talent-community/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def eager_tasks():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def form_data(**overrides) -> dict:
    data = {
        "first_name": "Grace",
        "last_name": "Hopper",
        "email": "grace@example.com",
        "interests": ["Engineering"],
        "locations": ["Remote"],
        "seniority": "senior",
        "linkedin_url": "",
        "topics": ["job_alerts"],
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def join(client, url=JOIN, **overrides):
    return client.post(url, form_data(**overrides))


def link_in(text: str) -> str:
    return re.search(r"https?://\S+/careers/join/confirm/\S+/", text).group(0)


# --------------------------------------------------------------------------- the page


def test_join_page_offers_job_families_departments_and_places(client):
    make_job(department="Research Lab", locations=[{"city": "Lisbon", "country": "PT"}])
    response = client.get(JOIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Join our talent community" in html
    for choice in ("Engineering", "Customer Success", "Research Lab", "Lisbon", "Remote"):
        assert f'value="{choice}"' in html
    assert 'name="website"' in html  # the honeypot
    assert response["X-Frame-Options"] == "DENY"


def test_career_pages_link_to_the_join_page(client):
    job = make_job()
    for url in (
        reverse("careers:list"),
        reverse("careers:job", args=[job.slug]),
        reverse("careers:applied", args=[job.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 200 and f'href="{JOIN}"' in response.content.decode(), url


def test_a_job_cannot_take_the_join_slug(client):
    job = make_job(title="Join")
    assert job.slug != "join"
    assert client.get(JOIN).status_code == 200


def test_double_opt_in_end_to_end_through_smtp(
    client, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = join(client)
    assert response.status_code == 303 and response["Location"] == reverse("careers:join-sent")
    sent = client.get(response["Location"])
    assert sent.status_code == 200 and "Check your inbox" in sent.content.decode()
    assert [m["to"] for m in smtp_server.messages] == [["grace@example.com"]]
    message = smtp_server.messages[0]["message"]
    assert "talent community" in message["Subject"]
    link = link_in(message.get_content())
    path = link.split("://", 1)[1].split("/", 1)[1]
    path = "/" + path
    person = Candidate.objects.get()
    assert person.community_status == CommunityStatus.PENDING

    shown = client.get(path)  # a mail scanner's GET confirms nothing
    assert shown.status_code == 200
    assert "Confirm that you want to join" in shown.content.decode()
    assert (
        '<button type="submit" class="btn btn-primary">Confirm</button>' in shown.content.decode()
    )
    person.refresh_from_db()
    assert person.community_status == CommunityStatus.PENDING

    confirmed = client.post(path)
    assert confirmed.status_code == 303 and confirmed["Location"] == path
    done = client.get(path)
    assert done.status_code == 200 and "You're in" in done.content.decode()
    person.refresh_from_db()
    assert person.community_status == CommunityStatus.CONFIRMED
    consent = ConsentRecord.objects.get(candidate=person)
    assert consent.topic == "job_alerts" and consent.granted
    assert client.post(path).status_code == 303  # again: no harm
    assert ConsentRecord.objects.count() == 1


def test_bad_input_comes_back_with_errors_and_stores_nothing(client):
    response = join(client, email="nope", topics=["company_news"], interests=[])
    html = response.content.decode()
    assert response.status_code == 422
    assert "There is a problem with your signup" in html
    assert "Enter an email address like name@example.com." in html
    assert "Agree to receive job alerts" in html
    assert "Choose at least one area" in html
    assert not Candidate.objects.exists()


def test_a_linkedin_url_elsewhere_is_refused(client):
    response = join(client, linkedin_url="https://example.com/in/grace")
    assert response.status_code == 422
    assert "LinkedIn profile" in response.content.decode()
    assert not Candidate.objects.exists()


def test_a_resume_is_checked_by_content(client):
    fake = SimpleUploadedFile("cv.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(JOIN, {**form_data(), "resume": fake})
    assert response.status_code == 422
    assert "is not a PDF or Word" in response.content.decode()
    assert not Candidate.objects.exists()
    real = SimpleUploadedFile("cv.pdf", b"%PDF-1.4 tiny", content_type="application/pdf")
    assert client.post(JOIN, {**form_data(), "resume": real}).status_code == 303
    assert Candidate.objects.get().resumes.count() == 1


def test_honeypot_gets_the_inbox_page_and_stores_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = join(client, website="http://spam.example")
    assert response.status_code == 303 and response["Location"] == reverse("careers:join-sent")
    assert not Candidate.objects.exists() and callbacks == []


def test_rate_limit_answers_429_per_address(client, settings):
    settings.CAREER_APPLY_LIMIT = 2
    assert join(client, email="one@example.com").status_code == 303
    assert join(client, email="two@example.com").status_code == 303
    limited = join(client, email="three@example.com")
    assert limited.status_code == 429 and "Too many signups" in limited.content.decode()
    assert limited["Retry-After"] == "3600"
    assert not Candidate.objects.filter(email="three@example.com").exists()
    other = client.post(JOIN, form_data(email="three@example.com"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 303


def test_an_existing_person_is_not_renamed_by_the_page(client):
    make_candidate(first_name="Grace", last_name="Hopper", email="grace@example.com")
    assert join(client, first_name="Mallory", email="GRACE@example.com").status_code == 303
    person = Candidate.objects.get()
    assert person.first_name == "Grace" and person.community_status == CommunityStatus.PENDING


# --------------------------------------------------------------------------- the link's page


def test_forged_link_is_a_kind_404_with_a_way_back(client):
    response = client.get(reverse("careers:join-confirm", args=["forged.token:abc"]))
    html = response.content.decode()
    assert response.status_code == 404
    assert "We could not use this confirmation link" in html and f'href="{JOIN}"' in html
    assert (
        client.post(reverse("careers:join-confirm", args=["forged.token:abc"])).status_code == 404
    )


def test_expired_link_is_a_kind_410(client, monkeypatch):
    person = community_signup(
        data={k: v for k, v in form_data().items() if k != "website"},
        privacy_notice_version="2026-01", ip="127.0.0.1",
    ).candidate  # fmt: skip
    real = signing.time.time
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: real() - 8 * 86400)
        link = community_link(person)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    response = client.post(path)
    assert response.status_code == 410
    assert "This confirmation link has expired" in response.content.decode()
    person.refresh_from_db()
    assert person.community_status == CommunityStatus.PENDING


# --------------------------------------------------------------------------- the embed


def test_embed_may_be_framed_by_any_site_and_posts_without_a_csrf_cookie(settings):
    client = Client(enforce_csrf_checks=True)
    page = client.get(EMBED)
    assert page.status_code == 200
    assert "X-Frame-Options" not in page
    assert "frame-ancestors *" in page["Content-Security-Policy"]
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert 'class="site-header"' not in page.content.decode()
    response = client.post(EMBED, form_data())
    assert response.status_code == 303
    assert response["Location"] == reverse("careers:join-embed-sent")
    assert Candidate.objects.get().community_status == CommunityStatus.PENDING
    sent = client.get(response["Location"])
    assert sent.status_code == 200 and "frame-ancestors *" in sent["Content-Security-Policy"]
    # the main page stays unframable and CSRF-protected
    assert "frame-ancestors 'none'" in client.get(JOIN)["Content-Security-Policy"]
    assert client.post(JOIN, form_data(email="x@example.com")).status_code == 403


# --------------------------------------------------------------------------- the API


def api_payload(**overrides) -> dict:
    data = {
        "first_name": "Grace",
        "last_name": "Hopper",
        "email": "grace@example.com",
        "interests": ["Engineering"],
        "locations": ["Berlin"],
        "consent": True,
    }
    return data | overrides


def test_api_signup_answers_202_and_sends_the_mail(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(API, api_payload(), content_type="application/json")
    assert response.status_code == 202 and response.json() == {"status": "confirmation_sent"}
    assert len(callbacks) == 1
    person = Candidate.objects.get()
    assert person.community_status == CommunityStatus.PENDING  # a member only after confirming
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent": False}, "consent"),
        ({"email": "nope"}, "email"),
        ({"interests": []}, "interests"),
        ({"interests": ["Astrology"]}, "interests"),
        ({"first_name": ""}, "first_name"),
    ],
)
def test_api_bad_input_is_400_naming_the_field(client, overrides, field):
    response = client.post(API, api_payload(**overrides), content_type="application/json")
    assert response.status_code == 400 and field in response.json()
    assert not Candidate.objects.exists()


def test_api_without_consent_field_is_400(client):
    payload = api_payload()
    del payload["consent"]
    response = client.post(API, payload, content_type="application/json")
    assert response.status_code == 400 and "consent" in response.json()


def test_api_is_rate_limited(client):
    statuses = [
        client.post(
            API, api_payload(email=f"p{i}@example.com"), content_type="application/json"
        ).status_code
        for i in range(11)
    ]
    assert statuses == [202] * 10 + [429]


def test_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/public/talent-community/" in schema
    assert "public_talent_community_join" in schema


def test_join_page_queries_do_not_grow_with_the_jobs(client):
    make_job(department="Dept 0")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(JOIN)
        assert response.status_code == 200 and "Dept 0" in response.content.decode()
        return len(queries)

    few = count()
    for i in range(1, 12):
        make_job(department=f"Dept {i}", locations=[{"city": f"City {i}", "country": "DE"}])
    many = count()
    assert few == many
