"""Resume parsing in the product: uploads parsed by the worker, the profile filled without
overwriting what a recruiter typed, the parsed panel, re-parse, hostile files, the zip import."""

import io
import re
import zipfile
from datetime import timedelta
from decimal import Decimal

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reportlab.lib.pagesizes import letter
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from crm.forms import PDF, CandidateForm
from crm.models import Candidate, CandidateEmail, ResumeFile
from crm.resume_fields import split_location, split_name
from crm.selectors.imports import IMPORT
from crm.services.candidates import candidate_update, candidate_upsert
from crm.services.imports import import_job_process, import_job_start
from crm.services.imports_zip import import_job_create_zip
from crm.services.resumes import (
    MAX_ATTEMPTS,
    CheckedResume,
    apply_parsed,
    parse_resume_file,
    resume_attach,
    resume_parse_run,
    resume_payload,
)
from parsing import EducationEntry, Link, ParsedResume, SkillHit, WorkEntry
from tests.conftest import wait_for

HTMX = {"HTTP_HX_REQUEST": "true"}
JANE = [
    ("Helvetica-Bold", 18, "Jane Doe"),
    ("Helvetica", 12, "Senior Software Engineer"),
    ("Helvetica", 10, "jane.doe@example.com | +1 415 555 0134 | San Francisco, CA"),
    ("Helvetica", 10, "linkedin.com/in/janedoe | github.com/janedoe"),
    ("Helvetica", 10, ""),
    ("Helvetica-Bold", 13, "Summary"),
    ("Helvetica", 10, "Backend engineer who builds reliable web services."),
    ("Helvetica", 10, ""),
    ("Helvetica-Bold", 13, "Experience"),
    ("Helvetica-Bold", 11, "Senior Software Engineer, Acme Corp"),
    ("Helvetica", 10, "January 2020 - Present"),
    ("Helvetica", 10, "- Built the billing platform."),
    ("Helvetica-Bold", 11, "Software Engineer, Globex"),
    ("Helvetica", 10, "June 2015 - December 2019"),
    ("Helvetica", 10, "- Ran the databases of the payments team."),
    ("Helvetica", 10, ""),
    ("Helvetica-Bold", 13, "Education"),
    ("Helvetica-Bold", 11, "University of California, Berkeley"),
    ("Helvetica", 10, "BSc Computer Science, 2011 - 2015"),
    ("Helvetica", 10, ""),
    ("Helvetica-Bold", 13, "Skills"),
    ("Helvetica", 10, "Skills: Python, Django, PostgreSQL"),
]


def resume_pdf(lines=JANE, **options) -> bytes:
    """A simple one-column resume, drawn line by line."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=letter, **options)
    y = 740
    for font, size, text in lines:
        page.setFont(font, size)
        page.drawString(72, y, text)
        y -= size + 8
    page.save()
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    """Opens only with a user password: a real PDF to the upload form, no text to the parser."""
    return resume_pdf(encrypt=StandardEncryption("secret", ownerPassword="owner"))


def image_only_pdf() -> bytes:
    """A scan-like PDF: shapes, no text layer."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=letter)
    for i in range(20):
        page.rect(72, 700 - i * 30, 400, 20, fill=1)
    page.save()
    return buffer.getvalue()


def resume_docx(name="John Smith", email="john.smith@example.org") -> bytes:
    document = docx.Document()
    document.add_heading(name, level=0)
    document.add_paragraph("Data Engineer")
    document.add_paragraph(f"{email} | +44 20 7946 0958 | London, UK")
    document.add_heading("Experience", level=1)
    document.add_paragraph("Data Engineer, Initech")
    document.add_paragraph("March 2018 - Present")
    document.add_paragraph("Analyst, Hooli")
    document.add_paragraph("September 2014 - February 2018")
    document.add_heading("Education", level=1)
    document.add_paragraph("MSc Statistics, University of Oxford, 2012 - 2014")
    document.add_heading("Skills", level=1)
    document.add_paragraph("Python, Apache Spark, SQL")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(name: str, data: bytes):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def detail(candidate) -> str:
    return reverse("crm:candidate-detail", args=[candidate.pk])


def status_url(resume) -> str:
    return reverse("crm:candidate-resume-status", args=[resume.candidate_id, resume.pk])


def reparse_url(resume) -> str:
    return reverse("crm:candidate-resume-reparse", args=[resume.candidate_id, resume.pk])


def unmasked(html: bytes) -> bytes:
    """The page without its CSRF token (masked differently on every response)."""
    return re.sub(rb'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]*"', b"", html)


def edit_data(candidate, **changes) -> dict:
    """The edit form as the page shows it, with ``changes`` typed in."""
    candidate = Candidate.objects.get(pk=candidate.pk)
    initial = CandidateForm(instance=candidate).initial
    return {**{k: v for k, v in initial.items() if v is not None}, **changes}


def record(candidate) -> dict:
    """Everything a parse could change on the record."""
    candidate = Candidate.objects.get(pk=candidate.pk)
    fields = [f.name for f in Candidate._meta.fields if f.name not in ("updated_at",)]
    values = {name: getattr(candidate, name) for name in fields}
    values["emails"] = sorted(candidate.emails.values_list("email", flat=True))
    values["phones"] = sorted(candidate.phones.values_list("number", flat=True))
    values["skills"] = sorted(candidate.skills.values_list("slug", flat=True))
    return values


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def jane(db):
    """Known by email only (an import, no recruiter edits)."""
    return candidate_upsert(data={"email": "jane.doe@example.com"}).candidate


# --------------------------------------------------------------------------- end to end


@pytest.mark.django_db(transaction=True)
def test_an_upload_is_parsed_by_the_worker_and_fills_the_profile(
    client, recruiter, jane, celery_worker
):
    client.force_login(recruiter)
    url = reverse("crm:candidate-resume-upload", args=[jane.pk])
    assert client.post(url, {"file": upload("Jane Doe CV.pdf", resume_pdf())}).status_code == 302
    resume = ResumeFile.objects.get(candidate=jane)
    polling = client.get(status_url(resume), **HTMX)
    if polling.status_code == 200:  # the worker may be done already
        assert 'hx-trigger="every 2s"' in polling.content.decode()
        assert "Parsing…" in polling.content.decode()

    wait_for(lambda: ResumeFile.objects.get(pk=resume.pk).parse_status != "pending", 60)
    resume.refresh_from_db()
    assert resume.parse_status == ResumeFile.ParseStatus.PARSED and resume.parse_error == ""
    jane.refresh_from_db()
    assert (jane.first_name, jane.last_name) == ("Jane", "Doe")
    assert (jane.current_title, jane.current_company) == ("Senior Software Engineer", "Acme Corp")
    assert (jane.city, jane.region, jane.country) == ("San Francisco", "CA", "US")
    assert jane.seniority == "senior" and jane.years_experience >= Decimal("10")
    assert [(job["title"], job["company"]) for job in jane.work_history] == [
        ("Senior Software Engineer", "Acme Corp"),
        ("Software Engineer", "Globex"),
    ]
    assert jane.work_history[0]["end"] == "present"
    assert jane.education[0]["institution"] == "University of California, Berkeley"
    assert {"python", "django", "postgresql"} <= set(jane.skill_slugs)
    assert jane.linkedin_url == "https://www.linkedin.com/in/janedoe"
    assert jane.phone == "+14155550134"
    assert "billing platform" in jane.resume_text
    assert Candidate.objects.filter(pk=jane.pk, search_vector="billing").exists()
    entry = jane.timeline.get(summary__startswith="Resume parsed")
    assert entry.summary.startswith("Resume parsed: filled name, title, company, location")
    assert "2 work entries" in entry.summary and "1 phone" in entry.summary

    done = client.get(status_url(resume), **HTMX)
    assert done.status_code == 286 and "hx-trigger" not in done.content.decode()
    assert "Reload the profile" in done.content.decode()
    html = client.get(detail(jane)).content.decode()
    item = html[html.index(f'id="resume-{resume.pk}"') :]
    for text in [
        "Jane Doe CV.pdf",
        "uploaded",
        f"by {recruiter.display_name}",
        ">Parsed</span>",
        "just now",
        "Senior Software Engineer",
        "jane.doe@example.com",
        "+1 415-555-0134",
        "San Francisco, CA",
        "Python",
        "PostgreSQL",
        "Software Engineer @ Globex",
        "2015-06 \u2013 2019-12",
        "University of California, Berkeley",
        "https://linkedin.com/in/janedoe",
        "on the profile",
    ]:
        assert text in item, text
    assert "hx-trigger" not in item[: item.index("</li>")]
    assert "Senior Software Engineer @ Acme Corp" in html  # the record itself


@pytest.mark.django_db(transaction=True)
def test_what_a_recruiter_typed_is_kept_and_a_reparse_is_one_click(
    client, recruiter, jane, celery_worker
):
    client.force_login(recruiter)
    edit = reverse("crm:candidate-edit", args=[jane.pk])
    response = client.post(edit, edit_data(jane, current_title="Staff Engineer"))
    assert response.status_code == 302
    upload_url = reverse("crm:candidate-resume-upload", args=[jane.pk])
    client.post(upload_url, {"file": upload("cv.docx", resume_docx(email="jane.doe@example.com"))})
    resume = ResumeFile.objects.get(candidate=jane)
    wait_for(lambda: ResumeFile.objects.get(pk=resume.pk).parse_status == "parsed", 60)
    jane.refresh_from_db()
    assert jane.current_title == "Staff Engineer"  # the resume says "Data Engineer"
    assert jane.current_company == "Initech" and jane.first_name == "John"
    assert (jane.city, jane.country) == ("London", "GB")
    html = client.get(detail(jane)).content.decode()
    assert "kept: you entered “Staff Engineer”" in html
    assert "Kept what a recruiter entered: title." in html  # the timeline entry

    # The recruiter corrects the name; a re-parse (one POST) keeps that and the title.
    assert client.post(edit, edit_data(jane, first_name="Jane", last_name="Doe")).status_code == 302
    parsed_at = ResumeFile.objects.get(pk=resume.pk).parsed_at
    response = client.post(reparse_url(resume), **HTMX)
    assert response.status_code == 200
    assert 'hx-trigger="every 2s"' in response.content.decode()
    wait_for(lambda: ResumeFile.objects.get(pk=resume.pk).parsed_at != parsed_at, 60)
    resume.refresh_from_db()
    jane.refresh_from_db()
    assert resume.parse_status == "parsed"
    assert (jane.first_name, jane.last_name, jane.current_title) == (
        "Jane",
        "Doe",
        "Staff Engineer",
    )
    assert jane.timeline.filter(summary__startswith="Resume parsed").count() == 2
    html = client.get(detail(jane)).content.decode()
    assert "kept: you entered “Jane Doe”" in html


@pytest.mark.django_db(transaction=True)
def test_a_hostile_upload_fails_in_its_task_and_changes_nothing(
    client, recruiter, jane, celery_worker
):
    client.force_login(recruiter)
    url = reverse("crm:candidate-resume-upload", args=[jane.pk])
    client.post(url, {"file": upload("cv.pdf", resume_pdf())})
    good = wait_for(
        lambda: ResumeFile.objects.filter(candidate=jane, parse_status="parsed").first()
    )
    before = record(jane)
    good_payload = good.parsed

    response = client.post(url, {"file": upload("locked.pdf", encrypted_pdf())})
    assert response.status_code == 302  # a real PDF to the upload form
    bad = ResumeFile.objects.get(candidate=jane, original_name="locked.pdf")
    wait_for(lambda: ResumeFile.objects.get(pk=bad.pk).parse_status != "pending", 60)
    bad.refresh_from_db()
    assert bad.parse_status == ResumeFile.ParseStatus.FAILED
    assert bad.parse_error == "The PDF is encrypted with a password; ask for an unprotected copy"
    assert bad.parsed["error"]["code"] == "encrypted"
    after = record(jane)
    assert {k: v for k, v in after.items() if k != "last_activity_at"} == {
        k: v for k, v in before.items() if k != "last_activity_at"
    }
    good.refresh_from_db()
    assert good.parsed == good_payload and bad.file.read()[:5] == b"%PDF-"
    assert jane.timeline.filter(
        summary="Resume locked.pdf could not be parsed: The PDF is encrypted with a password; "
        "ask for an unprotected copy"
    ).exists()
    html = client.get(detail(jane)).content.decode()
    assert "Parsing failed" in html and "encrypted with a password" in html


def test_a_pdf_without_a_text_layer_is_unsupported(recruiter, jane):
    resume = _attached(jane, recruiter, "scan.pdf", image_only_pdf())
    before = record(jane)
    resume = parse_resume_file(resume=resume)
    assert resume.parse_status == ResumeFile.ParseStatus.UNSUPPORTED
    assert "no text layer" in resume.parse_error
    assert resume.parsed["error"]["code"] == "no_text_layer"
    assert record(jane)["first_name"] == before["first_name"] == ""
    assert record(jane)["skills"] == before["skills"]


def test_a_missing_stored_file_fails_with_a_plain_reason(recruiter, jane):
    resume = _attached(jane, recruiter, "cv.pdf", resume_pdf())
    resume.file.storage.delete(resume.file.name)
    resume = parse_resume_file(resume=resume)
    assert (resume.parse_status, resume.parse_error) == ("failed", "The stored file is missing")


# --------------------------------------------------------------------------- the zip import


def _zip(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_the_zip_import_parses_each_file_and_rejects_a_bad_one(recruiter):
    known = candidate_upsert(
        data={"email": "john.smith@example.org", "current_title": "Head of Data"},
        actor=recruiter,
        origin="recruiter",
    ).candidate
    archive = _zip(
        {
            "jane.pdf": resume_pdf(),
            "locked.pdf": encrypted_pdf(),
            "john.docx": resume_docx(),
            "scan.pdf": image_only_pdf(),
        }
    )
    upload_file = SimpleUploadedFile("cvs.zip", archive, content_type="application/zip")
    job = import_job_create_zip(upload=upload_file, actor=recruiter)
    import_job_start(job=job)
    assert import_job_process(job_id=job.pk, phase=IMPORT)
    job.refresh_from_db()

    assert (job.created_count, job.updated_count, job.rejected_count) == (1, 1, 2)
    reasons = {row["name"]: row["errors"][0]["message"] for row in job.rejected_rows}
    assert reasons == {
        "locked.pdf": "the PDF is encrypted with a password; ask for an unprotected copy",
        "scan.pdf": "the PDF has no text layer; OCR is not supported",
    }
    jane = Candidate.objects.get(email="jane.doe@example.com")
    assert (jane.first_name, jane.last_name, jane.source) == ("Jane", "Doe", "import")
    assert jane.current_company == "Acme Corp" and len(jane.work_history) == 2
    resume = jane.resumes.get()
    assert resume.parse_status == "parsed" and resume.parsed["result"]["name"] == "Jane Doe"
    assert resume.uploaded_by == recruiter
    known.refresh_from_db()
    assert known.current_title == "Head of Data"  # typed by a recruiter: kept
    assert (known.first_name, known.current_company) == ("John", "Initech")
    assert known.resumes.get().original_name == "john.docx"
    assert ResumeFile.objects.count() == 2  # nothing stored for the rejected files


# --------------------------------------------------------------------------- apply_parsed


def parsed_resume(**changes) -> ParsedResume:
    values = {
        "source": "cv.pdf",
        "kind": "pdf",
        "text": "Jane Doe. Senior Engineer at Acme. Kubernetes wrangler.",
        "name": "Jane Doe",
        "headline": "Senior Engineer",
        "email": "jane.doe@example.com",
        "emails": ["jane.doe@example.com", "jd@home.example.net"],
        "phone": "+14155550134",
        "phones": ["+14155550134"],
        "location": "Austin, TX",
        "links": [Link("https://linkedin.com/in/janedoe", "LinkedIn", "janedoe")],
        "summary": "Builds things.",
        "work": [
            WorkEntry("Senior Engineer", "Acme", start="2020-01", current=True, confidence=0.9),
            WorkEntry("Engineer", "Globex", start="2015-06", end="2019-12", confidence=0.4),
        ],
        "education": [EducationEntry("Rice University", "BSc", "Physics", end="2015")],
        "skills": [SkillHit("Python", "python"), SkillHit("Kubernetes", "kubernetes")],
        "years_experience": 9.5,
        "seniority": "senior",
        "confidence": {"name": 0.99, "headline": 0.5},
    }
    return ParsedResume(**{**values, **changes})


def _attached(candidate, actor, name="cv.pdf", data=b"%PDF-1.4 test") -> ResumeFile:
    checked = CheckedResume(PDF, ".pdf", str(hash((name, data))), len(data))
    return resume_attach(
        candidate=candidate, upload=upload(name, data), checked=checked, actor=actor
    )


def _apply(candidate, parsed, actor=None, resume=None):
    resume = resume or _attached(candidate, actor)
    resume.refresh_from_db()
    applied = resume.parsed.get("applied", {})  # kept until applied again, as the task does
    ResumeFile.objects.filter(pk=resume.pk).update(
        parse_status="parsed",
        parsed={**resume_payload(parsed), "applied": applied},
        parsed_at=timezone.now(),
    )
    resume.refresh_from_db()
    return apply_parsed(candidate=candidate, parsed=parsed, resume=resume, actor=actor), resume


def test_apply_fills_every_empty_field_and_says_so(recruiter, jane):
    filled, resume = _apply(jane, parsed_resume())
    jane.refresh_from_db()
    assert filled == [
        "first_name", "last_name", "current_title", "current_company", "city", "region",
        "country", "years_experience", "seniority", "summary", "work_history", "education",
        "linkedin_url", "emails", "phones", "skills",
    ]  # fmt: skip
    assert (jane.first_name, jane.last_name, jane.city, jane.region, jane.country) == (
        "Jane", "Doe", "Austin", "TX", "US",
    )  # fmt: skip
    assert (jane.current_title, jane.years_experience, jane.seniority) == (
        "Senior Engineer",
        Decimal("9.5"),
        "senior",
    )
    assert jane.work_history[0] == {
        "title": "Senior Engineer", "company": "Acme", "start": "2020-01", "end": "present",
    }  # fmt: skip
    assert jane.education == [
        {"institution": "Rice University", "degree": "BSc", "field": "Physics", "end": "2015"}
    ]
    assert jane.skill_slugs == ["kubernetes", "python"] and jane.skills_text == "Kubernetes, Python"
    assert jane.skills.get(slug="python").origin == "resume"
    assert jane.email == "jane.doe@example.com"  # the primary is unchanged
    assert sorted(jane.emails.values_list("email", "is_primary")) == [
        ("jane.doe@example.com", True),
        ("jd@home.example.net", False),
    ]
    assert (jane.phone, jane.resume_text) == ("+14155550134", parsed_resume().text)
    assert Candidate.objects.filter(pk=jane.pk, search_vector="kubernetes").exists()
    entry = jane.timeline.get(kind="resume", summary__startswith="Resume parsed")
    assert entry.summary == (
        "Resume parsed: filled name, title, company, location, years of experience, seniority, "
        "summary, 2 work entries, 1 education entry, LinkedIn, 1 email, 1 phone, 2 skills"
    )
    assert entry.data["resume_id"] == resume.pk and entry.body == ""


def test_apply_keeps_recruiter_edits_and_values_from_elsewhere(recruiter, jane):
    candidate_update(
        candidate=jane, data={"current_title": "Staff Engineer", "city": "Dallas"}, actor=recruiter
    )
    candidate_upsert(data={"email": "jane.doe@example.com", "current_company": "Initech"})
    filled, _ = _apply(jane, parsed_resume())
    jane.refresh_from_db()
    assert (jane.current_title, jane.current_company) == ("Staff Engineer", "Initech")
    # A location is one unit: the recruiter's city is not joined with the resume's state.
    assert (jane.city, jane.region, jane.country) == ("Dallas", "", "")
    assert "current_title" not in filled and "city" not in filled and "first_name" in filled
    entry = jane.timeline.get(summary__startswith="Resume parsed")
    assert entry.body == (
        "Kept what a recruiter entered: title, location.\n"
        "Kept what the record already had: company."
    )


def test_apply_never_takes_an_address_or_profile_from_another_candidate(recruiter, jane):
    other = candidate_upsert(
        data={"email": "jd@home.example.net", "phone": "+14155550134"}
    ).candidate
    Candidate.objects.filter(pk=other.pk).update(linkedin_url="https://www.linkedin.com/in/janedoe")
    filled, resume = _apply(jane, parsed_resume())
    jane.refresh_from_db()
    assert list(jane.emails.values_list("email", flat=True)) == ["jane.doe@example.com"]
    assert CandidateEmail.objects.get(email="jd@home.example.net").candidate == other
    assert not jane.phones.exists() and jane.phone == "" and jane.linkedin_url == ""
    assert "emails" not in filled and "phones" not in filled
    applied = resume.parsed["applied"]
    assert applied["emails"]["elsewhere"] == ["jd@home.example.net"]
    assert (
        applied["refused"]["linkedin_url"]
        == "this LinkedIn profile is on another candidate's record"
    )


def test_an_empty_primary_address_is_filled_but_never_replaced(recruiter):
    nameless = candidate_upsert(data={"first_name": "Jane", "last_name": "Doe"}).candidate
    _apply(nameless, parsed_resume())
    nameless.refresh_from_db()
    assert nameless.email == "jane.doe@example.com"
    _apply(nameless, parsed_resume(email="new@example.com", emails=["new@example.com"]))
    nameless.refresh_from_db()
    assert nameless.email == "jane.doe@example.com"
    assert nameless.emails.get(email="new@example.com").is_primary is False


def test_a_reparse_refreshes_what_parsing_filled_but_not_what_was_edited(recruiter, jane):
    _, resume = _apply(jane, parsed_resume())
    newer = parsed_resume(
        headline="Principal Engineer",
        work=[WorkEntry("Principal Engineer", "Acme", start="2023-01", current=True)],
        summary="Builds bigger things.",
    )
    filled, _ = _apply(jane, newer, resume=resume)
    jane.refresh_from_db()
    assert jane.current_title == "Principal Engineer" and jane.summary == "Builds bigger things."
    assert filled == ["current_title", "summary", "work_history"]
    assert jane.timeline.filter(summary="Resume parsed: filled title, summary, 1 work entry")

    candidate_update(candidate=jane, data={"summary": "Typed by Rita."}, actor=recruiter)
    filled, _ = _apply(jane, parsed_resume(summary="Third version."), resume=resume)
    jane.refresh_from_db()
    assert jane.summary == "Typed by Rita." and "summary" not in filled
    assert jane.current_title == "Senior Engineer"  # still parse-owned: refreshed back


def test_an_edit_back_to_an_earlier_parsed_value_is_still_the_recruiters(recruiter, jane):
    first = _attached(jane, recruiter, "first.pdf", b"%PDF-first")
    second = _attached(jane, recruiter, "second.pdf", b"%PDF-second")
    _apply(jane, parsed_resume(), resume=first)  # title: Senior Engineer
    principal = parsed_resume(headline="", work=[WorkEntry("Principal Engineer", "Acme")])
    _apply(jane, principal, resume=second)
    jane.refresh_from_db()
    assert jane.current_title == "Principal Engineer"
    candidate_update(candidate=jane, data={"current_title": "Senior Engineer"}, actor=recruiter)
    filled, _ = _apply(jane, principal, resume=second)
    jane.refresh_from_db()
    assert jane.current_title == "Senior Engineer" and "current_title" not in filled


def test_the_same_parse_twice_changes_nothing(recruiter, jane):
    _, resume = _apply(jane, parsed_resume())
    before = record(jane)
    filled, _ = _apply(jane, parsed_resume(), resume=resume)
    assert filled == []
    assert {k: v for k, v in record(jane).items() if k != "last_activity_at"} == {
        k: v for k, v in before.items() if k != "last_activity_at"
    }
    assert jane.timeline.filter(summary="Resume parsed: nothing new to fill").exists()


def test_resume_text_comes_from_the_newest_parsed_file(recruiter, jane):
    older = _attached(jane, recruiter, "old.pdf", b"%PDF-old")
    newer = _attached(jane, recruiter, "new.pdf", b"%PDF-new")
    ResumeFile.objects.filter(pk=older.pk).update(uploaded_at=timezone.now() - timedelta(days=30))
    older.refresh_from_db()
    _apply(jane, parsed_resume(text="the newer resume"), resume=newer)
    _apply(jane, parsed_resume(text="the older resume"), resume=older)
    jane.refresh_from_db()
    assert jane.resume_text == "the newer resume"


def test_values_that_fail_validation_are_left_out_with_the_reason(recruiter, jane):
    parsed = parsed_resume(
        links=[Link("https://linkedin.com/company/acme", "LinkedIn")],
        years_experience=120.0,
        phone="12",
        phones=["12"],
    )
    filled, resume = _apply(jane, parsed)
    jane.refresh_from_db()
    assert jane.linkedin_url == "" and jane.years_experience is None and jane.phone == ""
    refused = resume.parsed["applied"]["refused"]
    assert "is not a LinkedIn profile address" in refused["linkedin_url"]
    assert "not a plausible number of years" in refused["years_experience"]
    assert "first_name" in filled


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jane Doe", ("Jane", "Doe")),
        ("DOE, JANE", ("Jane", "Doe")),
        ("Mary Ann Smith", ("Mary Ann", "Smith")),
        ("Ludwig van Beethoven", ("Ludwig", "van Beethoven")),
        ("Martin Luther King Jr.", ("Martin Luther", "King Jr.")),
        ("Cher", ("Cher", "")),
        ("", ("", "")),
    ],
)
def test_names_are_split_sensibly(name, expected):
    assert split_name(name) == expected


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        ("San Francisco, CA", "", ("San Francisco", "CA", "US")),
        ("Berlin, DE", "", ("Berlin", "DE", "US")),  # Delaware, unless the phone is German
        ("Berlin, DE", "DE", ("Berlin", "", "DE")),
        ("Berlin, Germany", "", ("Berlin", "", "DE")),
        ("London, UK", "", ("London", "", "GB")),
        ("Toronto, ON, Canada", "", ("Toronto", "ON", "CA")),
        ("Remote", "", ("", "", "")),
    ],
)
def test_locations_are_split_into_city_region_and_country(text, hint, expected):
    assert split_location(text, hint) == expected


# --------------------------------------------------------------------------- the task


def test_the_task_leaves_gone_and_finished_files_alone(recruiter, jane):
    assert resume_parse_run(resume_id=987654) == "gone"
    resume = _attached(jane, recruiter)
    ResumeFile.objects.filter(pk=resume.pk).update(parse_status="parsed")
    assert resume_parse_run(resume_id=resume.pk) == "done"
    assert not jane.timeline.filter(summary__contains="parsed").exists()


def test_a_file_that_keeps_killing_its_worker_is_failed(recruiter, jane):
    resume = _attached(jane, recruiter)
    ResumeFile.objects.filter(pk=resume.pk).update(parsed={"attempts": MAX_ATTEMPTS})
    assert resume_parse_run(resume_id=resume.pk) == "failed"
    resume.refresh_from_db()
    assert resume.parse_status == "failed" and resume.parsed["error"]["code"] == "crashed"


def test_an_upload_queues_the_parse_after_commit(
    client, recruiter, jane, django_capture_on_commit_callbacks
):
    client.force_login(recruiter)
    url = reverse("crm:candidate-resume-upload", args=[jane.pk])
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(url, {"file": upload("cv.pdf", b"%PDF-1.4 tiny")})
    assert len(callbacks) == 1
    assert ResumeFile.objects.get().parse_status == "pending"


# --------------------------------------------------------------------------- the panel


def test_the_status_poll_runs_while_pending_and_stops_when_done(client, recruiter, jane):
    resume = _attached(jane, recruiter)
    client.force_login(recruiter)
    pending = client.get(status_url(resume), **HTMX)
    body = pending.content.decode()
    assert pending.status_code == 200 and 'hx-trigger="every 2s"' in body and "Parsing…" in body
    assert "<html" not in body and pending.headers["Cache-Control"] == "no-store"
    _apply(jane, parsed_resume(), resume=resume)
    ResumeFile.objects.filter(pk=resume.pk).update(parsed_at=timezone.now() - timedelta(minutes=2))
    done = client.get(status_url(resume), **HTMX)
    assert done.status_code == 286 and "hx-trigger" not in done.content.decode()
    assert re.search(r"Parsed</span> <time [^>]*>2\xa0minutes ago</time>", done.content.decode())
    plain = client.get(status_url(resume))
    assert plain.status_code == 302 and plain.url.endswith(f"#resume-{resume.pk}")


def test_a_stuck_parse_stops_polling_and_offers_reparse(client, recruiter, jane):
    resume = _attached(jane, recruiter)
    ResumeFile.objects.filter(pk=resume.pk).update(uploaded_at=timezone.now() - timedelta(hours=1))
    client.force_login(recruiter)
    html = client.get(detail(jane)).content.decode()
    assert "Parsing did not finish" in html and 'hx-trigger="every 2s"' not in html


def test_the_panel_marks_low_confidence_and_what_was_kept(client, recruiter, jane):
    candidate_update(candidate=jane, data={"current_title": "Staff Engineer"}, actor=recruiter)
    _apply(jane, parsed_resume())
    client.force_login(recruiter)
    html = client.get(detail(jane)).content.decode()
    title = re.search(r"<dt>Title</dt>\s*<dd>(.*?)</dd>", html, re.S).group(1)
    assert "Senior Engineer" in title and "low confidence" in title  # headline 0.5
    assert "kept: you entered “Staff Engineer”" in title
    name = re.search(r"<dt>Name</dt>\s*<dd>(.*?)</dd>", html, re.S).group(1)
    assert "low confidence" not in name and "on the profile" in name
    panel = html[html.index('class="resume-parsed"') :]
    globex = re.search(r"Engineer @ Globex(.*?)</p>", panel, re.S).group(1)
    assert "low confidence" in globex  # the entry's own confidence is 0.4


def test_reparse_without_javascript_redirects_and_a_second_click_queues_nothing(
    client, recruiter, jane, django_capture_on_commit_callbacks
):
    resume = _attached(jane, recruiter)
    _apply(jane, parsed_resume(), resume=resume)
    client.force_login(recruiter)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reparse_url(resume))
        client.post(reparse_url(resume))
    assert response.status_code == 302 and response.url.endswith(f"#resume-{resume.pk}")
    assert len(callbacks) == 1
    resume.refresh_from_db()
    assert resume.parse_status == "pending" and resume.parsed["result"]["name"] == "Jane Doe"


@pytest.mark.parametrize("who", ["recruiter", "admin", "manager", "interviewer", "outsider", None])
def test_status_and_reparse_are_for_those_who_may_see_and_upload(client, users, jane, who):
    resume = _attached(jane, users["recruiter"])
    other = candidate_upsert(data={"email": "other@example.com"}).candidate
    if who:
        client.force_login(users[who])
    for method, url, wrong in [
        (
            "get",
            status_url(resume),
            reverse("crm:candidate-resume-status", args=[other.pk, resume.pk]),
        ),
        (
            "post",
            reparse_url(resume),
            reverse("crm:candidate-resume-reparse", args=[other.pk, resume.pk]),
        ),
    ]:
        missing = url.replace(f"/{resume.pk}/", f"/{resume.pk + 1000}/")
        answers = [getattr(client, method)(u, **HTMX) for u in (url, missing, wrong)]
        if who is None:
            assert all(a.status_code == 302 and "login" in a.url for a in answers)
        elif who in ("recruiter", "admin"):
            assert answers[0].status_code == 200, (method, who)
            assert answers[1].status_code == answers[2].status_code == 404
        else:
            assert {a.status_code for a in answers} == {404}
            assert unmasked(answers[0].content) == unmasked(answers[1].content)


def test_profile_queries_do_not_grow_with_parsed_resumes(client, recruiter):
    def person(n: int) -> Candidate:
        candidate = candidate_upsert(data={"email": f"p{n}@example.com"}).candidate
        for i in range(n):
            _apply(candidate, parsed_resume(), resume=_attached(candidate, recruiter, f"{i}.pdf"))
        return candidate

    def queries(candidate) -> int:
        client.get(detail(candidate))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(detail(candidate)).status_code == 200
        return len(captured)

    client.force_login(recruiter)
    assert queries(person(1)) == queries(person(8))
