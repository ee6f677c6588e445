"""A hiring manager starts an offer from the application, previews the letter, approves and
sends it; the candidate opens the signed link in Chromium, reads the letter and accepts, and
the application is hired."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from ats.models import Application, Offer
from ats.services.offers import offer_link_path
from config.celery import app as celery_app
from config.core.demo import demo_users_load
from tests.e2e.helpers import log_in
from tests.factories import make_application, make_candidate, make_job, standard_offer_template

SHOTS = Path(os.environ.get("OFFER_SHOTS_DIR", "")) if os.environ.get("OFFER_SHOTS_DIR") else None


def _shot(page, screenshot_dir, name: str) -> None:
    page.screenshot(path=str(screenshot_dir / f"{name}.png"), full_page=True)
    if SHOTS:  # the 390 px view too, for a look at the narrow layout
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1366, "height": 800})
        page.screenshot(path=str(SHOTS / f"{name}-1366.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(SHOTS / f"{name}-390.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 800})


@pytest.fixture
def no_mail_queue():
    """The send's email task runs in-process (locmem outbox), not on a broker nobody reads."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.mark.django_db(transaction=True)
def test_manager_offers_and_candidate_accepts(live_server, page, screenshot_dir, no_mail_queue):
    demo_users_load()
    standard_offer_template()  # an earlier transactional test's flush may have removed it
    users = get_user_model().objects
    manager, recruiter = users.get(username="manager"), users.get(username="recruiter")
    job = make_job(title="Platform Engineer", hiring_manager=manager, actor=recruiter)
    person = make_candidate(first_name="Lin", last_name="Okafor", email="lin@example.com")
    application = make_application(job=job, candidate=person, actor=recruiter)

    # the hiring manager makes the offer
    log_in(page, live_server.url, "manager")
    page.goto(f"{live_server.url}/applications/{application.pk}/offer/new/")
    page.get_by_label("Salary").fill("92000")
    page.get_by_label("Currency").fill("EUR")
    start = timezone.localdate() + timedelta(days=45)
    page.get_by_label("Start date").fill(start.isoformat())
    page.get_by_label("Bonus").fill("8% target bonus")
    page.get_by_role("button", name="Preview letter").click()
    page.locator("#letter-preview").wait_for()
    assert "Dear Lin," in page.locator("#letter-preview").inner_text()
    _shot(page, screenshot_dir, "offer-new")
    page.get_by_role("button", name="Create draft offer").click()
    page.locator(".message", has_text="Offer drafted").wait_for()
    # an edit of the terms renders the template's letter again
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Salary").fill("93000")
    page.get_by_role("button", name="Save changes").click()
    page.locator(".message", has_text="Offer saved").wait_for()
    assert "93,000 EUR per year" in page.locator(".offer-letter").inner_text()
    page.get_by_role("button", name="Submit for approval").click()
    page.locator(".message", has_text="Submitted for approval.").wait_for()
    # the offers list shows it first, awaiting the manager's approval
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Offers").click()
    page.wait_for_url(f"{live_server.url}/offers/")
    row = page.locator(".offer-my-turn")
    assert "Awaiting your approval" in row.inner_text() and "Lin Okafor" in row.inner_text()
    _shot(page, screenshot_dir, "offer-list")
    row.get_by_role("link", name="Lin Okafor").click()
    page.get_by_label("Comment").fill("Within the band.")
    page.get_by_role("button", name="Approve").click()
    page.locator(".message", has_text="Approved.").wait_for()
    page.get_by_role("button", name="Send to lin@example.com").click()
    page.locator(".message", has_text="Offer sent to lin@example.com").wait_for()
    _shot(page, screenshot_dir, "offer-detail")
    offer = Offer.objects.get(application=application)
    assert offer.status == Offer.Status.SENT

    # the candidate, not logged in, opens the link and accepts
    candidate_page = page.context.browser.new_context(viewport={"width": 1280, "height": 800})
    tab = candidate_page.new_page()
    errors = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.goto(f"{live_server.url}{offer_link_path(offer)}")
    assert "93,000 EUR per year" in tab.locator(".offer-terms").inner_text()
    assert "Dear Lin," in tab.locator(".offer-letter").inner_text()
    _shot(tab, screenshot_dir, "offer-candidate")
    tab.get_by_role("button", name="Accept the offer").click()
    tab.get_by_role("heading", name="You accepted the offer").wait_for()
    _shot(tab, screenshot_dir, "offer-accepted")
    candidate_page.close()

    application.refresh_from_db()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED
    assert application.status == Application.Status.HIRED
    assert errors == [] and page.console_errors == [], (errors, page.console_errors)
