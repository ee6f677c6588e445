"""Issue 12, roles: interviewers see only the applications they interview for, and of those
only what they need (the limited profile); the job form's bulk grant."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ats.models import Interview, Job
from crm.models import ResumeFile
from crm.services.timeline import note_add
from tests.factories import make_application, make_candidate, make_job

from .scorecard_helpers import login, make_interview, unmasked

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(recruiter):
    candidate = make_candidate(
        first_name="Grace",
        last_name="Hopper",
        email="grace@example.com",
        phone="+49 30 1234567",
        current_title="Compiler engineer",
        tags=["secret-tag"],
    )
    note_add(candidate=candidate, body="Recruiter-only note", actor=recruiter)
    resume = ResumeFile(
        candidate=candidate,
        original_name="grace.pdf",
        content_type="application/pdf",
        size=8,
        sha256="1" * 64,
    )
    resume.file.save("grace.pdf", ContentFile(b"%PDF-1.4"), save=False)
    resume.save()
    return candidate


@pytest.fixture
def jobs(person, interviewer):
    """Grace applied to two jobs; Ian sits on both jobs' panels, interviews her for one."""
    mine, other = make_job(title="Compilers lead"), make_job(title="Secret other job")
    mine.panel.add(interviewer)
    other.panel.add(interviewer)
    app = make_application(job=mine, candidate=person)
    make_application(job=other, candidate=person)
    return {"mine": mine, "other": other, "app": app}


def profile(pk):
    return reverse("crm:candidate-detail", args=[pk])


def test_on_the_panel_is_not_enough(client, interviewer, password, person, jobs):
    login(client, interviewer, password)
    existing = client.get(profile(person.pk))
    missing = client.get(profile(person.pk + 1000))
    assert existing.status_code == missing.status_code == 404
    assert unmasked(existing) == unmasked(missing)


def test_interviewer_gets_the_limited_profile(client, interviewer, password, person, jobs):
    interview = make_interview(application=jobs["app"], interviewers=[interviewer])
    login(client, interviewer, password)
    response = client.get(profile(person.pk))
    assert response.status_code == 200
    html = response.content.decode()
    resume = person.resumes.get()
    for shown in (
        "Grace Hopper", "Compiler engineer", "grace.pdf", "Compilers lead",
        reverse("crm:candidate-resume", args=[person.pk, resume.pk]),
        reverse("ats:scorecard", args=[interview.pk]),
    ):  # fmt: skip
        assert shown in html, shown
    for hidden in (
        "grace@example.com", "1234567", "Recruiter-only note", "Secret other job",
        "secret-tag", "Timeline", "onsent",
    ):  # fmt: skip
        assert hidden not in html, hidden
    # the resume downloads; the timeline and the parsed panel do not
    assert (
        client.get(reverse("crm:candidate-resume", args=[person.pk, resume.pk])).status_code == 200
    )
    assert client.get(reverse("crm:candidate-timeline", args=[person.pk])).status_code == 404
    status = reverse("crm:candidate-resume-status", args=[person.pk, resume.pk])
    assert client.get(status, headers={"HX-Request": "true"}).status_code == 404


def test_cancelled_interview_ends_the_scope(client, interviewer, password, person, jobs):
    make_interview(
        application=jobs["app"], interviewers=[interviewer], status=Interview.Status.CANCELLED
    )
    login(client, interviewer, password)
    assert client.get(profile(person.pk)).status_code == 404
    resume = person.resumes.get()
    url = reverse("crm:candidate-resume", args=[person.pk, resume.pk])
    assert client.get(url).status_code == 404


def test_recruiter_and_manager_still_get_the_full_profile(client, users, password, person, jobs):
    Job.objects.filter(pk=jobs["mine"].pk).update(hiring_manager=users["manager"])
    make_interview(application=jobs["app"], interviewers=[users["manager"]])
    for name in ("recruiter", "manager"):
        login(client, users[name], password)
        html = client.get(profile(person.pk)).content.decode()
        assert "grace@example.com" in html, name


def test_candidate_api_is_closed_to_interviewers(interviewer, person, jobs):
    make_interview(application=jobs["app"], interviewers=[interviewer])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=interviewer).key}")
    for url in (
        reverse("api:candidates"),
        reverse("api:candidate-detail", args=[person.pk]),
    ):
        response = api.get(url)
        assert response.status_code == 403, url
        assert "grace@example.com" not in response.content.decode()


def test_job_form_sets_the_bulk_grant(client, recruiter, password, manager):
    job = make_job(hiring_manager=manager)
    login(client, recruiter, password)
    url = reverse("ats:job-edit", args=[job.pk])
    html = client.get(url).content.decode()
    assert 'name="manager_can_bulk"' in html
    data = {
        "title": job.title, "department": "Engineering", "employment_type": "FULL_TIME",
        "remote_policy": "remote", "remote_countries": "", "locations": "", "description": "",
        "salary_period": "YEAR", "openings": "1", "hiring_manager": manager.pk,
        "manager_can_bulk": "on",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    job.refresh_from_db()
    assert job.manager_can_bulk is True
    data.pop("manager_can_bulk")
    client.post(url, data)
    job.refresh_from_db()
    assert job.manager_can_bulk is False
