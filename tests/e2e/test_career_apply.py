"""A candidate finds a job on the public career site and applies with a real PDF resume."""

from pathlib import Path

import pytest

from ats.models import Application, ApplicationQuestion
from tests.factories import make_job

RESUME = Path(__file__).resolve().parent.parent / "resumes/set/01-classic-backend.pdf"


@pytest.mark.django_db(transaction=True)
def test_candidate_applies_from_the_career_page(
    live_server, page, screenshot_dir, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    job = make_job(
        title="Backend Engineer",
        department="Engineering",
        description="Build **APIs** with us.",
        locations=[{"city": "Berlin", "country": "DE", "postal_code": "10115"}],
    )
    ApplicationQuestion.objects.create(
        job=job, label="Do you have a work permit for Germany?", kind="yes_no", required=True
    )
    make_job(title="Closed Role", status="closed")

    page.goto(f"{live_server.url}/careers/")
    assert page.get_by_role("link", name="Closed Role").count() == 0
    page.screenshot(path=str(screenshot_dir / "career-list.png"), full_page=True)
    page.get_by_role("link", name="Backend Engineer").click()
    page.get_by_role("heading", name="Backend Engineer", level=1).wait_for()

    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Email", exact=True).fill("grace.hopper@example.com")
    page.get_by_label("Resume", exact=True).set_input_files(str(RESUME))
    page.get_by_label("Cover letter (optional)").fill("Compilers are my thing.")
    page.get_by_role("group", name="Do you have a work permit for Germany?").get_by_label(
        "Yes"
    ).check()
    page.get_by_label("I have read the privacy notice").check()
    page.screenshot(path=str(screenshot_dir / "career-apply-form.png"), full_page=True)
    page.get_by_role("button", name="Send application").click()

    page.wait_for_url(f"{live_server.url}/careers/{job.slug}/applied/")
    page.get_by_role("heading", name="Thank you for applying").wait_for()
    page.screenshot(path=str(screenshot_dir / "career-applied.png"), full_page=True)

    application = Application.objects.select_related("candidate", "resume").get()
    assert application.job == job and application.source == "career_page"
    assert application.candidate.email == "grace.hopper@example.com"
    assert application.resume.original_name == "01-classic-backend.pdf"
    assert application.resume.size == RESUME.stat().st_size
    assert Path(application.resume.file.path).read_bytes() == RESUME.read_bytes()
    assert application.answers[0]["answer"] == "Yes"
    assert page.console_errors == [], page.console_errors


@pytest.mark.django_db(transaction=True)
def test_mistakes_come_back_summarised_and_linked(live_server, page, screenshot_dir):
    job = make_job(title="Backend Engineer")
    page.goto(f"{live_server.url}/careers/{job.slug}/?utm_source=newsletter")
    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Email", exact=True).fill("grace-at-example")
    page.get_by_role("button", name="Send application").click()

    summary = page.get_by_role("alert")
    summary.get_by_text("There is a problem with your application").wait_for()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    summary.get_by_role("link", name="Email: Enter an email address").click()
    assert page.evaluate("document.activeElement.id") == "id_email"
    email = page.get_by_label("Email", exact=True)
    assert email.input_value() == "grace-at-example"
    assert email.get_attribute("aria-invalid") == "true"
    assert page.get_by_label("First name").input_value() == "Grace"
    assert page.locator("input[name=utm_source]").input_value() == "newsletter"
    page.get_by_text("Choose the file again").wait_for()
    page.screenshot(path=str(screenshot_dir / "career-apply-errors.png"), full_page=True)
    assert not Application.objects.exists()
    # Chromium logs the 422 document itself as a failed load; nothing else may fail.
    errors = [e for e in page.console_errors if "status of 422" not in e]
    assert errors == [], errors
