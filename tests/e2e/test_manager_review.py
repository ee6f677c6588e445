"""A hiring manager opens their review inbox, reads who is waiting and advances one with a
comment; the move is in the history with the manager as its author."""

import pytest
from django.contrib.auth import get_user_model

from ats.models import StageChange
from ats.services.applications import application_move_stage
from config.core.demo import demo_users_load
from tests.e2e.helpers import log_in
from tests.factories import make_application, make_candidate, make_job


@pytest.mark.django_db(transaction=True)
def test_manager_advances_from_the_inbox(live_server, page, screenshot_dir):
    demo_users_load()
    users = get_user_model().objects
    manager, recruiter = users.get(username="manager"), users.get(username="recruiter")
    job = make_job(title="Staff Engineer", hiring_manager=manager, actor=recruiter)
    screen = job.stages.get(kind="screen")
    waiting = []
    for first in ("Noor", "Pavel"):
        app = make_application(job=job, candidate=make_candidate(first_name=first))
        waiting.append(application_move_stage(application=app, stage=screen, actor=recruiter))

    log_in(page, live_server.url, "manager")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review").click()
    page.wait_for_url(f"{live_server.url}/review/")
    items = page.locator(".review-item")
    assert items.count() == 2
    first = items.filter(has_text="Noor")
    first.get_by_label("Comment for the recruiter").fill("Great systems design answers.")
    first.get_by_role("button", name="Advance").click()
    page.get_by_text("moved to Interview").wait_for()
    assert page.locator(".review-item").count() == 1
    assert "Pavel" in page.locator(".review-item").inner_text()

    app = waiting[0]
    app.refresh_from_db()
    assert app.stage.kind == "interview"
    last = StageChange.objects.filter(application=app).order_by("at", "id").last()
    assert last.actor == manager and last.comment == "Great systems design answers."
    assert page.console_errors == [], page.console_errors
    page.screenshot(path=str(screenshot_dir / "manager-review.png"), full_page=True)
