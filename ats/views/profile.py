"""The applications card on crm's candidate profile (registered in AtsConfig.ready): the
person's applications the user may see, each with its history and time in stage."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from config.core.panels import Panel
from config.core.roles import Role, has_role
from crm.models import Candidate

from ..forms.applications import AddToJobForm
from ..models import Application, SchedulingRequest, Stage, StageChange
from ..selectors.applications import candidate_applications, rejection_reasons
from ..selectors.jobs import can_move
from ..selectors.my_interviews import my_interviews_with
from ..selectors.scheduling import scheduling_links_by_application


@dataclass
class HistoryRow:
    change: StageChange
    label: str
    days: float | None = None


@dataclass
class ApplicationView:
    application: Application
    stages: list[Stage]
    history: list[HistoryRow] = field(default_factory=list)
    can_move: bool = False
    can_mark_left: bool = False  # a hire: "left the company on …" (alumni)
    summary_url: str = ""
    schedule_links: list[SchedulingRequest] = field(default_factory=list)

    @property
    def days_in_stage(self) -> int:
        return max(0, (timezone.now() - self.application.stage_entered_at).days)


def _label(change: StageChange) -> str:
    if change.from_stage_id is None:
        return f"Entered at {change.to_stage.name}"
    if change.to_status != change.from_status and change.to_status != "active":
        return f"{change.to_status.capitalize()} at {change.to_stage.name}"
    return f"{change.from_stage.name} → {change.to_stage.name}"


def _history(app: Application) -> list[HistoryRow]:
    """Rows with the time spent in the stage each row led into (until the next row or now)."""
    changes = list(app.history.all())
    rows = []
    for index, change in enumerate(changes):
        end = changes[index + 1].at if index + 1 < len(changes) else None
        if end is None and app.is_active:
            end = timezone.now()
        days = round((end - change.at).total_seconds() / 86400, 1) if end else None
        rows.append(HistoryRow(change, _label(change), days))
    return rows


def _application_views(user, candidate: Candidate) -> list[ApplicationView]:
    views = [
        ApplicationView(
            application=app,
            stages=list(app.job.stages.all()),
            history=_history(app),
            can_move=app.is_active and can_move(user, app.job),
            can_mark_left=app.status == Application.Status.HIRED and can_move(user, app.job),
            # the decision page, for those who decide (recruiters, the job's hiring manager)
            summary_url=(
                reverse("ats:application-summary", args=[app.pk]) if can_move(user, app.job) else ""
            ),
        )
        for app in candidate_applications(user, candidate)
    ]
    # Self-scheduling links, for those who may manage them (recruiters; the job's manager).
    managed = [v.application.pk for v in views if can_move(user, v.application.job)]
    links = scheduling_links_by_application(managed)
    for view in views:
        view.schedule_links = links.get(view.application.pk, [])
    return views


def applications_panel(
    request: HttpRequest, candidate: Candidate, *, add_form: AddToJobForm | None = None
) -> Panel:
    user = request.user
    views = _application_views(user, candidate)
    recruiter = has_role(user, Role.RECRUITER)
    context = {
        "candidate": candidate,
        "applications": views,
        "can_add": recruiter,
        "add_form": add_form or (AddToJobForm(candidate=candidate) if recruiter else None),
        "reasons": rejection_reasons() if any(v.can_move for v in views) else [],
    }
    return Panel("ats/profile_applications.html", context)


def interviews_panel(request: HttpRequest, candidate: Candidate) -> Panel | None:
    """The interviewer's limited profile (registered in AtsConfig.ready): the jobs they
    interview this person for, each interview with its kit and scorecard link; nothing else."""
    interviews = my_interviews_with(request.user, candidate.pk)
    for interview in interviews:
        interview.scorecard_url = reverse("ats:scorecard", args=[interview.pk])
    return Panel("ats/profile_interviews.html", {"interviews": interviews})
