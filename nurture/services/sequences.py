"""Writes of sequences and their steps, validated before anything is stored, and the install
of the built-in sequences (their texts: :mod:`nurture.builtin`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps as django_apps
from django.db import transaction

from nurture import templating
from nurture.builtin import BUILTIN_SEQUENCES, JOB_ALERTS
from nurture.models import Channel, Message, Sequence, Step
from nurture.services.errors import NurtureError

if TYPE_CHECKING:
    from django.apps.registry import Apps

    from config.core.models import User

# The settings a recruiter edits on the sequence page (the steps have their own service).
SETTINGS_FIELDS = (
    "name",
    "from_name",
    "from_email",
    "reply_to",
    "topic",
    "quiet_hours",
    "adaptive",
    "cold_after",
    "stop_on_application",
    "repeat_last_every_days",
    "archived",
)


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


def _step_kwargs(data: StepInput) -> dict[str, Any]:
    return {
        "channel": data.channel,
        "delay_hours": data.delay_hours,
        "delay_from": data.delay_from,
        "subject": data.subject,
        "body": data.body,
        "task_kind": data.task_kind if data.channel == Channel.MANUAL else "",
    }


@transaction.atomic
def sequence_create(
    *, name: str, owner: User | None, steps: list[StepInput], **fields: Any
) -> Sequence:
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


def sequence_update(*, sequence: Sequence, settings: dict[str, Any]) -> Sequence:
    """Save a sequence's settings (the sequence page's form, already validated): each key of
    ``settings`` that is one of :data:`SETTINGS_FIELDS`; the steps are left as they are."""
    for name, value in settings.items():
        if name in SETTINGS_FIELDS:
            setattr(sequence, name, value)
    sequence.save()
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
    """Swap the step with its neighbour ``offset`` places away (-1 up, 1 down)."""
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


# --------------------------------------------------------------------------- built-in sequences


@transaction.atomic
def ensure_builtin_sequences(apps: Apps | None = None) -> list[str]:
    """Create the built-in sequences whose key is missing; returns the keys created. Existing
    rows (perhaps edited by a recruiter) are left exactly as they are."""
    return create_missing(apps or django_apps, [*BUILTIN_SEQUENCES, JOB_ALERTS])


def create_missing(apps: Apps, definitions: list[dict[str, Any]]) -> list[str]:
    """The shared body of :func:`ensure_builtin_sequences` and migrations 0002 and 0004 (which
    carry their own copies of this function too)."""
    sequence_model = apps.get_model("nurture", "Sequence")
    step_model = apps.get_model("nurture", "Step")
    existing = set(
        sequence_model.objects.filter(builtin_key__isnull=False).values_list(
            "builtin_key", flat=True
        )
    )
    created = []
    for definition in definitions:
        if definition["builtin_key"] in existing:
            continue
        sequence = sequence_model.objects.create(
            name=definition["name"],
            builtin_key=definition["builtin_key"],
            owner=None,
            topic=definition.get("topic", "nurture"),
            **definition["fields"],
        )
        step_model.objects.bulk_create(
            step_model(sequence=sequence, position=position, **step)
            for position, step in enumerate(definition["steps"])
        )
        created.append(definition["builtin_key"])
    return created
