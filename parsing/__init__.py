"""Resume files to a structured profile: bytes in, a typed :class:`ParsedResume` out.

A leaf package: it knows nothing of Django models; ``crm`` and ``ats`` call it.

* :func:`parse_resume` parses in this process (after the size, type and zip-bomb checks).
* :func:`parse_resume_isolated` does the same in a forked child with a wall-clock timeout and a
  memory ceiling, for files from outside (the product's Celery tasks use it).

Both raise a :class:`ResumeError` subclass (``UnsupportedFormat``, ``FileRejected``,
``ParseFailed``) with a message a person can read when a file gives no result.

The heavy modules (pdfminer, spaCy) load on first use, not when Django imports the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .limits import Limits
from .result import (
    EducationEntry,
    FileRejected,
    Link,
    ParsedResume,
    ParseFailed,
    ResumeError,
    SkillHit,
    UnsupportedFormat,
    WorkEntry,
)

__all__ = [
    "EducationEntry",
    "FileRejected",
    "Limits",
    "Link",
    "ParseFailed",
    "ParsedResume",
    "ResumeError",
    "SkillHit",
    "UnsupportedFormat",
    "WorkEntry",
    "parse_resume",
    "parse_resume_isolated",
]

if TYPE_CHECKING:
    from .core import parse_resume
    from .sandbox import parse_resume_isolated


def __getattr__(name: str):
    if name == "parse_resume":
        from .core import parse_resume  # noqa: PLC0415 - lazy (PEP 562): spaCy loads on first use

        return parse_resume
    if name == "parse_resume_isolated":
        from .sandbox import parse_resume_isolated  # noqa: PLC0415 - lazy, as above

        return parse_resume_isolated
    raise AttributeError(f"module 'parsing' has no attribute {name!r}")
