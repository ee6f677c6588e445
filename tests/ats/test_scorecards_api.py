"""Scorecards API: GET under the blindness rule, POST by the panel, bad input, schema."""

from __future__ import annotations

import pytest
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ats.models import Scorecard, ScorecardRevision
from config.core.roles import Role
from tests.factories import UserFactory, make_application, make_job

from .scorecard_helpers import make_interview

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def url(pk: int) -> str:
    return reverse("api:interview-scorecards", args=[pk])


@pytest.fixture
def interview(users):
    job = make_job(hiring_manager=users["manager"])
    return make_interview(
        application=make_application(job=job), interviewers=[users["interviewer"]]
    )


BODY = {
    "overall": "yes",
    "ratings": [{"attribute": "API design", "rating": 3}, {"attribute": "Communication"}],
    "notes": "Clear thinker.",
}


def test_panel_member_posts_then_amends(users, interview):
    client = api(users["interviewer"])
    response = client.post(url(interview.pk), BODY, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "submitted" and body["overall"] == "yes"
    assert body["ratings"] == [{"attribute": "API design", "rating": 3}]
    assert body["interviewer"]["id"] == users["interviewer"].pk
    response = client.post(url(interview.pk), BODY | {"overall": "strong_yes"}, format="json")
    assert response.status_code == 200
    assert response.json()["amended_at"] is not None
    assert ScorecardRevision.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"overall": "maybe"}, "overall"),
        ({"ratings": [{"attribute": "API design", "rating": 5}]}, "ratings"),
        ({"ratings": [{"attribute": "API design", "rating": 0}]}, "ratings"),
        ({"ratings": [{"attribute": "Charm", "rating": 2}]}, "ratings"),
        ({"ratings": [{"attribute": "API design", "rating": 2}] * 2}, "ratings"),
        ({"ratings": "lots"}, "ratings"),
        ({"notes": "x" * 20_001}, "notes"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(users, interview, changes, field):
    response = api(users["interviewer"]).post(url(interview.pk), BODY | changes, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Scorecard.objects.exists()


def test_not_on_the_panel_gets_403_or_404(users, interview):
    for name in ("recruiter", "manager", "admin"):
        response = api(users[name]).post(url(interview.pk), BODY, format="json")
        assert response.status_code == 403, name
    other_interviewer = UserFactory(roles=[Role.INTERVIEWER])
    existing = api(other_interviewer).post(url(interview.pk), BODY, format="json")
    missing = api(other_interviewer).post(url(interview.pk + 999), BODY, format="json")
    assert existing.status_code == missing.status_code == 404
    assert api(users["outsider"]).post(url(interview.pk), BODY, format="json").status_code == 403
    assert APIClient().post(url(interview.pk), BODY, format="json").status_code == 401
    assert not Scorecard.objects.exists()


def test_get_applies_the_blindness_rule(users, interview):
    paula = UserFactory(username="paula", roles=[Role.INTERVIEWER])
    interview.interviewers.add(paula)
    assert api(paula).post(url(interview.pk), BODY, format="json").status_code == 201
    ian = api(users["interviewer"])
    body = ian.get(url(interview.pk)).json()
    assert body == {"results": [], "blind": True}
    ian.post(url(interview.pk), BODY, format="json")
    body = ian.get(url(interview.pk)).json()
    assert body["blind"] is False and len(body["results"]) == 2
    for name in ("recruiter", "manager", "admin"):
        response = api(users[name]).get(url(interview.pk))
        assert response.status_code == 200, name
        assert len(response.json()["results"]) == 2
    other_manager = UserFactory(roles=[Role.HIRING_MANAGER])
    assert api(other_manager).get(url(interview.pk)).status_code == 404
    assert api(UserFactory(roles=[Role.INTERVIEWER])).get(url(interview.pk)).status_code == 404


def test_schema_documents_the_scorecards_endpoint(db):
    response = APIClient().get(
        reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    paths = response.json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/interviews/{id}/scorecards/"])
    post = paths["/api/v1/interviews/{id}/scorecards/"]["post"]
    assert {"200", "201", "400", "403", "404"} <= set(post["responses"])
    GENERATOR_STATS.reset()
    SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    assert not GENERATOR_STATS._warn_cache, list(GENERATOR_STATS._warn_cache)
