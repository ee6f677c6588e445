"""The review inbox shows the resume, cover letter, answers and the scorecards (under the
blindness rule), not only the name; in constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ats.models import Application
from ats.services.applications import application_move_stage
from ats.services.scorecards import scorecard_submit
from config.core.roles import Role
from crm.models import ResumeFile
from tests.factories import UserFactory, make_application, make_job

from .scorecard_helpers import login, make_interview

pytestmark = pytest.mark.django_db


def waiting(job, manager, n=1):
    apps = []
    for _ in range(n):
        app = make_application(job=job)
        application_move_stage(application=app, stage=job.stages.get(kind="screen"), actor=manager)
        Application.objects.filter(pk=app.pk).update(
            cover_letter="Dear team, I build compilers.",
            answers=[{"question": 1, "label": "Visa needed?", "answer": "No"}],
        )
        ResumeFile.objects.create(
            candidate=app.candidate, file="resumes/cv.pdf", original_name="cv.pdf",
            content_type="application/pdf", size=10, sha256="0" * 64,
        )  # fmt: skip
        paula = UserFactory(roles=[Role.INTERVIEWER])
        interview = make_interview(application=app, interviewers=[paula])
        scorecard_submit(
            interview=interview, interviewer=paula, overall="strong_yes", notes="Hire them"
        )
        apps.append(app)
    return apps


def test_inbox_shows_resume_cover_letter_answers_and_scorecards(client, manager, password):
    job = make_job(hiring_manager=manager)
    (app,) = waiting(job, manager)
    login(client, manager, password)
    response = client.get(reverse("ats:review"))
    assert response.status_code == 200
    html = response.content.decode()
    resume = app.candidate.resumes.get()
    for text in (
        reverse("crm:candidate-resume", args=[app.candidate_id, resume.pk]),
        "Dear team, I build compilers.", "Visa needed?", "Strong yes", "Hire them",
        reverse("ats:application-summary", args=[app.pk]),
    ):  # fmt: skip
        assert text in html, text


def test_inbox_scorecards_are_blind_for_a_manager_on_the_panel(client, manager, password):
    job = make_job(hiring_manager=manager)
    (app,) = waiting(job, manager)
    app.interviews.get().interviewers.add(manager)
    login(client, manager, password)
    html = client.get(reverse("ats:review")).content.decode()
    assert "Hire them" not in html
    assert "stay hidden until you submit yours" in html


def test_inbox_constant_queries(client, manager, password):
    job = make_job(hiring_manager=manager)
    waiting(job, manager, 2)
    login(client, manager, password)
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("ats:review"))
    assert response.content.decode().count("Hire them") == 2
    waiting(job, manager, 8)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("ats:review"))
    assert response.status_code == 200
    assert response.content.decode().count("Hire them") == 10
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
