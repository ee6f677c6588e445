"""Demo talent-community members for `make run`: one confirmed member and one signup still
waiting for the emailed link, both among the demo candidates (so the candidate count does not
change). Written as the services write them (consent ledger, timeline, the ``community.joined``
event) but without mailing a confirmation to a demo address. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from config.core.models import record_event

from .models import Candidate, CommunityStatus, ContactTopic, TimelineEntry
from .services.consent import consent_record
from .services.timeline import timeline_add

MEMBERS = (
    # email, status, interests, locations
    ("wen.zhang@demo.talentloop.localhost", CommunityStatus.CONFIRMED, ["Data", "Engineering"],
     ["Remote", "Berlin"]),
    ("quinn.doyle@demo.talentloop.localhost", CommunityStatus.PENDING, ["Product"], ["London"]),
)  # fmt: skip


@transaction.atomic
def demo_community_load(actor=None) -> dict[str, int]:
    """Make the two demo people community members (confirmed, pending) unless already done."""
    made = 0
    now = timezone.now()
    for email, status, interests, locations in MEMBERS:
        person = Candidate.objects.filter(email=email, merged_into__isnull=True).first()
        if person is None or person.community_status != CommunityStatus.NONE:
            continue
        signed_up = now - timedelta(days=12)
        person.interest_areas, person.interest_locations = interests, locations
        person.community_status = status
        if status == CommunityStatus.CONFIRMED:
            person.community_joined_at = signed_up + timedelta(hours=2)
        person.save(
            update_fields=[
                "interest_areas", "interest_locations", "community_status", "community_joined_at",
            ]
        )  # fmt: skip
        timeline_add(
            candidate=person,
            kind=TimelineEntry.Kind.UPDATED,
            summary="Signed up for the talent community (awaiting confirmation)",
            data={"community": "signup", "interests": interests, "locations": locations},
            occurred_at=signed_up,
        )
        if status == CommunityStatus.CONFIRMED:  # consent is granted on confirming
            note = f"privacy notice {settings.PRIVACY_NOTICE_VERSION}; demo data"
            consent_record(
                candidate=person, topic=ContactTopic.JOB_ALERTS, granted=True,
                source="talent community signup", note=note,
            )  # fmt: skip
            timeline_add(
                candidate=person,
                kind=TimelineEntry.Kind.UPDATED,
                summary="Joined the talent community (confirmed by email)",
                data={"community": "confirmed"},
                occurred_at=person.community_joined_at,
            )
            record_event(
                "community.joined",
                subject_type="crm.candidate",
                subject_id=person.pk,
                payload={"interests": interests, "locations": locations},
            )
        made += 1
    members = Candidate.objects.filter(community_status=CommunityStatus.CONFIRMED).count()
    pending = Candidate.objects.filter(community_status=CommunityStatus.PENDING).count()
    return {
        "community_signups_added": made,
        "community_members": members,
        "community_signups_pending": pending,
    }
