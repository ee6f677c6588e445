"""Candidate API v1: token auth, upsert, list, detail, edit, timeline, merge, schema."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from crm.models import Candidate, TimelineEntry
from crm.services.candidates import candidate_upsert

LIST = reverse("api:candidates")


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def detail(pk):
    return reverse("api:candidate-detail", args=[pk])


def timeline(pk):
    return reverse("api:candidate-timeline", args=[pk])


@pytest.fixture
def api(recruiter):
    return token_client(recruiter)


@pytest.fixture
def person(db):
    return candidate_upsert(
        data={"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"}
    ).candidate


def test_post_creates_then_finds_the_same_person(api, recruiter):
    payload = {
        "first_name": "Ada",
        "email": "Ada@Example.com",
        "phone": "+1 415 555 0132",
        "skills": [{"name": "Python", "years": 5}],
        "tags": ["math"],
    }
    created = api.post(LIST, payload, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["email"] == "ada@example.com"
    assert body["phone"] == "+14155550132"
    assert body["owner"] == {"id": recruiter.pk, "name": recruiter.display_name}
    assert body["source"] == "api"
    again = api.post(LIST, {"email": " ADA@example.COM ", "city": "London"}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    assert again.json()["city"] == "London"
    assert Candidate.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "x@example.com", "phone": "12"}, "phone"),
        ({"email": "x@example.com", "linkedin_url": "https://example.com/x"}, "linkedin_url"),
        ({"email": "x@example.com", "seniority": "wizard"}, "seniority"),
        ({"email": "x@example.com", "tags": "not-a-list"}, "tags"),
        ({}, "email"),
    ],
)
def test_post_with_bad_input_names_the_field(api, payload, field):
    response = api.post(LIST, payload, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert field in errors
    assert isinstance(errors[field], list)
    assert Candidate.objects.count() == 0


def test_list_filters_by_q_and_pages_with_a_cursor(api):
    for i in range(5):
        candidate_upsert(
            data={"email": f"c{i}@example.com", "first_name": "Grace", "last_name": f"H{i}"}
        )
    candidate_upsert(
        data={"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"}
    )
    found = api.get(LIST, {"q": "Lovelace"}).json()
    assert [row["full_name"] for row in found["results"]] == ["Ada Lovelace"]
    seen, url, params = [], LIST, {"limit": 2}
    while url:
        page = api.get(url, params).json()
        assert len(page["results"]) <= 2
        seen += [row["id"] for row in page["results"]]
        url, params = page["next"], None
    assert sorted(seen) == sorted(Candidate.objects.values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == 6


def test_list_refuses_a_bad_limit(api):
    assert api.get(LIST, {"limit": "0"}).status_code == 400


def test_list_reports_bad_search_filters_by_name(api):
    response = api.get(LIST, {"sort": "bogus"})
    assert response.status_code == 400
    assert "sort" in response.json()


def _list_queries(api) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(LIST, {"limit": 100}).status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_the_rows(api):
    candidate_upsert(data={"email": "first@example.com", "skills": ["Go"], "tags": ["a"]})
    one = _list_queries(api)
    for i in range(30):
        candidate_upsert(data={"email": f"p{i}@example.com", "skills": ["Go"], "tags": ["a"]})
    assert _list_queries(api) == one


def test_get_detail_shows_the_whole_record(api, person):
    candidate_upsert(
        data={"email": "ada@example.com", "emails": ["ada@work.example"], "skills": ["COBOL"]}
    )
    body = api.get(detail(person.pk)).json()
    assert body["id"] == person.pk
    assert body["full_name"] == "Ada Lovelace"
    assert body["emails"] == [
        {"email": "ada@example.com", "is_primary": True},
        {"email": "ada@work.example", "is_primary": False},
    ]
    assert [s["name"] for s in body["skills"]] == ["COBOL"]


def test_patch_edits_as_a_recruiter(api, person):
    changes = {"current_title": "Analyst", "source": "referral"}
    response = api.patch(detail(person.pk), changes, format="json")
    assert response.status_code == 200
    assert response.json()["current_title"] == "Analyst"
    assert response.json()["source"] == "referral"
    candidate_upsert(data={"email": "ada@example.com", "current_title": "Intern"})
    person.refresh_from_db()
    assert person.current_title == "Analyst"
    bad = api.patch(detail(person.pk), {"phone": "12"}, format="json")
    assert bad.status_code == 400
    assert "phone" in bad.json()


def test_patch_refuses_another_persons_email(api, person):
    other = candidate_upsert(data={"email": "other@example.com"}).candidate
    response = api.patch(detail(other.pk), {"emails": ["ADA@example.com"]}, format="json")
    assert response.status_code == 400
    assert "belongs to another candidate" in response.json()["email"][0]


def test_timeline_notes_and_pages(api, person, recruiter):
    for i in range(4):
        assert (
            api.post(timeline(person.pk), {"body": f"note {i}"}, format="json").status_code == 201
        )
    empty = api.post(timeline(person.pk), {"body": "  "}, format="json")
    assert empty.status_code == 400
    assert "body" in empty.json()
    seen, url, params = [], timeline(person.pk), {"limit": 2}
    while url:
        page = api.get(url, params).json()
        seen += page["results"]
        url, params = page["next"], None
    expected = list(
        TimelineEntry.objects.filter(candidate=person)
        .order_by("-occurred_at", "-id")
        .values_list("pk", flat=True)
    )
    assert [e["id"] for e in seen] == expected
    assert seen[0]["body"] == "note 3"
    assert seen[0]["actor"] == {"id": recruiter.pk, "name": recruiter.display_name}


@pytest.mark.parametrize(
    ("method", "url_name", "payload"),
    [
        ("get", "api:candidate-detail", None),
        ("patch", "api:candidate-detail", {"city": "Paris"}),
        ("get", "api:candidate-timeline", None),
        ("post", "api:candidate-timeline", {"body": "hi"}),
    ],
)
def test_invisible_candidates_are_404(api, person, method, url_name, payload):
    merged = candidate_upsert(data={"email": "old@example.com"}).candidate
    Candidate.objects.filter(pk=merged.pk).update(merged_into=person)
    for pk in (merged.pk, person.pk + 1000):
        response = getattr(api, method)(reverse(url_name, args=[pk]), payload, format="json")
        assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "url", "payload"),
    [
        ("get", LIST, None),
        ("post", LIST, {"email": "z@example.com"}),
        ("get", "detail", None),
        ("post", "timeline", {"body": "hi"}),
        ("post", reverse("api:candidate-merge"), {"survivor": 1, "other": 2}),
    ],
)
def test_anonymous_gets_401_and_other_roles_403(users, person, method, url, payload):
    url = {"detail": detail(person.pk), "timeline": timeline(person.pk)}.get(url, url)
    anonymous = getattr(APIClient(), method)(url, payload, format="json")
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"] == "Token"
    for who in ("manager", "interviewer", "outsider"):
        response = getattr(token_client(users[who]), method)(url, payload, format="json")
        assert response.status_code == 403, who
    assert Candidate.objects.count() == 1


def test_session_auth_works_too(client, recruiter, person):
    client.force_login(recruiter)
    assert client.get(detail(person.pk)).status_code == 200


def test_merge_merges_two_records(api, person):
    other = candidate_upsert(data={"email": "ada.l@example.com", "city": "London"}).candidate
    response = api.post(
        reverse("api:candidate-merge"), {"survivor": person.pk, "other": other.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["survivor"]["id"] == person.pk
    assert Candidate.objects.get(pk=other.pk).merged_into_id == person.pk
    same = {"survivor": person.pk, "other": person.pk}
    assert api.post(reverse("api:candidate-merge"), same, format="json").status_code == 400


def test_schema_documents_every_candidate_endpoint(db):
    response = APIClient().get(
        reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/candidates/"])
    assert {"get", "patch"} <= set(paths["/api/v1/candidates/{id}/"])
    assert {"get", "post"} <= set(paths["/api/v1/candidates/{id}/timeline/"])
    assert "post" in paths["/api/v1/candidates/merge/"]
    upsert = paths["/api/v1/candidates/"]["post"]
    assert {"200", "201", "400"} <= set(upsert["responses"])
    assert "requestBody" in upsert
