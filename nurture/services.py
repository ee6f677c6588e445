"""Writes of the nurture engine: sequences with validated steps, enrollments and their ends.
(Sending: nurture.dispatch. Tracking and inbound mail: nurture.tracking, nurture.inbound.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.consent import may_contact
from crm.models import Candidate, TimelineEntry
from crm.services import timeline_add

from . import templating
from .models import Channel, Enrollment, Message, Sequence, Step


class NurtureError(Exception):
    """Refused input or action; ``message`` is for a person, ``problems`` per field."""

    def __init__(self, message: str, problems: list | None = None):
        self.message = message
        self.problems = problems or []
        super().__init__(message)


@dataclass
class StepInput:
    channel: str = Channel.EMAIL
    delay_hours: int = 0
    delay_from: str = Step.DelayFrom.PREVIOUS
    subject: str = ""
    body: str = ""
    task_kind: str = ""


def step_problems(data: StepInput, index: int | None = None) -> list[str]:
    """Everything wrong with one step, each naming the field (and line for templates)."""
    where = f"step {index + 1}: " if index is not None else ""
    problems = []
    if data.channel not in Channel.values:
        problems.append(f"{where}channel must be one of {', '.join(Channel.values)}")
    if not isinstance(data.delay_hours, int) or data.delay_hours < 0:
        problems.append(f"{where}delay_hours must be a whole number of hours, 0 or more")
    if data.delay_from not in Step.DelayFrom.values:
        problems.append(f"{where}delay_from must be previous or enrollment")
    if data.channel == Channel.EMAIL and not (data.subject or "").strip():
        problems.append(f"{where}an email step needs a subject")
    if data.channel in (Channel.EMAIL, Channel.SMS) and not (data.body or "").strip():
        problems.append(f"{where}the body is empty")
    if data.channel == Channel.MANUAL and data.task_kind not in Step.TaskKind.values:
        problems.append(f"{where}a manual step needs a task kind (linkedin, call, other)")
    for name in ("subject", "body"):
        problems += [f"{where}{p}" for p in templating.validate(getattr(data, name), name)]
    return problems


def _step_kwargs(data: StepInput) -> dict:
    return {
        "channel": data.channel,
        "delay_hours": data.delay_hours,
        "delay_from": data.delay_from,
        "subject": data.subject,
        "body": data.body,
        "task_kind": data.task_kind if data.channel == Channel.MANUAL else "",
    }


@transaction.atomic
def sequence_create(*, name: str, owner, steps: list[StepInput], **fields) -> Sequence:
    """A sequence with its steps, all validated first (nothing is stored on any problem)."""
    problems = []
    if not (name or "").strip():
        problems.append("name: a sequence needs a name")
    for index, step in enumerate(steps):
        problems += step_problems(step, index)
    if problems:
        raise NurtureError("The sequence was not saved.", problems)
    sequence = Sequence.objects.create(name=name.strip(), owner=owner, **fields)
    Step.objects.bulk_create(
        Step(sequence=sequence, position=index, **_step_kwargs(step))
        for index, step in enumerate(steps)
    )
    return sequence


@transaction.atomic
def step_save(*, sequence: Sequence, data: StepInput, step: Step | None = None) -> Step:
    """Add a step at the end, or change one; validated like sequence_create."""
    problems = step_problems(data)
    if problems:
        raise NurtureError("The step was not saved.", problems)
    if step is None:
        position = sequence.steps.count()
        return Step.objects.create(sequence=sequence, position=position, **_step_kwargs(data))
    for key, value in _step_kwargs(data).items():
        setattr(step, key, value)
    step.save()
    return step


@transaction.atomic
def step_move(*, step: Step, offset: int) -> None:
    steps = list(Step.objects.select_for_update().filter(sequence=step.sequence_id))
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    target = index + offset
    if not 0 <= target < len(steps):
        raise NurtureError("The step is already at that end.")
    steps[index], steps[target] = steps[target], steps[index]
    for position, row in enumerate(steps):
        Step.objects.filter(pk=row.pk).update(position=position)


@transaction.atomic
def step_delete(*, step: Step) -> None:
    """A step that was sent keeps its messages; it cannot be deleted (edit it instead)."""
    if Message.objects.filter(step=step).exists():
        raise NurtureError("This step has been sent to people; edit it instead of deleting it.")
    sequence_id = step.sequence_id
    step.delete()
    for position, row in enumerate(Step.objects.filter(sequence=sequence_id)):
        Step.objects.filter(pk=row.pk).update(position=position)


# --------------------------------------------------------------------------- enrollment


def first_due_at(sequence: Sequence, now) -> timezone.datetime | None:
    first = sequence.steps.order_by("position", "id").first()
    if first is None:
        return None
    return now + timedelta(hours=first.delay_hours)


def enroll(*, candidate: Candidate, sequence: Sequence, actor=None, job=None) -> Enrollment:
    """Put a person into a sequence; refused (NurtureError with the reason) when they may not
    be contacted about the sequence's topic, when they are already in it, or when the sequence
    has no steps. The first step becomes due after its delay."""
    verdict = may_contact(candidate, sequence.topic)
    if not verdict and verdict.reason != "no_address":
        raise NurtureError(f"{candidate} cannot be enrolled: {verdict.detail}.")
    if sequence.archived:
        raise NurtureError("This sequence is archived.")
    now = timezone.now()
    due = first_due_at(sequence, now)
    if due is None:
        raise NurtureError("This sequence has no steps yet.")
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                candidate=candidate,
                sequence=sequence,
                enrolled_at=now,
                enrolled_by=actor if getattr(actor, "is_authenticated", False) else None,
                next_due_at=due,
                job=job,
            )
            timeline_add(
                candidate=candidate,
                kind=TimelineEntry.Kind.UPDATED,
                summary=f"Enrolled in “{sequence.name}”",
                actor=actor,
                data={"enrollment": enrollment.pk, "sequence": sequence.pk},
                occurred_at=now,
            )
    except IntegrityError:
        raise NurtureError(f"{candidate} is already in “{sequence.name}”.") from None
    return enrollment


@dataclass
class BulkEnrollResult:
    enrolled: list[int]
    refused: dict[int, str]


def enroll_many(*, candidate_ids: list[int], sequence: Sequence, actor=None) -> BulkEnrollResult:
    result = BulkEnrollResult([], {})
    for candidate in Candidate.objects.filter(pk__in=candidate_ids, merged_into__isnull=True):
        try:
            enroll(candidate=candidate, sequence=sequence, actor=actor)
            result.enrolled.append(candidate.pk)
        except NurtureError as exc:
            result.refused[candidate.pk] = exc.message
    return result


def _end(enrollment: Enrollment, state: str, reason: str, actor, now) -> bool:
    updated = Enrollment.objects.filter(
        pk=enrollment.pk, state__in=[Enrollment.State.ACTIVE, Enrollment.State.PAUSED]
    ).update(state=state, stop_reason=reason, ended_at=now, next_due_at=None)
    if not updated:
        return False
    enrollment.state, enrollment.stop_reason, enrollment.ended_at = state, reason, now
    label = Enrollment.StopReason(reason).label.lower() if reason else "finished"
    verb = "Completed" if state == Enrollment.State.COMPLETED else "Stopped"
    timeline_add(
        candidate=enrollment.candidate,
        kind=TimelineEntry.Kind.UPDATED,
        summary=f"{verb} “{enrollment.sequence.name}” ({label})",
        actor=actor,
        data={"enrollment": enrollment.pk, "reason": reason},
        occurred_at=now,
    )
    return True


@transaction.atomic
def enrollment_stop(*, enrollment: Enrollment, reason: str, actor=None) -> bool:
    """Stop a live enrollment (idempotent: False when it had already ended)."""
    if reason not in Enrollment.StopReason.values:
        raise NurtureError(f"Unknown stop reason {reason!r}.")
    return _end(enrollment, Enrollment.State.STOPPED, reason, actor, timezone.now())


@transaction.atomic
def enrollment_complete(*, enrollment: Enrollment, reason: str = "") -> bool:
    return _end(enrollment, Enrollment.State.COMPLETED, reason, None, timezone.now())


@transaction.atomic
def stop_all_for(*, candidate: Candidate, reason: str, topic: str | None = None, actor=None) -> int:
    """Stop every live enrollment of the person (of one topic's sequences, when given)."""
    live = Enrollment.objects.filter(
        candidate=candidate, state__in=[Enrollment.State.ACTIVE, Enrollment.State.PAUSED]
    ).select_related("sequence", "candidate")
    if topic and topic != "all":
        live = live.filter(sequence__topic=topic)
    return sum(enrollment_stop(enrollment=e, reason=reason, actor=actor) for e in live)


@transaction.atomic
def enrollment_pause(*, enrollment: Enrollment, actor=None) -> bool:
    return bool(
        Enrollment.objects.filter(pk=enrollment.pk, state=Enrollment.State.ACTIVE).update(
            state=Enrollment.State.PAUSED
        )
    )


@transaction.atomic
def enrollment_resume(*, enrollment: Enrollment, actor=None) -> bool:
    """Resume; a step that fell due while paused goes out at the next tick."""
    return bool(
        Enrollment.objects.filter(pk=enrollment.pk, state=Enrollment.State.PAUSED).update(
            state=Enrollment.State.ACTIVE
        )
    )


# --------------------------------------------------------------------------- tasks and alerts


def task_complete(*, task) -> bool:
    """Mark a manual-step task done; False when it already was (a conditional update)."""
    from .models import Task

    return bool(
        Task.objects.filter(pk=task.pk, done_at__isnull=True).update(done_at=timezone.now())
    )


def alerts_mark_seen(*, alerts, alert_id: int | None = None) -> int:
    """Mark the unseen ones among ``alerts`` (a queryset the caller may see) seen, or only
    ``alert_id``; returns how many changed."""
    from .models import Alert

    unseen = Alert.objects.filter(pk__in=alerts.values("pk"), seen_at__isnull=True)
    if alert_id is not None:
        unseen = unseen.filter(pk=alert_id)
    return unseen.update(seen_at=timezone.now())
