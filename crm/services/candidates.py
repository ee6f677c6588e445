"""Writes to the candidate record. Every intake goes through :func:`candidate_upsert`; a
recruiter's edit through :func:`candidate_update` (or the form's use cases :func:`candidate_add`
and :func:`candidate_edit`); tags, do-not-contact and owner/source have their own services."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .. import normalize
from ..models import (
    Candidate,
    CandidateEmail,
    CandidatePhone,
    CandidateSkill,
    Channel,
    InterestLevel,
    InterestTiming,
    RemotePreference,
    Seniority,
    Source,
    TimelineEntry,
)
from ..selectors.candidates import candidate_survivor
from ..types import Actor, actor_user
from .errors import CandidateInputError
from .pools import pools_refresh_queue
from .timeline import timeline_add

# Scalar fields an intake may fill. Lists (emails, phones, skills, tags) are merged separately.
SCALAR_FIELDS = (
    "first_name", "last_name", "linkedin_url", "github_url", "website_url", "city", "region",
    "country", "remote_preference", "timezone", "current_title", "current_company", "seniority",
    "years_experience", "summary", "source_detail", "interest_level", "interest_timing",
    "preferred_channel", "work_history", "education",
)  # fmt: skip
_CHOICES = {
    "seniority": Seniority,
    "interest_level": InterestLevel,
    "interest_timing": InterestTiming,
    "preferred_channel": Channel,
    "remote_preference": RemotePreference,
    "source": Source,
}
_MAX_LENGTHS: dict[str, int] = {
    f.name: f.max_length for f in Candidate._meta.fields if f.max_length
}


@dataclass
class UpsertResult:
    candidate: Candidate
    created: bool
    changed_fields: list[str] = field(default_factory=list)
    matched_by: str | None = None

    @property
    def changed(self) -> bool:
        return self.created or bool(self.changed_fields)


@dataclass
class CleanInput:
    emails: list[str]
    phones: list[str]
    scalars: dict
    skills: list[tuple[str, Decimal | None]]
    tags: list[str]
    source: str | None


# --------------------------------------------------------------------------- input cleaning


def _clean_choice(name: str, value) -> str:
    value = (value or "").strip().lower().replace(" ", "_").replace("-", "_")
    choices = _CHOICES[name]
    if value in choices.values:
        return value
    by_label = {label.lower().replace(" ", "_"): key for key, label in choices.choices}
    if value in by_label:
        return by_label[value]
    allowed = ", ".join(v for v in choices.values if v)
    raise normalize.InvalidValue(f"{value!r} is not one of: {allowed}")


def _clean_years(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        years = Decimal(str(value).strip()).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise normalize.InvalidValue(f"{value!r} is not a number of years") from None
    if years < 0 or years > 80:
        raise normalize.InvalidValue(f"{value} is not a plausible number of years")
    return years


def _as_list(value) -> list:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [part for part in (p.strip() for p in value.replace(";", ",").split(",")) if part]
    return list(value)


def _clean_skills(value) -> list[tuple[str, Decimal | None]]:
    skills = []
    for item in _as_list(value):
        if isinstance(item, dict):
            name, years = str(item.get("name", "")).strip(), _clean_years(item.get("years"))
        else:
            name, years = str(item).strip(), None
        if name:
            skills.append((name[:200], years))
    return skills


def clean_input(data: dict) -> CleanInput:
    """Validate and normalize an intake payload; raises :class:`CandidateInputError`."""
    errors: dict[str, str] = {}

    def attempt(name, func, *args):
        try:
            return func(*args)
        except normalize.InvalidValue as exc:
            errors[name] = str(exc)
            return None

    emails = []
    for name in ("email", "emails"):
        for raw in _as_list(data.get(name)):
            email = attempt(name, normalize.normalize_email, str(raw))
            if email and email not in emails:
                emails.append(email)
    country = attempt("country", normalize.normalize_country, data.get("country") or "")
    phones = []
    for name in ("phone", "phones"):
        for raw in _as_list(data.get(name)):
            phone = attempt(name, normalize.normalize_phone, str(raw), country or None)
            if phone and phone not in phones:
                phones.append(phone)

    scalars = {}
    for name in SCALAR_FIELDS:
        if name not in data or data[name] is None:
            continue
        value = data[name]
        if name == "linkedin_url":
            value = attempt(name, normalize.normalize_linkedin, str(value))
        elif name in ("github_url", "website_url"):
            value = attempt(name, normalize.normalize_url, str(value))
        elif name == "country":
            value = country
        elif name in _CHOICES:
            value = attempt(name, _clean_choice, name, str(value)) if str(value).strip() else ""
        elif name == "years_experience":
            value = attempt(name, _clean_years, value)
        elif name in ("work_history", "education"):
            if not isinstance(value, list):
                errors[name] = "must be a list"
                continue
        else:
            value = str(value).strip()
            if len(value) > _MAX_LENGTHS.get(name, 10**9):
                errors[name] = f"is longer than {_MAX_LENGTHS[name]} characters"
                continue
        if name not in errors and value not in (None, "", []):
            scalars[name] = value

    source = None
    if data.get("source"):
        source = attempt("source", _clean_choice, "source", str(data["source"]))
    skills = []
    try:
        skills = _clean_skills(data.get("skills"))
    except normalize.InvalidValue as exc:
        errors["skills"] = str(exc)
    tags = normalize.normalize_tags(_as_list(data.get("tags")))
    if errors:
        raise CandidateInputError(errors)
    return CleanInput(emails, phones, scalars, skills, tags, source)


# --------------------------------------------------------------------------- matching


def _lock_keys(clean: CleanInput) -> None:
    """Serialise concurrent intakes of the same person: an advisory lock per identity key, taken
    in a fixed order (no deadlocks), held until the transaction ends."""
    keys = sorted(
        {f"e:{e}" for e in clean.emails}
        | {f"p:{p}" for p in clean.phones}
        | ({f"l:{clean.scalars['linkedin_url']}"} if clean.scalars.get("linkedin_url") else set())
    )
    with connection.cursor() as cursor:
        for key in keys:
            digest = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [digest])


def candidate_match(clean: CleanInput) -> tuple[Candidate | None, str | None]:
    """Find the person: by normalized email, then LinkedIn URL, then phone."""
    if clean.emails:
        found = (
            CandidateEmail.objects.filter(email__in=clean.emails)
            .select_related("candidate")
            .first()
        )
        if found:
            return candidate_survivor(found.candidate), "email"
    linkedin = clean.scalars.get("linkedin_url")
    if linkedin:
        person = Candidate.objects.filter(linkedin_url=linkedin, merged_into__isnull=True).first()
        if person:
            return person, "linkedin"
    if clean.phones:
        phone = (
            CandidatePhone.objects.filter(
                number__in=clean.phones, candidate__merged_into__isnull=True
            )
            .select_related("candidate")
            .first()
        )
        if phone:
            return phone.candidate, "phone"
    return None, None


# --------------------------------------------------------------------------- writes


def candidate_skills_add(
    *, candidate: Candidate, skills: Sequence[tuple[str, Decimal | None]], origin: str
) -> bool:
    """Add skills (name, years) to the person; years replace what an import or parse said,
    never what a recruiter set. Returns whether anything changed."""
    changed = False
    existing = {s.slug: s for s in candidate.skills.all()}
    for name, years in skills:
        slug, display, known = normalize.skill_entry(name)
        current = existing.get(slug)
        if current is None:
            existing[slug] = CandidateSkill.objects.create(
                candidate=candidate,
                slug=slug,
                name=display,
                in_taxonomy=known,
                years=years,
                origin=origin,
            )
            changed = True
        elif years is not None and current.years != years and current.origin != "recruiter":
            current.years = years
            current.save(update_fields=["years"])
            changed = True
    if changed:
        refresh_skill_fields(candidate=candidate)
    return changed


def refresh_skill_fields(*, candidate: Candidate) -> None:
    """Recompute the denormalized skill columns the search uses."""
    skills = list(candidate.skills.order_by("name").values_list("slug", "name"))
    candidate.skill_slugs = [slug for slug, _ in skills]
    candidate.skills_text = ", ".join(name for _, name in skills)
    Candidate.objects.filter(pk=candidate.pk).update(
        skill_slugs=candidate.skill_slugs, skills_text=candidate.skills_text
    )


def _add_emails(candidate: Candidate, emails: list[str]) -> bool:
    changed = False
    for email in emails:
        if not CandidateEmail.objects.filter(email=email).exists():
            CandidateEmail.objects.create(
                candidate=candidate, email=email, is_primary=not candidate.email
            )
            changed = True
        if not candidate.email:
            candidate.email = email
            changed = True
    return changed


def _add_phones(candidate: Candidate, phones: list[str]) -> bool:
    changed = False
    for phone in phones:
        _, made = CandidatePhone.objects.get_or_create(
            candidate=candidate, number=phone, defaults={"is_primary": not candidate.phone}
        )
        changed |= made
        if not candidate.phone:
            candidate.phone = phone
            changed = True
    return changed


def _create(clean: CleanInput, *, actor: Actor, source: str, origin: str) -> Candidate:
    candidate = Candidate(**clean.scalars, source=clean.source or source, tags=clean.tags)
    if origin == "recruiter":
        candidate.edited_fields = sorted(clean.scalars)
    owner = actor_user(actor)
    if owner is not None:
        candidate.owner = owner
    candidate.save()
    _add_emails(candidate, clean.emails)
    _add_phones(candidate, clean.phones)
    candidate.save(update_fields=["email", "phone"])
    candidate_skills_add(candidate=candidate, skills=clean.skills, origin=origin)
    return candidate


# Public intake (the career page, later signup forms): anyone can type anyone's address, so
# what it sends only fills fields that are empty; it never replaces what we already hold.
PUBLIC_ORIGINS = frozenset({"career_page", "talent_community"})


def _update(candidate: Candidate, clean: CleanInput, *, origin: str) -> list[str]:
    changed = []
    trusted = origin not in PUBLIC_ORIGINS
    for name, value in clean.scalars.items():
        current = getattr(candidate, name)
        if current == value:
            continue
        recruiter_owned = name in candidate.edited_fields
        replaceable = origin == "recruiter" or (trusted and not recruiter_owned)
        if current in (None, "", []) or replaceable:
            setattr(candidate, name, value)
            changed.append(name)
            if origin == "recruiter" and not recruiter_owned:
                candidate.edited_fields = sorted({*candidate.edited_fields, name})
    new_tags = [t for t in clean.tags if t not in candidate.tags]
    if new_tags:
        candidate.tags = [*candidate.tags, *new_tags]
        changed.append("tags")
    if _add_emails(candidate, clean.emails):
        changed.append("emails")
    if _add_phones(candidate, clean.phones):
        changed.append("phones")
    if changed:
        candidate.save()
    if candidate_skills_add(candidate=candidate, skills=clean.skills, origin=origin):
        changed.append("skills")
    return changed


def candidate_upsert(
    *,
    data: dict[str, Any],
    actor: Actor = None,
    source: str = Source.SOURCED,
    origin: str = "import",
    channel_summary: str = "",
) -> UpsertResult:
    """Look up before create: match by email, then LinkedIn URL, then phone; create the person
    if none matches, otherwise add what is new. Values a recruiter edited are never overwritten
    by an import (``origin != "recruiter"``). Safe under concurrency: two intakes of the same
    address (any case or spacing) end in one row."""
    clean = clean_input(data)
    identity = clean.emails or clean.phones or clean.scalars.get("linkedin_url")
    if not identity and not (clean.scalars.get("first_name") or clean.scalars.get("last_name")):
        raise CandidateInputError({"email": "an email, phone, LinkedIn URL or name is required"})
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _upsert_locked(clean, actor, source, origin, channel_summary)
        except IntegrityError:
            # Another writer created the same address between our lookup and insert (possible
            # only for keys we could not lock, e.g. a second address); look up again.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _upsert_locked(
    clean: CleanInput, actor: Actor, source: str, origin: str, channel_summary: str
) -> UpsertResult:
    _lock_keys(clean)
    candidate, matched_by = candidate_match(clean)
    label = channel_summary or {"import": "import", "recruiter": "a recruiter"}.get(origin, origin)
    if candidate is None:
        candidate = _create(clean, actor=actor, source=source, origin=origin)
        timeline_add(
            candidate=candidate,
            kind=TimelineEntry.Kind.IMPORT if origin == "import" else TimelineEntry.Kind.CREATED,
            summary=f"Added by {label}",
            actor=actor,
            data={"source": candidate.source},
        )
        return UpsertResult(candidate, True, [], None)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    changed = _update(candidate, clean, origin=origin)
    if changed:
        kind = TimelineEntry.Kind.IMPORT if origin != "recruiter" else TimelineEntry.Kind.UPDATED
        timeline_add(
            candidate=candidate,
            kind=kind,
            summary=f"Updated by {label}: {', '.join(changed)}",
            actor=actor,
            data={"fields": changed, "matched_by": matched_by},
        )
    return UpsertResult(candidate, False, changed, matched_by)


@transaction.atomic
def candidate_update(*, candidate: Candidate, data: dict[str, Any], actor: Actor) -> list[str]:
    """A recruiter's edit: values set here become recruiter-owned (imports will keep them)."""
    clean = clean_input(data)
    if clean.emails:
        owner = (
            CandidateEmail.objects.filter(email__in=clean.emails)
            .exclude(candidate=candidate)
            .first()
        )
        if owner:
            raise CandidateInputError({"email": f"{owner.email} belongs to another candidate"})
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    changed = _update(candidate, clean, origin="recruiter")
    if changed:
        edit_record(candidate=candidate, fields=changed, actor=actor)
        pools_refresh_queue(candidate_ids=[candidate.pk])
    return changed


def edit_record(*, candidate: Candidate, fields: list[str], actor: Actor) -> TimelineEntry:
    """The timeline entry for a recruiter's edit of ``fields``."""
    return timeline_add(
        candidate=candidate,
        kind=TimelineEntry.Kind.UPDATED,
        summary=f"Edited: {', '.join(fields)}",
        actor=actor,
        data={"fields": fields},
    )


@transaction.atomic
def candidates_tag(*, candidate_ids: list[int], tags: list[str], actor: Actor) -> int:
    """Add tags to many people at once (the search page's bulk bar). Returns how many changed."""
    clean = normalize.normalize_tags(tags)
    if not clean:
        raise CandidateInputError({"tags": "give at least one tag"})
    changed = 0
    for candidate in Candidate.objects.select_for_update().filter(pk__in=candidate_ids):
        new = [t for t in clean if t not in candidate.tags]
        if new:
            candidate.tags = [*candidate.tags, *new]
            candidate.save(update_fields=["tags", "updated_at"])
            timeline_add(
                candidate=candidate,
                kind=TimelineEntry.Kind.TAGS,
                summary=f"Tagged {', '.join(new)}",
                actor=actor,
            )
            changed += 1
            pools_refresh_queue(candidate_ids=[candidate.pk])
    return changed


@transaction.atomic
def candidate_set_do_not_contact(
    *, candidate: Candidate, flag: bool, reason: str, actor: Actor
) -> None:
    """Mark (with a reason) or lift do-not-contact, on the timeline."""
    if flag and not reason.strip():
        raise CandidateInputError(
            {"do_not_contact_reason": "say why this person must not be contacted"}
        )
    candidate.do_not_contact = flag
    candidate.do_not_contact_reason = reason.strip() if flag else ""
    candidate.do_not_contact_at = timezone.now() if flag else None
    candidate.save(
        update_fields=["do_not_contact", "do_not_contact_reason", "do_not_contact_at", "updated_at"]
    )
    timeline_add(
        candidate=candidate,
        kind=TimelineEntry.Kind.DO_NOT_CONTACT,
        summary="Marked do not contact" if flag else "Do-not-contact lifted",
        body=reason,
        actor=actor,
    )
    pools_refresh_queue(candidate_ids=[candidate.pk])


@transaction.atomic
def candidate_mark_email_invalid(*, candidate: Candidate, reason: str) -> None:
    """Mark the person's primary address undeliverable (a hard bounce), with the server's
    reason; sending skips an invalid address until a recruiter changes it."""
    candidate.email_invalid = True
    candidate.email_invalid_reason = reason.strip()[:300]
    candidate.save(update_fields=["email_invalid", "email_invalid_reason", "updated_at"])


KEEP: Any = object()  # "leave this field as it is"


@transaction.atomic
def candidate_assign(
    *,
    candidate: Candidate,
    actor: Actor,
    owner: Any = KEEP,
    source: str = "",
    record: bool = True,
) -> list[str]:
    """Set the owner (a user or None) and/or the source; returns the fields that changed.
    ``record=False`` skips the timeline entry (the record was created a moment ago)."""
    changed = []
    if owner is not KEEP and (owner.pk if owner else None) != candidate.owner_id:
        candidate.owner = owner
        changed.append("owner")
    if source and source != candidate.source:
        candidate.source = source
        changed.append("source")
    if changed:
        candidate.save(update_fields=[*changed, "updated_at"])
        if record:
            edit_record(candidate=candidate, fields=changed, actor=actor)
        pools_refresh_queue(candidate_ids=[candidate.pk])
    return changed


# --------------------------------------------------------------------------- use cases


@transaction.atomic
def candidate_add(*, data: dict[str, Any], source: str, owner: Any, actor: Actor) -> UpsertResult:
    """A recruiter adds a person (the new-candidate form): looked up before create like every
    intake; a person created here gets ``owner``, one found keeps theirs."""
    result = candidate_upsert(data=data, actor=actor, source=source, origin="recruiter")
    if result.created:
        candidate_assign(candidate=result.candidate, owner=owner, actor=actor, record=False)
    return result


@transaction.atomic
def candidate_edit(
    *,
    candidate: Candidate,
    data: dict[str, Any],
    actor: Actor,
    owner: Any = KEEP,
    source: str = "",
) -> list[str]:
    """A recruiter's edit of the record, its owner and its source in one transaction (the edit
    form and the API's PATCH); returns the fields that changed."""
    changed = candidate_update(candidate=candidate, data=data, actor=actor)
    changed += candidate_assign(candidate=candidate, owner=owner, source=source, actor=actor)
    return changed
