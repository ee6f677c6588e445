"""Demo job alerts for `make run`: two demo people become confirmed talent-community members who
asked for job alerts (joined 60 days ago, so the demo jobs opened since are new to them). Carmen
gets them as they come and was already sent one (20 days ago, the Berlin backend role); Yara
wants a weekly digest and gets her first one (the remote design role and the Austin analyst
role) at the next job-alerts tick. Idempotent: a person who is already a member is left as is.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from crm.models import Candidate, CommunityStatus, ContactFrequency, ContactTopic, TimelineEntry
from crm.services.consent import consent_record
from crm.services.timeline import timeline_add
from nurture.models import Message
from nurture.services.job_alerts import job_alerts_run

DOMAIN = "@demo.talentloop.localhost"
MEMBERS = (
    # email local part, interests, locations, frequency, an alert already sent
    ("carmen.navarro", ["Engineering", "Data"], ["Berlin", "Remote"], ContactFrequency.IMMEDIATE, True),
    ("yara.costa", ["Design", "Analytics"], ["Austin", "Remote"], ContactFrequency.WEEKLY, False),
)  # fmt: skip
JOINED_DAYS_AGO = 60
SENT_DAYS_AGO = 20


def _join(person: Candidate, interests, locations, frequency, joined) -> None:
    person.interest_areas, person.interest_locations = interests, locations
    person.community_status, person.community_joined_at = CommunityStatus.CONFIRMED, joined
    person.contact_frequency = frequency
    person.save(
        update_fields=[
            "interest_areas", "interest_locations", "community_status", "community_joined_at",
            "contact_frequency",
        ]
    )  # fmt: skip
    note = f"privacy notice {settings.PRIVACY_NOTICE_VERSION}; demo data"
    consent_record(
        candidate=person, topic=ContactTopic.JOB_ALERTS, granted=True,
        source="talent community signup", note=note,
    )  # fmt: skip
    timeline_add(
        candidate=person,
        kind=TimelineEntry.Kind.UPDATED,
        summary="Joined the talent community (confirmed by email)",
        data={"community": "confirmed", "interests": interests, "locations": locations},
        occurred_at=joined,
    )


@transaction.atomic
def demo_job_alerts_load(actor=None) -> dict[str, int]:
    """Make the demo job-alert members (see the module docstring) unless already done."""
    now = timezone.now()
    made = sent = 0
    for local, interests, locations, frequency, already_sent in MEMBERS:
        person = Candidate.objects.filter(email=local + DOMAIN, merged_into__isnull=True).first()
        if person is None or person.community_status != CommunityStatus.NONE:
            continue
        _join(person, interests, locations, frequency, now - timedelta(days=JOINED_DAYS_AGO))
        made += 1
        if already_sent:
            at = now - timedelta(days=SENT_DAYS_AGO)
            job_alerts_run(now=at, candidate_ids=[person.pk])
            # Delivered back then (demo addresses are never mailed).
            for message in Message.objects.filter(
                candidate=person, status=Message.Status.QUEUED, queued_at=at
            ):
                message.status, message.sent_at, message.attempts = Message.Status.SENT, at, 1
                message.save(update_fields=["status", "sent_at", "attempts"])
                timeline_add(
                    candidate=person,
                    kind=TimelineEntry.Kind.EMAIL_OUT,
                    channel="email",
                    summary=f"Sent “{message.subject}” (Job alerts)",
                    data={"message": message.pk, "enrollment": message.enrollment_id},
                    occurred_at=at,
                )
                sent += 1
    return {"job_alert_members_added": made, "job_alerts_sent": sent}
