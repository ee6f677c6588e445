"""A visitor joins the talent community from the career page and confirms through the link in
the email (received by the SMTP stand-in), then looks at the pages at phone width."""

import re

import pytest

from config.celery import app as celery_app
from crm.models import Candidate, CommunityStatus
from tests.factories import make_job


@pytest.fixture
def eager_tasks():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.mark.django_db(transaction=True)
def test_visitor_joins_from_the_career_page_and_confirms(
    live_server, page, screenshot_dir, settings, smtp_server, eager_tasks
):
    settings.SITE_URL = live_server.url
    make_job(title="Data Engineer", department="Data Platform")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/careers/")
    page.screenshot(path=str(screenshot_dir / "community-cta-list.png"), full_page=True)
    page.get_by_role("link", name="Join the talent community").click()
    page.get_by_role("heading", name="Join our talent community").wait_for()
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Email", exact=True).fill("grace@example.com")
    page.get_by_label("Data Platform").check()
    page.get_by_label("Remote").check()
    page.get_by_label("Job alerts", exact=False).check()
    page.screenshot(path=str(screenshot_dir / "community-join.png"), full_page=True)
    page.get_by_role("button", name="Join the talent community").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()

    deadline_messages = smtp_server.messages
    assert [m["to"] for m in deadline_messages] == [["grace@example.com"]]
    body = deadline_messages[0]["message"].get_content()
    link = re.search(r"https?://\S+/careers/join/confirm/\S+/", body).group(0)
    assert Candidate.objects.get().community_status == CommunityStatus.PENDING

    page.goto(link)
    page.get_by_role("heading", name="Confirm that you want to join").wait_for()
    assert Candidate.objects.get().community_status == CommunityStatus.PENDING
    page.screenshot(path=str(screenshot_dir / "community-confirm.png"), full_page=True)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="You're in").wait_for()
    page.screenshot(path=str(screenshot_dir / "community-done.png"), full_page=True)

    person = Candidate.objects.get()
    assert person.community_status == CommunityStatus.CONFIRMED
    assert person.interest_areas == ["Data Platform"]
    assert page.console_errors == [], page.console_errors


@pytest.mark.django_db(transaction=True)
def test_join_page_and_embed_at_phone_width(live_server, browser, screenshot_dir):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/careers/join/")
    page.get_by_role("button", name="Join the talent community").click()  # empty: errors
    page.get_by_role("alert").wait_for()
    page.screenshot(path=str(screenshot_dir / "community-join-errors-390.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    page.goto(f"{live_server.url}/careers/join/confirm/forged.token:abc/")
    page.get_by_role("link", name="Sign up again").wait_for()
    page.screenshot(path=str(screenshot_dir / "community-dead-390.png"), full_page=True)
    page.goto(f"{live_server.url}/careers/join/embed/")
    page.get_by_role("heading", name=re.compile("talent community")).wait_for()
    page.screenshot(path=str(screenshot_dir / "community-embed-390.png"), full_page=True)
    context.close()
