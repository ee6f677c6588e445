"""The hiring manager's review inbox and the applications card on the candidate profile."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ats.models import Application, RejectionReason, StageChange
from ats.services.applications import application_move_stage
from crm.models import TimelineEntry
from tests.factories import make_application, make_candidate, make_job

pytestmark = pytest.mark.django_db


def unmasked(response) -> str:
    """The page without its CSRF token (masked differently in every response)."""
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def login(client, user, password):
    assert client.login(username=user.username, password=password)
    return client


def _to_screen(app: Application) -> Application:
    """Into the Screen stage, which the hiring manager reviews by default."""
    return application_move_stage(
        application=app, stage=app.job.stages.get(kind="screen"), actor=app.job.hiring_manager
    )


def test_inbox_shows_only_the_managers_jobs(client, users, password):
    mine = make_job(title="Mine", hiring_manager=users["manager"])
    theirs = make_job(title="Theirs", hiring_manager=users["admin"])
    waiting = _to_screen(make_application(job=mine))
    make_application(job=mine)  # still at Applied: not for review
    application_move_stage(
        application=make_application(job=theirs),
        stage=theirs.stages.get(kind="screen"),
        actor=users["recruiter"],
    )
    login(client, users["manager"], password)
    body = client.get(reverse("ats:review")).content.decode()
    assert str(waiting.candidate) in body
    assert body.count('class="card review-item"') == 1
    for name in ("recruiter", "interviewer", "outsider"):
        login(client, users[name], password)
        assert client.get(reverse("ats:review")).status_code == 403


def test_manager_advances_with_a_comment(client, manager, password):
    job = make_job(hiring_manager=manager)
    app = _to_screen(make_application(job=job))
    login(client, manager, password)
    response = client.post(
        reverse("ats:review-decide", args=[app.pk]),
        {"decision": "advance", "comment": "Strong portfolio", "next": reverse("ats:review")},
    )
    assert response.status_code == 302 and response.url == reverse("ats:review")
    app.refresh_from_db()
    assert app.stage.kind == "interview"
    last = StageChange.objects.filter(application=app).last()
    assert last.actor == manager and last.comment == "Strong portfolio"
    assert "Nothing is waiting" in client.get(reverse("ats:review")).content.decode()


def test_manager_rejects_with_reason_and_needs_one(client, manager, password):
    job = make_job(hiring_manager=manager)
    app = _to_screen(make_application(job=job))
    login(client, manager, password)
    url = reverse("ats:review-decide", args=[app.pk])
    response = client.post(url, {"decision": "reject", "comment": "No"}, follow=True)
    assert "Pick a rejection reason" in response.content.decode()
    app.refresh_from_db()
    assert app.status == "active"
    reason = RejectionReason.objects.first()
    client.post(url, {"decision": "reject", "reason": reason.pk, "comment": "Not senior enough"})
    app.refresh_from_db()
    assert app.status == "rejected" and app.rejection_reason == reason


def test_manager_cannot_touch_other_jobs(client, users, password):
    other = make_job(hiring_manager=users["admin"])
    app = make_application(job=other)
    login(client, users["manager"], password)
    for url in (
        reverse("ats:review-decide", args=[app.pk]),
        reverse("ats:application-move", args=[app.pk]),
        reverse("ats:application-reject", args=[app.pk]),
        reverse("ats:review-decide", args=[app.pk + 999]),
    ):
        assert client.post(url, {"decision": "advance", "stage": "1"}).status_code == 404
    assert client.get(reverse("crm:candidate-detail", args=[app.candidate_id])).status_code == 404
    app.refresh_from_db()
    assert app.stage.kind == "applied" and app.status == "active"


def test_manager_sees_the_profile_of_their_candidates_only(client, users, password):
    job = make_job(hiring_manager=users["manager"])
    app = make_application(job=job)
    stranger = make_candidate()
    login(client, users["manager"], password)
    response = client.get(reverse("crm:candidate-detail", args=[app.candidate_id]))
    assert response.status_code == 200
    body = response.content.decode()
    assert job.title in body and "Move to" in body
    assert "Add to a job" not in body  # recruiters only
    assert client.get(reverse("crm:candidate-detail", args=[stranger.pk])).status_code == 404


def test_profile_lists_applications_with_history(client, recruiter, password):
    app = make_application()
    application_move_stage(
        application=app, stage=app.job.stages.get(kind="interview"), actor=recruiter
    )
    login(client, recruiter, password)
    body = client.get(reverse("crm:candidate-detail", args=[app.candidate_id])).content.decode()
    assert app.job.title in body
    assert "Applied → Interview" in body and "Entered at Applied" in body
    assert "History (2)" in body


def test_recruiter_adds_a_person_to_a_job_as_referral(client, users, password):
    candidate = make_candidate()
    job = make_job()
    login(client, users["recruiter"], password)
    url = reverse("ats:candidate-add-to-job", args=[candidate.pk])
    refused = client.post(url, {"job": job.pk, "source": "referral"}, follow=True)
    assert "Say who referred them" in refused.content.decode()
    assert not Application.objects.exists()
    client.post(url, {"job": job.pk, "source": "referral", "referrer": users["manager"].pk})
    app = Application.objects.get()
    assert app.source == "referral" and app.referrer == users["manager"]
    assert app.created_by == users["recruiter"]
    again = client.post(url, {"job": job.pk, "source": "sourced"}, follow=True)
    assert "is not one of the available choices" in again.content.decode()
    assert Application.objects.count() == 1
    assert TimelineEntry.objects.filter(candidate=candidate, kind="application").exists()


@pytest.mark.parametrize("who", ["manager", "interviewer", "outsider"])
def test_add_to_job_is_for_recruiters_only(client, users, password, who):
    candidate = make_candidate()
    job = make_job(hiring_manager=users["manager"])
    job.panel.add(users["interviewer"])
    make_application(job=job, candidate=candidate)
    other_job = make_job(hiring_manager=users["manager"])
    login(client, users[who], password)
    payload = {"job": other_job.pk, "source": "sourced"}
    existing = client.post(reverse("ats:candidate-add-to-job", args=[candidate.pk]), payload)
    missing = client.post(reverse("ats:candidate-add-to-job", args=[candidate.pk + 999]), payload)
    assert existing.status_code == missing.status_code == 404
    assert unmasked(existing) == unmasked(missing)
    assert Application.objects.count() == 1


def test_profile_move_and_reject_with_email(client, recruiter, password, settings):
    app = make_application()
    login(client, recruiter, password)
    detail = reverse("crm:candidate-detail", args=[app.candidate_id])
    screen = app.job.stages.get(kind="screen")
    response = client.post(
        reverse("ats:application-move", args=[app.pk]),
        {"stage": screen.pk, "next": detail, "comment": "Phone screen booked"},
    )
    assert response.status_code == 302 and response.url == detail
    assert StageChange.objects.filter(application=app, comment="Phone screen booked").exists()
    foreign = make_job().stages.get(kind="interview")
    refused = client.post(
        reverse("ats:application-move", args=[app.pk]), {"stage": foreign.pk}, follow=True
    )
    assert "not part of this job" in refused.content.decode()
    app.refresh_from_db()
    assert app.stage == screen
    reason = RejectionReason.objects.first()
    response = client.post(
        reverse("ats:application-reject", args=[app.pk]),
        {"reason": reason.pk, "send_email": "on", "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response.url == detail  # never to another site
    app.refresh_from_db()
    assert app.status == "rejected"
    assert TimelineEntry.objects.filter(
        candidate=app.candidate, kind="email_out", summary__startswith="Rejection email queued"
    ).exists()
