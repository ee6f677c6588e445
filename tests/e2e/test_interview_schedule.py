"""A recruiter schedules an interview from a candidate's profile in Chromium: picks a type from
the plan, a time and an interviewer, is shown a double booking, schedules anyway, and lands on
the interview page; the interviewer then reads it (kit, no contact details)."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from ats.models import Interview
from ats.services.interviews import interview_schedule
from config.core.demo import demo_users_load
from tests.e2e.helpers import log_in
from tests.factories import make_application, make_candidate, make_job

SHOTS = Path(os.environ.get("INTERVIEW_SHOTS_DIR") or "/tmp/wt-a-shots")


def shoot(page, name, screenshot_dir):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.screenshot(path=str(screenshot_dir / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


@pytest.mark.django_db(transaction=True)
def test_recruiter_schedules_with_a_conflict_then_interviewer_reads(
    live_server, page, screenshot_dir
):
    demo_users_load()
    users = get_user_model().objects
    recruiter = users.get(username="recruiter")
    interviewer = users.get(username="interviewer")
    job = make_job(title="Backend Engineer", hiring_manager=users.get(username="manager"))
    job.panel.set([interviewer])
    app = make_application(
        job=job,
        candidate=make_candidate(first_name="Grace", last_name="Hopper", email="grace@example.com"),
    )
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    # Another interview already holds the interviewer at that time.
    interview_schedule(
        application=make_application(job=job),
        actor=recruiter,
        starts_at=timezone.datetime.fromisoformat(f"{day}T10:30:00+00:00"),
        duration_minutes=30,
        timezone_name="UTC",
        interviewers=[interviewer],
        title="Recruiter screen",
    )

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/candidates/{app.candidate_id}/")
    page.get_by_role("link", name="Schedule interview").first.click()
    page.get_by_role("link", name="Technical interview").click()
    assert page.get_by_label("Duration (minutes)").input_value() == "60"
    page.get_by_label("Date", exact=True).fill(day)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Time zone", exact=True).select_option("UTC")
    page.get_by_label("Ira Interviewer (on the panel)").check()
    page.get_by_label("Video link").fill("https://meet.example.com/grace")
    page.get_by_label("Message to the candidate").fill("We look forward to meeting you.")
    shoot(page, "interview-new", screenshot_dir)
    page.get_by_role("button", name="Schedule and send invites").click()

    page.get_by_text("Already booked at that time").wait_for()
    assert Interview.objects.count() == 1
    shoot(page, "interview-conflict", screenshot_dir)
    page.get_by_label("Schedule anyway").check()
    page.get_by_role("button", name="Schedule and send invites").click()
    page.get_by_role("heading", name="Technical interview with Grace Hopper").wait_for()
    assert Interview.objects.count() == 2
    page.get_by_text("Problem solving").wait_for()
    assert "grace@example.com" in page.content()
    page.get_by_text("Reschedule").click()  # opens the <details>
    shoot(page, "interview-detail-recruiter", screenshot_dir)

    page.goto(f"{live_server.url}/jobs/{job.pk}/setup/")
    page.get_by_text("Interview plan").first.wait_for()
    page.get_by_text("Add an interview").click()
    shoot(page, "job-setup-plan", screenshot_dir)
    page.goto(f"{live_server.url}/interviews/calendar/")
    page.get_by_role("button", name="Create my feed URL").click()
    page.get_by_role("textbox", name="Feed URL").wait_for()
    shoot(page, "calendar-settings", screenshot_dir)

    page.context.clear_cookies()
    log_in(page, live_server.url, "interviewer")
    interview = Interview.objects.get(title="Technical interview")
    page.goto(f"{live_server.url}/interviews/{interview.pk}/")
    page.get_by_role("heading", name="Technical interview with Grace Hopper").wait_for()
    html = page.content()
    assert "grace@example.com" not in html and "Cancel the interview" not in html
    shoot(page, "interview-detail-interviewer", screenshot_dir)
    # The conflict answer is a 422 (the form re-rendered with its errors): expected.
    errors = [e for e in page.console_errors if "422" not in e]
    assert errors == [], errors
