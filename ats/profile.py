"""The applications card on crm's candidate profile (registered in AtsConfig.ready)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone

from config.core.panels import Panel
from config.core.roles import Role, has_role

from .models import Application, Job, Stage, StageChange
from .selectors import applications_visible_to, rejection_reasons
from .services import can_move

ADD_SOURCES = (
    (Application.Source.SOURCED, "Sourced"),
    (Application.Source.REFERRAL, "Referral"),
    (Application.Source.AGENCY, "Agency"),
    (Application.Source.TALENT_POOL, "Talent pool"),
    (Application.Source.EVENT, "Event"),
    (Application.Source.JOB_BOARD, "Job board"),
)


class AddToJobForm(forms.Form):
    """A recruiter puts the person forward for a job on their behalf."""

    job = forms.ModelChoiceField(queryset=Job.objects.none(), empty_label="Choose a job")
    source = forms.ChoiceField(choices=ADD_SOURCES, initial=Application.Source.SOURCED)
    referrer = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="Referred by (a colleague)",
        help_text="For a referral.",
    )
    source_detail = forms.CharField(
        required=False, max_length=200, label="Source detail", help_text="Agency name, event…"
    )

    def __init__(self, *args, candidate=None, **kwargs):
        super().__init__(*args, **kwargs)
        jobs = Job.objects.exclude(status=Job.Status.CLOSED).order_by("title", "id")
        if candidate is not None:
            active = Application.objects.filter(candidate=candidate, status="active")
            jobs = jobs.exclude(pk__in=active.values("job"))
        self.fields["job"].queryset = jobs
        self.fields["referrer"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("first_name", "username")
        )
        self.fields["referrer"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        data = super().clean()
        if data.get("source") == Application.Source.REFERRAL and not (
            data.get("referrer") or data.get("source_detail")
        ):
            self.add_error("referrer", "Say who referred them (a colleague or in the detail).")
        return data


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


def candidate_applications(user, candidate) -> list[ApplicationView]:
    """The person's applications the user may see, with history, in a fixed number of queries."""
    history = StageChange.objects.select_related("from_stage", "to_stage", "actor").order_by(
        "at", "id"
    )
    apps = (
        applications_visible_to(user)
        .filter(candidate=candidate)
        .select_related("job", "stage", "rejection_reason", "referrer")
        .prefetch_related(
            Prefetch("history", queryset=history),
            Prefetch("job__stages", queryset=Stage.objects.order_by("position", "id")),
        )
        .order_by("-applied_at", "-id")
    )
    return [
        ApplicationView(
            application=app,
            stages=list(app.job.stages.all()),
            history=_history(app),
            can_move=app.is_active and can_move(user, app.job),
        )
        for app in apps
    ]


def applications_panel(request, candidate, *, add_form: AddToJobForm | None = None) -> Panel:
    user = request.user
    views = candidate_applications(user, candidate)
    recruiter = has_role(user, Role.RECRUITER)
    context = {
        "candidate": candidate,
        "applications": views,
        "can_add": recruiter,
        "add_form": add_form or (AddToJobForm(candidate=candidate) if recruiter else None),
        "reasons": rejection_reasons() if any(v.can_move for v in views) else [],
    }
    return Panel("ats/profile_applications.html", context)
