"""The dispatcher: due enrollments become messages, queued messages are sent, exactly once.

Two phases, each claiming its rows with ``SELECT ... FOR UPDATE SKIP LOCKED`` in bounded
batches, so any number of workers and overlapping beat ticks can run them at once:

1. :func:`schedule_due` locks due enrollments and, for each, checks consent and
   do-not-contact, the frequency cap and quiet hours (postponing ``next_due_at`` rather than
   dropping), renders the step into a QUEUED :class:`Message` (unique per enrollment, step
   and occurrence) or a manual :class:`Task`, and moves the enrollment on, with the adaptive
   cadence deciding the next delay.
2. :func:`nurture.services.sending.claim` moves a batch of QUEUED rows to SENDING in one
   committed update; :func:`~nurture.services.sending.send_claimed` checks consent again (an unsubscribe that landed after the claim stops
   the send), sends over one SMTP connection, and marks each SENT, back to QUEUED with a
   backoff (transient SMTP errors), or FAILED with an alert to the owner (permanent ones).

A worker that dies mid-send leaves its rows SENDING. They are never sent again automatically:
the message may or may not have reached the server, and a duplicate is worse than a miss.
:func:`nurture.services.sending.reap_stuck` marks rows SENDING for longer than NURTURE_SENDING_TIMEOUT_SECONDS as
FAILED ("worker stopped mid-send") and alerts the owner, who can see the person and decide.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from crm.models import Candidate, TimelineEntry
from crm.selectors.consent import verdict, withdrawn_topics_by_person
from crm.services.candidates import candidates_tag
from crm.services.timeline import timeline_add_many
from nurture import email as mail
from nurture import templating, timing
from nurture.builtin import JOB_ALERTS_KEY
from nurture.models import Channel, Enrollment, Message, Sequence, Step, Task
from nurture.services.bulk import update_rows
from nurture.services.enrollments import enrollment_complete, enrollment_stop
from nurture.services.sending import SendResult, send_queued

logger = logging.getLogger(__name__)

GONE_COLD_TAG = "gone cold"
# Why a gate said no → why the enrollment stops (job alerts stop on the same reasons).
STOP_FOR = {
    "do_not_contact": Enrollment.StopReason.DO_NOT_CONTACT,
    "unsubscribed": Enrollment.StopReason.UNSUBSCRIBED,
    "bounced": Enrollment.StopReason.BOUNCED,
    "merged": Enrollment.StopReason.MANUAL,
}


# --------------------------------------------------------------------------- gate data


def last_emails(candidate_ids: Iterable[int], since: datetime) -> dict[int, datetime]:
    """Per person, when the newest email of any sequence (queued, sending or sent) since
    ``since`` was queued: what the frequency cap looks at."""
    rows = (
        Message.objects.filter(
            candidate__in=candidate_ids,
            channel=Channel.EMAIL,
            status__in=[Message.Status.QUEUED, Message.Status.SENDING, Message.Status.SENT],
            queued_at__gte=since,
        )
        .values("candidate")
        .annotate(last=Max("queued_at"))
    )
    return {row["candidate"]: row["last"] for row in rows}


def _engagement(enrollment_ids: Iterable[int]) -> dict[int, list[bool]]:
    """Per enrollment, oldest first: was each sent email opened (or clicked)?"""
    rows = (
        Message.objects.filter(
            enrollment__in=enrollment_ids, channel=Channel.EMAIL, status=Message.Status.SENT
        )
        .order_by("queued_at", "id")
        .values_list("enrollment_id", "opened_at", "clicked_at")
    )
    opened: dict[int, list[bool]] = defaultdict(list)
    for enrollment_id, opened_at, clicked_at in rows:
        opened[enrollment_id].append(bool(opened_at or clicked_at))
    return opened


class _Steps:
    """Each sequence's steps, loaded once per batch."""

    def __init__(self, sequence_ids: Iterable[int]) -> None:
        self.sequences = {
            s.pk: s for s in Sequence.objects.select_related("owner").filter(pk__in=sequence_ids)
        }
        self.steps: dict[int, list[Step]] = defaultdict(list)
        for step in Step.objects.filter(sequence__in=sequence_ids).order_by("position", "id"):
            self.steps[step.sequence_id].append(step)

    def at(self, enrollment: Enrollment) -> tuple[Step | None, int]:
        """The step due for the enrollment and its occurrence (repeats of the last step)."""
        steps = self.steps[enrollment.sequence_id]
        sequence = self.sequences[enrollment.sequence_id]
        index = enrollment.step_index
        if index < len(steps):
            return steps[index], 0
        if steps and sequence.repeat_last_every_days:
            return steps[-1], index - len(steps) + 1
        return None, 0


# --------------------------------------------------------------------------- phase 1


@dataclass
class ScheduleResult:
    queued: int = 0
    tasks: int = 0
    postponed: int = 0
    stopped: int = 0
    completed: int = 0
    claimed: int = 0


@dataclass
class _Plan:
    messages: list[Message] = field(default_factory=list)
    tasks: list[tuple[Message, Step]] = field(default_factory=list)
    contexts: dict[int, dict] = field(default_factory=dict)
    stops: list[tuple[Enrollment, str]] = field(default_factory=list)
    completions: list[tuple[Enrollment, str]] = field(default_factory=list)
    cold: list[int] = field(default_factory=list)
    finished: list[Enrollment] = field(default_factory=list)


def schedule_due(*, now: datetime | None = None, batch: int | None = None) -> ScheduleResult:
    """One batch of due enrollments → messages (see the module docstring). Returns counts."""
    now = now or timezone.now()
    batch = batch or settings.NURTURE_BATCH_SIZE
    result = ScheduleResult()
    with transaction.atomic():
        due = list(
            Enrollment.objects.select_for_update(skip_locked=True)
            .filter(state=Enrollment.State.ACTIVE, next_due_at__lte=now)
            # Job alerts are composed by nurture.services.job_alerts, never step by step here.
            .exclude(sequence__builtin_key=JOB_ALERTS_KEY)
            .order_by("next_due_at", "id")[:batch]
        )
        result.claimed = len(due)
        if not due:
            return result
        plan = _plan(due, now, result)
        _write(plan, due, now, result)
    return result


def _plan(due: list[Enrollment], now: datetime, result: ScheduleResult) -> _Plan:
    candidate_ids = {e.candidate_id for e in due}
    people = Candidate.objects.in_bulk(candidate_ids)
    withdrawn = withdrawn_topics_by_person(candidate_ids)
    cap_hours = settings.NURTURE_FREQUENCY_CAP_HOURS
    recent = last_emails(candidate_ids, now - timedelta(hours=cap_hours)) if cap_hours else {}
    engagement = _engagement([e.pk for e in due])
    steps = _Steps({e.sequence_id for e in due})
    plan = _Plan()
    for enrollment in due:
        sequence = steps.sequences[enrollment.sequence_id]
        person = people[enrollment.candidate_id]
        enrollment.candidate, enrollment.sequence = person, sequence
        step, occurrence = steps.at(enrollment)
        if step is None:
            plan.completions.append((enrollment, ""))
            continue
        withheld = withdrawn.get(person.pk, set())
        reason = verdict(person, sequence.topic, step.channel, withheld).reason
        if reason in STOP_FOR:
            plan.stops.append((enrollment, STOP_FOR[reason]))
            continue
        later = _postpone_until(step, sequence, person, recent.get(person.pk), now)
        if later is not None:
            enrollment.next_due_at = later
            result.postponed += 1
            continue
        cadence = _next_delay(enrollment, steps, engagement.get(enrollment.pk, []))
        if cadence is not None and cadence.gone_cold:
            plan.completions.append((enrollment, Enrollment.StopReason.GONE_COLD))
            plan.cold.append(person.pk)
            continue
        _queue(plan, enrollment, step, occurrence, sequence, person, reason, now)
        if step.channel == Channel.EMAIL:
            recent[person.pk] = now
        enrollment.step_index += 1
        enrollment.last_sent_at = now
        if _finished(enrollment, steps):
            enrollment.state, enrollment.ended_at = Enrollment.State.COMPLETED, now
            enrollment.next_due_at = None
            plan.finished.append(enrollment)
        else:
            enrollment.next_due_at = _next_due(enrollment, steps, cadence, now)
    return plan


def _finished(enrollment: Enrollment, steps: _Steps) -> bool:
    """Every step queued and no repeat: the enrollment completes with this send."""
    sequence = steps.sequences[enrollment.sequence_id]
    return (
        enrollment.step_index >= len(steps.steps[enrollment.sequence_id])
        and not sequence.repeat_last_every_days
    )


def _postpone_until(
    step: Step, sequence: Sequence, person: Candidate, last_email: datetime | None, now: datetime
) -> datetime | None:
    """The frequency cap (nurture emails) and quiet hours (emails and SMS) postpone."""
    if step.channel == Channel.MANUAL:
        return None
    if step.channel == Channel.EMAIL:
        capped = timing.capped_until(last_email)
        if capped is not None and capped > now:
            return capped
    if sequence.quiet_hours:
        window = timing.next_send_window(now, person.timezone)
        if window > now:
            return window
    return None


def _next_delay(enrollment: Enrollment, steps: _Steps, opened: list[bool]) -> timing.Cadence:
    following = enrollment.step_index + 1
    sequence_steps = steps.steps[enrollment.sequence_id]
    sequence = steps.sequences[enrollment.sequence_id]
    if following < len(sequence_steps):
        hours = sequence_steps[following].delay_hours
    elif sequence.repeat_last_every_days:
        hours = sequence.repeat_last_every_days * 24
    else:
        hours = 0
    return timing.adapt(
        hours, opened=opened, adaptive=sequence.adaptive, cold_after=sequence.cold_after
    )


def _next_due(
    enrollment: Enrollment, steps: _Steps, cadence: timing.Cadence, now: datetime
) -> datetime:
    """When the following step is due: its delay after this send, or after enrollment."""
    sequence_steps = steps.steps[enrollment.sequence_id]
    index = enrollment.step_index
    if index < len(sequence_steps):
        step = sequence_steps[index]
        if step.delay_from == Step.DelayFrom.ENROLLMENT:
            planned = enrollment.enrolled_at + timedelta(hours=step.delay_hours)
            stretch = cadence.delay - timedelta(hours=step.delay_hours)
            return max(now, planned + stretch)
    return now + cadence.delay


def _queue(
    plan: _Plan,
    enrollment: Enrollment,
    step: Step,
    occurrence: int,
    sequence: Sequence,
    person: Candidate,
    reason: str,
    now: datetime,
) -> None:
    message = Message(
        enrollment=enrollment,
        step=step,
        occurrence=occurrence,
        candidate=person,
        channel=step.channel,
        token=secrets.token_hex(12),
        to_address=person.phone if step.channel == Channel.SMS else person.email,
        queued_at=now,
        message_id=mail.new_message_id() if step.channel == Channel.EMAIL else "",
        status=Message.Status.SENT if step.channel == Channel.MANUAL else Message.Status.QUEUED,
        sent_at=now if step.channel == Channel.MANUAL else None,
    )
    if step.channel != Channel.MANUAL and reason == "no_address":
        message.status, message.error = Message.Status.SKIPPED, "no address to send to"
    plan.messages.append(message)
    plan.contexts[id(message)] = templating.merge_context(
        candidate=person, sequence=sequence, job=None
    )
    if step.channel == Channel.MANUAL:
        plan.tasks.append((message, step))


def _write(plan: _Plan, due: list[Enrollment], now: datetime, result: ScheduleResult) -> None:
    created = Message.objects.bulk_create(plan.messages)
    for message in created:
        message_render(message, plan.contexts[id(message)])
    update_rows(Message, created, ["subject", "body_text", "body_html", "status", "error"])
    Task.objects.bulk_create(
        Task(
            owner=message.enrollment.sequence.owner,
            candidate=message.candidate,
            message=message,
            kind=step.task_kind or Step.TaskKind.OTHER,
            title=message.subject or f"{step.get_task_kind_display()}: {message.candidate}",
            body=message.body_text,
            due_at=now,
        )
        for message, step in plan.tasks
    )
    result.queued = sum(1 for m in created if m.status == Message.Status.QUEUED)
    result.tasks = len(plan.tasks)
    update_rows(Enrollment, due, ["step_index", "last_sent_at", "next_due_at", "state", "ended_at"])
    timeline_add_many(
        entries=[
            TimelineEntry(
                candidate_id=e.candidate_id,
                kind=TimelineEntry.Kind.UPDATED,
                summary=f"Completed “{e.sequence.name}” (every step sent)",
                data={"enrollment": e.pk, "reason": ""},
                occurred_at=now,
            )
            for e in plan.finished
        ]
    )
    result.completed += len(plan.finished)
    for enrollment, reason in plan.stops:
        result.stopped += enrollment_stop(enrollment=enrollment, reason=reason)
    for enrollment, reason in plan.completions:
        result.completed += enrollment_complete(enrollment=enrollment, reason=reason)
    if plan.cold:
        candidates_tag(candidate_ids=plan.cold, tags=[GONE_COLD_TAG], actor=None)


def message_render(message: Message, context: dict[str, Any]) -> None:
    """Subject and body from the step's templates (validated when saved), plus the per-message
    links; a render error (a template edited outside the service) fails this message only."""
    context["links"]["keep_me_posted"] = mail.keep_posted_url(message.pk)
    context["links"]["preferences"] = mail.unsubscribe_url(message.pk)
    step = message.step
    try:
        message.subject = templating.render(step.subject, context)[:300]
        body = templating.render(step.body, context)
    except Exception as exc:
        message.status, message.error = Message.Status.FAILED, f"template: {exc}"[:500]
        return
    if message.channel == Channel.EMAIL:
        message.body_text = mail.text_body(body, message.pk)
        message.body_html = mail.html_body(body, message.pk)
    else:
        message.body_text = body


def dispatch(
    *, budget_seconds: float = 25.0, connection: BaseEmailBackend | None = None
) -> tuple[ScheduleResult, SendResult]:
    """Schedule and send until nothing is due or the time budget is spent (one beat tick)."""
    deadline = time.monotonic() + budget_seconds
    scheduled, sent = ScheduleResult(), SendResult()
    while time.monotonic() < deadline:
        step = schedule_due()
        scheduled.queued += step.queued
        if not step.claimed:
            break
    while time.monotonic() < deadline:
        batch = send_queued(connection=connection)
        sent.sent += batch.sent
        sent.failed += batch.failed
        sent.skipped += batch.skipped
        sent.retried += batch.retried
        if not (batch.sent or batch.failed or batch.skipped or batch.retried):
            break
    return scheduled, sent
