"""Writes of a job's apply-form questions (the job and its stages: ats.services)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from .models import ApplicationQuestion, Job
from .services import MoveRefused


@transaction.atomic
def question_add(
    *, job: Job, label: str, kind: str, choices: list[str], required: bool
) -> ApplicationQuestion:
    """A new question at the end of the job's apply form."""
    label = label.strip()
    if not label:
        raise MoveRefused("A question needs its text.")
    if kind not in ApplicationQuestion.Kind.values:
        raise MoveRefused(f"Unknown answer kind {kind!r}.")
    if kind == ApplicationQuestion.Kind.CHOICE and len(choices) < 2:
        raise MoveRefused("A choice question needs at least two options.")
    last = job.questions.aggregate(m=Max("position"))["m"]
    return ApplicationQuestion.objects.create(
        job=job,
        label=label,
        kind=kind,
        choices=choices if kind == ApplicationQuestion.Kind.CHOICE else [],
        required=required,
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def question_move(*, question: ApplicationQuestion, offset: int) -> None:
    rows = list(ApplicationQuestion.objects.select_for_update().filter(job=question.job_id))
    index = next(i for i, q in enumerate(rows) if q.pk == question.pk)
    target = index + offset
    if not 0 <= target < len(rows):
        raise MoveRefused("The question is already at that end.")
    rows[index], rows[target] = rows[target], rows[index]
    for position, row in enumerate(rows):
        ApplicationQuestion.objects.filter(pk=row.pk).update(position=position)


@transaction.atomic
def question_delete(*, question: ApplicationQuestion) -> None:
    """Answers already given keep their own copy of the question's text (Application.answers)."""
    question.delete()
