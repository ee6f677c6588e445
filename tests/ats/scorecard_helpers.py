"""Small builders for the scorecard tests: interviews made directly with the ORM (the
scheduling service is another branch's work; these tests must not depend on it)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from ats.models import Interview, InterviewType
from tests.factories import make_application

KIT = ["API design", "Communication", "Problem solving"]


def make_kit(job, *, name="Kit test interview", attributes=None):
    kit, _ = InterviewType.objects.get_or_create(
        job=job,
        name=name,
        defaults={
            "stage": job.stages.order_by("position").last(),
            "duration_minutes": 60,
            "focus_attributes": list(KIT if attributes is None else attributes),
            "questions": ["Design a rate limiter.", "Tell me about a hard bug."],
            "instructions": "Probe for trade-offs.",
        },
    )
    return kit


def make_interview(
    *,
    application=None,
    interviewers=(),
    starts_at=None,
    minutes=60,
    status=Interview.Status.SCHEDULED,
    kit=True,
    title="Technical interview",
):
    """An interview of ``application`` (a new one by default) with ``interviewers``; by default
    it started three hours ago (so it is awaiting feedback) and has the test kit."""
    app = application or make_application()
    starts = starts_at or timezone.now() - timedelta(hours=3)
    interview = Interview.objects.create(
        application=app,
        interview_type=make_kit(app.job) if kit else None,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes),
        status=status,
    )
    interview.interviewers.set(interviewers)
    return interview


def login(client, user, password):
    assert client.login(username=user.username, password=password)
    return client


def unmasked(response) -> str:
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
