"""ATS API v1: jobs, applications, moves, rejections, permissions per role, schema."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ats.models import Application, Job, RejectionReason, StageChange
from ats.services.applications import application_reject
from config.core.roles import Role, assign_roles
from crm.models import Candidate, TimelineEntry
from tests.factories import make_application, make_candidate, make_job

from .scorecard_helpers import make_interview

JOBS = reverse("api:jobs")
APPLICATIONS = reverse("api:applications")
REASONS = reverse("api:rejection-reasons")


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def job_url(pk: int) -> str:
    return reverse("api:job-detail", args=[pk])


def app_url(pk: int, action: str = "") -> str:
    name = f"api:application-{action}" if action else "api:application-detail"
    return reverse(name, args=[pk])


def stage(job, kind):
    return job.stages.get(kind=kind)


@pytest.fixture
def api(recruiter):
    return token_client(recruiter)


@pytest.fixture
def manager_api(manager):
    return token_client(manager)


@pytest.fixture
def reason(db):
    return RejectionReason.objects.create(name="Not enough experience (test)", position=90)


@pytest.fixture
def own_job(recruiter, manager):
    """A job the ``manager`` fixture manages."""
    return make_job(actor=recruiter, hiring_manager=manager, title="Backend engineer")


@pytest.fixture
def other_job(recruiter):
    return make_job(actor=recruiter, title="Designer")


def _job_payload(manager, **changes) -> dict:
    return {
        "title": "Data engineer",
        "department": "Data",
        "remote_policy": "hybrid",
        "employment_type": "FULL_TIME",
        "description": "**Pipelines** <script>alert(1)</script>",
        "salary_min": "60000.00",
        "salary_max": "80000",
        "salary_currency": "EUR",
        "salary_period": "YEAR",
        "openings": 2,
        "status": "open",
        "published": True,
        "hiring_manager": manager.pk,
        "locations": [{"city": "Berlin", "country": "DE", "postal_code": "10115"}],
    } | changes


# --------------------------------------------------------------------------- jobs: CRUD


def test_job_create_builds_the_pipeline_and_renders_the_description(api, recruiter, manager):
    response = api.post(JOBS, _job_payload(manager), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    job = Job.objects.get()
    assert body["id"] == job.pk
    assert body["reference"].startswith("REQ-")
    assert body["slug"] == "data-engineer"
    assert [(s["name"], s["kind"]) for s in body["stages"]] == [
        ("Applied", "applied"), ("Screen", "screen"), ("Interview", "interview"),
        ("Final round", "final"), ("Offer", "offer"), ("Hired", "hired"),
    ]  # fmt: skip
    assert set(body["stages"][0]) == {"id", "name", "kind", "position", "manager_review"}
    assert body["locations"] == [
        {"city": "Berlin", "region": "", "country": "DE", "postal_code": "10115"}
    ]
    assert body["questions"] == []
    assert "<strong>Pipelines</strong>" in body["description_html"]
    assert "<script" not in body["description_html"]
    assert body["hiring_manager"] == manager.pk
    assert body["recruiter"] == recruiter.pk
    assert body["status"] == "open" and body["opened_at"] is not None
    assert body["is_public"] is True
    assert body["salary_min"] == "60000.00" and body["salary_max"] == "80000.00"
    assert body["urls"]["self"].endswith(job_url(job.pk))
    assert body["urls"]["applications"].endswith(f"{APPLICATIONS}?job={job.pk}")


def test_job_create_defaults_to_a_draft(api):
    response = api.post(JOBS, {"title": "Intern"}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "draft"
    assert response.json()["opened_at"] is None


def test_description_html_is_read_only(api, manager):
    payload = _job_payload(manager, description="plain", description_html="<b>forged</b>")
    body = api.post(JOBS, payload, format="json").json()
    assert body["description_html"] == "<p>plain</p>"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"salary_min": "90000", "salary_max": "80000"}, "salary_max"),
        ({"salary_min": "-1"}, "salary_min"),
        ({"salary_currency": "eur"}, "salary_currency"),
        ({"salary_currency": "EURO"}, "salary_currency"),
        ({"employment_type": "FREELANCE"}, "employment_type"),
        ({"remote_policy": "moon"}, "remote_policy"),
        ({"status": "archived"}, "status"),
        ({"salary_period": "WEEK"}, "salary_period"),
        ({"openings": 0}, "openings"),
        ({"remote_countries": ["de"]}, "remote_countries"),
        ({"locations": [{"country": "DE"}]}, "locations"),
        ({"locations": [{"city": "Berlin", "country": "Germany"}]}, "locations"),
        ({"locations": "Berlin"}, "locations"),
        ({"hiring_manager": "recruiter"}, "hiring_manager"),
        ({"hiring_manager": "outsider"}, "hiring_manager"),
        ({"hiring_manager": 999999}, "hiring_manager"),
        ({"recruiter": "outsider"}, "recruiter"),
        ({"valid_through": "next week"}, "valid_through"),
    ],
)
def test_job_create_with_a_bad_field_names_it_and_stores_nothing(api, users, changes, field):
    changes = {
        k: users[v].pk if isinstance(v, str) and v in users else v for k, v in changes.items()
    }
    payload = {k: v for k, v in _job_payload(users["manager"], **changes).items() if v is not None}
    response = api.post(JOBS, payload, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert field in errors, errors
    assert Job.objects.count() == 0


def test_job_hiring_manager_error_does_not_say_whether_the_user_exists(api, users):
    answers = {
        api.post(JOBS, _job_payload(users["manager"], hiring_manager=pk), format="json").json()[
            "hiring_manager"
        ][0]
        for pk in (users["outsider"].pk, 999999)
    }
    assert len(answers) == 1


def test_job_patch_changes_only_what_is_given(api, recruiter, manager):
    job = make_job(actor=recruiter, title="Old title", department="Ops", status="draft")
    changes = {
        "title": "New title",
        "description": "## Hi",
        "hiring_manager": manager.pk,
        "locations": [{"city": "Lyon", "country": "FR"}],
    }
    response = api.patch(job_url(job.pk), changes, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "New title"
    assert body["department"] == "Ops"
    assert body["description_html"] == "<h2>Hi</h2>"
    assert body["hiring_manager"] == manager.pk
    assert [loc["city"] for loc in body["locations"]] == ["Lyon"]
    assert body["slug"] == job.slug  # the public address stays


def test_job_patch_status_opens_and_closes(api, recruiter):
    job = make_job(actor=recruiter, status="draft")
    opened = api.patch(job_url(job.pk), {"status": "open"}, format="json").json()
    assert opened["status"] == "open" and opened["opened_at"] is not None
    closed = api.patch(job_url(job.pk), {"status": "closed"}, format="json").json()
    assert closed["status"] == "closed" and closed["closed_at"] is not None
    assert closed["opened_at"] == opened["opened_at"]


def test_job_patch_checks_the_salary_range_against_stored_values(api, recruiter):
    job = make_job(actor=recruiter, salary_min=50000, salary_max=60000, salary_currency="EUR")
    response = api.patch(job_url(job.pk), {"salary_min": "70000"}, format="json")
    assert response.status_code == 400
    assert "salary_max" in response.json()
    job.refresh_from_db()
    assert job.salary_min == 50000
    assert api.patch(job_url(job.pk), {"salary_max": "55000.5"}, format="json").status_code == 200


def test_job_patch_with_a_bad_field_changes_nothing(api, recruiter):
    job = make_job(actor=recruiter, title="Keep me")
    response = api.patch(
        job_url(job.pk), {"title": "Changed", "salary_currency": "usd"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["salary_currency"]
    job.refresh_from_db()
    assert job.title == "Keep me"


def test_job_put_is_not_offered(api, recruiter):
    job = make_job(actor=recruiter)
    assert api.put(job_url(job.pk), {"title": "x"}, format="json").status_code == 405


def test_job_delete_only_without_applications(api, recruiter):
    empty = make_job(actor=recruiter)
    assert api.delete(job_url(empty.pk)).status_code == 204
    assert not Job.objects.filter(pk=empty.pk).exists()
    assert api.get(job_url(empty.pk)).status_code == 404
    used = make_application(actor=recruiter).job
    response = api.delete(job_url(used.pk))
    assert response.status_code == 409
    assert "close it" in response.json()["detail"]
    assert Job.objects.filter(pk=used.pk).exists()
    assert Application.objects.filter(job=used).count() == 1


# --------------------------------------------------------------------------- jobs: list


def test_job_list_filters(api, recruiter):
    make_job(actor=recruiter, title="Python developer", department="Engineering")
    make_job(actor=recruiter, title="Sales lead", department="Sales", published=False)
    make_job(actor=recruiter, title="Closed role", department="Sales", status="closed")

    def titles(**params):
        response = api.get(JOBS, params)
        assert response.status_code == 200, response.content
        return sorted(job["title"] for job in response.json()["results"])

    assert titles() == ["Closed role", "Python developer", "Sales lead"]
    assert titles(status="closed") == ["Closed role"]
    assert titles(published="false") == ["Sales lead"]
    assert titles(published="true", department="sales") == ["Closed role"]
    assert titles(q="python dev") == ["Python developer"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "archived"}, "status"),
        ({"published": "maybe"}, "published"),
        ({"limit": "0"}, "limit"),
        ({"limit": "many"}, "limit"),
    ],
)
def test_job_list_refuses_bad_filters(api, params, field):
    response = api.get(JOBS, params)
    assert response.status_code == 400
    assert field in response.json()


def test_job_list_pages_with_a_cursor(api, recruiter):
    made = {make_job(actor=recruiter).pk for _ in range(5)}
    seen, url, params = [], JOBS, {"limit": 2}
    while url:
        page = api.get(url, params).json()
        assert len(page["results"]) <= 2
        seen += [job["id"] for job in page["results"]]
        url, params = page["next"], None
    assert len(seen) == len(set(seen)) == 5
    assert set(seen) == made


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        assert response.status_code == 200, response.content
    return len(queries)


def test_job_list_query_count_does_not_grow_with_the_rows(api, recruiter, users):
    def one_job():
        job = make_job(actor=recruiter, locations=[{"city": "A", "country": "DE"}] * 2)
        job.panel.set([users["interviewer"]])

    one_job()
    one = _queries(api, JOBS)
    for _ in range(9):
        one_job()
    assert _queries(api, JOBS) == one


# --------------------------------------------------------------------------- jobs: roles


def test_manager_reads_only_the_jobs_they_manage(manager_api, own_job, other_job):
    listed = manager_api.get(JOBS).json()["results"]
    assert [job["id"] for job in listed] == [own_job.pk]
    assert manager_api.get(job_url(own_job.pk)).status_code == 200
    assert manager_api.get(job_url(other_job.pk)).status_code == 404


def test_manager_cannot_write_jobs_even_their_own(manager_api, manager, own_job):
    assert manager_api.post(JOBS, {"title": "Mine"}, format="json").status_code == 403
    patch = manager_api.patch(job_url(own_job.pk), {"title": "Renamed"}, format="json")
    assert patch.status_code == 403
    assert manager_api.delete(job_url(own_job.pk)).status_code == 403
    own_job.refresh_from_db()
    assert own_job.title == "Backend engineer"
    assert Job.objects.count() == 1


@pytest.mark.parametrize(
    ("method", "url", "payload"),
    [
        ("get", JOBS, None),
        ("post", JOBS, {"title": "Nope"}),
        ("get", "detail", None),
        ("patch", "detail", {"title": "Nope"}),
        ("delete", "detail", None),
        ("get", "missing", None),
        ("patch", "missing", {"title": "Nope"}),
    ],
)
def test_jobs_anonymous_401_interviewer_and_outsider_403(users, method, url, payload):
    job = make_job(actor=users["recruiter"], title="Secret")
    job.panel.set([users["interviewer"]])  # even on the panel: the jobs API is not theirs
    url = {"detail": job_url(job.pk), "missing": job_url(job.pk + 1000)}.get(url, url)
    anonymous = getattr(APIClient(), method)(url, payload, format="json")
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"] == "Token"
    for who in ("interviewer", "outsider"):
        response = getattr(token_client(users[who]), method)(url, payload, format="json")
        assert response.status_code == 403, who
    assert list(Job.objects.values_list("title", flat=True)) == ["Secret"]


# --------------------------------------------------------------------------- applications: create


def test_application_create_puts_the_candidate_in_the_first_stage(api, recruiter, own_job):
    candidate = make_candidate()
    payload = {"candidate": candidate.pk, "job": own_job.pk, "source_detail": "Meetup"}
    response = api.post(APPLICATIONS, payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    app = Application.objects.get()
    assert body["id"] == app.pk
    assert body["candidate"] == {"id": candidate.pk, "name": candidate.full_name}
    assert body["job"] == {"id": own_job.pk, "title": own_job.title}
    assert body["stage"]["kind"] == "applied"
    assert body["source"] == "api" and body["source_detail"] == "Meetup"
    assert body["status"] == "active"
    assert body["created_by"] == recruiter.pk
    assert len(body["history"]) == 1
    assert body["history"][0]["from_stage"] is None
    assert body["history"][0]["actor"]["id"] == recruiter.pk


def test_application_create_into_a_given_stage_with_a_referrer(api, own_job, users):
    payload = {
        "candidate": make_candidate().pk,
        "job": own_job.pk,
        "source": "referral",
        "referrer": users["interviewer"].pk,
        "stage": stage(own_job, "interview").pk,
    }
    body = api.post(APPLICATIONS, payload, format="json").json()
    assert body["stage"]["id"] == stage(own_job, "interview").pk
    assert body["source"] == "referral"
    assert body["referrer"] == users["interviewer"].pk


def test_application_create_twice_is_409_with_the_existing_id(api, own_job):
    payload = {"candidate": make_candidate().pk, "job": own_job.pk}
    first = api.post(APPLICATIONS, payload, format="json").json()
    again = api.post(APPLICATIONS, payload, format="json")
    assert again.status_code == 409
    assert again.json()["application"] == first["id"]
    assert "already" in again.json()["detail"]
    assert Application.objects.count() == 1


def test_application_create_on_a_closed_job_is_refused(api, recruiter):
    job = make_job(actor=recruiter, status="closed")
    response = api.post(
        APPLICATIONS, {"candidate": make_candidate().pk, "job": job.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "This job is closed."}
    assert Application.objects.count() == 0


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("missing candidate", "candidate"),
        ("merged candidate", "candidate"),
        ("missing job", "job"),
        ("other job's stage", "stage"),
        ("missing stage", "stage"),
        ("bad source", "source"),
        ("candidate not a number", "candidate"),
        ("no job", "job"),
        ("missing referrer", "referrer"),
    ],
)
def test_application_create_with_bad_input_names_the_field(api, own_job, other_job, case, field):
    candidate = make_candidate()
    merged = make_candidate()
    Candidate.objects.filter(pk=merged.pk).update(merged_into=candidate)
    payload = {"candidate": candidate.pk, "job": own_job.pk}
    payload |= {
        "missing candidate": {"candidate": merged.pk + 1000},
        "merged candidate": {"candidate": merged.pk},
        "missing job": {"job": other_job.pk + 1000},
        "other job's stage": {"stage": stage(other_job, "screen").pk},
        "missing stage": {"stage": 10**9},
        "bad source": {"source": "carrier pigeon"},
        "candidate not a number": {"candidate": "ada"},
        "no job": {"job": None},
        "missing referrer": {"referrer": 10**9},
    }[case]
    response = api.post(APPLICATIONS, payload, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert Application.objects.count() == 0


def test_application_create_unknown_and_merged_candidates_get_the_same_answer(api, own_job):
    survivor, merged = make_candidate(), make_candidate()
    Candidate.objects.filter(pk=merged.pk).update(merged_into=survivor)
    answers = [
        api.post(APPLICATIONS, {"candidate": pk, "job": own_job.pk}, format="json").json()
        for pk in (merged.pk, merged.pk + 1000)
    ]
    assert answers[0] == answers[1] == {"candidate": ["Unknown candidate."]}


# --------------------------------------------------------------------------- applications: list


@pytest.fixture
def spread(recruiter, own_job, other_job):
    """Applications across two jobs, stages, sources and statuses."""
    a = make_application(job=own_job, actor=recruiter, source="referral")
    b = make_application(job=own_job, actor=recruiter)
    c = make_application(job=other_job, actor=recruiter, source="career_page")
    reason = RejectionReason.objects.filter(active=True).first()
    application_reject(application=b, reason=reason, actor=recruiter)
    return {"a": a, "b": b, "c": c}


def test_application_list_filters(api, spread, own_job):
    def ids(**params):
        response = api.get(APPLICATIONS, params)
        assert response.status_code == 200, response.content
        return sorted(row["id"] for row in response.json()["results"])

    a, b, c = spread["a"].pk, spread["b"].pk, spread["c"].pk
    assert ids() == sorted([a, b, c])
    assert ids(job=own_job.pk) == sorted([a, b])
    assert ids(job=own_job.pk, status="active") == [a]
    assert ids(status="rejected") == [b]
    assert ids(source="career_page") == [c]
    assert ids(candidate=spread["c"].candidate_id) == [c]
    assert ids(stage=stage(own_job, "applied").pk) == sorted([a, b])
    assert ids(stage=stage(own_job, "screen").pk) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"job": "abc"}, "job"),
        ({"stage": "1.5"}, "stage"),
        ({"candidate": "-1"}, "candidate"),
        ({"status": "maybe"}, "status"),
        ({"source": "carrier pigeon"}, "source"),
        ({"limit": "1000"}, "limit"),
    ],
)
def test_application_list_refuses_bad_filters(api, params, field):
    response = api.get(APPLICATIONS, params)
    assert response.status_code == 400
    assert field in response.json()


def test_application_list_rows_show_the_rejection(api, spread):
    rows = {row["id"]: row for row in api.get(APPLICATIONS).json()["results"]}
    rejected = rows[spread["b"].pk]
    assert rejected["status"] == "rejected"
    assert set(rejected["rejection_reason"]) == {"id", "name"}
    assert "history" not in rejected  # the detail has it


def test_application_list_query_count_does_not_grow_with_the_rows(api, recruiter, own_job):
    def add(n):
        for _ in range(n):
            make_application(job=own_job, actor=recruiter, source="referral")

    add(2)
    two = _queries(api, APPLICATIONS, {"limit": 100})
    add(18)
    assert Application.objects.count() == 20
    assert _queries(api, APPLICATIONS, {"limit": 100}) == two


# --------------------------------------------------------------------------- move and reject


def test_application_detail_shows_the_history(api, recruiter, own_job):
    app = make_application(job=own_job, actor=recruiter)
    body = api.get(app_url(app.pk)).json()
    assert body["id"] == app.pk
    assert [(h["from_stage"], h["to_stage"]["kind"]) for h in body["history"]] == [
        (None, "applied")
    ]
    assert "cover_letter" in body and "answers" in body


def test_move_moves_and_writes_a_history_row(api, recruiter, own_job):
    app = make_application(job=own_job, actor=recruiter)
    target = stage(own_job, "screen")
    response = api.post(
        app_url(app.pk, "move"), {"stage": target.pk, "comment": "Strong CV"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["stage"] == {"id": target.pk, "name": "Screen", "kind": "screen"}
    last = body["history"][-1]
    assert last["from_stage"]["kind"] == "applied"
    assert last["to_stage"]["id"] == target.pk
    assert last["comment"] == "Strong CV"
    assert last["actor"] == {"id": recruiter.pk, "name": recruiter.display_name}
    assert StageChange.objects.filter(application=app).count() == 2
    app.refresh_from_db()
    assert app.stage == target


def test_move_to_another_jobs_stage_is_refused_and_changes_nothing(
    api, recruiter, own_job, other_job
):
    app = make_application(job=own_job, actor=recruiter)
    before = (app.stage_id, app.stage_entered_at)
    response = api.post(
        app_url(app.pk, "move"), {"stage": stage(other_job, "screen").pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "That stage is not part of this job's pipeline."}
    app.refresh_from_db()
    assert (app.stage_id, app.stage_entered_at) == before
    assert StageChange.objects.filter(application=app).count() == 1


@pytest.mark.parametrize("payload", [{}, {"stage": "screen"}, {"stage": 10**9}])
def test_move_with_a_bad_stage_is_400(api, recruiter, own_job, payload):
    app = make_application(job=own_job, actor=recruiter)
    assert api.post(app_url(app.pk, "move"), payload, format="json").status_code == 400
    assert StageChange.objects.filter(application=app).count() == 1


def test_move_of_a_rejected_application_is_refused(api, recruiter, own_job, reason):
    app = make_application(job=own_job, actor=recruiter)
    application_reject(application=app, reason=reason, actor=recruiter)
    response = api.post(
        app_url(app.pk, "move"), {"stage": stage(own_job, "screen").pk}, format="json"
    )
    assert response.status_code == 400
    assert "only active applications move" in response.json()["detail"]


def test_reject_with_email_queues_it(api, recruiter, own_job, reason):
    app = make_application(job=own_job, actor=recruiter)
    payload = {"reason": reason.pk, "send_email": True, "note": "Not now"}
    response = api.post(app_url(app.pk, "reject"), payload, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "rejected"
    assert body["rejection_reason"] == {"id": reason.pk, "name": reason.name}
    assert body["rejection_note"] == "Not now"
    assert body["history"][-1]["to_status"] == "rejected"
    assert TimelineEntry.objects.filter(
        candidate=app.candidate,
        kind=TimelineEntry.Kind.EMAIL_OUT,
        summary__startswith="Rejection email queued",
    ).exists()


def test_reject_without_email_queues_none(api, recruiter, own_job, reason):
    app = make_application(job=own_job, actor=recruiter)
    response = api.post(app_url(app.pk, "reject"), {"reason": reason.pk}, format="json")
    assert response.status_code == 200
    assert not TimelineEntry.objects.filter(
        candidate=app.candidate, kind=TimelineEntry.Kind.EMAIL_OUT
    ).exists()


@pytest.mark.parametrize("which", ["inactive", "missing", "not a number", "absent"])
def test_reject_with_a_bad_reason_is_400_and_changes_nothing(
    api, recruiter, own_job, reason, which
):
    app = make_application(job=own_job, actor=recruiter)
    if which == "inactive":
        RejectionReason.objects.filter(pk=reason.pk).update(active=False)
    value = {"inactive": reason.pk, "missing": 10**9, "not a number": "rude"}.get(which)
    payload = {"send_email": True} | ({} if which == "absent" else {"reason": value})
    response = api.post(app_url(app.pk, "reject"), payload, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    app.refresh_from_db()
    assert app.status == "active"
    assert not TimelineEntry.objects.filter(kind=TimelineEntry.Kind.EMAIL_OUT).exists()


def test_reject_twice_is_refused(api, recruiter, own_job, reason):
    app = make_application(job=own_job, actor=recruiter)
    first = api.post(app_url(app.pk, "reject"), {"reason": reason.pk}, format="json")
    assert first.status_code == 200
    again = api.post(app_url(app.pk, "reject"), {"reason": reason.pk}, format="json")
    assert again.status_code == 400
    assert "already rejected" in again.json()["detail"]


def test_rejection_reasons_lists_the_active_ones(api, manager_api, reason):
    RejectionReason.objects.create(name="Retired reason (test)", active=False)
    for client in (api, manager_api):
        response = client.get(REASONS)
        assert response.status_code == 200
        rows = response.json()
        assert {"id": reason.pk, "name": reason.name} in rows
        assert "Retired reason (test)" not in {row["name"] for row in rows}
        assert all(set(row) == {"id", "name"} for row in rows)


# --------------------------------------------------------------------------- applications: roles


def test_manager_reads_and_moves_only_on_their_jobs(
    manager_api, manager, recruiter, own_job, other_job, reason
):
    mine = make_application(job=own_job, actor=recruiter)
    theirs = make_application(job=other_job, actor=recruiter)
    listed = [row["id"] for row in manager_api.get(APPLICATIONS).json()["results"]]
    assert listed == [mine.pk]
    assert manager_api.get(APPLICATIONS, {"job": other_job.pk}).json()["results"] == []
    assert manager_api.get(app_url(mine.pk)).status_code == 200
    assert manager_api.get(app_url(theirs.pk)).status_code == 404

    moved = manager_api.post(
        app_url(mine.pk, "move"), {"stage": stage(own_job, "screen").pk}, format="json"
    )
    assert moved.status_code == 200
    assert moved.json()["history"][-1]["actor"]["id"] == manager.pk
    refused = manager_api.post(
        app_url(theirs.pk, "move"), {"stage": stage(other_job, "screen").pk}, format="json"
    )
    assert refused.status_code == 404
    rejected = manager_api.post(app_url(mine.pk, "reject"), {"reason": reason.pk}, format="json")
    assert rejected.status_code == 200
    assert (
        manager_api.post(
            app_url(theirs.pk, "reject"), {"reason": reason.pk}, format="json"
        ).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.is_active and theirs.stage.kind == "applied"


def test_manager_cannot_create_applications(manager_api, own_job):
    payload = {"candidate": make_candidate().pk, "job": own_job.pk}
    assert manager_api.post(APPLICATIONS, payload, format="json").status_code == 403
    assert Application.objects.count() == 0


def test_manager_who_sits_on_a_panel_sees_but_cannot_move(manager, recruiter, other_job, reason):
    assign_roles(manager, [Role.HIRING_MANAGER, Role.INTERVIEWER])
    other_job.panel.set([manager])
    app = make_application(job=other_job, actor=recruiter)
    client = token_client(manager)
    # on the job's panel only: interviewers see the applications they interview for
    assert client.get(app_url(app.pk)).status_code == 404
    make_interview(application=app, interviewers=[manager])
    assert client.get(app_url(app.pk)).status_code == 200
    move = client.post(
        app_url(app.pk, "move"), {"stage": stage(other_job, "screen").pk}, format="json"
    )
    assert move.status_code == 403
    assert "may not" in move.json()["detail"]
    reject = client.post(app_url(app.pk, "reject"), {"reason": reason.pk}, format="json")
    assert reject.status_code == 403
    app.refresh_from_db()
    assert app.is_active and app.stage.kind == "applied"


@pytest.mark.parametrize(
    ("method", "url", "payload"),
    [
        ("get", APPLICATIONS, None),
        ("post", APPLICATIONS, {"candidate": 1, "job": 1}),
        ("get", "detail", None),
        ("post", "move", {"stage": 1}),
        ("post", "reject", {"reason": 1}),
        ("get", "missing", None),
        ("get", REASONS, None),
    ],
)
def test_applications_anonymous_401_interviewer_and_outsider_403(
    users, own_job, method, url, payload
):
    own_job.panel.set([users["interviewer"]])
    app = make_application(job=own_job, actor=users["recruiter"])
    url = {
        "detail": app_url(app.pk),
        "move": app_url(app.pk, "move"),
        "reject": app_url(app.pk, "reject"),
        "missing": app_url(app.pk + 1000),
    }.get(url, url)
    anonymous = getattr(APIClient(), method)(url, payload, format="json")
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"] == "Token"
    for who in ("interviewer", "outsider"):
        response = getattr(token_client(users[who]), method)(url, payload, format="json")
        assert response.status_code == 403, who
    app.refresh_from_db()
    assert app.is_active and app.stage.kind == "applied"
    assert Application.objects.count() == 1


def test_session_auth_works_too(client, recruiter, own_job):
    client.force_login(recruiter)
    assert client.get(job_url(own_job.pk)).status_code == 200


# --------------------------------------------------------------------------- schema


def test_schema_documents_every_ats_endpoint(db):
    response = APIClient().get(
        reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/jobs/"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/jobs/{id}/"])
    assert {"get", "post"} <= set(paths["/api/v1/applications/"])
    assert "get" in paths["/api/v1/applications/{id}/"]
    assert "post" in paths["/api/v1/applications/{id}/move/"]
    assert "post" in paths["/api/v1/applications/{id}/reject/"]
    assert "get" in paths["/api/v1/rejection-reasons/"]
    create = paths["/api/v1/applications/"]["post"]
    assert {"201", "400", "409"} <= set(create["responses"])
    assert {"204", "409"} <= set(paths["/api/v1/jobs/{id}/"]["delete"]["responses"])


def test_schema_generates_without_warnings(db):
    GENERATOR_STATS.reset()
    SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    assert not GENERATOR_STATS._warn_cache, list(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, list(GENERATOR_STATS._error_cache)
