"""The emails a candidate gets about their application (received, not selected), and the one
way ats queues a plain-text email after commit."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from config.core.tasks import send_email as send_email_task
from crm.models import TimelineEntry
from crm.services.timeline import timeline_add

from ..models import Application


def company_name() -> str:
    return getattr(settings, "COMPANY_NAME", "Talentloop")


def mail_after_commit(*, subject: str, body: str, to: str, reply_to: str | None = None) -> None:
    """Queue one plain-text email once the transaction commits (subject on one line)."""
    subject = re.sub(r"\s+", " ", subject).strip()
    reply = [reply_to] if reply_to else None
    transaction.on_commit(
        lambda: send_email_task.delay(subject=subject, body=body, to=[to], reply_to=reply),
        robust=True,
    )


def _candidate_email(application: Application, *, subject: str, template: str, what: str) -> bool:
    candidate = application.candidate
    context = {"candidate": candidate, "job": application.job, "company": company_name()}
    mail_after_commit(subject=subject, body=render_to_string(template, context), to=candidate.email)
    timeline_add(
        candidate=candidate,
        kind=TimelineEntry.Kind.EMAIL_OUT,
        channel="email",
        summary=f"{what} queued: {application.job.title}",
        data={"application": application.pk},
    )
    return True


def rejection_email_queue(*, application: Application) -> bool:
    """Queue the candidate's rejection email (never names the internal reason). Returns False
    when there is no address or the person is marked do-not-contact."""
    candidate = application.candidate
    if not candidate.email or candidate.do_not_contact:
        return False
    return _candidate_email(
        application,
        subject=f"Your application for {application.job.title}",
        template="ats/email/rejection.txt",
        what="Rejection email",
    )


def confirmation_email_queue(*, application: Application) -> bool:
    """Queue "we received your application" right after the career-page submit commits (a
    transactional answer to the person's own request, so do-not-contact does not apply)."""
    if not application.candidate.email:
        return False
    return _candidate_email(
        application,
        subject=f"We received your application for {application.job.title}",
        template="ats/email/confirmation.txt",
        what="Application confirmation",
    )
