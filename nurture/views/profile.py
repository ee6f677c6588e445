"""The nurture card on crm's candidate profile (registered in NurtureConfig.ready): the person's
enrollments, whether they get job alerts, their last 20 messages and an "Enroll in a sequence"
form."""

from __future__ import annotations

from django.http import HttpRequest

from config.core.panels import Panel
from config.core.roles import Role, has_role
from crm.models import Candidate
from nurture.selectors.enrollments import candidate_enrollments
from nurture.selectors.job_alerts import job_alerts_status
from nurture.selectors.messages import candidate_messages
from nurture.selectors.sequences import sequences_to_enroll_in


def nurture_panel(request: HttpRequest, candidate: Candidate) -> Panel | None:
    """Recruiters only: sequences are their tool, and the messages are theirs to see."""
    if not has_role(request.user, Role.RECRUITER):
        return None
    context = {
        "candidate": candidate,
        "enrollments": candidate_enrollments(candidate),
        "messages": candidate_messages(candidate),
        "job_alerts": job_alerts_status(candidate),
        "sequences": list(sequences_to_enroll_in(request.user)),
    }
    return Panel("nurture/profile_panel.html", context)
