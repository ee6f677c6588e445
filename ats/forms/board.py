"""The board's filters and bulk bar."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError

from config.core.forms import parse_id

from ..models import (
    Application,
    Job,
)
from ..selectors.applications import rejection_reason_choices
from ..selectors.jobs import job_stage_choices

# --------------------------------------------------------------------------- the board

MAX_SELECTED = 5000


class BoardFilterForm(forms.Form):
    """GET filters of the board. An invalid value is shown as an error and otherwise ignored,
    so a hand-edited URL still shows the board."""

    q = forms.CharField(required=False, max_length=100, label="Name or title")
    source = forms.ChoiceField(
        required=False, choices=[("", "Any source"), *Application.Source.choices]
    )
    days = forms.IntegerField(
        required=False, min_value=0, max_value=3650, label="Days in stage at least"
    )
    closed = forms.BooleanField(required=False, label="Show rejected, withdrawn and hired")

    def params(self) -> dict:
        """The valid filters by name (absent or invalid ones as their empty value)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "source": data.get("source") or "",
            "days": data.get("days"),
            "closed": bool(data.get("closed")),
        }

    @property
    def narrows(self) -> bool:
        """True when a filter hides some active cards (counts then read "x of y")."""
        params = self.params()
        return bool(params["q"] or params["source"] or params["days"] is not None)

    def query(self) -> str:
        """The filters in use as a query string (no leading "?"), for links and form actions."""
        params = self.params()
        pairs = [(name, value) for name, value in params.items() if value not in ("", None, False)]
        return urlencode([(name, "1" if value is True else value) for name, value in pairs])


class IdListField(forms.Field):
    """The ticked application ids (a list of numbers from repeated ``ids`` parameters)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        values = [v for v in (value or []) if str(v).strip()]
        if len(values) > MAX_SELECTED:
            raise ValidationError(f"Tick at most {MAX_SELECTED} cards at once.")
        ids = [parse_id(v) for v in values]
        if None in ids:
            raise ValidationError("The selection holds something that is not a card.")
        return list(dict.fromkeys(ids))

    def validate(self, value) -> None:
        if self.required and not value:
            raise ValidationError("Tick at least one card.", code="required")


class BoardBulkForm(forms.Form):
    """The bulk bar: move the ticked cards to a stage, or reject them with a reason."""

    action = forms.ChoiceField(choices=[("move", "Move"), ("reject", "Reject")])
    ids = IdListField(error_messages={"required": "Tick at least one card."})
    stage = forms.ModelChoiceField(queryset=None, required=False)
    reason = forms.ModelChoiceField(queryset=rejection_reason_choices(), required=False)
    note = forms.CharField(required=False, max_length=500)
    send_email = forms.BooleanField(required=False)

    def __init__(self, *args, job: Job, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = job_stage_choices(job)

    def clean(self):
        data = super().clean()
        if data.get("action") == "move" and not data.get("stage"):
            self.add_error("stage", "Choose the stage to move the selected cards to.")
        if data.get("action") == "reject" and not data.get("reason"):
            self.add_error("reason", "Pick a rejection reason from the list.")
        return data

    def error_text(self) -> str:
        return " ".join(str(message) for errors in self.errors.values() for message in errors)
