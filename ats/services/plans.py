"""Writes of a job's interview plan: the interview types on its stages, each with its kit
(focus attributes to rate, suggested questions, notes for the interviewer). New jobs get
``DEFAULT_INTERVIEW_PLAN``; recruiters add, edit, remove and reorder types on the setup page."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from ..models import InterviewType, Job, Stage
from ..models.interviews import DEFAULT_INTERVIEW_PLAN

MIN_MINUTES = 5
MAX_MINUTES = 480


class PlanRefused(Exception):
    """A plan change that may not happen; ``message`` is for a person, ``field`` names the
    input at fault (None when it is about the whole request)."""

    def __init__(self, message: str, field: str | None = None):
        self.message = message
        self.field = field
        super().__init__(message)


def _lines(value: Any, field: str, limit: int) -> list[str]:
    """A list of non-empty stripped lines from a list or a text with one per line."""
    if isinstance(value, str):
        items = value.splitlines()
    elif isinstance(value, list | tuple):
        items = [str(item) for item in value]
    else:
        raise PlanRefused("Give one per line.", field)
    lines = []
    for item in items:
        line = item.strip()
        if not line:
            continue
        if len(line) > limit:
            raise PlanRefused(f"“{line[:40]}…” is too long (at most {limit} characters).", field)
        if line not in lines:
            lines.append(line)
    return lines


def _clean(job: Job, data: dict[str, Any], *, current: InterviewType | None) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "name" in data or current is None:
        name = str(data.get("name") or "").strip()
        if not name:
            raise PlanRefused("Give the interview a name.", "name")
        if len(name) > 120:
            raise PlanRefused("The name is too long (at most 120 characters).", "name")
        clash = InterviewType.objects.filter(job=job, name__iexact=name)
        if current is not None:
            clash = clash.exclude(pk=current.pk)
        if clash.exists():
            raise PlanRefused(f"This job already has an interview named “{name}”.", "name")
        clean["name"] = name
    if "duration_minutes" in data or current is None:
        minutes = data.get("duration_minutes", 45)
        if isinstance(minutes, bool) or not isinstance(minutes, int):
            raise PlanRefused("The duration must be a whole number of minutes.", "duration_minutes")
        if not MIN_MINUTES <= minutes <= MAX_MINUTES:
            raise PlanRefused(
                f"The duration must be between {MIN_MINUTES} and {MAX_MINUTES} minutes.",
                "duration_minutes",
            )
        clean["duration_minutes"] = minutes
    if "stage" in data or current is None:
        stage = data.get("stage")
        stage_id = getattr(stage, "pk", stage)
        found = Stage.objects.filter(job=job, pk=stage_id).first() if stage_id else None
        if found is None:
            raise PlanRefused("Pick one of this job's stages.", "stage")
        clean["stage"] = found
    if "focus_attributes" in data:
        clean["focus_attributes"] = _lines(data["focus_attributes"], "focus_attributes", 120)
    if "questions" in data:
        clean["questions"] = _lines(data["questions"], "questions", 500)
    if "instructions" in data:
        text = str(data["instructions"] or "").strip()
        if len(text) > 5000:
            raise PlanRefused("The notes are too long (at most 5000 characters).", "instructions")
        clean["instructions"] = text
    return clean


@transaction.atomic
def interview_plan_default(*, job: Job) -> list[InterviewType]:
    """Give a job the default plan (``DEFAULT_INTERVIEW_PLAN``) on its stages of the matching
    kinds; types it already has (by name) are kept."""
    existing = set(InterviewType.objects.filter(job=job).values_list("name", flat=True))
    rows = []
    for stage in Stage.objects.filter(job=job, kind__in=list(DEFAULT_INTERVIEW_PLAN)):
        for position, (name, minutes, attributes, questions) in enumerate(
            DEFAULT_INTERVIEW_PLAN[stage.kind]
        ):
            if name in existing:
                continue
            existing.add(name)
            rows.append(
                InterviewType(
                    job=job,
                    stage=stage,
                    name=name,
                    duration_minutes=minutes,
                    focus_attributes=list(attributes),
                    questions=list(questions),
                    position=position,
                )
            )
    return InterviewType.objects.bulk_create(rows)


def _locked_job(job: Job) -> Job:
    return Job.objects.select_for_update().get(pk=job.pk)


@transaction.atomic
def interview_type_add(*, job: Job, data: dict[str, Any]) -> InterviewType:
    """Add an interview type to a stage of the job, last on that stage. ``data``: ``name``,
    ``stage`` (a stage or its id), ``duration_minutes``, ``focus_attributes`` and
    ``questions`` (lists or one per line), ``instructions``. Raises :class:`PlanRefused`."""
    job = _locked_job(job)
    clean = _clean(job, data, current=None)
    last = InterviewType.objects.filter(job=job, stage=clean["stage"]).aggregate(m=Max("position"))
    clean["position"] = (last["m"] + 1) if last["m"] is not None else 0
    try:
        with transaction.atomic():
            return InterviewType.objects.create(job=job, **clean)
    except IntegrityError:
        raise PlanRefused("This job already has an interview with that name.", "name") from None


@transaction.atomic
def interview_type_update(*, interview_type: InterviewType, data: dict[str, Any]) -> InterviewType:
    """Change the fields ``data`` names (as :func:`interview_type_add`); moving it to another
    stage puts it last there. Interviews already scheduled keep their own title and time."""
    job = _locked_job(interview_type.job)
    current = InterviewType.objects.get(pk=interview_type.pk)
    clean = _clean(job, data, current=current)
    stage = clean.get("stage")
    if stage is not None and stage.pk != current.stage_id:
        last = InterviewType.objects.filter(job=job, stage=stage).aggregate(m=Max("position"))
        clean["position"] = (last["m"] + 1) if last["m"] is not None else 0
    for name, value in clean.items():
        setattr(current, name, value)
    current.save()
    return current


@transaction.atomic
def interview_type_remove(*, interview_type: InterviewType) -> None:
    """Remove a type from the plan. Interviews of that type keep their title, kit-less."""
    _locked_job(interview_type.job)
    InterviewType.objects.filter(pk=interview_type.pk).delete()


@transaction.atomic
def interview_type_move(*, interview_type: InterviewType, direction: str) -> InterviewType:
    """Move a type one place ``up`` or ``down`` among the types of its stage."""
    if direction not in ("up", "down"):
        raise PlanRefused("Move up or down.", "direction")
    job = _locked_job(interview_type.job)
    siblings = list(InterviewType.objects.filter(job=job, stage_id=interview_type.stage_id))
    siblings.sort(key=lambda row: (row.position, row.pk))
    index = next(i for i, row in enumerate(siblings) if row.pk == interview_type.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, row in enumerate(siblings):
        row.position = position
    InterviewType.objects.bulk_update(siblings, ["position"])
    return siblings[other if 0 <= other < len(siblings) else index]
