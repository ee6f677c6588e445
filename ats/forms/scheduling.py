"""Forms of self-scheduling: an interviewer's working hours, the recruiter's "let the candidate
pick a time" form (proposed or hand-added times), and the candidate's zone picker."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone

from config.core.roles import Role

from ..models import Application
from ..selectors.availability import WEEKDAY_NAMES, Hours, zone_names, zone_or_none
from ..selectors.scheduling import interview_types_of
from ..selectors.users import users_holding

MANUAL_ROWS = 3  # blank "date + time" rows shown for hand-picked times


def _zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in zone_names()]


class TimeZoneField(forms.CharField):
    """An IANA zone name, refused with a clear message when it is not one."""

    def clean(self, value):
        value = super().clean(value)
        if value and zone_or_none(value) is None:
            raise forms.ValidationError(
                f"{value} is not a time zone (use a name such as Europe/Paris)."
            )
        return (value or "").strip()


# --------------------------------------------------------------------------- working hours


class WorkingHoursForm(forms.Form):
    """When I can interview: the zone (picked from the list, or typed), the days and the hours."""

    timezone = forms.ChoiceField(label="Time zone", choices=(), required=False)
    timezone_other = TimeZoneField(
        required=False,
        max_length=64,
        label="Or type a zone",
        help_text="An IANA name such as America/New_York; it wins over the list.",
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="Working days",
        coerce=int,
        choices=list(enumerate(WEEKDAY_NAMES)),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Pick at least one working day."},
    )
    start_time = forms.TimeField(label="From", widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label="Until", widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args, hours: Hours | None = None, **kwargs):
        if hours is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "timezone": hours.timezone,
                "weekdays": list(hours.weekdays),
                "start_time": hours.start_time.strftime("%H:%M"),
                "end_time": hours.end_time.strftime("%H:%M"),
            }
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = _zone_choices()

    def clean(self):
        data = super().clean()
        name = data.get("timezone_other") or data.get("timezone")
        if not name:
            self.add_error("timezone", "Pick a time zone.")
        data["timezone"] = name or ""
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and start >= end:
            self.add_error("end_time", "The day must end after it starts.")
        return data


# --------------------------------------------------------------------------- recruiter


class SlotsField(forms.MultipleChoiceField):
    """Times as ISO 8601 strings with an offset (the proposed and hand-added times kept as
    checkboxes); any well-formed aware time is accepted, the service checks the rest."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value) -> bool:
        return parse_instant(value) is not None


def parse_instant(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return None if timezone.is_naive(moment) else moment


class ScheduleLinkForm(forms.Form):
    """Offer interview times to the candidate of an application."""

    interview_type = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="(none: a one-off interview)",
        label="Interview type",
        help_text="Fills the title and the duration when those are left empty.",
    )
    title = forms.CharField(required=False, max_length=120, label="Title")
    interviewers = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label="Interviewers",
        error_messages={"required": "Pick at least one interviewer."},
    )
    duration_minutes = forms.IntegerField(
        required=False,
        min_value=5,
        max_value=480,
        label="Duration (minutes)",
        help_text="Empty: the interview type's.",
    )
    timezone = forms.ChoiceField(
        label="Time zone",
        choices=(),
        help_text="The times below are in this zone; the candidate sees them in theirs.",
    )
    expires_in_days = forms.IntegerField(
        min_value=1, max_value=60, initial=7, label="Link expires after (days)"
    )
    location = forms.CharField(required=False, max_length=300, label="Location")
    video_url = forms.URLField(
        required=False, max_length=500, label="Video link", assume_scheme="https"
    )
    message = forms.CharField(
        required=False,
        max_length=2000,
        label="Message to the candidate",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    propose_from = forms.DateField(
        required=False, label="Suggest from", widget=forms.DateInput(attrs={"type": "date"})
    )
    propose_until = forms.DateField(
        required=False, label="until", widget=forms.DateInput(attrs={"type": "date"})
    )
    slots = SlotsField(required=False, label="Times offered")

    def __init__(self, *args, application: Application, zone_name: str, **kwargs):
        today = timezone.now().date()
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("timezone", zone_name)
        initial.setdefault("propose_from", today + timedelta(days=1))
        initial.setdefault("propose_until", today + timedelta(days=7))
        super().__init__(*args, **kwargs)
        self.application = application
        types = list(interview_types_of(application))
        self.fields["interview_type"].queryset = interview_types_of(application)
        self.fields["interview_type"].choices = [("", "(none: a one-off interview)")] + [
            (t.pk, f"{t.name}, {t.duration_minutes} min ({t.stage.name})") for t in types
        ]
        # Prefill: the plan's interview for the application's stage, else the plan's first.
        current = next((t for t in types if t.stage_id == application.stage_id), None)
        chosen = current or (types[0] if types else None)
        if chosen is not None:
            self.initial.setdefault("interview_type", chosen.pk)
        else:
            self.initial.setdefault("duration_minutes", 45)
        people = users_holding(*Role.ALL).order_by("first_name", "last_name", "username")
        self.fields["interviewers"].queryset = people
        self.fields["interviewers"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["timezone"].choices = _zone_choices()
        self.manual: list[tuple[str, str]] = []
        self.manual_errors: list[str] = []
        self.slot_values: list[str] = []
        if self.is_bound:
            self.slot_values = [v for v in self.data.getlist("slots") if parse_instant(v)]
            dates, times = self.data.getlist("manual_date"), self.data.getlist("manual_time")
            self.manual = [(d.strip(), t.strip()) for d, t in zip(dates, times, strict=False)]

    # -- derived values --------------------------------------------------------------

    @property
    def zone(self) -> ZoneInfo:
        name = self.cleaned_data.get("timezone") if hasattr(self, "cleaned_data") else None
        return zone_or_none(name) or zone_or_none(settings.TIME_ZONE) or ZoneInfo("UTC")

    def duration(self) -> int | None:
        data = self.cleaned_data
        if data.get("duration_minutes"):
            return data["duration_minutes"]
        kind = data.get("interview_type")
        return kind.duration_minutes if kind else None

    def title_value(self) -> str:
        kind = self.cleaned_data.get("interview_type")
        return self.cleaned_data.get("title") or (kind.name if kind else "Interview")

    def clean(self):
        data = super().clean()
        if not data.get("duration_minutes") and not data.get("interview_type"):
            self.add_error("duration_minutes", "Give a duration or pick an interview type.")
        start, until = data.get("propose_from"), data.get("propose_until")
        if start and until and until < start:
            self.add_error("propose_until", "The end of the range is before its start.")
        if start and until and (until - start).days > 31:
            self.add_error("propose_until", "Suggest within 31 days at most.")
        zone = zone_or_none(data.get("timezone"))
        if zone is not None:
            self._add_manual(zone)
        return data

    def _add_manual(self, zone: ZoneInfo) -> None:
        """Hand-added "date + time" rows (in the form's zone) join the offered times."""
        for day_text, time_text in self.manual:
            if not day_text and not time_text:
                continue
            try:
                day = date.fromisoformat(day_text)
                at = time.fromisoformat(time_text)
            except ValueError:
                self.manual_errors.append(
                    f"“{day_text} {time_text}” is not a date (YYYY-MM-DD) and a time (HH:MM)."
                )
                continue
            moment = datetime.combine(day, at, tzinfo=zone).isoformat()
            if moment not in self.slot_values:
                self.slot_values.append(moment)
        if self.manual_errors:
            self.add_error(None, " ".join(self.manual_errors))
        self.manual = []

    def offered(self) -> list[datetime]:
        """The times kept (checked, and hand-added), sorted."""
        moments = {parse_instant(v) for v in self.slot_values}
        return sorted(m for m in moments if m is not None)

    def propose_range(self) -> tuple[datetime, datetime]:
        zone = self.zone
        today = timezone.now().astimezone(zone).date()
        start = self.cleaned_data.get("propose_from") or today
        until = self.cleaned_data.get("propose_until") or start + timedelta(days=7)
        return (
            datetime.combine(start, time(0), tzinfo=zone),
            datetime.combine(until + timedelta(days=1), time(0), tzinfo=zone),
        )


class CandidateZoneForm(forms.Form):
    """The candidate's zone picker (GET ``tz``)."""

    tz = forms.ChoiceField(label="Show times in", choices=(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tz"].choices = _zone_choices()
