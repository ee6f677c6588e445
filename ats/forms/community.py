"""The talent-community signup form of the career site (the page and its embeddable copy). It
checks what a person typed and the resume's content as the apply form does; the service
(:func:`crm.services.community.community_signup`) checks everything again and does the writes."""

from __future__ import annotations

from django import forms

from crm.forms import DOCX, PDF
from crm.models import ContactTopic, Seniority
from crm.normalize import InvalidValue, normalize_email, normalize_linkedin

from .careers import PublicResumeForm

TOPIC_CHOICES = (
    (ContactTopic.JOB_ALERTS.value, "Job alerts: new jobs that fit what I chose above (required)"),
    (ContactTopic.NURTURE.value, "Keeping in touch: occasional notes from our recruiters"),
    (ContactTopic.COMPANY_NEWS.value, "Company news"),
)


class CommunityJoinForm(PublicResumeForm):
    """Who the person is, what and where they would like to work, and what we may send them."""

    first_name = forms.CharField(
        max_length=150, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        max_length=150, widget=forms.TextInput({"autocomplete": "family-name"})
    )
    email = forms.CharField(
        max_length=254, widget=forms.EmailInput({"autocomplete": "email"}), label="Email"
    )
    interests = forms.MultipleChoiceField(
        label="Areas you are interested in",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one area you are interested in."},
    )
    locations = forms.MultipleChoiceField(
        label="Where you would like to work (optional)",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    seniority = forms.ChoiceField(
        label="Seniority (optional)",
        choices=[("", "Choose…"), *Seniority.choices],
        required=False,
    )
    linkedin_url = forms.CharField(
        label="LinkedIn profile (optional)",
        max_length=300,
        required=False,
        help_text="For example https://www.linkedin.com/in/your-name",
        widget=forms.URLInput({"autocomplete": "url"}),
    )
    resume = forms.FileField(
        label="Resume (optional)",
        required=False,
        help_text="PDF or Word (.docx), up to 10 MB.",
        widget=forms.FileInput({"accept": f".pdf,.docx,{PDF},{DOCX}"}),
    )
    topics = forms.MultipleChoiceField(
        label="What we may send you",
        choices=TOPIC_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Agree to receive job alerts to join the talent community."},
    )
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput({"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, interests: list[str], locations: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.checked = None
        self.interest_choices = interests
        self.fields["interests"].choices = [(i, i) for i in interests]
        self.fields["locations"].choices = [(c, c) for c in locations]

    def clean_email(self) -> str:
        try:
            email = normalize_email(self.cleaned_data["email"])
        except InvalidValue:
            email = ""
        if not email:
            raise forms.ValidationError("Enter an email address like name@example.com.")
        return email

    def clean_linkedin_url(self) -> str:
        try:
            return normalize_linkedin(self.cleaned_data["linkedin_url"])
        except InvalidValue:
            raise forms.ValidationError(
                "Enter the address of your LinkedIn profile, like "
                "https://www.linkedin.com/in/your-name."
            ) from None

    def clean_topics(self) -> list[str]:
        topics = self.cleaned_data["topics"]
        if ContactTopic.JOB_ALERTS.value not in topics:
            raise forms.ValidationError("Agree to receive job alerts to join the talent community.")
        return topics

    def clean_resume(self):
        upload = self.cleaned_data.get("resume")
        return self.checked_resume(upload) if upload else None

    # --- what the view and service need

    def signup_data(self) -> dict:
        names = ("first_name", "last_name", "email", "interests", "locations", "seniority")
        data = {name: self.cleaned_data[name] for name in names}
        data["linkedin_url"] = self.cleaned_data["linkedin_url"]
        data["topics"] = self.cleaned_data["topics"]
        return data

    def resume_upload(self):
        upload = self.cleaned_data.get("resume")
        return (upload, self.checked) if upload and self.checked else None

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, label, message) for the summary above the form."""
        rows = []
        for name, errors in self.errors.items():
            if name == "__all__":
                rows.extend(("", "", str(message)) for message in errors)
                continue
            field = self[name]
            anchor = field.id_for_label or field.auto_id
            rows.extend((anchor, field.label, m) for m in errors)
        return rows
