"""Import jobs: the lifecycle shared by CSV and resume-zip imports.

A job is uploaded, (for CSV) mapped and previewed with a dry run, then run by a Celery task.
Both the dry run and the run are Celery work: the page polls the job's progress. Every state
change is a conditional update (or a row lock), so a double click or a second delivery of the
same task does nothing. The CSV and zip specifics live in :mod:`crm.imports_csv` and
:mod:`crm.imports_zip`, which build on the helpers here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
import time
import uuid
from collections.abc import Iterable
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from config.core.roles import Role, has_role

from .models import ImportJob

logger = logging.getLogger(__name__)

PREVIEW = "preview"  # summary["phase"] while a dry run is queued or running
IMPORT = "import"  # ... while the real run is queued or running
CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
# How long to batch up writes of the (possibly long) rejected-rows list while counts move on.
_REJECTIONS_FLUSH_SECONDS = 2.0


class ImportFileError(ValueError):
    """The uploaded file cannot be imported at all; the message is for a person."""


class ImportStateError(ValueError):
    """The job is not in a state that allows this action; the message is for a person."""


# --------------------------------------------------------------------------- reads


def import_jobs_visible_to(user) -> QuerySet[ImportJob]:
    """Recruiters (and admins) see every import; nobody else sees any."""
    if has_role(user, Role.RECRUITER):
        return ImportJob.objects.all()
    return ImportJob.objects.none()


def import_job_get_for_user(user, pk: int) -> ImportJob | None:
    return import_jobs_visible_to(user).select_related("created_by").filter(pk=pk).first()


def import_job_is_active(job: ImportJob) -> bool:
    """Queued or running: the page keeps polling."""
    return job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)


def import_job_phase(job: ImportJob) -> str:
    return (job.summary or {}).get("phase", "")


# --------------------------------------------------------------------------- storage helpers


def sha256_of(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def stored_name(extension: str) -> str:
    """A server-generated file name: nothing of the uploader's name reaches the file system."""
    return f"{uuid.uuid4().hex}{extension}"


def read_job_file(job: ImportJob) -> bytes:
    with job.file.open("rb") as handle:
        return handle.read()


_NUMBER_LIKE = re.compile(r"^[+-][\d\s().-]*$")


def spreadsheet_safe(value: str) -> str:
    """Neutralise spreadsheet formulas in a CSV we hand out (CSV injection): a cell that a
    spreadsheet would evaluate gets a leading apostrophe. Numbers such as "+44 20 ..." stay."""
    value = str(value)
    if value[:1] in ("=", "@", "\t", "\r") or (
        value[:1] in ("+", "-") and not _NUMBER_LIKE.match(value)
    ):
        return "'" + value
    return value


# --------------------------------------------------------------------------- progress


@dataclasses.dataclass
class Outcome:
    """What happened to one row or file: created/updated/unchanged/rejected, with reasons."""

    kind: str
    rejection: dict | None = None  # {"row": n, "errors": [{"field", "message"}], ...}
    note: dict | None = None  # per-file report line (zip imports)


@dataclasses.dataclass
class Progress:
    """Counts of a job as of the last committed batch. ``plus`` returns a new value, so a batch
    that rolls back leaves the committed progress untouched."""

    processed: int = 0
    counts: dict = dataclasses.field(default_factory=dict)
    rejected: list = dataclasses.field(default_factory=list)
    notes: list = dataclasses.field(default_factory=list)
    flushed_rejections: int = -1
    flushed_at: float = 0.0

    @classmethod
    def fresh(cls) -> Progress:
        return cls(counts={CREATED: 0, UPDATED: 0, UNCHANGED: 0, REJECTED: 0})

    @classmethod
    def resumed(cls, job: ImportJob) -> Progress:
        """Continue a run that stopped: the rows before ``processed_rows`` are committed."""
        return cls(
            processed=job.processed_rows,
            counts={
                CREATED: job.created_count,
                UPDATED: job.updated_count,
                UNCHANGED: job.unchanged_count,
                REJECTED: job.rejected_count,
            },
            rejected=list(job.rejected_rows or []),
            notes=list((job.summary or {}).get("files", [])),
            flushed_rejections=len(job.rejected_rows or []),
            flushed_at=time.monotonic(),
        )

    def plus(self, outcomes: Iterable[Outcome]) -> Progress:
        new = dataclasses.replace(
            self, counts=dict(self.counts), rejected=list(self.rejected), notes=list(self.notes)
        )
        for outcome in outcomes:
            new.processed += 1
            new.counts[outcome.kind] += 1
            if outcome.rejection:
                new.rejected.append(outcome.rejection)
            if outcome.note:
                new.notes.append(outcome.note)
        return new

    def save(self, job: ImportJob, *, force: bool = False) -> None:
        """Write the counts (every call) and the rejected rows (when they changed and at most
        every couple of seconds, or when forced): rewriting a long JSON list after every batch
        would make a file full of bad rows quadratic."""
        fields = {
            "processed_rows": self.processed,
            "created_count": self.counts[CREATED],
            "updated_count": self.counts[UPDATED],
            "unchanged_count": self.counts[UNCHANGED],
            "rejected_count": self.counts[REJECTED],
        }
        now = time.monotonic()
        dirty = len(self.rejected) != self.flushed_rejections
        if force or (dirty and now - self.flushed_at >= _REJECTIONS_FLUSH_SECONDS):
            fields["rejected_rows"] = self.rejected
            self.flushed_rejections, self.flushed_at = len(self.rejected), now
        ImportJob.objects.filter(pk=job.pk).update(**fields)
        for name, value in fields.items():
            setattr(job, name, value)

    def as_summary(self) -> dict:
        return {**self.counts, "processed": self.processed}


def summary_update(job: ImportJob, **values) -> None:
    """Merge ``values`` into the job's summary JSON (only the running task writes it)."""
    job.summary = {**(job.summary or {}), **values}
    ImportJob.objects.filter(pk=job.pk).update(summary=job.summary)


# --------------------------------------------------------------------------- lifecycle


def _enqueue(task_name: str, job_id: int) -> None:
    from . import tasks  # tasks import this module's services

    task = {PREVIEW: tasks.preview_import, IMPORT: tasks.run_import}[task_name]
    transaction.on_commit(lambda: task.delay(job_id))


def _queue(job: ImportJob, *, phase: str, reset: bool, **fields) -> None:
    job.status = ImportJob.Status.QUEUED
    job.summary = {**(job.summary or {}), "phase": phase}
    job.error = ""
    job.finished_at = None
    if reset:
        job.processed_rows = job.created_count = job.updated_count = 0
        job.unchanged_count = job.rejected_count = 0
        job.rejected_rows = []
        job.summary.pop("files", None)
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()
    _enqueue(phase, job.pk)


@transaction.atomic
def import_job_preview(*, job: ImportJob, columns: list[str]) -> ImportJob:
    """Save a CSV job's column mapping and queue its dry run."""
    from .imports_csv import validate_mapping

    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    failed_preview = job.status == ImportJob.Status.FAILED and import_job_phase(job) == PREVIEW
    allowed = job.status in (ImportJob.Status.UPLOADED, ImportJob.Status.PREVIEWED)
    if job.kind != ImportJob.Kind.CSV or not (allowed or failed_preview):
        raise ImportStateError("This import can no longer be changed.")
    header = (job.summary or {}).get("csv", {}).get("header", [])
    columns = validate_mapping(columns, header)
    job.summary = {**(job.summary or {}), "preview": None, "result": None}
    _queue(job, phase=PREVIEW, reset=True, mapping={"columns": columns})
    return job


def _preview_allows_run(job: ImportJob) -> bool:
    preview = (job.summary or {}).get("preview") or {}
    return bool(preview) and preview.get("total", 0) > preview.get(REJECTED, 0)


def import_job_can_run(job: ImportJob) -> bool:
    """A CSV job runs after a dry run that found something to import; a zip job after upload;
    a run that failed may be run again (it continues after the rows it committed)."""
    if job.status == ImportJob.Status.FAILED and import_job_phase(job) == IMPORT:
        return True
    if job.kind == ImportJob.Kind.CSV:
        return job.status == ImportJob.Status.PREVIEWED and _preview_allows_run(job)
    entries = (job.summary or {}).get("entries", [])
    return job.status == ImportJob.Status.UPLOADED and any(not e.get("problem") for e in entries)


@transaction.atomic
def import_job_start(*, job: ImportJob) -> ImportJob:
    """Queue the real run (or continue a failed one)."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not import_job_can_run(job):
        if job.kind == ImportJob.Kind.CSV and job.status == ImportJob.Status.PREVIEWED:
            raise ImportStateError("Every row would be rejected: there is nothing to import.")
        if job.kind == ImportJob.Kind.CSV and job.status == ImportJob.Status.UPLOADED:
            raise ImportStateError("Run the dry run first.")
        raise ImportStateError("This import cannot be started now.")
    resume = job.status == ImportJob.Status.FAILED
    _queue(job, phase=IMPORT, reset=not resume)
    return job


def import_job_process(*, job_id: int, phase: str) -> bool:
    """Claim a queued job (queued -> running, checking the row count) and do its work. Returns
    False when there was nothing to claim: a second delivery of the same task is a no-op."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status=ImportJob.Status.QUEUED, summary__phase=phase
    ).update(status=ImportJob.Status.RUNNING, started_at=timezone.now(), error="")
    if not claimed:
        logger.info("import job %s: nothing to claim for %s", job_id, phase)
        return False
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        _work(job, phase)
    except SoftTimeLimitExceeded:
        _fail(job, "The import ran out of time. Run it again to continue where it stopped.")
    except Exception as exc:  # the job page reports any failure; the log keeps the traceback
        logger.exception("import job %s failed", job_id)
        _fail(job, f"{type(exc).__name__}: {exc}")
    else:
        done = ImportJob.Status.PREVIEWED if phase == PREVIEW else ImportJob.Status.DONE
        ImportJob.objects.filter(pk=job_id).update(status=done, finished_at=timezone.now())
    return True


def _work(job: ImportJob, phase: str) -> None:
    from .imports_csv import import_rows
    from .imports_zip import import_zip

    if job.kind == ImportJob.Kind.CSV:
        import_rows(job, dry_run=phase == PREVIEW)
    else:
        import_zip(job)


STALLED = "The worker running this import stopped before it finished. Run it again to continue."


def import_jobs_fail_stalled(*, older_than: timedelta, now=None) -> int:
    """Mark failed the jobs still "running" long after any run could have ended (the task's
    hard time limit kills a run before ``older_than``): their worker died or was killed, so
    nothing will ever finish them. Failed, they can be run again and continue after the rows
    they committed. Returns how many were marked."""
    cutoff = (now or timezone.now()) - older_than
    stalled = ImportJob.objects.filter(status=ImportJob.Status.RUNNING, started_at__lt=cutoff)
    count = 0
    for job in stalled:
        _fail(job, STALLED)
        logger.warning("import job %s: marked failed, running since %s", job.pk, job.started_at)
        count += 1
    return count


def _fail(job: ImportJob, message: str) -> None:
    processed = ImportJob.objects.filter(pk=job.pk).values_list("processed_rows", flat=True)
    done = processed.first() or 0
    text = f"{message} ({done} of {job.total_rows} processed before it stopped.)"
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED, error=text[:500], finished_at=timezone.now()
    )
