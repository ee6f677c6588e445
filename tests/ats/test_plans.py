"""Interview plans: the default plan of a new job, and editing it on the setup page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ats.models import InterviewType
from ats.services import plans
from tests.factories import PASSWORD, make_job


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_new_jobs_get_the_default_plan(db):
    job = make_job()
    names = list(job.interview_types.values_list("stage__kind", "name", "duration_minutes"))
    assert names == [
        ("screen", "Recruiter screen", 30),
        ("interview", "Technical interview", 60),
        ("final", "Final interview", 45),
    ]
    technical = job.interview_types.get(name="Technical interview")
    assert technical.focus_attributes == ["Role skills", "Problem solving", "Communication"]
    assert len(technical.questions) == 2
    # idempotent
    assert plans.interview_plan_default(job=job) == []


def test_service_add_update_move_remove(db):
    job = make_job()
    stage = job.stages.get(kind="interview")
    added = plans.interview_type_add(
        job=job,
        data={
            "name": "System design",
            "stage": stage.pk,
            "duration_minutes": 60,
            "focus_attributes": "API design\n\n Communication \nAPI design",
            "questions": ["Design a URL shortener."],
            "instructions": "Let them drive.",
        },
    )
    assert added.focus_attributes == ["API design", "Communication"]
    assert added.position == 1
    order = lambda: list(  # noqa: E731
        InterviewType.objects.filter(stage=stage)
        .order_by("position")
        .values_list("name", flat=True)
    )
    assert order() == ["Technical interview", "System design"]
    plans.interview_type_move(interview_type=added, direction="up")
    assert order() == ["System design", "Technical interview"]
    plans.interview_type_update(interview_type=added, data={"duration_minutes": 90})
    added.refresh_from_db()
    assert added.duration_minutes == 90 and added.name == "System design"
    plans.interview_type_remove(interview_type=added)
    assert order() == ["Technical interview"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "technical INTERVIEW"}, "name"),  # taken, any case
        ({"duration_minutes": 4}, "duration_minutes"),
        ({"duration_minutes": 481}, "duration_minutes"),
        ({"stage": 999999}, "stage"),
        ({"focus_attributes": ["x" * 121]}, "focus_attributes"),
    ],
)
def test_service_refusals_name_the_field(db, data, field):
    job = make_job()
    base = {"name": "Pairing", "stage": job.stages.get(kind="interview").pk, "duration_minutes": 45}
    before = InterviewType.objects.count()
    with pytest.raises(plans.PlanRefused) as caught:
        plans.interview_type_add(job=job, data=base | data)
    assert caught.value.field == field
    assert InterviewType.objects.count() == before


def test_stage_of_another_job_is_refused(db):
    job, other = make_job(), make_job()
    with pytest.raises(plans.PlanRefused):
        plans.interview_type_add(
            job=job, data={"name": "X", "stage": other.stages.first().pk, "duration_minutes": 30}
        )


def test_setup_page_shows_and_edits_the_plan(client, recruiter):
    job = make_job()
    login(client, recruiter)
    url = reverse("ats:job-setup", args=[job.pk])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Interview plan" in html and "Recruiter screen" in html and "Problem solving" in html
    stage = job.stages.get(kind="interview")
    answer = client.post(
        reverse("ats:interview-type-add", args=[job.pk]),
        {
            "new-type-name": "System design",
            "new-type-stage": stage.pk,
            "new-type-duration_minutes": "60",
            "new-type-focus_attributes": "API design\nTrade-offs",
            "new-type-questions": "Design a URL shortener.",
            "new-type-instructions": "",
        },
    )
    assert answer.status_code == 302
    kind = job.interview_types.get(name="System design")
    assert kind.focus_attributes == ["API design", "Trade-offs"]
    change = reverse("ats:interview-type-change", args=[job.pk, kind.pk])
    answer = client.post(
        change,
        {
            "action": "save",
            f"type-{kind.pk}-name": "System design",
            f"type-{kind.pk}-stage": stage.pk,
            f"type-{kind.pk}-duration_minutes": "75",
            f"type-{kind.pk}-focus_attributes": "API design",
            f"type-{kind.pk}-questions": "",
            f"type-{kind.pk}-instructions": "Let them drive.",
        },
    )
    assert answer.status_code == 302
    kind.refresh_from_db()
    assert kind.duration_minutes == 75 and kind.questions == [] and kind.instructions
    bad = client.post(
        change,
        {
            "action": "save",
            f"type-{kind.pk}-name": "Recruiter screen",
            f"type-{kind.pk}-stage": stage.pk,
            f"type-{kind.pk}-duration_minutes": "75",
        },
    )
    assert bad.status_code == 422 and "already has an interview named" in bad.content.decode()
    kind.refresh_from_db()
    assert kind.name == "System design"
    bad = client.post(
        reverse("ats:interview-type-add", args=[job.pk]),
        {"new-type-name": "Quick", "new-type-stage": stage.pk, "new-type-duration_minutes": "2"},
    )
    assert bad.status_code == 422 and "greater than or equal to 5" in bad.content.decode()
    assert client.post(change, {"action": "up"}).status_code == 302
    assert client.post(change, {"action": "delete"}).status_code == 302
    assert not job.interview_types.filter(name="System design").exists()


def test_plan_editing_is_for_recruiters(client, users):
    job = make_job()
    kind = job.interview_types.first()
    for name in ("manager", "interviewer", "outsider"):
        client.logout()
        login(client, users[name])
        answer = client.post(
            reverse("ats:interview-type-change", args=[job.pk, kind.pk]), {"action": "delete"}
        )
        assert answer.status_code in (403, 404), name
        answer = client.post(reverse("ats:interview-type-add", args=[job.pk]), {})
        assert answer.status_code in (403, 404), name
    assert job.interview_types.filter(pk=kind.pk).exists()
    other = make_job()
    client.logout()
    login(client, users["recruiter"])
    foreign = reverse("ats:interview-type-change", args=[other.pk, kind.pk])
    assert client.post(foreign, {"action": "delete"}).status_code == 404
