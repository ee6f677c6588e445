"""Writes of the public career site: an application from the apply form, and the per-address
limit on how often that form may be sent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from config.core.throttle import count_hit
from crm.models import Candidate, ResumeFile, Source
from crm.services.candidates import candidate_upsert
from crm.services.resumes import CheckedResume, resume_attach

from ..models import Application, Job
from ..selectors.applications import active_application
from .application_records import AlreadyApplied, MoveRefused
from .applications import application_create
from .candidate_mail import confirmation_email_queue

APPLY_WINDOW_SECONDS = 60 * 60


@dataclass(frozen=True)
class ApplyOutcome:
    """What came of a submission: the new application, or the one the person already had."""

    application: Application
    already_applied: bool = False


def _source_detail(tracking: dict[str, str]) -> str:
    parts = []
    if tracking.get("utm_source"):
        parts.append(tracking["utm_source"])
    if tracking.get("ref"):
        parts.append(f"ref: {tracking['ref']}")
    return " · ".join(parts)


@transaction.atomic
def career_apply(
    *,
    job: Job,
    person: dict[str, str],
    upload: UploadedFile,
    checked: CheckedResume,
    cover_letter: str = "",
    answers: list[dict[str, object]] | None = None,
    tracking: dict[str, str] | None = None,
) -> ApplyOutcome:
    """An application from the career page, all or nothing.

    The person is looked up before being created (``candidate_upsert`` matches by normalized
    email, so a second application never makes a second person). When they already have an
    active application to this job, everything this call wrote is rolled back and the outcome
    says ``already_applied`` (no second application, no new resume row, record unchanged).
    Otherwise the resume is stored under a random name and its parsing queued, the application
    created (source career page, the answers, tracking, the privacy notice version agreed to)
    and the confirmation email queued after commit. Raises ``MoveRefused`` when the job stopped
    taking applications, ``crm.services.CandidateInputError`` for input the CRM refuses."""
    if not Job.objects.filter(pk=job.pk, published=True, status=Job.Status.OPEN).exists():
        raise MoveRefused("This job is no longer taking applications.")
    candidate = candidate_upsert(
        data=person,
        origin="career_page",
        source=Source.CAREER_PAGE,
        channel_summary="the career page",
    ).candidate
    existing = active_application(candidate=candidate, job=job)
    if existing is not None:
        return _already_applied(existing)
    resume = resume_attach(candidate=candidate, upload=upload, checked=checked, actor=None)
    try:
        application = _create_application(
            candidate, job, resume, cover_letter, answers or [], tracking or {}
        )
    except AlreadyApplied as exc:  # a concurrent submit won the race
        resume.file.delete(save=False)
        return _already_applied(exc.application)
    except Exception:
        resume.file.delete(save=False)  # the row rolls back; the file must go too
        raise
    confirmation_email_queue(application=application)
    return ApplyOutcome(application)


def _create_application(
    candidate: Candidate,
    job: Job,
    resume: ResumeFile,
    cover_letter: str,
    answers: list[dict[str, object]],
    tracking: dict[str, str],
) -> Application:
    return application_create(
        candidate=candidate,
        job=job,
        source=Application.Source.CAREER_PAGE,
        source_detail=_source_detail(tracking),
        tracking=tracking,
        cover_letter=cover_letter,
        answers=answers,
        resume=resume,
        privacy_notice_version=cast(str, settings.PRIVACY_NOTICE_VERSION),  # has a default
    )


def _already_applied(application: Application) -> ApplyOutcome:
    # Undo this submission's writes (the record update, timeline entries, queued tasks).
    transaction.set_rollback(True)
    return ApplyOutcome(application, already_applied=True)


def apply_attempt_allowed(address: str) -> bool:
    """Count one submission of the apply form from ``address``; False once it has sent more
    than ``CAREER_APPLY_LIMIT`` within the hour (counted in the shared cache, so every web
    worker agrees)."""
    count = count_hit(f"career-apply:{address}", APPLY_WINDOW_SECONDS)
    return count <= settings.CAREER_APPLY_LIMIT


def join_attempt_allowed(address: str) -> bool:
    """Count one submission of the talent-community signup (page, embed or API) from
    ``address``; False once it has sent more than ``CAREER_APPLY_LIMIT`` within the hour (the
    apply form's limit, counted separately)."""
    count = count_hit(f"community-join:{address}", APPLY_WINDOW_SECONDS)
    return count <= settings.CAREER_APPLY_LIMIT
