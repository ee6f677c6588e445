"""The public career site: the job list, job pages with JobPosting JSON-LD, and the apply form."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ats.models import Application, ApplicationQuestion
from config.celery import app as celery_app
from crm.models import Candidate, ResumeFile, TimelineEntry
from tests.factories import make_candidate, make_job

pytestmark = pytest.mark.django_db

RESUME = Path(__file__).resolve().parent.parent / "resumes/set/01-classic-backend.pdf"
LIST = reverse("careers:list")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def job_url(job, name="careers:job") -> str:
    return reverse(name, args=[job.slug])


def pdf(name="my cv.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    data = RESUME.read_bytes() if content is None else content
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def form_data(**overrides) -> dict:
    data = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "phone": "",
        "cover_letter": "I would love to build engines with you.",
        "privacy_consent": "on",
        "website": "",
        "resume": pdf(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def apply(client, job, **overrides):
    return client.post(job_url(job, "careers:apply"), form_data(**overrides))


def nothing_stored() -> bool:
    return not (
        Candidate.objects.exists() or Application.objects.exists() or ResumeFile.objects.exists()
    )


# --------------------------------------------------------------------------- list


def test_list_shows_only_open_published_jobs(client):
    shown = make_job(title="Backend Engineer")
    make_job(title="Draft Role", status="draft")
    make_job(title="Closed Role", status="closed")
    make_job(title="Paused Role", status="on_hold")
    make_job(title="Hidden Role", published=False)
    html = client.get(LIST).content.decode()
    assert "Backend Engineer" in html and job_url(shown) in html
    for title in ("Draft Role", "Closed Role", "Paused Role", "Hidden Role"):
        assert title not in html
    assert "1 open position" in html


def test_list_filters_by_department_location_remote_and_type(client):
    make_job(title="Data Analyst", department="Data", employment_type="PART_TIME")
    make_job(
        title="Designer",
        department="Design",
        remote_policy="remote",
        locations=[{"city": "Lisbon", "country": "PT"}],
    )
    make_job(title="Intern", department="Engineering", employment_type="INTERN")

    def titles(**query) -> set[str]:
        html = client.get(LIST, query).content.decode()
        return {t for t in ("Data Analyst", "Designer", "Intern") if f">{t}</a>" in html}

    assert titles(department="Data") == {"Data Analyst"}
    assert titles(location="Lisbon") == {"Designer"}
    assert titles(location="PT") == {"Designer"}
    assert titles(location="DE") == {"Data Analyst", "Intern"}
    assert titles(remote="remote") == {"Designer"}
    assert titles(type="INTERN") == {"Intern"}
    assert titles(type="PART_TIME", department="Data") == {"Data Analyst"}
    assert titles(remote="bogus") == {"Data Analyst", "Designer", "Intern"}  # ignored


def test_list_search_matches_title_department_and_description(client):
    make_job(title="Platform Engineer", description="We run **Kubernetes** clusters.")
    make_job(title="Recruiter", department="People")
    for query, expected in (("platform", "Platform Engineer"), ("kubernetes", "Platform")):
        assert expected in client.get(LIST, {"q": query}).content.decode()
    html = client.get(LIST, {"q": "people"}).content.decode()
    assert ">Recruiter</a>" in html and "Platform Engineer" not in html


def test_list_filter_options_come_from_open_jobs(client):
    make_job(department="Finance", locations=[{"city": "Oslo", "country": "NO"}])
    make_job(
        department="Secret Lab", status="draft", locations=[{"city": "Area 51", "country": "US"}]
    )
    html = client.get(LIST).content.decode()
    assert '<option value="Finance">' in html and '<option value="Oslo">' in html
    assert "Secret Lab" not in html and "Area 51" not in html


def test_list_empty_state(client):
    make_job(status="draft")
    html = client.get(LIST).content.decode()
    assert "There are no open positions right now." in html
    assert "No open positions match" in client.get(LIST, {"q": "zzz"}).content.decode()


def test_list_paginates(client):
    for n in range(23):
        make_job(title=f"Role {n:02d}")
    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()
    assert first.count('class="card job-card"') == 20
    assert second.count('class="card job-card"') == 3
    assert "?page=2" in first


def test_list_htmx_gets_only_the_results(client):
    make_job(title="Backend Engineer")
    response = client.get(LIST, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="job-results"' in body and "<html" not in body and "Backend Engineer" in body


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST).status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_jobs(client, django_assert_max_num_queries):
    make_job(locations=[{"city": "Berlin", "country": "DE"}, {"city": "Paris", "country": "FR"}])
    one = _list_queries(client)
    for n in range(14):
        make_job(
            locations=[{"city": f"City {n}", "country": "DE"}, {"city": "Rome", "country": "IT"}]
        )
    with django_assert_max_num_queries(one):
        client.get(LIST)
    assert _list_queries(client) == one


# --------------------------------------------------------------------------- job page


def test_job_page_has_no_inline_script_or_style(client):
    job = make_job(description="Hello")
    html = client.get(job_url(job)).content.decode()
    assert " style=" not in html and "<style" not in html
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline == [' type="application/ld+json"']


def test_closed_job_is_gone_with_a_friendly_page(client):
    job = make_job(title="Old Role", status="closed")
    response = client.get(job_url(job))
    html = response.content.decode()
    assert response.status_code == 410
    assert "Old Role is no longer open" in html and '<meta name="robots" content="noindex">' in html
    assert "application/ld+json" not in html and 'name="first_name"' not in html


@pytest.mark.parametrize("fields", [{"status": "draft"}, {"published": False}])
def test_draft_or_unpublished_job_is_not_found(client, fields):
    job = make_job(**fields)
    assert client.get(job_url(job)).status_code == 404
    assert client.get(reverse("careers:job", args=["no-such-job"])).status_code == 404


def test_job_on_hold_shows_without_form_and_is_not_indexed(client):
    job = make_job(title="Paused Role", status="on_hold")
    response = client.get(job_url(job))
    html = response.content.decode()
    assert response.status_code == 200 and "Paused Role" in html
    assert "Applications are paused" in html and 'name="first_name"' not in html
    assert '<meta name="robots" content="noindex">' in html and "ld+json" not in html


def test_job_page_forwards_utm_and_ref_into_hidden_fields(client):
    job = make_job()
    html = client.get(job_url(job), {"utm_source": "linkedin", "ref": "ab12", "x": "1"}).content
    html = html.decode()
    assert '<input type="hidden" name="utm_source" value="linkedin"' in html
    assert '<input type="hidden" name="ref" value="ab12"' in html


def test_every_apply_input_has_a_label(client):
    job = make_job()
    ApplicationQuestion.objects.create(job=job, label="Notice period?", kind="text")
    ApplicationQuestion.objects.create(job=job, label="Visa?", kind="yes_no", required=True)
    html = client.get(job_url(job)).content.decode()
    ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html)
    assert len(ids) >= 10
    for element_id in ids:
        assert f'for="{element_id}"' in html, element_id
    assert 'name="website"' in html and 'tabindex="-1"' in html and "Leave this empty" in html


# --------------------------------------------------------------------------- apply


def test_apply_creates_person_application_and_resume(client, settings, media_root):
    job = make_job()
    q1 = ApplicationQuestion.objects.create(job=job, label="Why us?", kind="text", required=True)
    q2 = ApplicationQuestion.objects.create(job=job, label="Can you relocate?", kind="yes_no")
    q3 = ApplicationQuestion.objects.create(
        job=job, label="Level", kind="choice", choices=["Junior", "Senior"]
    )
    response = apply(
        client,
        job,
        phone="+49 30 901820",
        utm_source="linkedin",
        utm_campaign="spring",
        ref="ab12",
        **{f"q_{q1.pk}": "The engines", f"q_{q2.pk}": "Yes", f"q_{q3.pk}": "Senior"},
    )
    assert response.status_code == 303
    assert response["Location"] == job_url(job, "careers:applied")

    candidate = Candidate.objects.get()
    assert (candidate.first_name, candidate.email, candidate.source) == (
        "Ada",
        "ada@example.com",
        "career_page",
    )
    assert candidate.phone == "+4930901820"
    application = Application.objects.get()
    assert application.candidate == candidate and application.job == job
    assert (
        application.source == "career_page" and application.source_detail == "linkedin · ref: ab12"
    )
    assert application.tracking == {
        "utm_source": "linkedin",
        "utm_campaign": "spring",
        "ref": "ab12",
    }
    assert application.privacy_notice_version == settings.PRIVACY_NOTICE_VERSION
    assert application.privacy_consent_at is not None
    assert application.cover_letter == "I would love to build engines with you."
    assert application.answers == [
        {"question": q1.pk, "label": "Why us?", "answer": "The engines"},
        {"question": q2.pk, "label": "Can you relocate?", "answer": "Yes"},
        {"question": q3.pk, "label": "Level", "answer": "Senior"},
    ]
    resume = ResumeFile.objects.get()
    assert application.resume == resume and resume.candidate == candidate
    assert resume.original_name == "my cv.pdf" and resume.parse_status == "pending"
    stored = Path(resume.file.path).resolve()
    assert "my cv" not in resume.file.name and re.fullmatch(r"[0-9a-f]{32}\.pdf", stored.name)
    assert stored.is_relative_to(Path(media_root).resolve())
    for web_root in (settings.STATIC_ROOT, *settings.STATICFILES_DIRS):
        assert not stored.is_relative_to(Path(web_root).resolve())
    assert stored.read_bytes() == RESUME.read_bytes()
    assert TimelineEntry.objects.filter(
        candidate=candidate, summary=f"Application confirmation queued: {job.title}"
    ).exists()


def test_thank_you_page_is_not_indexed(client):
    job = make_job(title="Backend Engineer")
    html = client.get(job_url(job, "careers:applied")).content.decode()
    assert "Thank you for applying" in html and "Backend Engineer" in html
    assert '<meta name="robots" content="noindex">' in html


def test_apply_queues_parsing_and_the_confirmation_after_commit(
    client, django_capture_on_commit_callbacks
):
    job = make_job()
    with django_capture_on_commit_callbacks() as callbacks:
        assert apply(client, job).status_code == 303
    assert len(callbacks) == 3  # parse the resume, re-check their pools, send the confirmation


@pytest.fixture
def eager_tasks():
    """Queued tasks run right here (no worker): the email goes out through the SMTP stand-in."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def test_confirmation_email_reaches_the_candidate(
    client, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    # A tiny PDF: its parse (run eagerly too) fails fast and is recorded.
    job = make_job(title="Backend Engineer")
    with django_capture_on_commit_callbacks(execute=True):
        apply(client, job, resume=pdf(content=b"%PDF-1.4 tiny"))
    assert [m["to"] for m in smtp_server.messages] == [["ada@example.com"]]
    message = smtp_server.messages[0]["message"]
    assert message["Subject"] == "We received your application for Backend Engineer"
    assert "Thank you for applying for Backend Engineer" in message.get_content()


def test_applying_twice_is_answered_kindly_and_stored_once(client):
    job = make_job(title="Backend Engineer")
    assert apply(client, job).status_code == 303
    again = apply(client, job, email="ADA@example.com", phone="+49 30 901820")
    html = again.content.decode()
    assert again.status_code == 200
    assert "We already have your application for <strong>Backend Engineer</strong>." in html
    assert "<time" not in html  # no date: anyone can type any address
    assert "We already have your application" in html
    assert Application.objects.count() == 1 and ResumeFile.objects.count() == 1
    assert Candidate.objects.count() == 1 and Candidate.objects.get().phone == ""


def test_an_existing_person_is_matched_by_email_in_any_case(client):
    known = make_candidate(first_name="Ada", last_name="Lovelace", email="ada.l@example.com")
    job = make_job()
    assert apply(client, job, email="  ADA.L@Example.COM ").status_code == 303
    assert Candidate.objects.count() == 1
    assert Application.objects.get().candidate == known


def test_a_person_may_apply_to_two_jobs(client):
    first, second = make_job(), make_job()
    assert apply(client, first).status_code == 303
    assert apply(client, second).status_code == 303
    assert Candidate.objects.count() == 1 and Application.objects.count() == 2


def _required_question(job) -> str:
    question = ApplicationQuestion.objects.create(
        job=job, label="Do you have a work permit?", kind="yes_no", required=True
    )
    return f"q_{question.pk}"


BAD_INPUTS = {
    "exe renamed to pdf": (
        {"resume": pdf("cv.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64)},
        "not a PDF or Word (.docx) document",
    ),
    "empty file": ({"resume": pdf("cv.pdf", b"")}, "The submitted file is empty."),
    "over 10 MB": (
        {"resume": pdf("cv.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))},
        "larger than 10 MB",
    ),
    "no file": ({"resume": None}, "This field is required."),
    "no consent": ({"privacy_consent": None}, "Please confirm that you have read the privacy"),
    "bad email": ({"email": "ada-at-example"}, "Enter an email address like name@example.com."),
    "bad phone": ({"phone": "12"}, "Enter a phone number with its country code"),
    "no first name": ({"first_name": ""}, "This field is required."),
    "missing question": ({"QUESTION": None}, "This field is required."),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_comes_back_with_422_and_stores_nothing(client, media_root, case):
    overrides, message = BAD_INPUTS[case]
    job = make_job()
    answer = _required_question(job)
    overrides = {answer if k == "QUESTION" else k: v for k, v in overrides.items()}
    data = {answer: "Yes", "last_name": "Lovelace-Byron", "utm_source": "jobs.example"}
    response = apply(client, job, **(data | overrides))
    html = response.content.decode()
    assert response.status_code == 422
    assert message in html
    assert 'class="error-summary"' in html and "There is a problem with your application" in html
    assert 'value="Lovelace-Byron"' in html  # what was typed is kept
    assert "I would love to build engines with you." in html
    assert 'name="utm_source" value="jobs.example"' in html
    assert "Choose the file again" in html
    assert 'aria-invalid="true"' in html
    assert nothing_stored()
    assert not any(Path(media_root).rglob("*.*"))


def test_field_errors_are_linked_to_their_inputs(client):
    job = make_job()
    html = apply(client, job, email="nope").content.decode()
    email_input = re.search(r"<input[^>]*name=\"email\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in email_input
    assert 'aria-describedby="id_email_error"' in email_input
    assert 'id="id_email_error"' in html
    assert '<a href="#id_email">Email: Enter an email address' in html


def test_honeypot_gets_the_thank_you_page_and_stores_nothing(client):
    job = make_job()
    response = apply(client, job, website="http://spam.example")
    assert response.status_code == 303
    assert response["Location"] == job_url(job, "careers:applied")
    assert nothing_stored()


def test_rate_limit_answers_429_past_the_limit(client, settings):
    settings.CAREER_APPLY_LIMIT = 2
    job = make_job()
    assert apply(client, job, email="one@example.com").status_code == 303
    assert apply(client, job, email="two@example.com").status_code == 303
    response = apply(client, job, email="three@example.com")
    assert response.status_code == 429
    assert "Too many applications" in response.content.decode()
    assert response["Retry-After"] == "3600"
    assert Application.objects.count() == 2
    assert not Candidate.objects.filter(email="three@example.com").exists()


def test_rate_limit_is_per_address(client, settings):
    settings.CAREER_APPLY_LIMIT = 1
    job = make_job()
    assert apply(client, job, email="one@example.com").status_code == 303
    assert apply(client, job, email="two@example.com").status_code == 429
    other = client.post(
        job_url(job, "careers:apply"), form_data(email="two@example.com"), REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 303


def test_applying_to_a_closed_job_is_gone_and_stores_nothing(client):
    job = make_job(status="closed")
    assert apply(client, job).status_code == 410
    assert nothing_stored()


def test_applying_to_a_job_on_hold_stores_nothing(client):
    job = make_job(status="on_hold")
    response = apply(client, job)
    assert response.status_code == 303 and response["Location"] == job_url(job)
    assert nothing_stored()


@pytest.mark.parametrize("fields", [{"status": "draft"}, {"published": False}])
def test_applying_to_a_hidden_job_is_not_found(client, fields):
    job = make_job(**fields)
    assert apply(client, job).status_code == 404
    assert nothing_stored()


def test_privacy_notice_page_shows_the_version(client, settings):
    html = client.get(reverse("careers:privacy")).content.decode()
    assert settings.PRIVACY_NOTICE_VERSION in html
    job = make_job()
    assert f'href="{settings.PRIVACY_NOTICE_URL}"' in client.get(job_url(job)).content.decode()
