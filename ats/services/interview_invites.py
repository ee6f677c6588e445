"""The mails of interview changes: each carries the interview's invite (same UID; SEQUENCE
raised by every change; METHOD:CANCEL for a cancellation or an interviewer taken off), built
here and sent by the mail task after the transaction commits."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from config.core.models import User as AuthUser
from config.core.tasks import send_email as send_email_task

from .. import ics
from ..ics import local_time
from ..models import Interview


@dataclass
class Mail:
    subject: str
    body: str
    to: str
    calendar: str
    method: str
    reply_to: list[str] | None = None


def reply_to(interview: Interview) -> list[str] | None:
    """Candidates' replies go to the recruiter who scheduled it, else the job's recruiter."""
    for user in (interview.created_by, interview.application.job.recruiter):
        if user is not None and user.email:
            return [user.email]
    return None


def company() -> str:
    return getattr(settings, "COMPANY_NAME", "Talentloop")


def mail_context(interview: Interview, **extra: Any) -> dict[str, Any]:
    application = interview.application
    return {
        "interview": interview,
        "candidate": application.candidate,
        "job": application.job,
        "company": company(),
        "when": local_time(interview.starts_at, interview.timezone),
        "kit_url": ics.interview_url(interview),
        **extra,
    }


def queue_after_commit(mails: list[Mail]) -> None:
    """Send each mail after the transaction commits (never for a rolled-back change)."""
    for mail in mails:
        subject = re.sub(r"\s+", " ", mail.subject).strip()

        def send(mail: Mail = mail, subject: str = subject) -> None:
            send_email_task.delay(
                subject=subject,
                body=mail.body,
                to=[mail.to],
                calendar=mail.calendar,
                calendar_method=mail.method,
                reply_to=mail.reply_to,
            )

        transaction.on_commit(send, robust=True)


def change_mails(
    interview: Interview,
    *,
    kind: str,
    interviewers: Sequence[AuthUser],
    method: str = "REQUEST",
    candidate: bool = True,
    extra: dict[str, Any] | None = None,
) -> list[Mail]:
    """Mails of one change: ``kind`` is scheduled, rescheduled, updated or cancelled (the
    templates ``ats/email/interview_<kind>_candidate.txt`` / ``..._interviewer.txt``)."""
    context = mail_context(interview, **(extra or {}))
    job = interview.application.job
    mails: list[Mail] = []
    person = interview.application.candidate
    subjects = {
        "scheduled": f"Interview invitation: {job.title} at {company()}",
        "rescheduled": f"Interview moved: {job.title} at {company()}",
        "updated": f"Interview details changed: {job.title} at {company()}",
        "cancelled": f"Interview cancelled: {job.title} at {company()}",
    }
    if candidate and person.email:
        mails.append(
            Mail(
                subject=subjects[kind],
                body=render_to_string(f"ats/email/interview_{kind}_candidate.txt", context),
                to=person.email,
                calendar=ics.interview_calendar(interview, method=method, for_staff=False),
                method=method,
                reply_to=reply_to(interview),
            )
        )
    if interviewers:
        # Interviewers see the candidate's name, not their address (no contact details).
        staff_calendar = ics.interview_calendar(
            interview, method=method, for_staff=True, include_candidate=False
        )
        staff_subject = f"Interview {kind}: {interview.title} with {person.full_name} ({job.title})"
        for user in interviewers:
            if not user.email:
                continue
            body = render_to_string(
                f"ats/email/interview_{kind}_interviewer.txt", context | {"user": user}
            )
            mails.append(Mail(staff_subject, body, user.email, staff_calendar, method))
    return mails


def removed_mails(interview: Interview, removed: Sequence[AuthUser]) -> list[Mail]:
    """METHOD:CANCEL to interviewers taken off an interview (only they are attendees in it)."""
    mails = []
    for user in removed:
        if not user.email:
            continue
        calendar = ics.interview_calendar(
            interview, method="CANCEL", attendees=[user], include_candidate=False
        )
        body = render_to_string(
            "ats/email/interview_removed_interviewer.txt", mail_context(interview, user=user)
        )
        subject = f"You are no longer on: {interview.title} with {interview.application.candidate.full_name}"
        mails.append(Mail(subject, body, user.email, calendar, "CANCEL"))
    return mails
