"""CSV and resume-zip imports: upload, mapping, dry run, run (through a real worker), safety."""

import csv
import io
import stat
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crm.models import Candidate, CandidateEmail, ImportJob, ResumeFile, TimelineEntry
from crm.selectors.imports import IMPORT, PREVIEW, import_job_can_run
from crm.services import imports_csv
from crm.services.candidates import candidate_update, candidate_upsert
from crm.services.imports import (
    STALLED,
    import_job_preview,
    import_job_process,
    import_job_start,
)
from crm.services.imports_common import ImportStateError
from crm.services.imports_csv import MappingError, guess_mapping, import_job_create_csv
from crm.services.imports_zip import import_job_create_zip
from crm.tasks import fail_stalled_imports, run_import
from crm.views import imports as views_imports
from tests.conftest import wait_for

HEADER = "Email,First Name,Surname,Mobile,Job Title,City,Country,Skills\n"
PEOPLE = (
    HEADER
    + "ada@example.com,Ada,Lovelace,+44 20 7946 0958,Engineer,London,GB,Python; Math\n"
    + "grace@example.com,Grace,Hopper,,Admiral,Arlington,US,COBOL\n"
    + "alan@example.com,Alan,Turing,,Researcher,Wilmslow,GB,\n"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _file(name: str, content, content_type="text/csv"):
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type=content_type)


def _csv_job(user, content, name="people.csv") -> ImportJob:
    return import_job_create_csv(upload=_file(name, content), actor=user)


def _dry_run(job, columns=None) -> ImportJob:
    import_job_preview(job=job, columns=columns or job.mapping["columns"])
    assert import_job_process(job_id=job.pk, phase=PREVIEW)
    job.refresh_from_db()
    return job


def _run(job) -> ImportJob:
    import_job_start(job=job)
    assert import_job_process(job_id=job.pk, phase=IMPORT)
    job.refresh_from_db()
    return job


def _counts(job) -> tuple:
    return job.created_count, job.updated_count, job.unchanged_count, job.rejected_count


def _upload(client, name, content, kind="csv", content_type="text/csv"):
    data = {"kind": kind, f"{kind}-file": _file(name, content, content_type)}
    return client.post(reverse("crm:import-start"), data)


def _zip(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# --------------------------------------------------------------------------- the real worker


@pytest.mark.django_db(transaction=True)
def test_csv_import_runs_through_a_real_worker_to_100_percent(client, recruiter, celery_worker):
    client.force_login(recruiter)
    response = _upload(client, "people.csv", PEOPLE)
    job = ImportJob.objects.get()
    assert response.url == reverse("crm:import-detail", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert "ada@example.com" in page and "Dry run" in page

    form = {f"col_{i}": c for i, c in enumerate(job.mapping["columns"])}
    client.post(reverse("crm:import-detail", args=[job.pk]), form)
    wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.PREVIEWED)
    assert Candidate.objects.count() == 0
    progress = client.get(reverse("crm:import-progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert progress.status_code == 286 and "hx-trigger" not in progress.content.decode()

    client.post(reverse("crm:import-run", args=[job.pk]))
    job = wait_for(lambda: ImportJob.objects.filter(pk=job.pk, status="done").first())
    assert job.progress_percent == 100 and job.processed_rows == 3
    assert _counts(job) == (3, 0, 0, 0)
    ada = Candidate.objects.get(email="ada@example.com")
    assert (ada.first_name, ada.last_name, ada.phone, ada.source) == (
        "Ada",
        "Lovelace",
        "+442079460958",
        "import",
    )
    assert ada.timeline.get().summary == "Added by import of people.csv"
    assert (
        "Import finished"
        in client.get(reverse("crm:import-detail", args=[job.pk])).content.decode()
    )


def test_progress_partial_polls_while_running_and_stops_when_done(client, recruiter):
    job = _csv_job(recruiter, PEOPLE)
    ImportJob.objects.filter(pk=job.pk).update(status="running", processed_rows=1)
    client.force_login(recruiter)
    url = reverse("crm:import-progress", args=[job.pk])
    running = client.get(url, HTTP_HX_REQUEST="true")
    body = running.content.decode()
    assert running.status_code == 200 and 'hx-trigger="every 1s"' in body
    assert '<progress class="import-progress-bar" max="100" value="33"' in body
    assert "<html" not in body
    ImportJob.objects.filter(pk=job.pk).update(status="done", processed_rows=3)
    done = client.get(url, HTTP_HX_REQUEST="true")
    assert done.status_code == 286 and "hx-trigger" not in done.content.decode()


# --------------------------------------------------------------------------- dry run


def test_dry_run_predicts_the_run_exactly_and_writes_nothing(recruiter, monkeypatch):
    monkeypatch.setattr(imports_csv, "CHUNK_ROWS", 2)  # many batches: cross-batch effects count
    candidate_upsert(data={"email": "old@example.com", "phone": "+1 415 555 0132"})
    candidate_upsert(data={"email": "same@example.com", "first_name": "Sam", "city": "Oslo"})
    content = (
        "Email,Name,Phone,City\n"
        "new@example.com,New Person,,Berlin\n"  # created
        ",Phone Match,(415) 555-0132,Paris\n"  # updates old@ (matched by phone)
        "same@example.com,,,Oslo\n"  # unchanged
        "not-an-email,Bad Row,,\n"  # rejected
        "other@example.com,Other,,\n"  # created
        "NEW@example.com,,,Berlin\n"  # duplicate of row 2: unchanged after it
        "old@example.com,,,Rome\n"  # updates old@ again (after row 3 set Paris)
        "new@example.com,,,Hamburg\n"  # duplicate of row 2: updated
    )
    job = _csv_job(recruiter, content)
    before = (Candidate.objects.count(), TimelineEntry.objects.count())
    emails = CandidateEmail.objects.count()

    job = _dry_run(job)
    preview = job.summary["preview"]
    assert (preview["created"], preview["updated"], preview["unchanged"], preview["rejected"]) == (
        2,
        3,
        2,
        1,
    )
    assert (Candidate.objects.count(), TimelineEntry.objects.count()) == before
    assert CandidateEmail.objects.count() == emails
    assert {(d["row"], d["first_row"]) for d in preview["duplicates"]} == {(7, 2), (9, 2)}

    job = _run(job)
    assert _counts(job) == (2, 3, 2, 1)
    assert Candidate.objects.get(email="old@example.com").city == "Rome"


def test_mapping_is_guessed_from_header_names():
    header = ["E-mail", "Email Address", "First Name", "Given name", "Surname", "Mobile",
              "Phone", "LinkedIn", "Title", "Job Title", "Company", "City", "Country", "Skills",
              "Tags", "Source", "Notes", "Full name"]  # fmt: skip
    assert guess_mapping(header) == [
        "email", "email", "first_name", "ignore", "last_name", "phone", "phone",
        "linkedin_url", "current_title", "ignore", "current_company", "city", "country",
        "skills", "tags", "source", "ignore", "full_name",
    ]  # fmt: skip


def test_a_utf8_file_with_a_bom_is_read(client, recruiter):
    client.force_login(recruiter)
    _upload(client, "bom.csv", "\ufeff" + PEOPLE)
    job = ImportJob.objects.get()
    assert job.summary["csv"]["encoding"] == "utf-8-sig"
    assert job.summary["csv"]["header"][0] == "Email"
    assert job.mapping["columns"][0] == "email"
    assert _counts(_run(_dry_run(job)))[0] == 3


def test_a_cp1252_file_is_read_and_the_page_says_so(client, recruiter):
    client.force_login(recruiter)
    content = "Email;Name;City\njose@example.com;José Müller;Zürich\n".encode("cp1252")
    _upload(client, "excel.csv", content)
    job = ImportJob.objects.get()
    assert (job.summary["csv"]["encoding"], job.summary["csv"]["delimiter"]) == ("cp1252", ";")
    page = client.get(reverse("crm:import-detail", args=[job.pk])).content.decode()
    assert "Windows-1252" in page and "José Müller" in page
    _run(_dry_run(job))
    person = Candidate.objects.get()
    assert (person.first_name, person.last_name, person.city) == ("José", "Müller", "Zürich")


def test_a_mapping_without_email_phone_linkedin_or_name_is_refused(client, recruiter):
    job = _csv_job(recruiter, PEOPLE)
    client.force_login(recruiter)
    form = {f"col_{i}": "ignore" for i in range(8)} | {"col_5": "city"}
    response = client.post(reverse("crm:import-detail", args=[job.pk]), form)
    assert response.status_code == 400
    assert "Map at least one column to email, phone, LinkedIn URL or a name" in (
        response.content.decode()
    )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED
    with pytest.raises(MappingError):
        import_job_preview(job=job, columns=["ignore"] * 5 + ["city", "ignore", "ignore"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "not text"),
        (b"PK\x03\x04" + b"\x00" * 40, "Excel workbook"),
        (b"", "empty"),
        (b"Email,Name\n", "no rows"),
    ],
)
def test_a_file_that_is_not_csv_is_refused_and_nothing_is_stored(
    client, recruiter, settings, content, message
):
    client.force_login(recruiter)
    response = _upload(client, "people.csv", content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not any(path.is_file() for path in settings.MEDIA_ROOT.rglob("*"))


def test_uploads_over_the_limit_are_refused(client, recruiter, monkeypatch):
    client.force_login(recruiter)
    big = "Email\n" + "x@example.com\n" * (20 * 1024 * 1024 // 14 + 1)
    response = _upload(client, "big.csv", big)
    assert response.status_code == 400 and "larger than 20 MB" in response.content.decode()
    monkeypatch.setattr(views_imports, "CSV_MAX_BYTES", 1000)
    monkeypatch.setattr(views_imports, "ZIP_MAX_BYTES", 1000)
    response = _upload(client, "big.csv", "Email\n" + "x@example.com\n" * 100)
    assert response.status_code == 400 and "larger than" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_ten_thousand_bad_rows_are_all_rejected_and_the_run_is_refused(client, recruiter):
    content = "Email,Notes\n" + "".join(f"not-an-email-{i},x\n" for i in range(10_000))
    job = _dry_run(_csv_job(recruiter, content))
    assert job.summary["preview"]["rejected"] == job.summary["preview"]["total"] == 10_000
    assert len(job.rejected_rows) == 10_000
    assert Candidate.objects.count() == 0 and TimelineEntry.objects.count() == 0
    client.force_login(recruiter)
    page = client.get(reverse("crm:import-detail", args=[job.pk])).content.decode()
    assert "All 10000 rows would be rejected" in page
    assert 'disabled aria-disabled="true"' in page
    response = client.post(reverse("crm:import-run", args=[job.pk]), follow=True)
    assert "nothing to import" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    with pytest.raises(ImportStateError):
        import_job_start(job=job)


def test_bad_rows_are_rejected_with_reasons_and_downloadable(client, recruiter):
    content = (
        "Email,Name,Phone,Country,Extra\n"
        "ok@example.com,Okay Person,,DE,\n"
        "nope,Bad Email,,,\n"
        "fine@example.com,Bad Phone,12,Narnia,\n"
        "=HYPERLINK(1),Formula,,,\n"
        "x@example.com,Too Many,,,,surplus\n"
        ",,,DE,\n"
    )
    job = _run(_dry_run(_csv_job(recruiter, content)))
    assert _counts(job) == (1, 0, 0, 5)
    reasons = {r["row"]: r["errors"] for r in job.rejected_rows}
    assert reasons[3] == [{"field": "Email", "message": "'nope' is not a valid email address"}]
    assert {e["field"] for e in reasons[4]} == {"Phone", "Country"}
    assert "has 6 values but the header has 5 columns" in reasons[6][0]["message"]
    assert "required" in reasons[7][0]["message"]

    client.force_login(recruiter)
    response = client.get(reverse("crm:import-rejected-csv", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="people-rejected.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Email", "Name", "Phone", "Country", "Extra", "row", "reason"]
    assert rows[1][:2] == ["nope", "Bad Email"] and rows[1][5] == "3"
    assert "Email: 'nope' is not a valid email address" in rows[1][6]
    assert rows[3][0] == "'=HYPERLINK(1)"  # a formula is neutralised, not run by a spreadsheet
    assert len(rows) == 6


def test_importing_the_same_file_again_changes_nothing(recruiter):
    _run(_dry_run(_csv_job(recruiter, PEOPLE)))
    timeline = TimelineEntry.objects.count()
    again = _dry_run(_csv_job(recruiter, PEOPLE))
    assert again.summary["preview"]["unchanged"] == 3
    again = _run(again)
    assert _counts(again) == (0, 0, 3, 0)
    assert TimelineEntry.objects.count() == timeline


def test_a_second_delivery_of_the_task_does_nothing(recruiter):
    job = _dry_run(_csv_job(recruiter, PEOPLE))
    import_job_start(job=job)
    assert run_import(job.pk) is True
    assert run_import(job.pk) is False
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and _counts(job) == (3, 0, 0, 0)
    assert Candidate.objects.count() == 3


def test_an_import_keeps_what_a_recruiter_typed(recruiter):
    person = candidate_upsert(
        data={"email": "ada@example.com", "current_title": "Dev"},
        actor=recruiter,
        origin="recruiter",
    ).candidate
    candidate_update(candidate=person, data={"current_title": "Staff Engineer"}, actor=recruiter)
    job = _run(_dry_run(_csv_job(recruiter, PEOPLE)))
    person.refresh_from_db()
    assert person.current_title == "Staff Engineer" and person.city == "London"
    assert _counts(job) == (2, 1, 0, 0)
    assert (
        person.timeline.filter(kind="import")
        .get()
        .summary.startswith("Updated by import of people.csv")
    )


def test_a_crash_mid_file_fails_the_job_and_running_again_continues(recruiter, monkeypatch):
    monkeypatch.setattr(imports_csv, "CHUNK_ROWS", 2)
    job = _dry_run(_csv_job(recruiter, PEOPLE))
    with connection.cursor() as cursor:  # a real failure in the database, on the third row
        cursor.execute(
            "CREATE FUNCTION test_boom() RETURNS trigger AS $$ BEGIN "
            "IF NEW.first_name = 'Alan' THEN RAISE EXCEPTION 'disk on fire'; END IF; "
            "RETURN NEW; END $$ LANGUAGE plpgsql;"
            "CREATE TRIGGER test_boom BEFORE INSERT ON crm_candidate "
            "FOR EACH ROW EXECUTE FUNCTION test_boom();"
        )
    job = _run(job)
    assert job.status == ImportJob.Status.FAILED
    assert "disk on fire" in job.error and "2 of 3 processed" in job.error
    assert job.processed_rows == 2 and Candidate.objects.count() == 2  # first chunk committed
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER test_boom ON crm_candidate")
    job = _run(job)
    assert job.status == ImportJob.Status.DONE and _counts(job) == (3, 0, 0, 0)


# --------------------------------------------------------------------------- resume zips


def _zip_job(user, entries, name="resumes.zip") -> ImportJob:
    upload = _file(name, _zip(entries), "application/zip")
    return import_job_create_zip(upload=upload, actor=user)


def test_zip_checks_every_entry_and_rejects_unsafe_ones_with_reasons(recruiter):
    link = zipfile.ZipInfo("link.txt")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    entries = {
        "../evil.txt": "evil@example.com",
        "/etc/abs.txt": "abs@example.com",
        link: "/etc/passwd",
        "big.txt": b"a" * (10 * 1024 * 1024 + 1),
        "fake.pdf": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64,
        "fake.docx": b"%PDF-1.4 not a docx",
        "binary.txt": b"MZ\x00\x01 jane@example.com",
        "notes.exe": b"MZ",
        "__MACOSX/._jane.txt": b"\x00\x05\x16\x07",
        "folder/": b"",
        "folder/jane.txt": "Jane Doe\nJane@Example.com\nBerlin",
    }
    job = _zip_job(recruiter, entries)
    assert job.total_rows == 9  # the directory and the macOS metadata are skipped
    job = _run(job)
    reasons = {r["name"]: r["errors"][0]["message"] for r in job.rejected_rows}
    assert reasons == {
        "../evil.txt": "has a path that leads outside the archive (“..”)",
        "/etc/abs.txt": "has an absolute path",
        "link.txt": "is a symbolic link",
        "big.txt": "is larger than 10 MB",
        "fake.pdf": "is not a real PDF (it does not start with %PDF-)",
        "fake.docx": "is not a real Word document (no word/document.xml inside)",
        "binary.txt": "is not a text file",
        "notes.exe": "is not a PDF, DOCX or TXT file",
    }
    assert _counts(job) == (1, 0, 0, 8)
    assert not Candidate.objects.filter(email="evil@example.com").exists()


def test_a_txt_resume_creates_or_updates_the_candidate_and_attaches_the_file(recruiter):
    known = candidate_upsert(data={"email": "known@example.com", "first_name": "Kim"}).candidate
    job = _run(
        _zip_job(
            recruiter,
            {"jane.txt": "Jane Doe\njane@example.com\n", "kim.txt": "Kim\nKNOWN@example.com"},
        )
    )
    assert _counts(job) == (1, 1, 0, 0)
    jane = Candidate.objects.get(email="jane@example.com")
    resume = ResumeFile.objects.get(candidate=jane)
    assert (resume.original_name, resume.content_type, resume.size) == (
        "jane.txt",
        "text/plain",
        26,
    )
    assert resume.parse_status == ResumeFile.ParseStatus.PARSED and len(resume.sha256) == 64
    assert resume.parsed["result"]["email"] == "jane@example.com"
    assert (jane.first_name, jane.last_name) == ("Jane", "Doe")
    assert resume.file.name.startswith("resumes/") and "jane" not in resume.file.name
    assert resume.file.read() == b"Jane Doe\njane@example.com\n"
    assert known.resumes.count() == 1 and known.timeline.filter(kind="resume").exists()
    assert [f["outcome"] for f in job.summary["files"]] == ["created", "updated"]

    again = _run(_zip_job(recruiter, {"jane.txt": "Jane Doe\njane@example.com\n"}))
    assert _counts(again) == (0, 0, 1, 0) and ResumeFile.objects.count() == 2


def test_a_pdf_the_parser_cannot_read_is_rejected_with_its_reason(recruiter):
    job = _run(_zip_job(recruiter, {"cv.pdf": b"%PDF-1.7\n%...\n"}))
    assert job.rejected_rows[0]["errors"][0]["message"] == (
        "the PDF is damaged or truncated and cannot be read; ask for a new copy"
    )
    assert not ResumeFile.objects.exists()


def test_zip_archives_over_the_limits_are_refused(client, recruiter):
    client.force_login(recruiter)
    too_many = _zip({f"r{i}.txt": f"r{i}@example.com" for i in range(501)})
    response = _upload(client, "many.zip", too_many, kind="zip", content_type="application/zip")
    assert response.status_code == 400
    assert "holds 501 files; the limit is 500" in response.content.decode()
    response = _upload(client, "x.zip", b"not a zip", kind="zip", content_type="application/zip")
    assert "not a zip archive" in response.content.decode()
    assert not ImportJob.objects.exists()
    ok = _upload(client, "ok.zip", _zip({"a.txt": "a@example.com"}), kind="zip")
    job = ImportJob.objects.get()
    assert ok.url == reverse("crm:import-detail", args=[job.pk])
    assert job.kind == ImportJob.Kind.RESUME_ZIP and job.file.name.endswith(".zip")
    assert "ok" not in job.file.name.rsplit("/", 1)[1]


# --------------------------------------------------------------------------- permissions


def _urls(job_pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("crm:import-start")),
        ("get", reverse("crm:import-detail", args=[job_pk])),
        ("get", reverse("crm:import-progress", args=[job_pk])),
        ("post", reverse("crm:import-run", args=[job_pk])),
        ("get", reverse("crm:import-rejected-csv", args=[job_pk])),
    ]


@pytest.mark.parametrize("who", ["manager", "interviewer", "outsider"])
def test_only_recruiters_reach_imports(client, users, who):
    job = _csv_job(users["recruiter"], PEOPLE)
    client.force_login(users[who])
    for method, url in _urls(job.pk) + _urls(job.pk + 1000):
        assert getattr(client, method)(url).status_code == 403, url


def test_recruiters_reach_imports_and_anonymous_users_go_to_login(client, recruiter):
    job = _csv_job(recruiter, PEOPLE)
    for method, url in _urls(job.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login/" in response.url
    client.force_login(recruiter)
    expected = {"get": 200, "post": 302}
    for method, url in _urls(job.pk):
        status = getattr(client, method)(url).status_code
        assert status in (expected[method], 286), url
    assert client.get(reverse("crm:import-detail", args=[job.pk + 1000])).status_code == 404


def test_the_upload_still_checks_the_csrf_token(recruiter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(recruiter)
    response = _upload(client, "people.csv", PEOPLE)
    assert response.status_code == 403 and not ImportJob.objects.exists()
    page = client.get(reverse("crm:import-start"))
    token = page.cookies["csrftoken"].value
    data = {"kind": "csv", "csv-file": _file("people.csv", PEOPLE), "csrfmiddlewaretoken": token}
    assert client.post(reverse("crm:import-start"), data).status_code == 302


def test_the_recent_imports_list_does_not_grow_queries_with_rows(client, recruiter, users):
    client.force_login(recruiter)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("crm:import-start")).status_code == 200
        return len(captured)

    _csv_job(recruiter, PEOPLE)
    one = queries()
    for who in ("admin", "manager", "outsider", "interviewer"):
        _csv_job(users[who], PEOPLE)
    assert queries() == one


def test_a_run_whose_worker_died_is_failed_by_beat_and_can_be_run_again(recruiter):

    dead = _dry_run(_csv_job(recruiter, PEOPLE))
    import_job_start(job=dead)
    # A worker claimed it two hours ago and was killed: nothing will ever finish it.
    long_ago = timezone.now() - timedelta(hours=2)
    ImportJob.objects.filter(pk=dead.pk).update(
        status=ImportJob.Status.RUNNING, started_at=long_ago
    )
    alive = _dry_run(_csv_job(recruiter, PEOPLE, name="other.csv"))
    import_job_start(job=alive)
    ImportJob.objects.filter(pk=alive.pk).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now() - timedelta(minutes=5)
    )

    assert fail_stalled_imports() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == ImportJob.Status.FAILED and STALLED in dead.error
    assert alive.status == ImportJob.Status.RUNNING
    assert import_job_can_run(dead)
    assert _counts(_run(dead)) == (3, 0, 0, 0)
    assert dead.status == ImportJob.Status.DONE
