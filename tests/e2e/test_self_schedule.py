"""A candidate opens their scheduling link in Chromium: the page shows the offered times in the
browser's own time zone (picked by the small static script), they pick one and see the
confirmation; the interview exists. And a recruiter suggests times and sends the link."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from ats.models import Interview, SchedulingRequest
from ats.selectors.scheduling import schedule_token
from ats.services.scheduling import scheduling_request_create
from config.core.demo import demo_users_load
from config.core.roles import Role
from tests.e2e.helpers import log_in
from tests.factories import UserFactory, make_application

TOKYO = ZoneInfo("Asia/Tokyo")


def next_monday():
    today = timezone.now().date()
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


@pytest.mark.django_db(transaction=True)
def test_candidate_picks_a_time_in_their_own_zone(live_server, browser, screenshot_dir):
    recruiter = UserFactory(username="rita", roles=[Role.RECRUITER])
    ivy = UserFactory(username="ivy", roles=[Role.INTERVIEWER])
    app = make_application()
    monday = next_monday()
    times = [datetime.combine(monday, time(hour), tzinfo=UTC) for hour in (9, 11, 13)]
    request = scheduling_request_create(
        application=app,
        actor=recruiter,
        interviewers=[ivy],
        duration_minutes=45,
        timezone_name="UTC",
        slots=times,
        title="Technical screen",
        video_url="https://meet.example.com/abc-defg",
    )
    url = live_server.url + reverse("careers:schedule", args=[schedule_token(request)])

    context = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id="Asia/Tokyo")
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        page.goto(url)
        # The script picks the browser's zone and shows the times in it.
        page.wait_for_url("**tz=Asia%2FTokyo**")
        assert page.get_by_label("Show times in").input_value() == "Asia/Tokyo"
        eleven_tokyo = times[1].astimezone(TOKYO)
        label = f"{eleven_tokyo:%H:%M}\u2013{eleven_tokyo + timedelta(minutes=45):%H:%M}"
        assert page.get_by_text("Times in Asia/Tokyo.").is_visible()
        page.screenshot(path=str(screenshot_dir / "self-schedule-pick.png"), full_page=True)
        page.get_by_role("button", name=label).click()
        page.get_by_role("heading", name="You're booked").wait_for()
        booked = page.get_by_test_id("booked-time").inner_text()
        assert label in booked and "Asia/Tokyo" in booked
        assert page.get_by_role("link", name="Add to calendar (.ics)").is_visible()
        assert page.get_by_role("link", name="https://meet.example.com/abc-defg").is_visible()
        page.screenshot(path=str(screenshot_dir / "self-schedule-booked.png"), full_page=True)
        # Changing the zone shows the times in it at once (no "Show" click needed).
        page.get_by_label("Show times in").select_option("Europe/Berlin")
        page.wait_for_url("**tz=Europe%2FBerlin**")
        berlin = times[1].astimezone(ZoneInfo("Europe/Berlin"))
        assert f"{berlin:%H:%M}\u2013" in page.get_by_test_id("booked-time").inner_text()
        assert errors == [], errors
    finally:
        context.close()

    interview = Interview.objects.get()
    assert interview.starts_at == times[1] and interview.application == app
    assert list(interview.interviewers.all()) == [ivy]
    request.refresh_from_db()
    assert request.status == SchedulingRequest.Status.BOOKED and request.interview == interview


@pytest.mark.django_db(transaction=True)
def test_recruiter_suggests_times_and_sends_the_link(live_server, page, screenshot_dir):
    demo_users_load()
    users = get_user_model().objects
    ira = users.get(username="interviewer")
    app = make_application()
    log_in(page, live_server.url, "recruiter")
    page.goto(live_server.url + reverse("crm:candidate-detail", args=[app.candidate_id]))
    page.get_by_role("link", name="Let them pick a time").click()
    page.get_by_role("heading", name=f"Let {app.candidate} pick an interview time").wait_for()
    page.get_by_label(ira.get_full_name()).check()
    page.get_by_label("Duration (minutes)").fill("30")
    page.get_by_role("button", name="Suggest times").click()
    page.get_by_text("free time(s) suggested").wait_for()
    offered = page.get_by_test_id("offered").locator("input[type=checkbox]")
    assert offered.count() >= 2
    # Keep only the first two suggestions.
    for index in range(2, offered.count()):
        offered.nth(index).uncheck()
    page.screenshot(path=str(screenshot_dir / "self-schedule-recruiter.png"), full_page=True)
    page.get_by_role("button", name=f"Send the link to {app.candidate.email}").click()
    page.get_by_test_id("status").wait_for()
    assert page.get_by_test_id("status").inner_text() == "Waiting for the candidate"
    request = SchedulingRequest.objects.get()
    assert request.slots.count() == 2 and list(request.interviewers.all()) == [ira]
    assert request.duration_minutes == 30
    assert page.console_errors == [], page.console_errors
