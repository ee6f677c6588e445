"""Import jobs: the lifecycle shared by CSV and resume-zip imports.

A job is uploaded, (for CSV) mapped and previewed with a dry run, then run by a Celery task.
Both the dry run and the run are Celery work: the page polls the job's progress. Every state
change is a conditional update (or a row lock), so a double click or a second delivery of the
same task does nothing. The CSV and zip specifics live in :mod:`crm.services.imports_csv` and
:mod:`crm.services.imports_zip`, which build on :mod:`crm.services.imports_common`; the reads
(who may see a job, its phase, whether it can run) are :mod:`crm.selectors.imports`.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.utils import timezone

from ..models import ImportJob
from ..selectors.imports import IMPORT, PREVIEW, import_job_can_run, import_job_phase
from .imports_common import ImportStateError
from .imports_csv import import_rows, validate_mapping
from .imports_zip import import_zip

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- lifecycle


def _enqueue(task_name: str, job_id: int) -> None:
    from .. import tasks  # noqa: PLC0415 - crm.tasks imports this module (a cycle)

    task = {PREVIEW: tasks.preview_import, IMPORT: tasks.run_import}[task_name]
    transaction.on_commit(lambda: task.delay(job_id))


def _queue(job: ImportJob, *, phase: str, reset: bool, **fields: Any) -> None:
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
    if job.kind == ImportJob.Kind.CSV:
        import_rows(job=job, dry_run=phase == PREVIEW)
    else:
        import_zip(job=job)


STALLED = "The worker running this import stopped before it finished. Run it again to continue."


def import_jobs_fail_stalled(*, older_than: timedelta, now: datetime | None = None) -> int:
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
