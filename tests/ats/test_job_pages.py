"""The recruiter's job pages: list, create, edit, status, pipeline and questions."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ats.models import ApplicationQuestion, Job, Stage
from tests.factories import make_application, make_job

pytestmark = pytest.mark.django_db


def unmasked(response) -> str:
    """The page without its CSRF token (masked differently in every response)."""
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def login(client, user, password):
    assert client.login(username=user.username, password=password)
    return client


def job_post(**changes) -> dict:
    data = {
        "title": "Platform Engineer",
        "department": "Engineering",
        "employment_type": "FULL_TIME",
        "remote_policy": "hybrid",
        "remote_countries": "",
        "locations": "Berlin, Berlin, DE, 10115\nLisbon, PT",
        "description": "Build **things**.\n\n<script>alert(1)</script>",
        "salary_min": "60000",
        "salary_max": "80000",
        "salary_currency": "eur",
        "salary_period": "YEAR",
        "openings": "2",
        "valid_through": "",
        "hiring_manager": "",
        "recruiter": "",
        "published": "on",
    }
    data.update(changes)
    return data


def test_job_list_permissions(client, users, password):
    job = make_job(title="Visible to its manager", hiring_manager=users["manager"])
    make_job(title="Someone else's job")
    url = reverse("ats:jobs")
    assert client.get(url).status_code == 302  # anonymous → login
    login(client, users["recruiter"], password)
    body = client.get(url).content.decode()
    assert "Visible to its manager" in body and "Someone else&#x27;s job" in body
    login(client, users["manager"], password)
    body = client.get(url).content.decode()
    assert job.title in body and "Someone else" not in body
    assert "New job" not in body
    login(client, users["interviewer"], password)
    assert client.get(url).status_code == 403
    login(client, users["outsider"], password)
    assert client.get(url).status_code == 403


def test_job_list_tabs_and_counts(client, recruiter, password):
    open_job = make_job(title="Open role")
    make_job(title="Closed role", status="closed")
    for _ in range(3):
        make_application(job=open_job)
    login(client, recruiter, password)
    body = client.get(reverse("ats:jobs")).content.decode()
    assert "Open role" in body and "Closed role" not in body
    assert ">3</td>" in body.replace(" ", "")
    closed = client.get(reverse("ats:jobs") + "?status=closed").content.decode()
    assert "Closed role" in closed and "Open role" not in closed


def test_job_list_query_count_does_not_grow(client, recruiter, password):
    login(client, recruiter, password)
    make_job()
    client.get(reverse("ats:jobs"))
    with CaptureQueriesContext(connection) as one:
        response = client.get(reverse("ats:jobs"))
    assert response.status_code == 200 and response.content.decode().count("REQ-") >= 1
    for _ in range(12):
        job = make_job()
        make_application(job=job)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("ats:jobs"))
    assert response.content.decode().count("REQ-") >= 13
    assert len(many) == len(one)


def test_create_job_renders_sanitized_description_and_pipeline(client, recruiter, password):
    login(client, recruiter, password)
    response = client.post(reverse("ats:job-new"), job_post())
    job = Job.objects.get(title="Platform Engineer")
    assert response.status_code == 302
    assert job.status == "draft" and job.published
    assert job.salary_currency == "EUR" and job.openings == 2
    assert "<strong>things</strong>" in job.description_html
    assert "<script" not in job.description_html
    assert [(loc.city, loc.country) for loc in job.locations.all()] == [
        ("Berlin", "DE"),
        ("Lisbon", "PT"),
    ]
    assert job.stages.count() == 6
    assert job.recruiter == recruiter


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "required"),
        ({"salary_min": "90000", "salary_max": "10"}, "salary_max", "below the minimum"),
        ({"salary_currency": "euro"}, "salary_currency", "three-letter"),
        ({"locations": "Somewhere without a country"}, "locations", "Line 1"),
        ({"locations": ""}, "locations", "at least one place"),
        (
            {"remote_policy": "remote", "remote_countries": "Germany"},
            "remote_countries",
            "two-letter",
        ),
        ({"openings": "0"}, "openings", "greater than or equal to 1"),
    ],
)
def test_create_job_bad_input_keeps_the_form(client, recruiter, password, changes, field, message):
    login(client, recruiter, password)
    response = client.post(reverse("ats:job-new"), job_post(**changes))
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body
    assert "The job was not saved" in body
    assert 'value="Engineering"' in body  # other fields kept
    assert not Job.objects.exists()


def test_only_recruiters_create_and_edit(client, users, password):
    job = make_job(hiring_manager=users["manager"])
    for name in ("manager", "interviewer", "outsider"):
        login(client, users[name], password)
        assert client.get(reverse("ats:job-new")).status_code == 403
        assert client.get(reverse("ats:job-edit", args=[job.pk])).status_code == 404
        assert client.get(reverse("ats:job-edit", args=[job.pk + 999])).status_code == 404
        assert client.post(reverse("ats:job-edit", args=[job.pk]), job_post()).status_code == 404
    job.refresh_from_db()
    assert job.title != "Platform Engineer"


def test_edit_job_keeps_values_and_saves(client, recruiter, password):
    job = make_job(title="Old title")
    login(client, recruiter, password)
    form = client.get(reverse("ats:job-edit", args=[job.pk])).content.decode()
    assert 'value="Old title"' in form and "Berlin, DE, 10115" in form
    response = client.post(reverse("ats:job-edit", args=[job.pk]), job_post(title="New title"))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.title == "New title" and job.locations.count() == 2


def test_status_changes_set_dates_and_publish(client, recruiter, password):
    job = make_job(status="draft", published=False)
    assert job.opened_at is None
    login(client, recruiter, password)
    url = reverse("ats:job-status", args=[job.pk])
    client.post(url, {"action": "open"})
    client.post(url, {"action": "publish"})
    job.refresh_from_db()
    assert job.status == "open" and job.opened_at and job.is_public
    client.post(url, {"action": "closed"})
    job.refresh_from_db()
    assert job.status == "closed" and job.closed_at and not job.is_public
    client.post(url, {"action": "open"})
    job.refresh_from_db()
    assert job.closed_at is None


def test_pipeline_editing(client, recruiter, password):
    job = make_job()
    login(client, recruiter, password)
    setup = reverse("ats:job-setup", args=[job.pk])
    assert client.get(setup).status_code == 200
    response = client.post(setup, {"name": "Take-home", "kind": "interview"})
    assert response.status_code == 302
    stage = job.stages.get(name="Take-home")
    names = list(job.stages.order_by("position").values_list("name", flat=True))
    assert names.index("Take-home") == names.index("Interview") + 1
    duplicate = client.post(setup, {"name": "screen", "kind": "screen"})
    assert duplicate.status_code == 422 and "already has a stage" in duplicate.content.decode()
    change = reverse("ats:stage-change", args=[job.pk, stage.pk])
    client.post(change, {"action": "save", "name": "Take-home task", "manager_review": "on"})
    stage.refresh_from_db()
    assert stage.name == "Take-home task" and stage.manager_review
    applied = job.stages.get(kind="applied")
    make_application(job=job)
    response = client.post(
        reverse("ats:stage-change", args=[job.pk, applied.pk]), {"action": "delete"}, follow=True
    )
    assert "cannot be deleted" in response.content.decode()
    assert Stage.objects.filter(pk=applied.pk).exists()
    client.post(change, {"action": "delete"})
    assert not Stage.objects.filter(pk=stage.pk).exists()
    other = make_job()
    foreign = other.stages.first()
    assert (
        client.post(
            reverse("ats:stage-change", args=[job.pk, foreign.pk]), {"action": "delete"}
        ).status_code
        == 404
    )
    assert Stage.objects.filter(pk=foreign.pk).exists()


def test_questions_editing(client, recruiter, password):
    job = make_job()
    login(client, recruiter, password)
    add = reverse("ats:question-add", args=[job.pk])
    bad = client.post(add, {"label": "Pick one", "kind": "choice", "choices": "Only"})
    assert bad.status_code == 422 and "at least two options" in bad.content.decode()
    client.post(add, {"label": "Visa?", "kind": "yes_no", "required": "on"})
    client.post(add, {"label": "Shift", "kind": "choice", "choices": "Day\nNight\n"})
    questions = list(job.questions.all())
    assert [(q.label, q.required, q.choices) for q in questions] == [
        ("Visa?", True, []),
        ("Shift", False, ["Day", "Night"]),
    ]
    client.post(reverse("ats:question-change", args=[job.pk, questions[1].pk]), {"action": "up"})
    assert [q.label for q in job.questions.all()] == ["Shift", "Visa?"]
    client.post(
        reverse("ats:question-change", args=[job.pk, questions[0].pk]), {"action": "delete"}
    )
    assert list(ApplicationQuestion.objects.values_list("label", flat=True)) == ["Shift"]


@pytest.mark.parametrize("who", ["manager", "interviewer", "outsider"])
def test_recruiter_only_job_pages_answer_404_and_change_nothing(client, users, password, who):
    """The job's own hiring manager (and an interviewer on its panel) may see its board, but not
    its edit, status and setup pages: 404 there, as for a job that does not exist."""
    job = make_job(hiring_manager=users["manager"], status="draft", published=False)
    job.panel.add(users["interviewer"])
    question = ApplicationQuestion.objects.create(job=job, label="Visa?", kind="yes_no")
    applied = job.stages.get(kind="applied")
    screen = job.stages.get(kind="screen")
    login(client, users[who], password)
    requests = [
        ("get", "ats:job-edit", [], {}),
        ("get", "ats:job-setup", [], {}),
        ("post", "ats:job-status", [], {"action": "open"}),
        ("post", "ats:job-status", [], {"action": "publish"}),
        ("post", "ats:job-setup", [], {"name": "Take-home", "kind": "interview"}),
        ("post", "ats:stage-change", [screen.pk], {"action": "delete"}),
        ("post", "ats:question-add", [], {"label": "Shift?", "kind": "text"}),
        ("post", "ats:question-change", [question.pk], {"action": "delete"}),
    ]
    for method, name, extra, data in requests:
        existing = getattr(client, method)(reverse(name, args=[job.pk, *extra]), data)
        missing = getattr(client, method)(reverse(name, args=[job.pk + 999, *extra]), data)
        assert existing.status_code == missing.status_code == 404, name
        assert unmasked(existing) == unmasked(missing), name
    job.refresh_from_db()
    assert job.status == "draft" and not job.published
    assert job.stages.count() == 6 and Stage.objects.filter(pk=screen.pk).exists()
    assert list(job.questions.values_list("label", flat=True)) == ["Visa?"]
    assert applied.pk in job.stages.values_list("pk", flat=True)
