"""The one error every nurture service raises for refused input or actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nurture.models import Enrollment


class NurtureError(Exception):
    """Refused input or action; ``message`` is for a person, ``problems`` per field."""

    def __init__(self, message: str, problems: list[str] | None = None):
        self.message = message
        self.problems = problems or []
        super().__init__(message)


class AlreadyEnrolledError(NurtureError):
    """The person is already in the sequence (active or paused): ``enrollment`` is that one."""

    def __init__(self, message: str, enrollment: Enrollment):
        self.enrollment = enrollment
        super().__init__(message)
