"""A recruiter drags a card to the next column; the count follows, the move is saved with its
history. Then the same through a card's "Move" form, the way without a mouse."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from ats.models import Application, StageChange
from config.core.demo import demo_users_load
from tests.e2e.helpers import log_in
from tests.factories import make_application, make_candidate, make_job


def _job_with_two_applications():
    recruiter = get_user_model().objects.get(username="recruiter")
    job = make_job(actor=recruiter, hiring_manager=None, recruiter=recruiter, title="Data Engineer")
    first = make_application(
        job=job,
        candidate=make_candidate(first_name="Grace", last_name="Hopper", current_title="Admiral"),
        actor=recruiter,
        source="referral",
    )
    second = make_application(
        job=job,
        candidate=make_candidate(first_name="Alan", last_name="Turing", current_title="Analyst"),
        actor=recruiter,
    )
    return job, first, second


def _column(page, job, kind):
    return page.locator(f"#column-{job.stages.get(kind=kind).pk}")


@pytest.mark.django_db(transaction=True)
def test_board_drag_and_form_move(live_server, page, screenshot_dir):
    demo_users_load()
    job, first, second = _job_with_two_applications()
    log_in(page, live_server.url, "recruiter")
    page.goto(f"{live_server.url}/jobs/{job.pk}/")

    applied, screen = _column(page, job, "applied"), _column(page, job, "screen")
    assert applied.locator(".board-count").inner_text() == "2"
    assert screen.locator(".board-count").inner_text() == "0"

    card = page.locator(f"#card-{first.pk}")
    card.locator(".board-card-meta").drag_to(screen.locator(".board-cards"))
    # (expect() polls without evaluating strings, which the page's CSP would refuse.)
    expect(screen.locator(".board-count")).to_have_text("1")
    assert applied.locator(".board-count").inner_text() == "1"
    assert screen.locator(f"#card-{first.pk}").is_visible()
    assert page.locator("#messages").get_by_text("Moved Grace Hopper to Screen.").is_visible()
    first.refresh_from_db()
    assert first.stage.kind == "screen"
    assert StageChange.objects.filter(application=first, to_stage=first.stage).exists()

    # Without dragging: the card's own form (keyboard users, or no JavaScript at all).
    other = page.locator(f"#card-{second.pk}")
    other.get_by_label("Move Alan Turing to").select_option(label="Interview")
    other.get_by_role("button", name="Move").click()
    interview = _column(page, job, "interview")
    interview.locator(f"#card-{second.pk}").wait_for()
    assert interview.locator(".board-count").inner_text() == "1"
    assert applied.locator(".board-count").inner_text() == "0"
    # Focus comes back to the moved card.
    expect(page.locator(f"#card-{second.pk}")).to_be_focused()
    second.refresh_from_db()
    assert second.stage.kind == "interview"
    assert StageChange.objects.filter(application=second, to_stage=second.stage).exists()

    # The shortcut on a focused card: "]" moves it one column right, focus stays on it.
    page.keyboard.press("]")
    final = _column(page, job, "final")
    final.locator(f"#card-{second.pk}").wait_for()
    expect(page.locator(f"#card-{second.pk}")).to_be_focused()
    assert Application.objects.get(pk=second.pk).stage.kind == "final"

    assert page.console_errors == [], page.console_errors
    page.screenshot(path=str(screenshot_dir / "board.png"), full_page=True)
