"""Reads of resume files: one file of a candidate, its stored parse result, and whether its
parse looks stuck (the writes are :mod:`crm.services.resumes`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from parsing import ParsedResume

from ..models import Candidate, ResumeFile

Status = ResumeFile.ParseStatus
# A file still pending this long after it was queued is shown as stuck (with Re-parse).
STALE_AFTER = timedelta(minutes=10)


def resume_get(candidate: Candidate, resume_id: int) -> ResumeFile | None:
    """One of the candidate's files (the caller has checked that the user may see them)."""
    return ResumeFile.objects.filter(pk=resume_id, candidate=candidate).first()


def resume_files(candidate: Candidate) -> list[ResumeFile]:
    """The candidate's files, newest first, without their parse results (the limited profile
    lists them by name)."""
    files = ResumeFile.objects.filter(candidate=candidate)
    return list(files.only("id", "candidate_id", "original_name", "uploaded_at", "size"))


def resume_with_uploader_get(candidate: Candidate, resume_id: int) -> ResumeFile | None:
    """One of the candidate's files with who uploaded it, for its panel."""
    resumes = ResumeFile.objects.select_related("uploaded_by")
    return resumes.filter(pk=resume_id, candidate=candidate).first()


def resume_is_attached(candidate: Candidate, sha256: str) -> bool:
    """Whether the candidate already has a file with these contents."""
    return ResumeFile.objects.filter(candidate=candidate, sha256=sha256).exists()


def stored_result(resume: ResumeFile) -> ParsedResume | None:
    """The file's last parse result, from the row (no query)."""
    data = (resume.parsed or {}).get("result")
    return ParsedResume.from_dict(data) if data else None


def resume_is_stuck(resume: ResumeFile, now: datetime | None = None) -> bool:
    """Pending for longer than :data:`STALE_AFTER` since it was queued (shown with Re-parse)."""
    if resume.parse_status != Status.PENDING:
        return False
    requested = (resume.parsed or {}).get("requested_at")
    since = datetime.fromisoformat(requested) if requested else resume.uploaded_at
    return since is not None and (now or timezone.now()) - since > STALE_AFTER
