"""Profile writes beside ``crm.services``: setting a candidate's owner/source, and attaching
a resume file (keyword-only, atomic, each with its timeline entry), used by the profile
pages and the API."""

from __future__ import annotations

import os
import unicodedata
import uuid

from django.db import transaction

from .forms import CheckedResume
from .models import Candidate, ResumeFile, TimelineEntry
from .services import edit_record, timeline_add
from .services_resume import resume_parse_queue

KEEP = object()  # "leave this field as it is"


@transaction.atomic
def candidate_assign(
    *, candidate: Candidate, actor, owner=KEEP, source: str = "", record: bool = True
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
    return changed


def _display_name(name: str, extension: str) -> str:
    """The uploader's file name, kept only for display and as the download's file name."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return (base or f"resume{extension}")[-255:]


def resume_attach(*, candidate: Candidate, upload, checked: CheckedResume, actor) -> ResumeFile:
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
                kind=TimelineEntry.Kind.RESUME,
                summary="Resume uploaded",
                actor=actor,
                data={"resume_id": resume.pk, "name": resume.original_name},
            )
            resume_parse_queue(resume=resume)
    except Exception:
        resume.file.delete(save=False)
        raise
    return resume
