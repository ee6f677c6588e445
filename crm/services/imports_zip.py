"""Bulk resume import from a zip archive, handled defensively.

Limits: 50 MB compressed, 500 files, 200 MB uncompressed in all, 10 MB per file. Entries with an
absolute path, a ".." segment, a symbolic link, encryption, an unsupported type or contents that
do not match their extension (a PDF starts with ``%PDF-``; a DOCX is a zip holding
``word/document.xml``; a TXT has no NUL bytes) are rejected one by one, with the reason. Nothing
is ever extracted to the file system: entries are read into memory, at most 10 MB each, and a
resume is stored under a server-generated name.

Each file that passes is parsed in the sandbox (``parsing.parse_resume_isolated``, bounded in
time and memory) within the import task: the candidate is found or created by the address in
the resume, filled from it (:func:`crm.services.resumes.apply_parsed`: empty fields only) and the
file is attached already parsed. A file the parser cannot read is rejected with its reason.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import posixpath
import re
import stat
import zipfile
import zlib
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

import parsing
from config.core.models import User
from parsing import ParsedResume, ResumeError

from ..models import ImportJob, ResumeFile, Source, TimelineEntry
from ..normalize import InvalidValue, normalize_email
from ..selectors.imports import CREATED, REJECTED, UNCHANGED, UPDATED
from ..types import actor_user
from .candidates import candidate_upsert
from .errors import CandidateInputError
from .imports_common import (
    ImportFileError,
    Outcome,
    Progress,
    sha256_of,
    spreadsheet_safe,
    stored_name,
    summary_update,
)
from .resumes import apply_parsed, parse_limits, resume_payload
from .timeline import timeline_add

ZIP_MAX_BYTES = 50 * 1024 * 1024
ZIP_MAX_FILES = 500
ZIP_MAX_TOTAL_BYTES = 200 * 1024 * 1024
ENTRY_MAX_BYTES = 10 * 1024 * 1024
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".txt": "text/plain",
}
_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")


class EntryRejected(ValueError):
    """One file of the archive cannot be imported; the message is for a person."""


@dataclasses.dataclass
class Entry:
    name: str
    size: int
    problem: str  # "" when the entry passes the checks that need no reading


def _skipped(info: zipfile.ZipInfo) -> bool:
    """Directories and macOS metadata are not files anyone meant to import."""
    parts = info.filename.replace("\\", "/").split("/")
    return info.is_dir() or "__MACOSX" in parts or parts[-1] == ".DS_Store"


def _files(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [info for info in archive.infolist() if not _skipped(info)]


def entry_problem(info: zipfile.ZipInfo) -> str:
    name = info.filename
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "has an absolute path"
    if ".." in parts:
        return "has a path that leads outside the archive (“..”)"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "is a symbolic link"
    if info.flag_bits & 0x1:
        return "is encrypted"
    if posixpath.splitext(name)[1].lower() not in CONTENT_TYPES:
        return "is not a PDF, DOCX or TXT file"
    if info.file_size > ENTRY_MAX_BYTES:
        return "is larger than 10 MB"
    return ""


def inspect_zip(fileobj: IO[bytes] | UploadedFile) -> list[Entry]:
    """The archive's files with what is wrong with each; raises :class:`ImportFileError` when
    the archive as a whole cannot be imported."""
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileError("This file is not a zip archive.") from None
    with archive:
        infos = archive.infolist()
        files = _files(archive)
    if len(files) > ZIP_MAX_FILES or len(infos) > 4 * ZIP_MAX_FILES:
        raise ImportFileError(
            f"The archive holds {len(files)} files; the limit is {ZIP_MAX_FILES}."
        )
    if sum(info.file_size for info in files) > ZIP_MAX_TOTAL_BYTES:
        raise ImportFileError("The archive unpacks to more than 200 MB; split it up.")
    if not files:
        raise ImportFileError("The archive holds no files.")
    return [Entry(info.filename, info.file_size, entry_problem(info)) for info in files]


def import_job_create_zip(*, upload: UploadedFile, actor: User | None) -> ImportJob:
    """Check an uploaded archive and store it as an import job (nothing is stored if bad)."""
    assert upload.size is not None  # Django's upload handlers always set it
    if upload.size > ZIP_MAX_BYTES:
        raise ImportFileError("The archive is larger than 50 MB. Split it into smaller ones.")
    entries = inspect_zip(upload)
    upload.seek(0)
    job = ImportJob(
        kind=ImportJob.Kind.RESUME_ZIP,
        created_by=actor,
        original_name=(upload.name or "resumes.zip")[:255],
        sha256=sha256_of(upload),
        total_rows=len(entries),
        summary={"entries": [dataclasses.asdict(entry) for entry in entries]},
    )
    upload.seek(0)
    job.file.save(stored_name(".zip"), upload, save=False)
    job.save()
    return job


# --------------------------------------------------------------------------- one entry


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        with archive.open(info) as handle:
            data = handle.read(ENTRY_MAX_BYTES + 1)  # never trust the declared size alone
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise EntryRejected(f"could not be read from the archive ({exc})") from None
    if len(data) > ENTRY_MAX_BYTES:
        raise EntryRejected("is larger than 10 MB")
    return data


def _text(data: bytes) -> str:
    if b"\x00" in data:
        raise EntryRejected("is not a text file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise EntryRejected("is not UTF-8 or Windows-1252 text")


def check_content(extension: str, data: bytes) -> None:
    """The contents must be what the extension says (a renamed program is not a PDF)."""
    if extension == ".pdf" and not data.startswith(b"%PDF-"):
        raise EntryRejected("is not a real PDF (it does not start with %PDF-)")
    if extension == ".docx":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as inner:
                names = inner.namelist()
        except (zipfile.BadZipFile, ValueError, OSError):
            names = []
        if "word/document.xml" not in names:
            raise EntryRejected("is not a real Word document (no word/document.xml inside)")
    if extension == ".txt":
        _text(data)


def parse_entry(name: str, data: bytes) -> ParsedResume:
    """The file parsed in the sandbox (this runs inside the import task); a file that gives no
    result is rejected with the parser's reason, and the archive goes on."""
    try:
        return parsing.parse_resume_isolated(data, name, limits=parse_limits())
    except ResumeError as exc:
        raise EntryRejected(exc.message) from None


def email_from_resume(parsed: ParsedResume) -> str:
    """The candidate's address: the one the parser found in the contact details, else the first
    valid address anywhere in the text."""
    for found in [parsed.email, *parsed.emails, *_EMAIL.findall(parsed.text or "")]:
        try:
            email = normalize_email(found or "")
        except InvalidValue:
            continue
        if email:
            return email
    raise EntryRejected("has no email address in it; add the candidate by email")


def _attach(candidate, info, data: bytes, extension: str, parsed, actor, stored: list):
    """The file, stored and already parsed (no second parse), or None when this person already
    has the same file: importing the archive twice changes nothing."""
    digest = hashlib.sha256(data).hexdigest()
    if candidate.resumes.filter(sha256=digest).exists():
        return None
    original = posixpath.basename(info.filename.replace("\\", "/"))[:255]
    resume = ResumeFile(
        candidate=candidate,
        original_name=original,
        content_type=CONTENT_TYPES[extension],
        size=len(data),
        sha256=digest,
        uploaded_by=actor_user(actor),
        parse_status=ResumeFile.ParseStatus.PARSED,
        parsed=resume_payload(parsed),
        parsed_at=timezone.now(),
    )
    resume.file.save(stored_name(extension), ContentFile(data), save=False)
    stored.append(resume.file.name)
    resume.save()
    timeline_add(
        candidate=candidate,
        kind=TimelineEntry.Kind.RESUME,
        summary=f"Resume {original} attached",
        actor=actor,
        data={"resume_id": resume.pk},
    )
    return resume


@dataclasses.dataclass
class Prepared:
    """One file read, checked and parsed (outside any transaction: a parse may take seconds),
    or the reason it is rejected."""

    extension: str
    data: bytes = b""
    parsed: ParsedResume | None = None
    problem: str = ""


def prepare_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Prepared:
    extension = posixpath.splitext(info.filename)[1].lower()
    try:
        problem = entry_problem(info)
        if problem:
            raise EntryRejected(problem)
        data = _read(archive, info)
        check_content(extension, data)
        return Prepared(extension, data, parse_entry(info.filename, data))
    except EntryRejected as exc:
        return Prepared(extension, problem=str(exc))


def _import_entry(info, prepared: Prepared, number: int, *, job: ImportJob, stored: list):
    def note(kind, reason="", candidate=None):
        return {"name": info.filename, "outcome": kind, "reason": reason, "candidate": candidate}

    parsed = prepared.parsed
    try:
        if prepared.problem:
            raise EntryRejected(prepared.problem)
        assert parsed is not None  # prepare_entry parses every file it does not reject
        # Only the address goes through the upsert: it would overwrite an existing record's
        # name from an import; apply_parsed fills the name and the rest only where empty.
        result = candidate_upsert(
            data={"email": email_from_resume(parsed)},
            actor=job.created_by,
            source=Source.IMPORT,
            origin="import",
            channel_summary=f"import of {job.original_name}",
        )
    except (EntryRejected, CandidateInputError) as exc:
        reason = str(exc)
        rejection = {
            "row": number,
            "name": info.filename,
            "errors": [{"field": "file", "message": reason}],
        }
        return Outcome(REJECTED, rejection, note(REJECTED, reason))
    data, extension = prepared.data, prepared.extension
    resume = _attach(result.candidate, info, data, extension, parsed, job.created_by, stored)
    if resume is not None:
        apply_parsed(candidate=result.candidate, parsed=parsed, resume=resume, actor=job.created_by)
    attached = resume is not None
    kind = CREATED if result.created else UPDATED if attached or result.changed else UNCHANGED
    reason = "resume attached" if attached else "this resume was already attached"
    return Outcome(kind, None, note(kind, reason, result.candidate.pk))


def import_zip(*, job: ImportJob) -> Progress:
    """Import every file of the archive, one transaction per file (with the job's counts and
    per-file report); running it again continues after the files already done."""
    progress = Progress.resumed(job)
    with job.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        infos = _files(archive)
        for number, info in enumerate(infos[progress.processed :], start=progress.processed + 1):
            prepared = prepare_entry(archive, info)
            stored: list[str] = []
            try:
                with transaction.atomic():
                    outcome = _import_entry(info, prepared, number, job=job, stored=stored)
                    pending = progress.plus([outcome])
                    pending.save(job, force=True)
                    summary_update(job=job, files=pending.notes)
            except BaseException:
                for name in stored:  # the row that named the file was rolled back
                    default_storage.delete(name)
                raise
            progress = pending
    return progress


def rejected_files_csv(job: ImportJob) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["file", "row", "reason"])
    for item in job.rejected_rows or []:
        name, reason = item.get("name", ""), item["errors"][0]["message"]
        writer.writerow([spreadsheet_safe(name), item["row"], spreadsheet_safe(reason)])
    return "\ufeff" + out.getvalue()
