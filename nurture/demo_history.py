"""A past campaign for `make run`, so engagement has a history to show: a one-step "Spring
newsletter (demo)" sent to a few demo people long enough ago that the Warm passive segment
(opened or clicked in the last 90 days) and the Cold passive one (written to, no engagement for
180 days) have members, and profiles show messages with opens and clicks. The rows are written as
a finished send would leave them (enrollment completed, message SENT with its times); nothing is
queued and nothing is mailed. Idempotent: the sequence is made once, each person's message once."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.utils import timezone

from crm.models import Candidate, ContactTopic
from nurture import email as mail
from nurture.models import Channel, Enrollment, Message, Sequence
from nurture.services.sequences import StepInput, sequence_create

NAME = "Spring newsletter (demo)"
# (email local part, days since it was sent, opened days later, clicked)
PLAN = (
    ("ines.moreau", 30, 1, True),
    ("bruno.silva", 45, 2, False),
    ("nadia.karimi", 20, 0, True),
    ("sven.berg", 240, None, False),
    ("victor.dubois", 300, None, False),
    ("omar.farouk", 200, None, False),
)


def _sequence(actor) -> Sequence:
    existing = Sequence.objects.filter(name=NAME).first()
    if existing is not None:
        return existing
    step = StepInput(
        subject="What we built this spring, {{ candidate.first_name }}",
        body="Hi {{ candidate.first_name }},\n\nA short note on what our teams shipped this "
        "spring, and the roles we are hiring for next.\n\n{{ recruiter.name }}",
    )
    sequence = sequence_create(
        name=NAME, owner=actor, steps=[step], topic=ContactTopic.COMPANY_NEWS
    )
    Sequence.objects.filter(pk=sequence.pk).update(archived=True)
    return sequence


def demo_history_load(actor=None) -> dict[str, int]:
    sequence = _sequence(actor)
    step = sequence.steps.get()
    now = timezone.now()
    made = 0
    for local, days, opened_after, clicked in PLAN:
        person = Candidate.objects.filter(email=f"{local}@demo.talentloop.localhost").first()
        if person is None or Message.objects.filter(candidate=person, step=step).exists():
            continue
        sent = now - timedelta(days=days)
        enrollment = Enrollment.objects.create(
            candidate=person,
            sequence=sequence,
            state=Enrollment.State.COMPLETED,
            step_index=1,
            enrolled_at=sent,
            enrolled_by=actor,
            last_sent_at=sent,
            ended_at=sent,
        )
        opened = sent + timedelta(days=opened_after) if opened_after is not None else None
        Message.objects.create(
            enrollment=enrollment,
            step=step,
            candidate=person,
            channel=Channel.EMAIL,
            status=Message.Status.SENT,
            token=secrets.token_hex(12),
            to_address=person.email,
            subject=f"What we built this spring, {person.first_name}",
            body_text=f"Hi {person.first_name}, a short note on what our teams shipped.",
            message_id=mail.new_message_id(),
            queued_at=sent,
            sending_at=sent,
            sent_at=sent,
            opened_at=opened,
            clicked_at=opened if clicked else None,
        )
        made += 1
    return {"past_messages_created": made}
