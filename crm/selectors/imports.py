"""Reads of import jobs: who may see which, and what state a job is in (the writes, the
lifecycle and the work, are :mod:`crm.services.imports`)."""

from __future__ import annotations

from django.db.models import QuerySet

from config.core.roles import Role, has_role

from ..models import ImportJob
from ..types import AnyUser

PREVIEW = "preview"  # summary["phase"] while a dry run is queued or running
IMPORT = "import"  # ... while the real run is queued or running
# What happened to a row or file; the keys of a job's counts in its summary.
CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"


def import_jobs_visible_to(user: AnyUser) -> QuerySet[ImportJob]:
    """Recruiters (and admins) see every import; nobody else sees any."""
    if has_role(user, Role.RECRUITER):
        return ImportJob.objects.all()
    return ImportJob.objects.none()


def import_job_get_for_user(user: AnyUser, pk: int) -> ImportJob | None:
    """One import job the user may see (with who uploaded it), or None."""
    return import_jobs_visible_to(user).select_related("created_by").filter(pk=pk).first()


def import_jobs_recent_for_user(user: AnyUser, limit: int = 10) -> QuerySet[ImportJob]:
    """The newest import jobs the user may see, for the upload page."""
    return import_jobs_visible_to(user).select_related("created_by")[:limit]


def import_job_is_active(job: ImportJob) -> bool:
    """Queued or running: the page keeps polling."""
    return job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)


def import_job_phase(job: ImportJob) -> str:
    """:data:`PREVIEW` or :data:`IMPORT` once the job was queued for one (else "")."""
    return (job.summary or {}).get("phase", "")


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
