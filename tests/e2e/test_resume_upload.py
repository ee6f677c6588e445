"""A recruiter uploads a resume on a profile: a real worker parses it in the sandbox, the panel
stops polling and shows the parsed fields beside the file, and the empty fields are filled."""

from pathlib import Path

import pytest

from config.core.demo import demo_users_load
from crm.models import Candidate
from crm.services.candidates import candidate_upsert
from tests.e2e.helpers import log_in

RESUME = Path(__file__).resolve().parent.parent / "resumes/set/01-classic-backend.pdf"


@pytest.mark.django_db(transaction=True)
def test_upload_parse_and_fill(live_server, page, screenshot_dir, celery_worker):
    demo_users_load()
    candidate = candidate_upsert(
        data={"first_name": "Sam", "last_name": "Okoro", "email": "sam.okoro@example.com"},
        origin="recruiter",
    ).candidate
    log_in(page, live_server.url)

    page.goto(f"{live_server.url}/candidates/{candidate.pk}/")
    section = page.locator("#resumes")
    section.locator("input[type=file]").set_input_files(str(RESUME))
    section.get_by_role("button", name="Upload").click()
    # The panel polls while the worker parses, then says it is done without a full reload.
    section.get_by_text("Reload the profile").wait_for(timeout=30000)
    page.reload()
    parsed = page.locator(".resume-item").first
    parsed.get_by_text("Parsed from this file").wait_for()
    text = parsed.inner_text()
    candidate.refresh_from_db()
    assert candidate.current_title and candidate.current_title in text
    assert candidate.skill_slugs, "the parsed skills went onto the record"
    assert candidate.work_history and candidate.education
    # The recruiter's name stays: parsing fills empty fields only.
    assert (candidate.first_name, candidate.last_name) == ("Sam", "Okoro")
    assert Candidate.objects.count() == 1
    assert page.console_errors == [], page.console_errors
    page.screenshot(path=str(screenshot_dir / "resume-parsed.png"), full_page=True)
