"""Forms of interviews: scheduling one (type, start in a chosen zone, duration, interviewers,
where, a message), moving or cancelling it, and editing a job's interview plan."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.conf import settings

from ..models import InterviewType, Job
from ..selectors.interviews import interview_type_choices, interviewer_choices, stage_choices
from ..services.interviews import MAX_MINUTES, MIN_MINUTES, InterviewRefused, zone_check

# Offered in the zone picker; any other IANA name can be typed in "Other time zone".
COMMON_ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Lisbon",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Amsterdam",
    "Europe/Madrid",
    "Europe/Zurich",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Istanbul",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Toronto",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
]


def site_zone() -> str:
    return settings.TIME_ZONE or "UTC"


def zone_choices() -> list[tuple[str, str]]:
    zones = list(COMMON_ZONES)
    if site_zone() not in zones:
        zones.insert(0, site_zone())
    return [(zone, zone.replace("_", " ")) for zone in zones]


# Which form field shows a service refusal about each input.
SERVICE_FIELDS = {
    "starts_at": "start_time",
    "timezone": "timezone",
    "duration_minutes": "duration_minutes",
    "interviewers": "interviewers",
    "video_url": "video_url",
    "location": "location",
    "message": "message",
    "title": "title",
    "interview_type": "interview_type",
    "reason": "reason",
    "note": "note",
}


def show_refusal(form: forms.Form, error: InterviewRefused) -> None:
    """Put a service's refusal on the field it names (or on the form)."""
    field = SERVICE_FIELDS.get(error.field or "")
    form.add_error(field if field in form.fields else None, error.message)


class UserMultipleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} (on the panel)" if getattr(obj, "on_panel", False) else name


class StartMixin(forms.Form):
    """A start as a date and a time in a chosen zone (a select of common zones, or any IANA
    name typed in ``timezone_other``)."""

    start_date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label="Start time", widget=forms.TimeInput(attrs={"type": "time"}))
    timezone = forms.ChoiceField(label="Time zone", choices=zone_choices)
    timezone_other = forms.CharField(
        label="Other time zone",
        required=False,
        max_length=64,
        help_text="Any IANA name, e.g. America/Mexico_City. Overrides the list when filled.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        name = (data.get("timezone_other") or "").strip() or data.get("timezone") or ""
        try:
            zone = zone_check(name)
        except InterviewRefused as error:
            self.add_error(
                "timezone_other" if data.get("timezone_other") else "timezone", error.message
            )
            return data
        data["timezone_name"] = name
        day: date | None = data.get("start_date")
        clock: time | None = data.get("start_time")
        if day and clock:
            data["starts_at"] = datetime.combine(day, clock, tzinfo=zone)
        return data


class InterviewForm(StartMixin):
    """Schedule an interview of one application."""

    interview_type = forms.ModelChoiceField(
        label="Interview type",
        queryset=None,
        required=False,
        empty_label="(no type: a custom interview)",
    )
    title = forms.CharField(
        max_length=120, required=False, help_text="Empty: the interview type's name."
    )
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)",
        min_value=MIN_MINUTES,
        max_value=MAX_MINUTES,
        required=False,
        help_text="Empty: the interview type's duration.",
    )
    interviewers = UserMultipleChoice(queryset=None, widget=forms.CheckboxSelectMultiple)
    location = forms.CharField(max_length=300, required=False, help_text="A room or an address.")
    video_url = forms.URLField(
        label="Video link", max_length=500, required=False, assume_scheme="https"
    )
    message = forms.CharField(
        label="Message to the candidate",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    allow_conflicts = forms.BooleanField(
        label="Schedule anyway (the interviewers are double booked)", required=False
    )

    def __init__(self, *args: Any, job: Job, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["interview_type"].queryset = interview_type_choices(job)
        self.fields["interviewers"].queryset = interviewer_choices(job)
        self.fields["timezone"].initial = site_zone()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind: InterviewType | None = data.get("interview_type")
        if not data.get("duration_minutes"):
            data["duration_minutes"] = kind.duration_minutes if kind else 45
        if not data.get("title"):
            data["title"] = kind.name if kind else "Interview"
        return data


class RescheduleForm(StartMixin):
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)", min_value=MIN_MINUTES, max_value=MAX_MINUTES
    )
    note = forms.CharField(
        label="Note to the candidate",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    allow_conflicts = forms.BooleanField(
        label="Move anyway (the interviewers are double booked)", required=False
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason (sent to the candidate)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DetailsForm(forms.Form):
    """Change who interviews and where (a time change goes through the reschedule form)."""

    title = forms.CharField(max_length=120)
    interviewers = UserMultipleChoice(queryset=None, widget=forms.CheckboxSelectMultiple)
    location = forms.CharField(max_length=300, required=False)
    video_url = forms.URLField(
        label="Video link", max_length=500, required=False, assume_scheme="https"
    )
    message = forms.CharField(
        label="Message to the candidate",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    allow_conflicts = forms.BooleanField(label="Add anyway (double booked)", required=False)

    def __init__(self, *args: Any, job: Job, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["interviewers"].queryset = interviewer_choices(job)


# --------------------------------------------------------------------------- plans


class InterviewTypeForm(forms.Form):
    """One interview type of a job's plan, with its kit."""

    name = forms.CharField(max_length=120)
    stage = forms.ModelChoiceField(queryset=None)
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)", min_value=MIN_MINUTES, max_value=MAX_MINUTES, initial=45
    )
    focus_attributes = forms.CharField(
        label="Focus attributes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line: what interviewers rate from 1 to 4.",
    )
    questions = forms.CharField(
        label="Suggested questions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line.",
    )
    instructions = forms.CharField(
        label="Notes for the interviewer",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, job: Job, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = stage_choices(job)
        self.fields["stage"].label_from_instance = lambda stage: stage.name

    @classmethod
    def for_type(cls, interview_type: InterviewType, job: Job, **kwargs: Any):
        initial = {
            "name": interview_type.name,
            "stage": interview_type.stage_id,
            "duration_minutes": interview_type.duration_minutes,
            "focus_attributes": "\n".join(interview_type.focus_attributes),
            "questions": "\n".join(interview_type.questions),
            "instructions": interview_type.instructions,
        }
        return cls(initial=initial, job=job, prefix=f"type-{interview_type.pk}", **kwargs)
