"""Thin Celery tasks for crm: take an id, let the service claim and do the work.

Imports get their own time limits: a 20 MB file can take many minutes, longer than the
site-wide default. They stay below the broker's visibility timeout (an hour), so Redis never
hands a still-running import to a second worker; if one did, the claim would make it a no-op.
A run that hits the soft limit is marked failed and can be run again: it continues after the
rows it committed.
"""

from datetime import timedelta

from celery import shared_task

from .imports import IMPORT, PREVIEW, import_job_process, import_jobs_fail_stalled

IMPORT_SOFT_TIME_LIMIT = 50 * 60
IMPORT_TIME_LIMIT = 55 * 60


@shared_task(
    name="crm.preview_import",
    soft_time_limit=IMPORT_SOFT_TIME_LIMIT,
    time_limit=IMPORT_TIME_LIMIT,
    ignore_result=True,
)
def preview_import(job_id: int) -> bool:
    """Dry-run a CSV import job: predict its counts and rejections, write no candidates."""
    return import_job_process(job_id=job_id, phase=PREVIEW)


@shared_task(
    name="crm.run_import",
    soft_time_limit=IMPORT_SOFT_TIME_LIMIT,
    time_limit=IMPORT_TIME_LIMIT,
    ignore_result=True,
)
def run_import(job_id: int) -> bool:
    """Run a queued CSV or resume-zip import job (a second delivery does nothing)."""
    return import_job_process(job_id=job_id, phase=IMPORT)


@shared_task(name="crm.fail_stalled_imports", ignore_result=True)
def fail_stalled_imports() -> int:
    """Beat, every 10 minutes: jobs left "running" by a worker that died become failed (and
    so can be run again). Past the hard time limit plus a margin, no run can still be alive."""
    return import_jobs_fail_stalled(older_than=timedelta(seconds=IMPORT_TIME_LIMIT + 5 * 60))
