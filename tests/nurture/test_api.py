"""Nurture API v1: sequences, enrollments, stopping, refusals, permissions per role, schema."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from crm.models import Candidate
from crm.services.candidates import candidate_set_do_not_contact
from crm.services.consent import consent_record
from nurture.models import Enrollment, Message, Sequence, Step
from nurture.services.enrollments import enroll, enrollment_stop
from nurture.services.sequences import StepInput, sequence_create
from tests.factories import make_candidate

SEQUENCES = reverse("api:sequences")


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def sequence_url(pk: int) -> str:
    return reverse("api:sequence-detail", args=[pk])


def enrollments_url(pk: int) -> str:
    return reverse("api:sequence-enrollments", args=[pk])


def enrollment_url(pk: int, action: str = "") -> str:
    name = f"api:enrollment-{action}" if action else "api:enrollment-detail"
    return reverse(name, args=[pk])


@pytest.fixture
def api(recruiter):
    return token_client(recruiter)


def _step(**changes) -> dict:
    return {
        "channel": "email",
        "delay_hours": 0,
        "subject": "Hello {{ candidate.first_name }}",
        "body": "Hi {{ candidate.first_name }},\nwe are hiring.\n{{ recruiter.name }}",
    } | changes


def _payload(**changes) -> dict:
    return {
        "name": "Backend engineers, keep warm",
        "steps": [_step(), _step(delay_hours=72, subject="Still there?")],
    } | changes


@pytest.fixture
def sequence(recruiter):
    steps = [
        StepInput(subject="Hello", body="Hi {{ candidate.first_name }}", delay_hours=1),
        StepInput(subject="Again", body="Hi again", delay_hours=48),
    ]
    return sequence_create(name="Keep warm", owner=recruiter, steps=steps)


def _enroll_via_api(api, sequence, candidate):
    return api.post(enrollments_url(sequence.pk), {"candidate": candidate.pk}, format="json")


def _made():
    """The sequences the tests made (migrations ship a few built-in ones)."""
    return Sequence.objects.filter(builtin_key=None)


def _made_steps():
    return Step.objects.filter(sequence__builtin_key=None)


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        assert response.status_code == 200, response.content
    return len(queries)


# --------------------------------------------------------------------------- sequences: create


def test_sequence_create_stores_the_steps_in_order(api, recruiter):
    response = api.post(SEQUENCES, _payload(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    sequence = _made().get()
    assert body["id"] == sequence.pk
    assert body["name"] == "Backend engineers, keep warm"
    assert body["quiet_hours"] is True and sequence.quiet_hours is True
    assert body["topic"] == "nurture"
    assert body["owner"] == recruiter.pk
    assert (body["step_count"], body["enrolled_count"], body["active_count"]) == (2, 0, 0)
    steps = body["steps"]
    assert [s["id"] for s in steps] == list(
        Step.objects.filter(sequence=sequence).values_list("pk", flat=True)
    )
    assert [(s["position"], s["delay_hours"], s["subject"]) for s in steps] == [
        (0, 0, "Hello {{ candidate.first_name }}"),
        (1, 72, "Still there?"),
    ]
    assert steps[0]["delay_from"] == "previous" and steps[0]["task_kind"] == ""
    assert set(steps[0]) == {
        "id", "position", "channel", "delay_hours", "delay_from", "subject", "body", "task_kind",
    }  # fmt: skip


def test_sequence_create_with_every_option(api):
    payload = _payload(
        quiet_hours=False,
        topic="job_alerts",
        steps=[
            _step(delay_from="enrollment", delay_hours=24),
            {"channel": "sms", "delay_hours": 2, "body": "Hi {{ candidate.first_name }}"},
            {"channel": "manual", "delay_hours": 0, "task_kind": "linkedin", "body": "Connect"},
        ],
    )
    response = api.post(SEQUENCES, payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["quiet_hours"] is False and body["topic"] == "job_alerts"
    assert [(s["channel"], s["delay_from"], s["task_kind"]) for s in body["steps"]] == [
        ("email", "enrollment", ""),
        ("sms", "previous", ""),
        ("manual", "previous", "linkedin"),
    ]


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        (
            {"steps": [_step(body="Hi\n{{ candidate.salary }}")]},
            "steps",
            "step 1: body, line 2: unknown merge field",
        ),
        ({"steps": [_step(subject="{{ candidate.nickname }}")]}, "steps", "candidate.nickname"),
        ({"steps": [_step(body="{{ salary }}")]}, "steps", "step 1: body, line 1:"),
        (
            {"steps": [_step(), _step(body="Hi\n\n{{ candidate.first_name ")]},
            "steps",
            "step 2: body, line 3:",
        ),
        ({"steps": [_step(subject="{% if %}")]}, "steps", "step 1: subject, line 1:"),
        ({"steps": [_step(delay_hours=-1)]}, "steps", "step 1: delay_hours:"),
        ({"steps": [_step(delay_hours="soon")]}, "steps", "step 1: delay_hours:"),
        ({"steps": [_step(delay_hours=1.5)]}, "steps", "step 1: delay_hours:"),
        ({"steps": [_step(delay_hours=10**12)]}, "steps", "step 1: delay_hours:"),
        ({"steps": [_step(delay_hours=None)]}, "steps", "step 1: delay_hours:"),
        ({"steps": [{k: v for k, v in _step().items() if k != "delay_hours"}]}, "steps", "delay"),
        ({"steps": [_step(channel="fax")]}, "steps", "step 1: channel:"),
        ({"steps": [_step(delay_from="tomorrow")]}, "steps", "step 1: delay_from:"),
        ({"steps": [_step(subject="")]}, "steps", "step 1: an email step needs a subject"),
        ({"steps": [_step(subject="   ")]}, "steps", "step 1: an email step needs a subject"),
        ({"steps": [_step(body="")]}, "steps", "step 1: the body is empty"),
        ({"steps": [{"channel": "manual", "delay_hours": 0}]}, "steps", "step 1: a manual step"),
        ({"steps": [_step(), "Say hi"]}, "steps", "step 2: "),
        ({"steps": []}, "steps", "empty"),
        ({"steps": "Say hi"}, "steps", "list"),
        ({"steps": None}, "steps", "null"),
        ({"name": ""}, "name", "blank"),
        ({"name": "   "}, "name", "blank"),
        ({"name": "x" * 151}, "name", "150"),
        ({"quiet_hours": "maybe"}, "quiet_hours", "boolean"),
        ({"topic": "all"}, "topic", "not a valid choice"),
        ({"topic": "gossip"}, "topic", "not a valid choice"),
    ],
)
def test_sequence_create_with_a_bad_field_names_it_and_stores_nothing(api, changes, field, says):
    payload = {k: v for k, v in _payload(**changes).items() if k != "name" or v is not None}
    response = api.post(SEQUENCES, payload, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    assert any(says in message for message in errors[field]), errors
    assert not _made().exists()
    assert not _made_steps().exists()


def test_sequence_create_lists_every_problem_of_every_step_as_strings(api):
    steps = [
        _step(subject="", body="Hi {{ candidate.salary }}"),
        _step(delay_hours=-5),
        _step(channel="sms", body="Line one\n{{ job.salary }}"),
    ]
    response = api.post(SEQUENCES, _payload(steps=steps), format="json")
    assert response.status_code == 400
    problems = response.json()["steps"]
    assert all(isinstance(problem, str) for problem in problems)
    assert "step 1: an email step needs a subject" in problems
    assert any(p.startswith("step 1: body, line 1: unknown merge field") for p in problems)
    assert any(p.startswith("step 2: delay_hours:") for p in problems)
    assert any(p.startswith("step 3: body, line 2: unknown merge field") for p in problems)
    assert not _made().exists()


def test_sequence_create_missing_name_and_steps_are_named(api):
    response = api.post(SEQUENCES, {}, format="json")
    assert response.status_code == 400
    assert {"name", "steps"} <= set(response.json())


# --------------------------------------------------------------------------- sequences: read


def test_sequence_detail_shows_the_steps_and_counts(api, recruiter, sequence):
    enroll(candidate=make_candidate(), sequence=sequence, actor=recruiter)
    stopped = enroll(candidate=make_candidate(), sequence=sequence, actor=recruiter)
    enrollment_stop(enrollment=stopped, reason="manual", actor=recruiter)
    response = api.get(sequence_url(sequence.pk))
    assert response.status_code == 200
    body = response.json()
    assert [s["subject"] for s in body["steps"]] == ["Hello", "Again"]
    assert (body["step_count"], body["enrolled_count"], body["active_count"]) == (2, 2, 1)


def test_sequence_detail_of_a_missing_sequence_is_404(api, sequence):
    assert api.get(sequence_url(sequence.pk + 1000)).status_code == 404


def test_sequence_list_shows_the_counts_not_the_steps(api, recruiter, sequence):
    enroll(candidate=make_candidate(), sequence=sequence, actor=recruiter)
    response = api.get(SEQUENCES)
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["results"]}
    assert set(rows) == {sequence.pk, *Sequence.objects.values_list("pk", flat=True)}
    row = rows[sequence.pk]
    assert row["builtin_key"] is None
    assert (row["step_count"], row["enrolled_count"], row["active_count"]) == (2, 1, 1)
    assert "steps" not in row


def test_sequence_list_pages_with_a_cursor(api, recruiter):
    made = {
        sequence_create(name=f"S{i}", owner=recruiter, steps=[StepInput(subject="s", body="b")]).pk
        for i in range(5)
    }
    seen, url, params = [], SEQUENCES, {"limit": 2}
    while url:
        page = api.get(url, params).json()
        assert len(page["results"]) <= 2
        seen += [row["id"] for row in page["results"]]
        url, params = page["next"], None
    assert len(seen) == len(set(seen)) == Sequence.objects.count()
    assert made <= set(seen)


def test_sequence_list_includes_the_built_in_sequences(api):
    rows = api.get(SEQUENCES).json()["results"]
    keys = {row["builtin_key"] for row in rows}
    assert {"new_applicant_welcome", "silver_medalist", "passive_nurture"} <= keys
    assert all(row["step_count"] > 0 for row in rows)


@pytest.mark.parametrize("limit", ["0", "many", "1000"])
def test_sequence_list_refuses_a_bad_limit(api, limit):
    response = api.get(SEQUENCES, {"limit": limit})
    assert response.status_code == 400
    assert "limit" in response.json()


def test_sequence_list_query_count_does_not_grow_with_the_rows(api, recruiter):
    def one_sequence():
        steps = [StepInput(subject="s", body="b")] * 3
        made = sequence_create(name="Seq", owner=recruiter, steps=steps)
        for _ in range(2):
            enroll(candidate=make_candidate(), sequence=made, actor=recruiter)

    one_sequence()
    one = _queries(api, SEQUENCES)
    for _ in range(9):
        one_sequence()
    assert _queries(api, SEQUENCES) == one


# --------------------------------------------------------------------------- enrollments


def test_enroll_answers_201_with_the_enrollment(api, recruiter, sequence):
    candidate = make_candidate()
    response = _enroll_via_api(api, sequence, candidate)
    assert response.status_code == 201, response.content
    body = response.json()
    enrollment = Enrollment.objects.get()
    assert body["id"] == enrollment.pk
    assert body["candidate"] == {"id": candidate.pk, "name": candidate.full_name}
    assert body["sequence"] == {"id": sequence.pk, "name": "Keep warm"}
    assert body["state"] == "active" and body["stop_reason"] == ""
    assert body["step_index"] == 0
    assert body["next_due_at"] is not None and body["enrolled_at"] is not None
    assert enrollment.enrolled_by == recruiter


def test_enrollment_detail_shows_state_and_stop_reason(api, sequence):
    enrolled = _enroll_via_api(api, sequence, make_candidate()).json()
    response = api.get(enrollment_url(enrolled["id"]))
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "active"
    assert body["stop_reason"] == ""
    assert body["messages"] == []


def test_enrollment_detail_lists_the_messages_oldest_first(api, recruiter, sequence):
    enrollment = enroll(candidate=make_candidate(), sequence=sequence, actor=recruiter)
    now = timezone.now()
    first, second = sequence.steps.all()
    for step, token, queued in ((second, "t2", now), (first, "t1", now - timezone.timedelta(1))):
        Message.objects.create(
            enrollment=enrollment,
            step=step,
            candidate=enrollment.candidate,
            channel="email",
            status="sent",
            token=token,
            queued_at=queued,
            sent_at=queued,
            opened_at=now if step == first else None,
        )
    messages = api.get(enrollment_url(enrollment.pk)).json()["messages"]
    assert [(m["step"], m["status"], m["channel"]) for m in messages] == [
        (0, "sent", "email"),
        (1, "sent", "email"),
    ]
    assert messages[0]["opened_at"] is not None and messages[1]["opened_at"] is None
    assert set(messages[0]) == {
        "id", "step", "channel", "status", "queued_at", "sent_at", "opened_at", "clicked_at",
        "replied_at",
    }  # fmt: skip


def test_enroll_twice_is_409_with_the_existing_id(api, sequence):
    candidate = make_candidate()
    first = _enroll_via_api(api, sequence, candidate).json()
    again = _enroll_via_api(api, sequence, candidate)
    assert again.status_code == 409
    assert again.json()["enrollment"] == first["id"]
    assert "already" in again.json()["detail"]
    assert Enrollment.objects.count() == 1


def test_enroll_while_paused_is_409_too(api, recruiter, sequence):
    candidate = make_candidate()
    enrollment = enroll(candidate=candidate, sequence=sequence, actor=recruiter)
    Enrollment.objects.filter(pk=enrollment.pk).update(state="paused")
    assert _enroll_via_api(api, sequence, candidate).status_code == 409


def test_enroll_again_after_a_stop_is_allowed(api, recruiter, sequence):
    candidate = make_candidate()
    first = enroll(candidate=candidate, sequence=sequence, actor=recruiter)
    enrollment_stop(enrollment=first, reason="manual", actor=recruiter)
    response = _enroll_via_api(api, sequence, candidate)
    assert response.status_code == 201
    assert response.json()["id"] != first.pk


def test_enroll_a_do_not_contact_candidate_is_refused_with_the_reason(api, recruiter, sequence):
    candidate = make_candidate()
    candidate_set_do_not_contact(candidate=candidate, flag=True, reason="asked", actor=recruiter)
    response = _enroll_via_api(api, sequence, candidate)
    assert response.status_code == 400
    assert "do not contact" in response.json()["detail"]
    assert Enrollment.objects.count() == 0


@pytest.mark.parametrize(("topic", "says"), [("nurture", "keeping in touch"), ("all", "all")])
def test_enroll_an_unsubscribed_candidate_is_refused_with_the_reason(api, sequence, topic, says):
    candidate = make_candidate()
    consent_record(candidate=candidate, topic=topic, granted=False, source="test")
    response = _enroll_via_api(api, sequence, candidate)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "unsubscribed" in detail and says in detail
    assert Enrollment.objects.count() == 0


def test_enroll_someone_unsubscribed_from_another_topic_works(api, sequence):
    candidate = make_candidate()
    consent_record(candidate=candidate, topic="job_alerts", granted=False, source="test")
    assert _enroll_via_api(api, sequence, candidate).status_code == 201


def test_enroll_into_an_archived_sequence_is_refused(api, sequence):
    Sequence.objects.filter(pk=sequence.pk).update(archived=True)
    response = _enroll_via_api(api, sequence, make_candidate())
    assert response.status_code == 400
    assert "archived" in response.json()["detail"]
    assert Enrollment.objects.count() == 0


def test_enroll_into_a_sequence_without_steps_is_refused(api, recruiter):
    empty = Sequence.objects.create(name="Empty", owner=recruiter)
    response = _enroll_via_api(api, empty, make_candidate())
    assert response.status_code == 400
    assert "no steps" in response.json()["detail"]


def test_enroll_into_a_missing_sequence_is_404(api, sequence):
    url = enrollments_url(sequence.pk + 1000)
    assert api.post(url, {"candidate": make_candidate().pk}, format="json").status_code == 404


@pytest.mark.parametrize("which", ["missing", "merged", "not a number", "absent"])
def test_enroll_with_a_bad_candidate_is_400_naming_it(api, sequence, which):
    survivor, merged = make_candidate(), make_candidate()
    Candidate.objects.filter(pk=merged.pk).update(merged_into=survivor)
    payload = {
        "missing": {"candidate": merged.pk + 1000},
        "merged": {"candidate": merged.pk},
        "not a number": {"candidate": "ada"},
        "absent": {},
    }[which]
    response = api.post(enrollments_url(sequence.pk), payload, format="json")
    assert response.status_code == 400
    assert "candidate" in response.json()
    assert Enrollment.objects.count() == 0


def test_enroll_unknown_and_merged_candidates_get_the_same_answer(api, sequence):
    survivor, merged = make_candidate(), make_candidate()
    Candidate.objects.filter(pk=merged.pk).update(merged_into=survivor)
    answers = [
        api.post(enrollments_url(sequence.pk), {"candidate": pk}, format="json").json()
        for pk in (merged.pk, merged.pk + 1000)
    ]
    assert answers[0] == answers[1] == {"candidate": ["Unknown candidate."]}


# --------------------------------------------------------------------------- enrollments: list


def test_enrollment_list_shows_the_sequences_people_and_filters_by_state(api, recruiter, sequence):
    other = sequence_create(name="Other", owner=recruiter, steps=[StepInput(subject="s", body="b")])
    live = enroll(candidate=make_candidate(), sequence=sequence, actor=recruiter)
    stopped = enroll(candidate=make_candidate(), sequence=sequence, actor=recruiter)
    enrollment_stop(enrollment=stopped, reason="manual", actor=recruiter)
    enroll(candidate=make_candidate(), sequence=other, actor=recruiter)

    def ids(**params):
        response = api.get(enrollments_url(sequence.pk), params)
        assert response.status_code == 200, response.content
        return sorted(row["id"] for row in response.json()["results"])

    assert ids() == sorted([live.pk, stopped.pk])
    assert ids(state="active") == [live.pk]
    assert ids(state="stopped") == [stopped.pk]
    assert ids(state="completed") == []


@pytest.mark.parametrize(
    ("params", "field"), [({"state": "asleep"}, "state"), ({"limit": "0"}, "limit")]
)
def test_enrollment_list_refuses_bad_filters(api, sequence, params, field):
    response = api.get(enrollments_url(sequence.pk), params)
    assert response.status_code == 400
    assert field in response.json()


def test_enrollment_list_of_a_missing_sequence_is_404(api, sequence):
    assert api.get(enrollments_url(sequence.pk + 1000)).status_code == 404


def test_enrollment_list_pages_with_a_cursor(api, recruiter, sequence):
    made = {enroll(candidate=make_candidate(), sequence=sequence).pk for _ in range(5)}
    seen, url, params = [], enrollments_url(sequence.pk), {"limit": 2}
    while url:
        page = api.get(url, params).json()
        assert len(page["results"]) <= 2
        seen += [row["id"] for row in page["results"]]
        url, params = page["next"], None
    assert len(seen) == len(set(seen)) == 5
    assert set(seen) == made


def test_enrollment_list_query_count_does_not_grow_with_the_rows(api, recruiter, sequence):
    def add(n):
        for _ in range(n):
            enroll(candidate=make_candidate(), sequence=sequence, actor=recruiter)

    add(1)
    one = _queries(api, enrollments_url(sequence.pk), {"limit": 100})
    add(19)
    assert _queries(api, enrollments_url(sequence.pk), {"limit": 100}) == one


def test_enrollments_of_merged_away_candidates_are_not_shown(api, recruiter, sequence):
    candidate = make_candidate()
    enrollment = enroll(candidate=candidate, sequence=sequence, actor=recruiter)
    Candidate.objects.filter(pk=candidate.pk).update(merged_into=make_candidate())
    assert api.get(enrollments_url(sequence.pk)).json()["results"] == []
    assert api.get(enrollment_url(enrollment.pk)).status_code == 404
    assert api.post(enrollment_url(enrollment.pk, "stop")).status_code == 404


# --------------------------------------------------------------------------- stop


def test_stop_stops_with_reason_manual(api, recruiter, sequence):
    enrollment = enroll(candidate=make_candidate(), sequence=sequence, actor=recruiter)
    response = api.post(enrollment_url(enrollment.pk, "stop"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "stopped" and body["stop_reason"] == "manual"
    assert body["ended_at"] is not None and body["next_due_at"] is None
    shown = api.get(enrollment_url(enrollment.pk)).json()
    assert (shown["state"], shown["stop_reason"]) == ("stopped", "manual")


def test_stop_is_idempotent_and_keeps_the_first_reason(api, recruiter, sequence):
    enrollment = enroll(candidate=make_candidate(), sequence=sequence, actor=recruiter)
    first = api.post(enrollment_url(enrollment.pk, "stop")).json()
    again = api.post(enrollment_url(enrollment.pk, "stop"))
    assert again.status_code == 200
    assert again.json() == first

    replied = enroll(candidate=make_candidate(), sequence=sequence, actor=recruiter)
    enrollment_stop(enrollment=replied, reason="replied")
    body = api.post(enrollment_url(replied.pk, "stop")).json()
    assert (body["state"], body["stop_reason"]) == ("stopped", "replied")


def test_stop_of_a_missing_enrollment_is_404(api, recruiter, sequence):
    enrollment = enroll(candidate=make_candidate(), sequence=sequence, actor=recruiter)
    assert api.post(enrollment_url(enrollment.pk + 1000, "stop")).status_code == 404


# --------------------------------------------------------------------------- roles


@pytest.mark.parametrize(
    ("method", "url", "payload"),
    [
        ("get", SEQUENCES, None),
        ("post", SEQUENCES, _payload()),
        ("get", "sequence", None),
        ("get", "missing sequence", None),
        ("get", "enrollments", None),
        ("post", "enrollments", "candidate"),
        ("post", "missing enrollments", "candidate"),
        ("get", "enrollment", None),
        ("get", "missing enrollment", None),
        ("post", "stop", None),
        ("post", "missing stop", None),
    ],
)
def test_nurture_api_anonymous_401_other_roles_403(users, sequence, method, url, payload):
    candidate = make_candidate()
    enrollment = enroll(candidate=candidate, sequence=sequence, actor=users["recruiter"])
    url = {
        "sequence": sequence_url(sequence.pk),
        "missing sequence": sequence_url(sequence.pk + 1000),
        "enrollments": enrollments_url(sequence.pk),
        "missing enrollments": enrollments_url(sequence.pk + 1000),
        "enrollment": enrollment_url(enrollment.pk),
        "missing enrollment": enrollment_url(enrollment.pk + 1000),
        "stop": enrollment_url(enrollment.pk, "stop"),
        "missing stop": enrollment_url(enrollment.pk + 1000, "stop"),
    }.get(url, url)
    payload = {"candidate": make_candidate().pk} if payload == "candidate" else payload
    anonymous = getattr(APIClient(), method)(url, payload, format="json")
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"] == "Token"
    for who in ("manager", "interviewer", "outsider"):
        response = getattr(token_client(users[who]), method)(url, payload, format="json")
        assert response.status_code == 403, who
    assert _made().count() == 1
    assert list(Enrollment.objects.values_list("pk", "state")) == [(enrollment.pk, "active")]


def test_admin_holds_every_role(admin_user, sequence):
    client = token_client(admin_user)
    assert client.get(SEQUENCES).status_code == 200
    assert _enroll_via_api(client, sequence, make_candidate()).status_code == 201


def test_session_auth_works_too(client, recruiter, sequence):
    client.force_login(recruiter)
    assert client.get(sequence_url(sequence.pk)).status_code == 200


# --------------------------------------------------------------------------- schema


def test_schema_documents_every_nurture_endpoint(db):
    response = APIClient().get(
        reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/sequences/"])
    assert "get" in paths["/api/v1/sequences/{id}/"]
    assert {"get", "post"} <= set(paths["/api/v1/sequences/{id}/enrollments/"])
    assert "get" in paths["/api/v1/enrollments/{id}/"]
    assert "post" in paths["/api/v1/enrollments/{id}/stop/"]
    enroll_op = paths["/api/v1/sequences/{id}/enrollments/"]["post"]
    assert {"201", "400", "403", "404", "409"} <= set(enroll_op["responses"])
    assert {"201", "400"} <= set(paths["/api/v1/sequences/"]["post"]["responses"])


def test_schema_generates_without_warnings(db):
    GENERATOR_STATS.reset()
    SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    assert not GENERATOR_STATS._warn_cache, list(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, list(GENERATOR_STATS._error_cache)
