"""The candidate profile: record page, timeline and notes, new/edit forms, resumes, permissions."""

import io
import json
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.models import Candidate, ResumeFile, TimelineEntry
from crm.services.candidates import candidate_set_do_not_contact, candidate_upsert
from crm.services.timeline import note_add

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 3 3]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
HTMX = {"HTTP_HX_REQUEST": "true"}


def docx_bytes(document: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if document:
            archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def pdf_upload(name="cv.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def detail_url(candidate_or_pk):
    return reverse("crm:candidate-detail", args=[getattr(candidate_or_pk, "pk", candidate_or_pk)])


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def person(recruiter):
    return candidate_upsert(
        data={"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"},
        actor=recruiter,
        origin="recruiter",
    ).candidate


@pytest.fixture
def rich(recruiter):
    person = candidate_upsert(
        data={
            "first_name": "Grace",
            "last_name": "Hopper",
            "emails": ["grace@example.com", "g.hopper@navy.example.org"],
            "phone": "+1 415 555 0132",
            "phones": ["+44 20 7183 8750"],
            "linkedin_url": "linkedin.com/in/grace-hopper",
            "github_url": "github.com/grace",
            "website_url": "grace.example.com",
            "city": "Arlington",
            "region": "VA",
            "country": "US",
            "current_title": "Rear Admiral",
            "current_company": "US Navy",
            "seniority": "executive",
            "interest_level": "open",
            "skills": [{"name": "COBOL", "years": "30"}, "Compilers"],
            "tags": ["pioneer", "navy"],
            "work_history": [
                {"title": "Programmer", "company": "Harvard", "start": "1944", "end": "1949"},
                "not an object",
            ],
            "education": [
                {"institution": "Yale", "degree": "PhD", "field": "Mathematics", "end": "1934"}
            ],
        },
        actor=recruiter,
        source="referral",
        origin="recruiter",
    ).candidate
    candidate_set_do_not_contact(
        candidate=person, flag=True, reason="Asked for a break", actor=recruiter
    )
    Candidate.objects.filter(pk=person.pk).update(archived=True)
    note_add(candidate=person, body="First line\n<script>alert(1)</script>", actor=recruiter)
    return person


def test_profile_renders_every_section(client, recruiter, rich):
    client.force_login(recruiter)
    response = client.post(
        reverse("crm:candidate-resume-upload", args=[rich.pk]), {"file": pdf_upload("GH.pdf")}
    )
    assert response.status_code == 302
    html = client.get(detail_url(rich)).content.decode()
    for text in [
        "Grace Hopper",
        "Rear Admiral @ US Navy",
        "Arlington, VA, US",
        "Executive",
        "Open to offers",
        "Do not contact: Asked for a break",
        "Archived",
        'grace@example.com</a> <span class="badge">Primary</span>',
        "g.hopper@navy.example.org",
        "+1 415-555-0132",
        "+44 20 7183 8750",
        'href="https://www.linkedin.com/in/grace-hopper" target="_blank" rel="noopener noreferrer"',
        'rel="noopener noreferrer">GitHub</a>',
        "COBOL",
        "· 30 y",
        "Compilers",
        "pioneer",
        "Referral",
        recruiter.display_name,
        "Programmer @ Harvard",
        "1944 \u2013 1949",
        "Yale",
        "PhD, Mathematics",
        "GH.pdf",
        "Resume uploaded",
        "First line\n&lt;script&gt;alert(1)&lt;/script&gt;",
    ]:
        assert text in html, text
    assert "<script>alert" not in html
    assert "not an object" not in html


def test_note_form_posts_with_htmx_and_has_a_plain_fallback(client, recruiter, person):
    client.force_login(recruiter)
    html = client.get(detail_url(person)).content.decode()
    form = re.search(r'<form id="note-form"[^>]*>', html).group(0)
    note_url = reverse("crm:candidate-note", args=[person.pk])
    assert f'action="{note_url}"' in form
    assert f'hx-post="{note_url}"' in form
    assert 'hx-target="#timeline-entries"' in form
    assert 'hx-swap="afterbegin"' in form
    assert 'name="csrfmiddlewaretoken"' in html


def test_note_with_htmx_returns_the_entry_and_a_fresh_form(client, recruiter, person):
    client.force_login(recruiter)
    url = reverse("crm:candidate-note", args=[person.pk])
    response = client.post(url, {"body": "Called her.\nShe is keen."}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    entry = TimelineEntry.objects.get(candidate=person, kind="note")
    assert html.lstrip().startswith(
        f'<li class="timeline-entry timeline-kind-note" id="timeline-entry-{entry.pk}"'
    )
    assert "Called her.\nShe is keen." in html
    assert 'hx-swap-oob="true"' in html
    assert "<html" not in html
    assert entry.actor == recruiter


def test_note_plain_post_redirects_to_the_timeline(client, recruiter, person):
    client.force_login(recruiter)
    response = client.post(reverse("crm:candidate-note", args=[person.pk]), {"body": "Hi"})
    assert response.status_code == 302
    assert response.url == detail_url(person) + "#timeline"
    assert TimelineEntry.objects.filter(candidate=person, kind="note", body="Hi").exists()


@pytest.mark.parametrize("htmx", [True, False])
def test_empty_note_is_refused_in_place(client, recruiter, person, htmx):
    client.force_login(recruiter)
    headers = HTMX if htmx else {}
    url = reverse("crm:candidate-note", args=[person.pk])
    response = client.post(url, {"body": "   "}, **headers)
    assert response.status_code == 422
    html = response.content.decode()
    assert "a note cannot be empty" in html
    assert ("<html" in html) is not htmx
    if htmx:
        assert response.headers["HX-Retarget"] == "#note-form"
    assert not TimelineEntry.objects.filter(candidate=person, kind="note").exists()


def test_new_candidate_form_creates_the_person(client, recruiter, admin_user):
    client.force_login(recruiter)
    response = client.post(
        reverse("crm:candidate-new"),
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": " Ada@Example.com ",
            "emails": "ada@work.example, ada@home.example",
            "phone": "030 1234567",
            "country": "de",
            "skills": "Python:5, Analytical engines",
            "tags": "math, pioneer",
            "source": "event",
            "owner": admin_user.pk,
            "interest_level": "active",
            "preferred_channel": "email",
        },
    )
    person = Candidate.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(person)
    assert (person.email, person.phone, person.country) == ("ada@example.com", "+49301234567", "DE")
    assert (person.source, person.owner, person.interest_level) == ("event", admin_user, "active")
    assert person.emails.count() == 3
    assert {s.name: s.years for s in person.skills.all()}["Python"] == 5
    assert person.tags == ["math", "pioneer"]
    assert "first_name" in person.edited_fields


def test_new_candidate_form_finds_an_existing_person(client, recruiter, person):
    client.force_login(recruiter)
    data = {
        "email": "ADA@example.COM",
        "city": "London",
        "source": "sourced",
        "interest_level": "passive",
        "preferred_channel": "email",
    }
    response = client.post(reverse("crm:candidate-new"), data, follow=True)
    assert Candidate.objects.count() == 1
    assert response.redirect_chain[-1][0] == detail_url(person)
    assert "Already in the database: we added the new details to Ada Lovelace" in (
        response.content.decode()
    )
    person.refresh_from_db()
    assert person.city == "London"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("email", "not-an-email", "valid email"), ("phone", "12", "phone number")],
)
def test_bad_input_in_the_new_form_is_shown_next_to_the_field(
    client, recruiter, field, value, message
):
    client.force_login(recruiter)
    data = {
        "first_name": "Bad",
        field: value,
        "source": "sourced",
        "interest_level": "passive",
        "preferred_channel": "email",
    }
    response = client.post(reverse("crm:candidate-new"), data)
    assert response.status_code == 422
    html = response.content.decode()
    error = re.search(rf'<div class="field-error" id="id_{field}_error">(.*?)</div>', html, re.S)
    assert error and message in error.group(1)
    assert Candidate.objects.count() == 0


def _edit_data(candidate, **changes):
    data = {
        "first_name": candidate.first_name,
        "last_name": candidate.last_name,
        "source": candidate.source,
        "owner": candidate.owner_id or "",
        "interest_level": candidate.interest_level,
        "preferred_channel": candidate.preferred_channel,
    }
    return {**data, **changes}


def test_edit_makes_fields_recruiter_owned(client, recruiter, person):
    client.force_login(recruiter)
    url = reverse("crm:candidate-edit", args=[person.pk])
    assert client.get(url).status_code == 200
    changes = {"current_title": "Staff Engineer", "tags": "ml", "source": "referral", "owner": ""}
    response = client.post(url, _edit_data(person, **changes))
    assert response.status_code == 302
    candidate_upsert(data={"email": "ada@example.com", "current_title": "Intern", "city": "Rome"})
    person.refresh_from_db()
    assert person.current_title == "Staff Engineer"
    assert person.city == "Rome"
    assert person.tags == ["ml"]
    assert (person.source, person.owner) == ("referral", None)
    assert "current_title" in person.edited_fields


def test_bad_phone_in_the_edit_form_stores_nothing(client, recruiter, person):
    client.force_login(recruiter)
    url = reverse("crm:candidate-edit", args=[person.pk])
    response = client.post(url, _edit_data(person, phones="12", current_title="CTO"))
    assert response.status_code == 422
    assert 'id="id_phones_error"' in response.content.decode()
    person.refresh_from_db()
    assert person.current_title == ""
    assert not person.phones.exists()


def test_do_not_contact_needs_a_reason_and_can_be_lifted(client, recruiter, person):
    client.force_login(recruiter)
    url = reverse("crm:candidate-dnc", args=[person.pk])
    response = client.post(url, {"flag": "1", "do_not_contact_reason": " "})
    assert response.status_code == 422
    assert "say why this person must not be contacted" in response.content.decode()
    assert client.post(url, {"flag": "1", "do_not_contact_reason": "GDPR"}).status_code == 302
    person.refresh_from_db()
    assert (person.do_not_contact, person.do_not_contact_reason) == (True, "GDPR")
    assert client.post(url, {"flag": ""}).status_code == 302
    person.refresh_from_db()
    assert not person.do_not_contact


# --------------------------------------------------------------------------- resumes


def test_resume_upload_accepts_a_real_pdf(client, recruiter, person):
    client.force_login(recruiter)
    url = reverse("crm:candidate-resume-upload", args=[person.pk])
    assert client.post(url, {"file": pdf_upload("../../etc/My CV.pdf")}).status_code == 302
    resume = ResumeFile.objects.get(candidate=person)
    assert resume.parse_status == "pending"
    assert resume.original_name == "My CV.pdf"
    assert resume.content_type == "application/pdf"
    assert re.fullmatch(r"resumes/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", resume.file.name)
    assert len(resume.sha256) == 64
    assert TimelineEntry.objects.filter(candidate=person, kind="resume", summary="Resume uploaded")
    # The same file again is not stored twice.
    client.post(url, {"file": pdf_upload()})
    assert ResumeFile.objects.filter(candidate=person).count() == 1


def test_resume_upload_accepts_docx_by_content(client, recruiter, person):
    client.force_login(recruiter)
    url = reverse("crm:candidate-resume-upload", args=[person.pk])
    upload = SimpleUploadedFile("cv.docx", docx_bytes(), content_type="application/octet-stream")
    assert client.post(url, {"file": upload}).status_code == 302
    assert ResumeFile.objects.get(candidate=person).file.name.endswith(".docx")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cv.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "not a PDF or Word"),
        ("cv.docx", docx_bytes(document=False), "not a PDF or Word"),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "larger than 10 MB"),
    ],
    ids=["exe-renamed-pdf", "zip-renamed-docx", "over-10-mb"],
)
def test_resume_upload_refuses_what_is_not_a_resume(
    client, recruiter, person, name, content, message
):
    client.force_login(recruiter)
    url = reverse("crm:candidate-resume-upload", args=[person.pk])
    response = client.post(url, {"file": pdf_upload(name, content)})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ResumeFile.objects.exists()


def test_resume_download_is_an_attachment_for_recruiters_only(client, users, person):
    client.force_login(users["recruiter"])
    client.post(reverse("crm:candidate-resume-upload", args=[person.pk]), {"file": pdf_upload()})
    resume = ResumeFile.objects.get()
    url = reverse("crm:candidate-resume", args=[person.pk, resume.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="cv.pdf"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES
    other = candidate_upsert(data={"email": "other@example.com"}).candidate
    assert (
        client.get(reverse("crm:candidate-resume", args=[other.pk, resume.pk])).status_code == 404
    )
    for who in ("manager", "interviewer", "outsider"):
        client.force_login(users[who])
        assert client.get(url).status_code == 404, who
    client.logout()
    assert client.get(url).status_code == 302


# --------------------------------------------------------------------------- permissions


def _unmasked(html: bytes) -> bytes:
    """The page without its CSRF token (masked differently on every response)."""
    return re.sub(rb'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]*"', b"", html)


ROUTES = [
    ("get", "crm:candidate-detail", {}),
    ("get", "crm:candidate-edit", {}),
    ("get", "crm:candidate-timeline", {}),
    ("post", "crm:candidate-note", {"body": "hello"}),
    ("post", "crm:candidate-dnc", {"flag": "1", "do_not_contact_reason": "asked"}),
    ("post", "crm:candidate-resume-upload", {}),
]


@pytest.mark.parametrize(("method", "name", "data"), ROUTES, ids=[r[1] for r in ROUTES])
@pytest.mark.parametrize("who", ["recruiter", "admin", "manager", "interviewer", "outsider", None])
def test_candidate_urls_answer_404_to_everyone_but_recruiters(
    client, users, person, method, name, data, who
):
    if who:
        client.force_login(users[who])
    if name.endswith("upload"):
        data = {"file": pdf_upload()}
    existing = getattr(client, method)(reverse(name, args=[person.pk]), data)
    missing = getattr(client, method)(reverse(name, args=[person.pk + 1000]), data)
    if who is None:
        assert existing.status_code == missing.status_code == 302
        assert existing.url.startswith(reverse("login"))
    elif who in ("recruiter", "admin"):
        assert existing.status_code in (200, 302)
        assert missing.status_code == 404
    else:
        assert existing.status_code == missing.status_code == 404
        assert _unmasked(existing.content) == _unmasked(missing.content)


@pytest.mark.parametrize(
    ("who", "expected"),
    [("recruiter", 200), ("admin", 200), ("manager", 403), ("interviewer", 403), ("outsider", 403)],
)
def test_new_candidate_page_is_for_recruiters(client, users, who, expected):
    client.force_login(users[who])
    assert client.get(reverse("crm:candidate-new")).status_code == expected


def test_new_candidate_page_sends_anonymous_to_login(client, db):
    response = client.get(reverse("crm:candidate-new"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_merged_record_redirects_to_the_survivor(client, users, person):
    loser = candidate_upsert(data={"email": "ada.old@example.com"}).candidate
    Candidate.objects.filter(pk=loser.pk).update(merged_into=person)
    client.force_login(users["recruiter"])
    response = client.get(detail_url(loser))
    assert response.status_code == 302
    assert response.url == detail_url(person)
    client.force_login(users["outsider"])
    assert client.get(detail_url(loser)).status_code == 404


# --------------------------------------------------------------------------- timeline


def test_timeline_pages_return_each_entry_once(client, recruiter, person):
    same_moment = TimelineEntry.objects.get(candidate=person).occurred_at
    for i in range(44):  # ties on occurred_at are broken by id
        TimelineEntry.objects.create(
            candidate=person, kind="note", summary=f"n{i}", occurred_at=same_moment
        )
    client.force_login(recruiter)
    html = client.get(detail_url(person)).content.decode()
    seen = [int(pk) for pk in re.findall(r'id="timeline-entry-(\d+)"', html)]
    assert len(seen) == 20
    while cursor := re.search(r'\?before=([0-9_]+)"', html):
        url = reverse("crm:candidate-timeline", args=[person.pk]) + f"?before={cursor.group(1)}"
        response = client.get(url, **HTMX)
        assert response.status_code == 200
        html = response.content.decode()
        assert "<html" not in html
        seen += [int(pk) for pk in re.findall(r'id="timeline-entry-(\d+)"', html)]
    expected = list(
        TimelineEntry.objects.filter(candidate=person)
        .order_by("-occurred_at", "-id")
        .values_list("pk", flat=True)
    )
    assert seen == expected
    assert len(seen) == 45


def test_timeline_page_without_htmx_is_a_full_page_and_bad_cursors_are_refused(
    client, recruiter, person
):
    client.force_login(recruiter)
    url = reverse("crm:candidate-timeline", args=[person.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert client.get(url + "?before=nonsense").status_code == 400


def _profile_queries(client, candidate) -> int:
    client.get(detail_url(candidate))  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(detail_url(candidate)).status_code == 200
    return len(queries)


def test_profile_query_count_does_not_grow_with_the_record(client, recruiter):
    def person(n: int):
        candidate = candidate_upsert(
            data={
                "emails": [f"p{n}-{i}@example.com" for i in range(n)],
                "phones": [f"+1 415 555 01{i:02d}" for i in range(n)],
                "skills": [{"name": f"Skill {i}", "years": i} for i in range(n)],
            }
        ).candidate
        for i in range(n):
            note_add(candidate=candidate, body=f"note {i}", actor=recruiter)
            ResumeFile.objects.create(
                candidate=candidate, file=f"resumes/x{i}.pdf", original_name=f"{i}.pdf",
                content_type="application/pdf", size=1, sha256=f"{n}-{i}", uploaded_by=recruiter,
            )  # fmt: skip
        return candidate

    client.force_login(recruiter)
    assert _profile_queries(client, person(1)) == _profile_queries(client, person(30))


def test_recruiters_download_the_json_resume_from_the_profile(client, recruiter, person):
    client.force_login(recruiter)
    link = reverse("crm:candidate-json-resume", args=[person.pk])
    assert f'href="{link}"' in client.get(detail_url(person)).content.decode()
    response = client.get(link)
    assert response.status_code == 200
    assert json.loads(response.content)["basics"]["email"] == person.email
