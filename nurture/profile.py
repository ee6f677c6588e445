"""The nurture card on crm's candidate profile (registered in NurtureConfig.ready): the person's
enrollments, their last 20 messages and an "Enroll in a sequence" form."""

from __future__ import annotations

from config.core.panels import Panel
from config.core.roles import Role, has_role

from . import selectors


def nurture_panel(request, candidate) -> Panel | None:
    """Recruiters only: sequences are their tool, and the messages are theirs to see."""
    if not has_role(request.user, Role.RECRUITER):
        return None
    context = {
        "candidate": candidate,
        "enrollments": selectors.candidate_enrollments(candidate),
        "messages": selectors.candidate_messages(candidate),
        "sequences": list(selectors.sequences_to_enroll_in(request.user)),
    }
    return Panel("nurture/profile_panel.html", context)
