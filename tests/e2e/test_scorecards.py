"""An interviewer fills and submits a scorecard from "My interviews" (the draft survives a
reload); a hiring manager reads the summary from the review inbox and, when the offers pages
exist in this build, starts an offer from it."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from ats.models import Offer, Scorecard
from ats.services.applications import application_move_stage
from ats.services.scorecards import scorecard_submit
from config.core.demo import demo_users_load
from tests.ats.scorecard_helpers import make_interview
from tests.e2e.helpers import log_in
from tests.factories import (
    UserFactory,
    make_application,
    make_candidate,
    make_job,
    standard_offer_template,
)

SHOTS = (
    Path(os.environ.get("SCORECARD_SHOTS_DIR", ""))
    if os.environ.get("SCORECARD_SHOTS_DIR")
    else None
)


def shoot(page, directory: Path, name: str) -> None:
    """Full-page screenshots at 1366 px and 390 px wide."""
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(directory / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def setup_loop():
    demo_users_load()
    users = get_user_model().objects
    manager, recruiter = users.get(username="manager"), users.get(username="recruiter")
    interviewer = users.get(username="interviewer")
    job = make_job(title="Staff Engineer", hiring_manager=manager, actor=recruiter)
    person = make_candidate(first_name="Noor", last_name="Haddad", current_title="SRE")
    app = make_application(job=job, candidate=person)
    app = application_move_stage(
        application=app, stage=job.stages.get(kind="screen"), actor=recruiter
    )
    interview = make_interview(application=app, interviewers=[interviewer])
    return {"manager": manager, "interviewer": interviewer, "app": app, "interview": interview}


@pytest.mark.django_db(transaction=True)
def test_interviewer_fills_and_submits_a_scorecard(live_server, page, screenshot_dir):
    loop = setup_loop()
    log_in(page, live_server.url, "interviewer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Interviews").click()
    page.wait_for_url(f"{live_server.url}/interviews/")
    awaiting = page.locator("#awaiting")
    assert "Noor Haddad" in awaiting.inner_text()
    if SHOTS:
        shoot(page, SHOTS, "my-interviews")
    awaiting.get_by_role("link", name="Write scorecard").click()
    page.wait_for_url(f"{live_server.url}/interviews/{loop['interview'].pk}/scorecard/")
    assert "Design a rate limiter." in page.locator(".scorecard-kit").inner_text()

    # typing autosaves a draft (htmx); a reload (a closed tab) loses nothing
    draft_url = f"{live_server.url}/interviews/{loop['interview'].pk}/scorecard/draft/"
    with page.expect_response(draft_url):
        page.locator('input[name="rating-0"][value="4"]').check()
    with page.expect_response(
        lambda r: r.url == draft_url and "questions" in (r.request.post_data or "")
    ):
        page.get_by_label("Notes").press_sequentially("Strong on trade-offs; asked good questions.")
    page.get_by_text("Draft saved at").wait_for()
    assert Scorecard.objects.get().notes == "Strong on trade-offs; asked good questions."
    page.reload()
    assert page.get_by_label("Notes").input_value() == "Strong on trade-offs; asked good questions."
    assert page.locator('input[name="rating-0"][value="4"]').is_checked()
    if SHOTS:
        shoot(page, SHOTS, "scorecard-form")

    page.locator('input[name="overall"][value="yes"]').check()
    page.get_by_role("button", name="Submit scorecard").click()
    page.get_by_text("Scorecard submitted. Thank you!").wait_for()
    card = Scorecard.objects.get()
    assert (card.status, card.overall) == ("submitted", "yes")
    assert card.ratings == [{"attribute": "API design", "rating": 4}]
    # amend it: the history shows both versions
    page.locator('input[name="overall"][value="strong_yes"]').check()
    page.get_by_role("button", name="Submit amendment").click()
    page.get_by_text("History (2 versions)").wait_for()
    assert page.console_errors == [], page.console_errors
    page.screenshot(path=str(screenshot_dir / "scorecard-submitted.png"), full_page=True)
    # the kit's link to the person: the interviewer's limited profile (no contact details)
    page.locator(".scorecard-kit").get_by_role("link", name="Noor Haddad").click()
    page.get_by_role("heading", name="Your interviews").wait_for()
    body = page.locator("main").inner_text()
    assert "Staff Engineer" in body and "Feedback submitted" in body
    assert loop["app"].candidate.email not in body and "Timeline" not in body
    if SHOTS:
        shoot(page, SHOTS, "limited-profile")


@pytest.mark.django_db(transaction=True)
def test_manager_reads_the_summary_and_starts_an_offer(live_server, page, screenshot_dir):
    loop = setup_loop()
    colleague = UserFactory(username="paula", first_name="Paula", last_name="Park")
    loop["interview"].interviewers.add(colleague)
    scorecard_submit(
        interview=loop["interview"],
        interviewer=loop["interviewer"],
        overall="strong_yes",
        ratings=[{"attribute": "API design", "rating": 4}],
        notes="Best system design answer this quarter.",
    )
    scorecard_submit(
        interview=loop["interview"],
        interviewer=colleague,
        overall="no",
        ratings=[{"attribute": "Communication", "rating": 2}],
        notes="Rambled a bit.",
    )
    log_in(page, live_server.url, "manager")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review").click()
    item = page.locator(".review-item").filter(has_text="Noor Haddad")
    assert "Best system design answer" in item.inner_text()
    if SHOTS:
        shoot(page, SHOTS, "review-inbox")
    item.get_by_role("link", name="Scorecards and decision").click()
    summary_url = f"{live_server.url}/applications/{loop['app'].pk}/summary/"
    page.wait_for_url(summary_url)
    matrix = page.locator("#matrix").inner_text()
    assert "4 · Excellent" in matrix and "2 · Mixed" in matrix
    tally = page.locator("#tally").inner_text()
    assert "1 Strong yes" in " ".join(tally.split()) and "1 No" in " ".join(tally.split())
    assert "Rambled a bit." in page.locator("#notes").inner_text()
    if SHOTS:
        shoot(page, SHOTS, "decision-summary")
    assert page.console_errors == [], page.console_errors
    standard_offer_template()  # an earlier transactional test's flush may have removed it
    offer = reverse("ats:offer-new", kwargs={"pk": loop["app"].pk})
    page.locator("#make-offer").click()
    page.wait_for_url(f"{live_server.url}{offer}")
    page.get_by_label("Salary").fill("88000")
    page.get_by_label("Currency").fill("EUR")
    page.get_by_label("Start date").fill((timezone.localdate() + timedelta(days=40)).isoformat())
    page.get_by_role("button", name="Create draft offer").click()
    page.locator(".message", has_text="Offer drafted").wait_for()
    assert Offer.objects.get(application=loop["app"]).status == Offer.Status.DRAFT
    page.screenshot(path=str(screenshot_dir / "decision-summary.png"), full_page=True)
