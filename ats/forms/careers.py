"""The public career site's job-list filters and apply form. The apply form checks what a
person typed and the resume's content (reusing crm's :func:`~crm.forms.sniff_resume` and its
size limit); the writes live in :func:`ats.services.careers.career_apply`."""

from __future__ import annotations

from django import forms
from django.conf import settings

from crm.forms import DOCX, MAX_RESUME_BYTES, PDF, sniff_resume
from crm.normalize import DEFAULT_REGION, InvalidValue, normalize_email, normalize_phone

from ..models import (
    ApplicationQuestion,
    Job,
)
from ..selectors.careers import FilterOptions, JobFilters
from ..selectors.jobs import job_questions

TRACKING_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "ref")
TRACKING_MAX_LENGTH = 200
HONEYPOT = "website"
YES_NO = (("Yes", "Yes"), ("No", "No"))


# --------------------------------------------------------------------------- career site: list filters


class JobFilterForm(forms.Form):
    """The list page's GET form. Choices are the values public jobs have; an unknown value is
    dropped (the list is then not narrowed by it), never an error."""

    q = forms.CharField(label="Search", max_length=100, required=False)
    department = forms.ChoiceField(required=False)
    location = forms.ChoiceField(required=False)
    remote = forms.ChoiceField(label="On site or remote", required=False)
    type = forms.ChoiceField(label="Employment type", required=False)

    def __init__(self, data, *, options: FilterOptions):
        super().__init__(data)
        self.fields["q"].widget.attrs |= {"type": "search", "placeholder": "Title or keyword"}
        self.fields["department"].choices = [
            ("", "All departments"),
            *((d, d) for d in options.departments),
        ]
        self.fields["location"].choices = [
            ("", "All locations"),
            ("Countries", [(c, c) for c in options.countries]),
            ("Cities", [(c, c) for c in options.cities]),
        ]
        self.fields["remote"].choices = [("", "Any"), *options.remote]
        self.fields["type"].choices = [("", "All types"), *options.employment_types]

    def filters(self) -> JobFilters:
        self.is_valid()
        data = self.cleaned_data
        return JobFilters(
            q=data.get("q") or "",
            department=data.get("department") or "",
            location=data.get("location") or "",
            remote=data.get("remote") or "",
            employment_type=data.get("type") or "",
        )

    @property
    def active(self) -> bool:
        return any(self.filters().__dict__.values())


# --------------------------------------------------------------------------- career site: apply


def _question_field(question: ApplicationQuestion) -> forms.Field:
    common = {"label": question.label, "required": question.required}
    if question.kind == ApplicationQuestion.Kind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if question.kind == ApplicationQuestion.Kind.CHOICE:
        choices = [("", "Choose…"), *((c, c) for c in question.choices)]
        return forms.ChoiceField(choices=choices, **common)
    return forms.CharField(
        max_length=5000, widget=forms.Textarea({"rows": 3}), strip=True, **common
    )


class PublicResumeForm(forms.Form):
    """What the public forms with a resume share: the resume checked by its content (kept in
    ``self.checked`` for the service) and the honeypot a bot fills."""

    checked = None

    def checked_resume(self, upload):
        if upload.size > MAX_RESUME_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB; attach a smaller one.")
        checked = sniff_resume(upload)
        if checked is None:
            raise forms.ValidationError(
                "This file is not a PDF or Word (.docx) document; attach your resume as one."
            )
        self.checked = checked
        return upload

    @property
    def honeypot_filled(self) -> bool:
        return bool((self.data.get(HONEYPOT) or "").strip())


class ApplyForm(PublicResumeForm):
    """A candidate's application to one job: who they are, their resume, the job's own
    questions and their consent to the privacy notice. The honeypot and tracking fields ride
    along hidden."""

    first_name = forms.CharField(
        max_length=150, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        max_length=150, widget=forms.TextInput({"autocomplete": "family-name"})
    )
    email = forms.CharField(
        max_length=254, widget=forms.EmailInput({"autocomplete": "email"}), label="Email"
    )
    phone = forms.CharField(
        max_length=40,
        required=False,
        label="Phone (optional)",
        help_text="With the country code, e.g. +49 30 1234567.",
        widget=forms.TextInput({"type": "tel", "autocomplete": "tel"}),
    )
    resume = forms.FileField(
        label="Resume",
        help_text="PDF or Word (.docx), up to 10 MB.",
        widget=forms.FileInput({"accept": f".pdf,.docx,{PDF},{DOCX}"}),
    )
    cover_letter = forms.CharField(
        label="Cover letter (optional)",
        max_length=10000,
        required=False,
        widget=forms.Textarea({"rows": 6}),
    )
    privacy_consent = forms.BooleanField(
        label="Privacy notice",  # the template writes the sentence, with the notice's link
        error_messages={"required": "Please confirm that you have read the privacy notice."},
    )
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput({"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, job: Job, **kwargs):
        super().__init__(*args, **kwargs)
        self.job = job
        self.checked = None
        self.questions = job_questions(job)
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = _question_field(question)
        for key in TRACKING_KEYS:
            self.fields[key] = forms.CharField(required=False, widget=forms.HiddenInput)

    # --- validation

    def clean_email(self) -> str:
        try:
            return normalize_email(self.cleaned_data["email"])
        except InvalidValue:
            raise forms.ValidationError("Enter an email address like name@example.com.") from None

    def clean_phone(self) -> str:
        region = next((loc.country for loc in self.job.locations.all()), DEFAULT_REGION)
        try:
            return normalize_phone(self.cleaned_data["phone"], region or DEFAULT_REGION)
        except InvalidValue:
            raise forms.ValidationError(
                "Enter a phone number with its country code, e.g. +49 30 1234567."
            ) from None

    def clean_resume(self):
        return self.checked_resume(self.cleaned_data["resume"])

    # --- what the view and service need

    def question_fields(self) -> list:
        return [self[f"q_{question.pk}"] for question in self.questions]

    def tracking_fields(self) -> list:
        return [self[key] for key in TRACKING_KEYS]

    def person(self) -> dict:
        data = {name: self.cleaned_data[name] for name in ("first_name", "last_name", "email")}
        if self.cleaned_data.get("phone"):
            data["phone"] = self.cleaned_data["phone"]
        return data

    def answers(self) -> list[dict]:
        return [
            {
                "question": question.pk,
                "label": question.label,
                "answer": self.cleaned_data.get(f"q_{question.pk}") or "",
            }
            for question in self.questions
        ]

    def tracking(self) -> dict:
        values = {key: (self.cleaned_data.get(key) or "").strip() for key in TRACKING_KEYS}
        return {key: value[:TRACKING_MAX_LENGTH] for key, value in values.items() if value}

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, label, message) for the summary above the form."""
        rows = []
        for name, errors in self.errors.items():
            if name == "__all__":
                rows.extend(("", "", str(message)) for message in errors)
                continue
            field = self[name]
            rows.extend((field.id_for_label or field.auto_id, field.label, m) for m in errors)
        return rows


def tracking_initial(query) -> dict:
    """The utm_* and ref parameters of the job page's address, for the form's hidden fields."""
    return {
        key: query[key][:TRACKING_MAX_LENGTH] for key in TRACKING_KEYS if query.get(key, "").strip()
    }


def privacy_notice() -> dict:
    return {"url": settings.PRIVACY_NOTICE_URL, "version": settings.PRIVACY_NOTICE_VERSION}
