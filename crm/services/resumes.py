"""Resume parsing in the product: parse a stored file in the sandbox, keep the result beside the
file, and fill the candidate record from it without overwriting what a person typed.

The rules :func:`apply_parsed` follows, field group by field group (``crm.resume_fields.UNITS``):

* a group a recruiter edited (``Candidate.edited_fields``) is never touched;
* an empty group is filled;
* a group that still holds exactly what an earlier parse put there (recorded per file in
  ``ResumeFile.parsed["applied"]["filled"]``) is refreshed by a later parse or a re-parse;
* anything else (a value from an import, the API or a merge) is kept.

Emails and phone numbers are added as extra contact rows unless another candidate already has
them (never stolen, never merged); the primary address or number is only set when the record
has none. Skills are added, never removed. ``resume_text`` (search weight D) always holds the
text of the newest parsed file.

A file that gives no result costs one bounded task: ``parse_status`` says failed or
unsupported, ``parse_error`` says why in plain words, and the record is left as it was.
"""

from __future__ import annotations

import logging
import os
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

import parsing
from config.core.models import User
from parsing import (
    FileRejected,
    Limits,
    ParsedResume,
    ParseFailed,
    ResumeError,
    UnsupportedFormat,
)

from ..models import Candidate, CandidateEmail, CandidatePhone, CandidateSkill, ResumeFile
from ..models import TimelineEntry as Entry
from ..resume_fields import (
    LABELS,
    UNITS,
    contact_values,
    proposals,
    unit_is_empty,
    unit_snapshot,
)
from ..selectors.resumes import resume_is_stuck
from ..types import Actor
from .candidates import candidate_skills_add
from .timeline import timeline_add

logger = logging.getLogger(__name__)

Status = ResumeFile.ParseStatus
# Deliveries of one parse (worker crashes, infrastructure retries) before the file is failed.
MAX_ATTEMPTS = 5


def parse_limits() -> Limits:
    return Limits.from_mapping(settings.RESUME_PARSE_LIMITS)


# --------------------------------------------------------------------------- stored result


def resume_payload(result: ParsedResume) -> dict[str, Any]:
    """What ``ResumeFile.parsed`` keeps: the result without its full text (that lives in
    ``Candidate.resume_text``; the profile loads every file's result) and its JSON Resume."""
    data = result.to_dict()
    text = data.pop("text", "") or ""
    return {"result": data, "text_chars": len(text), "json_resume": result.to_json_resume()}


# --------------------------------------------------------------------------- upload


@dataclass(frozen=True)
class CheckedResume:
    """What an uploaded file really is (judged by its content, see ``crm.forms.sniff_resume``)."""

    content_type: str
    extension: str
    sha256: str
    size: int


def _display_name(name: str | None, extension: str) -> str:
    """The uploader's file name, kept only for display and as the download's file name."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return (base or f"resume{extension}")[-255:]


def resume_attach(
    *, candidate: Candidate, upload: UploadedFile, checked: CheckedResume, actor: User | None
) -> ResumeFile:
    """Store the file under a fresh random name (never the uploader's), record it with its
    sha256 as ``pending``, queue the parsing task (after commit) and put "Resume uploaded" on
    the timeline. The file is removed again if the rows cannot be written."""
    resume = ResumeFile(
        candidate=candidate,
        original_name=_display_name(upload.name, checked.extension),
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        parse_status=ResumeFile.ParseStatus.PENDING,
    )
    resume.file.save(f"{uuid.uuid4().hex}{checked.extension}", upload, save=False)
    try:
        with transaction.atomic():
            resume.save()
            timeline_add(
                candidate=candidate,
                kind=Entry.Kind.RESUME,
                summary="Resume uploaded",
                actor=actor,
                data={"resume_id": resume.pk, "name": resume.original_name},
            )
            resume_parse_queue(resume=resume)
    except Exception:
        resume.file.delete(save=False)
        raise
    return resume


# --------------------------------------------------------------------------- queueing


def resume_parse_queue(*, resume: ResumeFile) -> None:
    """Queue the parse once the surrounding transaction commits (the worker must see the row)."""
    from ..tasks import parse_resume  # noqa: PLC0415 - crm.tasks imports this module (a cycle)

    resume_id = resume.pk
    transaction.on_commit(lambda: parse_resume.delay(resume_id))


@transaction.atomic
def resume_reparse(*, resume: ResumeFile, actor: Actor) -> ResumeFile:
    """Parse the file again (one click): back to pending and queued. The last result stays
    until the new one replaces it. A second click while a parse is under way queues nothing."""
    resume = ResumeFile.objects.select_for_update().get(pk=resume.pk)
    if resume.parse_status == Status.PENDING and not resume_is_stuck(resume):
        return resume
    parsed = {key: value for key, value in (resume.parsed or {}).items() if key != "attempts"}
    parsed["requested_at"] = timezone.now().isoformat()
    resume.parsed = parsed
    resume.parse_status = Status.PENDING
    resume.save(update_fields=["parsed", "parse_status"])
    resume_parse_queue(resume=resume)
    return resume


# --------------------------------------------------------------------------- the task's work


def resume_parse_run(*, resume_id: int) -> str:
    """The ``crm.parse_resume`` task: parse a pending file (a second delivery of a finished parse
    does nothing; a file that keeps killing its worker is failed after MAX_ATTEMPTS)."""
    with transaction.atomic():
        resume = ResumeFile.objects.select_for_update().filter(pk=resume_id).first()
        if resume is None:
            logger.info("resume %s is gone; nothing to parse", resume_id)
            return "gone"
        if resume.parse_status != Status.PENDING:
            return "done"
        attempts = int((resume.parsed or {}).get("attempts", 0)) + 1
        resume.parsed = {**(resume.parsed or {}), "attempts": attempts}
        resume.save(update_fields=["parsed"])
    if attempts > MAX_ATTEMPTS:
        message = "parsing this file stopped the worker several times; it was not parsed"
        _record_failure(resume, FileRejected(message, code="crashed"))
        return "failed"
    try:
        resume = parse_resume_file(resume=resume)
    except SoftTimeLimitExceeded:
        message = "parsing took too long; the file was not parsed"
        _record_failure(resume, FileRejected(message, code="timeout"))
        return "failed"
    except DatabaseError:
        raise  # infrastructure: the task retries (crm.tasks)
    except Exception:
        # A bug, not the file's fault: say so on the file instead of leaving it pending.
        logger.exception("parsing resume %s failed unexpectedly", resume_id)
        message = "an unexpected error stopped parsing; try Re-parse later"
        _record_failure(resume, ParseFailed(message, code="error"))
        return "failed"
    return resume.parse_status


def _read(resume: ResumeFile) -> bytes:
    try:
        with resume.file.storage.open(resume.file.name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError, ValueError):
        raise FileRejected("the stored file is missing", code="missing") from None


def parse_resume_file(*, resume: ResumeFile, actor: Actor = None) -> ResumeFile:
    """Parse the stored file in the sandbox (no transaction is held meanwhile), store the result
    or the reason there is none, and fill the candidate from it. Returns the updated row (the
    given one, unchanged, if it was deleted meanwhile)."""
    try:
        result = parsing.parse_resume_isolated(
            _read(resume), resume.original_name, limits=parse_limits()
        )
    except ResumeError as exc:
        return _record_failure(resume, exc, actor=actor)
    with transaction.atomic():
        locked = _lock_pair(resume.pk)
        if locked is None:
            logger.info("resume %s was deleted while it was parsed", resume.pk)
            return resume
        candidate, resume = locked
        resume.parse_status = Status.PARSED
        resume.parse_error = ""
        # What the last parse of this file filled stays until this one is applied: a value it
        # put there may be refreshed (see _parse_owned).
        applied = (resume.parsed or {}).get("applied", {})
        resume.parsed = {**resume_payload(result), "applied": applied}
        resume.parsed_at = timezone.now()
        resume.save(update_fields=["parse_status", "parse_error", "parsed", "parsed_at"])
        _apply_locked(candidate, result, resume=resume, actor=actor)
    return resume


def _lock_pair(resume_id: int) -> tuple[Candidate, ResumeFile] | None:
    """The candidate, then its resume, locked in the order merges take them (no deadlock); a
    merge may move the file to another record between the two reads, so look again."""
    for _ in range(3):
        owner = ResumeFile.objects.filter(pk=resume_id).values_list("candidate_id", flat=True)
        candidate_id = owner.first()
        if candidate_id is None:
            return None
        candidate = Candidate.objects.select_for_update().filter(pk=candidate_id).first()
        resume = (
            ResumeFile.objects.select_for_update()
            .filter(pk=resume_id, candidate_id=candidate_id)
            .first()
        )
        if candidate is not None and resume is not None:
            return candidate, resume
    return None


def _record_failure(resume: ResumeFile, exc: ResumeError, *, actor: Actor = None) -> ResumeFile:
    """Failed or unsupported, with the reason; the last good result and the record stay."""
    status = Status.UNSUPPORTED if isinstance(exc, UnsupportedFormat) else Status.FAILED
    message = exc.message[:1].upper() + exc.message[1:]
    with transaction.atomic():
        locked = _lock_pair(resume.pk)
        if locked is None:
            return resume
        candidate, resume = locked
        resume.parse_status = status
        resume.parse_error = message[:500]
        resume.parsed = {**(resume.parsed or {}), "error": {"code": exc.code, "message": message}}
        resume.parsed_at = timezone.now()
        resume.save(update_fields=["parse_status", "parse_error", "parsed", "parsed_at"])
        timeline_add(
            candidate=candidate,
            kind=Entry.Kind.RESUME,
            summary=f"Resume {resume.original_name} could not be parsed: {message}",
            actor=actor,
            data={"resume_id": resume.pk, "error": exc.code},
        )
    return resume


# --------------------------------------------------------------------------- filling the record


@transaction.atomic
def apply_parsed(
    *, candidate: Candidate, parsed: ParsedResume, resume: ResumeFile, actor: Actor = None
) -> list[str]:
    """Fill ``candidate`` from ``parsed`` (the rules are in this module's docstring), under a
    row lock so a recruiter's concurrent edit is neither lost nor overwritten. Records on
    ``resume`` what was filled and kept, puts "Resume parsed: filled ..." on the timeline and
    returns the record fields that changed."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    return _apply_locked(candidate, parsed, resume=resume, actor=actor)


def _parse_owned(candidate: Candidate) -> dict[str, list[dict]]:
    """unit -> the values earlier parses of this person's files put there."""
    owned: dict[str, list[dict]] = {}
    records = ResumeFile.objects.filter(candidate=candidate).values_list(
        "parsed__applied__filled", flat=True
    )
    for filled in records:
        for unit, values in (filled if isinstance(filled, dict) else {}).items():
            owned.setdefault(unit, []).append(values)
    return owned


def _fill_units(candidate: Candidate, proposed: dict, refused: dict) -> dict:
    owned = _parse_owned(candidate)
    edited = set(candidate.edited_fields)
    outcome: dict[str, Any] = {"changed": [], "filled": {}, "kept": []}
    for unit, values in proposed.items():
        names = UNITS[unit]
        new, current = unit_snapshot(values, unit), unit_snapshot(candidate, unit)
        if edited & set(names) or not (
            unit_is_empty(candidate, unit) or current in owned.get(unit, [])
        ):
            if current != new:
                outcome["kept"].append(unit)
            continue
        if unit == "linkedin_url" and _linkedin_elsewhere(candidate, values["linkedin_url"]):
            refused[unit] = "this LinkedIn profile is on another candidate's record"
            continue
        if current != new:
            for name in names:
                setattr(candidate, name, values[name])
            outcome["changed"].append(unit)
        outcome["filled"][unit] = new
    return outcome


def _linkedin_elsewhere(candidate: Candidate, url: str) -> bool:
    others = Candidate.objects.filter(linkedin_url=url, merged_into__isnull=True)
    return others.exclude(pk=candidate.pk).exists()


def _add_contacts(candidate: Candidate, emails: list[str], phones: list[str]) -> dict:
    """Add addresses and numbers nobody else has; returns what was added, already there, or
    left out because it belongs to another candidate."""
    report: dict[str, dict[str, list[str]]] = {
        kind: {"added": [], "present": [], "elsewhere": []} for kind in ("emails", "phones")
    }
    mine = set(candidate.emails.values_list("email", flat=True))
    for email in emails:
        if email in mine:
            report["emails"]["present"].append(email)
        elif CandidateEmail.objects.filter(email=email).exists() or not _insert_email(
            candidate, email
        ):
            report["emails"]["elsewhere"].append(email)
        else:
            report["emails"]["added"].append(email)
    mine = set(candidate.phones.values_list("number", flat=True))
    for number in phones:
        if number in mine:
            report["phones"]["present"].append(number)
        elif CandidatePhone.objects.filter(number=number).exists():
            report["phones"]["elsewhere"].append(number)
        else:
            CandidatePhone.objects.create(
                candidate=candidate, number=number, is_primary=not candidate.phone
            )
            candidate.phone = candidate.phone or number
            report["phones"]["added"].append(number)
    return report


def _insert_email(candidate: Candidate, email: str) -> bool:
    """False when a concurrent intake took the address first (the unique index decides)."""
    try:
        with transaction.atomic():
            CandidateEmail.objects.create(
                candidate=candidate, email=email, is_primary=not candidate.email
            )
    except IntegrityError:
        return False
    candidate.email = candidate.email or email
    return True


def _is_newest_parsed(candidate: Candidate, resume: ResumeFile) -> bool:
    newer = Q(uploaded_at__gt=resume.uploaded_at) | Q(
        uploaded_at=resume.uploaded_at, pk__gt=resume.pk
    )
    others = ResumeFile.objects.filter(candidate=candidate, parse_status=Status.PARSED)
    return not others.exclude(pk=resume.pk).filter(newer).exists()


def _apply_locked(
    candidate: Candidate, parsed: ParsedResume, *, resume: ResumeFile, actor: Actor
) -> list[str]:
    proposed, refused = proposals(parsed)
    before = {"email": candidate.email, "phone": candidate.phone}
    units = _fill_units(candidate, proposed, refused)
    country = candidate.country or proposed.get("location", {}).get("country", "")
    contacts = _add_contacts(candidate, *contact_values(parsed, country))
    update = [name for unit in units["changed"] for name in UNITS[unit]]
    update += [name for name, value in before.items() if getattr(candidate, name) != value]
    if _is_newest_parsed(candidate, resume) and candidate.resume_text != parsed.text:
        candidate.resume_text = parsed.text
        update.append("resume_text")
    if update:
        candidate.save(update_fields=[*update, "updated_at"])
    slugs = set(candidate.skill_slugs)
    hits = [(hit.name, None) for hit in parsed.skills]
    candidate_skills_add(candidate=candidate, skills=hits, origin=CandidateSkill.Origin.RESUME)
    new_skills = len(set(candidate.skill_slugs) - slugs)

    resume.parsed = {
        **(resume.parsed or {}),
        "applied": {
            "proposed": {unit: unit_snapshot(values, unit) for unit, values in proposed.items()},
            "filled": units["filled"],
            "changed": units["changed"],
            "kept": units["kept"],
            "refused": refused,
            **contacts,
            "skills_added": new_skills,
        },
    }
    resume.save(update_fields=["parsed"])
    changed = [name for unit in units["changed"] for name in UNITS[unit]]
    changed += [kind for kind in ("emails", "phones") if contacts[kind]["added"]]
    changed += ["skills"] if new_skills else []
    timeline_add(
        candidate=candidate,
        kind=Entry.Kind.RESUME,
        summary=parse_summary(units["changed"], contacts, new_skills, proposed),
        body=_kept_note(candidate, units["kept"]),
        actor=actor,
        data={"resume_id": resume.pk, "filled": changed, "kept": units["kept"]},
    )
    return changed


def parse_summary(
    changed: list[str], contacts: dict[str, Any], new_skills: int, proposed: dict[str, Any]
) -> str:
    """ "Resume parsed: filled title, company, 4 work entries, 12 skills" """
    parts = []
    for unit in changed:
        if unit in ("work_history", "education"):
            count = len(proposed[unit][unit])
            noun = "work" if unit == "work_history" else "education"
            parts.append(f"{count} {noun} entr{'y' if count == 1 else 'ies'}")
        else:
            parts.append(LABELS[unit])
    for kind, noun in (("emails", "email"), ("phones", "phone")):
        count = len(contacts[kind]["added"])
        if count:
            parts.append(f"{count} {noun}{'s' if count > 1 else ''}")
    if new_skills:
        parts.append(f"{new_skills} skill{'s' if new_skills > 1 else ''}")
    if not parts:
        return "Resume parsed: nothing new to fill"
    return "Resume parsed: filled " + ", ".join(parts)


def _kept_note(candidate: Candidate, kept: list[str]) -> str:
    if not kept:
        return ""
    edited = set(candidate.edited_fields)
    typed = [LABELS[u] for u in kept if edited & set(UNITS[u])]
    other = [LABELS[u] for u in kept if not edited & set(UNITS[u])]
    lines = []
    if typed:
        lines.append(f"Kept what a recruiter entered: {', '.join(typed)}.")
    if other:
        lines.append(f"Kept what the record already had: {', '.join(other)}.")
    return "\n".join(lines)
