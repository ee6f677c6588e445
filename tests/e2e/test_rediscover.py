"""A recruiter opens a job's Rediscover tab from the board, reads why people rank where they do,
pages with "Show more", and adds a ticked person to the job as sourced."""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from ats.models import Application
from config.core.demo import demo_users_load
from crm.models import Candidate
from tests.e2e.helpers import log_in
from tests.factories import make_candidate, make_job

SHOTS = Path(os.environ.get("REDISCOVER_SHOTS", "")) if os.environ.get("REDISCOVER_SHOTS") else None


def _people():
    make_candidate(
        first_name="Grace", last_name="Hopper", current_title="Senior Backend Engineer",
        city="Berlin", country="DE", seniority="senior", years_experience="9",
        interest_level="active", skills=["Python", "Django", "PostgreSQL", "Docker"],
    )  # fmt: skip
    make_candidate(
        first_name="Alan", last_name="Turing", current_title="Python Developer", city="Munich",
        country="DE", seniority="mid", skills=["Python", "Django"],
    )  # fmt: skip
    ada = make_candidate(
        first_name="Ada", last_name="Lovelace", current_title="Data Analyst", city="London",
        country="GB", skills=["Python"],
    )  # fmt: skip
    Candidate.objects.filter(pk=ada.pk).update(do_not_contact=True)


@pytest.mark.django_db(transaction=True)
def test_recruiter_rediscovers_and_adds_as_sourced(live_server, page, screenshot_dir, monkeypatch):
    monkeypatch.setattr("ats.views.rediscovery.PAGE_SIZE", 2)
    demo_users_load()
    recruiter = get_user_model().objects.get(username="recruiter")
    job = make_job(
        actor=recruiter, title="Backend Engineer", required_skills=["python", "django", "postgresql"],
        nice_skills=["docker"], seniority="senior",
    )  # fmt: skip
    _people()
    log_in(page, live_server.url, "recruiter")
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    page.get_by_role("link", name="Rediscover").click()
    expect(page.get_by_role("heading", name="Rediscover: Backend Engineer")).to_be_visible()
    rows = page.locator("#rediscover-rows tr[id^=match-]")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("3 of 3 required skills: Python, Django, PostgreSQL")
    page.get_by_role("link", name="Show more").click()
    expect(rows).to_have_count(3)
    expect(rows.nth(2)).to_contain_text("Do not contact")
    expect(page.get_by_role("checkbox", name="Select Ada Lovelace")).to_have_count(0)
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(screenshot_dir / f"rediscover-{width}.png"), full_page=True)
        if SHOTS:
            page.screenshot(path=str(SHOTS / f"rediscover-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("checkbox", name="Select Grace Hopper").check()
    page.get_by_role("button", name="Add selected to this job as sourced").click()
    expect(page.locator("#messages")).to_contain_text("1 added to “Backend Engineer” as sourced")
    app = Application.objects.get(job=job)
    assert app.candidate.first_name == "Grace" and app.source == "sourced"
    assert page.console_errors == []
