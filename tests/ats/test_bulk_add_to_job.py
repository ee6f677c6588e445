"""The bulk bar's "Add selected to a job…" (ats/views/bulk.py) on the search, a pool's page and
the Rediscover tab; the Rediscover tab's pool filter (page and API); "keep me posted" counting
as engagement for the warm segment."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ats.models import Application
from crm.models import Candidate, Pool, PoolMembership
from crm.services.pools import pool_create, pool_members_add, pool_refresh
from nurture.services.enrollments import enroll
from nurture.services.tracking import message_keep_posted
from tests.factories import make_application, make_candidate, make_job
from tests.nurture.test_tracking import make_message, make_sequence

pytestmark = pytest.mark.django_db

URL = "ats:bulk-add-to-job"


@pytest.fixture
def pool(recruiter):
    return pool_create(
        name="Backend bench", description="", kind="static", rule={}, owner=recruiter
    )


def test_bulk_bar_offers_add_to_a_job_on_the_pool_page(client, recruiter, pool):
    person = make_candidate(first_name="Pooled")
    pool_members_add(pool=pool, candidate_ids=[person.pk], actor=recruiter)
    client.force_login(recruiter)
    page = client.get(reverse("crm:pool-detail", args=[pool.pk])).content.decode()
    assert "Add selected to a job…" in page and reverse(URL) in page


def test_without_a_job_the_page_asks_which_then_adds_as_sourced_and_goes_back(
    client, recruiter, pool
):
    open_job = make_job(actor=recruiter, title="Platform Engineer")
    make_job(actor=recruiter, title="Closed Role", status="closed")
    a, b = make_candidate(first_name="Ann"), make_candidate(first_name="Bob")
    back = reverse("crm:pool-detail", args=[pool.pk])
    client.force_login(recruiter)
    ask = client.post(reverse(URL), {"ids": [a.pk, b.pk], "next": back})
    assert ask.status_code == 200
    html = ask.content.decode()
    assert "Platform Engineer" in html and "Closed Role" not in html
    assert html.count('name="ids"') == 2 and f'value="{back}"' in html
    done = client.post(reverse(URL), {"ids": [a.pk, b.pk], "next": back, "job": open_job.pk})
    assert done.status_code == 302 and done["Location"] == back
    apps = Application.objects.filter(job=open_job)
    assert sorted(apps.values_list("candidate_id", flat=True)) == sorted([a.pk, b.pk])
    assert set(apps.values_list("source", flat=True)) == {Application.Source.SOURCED}


def test_refusals_are_reported_and_do_not_undo_the_others(client, recruiter):
    job = make_job(actor=recruiter)
    fine = make_candidate(first_name="Fine")
    blocked = make_candidate(first_name="Blocked")
    Candidate.objects.filter(pk=blocked.pk).update(do_not_contact=True)
    already = make_candidate(first_name="Already")
    make_application(job=job, candidate=already, actor=recruiter)
    client.force_login(recruiter)
    response = client.post(
        reverse(URL), {"ids": [fine.pk, blocked.pk, already.pk], "job": job.pk}, follow=True
    )
    text = response.content.decode()
    assert "1 added" in text and "2 not added" in text and "do not contact" in text
    assert Application.objects.filter(job=job, candidate=fine).exists()
    assert not Application.objects.filter(job=job, candidate=blocked).exists()


def test_an_unknown_or_closed_job_asks_again_and_adds_nobody(client, recruiter):
    closed = make_job(actor=recruiter, status="closed")
    make_job(actor=recruiter, title="Open Role")
    person = make_candidate()
    client.force_login(recruiter)
    for job in (closed.pk, 999999, "abc"):
        response = client.post(reverse(URL), {"ids": [person.pk], "job": job})
        assert response.status_code == 422
        assert "Choose one of the open jobs." in response.content.decode()
    assert not Application.objects.filter(candidate=person).exists()


def test_next_off_site_is_ignored_and_no_ticks_is_an_error(client, recruiter):
    job = make_job(actor=recruiter)
    person = make_candidate()
    client.force_login(recruiter)
    response = client.post(
        reverse(URL), {"ids": [person.pk], "job": job.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("crm:candidates")
    empty = client.post(reverse(URL), {"job": job.pk}, follow=True)
    assert "Tick at least one person" in empty.content.decode()


def test_only_recruiters_may_add_in_bulk(client, manager, interviewer, outsider, recruiter):
    job = make_job(actor=recruiter, hiring_manager=manager)
    person = make_candidate()
    for user in (manager, interviewer, outsider):
        client.force_login(user)
        response = client.post(reverse(URL), {"ids": [person.pk], "job": job.pk})
        assert response.status_code in (403, 404)
    assert not Application.objects.filter(candidate=person).exists()


# --------------------------------------------------------------------------- the pool filter


def _job(recruiter, **data):
    fields = {"title": "Backend Engineer", "required_skills": ["python", "django"]} | data
    return make_job(actor=recruiter, **fields)


def test_rediscover_ranks_only_the_chosen_pools_members(client, recruiter, pool):
    inside = make_candidate(first_name="Inside", skills=["Python"])
    outside = make_candidate(first_name="Outside", skills=["Python", "Django"])
    pool_members_add(pool=pool, candidate_ids=[inside.pk], actor=recruiter)
    job = _job(recruiter)
    client.force_login(recruiter)
    url = reverse("ats:job-rediscover", args=[job.pk])
    everyone = client.get(url).content.decode()
    assert "Outside" in everyone and "Inside" in everyone
    only = client.get(url, {"pool": pool.pk}).content.decode()
    assert "Inside" in only and "Outside" not in only
    assert f'<option value="{pool.pk}" selected>' in only
    assert f"Only the people in the pool “{pool.name}” are ranked." in only
    # the "show more" and bulk links keep the filter
    assert outside.pk != inside.pk


def test_rediscover_unknown_pool_says_so_and_ranks_everyone(client, recruiter):
    person = make_candidate(first_name="Somebody", skills=["Python"])
    job = _job(recruiter)
    client.force_login(recruiter)
    page = client.get(reverse("ats:job-rediscover", args=[job.pk]), {"pool": "424242"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "No such pool; everyone is ranked." in html and "Somebody" in html
    assert person.pk


def _api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_matches_api_pool_filter(recruiter, manager, pool):
    inside = make_candidate(first_name="Inside", skills=["Python"])
    make_candidate(first_name="Outside", skills=["Python", "Django"])
    pool_members_add(pool=pool, candidate_ids=[inside.pk], actor=recruiter)
    job = _job(recruiter, hiring_manager=manager)
    url = reverse("api:job-matches", args=[job.pk])
    rows = _api(recruiter).get(url, {"pool": pool.pk}).json()["results"]
    assert [r["candidate"]["id"] for r in rows] == [inside.pk]
    assert Decimal(rows[0]["score"]) > 0
    bad = _api(recruiter).get(url, {"pool": 999999})
    assert bad.status_code == 400 and bad.json() == {"pool": ["No such pool."]}
    assert _api(recruiter).get(url, {"pool": "x"}).status_code == 400
    # hiring managers see no pools, so a pool id is unknown to them
    assert _api(manager).get(url, {"pool": pool.pk}).status_code == 400


# --------------------------------------------------------------------------- warm segment


def test_keep_me_posted_puts_a_person_in_the_warm_segment(recruiter):
    warm = Pool.objects.get(built_in="warm-passive")
    person = make_candidate()
    message = make_message(enroll(candidate=person, sequence=make_sequence(recruiter)))
    pool_refresh(pool=warm)
    assert not PoolMembership.objects.filter(pool=warm, candidate=person).exists()
    assert message_keep_posted(message=message) is True
    pool_refresh(pool=warm)
    assert PoolMembership.objects.filter(pool=warm, candidate=person).exists()
