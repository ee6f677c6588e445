"""Merges: "not a duplicate", merge and undo (the possible-duplicates queue and the merge
history are :mod:`crm.selectors.merge`).

A merge moves everything about the loser onto the survivor and keeps the loser's row (hidden,
``merged_into`` set) so it can be undone. :class:`~crm.models.MergeRecord` holds what undo needs:
``loser_snapshot``/``survivor_snapshot`` (scalar fields before the merge) and ``moved``: for each
model label the ids of the rows moved (a model with several foreign keys to Candidate is keyed
``label.field``), plus bookkeeping under ``_``-prefixed keys: ``_skipped`` (the loser's rows left
behind because the survivor already had that phone/skill), ``_skill_years`` (survivor skills whose
years the merge raised: ``{id: [before, after]}``), ``_tags_added`` and ``_written`` (the survivor
fields the merge changed, with the value it wrote).
"""

from __future__ import annotations

import datetime
import json
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models import Case, ForeignObjectRel, Value, When
from django.utils import timezone

from config.core.models import User

from ..models import (
    Candidate,
    CandidateEmail,
    CandidatePhone,
    CandidateSkill,
    DuplicateDismissal,
    MergeRecord,
    ResumeFile,
    TimelineEntry,
)
from ..selectors.candidates import candidates_all_visible_to
from ..types import AnyUser, actor_user
from .candidates import refresh_skill_fields
from .timeline import timeline_add

logger = logging.getLogger(__name__)


class MergeError(Exception):
    """A merge, undo or dismissal was refused; the message is for a person."""


# --------------------------------------------------------------------------- fields

# (choice key, label, attnames): one radio per group on the merge screen.
CHOICE_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("first_name", "First name", ("first_name",)),
    ("last_name", "Last name", ("last_name",)),
    ("email", "Primary email", ("email",)),
    ("phone", "Primary phone", ("phone",)),
    ("linkedin_url", "LinkedIn", ("linkedin_url",)),
    ("github_url", "GitHub", ("github_url",)),
    ("website_url", "Website", ("website_url",)),
    ("location", "Location", ("city", "region", "country")),
    ("timezone", "Time zone", ("timezone",)),
    ("remote_preference", "Remote preference", ("remote_preference",)),
    ("current_title", "Current title", ("current_title",)),
    ("current_company", "Current company", ("current_company",)),
    ("seniority", "Seniority", ("seniority",)),
    ("years_experience", "Years of experience", ("years_experience",)),
    ("summary", "Summary", ("summary",)),
    ("work_history", "Work history", ("work_history",)),
    ("education", "Education", ("education",)),
    ("resume_text", "Resume text", ("resume_text",)),
    ("source", "Source", ("source", "source_detail")),
    ("owner", "Owner", ("owner_id",)),
    ("interest_level", "Interest", ("interest_level",)),
    ("interest_timing", "Interest timing", ("interest_timing",)),
    ("preferred_channel", "Preferred channel", ("preferred_channel",)),
    ("do_not_contact", "Do not contact", ("do_not_contact", "do_not_contact_reason", "do_not_contact_at")),
    ("archived", "Archived", ("archived", "archived_at")),
)  # fmt: skip
GROUP_KEYS = frozenset(key for key, _, _ in CHOICE_GROUPS)
_NOT_SNAPSHOTTED = {
    "id", "search_vector", "name_vector", "head_vector", "merged_into", "created_at", "updated_at",
}  # fmt: skip
SNAPSHOT_FIELDS = tuple(
    f for f in Candidate._meta.concrete_fields if f.name not in _NOT_SNAPSHOTTED
)
# Recomputed or handled on their own; never restored from ``_written``.
_DERIVED = {"skill_slugs", "skills_text", "last_activity_at", "tags"}


def _json_default(value):
    if isinstance(value, datetime.date):  # datetimes too, with microseconds (unlike Django's)
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__} in a merge snapshot")


def _dump(value):
    return json.loads(json.dumps(value, default=_json_default))


def snapshot(candidate: Candidate) -> dict[str, Any]:
    """Every scalar field of ``candidate`` as JSON (attnames; the owner as ``owner_id``)."""
    return {f.attname: _dump(getattr(candidate, f.attname)) for f in SNAPSHOT_FIELDS}


def _restore(candidate: Candidate, values: dict) -> None:
    for f in SNAPSHOT_FIELDS:
        if f.attname not in values:
            continue
        value = f.to_python(values[f.attname])
        # Relations are resolved to model classes once the app registry is ready.
        related = cast("type[models.Model] | None", f.related_model) if f.is_relation else None
        if related and value is not None and not related._base_manager.filter(pk=value).exists():
            value = None  # the user was deleted since (owner is SET_NULL anyway)
        setattr(candidate, f.attname, value)


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _label(candidate: Candidate) -> str:
    return f"{candidate.full_name or candidate.email or 'Candidate'} (#{candidate.pk})"


# --------------------------------------------------------------------------- relations


HANDLED_MODELS = (CandidateEmail, CandidatePhone, CandidateSkill, TimelineEntry, ResumeFile)
BOOKKEEPING_MODELS = (Candidate, MergeRecord, DuplicateDismissal)


@dataclass(frozen=True)
class CandidateRelations:
    handled: tuple[type[models.Model], ...]  # crm's own rows, moved by dedicated code
    bookkeeping: tuple[type[models.Model], ...]  # about records, not the person: never moved
    extras: tuple[tuple[type[models.Model], str], ...]  # (model, fk name): moved generically


def candidate_relations() -> CandidateRelations:
    """Every model with a foreign key (or one-to-one) to Candidate, sorted into the ones this
    module handles itself, bookkeeping, and the rest (other apps' relations, auto-created M2M
    through tables), which a merge moves as they are. Hidden relations (``related_name="+"``)
    are included: ``_meta.related_objects`` would miss them."""
    extras: list[tuple[type[models.Model], str]] = []
    for rel in Candidate._meta.get_fields(include_hidden=True):
        # Auto-created, non-concrete fields are the reverse relations (ForeignObjectRel).
        if not rel.auto_created or rel.concrete or rel.many_to_many:
            continue
        assert isinstance(rel, ForeignObjectRel)
        # Resolved to a model class once the app registry is ready.
        model = cast("type[models.Model]", rel.related_model)
        if model in HANDLED_MODELS or model in BOOKKEEPING_MODELS:
            continue
        if not model._meta.managed or model._meta.proxy:
            continue
        extras.append((model, rel.field.name))
    extras.sort(key=lambda item: (item[0]._meta.label, item[1]))
    return CandidateRelations(HANDLED_MODELS, BOOKKEEPING_MODELS, tuple(extras))


def _candidate_fks(model) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is Candidate
    ]


def _relation_key(model, field_name: str) -> str:
    label = model._meta.label
    return label if len(_candidate_fks(model)) == 1 else f"{label}.{field_name}"


def _resolve_key(key: str):
    app_label, model_name, *rest = key.split(".")
    model = apps.get_model(app_label, model_name)
    return model, rest[0] if rest else _candidate_fks(model)[0]


def _move(model, field_name: str, ids: list[int], target: Candidate) -> None:
    """Point rows ``ids`` at ``target``, in a savepoint: a unique constraint of another app (one
    active application per candidate and job...) refuses the whole merge with its name."""
    if not ids:
        return
    field = model._meta.get_field(field_name)
    try:
        with transaction.atomic():
            model._base_manager.filter(pk__in=ids).update(**{field.attname: target.pk})
    except IntegrityError as exc:
        detail = str(exc).strip().splitlines()[0]
        raise MergeError(
            f"Cannot move the {model._meta.verbose_name_plural}: {model._meta.label} allows only "
            f"one per person ({detail}). Resolve that first; nothing was changed."
        ) from exc


def _ids(queryset) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True))


def _move_rows(survivor: Candidate, loser: Candidate) -> dict:
    moved: dict = {}
    label = {model: model._meta.label for model in HANDLED_MODELS}
    for handled in (CandidateEmail, TimelineEntry, ResumeFile):
        moved[label[handled]] = _ids(handled._base_manager.filter(candidate=loser))
    numbers = set(survivor.phones.values_list("number", flat=True))
    phones = CandidatePhone.objects.filter(candidate=loser)
    moved[label[CandidatePhone]] = _ids(phones.exclude(number__in=numbers))
    kept = {skill.slug: skill for skill in survivor.skills.all()}
    skills = CandidateSkill.objects.filter(candidate=loser)
    moved[label[CandidateSkill]] = _ids(skills.exclude(slug__in=kept))
    skill_years = {}
    for skill in skills.filter(slug__in=kept):
        mine = kept[skill.slug]
        if skill.years is not None and (mine.years is None or skill.years > mine.years):
            skill_years[str(mine.pk)] = [_dump(mine.years), _dump(skill.years)]
            CandidateSkill.objects.filter(pk=mine.pk).update(years=skill.years)
    for key, ids in moved.items():
        _move(apps.get_model(key), "candidate", ids, survivor)
    for model, field_name in candidate_relations().extras:
        ids = _ids(model._base_manager.filter(**{field_name: loser.pk}))
        _move(model, field_name, ids, survivor)
        moved[_relation_key(model, field_name)] = ids
    moved["_skipped"] = {
        label[CandidatePhone]: _ids(phones.filter(number__in=numbers)),
        label[CandidateSkill]: _ids(skills.filter(slug__in=kept)),
    }
    moved["_skill_years"] = skill_years
    return moved


def _sync_primary_flags(candidate: Candidate) -> None:
    """A person's primary email/phone row is the one matching ``email``/``phone`` (as intake
    keeps it); re-derive the flags after rows moved between people."""
    for queryset, field, value in (
        (CandidateEmail.objects, "email", candidate.email),
        (CandidatePhone.objects, "number", candidate.phone),
    ):
        queryset.filter(candidate=candidate).update(
            is_primary=Case(When(**{field: value}, then=Value(True)), default=Value(False))
        )


# --------------------------------------------------------------------------- choices


def merge_forced_choices(*, survivor: Candidate, other: Candidate) -> dict[str, str]:
    """Groups the person merging cannot choose: a do-not-contact flag is never dropped by a
    merge, and an empty primary email/phone never replaces a filled one."""
    forced = {}
    if survivor.do_not_contact != other.do_not_contact:
        forced["do_not_contact"] = "survivor" if survivor.do_not_contact else "other"
    for key in ("email", "phone"):
        mine, theirs = getattr(survivor, key), getattr(other, key)
        if bool(mine) != bool(theirs):
            forced[key] = "survivor" if mine else "other"
    return forced


def merge_field_choices(
    *, survivor: Candidate, other: Candidate, field_choices: dict[str, str] | None = None
) -> dict[str, str]:
    """The choice for every group: the given one, else the survivor's value when it is not
    empty, else the other's; forced groups (:func:`merge_forced_choices`) win."""
    field_choices = field_choices or {}
    unknown = sorted(set(field_choices) - GROUP_KEYS)
    if unknown:
        raise MergeError(f"Unknown field(s) to merge: {', '.join(unknown)}.")
    result = {}
    for key, label, attnames in CHOICE_GROUPS:
        choice = field_choices.get(key)
        if choice not in (None, "survivor", "other"):
            raise MergeError(f"{label}: choose the survivor's or the other record's value.")
        if choice is None:
            mine_empty = all(_empty(getattr(survivor, name)) for name in attnames)
            theirs_empty = all(_empty(getattr(other, name)) for name in attnames)
            choice = "other" if mine_empty and not theirs_empty else "survivor"
        result[key] = choice
    result.update(merge_forced_choices(survivor=survivor, other=other))
    return result


# --------------------------------------------------------------------------- services


def _lock(*pks: int) -> dict[int, Candidate]:
    """Lock the rows in id order (two merges sharing a record never deadlock)."""
    rows = Candidate.objects.select_for_update().filter(pk__in=pks).order_by("pk")
    found = {row.pk: row for row in rows}
    if len(found) != len(set(pks)):
        raise MergeError("One of these records does not exist.")
    return found


def _check_live_and_visible(actor: AnyUser, *candidates: Candidate) -> None:
    for candidate in candidates:
        if candidate.merged_into_id:
            raise MergeError(
                f"{_label(candidate)} was already merged into record #{candidate.merged_into_id}."
            )
    if not candidates_all_visible_to(actor, [c.pk for c in candidates]):
        raise MergeError("You do not have access to one of these records.")


def _actor(actor: AnyUser) -> User | None:
    return actor_user(actor)


@transaction.atomic
def duplicate_dismiss(*, a: Candidate, b: Candidate, actor: AnyUser) -> DuplicateDismissal:
    """Record that two records are different people, so the queue stops listing them.
    Idempotent: dismissing a pair again returns the first dismissal."""
    if a.pk == b.pk:
        raise MergeError("A record cannot be a duplicate of itself.")
    low, high = sorted((a.pk, b.pk))
    if not candidates_all_visible_to(actor, (low, high)):
        raise MergeError("You do not have access to one of these records.")
    DuplicateDismissal.objects.bulk_create(
        [DuplicateDismissal(low_id=low, high_id=high, dismissed_by=_actor(actor))],
        ignore_conflicts=True,
    )
    return DuplicateDismissal.objects.get(low_id=low, high_id=high)


@transaction.atomic
def candidate_merge(
    *, survivor: Candidate, other: Candidate, field_choices: dict[str, str], actor: AnyUser
) -> MergeRecord:
    """Merge ``other`` into ``survivor``: emails, phones, skills, timeline, resumes, tags and
    every other app's rows move to the survivor; the chosen values are written to it; the
    other row stays (``merged_into`` set, email and phone cleared) so :func:`merge_undo` can
    take it apart again. Raises :class:`MergeError` and changes nothing when refused."""
    if survivor.pk == other.pk:
        raise MergeError("A record cannot be merged with itself.")
    rows = _lock(survivor.pk, other.pk)
    survivor, loser = rows[survivor.pk], rows[other.pk]
    _check_live_and_visible(actor, survivor, loser)
    choices = merge_field_choices(survivor=survivor, other=loser, field_choices=field_choices)
    survivor_before, loser_before = snapshot(survivor), snapshot(loser)
    loser_label = _label(loser)
    # Free the loser's primary email first: Candidate.email is unique.
    Candidate.objects.filter(pk=loser.pk).update(email="", phone="", merged_into=survivor)
    moved = _move_rows(survivor, loser)

    for key, _, attnames in CHOICE_GROUPS:
        if choices[key] == "other":
            for name in attnames:
                setattr(survivor, name, getattr(loser, name))
    taken = {n for key, _, names in CHOICE_GROUPS if choices[key] == "other" for n in names}
    survivor.edited_fields = sorted({*survivor.edited_fields, *(taken & set(loser.edited_fields))})
    tags_added = [tag for tag in loser.tags if tag not in survivor.tags]
    survivor.tags = [*survivor.tags, *tags_added]
    survivor.save()
    after = snapshot(survivor)
    moved["_tags_added"] = tags_added
    moved["_written"] = {
        name: value
        for name, value in after.items()
        if value != survivor_before[name] and name not in _DERIVED
    }
    loser.refresh_from_db()
    for candidate in (survivor, loser):
        _sync_primary_flags(candidate)
        refresh_skill_fields(candidate=candidate)

    record = MergeRecord.objects.create(
        survivor=survivor,
        loser=loser,
        performed_by=_actor(actor),
        loser_snapshot=loser_before,
        survivor_snapshot=survivor_before,
        moved=moved,
    )
    timeline_add(
        candidate=survivor,
        kind=TimelineEntry.Kind.MERGE,
        summary=f"Merged with {loser_label}",
        actor=actor,
        data={"merge_id": record.pk, "loser_id": loser.pk},
    )
    return record


def _restore_survivor(survivor: Candidate, merge: MergeRecord) -> None:
    """Put back the survivor's own values, but only where the field still holds what the merge
    wrote: anything edited or added since the merge stays."""
    current = snapshot(survivor)
    restore = {
        name: merge.survivor_snapshot[name]
        for name, written in merge.moved.get("_written", {}).items()
        if current.get(name) == written and name in merge.survivor_snapshot
    }
    _restore(survivor, restore)
    added = set(merge.moved.get("_tags_added", []))
    survivor.tags = [tag for tag in survivor.tags if tag not in added]
    survivor.save()


@transaction.atomic
def merge_undo(*, merge: MergeRecord, actor: AnyUser) -> MergeRecord:
    """Take a merge apart: the moved rows go back (by their recorded ids), both records get
    their own field values back, the loser is live again. Data added to the survivor after the
    merge stays with the survivor. Refused when already undone, or when the survivor has since
    been merged away (that later merge must be undone first)."""
    merge = MergeRecord.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at:
        raise MergeError(f"This merge was already undone on {merge.undone_at:%Y-%m-%d %H:%M}.")
    rows = _lock(merge.survivor_id, merge.loser_id)
    survivor, loser = rows[merge.survivor_id], rows[merge.loser_id]
    if survivor.merged_into_id:
        raise MergeError(
            f"{_label(survivor)} has since been merged into record #{survivor.merged_into_id}. "
            "Undo that later merge first."
        )
    if loser.merged_into_id != survivor.pk:
        raise MergeError(f"{_label(loser)} is no longer merged into {_label(survivor)}.")
    if not candidates_all_visible_to(actor, [survivor.pk]):
        raise MergeError("You do not have access to this record.")

    _restore_survivor(survivor, merge)
    _restore(loser, merge.loser_snapshot)
    loser.merged_into = None
    if loser.email and Candidate.objects.filter(email=loser.email).exclude(pk=loser.pk).exists():
        raise MergeError(f"{loser.email} is now the primary email of another record.")
    loser.save()
    for key, ids in merge.moved.items():
        if key.startswith("_"):
            continue
        try:
            model, field_name = _resolve_key(key)
        except LookupError:
            logger.warning("merge %s: %s is no longer installed; its rows stay", merge.pk, key)
            continue
        field = model._meta.get_field(field_name)
        still_there = model._base_manager.filter(pk__in=ids, **{field.attname: survivor.pk})
        _move(model, field_name, _ids(still_there), loser)
    years = CandidateSkill._meta.get_field("years")
    for skill_id, (before, after) in merge.moved.get("_skill_years", {}).items():
        CandidateSkill.objects.filter(pk=skill_id, years=years.to_python(after)).update(
            years=years.to_python(before)
        )
    for candidate in (survivor, loser):
        _sync_primary_flags(candidate)
        refresh_skill_fields(candidate=candidate)

    merge.undone_at = timezone.now()
    merge.undone_by = _actor(actor)
    merge.save(update_fields=["undone_at", "undone_by"])
    data = {"merge_id": merge.pk}
    kind = TimelineEntry.Kind.UNMERGE
    summary = f"Merge with {_label(loser)} undone"
    timeline_add(candidate=survivor, kind=kind, summary=summary, actor=actor, data=data)
    summary = f"Separated again from {_label(survivor)}"
    timeline_add(candidate=loser, kind=kind, summary=summary, actor=actor, data=data)
    return merge
