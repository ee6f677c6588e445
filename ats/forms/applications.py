"""\"Add to a job\" on a candidate's profile."""

from __future__ import annotations

from django import forms

from crm.models import Candidate

from ..models import (
    Application,
)
from ..selectors.jobs import jobs_open_to_add
from ..selectors.users import referrer_choices

# --------------------------------------------------------------------------- candidate profile

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

    job = forms.ModelChoiceField(queryset=None, empty_label="Choose a job")
    source = forms.ChoiceField(choices=ADD_SOURCES, initial=Application.Source.SOURCED)
    referrer = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Referred by (a colleague)",
        help_text="For a referral.",
    )
    source_detail = forms.CharField(
        required=False, max_length=200, label="Source detail", help_text="Agency name, event…"
    )

    def __init__(self, *args, candidate: Candidate | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].queryset = jobs_open_to_add(candidate)
        self.fields["referrer"].queryset = referrer_choices()
        self.fields["referrer"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        data = super().clean()
        if data.get("source") == Application.Source.REFERRAL and not (
            data.get("referrer") or data.get("source_detail")
        ):
            self.add_error("referrer", "Say who referred them (a colleague or in the detail).")
        return data


class LeftCompanyForm(forms.Form):
    """The day a hire left the company; empty clears it (the undo)."""

    left_on = forms.DateField(required=False, label="Left the company on")
