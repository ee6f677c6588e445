"""The mails of interview notices (reminders, feedback prompts, overdue alerts), built from a
notice whose interview, application, candidate, job and panel are loaded
(``ats.selectors.notices.claimed_notices``). Candidate and interviewer reminders carry the
invite again (same UID and SEQUENCE: a calendar that has it keeps one event)."""

from __future__ import annotations

import re

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from config.core.mail import CalendarEmail

from . import ics
from .models import InterviewNotice

_TEMPLATES = {
    InterviewNotice.Kind.CANDIDATE_REMINDER: "ats/email/interview_reminder_candidate.txt",
    InterviewNotice.Kind.INTERVIEWER_REMINDER: "ats/email/interview_reminder_interviewer.txt",
    InterviewNotice.Kind.FEEDBACK_PROMPT: "ats/email/feedback_prompt.txt",
    InterviewNotice.Kind.FEEDBACK_OVERDUE: "ats/email/feedback_overdue.txt",
}


def _recipient(notice: InterviewNotice) -> tuple[str, str]:
    """(address, name) the notice goes to; '' when there is none."""
    interview = notice.interview
    if notice.kind == InterviewNotice.Kind.CANDIDATE_REMINDER:
        candidate = interview.application.candidate
        if candidate.email_invalid:
            return "", ""
        return candidate.email, candidate.first_name
    if notice.kind == InterviewNotice.Kind.FEEDBACK_OVERDUE:
        recruiter = interview.application.job.recruiter or interview.created_by
        if recruiter is None or not recruiter.is_active:
            return "", ""
        return recruiter.email, recruiter.first_name or recruiter.username
    user = notice.user
    if user is None or not user.is_active:
        return "", ""
    return user.email, user.first_name or user.username


def _link(name: str, pk: int) -> str:
    return settings.SITE_URL + reverse(name, kwargs={"pk": pk})


def _subject(notice: InterviewNotice) -> str:
    interview = notice.interview
    application = interview.application
    kinds = InterviewNotice.Kind
    if notice.kind == kinds.CANDIDATE_REMINDER:
        return f"Reminder: your interview for {application.job.title} tomorrow"
    if notice.kind == kinds.INTERVIEWER_REMINDER:
        return f"Reminder: {interview.title} with {application.candidate} tomorrow"
    if notice.kind == kinds.FEEDBACK_PROMPT:
        return f"Your feedback on {application.candidate} ({interview.title})"
    interviewer = notice.user.display_name if notice.user else "an interviewer"
    return f"Feedback overdue: {interviewer} on {application.candidate} ({interview.title})"


def build(notice: InterviewNotice) -> CalendarEmail | None:
    """The mail for ``notice``, or None when there is no address to send it to."""
    address, name = _recipient(notice)
    if not address:
        return None
    interview = notice.interview
    application = interview.application
    context = {
        "name": name,
        "interview": interview,
        "when": ics.local_time(interview.starts_at, interview.timezone),
        "candidate": application.candidate,
        "job": application.job,
        "company": getattr(settings, "COMPANY_NAME", "Talentloop"),
        "interviewer": notice.user,
    }
    kinds = InterviewNotice.Kind
    calendar = None
    if notice.kind == kinds.CANDIDATE_REMINDER:
        calendar = ics.interview_calendar(interview, method="REQUEST", for_staff=False)
    elif notice.kind == kinds.INTERVIEWER_REMINDER:
        # the interviewers' own invite: no candidate address in it
        calendar = ics.interview_calendar(
            interview, method="REQUEST", for_staff=True, include_candidate=False
        )
        context |= {"interview_url": ics.interview_url(interview)}
    if notice.kind in (kinds.INTERVIEWER_REMINDER, kinds.FEEDBACK_PROMPT):
        context |= {"scorecard_url": _link("ats:scorecard", interview.pk)}
    elif notice.kind == kinds.FEEDBACK_OVERDUE:
        context |= {"summary_url": _link("ats:application-summary", application.pk)}
    return CalendarEmail(
        subject=re.sub(r"\s+", " ", _subject(notice)).strip(),
        body=render_to_string(_TEMPLATES[notice.kind], context),
        to=[address],
        calendar=calendar,
        calendar_method="REQUEST",
    )
