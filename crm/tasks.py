"""Thin Celery tasks for crm: take an id, let the service claim and do the work.

Imports get their own time limits: a 20 MB file can take many minutes, longer than the
site-wide default. They stay below the broker's visibility timeout (an hour), so Redis never
hands a still-running import to a second worker; if one did, the claim would make it a no-op.
A run that hits the soft limit is marked failed and can be run again: it continues after the
rows it committed.

Parsing one resume is bounded by the sandbox (``RESUME_PARSE_LIMITS["timeout_seconds"]``, the
child process is killed); the task's limits sit a little above it, so the sandbox's timeout
fires first and is recorded on the file, and the soft limit only catches a stuck database.
Retries are for infrastructure errors only: a file that gives no result is recorded, not
retried.
"""

from datetime import timedelta

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .selectors.imports import IMPORT, PREVIEW
from .services.imports import import_job_process, import_jobs_fail_stalled
from .services.resumes import MAX_ATTEMPTS, parse_limits, resume_parse_run

IMPORT_SOFT_TIME_LIMIT = 50 * 60
IMPORT_TIME_LIMIT = 55 * 60
PARSE_SOFT_TIME_LIMIT = int(parse_limits().timeout_seconds) + 15
PARSE_TIME_LIMIT = PARSE_SOFT_TIME_LIMIT + 15
INFRASTRUCTURE_ERRORS = (OperationalError, InterfaceError)


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


@shared_task(
    name="crm.parse_resume",
    soft_time_limit=PARSE_SOFT_TIME_LIMIT,
    time_limit=PARSE_TIME_LIMIT,
    ignore_result=True,
    autoretry_for=INFRASTRUCTURE_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=MAX_ATTEMPTS - 1,
)
def parse_resume(resume_id: int) -> str:
    """Parse a pending resume file and fill its candidate (a file deleted meanwhile, or already
    parsed by an earlier delivery, is left alone)."""
    return resume_parse_run(resume_id=resume_id)


@shared_task(name="crm.pools_refresh_all", ignore_result=True)
def pools_refresh_all() -> int:
    """The full refresh of every dynamic pool (the beat runs it every 15 minutes)."""
    from .services.pools import pools_refresh_all as refresh_all  # noqa: PLC0415 - see below

    return len(refresh_all())


@shared_task(name="crm.pools_refresh_for_candidate", ignore_result=True)
def refresh_pools_for_candidate(candidate_id: int) -> int:
    """Re-check one person against the dynamic pools after an edit or a tag."""
    # services.pools queues this task, so it imports this module lazily; import it lazily too.
    from .services.pools import pools_refresh_for_candidate  # noqa: PLC0415

    result = pools_refresh_for_candidate(candidate_id=candidate_id)
    return result.joined + result.left
