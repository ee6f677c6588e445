"""The bounds every resume is parsed within. One hostile file costs one bounded task."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 10 * MB  # the file as uploaded
    max_pages: int = 30  # PDF pages read (a resume longer than this is not a resume)
    timeout_seconds: float = 30.0  # wall clock per file, enforced by killing the child process
    memory_bytes: int = 1024 * MB  # address space of the child process (RLIMIT_AS)
    docx_max_uncompressed: int = 50 * MB  # all members of a DOCX together, decompressed
    docx_max_entries: int = 1000  # members in a DOCX zip
    max_text_chars: int = 300_000  # text kept for structure; the rest is cut with a warning

    @classmethod
    def from_mapping(cls, values: dict | None) -> Limits:
        """Limits from settings (unknown keys are an error, so a typo is not silently ignored)."""
        values = dict(values or {})
        unknown = set(values) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown resume parsing limits: {', '.join(sorted(unknown))}")
        return cls(**values)
