"""What CSV and zip imports share: their errors, one row's outcome, a job's progress, the
stored file and the CSV we hand back."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import time
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from ..models import ImportJob
from ..selectors.imports import CREATED, REJECTED, UNCHANGED, UPDATED

# How long to batch up writes of the (possibly long) rejected-rows list while counts move on.
_REJECTIONS_FLUSH_SECONDS = 2.0


class ImportFileError(ValueError):
    """The uploaded file cannot be imported at all; the message is for a person."""


class ImportStateError(ValueError):
    """The job is not in a state that allows this action; the message is for a person."""


def sha256_of(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def stored_name(extension: str) -> str:
    """A server-generated file name: nothing of the uploader's name reaches the file system."""
    return f"{uuid.uuid4().hex}{extension}"


def read_job_file(job: ImportJob) -> bytes:
    with job.file.open("rb") as handle:
        return handle.read()


_NUMBER_LIKE = re.compile(r"^[+-][\d\s().-]*$")


def spreadsheet_safe(value: str) -> str:
    """Neutralise spreadsheet formulas in a CSV we hand out (CSV injection): a cell that a
    spreadsheet would evaluate gets a leading apostrophe. Numbers such as "+44 20 ..." stay."""
    value = str(value)
    if value[:1] in ("=", "@", "\t", "\r") or (
        value[:1] in ("+", "-") and not _NUMBER_LIKE.match(value)
    ):
        return "'" + value
    return value


# --------------------------------------------------------------------------- progress


@dataclasses.dataclass
class Outcome:
    """What happened to one row or file: created/updated/unchanged/rejected, with reasons."""

    kind: str
    rejection: dict | None = None  # {"row": n, "errors": [{"field", "message"}], ...}
    note: dict | None = None  # per-file report line (zip imports)


@dataclasses.dataclass
class Progress:
    """Counts of a job as of the last committed batch. ``plus`` returns a new value, so a batch
    that rolls back leaves the committed progress untouched."""

    processed: int = 0
    counts: dict = dataclasses.field(default_factory=dict)
    rejected: list = dataclasses.field(default_factory=list)
    notes: list = dataclasses.field(default_factory=list)
    flushed_rejections: int = -1
    flushed_at: float = 0.0

    @classmethod
    def fresh(cls) -> Progress:
        return cls(counts={CREATED: 0, UPDATED: 0, UNCHANGED: 0, REJECTED: 0})

    @classmethod
    def resumed(cls, job: ImportJob) -> Progress:
        """Continue a run that stopped: the rows before ``processed_rows`` are committed."""
        return cls(
            processed=job.processed_rows,
            counts={
                CREATED: job.created_count,
                UPDATED: job.updated_count,
                UNCHANGED: job.unchanged_count,
                REJECTED: job.rejected_count,
            },
            rejected=list(job.rejected_rows or []),
            notes=list((job.summary or {}).get("files", [])),
            flushed_rejections=len(job.rejected_rows or []),
            flushed_at=time.monotonic(),
        )

    def plus(self, outcomes: Iterable[Outcome]) -> Progress:
        new = dataclasses.replace(
            self, counts=dict(self.counts), rejected=list(self.rejected), notes=list(self.notes)
        )
        for outcome in outcomes:
            new.processed += 1
            new.counts[outcome.kind] += 1
            if outcome.rejection:
                new.rejected.append(outcome.rejection)
            if outcome.note:
                new.notes.append(outcome.note)
        return new

    def save(self, job: ImportJob, *, force: bool = False) -> None:
        """Write the counts (every call) and the rejected rows (when they changed and at most
        every couple of seconds, or when forced): rewriting a long JSON list after every batch
        would make a file full of bad rows quadratic."""
        fields = {
            "processed_rows": self.processed,
            "created_count": self.counts[CREATED],
            "updated_count": self.counts[UPDATED],
            "unchanged_count": self.counts[UNCHANGED],
            "rejected_count": self.counts[REJECTED],
        }
        now = time.monotonic()
        dirty = len(self.rejected) != self.flushed_rejections
        if force or (dirty and now - self.flushed_at >= _REJECTIONS_FLUSH_SECONDS):
            fields["rejected_rows"] = self.rejected
            self.flushed_rejections, self.flushed_at = len(self.rejected), now
        ImportJob.objects.filter(pk=job.pk).update(**fields)
        for name, value in fields.items():
            setattr(job, name, value)

    def as_summary(self) -> dict:
        return {**self.counts, "processed": self.processed}


def summary_update(*, job: ImportJob, **values: Any) -> None:
    """Merge ``values`` into the job's summary JSON (only the running task writes it)."""
    job.summary = {**(job.summary or {}), **values}
    ImportJob.objects.filter(pk=job.pk).update(summary=job.summary)
