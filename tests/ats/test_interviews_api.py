"""Interviews API v1: schedule (invites sent), list per role, change, cancel, refusals, schema."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar
from rest_framework.test import APIClient

from ats.models import Interview
from config.core.roles import Role
from tests.factories import UserFactory, make_application, make_candidate, make_job

from .test_api import token_client
from .test_interviews import future, schedule

INTERVIEWS = reverse("api:interviews")


def detail(pk, action=""):
    return reverse(f"api:interview-{action}" if action else "api:interview-detail", args=[pk])


@pytest.fixture
def api(recruiter):
    return token_client(recruiter)


def body(app, people, **extra):
    return {
        "application": app.pk,
        "starts_at": future().isoformat(),
        "duration_minutes": 45,
        "interviewers": [p.pk for p in people],
        "location": "Room 1",
        "timezone": "Europe/Berlin",
    } | extra


def test_create_returns_201_with_id_and_sends_invites(api, interviewer, smtp_server, celery_worker):
    app = make_application(candidate=make_candidate(email="ada@example.com"))
    answer = api.post(INTERVIEWS, body(app, [interviewer]), format="json")
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    interview = Interview.objects.get(pk=data["id"])
    assert data["starts_at"] and data["duration_minutes"] == 45 and data["status"] == "scheduled"
    assert [u["id"] for u in data["interviewers"]] == [interviewer.pk]
    assert "email" not in data["candidate"]
    from tests.conftest import wait_for  # noqa: PLC0415 - test helper

    wait_for(lambda: len(smtp_server.messages) == 2)
    for item in smtp_server.messages:
        part = next(p for p in item["message"].walk() if p.get_content_type() == "text/calendar")
        calendar = Calendar.from_ical(part.get_content())
        event = calendar.walk("VEVENT")[0]
        assert str(calendar["METHOD"]) == "REQUEST"
        assert str(event["UID"]).startswith(str(interview.uid))
        assert event.decoded("DTSTART") == future()
        assert str(event["LOCATION"]) == "Room 1"


def test_create_with_the_offset_only_uses_the_site_zone(api, interviewer, settings):
    app = make_application()
    data = body(app, [interviewer])
    del data["timezone"]
    answer = api.post(INTERVIEWS, data, format="json")
    assert answer.status_code == 201
    assert answer.json()["timezone"] == settings.TIME_ZONE


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"starts_at": "2030-01-01T10:00:00"}, "starts_at"),  # naive
        ({"starts_at": "2020-01-01T10:00:00+01:00"}, "starts_at"),  # past
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 481}, "duration_minutes"),
        ({"interviewers": []}, "interviewers"),
        ({"interviewers": [987654]}, "interviewers"),
        ({"timezone": "Mars/Base"}, "timezone"),
        ({"application": 987654}, "application"),
        ({"interview_type": 987654}, "interview_type"),
        ({"video_url": "ftp:/nope"}, "video_url"),
    ],
)
def test_create_refusals_name_the_field_and_store_nothing(api, interviewer, change, field):
    app = make_application()
    answer = api.post(INTERVIEWS, body(app, [interviewer], **change), format="json")
    assert answer.status_code == 400, answer.json()
    assert field in answer.json()
    assert not Interview.objects.exists()


def test_create_with_an_interviewer_without_a_role_is_400(api, interviewer, outsider):
    app = make_application()
    answer = api.post(INTERVIEWS, body(app, [interviewer, outsider]), format="json")
    assert answer.status_code == 400 and "interviewers" in answer.json()
    assert not Interview.objects.exists()


def test_double_booking_is_409_with_the_conflicts_unless_allowed(api, recruiter, interviewer):
    other = schedule(make_application(), recruiter, [interviewer])
    app = make_application()
    answer = api.post(INTERVIEWS, body(app, [interviewer]), format="json")
    assert answer.status_code == 409
    data = answer.json()
    assert data["conflicts"] == [
        {
            "user": interviewer.pk,
            "interview": other.pk,
            "starts_at": data["conflicts"][0]["starts_at"],
            "ends_at": data["conflicts"][0]["ends_at"],
        }
    ]
    assert "Double booking" in data["detail"] and Interview.objects.count() == 1
    again = api.post(INTERVIEWS, body(app, [interviewer], allow_conflicts=True), format="json")
    assert again.status_code == 201 and Interview.objects.count() == 2


def test_patch_moves_changes_and_cancel_cancels(api, recruiter, interviewer):
    second = UserFactory(username="ivy", roles=[Role.INTERVIEWER])
    interview = schedule(make_application(), recruiter, [interviewer])
    moved = future(days=5, hour=16)
    answer = api.patch(
        detail(interview.pk),
        {"starts_at": moved.isoformat(), "interviewers": [second.pk], "location": "Room 9"},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    data = answer.json()
    assert data["sequence"] == 1 and data["location"] == "Room 9"
    assert [u["id"] for u in data["interviewers"]] == [second.pk]
    interview.refresh_from_db()
    assert interview.starts_at == moved
    bad = api.patch(detail(interview.pk), {"starts_at": "2030-01-01T10:00"}, format="json")
    assert bad.status_code == 400 and "starts_at" in bad.json()
    bad = api.patch(detail(interview.pk), {"timezone": "Nope/Nope"}, format="json")
    assert bad.status_code == 400 and "timezone" in bad.json()
    interview.refresh_from_db()
    assert interview.sequence == 1
    cancelled = api.post(detail(interview.pk, "cancel"), {"reason": "Filled"}, format="json")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["sequence"] == 2
    twice = api.post(detail(interview.pk, "cancel"), {}, format="json")
    assert twice.status_code == 400 and "cancelled" in twice.json()["detail"]
    late = api.patch(detail(interview.pk), {"location": "x"}, format="json")
    assert late.status_code == 400


def test_reads_are_restricted_per_user_and_writes_are_for_recruiters(users):
    recruiter, manager, interviewer = users["recruiter"], users["manager"], users["interviewer"]
    mine = schedule(
        make_application(job=make_job(hiring_manager=manager)), recruiter, [interviewer]
    )
    ivy = UserFactory(username="ivy", roles=[Role.INTERVIEWER])
    theirs = schedule(make_application(), recruiter, [ivy])
    clients = {name: token_client(user) for name, user in users.items()}
    seen = {
        "recruiter": {mine.pk, theirs.pk},
        "admin": {mine.pk, theirs.pk},
        "manager": {mine.pk},
        "interviewer": {mine.pk},
    }
    for name, expected in seen.items():
        client = clients[name]
        listed = client.get(INTERVIEWS)
        assert listed.status_code == 200
        assert {row["id"] for row in listed.json()["results"]} == expected, name
        hidden = {mine.pk, theirs.pk} - expected
        for pk in hidden:
            assert client.get(detail(pk)).status_code == 404, name
        for pk in expected:
            assert client.get(detail(pk)).status_code == 200, name
    for name in ("manager", "interviewer", "outsider"):
        client = clients[name]
        app = make_application()
        assert client.post(INTERVIEWS, body(app, [interviewer]), format="json").status_code == 403
        assert client.patch(detail(mine.pk), {"location": "x"}, format="json").status_code == 403
        assert client.post(detail(mine.pk, "cancel"), {}, format="json").status_code == 403
    assert clients["outsider"].get(INTERVIEWS).status_code == 403
    assert APIClient().get(INTERVIEWS).status_code == 401
    assert clients["recruiter"].get(detail(999999)).status_code == 404
    mine.refresh_from_db()
    assert mine.location == "" and mine.is_scheduled


def test_list_filters_and_pages(api, recruiter, interviewer):
    app = make_application()
    first = schedule(app, recruiter, [interviewer], starts_at=future(days=2))
    second = schedule(app, recruiter, [interviewer], starts_at=future(days=3))
    schedule(make_application(), recruiter, [interviewer], starts_at=future(days=4))
    rows = api.get(INTERVIEWS, {"application": app.pk}).json()["results"]
    assert [r["id"] for r in rows] == [second.pk, first.pk]
    page = api.get(INTERVIEWS, {"limit": 2}).json()
    assert len(page["results"]) == 2 and page["next"]
    rest = api.get(page["next"]).json()
    assert len(rest["results"]) == 1 and rest["next"] is None
    assert api.get(INTERVIEWS, {"status": "nope"}).status_code == 400
    assert api.get(INTERVIEWS, {"starts_after": "2030-01-01T00:00"}).status_code == 400


def test_list_query_count_does_not_grow_with_the_rows(api, recruiter, interviewer):
    def count():
        with CaptureQueriesContext(connection) as queries:
            answer = api.get(INTERVIEWS, {"limit": 100})
        assert answer.status_code == 200
        return len(queries), len(answer.json()["results"])

    schedule(make_application(), recruiter, [interviewer])
    few, rows = count()
    assert rows == 1
    second = UserFactory(username="ivy", roles=[Role.INTERVIEWER])
    for days in range(4, 24):
        schedule(make_application(), recruiter, [interviewer, second], starts_at=future(days=days))
    many, rows = count()
    assert rows == 21 and many == few


def test_schema_documents_the_interview_endpoints(db):
    response = APIClient().get(
        reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    paths = response.json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/interviews/"])
    assert {"get", "patch"} <= set(paths["/api/v1/interviews/{id}/"])
    assert "post" in paths["/api/v1/interviews/{id}/cancel/"]
    create = paths["/api/v1/interviews/"]["post"]
    assert {"201", "400", "403", "409"} <= set(create["responses"])
