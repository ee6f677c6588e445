"""Forms of the ATS pages: a job (its fields, locations, stages and questions), the board's
filters and bulk bar, "add to a job" on a candidate's profile, and the public career site's
job-list filters and apply form.

Querysets come from selectors. The apply form checks what a person typed and the resume's
content (reusing crm's :func:`~crm.forms.sniff_resume` and its size limit); the writes live in
:func:`ats.services.careers.career_apply`.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from config.core.forms import parse_id
from config.core.roles import Role
from crm.forms import DOCX, MAX_RESUME_BYTES, PDF, sniff_resume
from crm.models import Candidate
from crm.normalize import DEFAULT_REGION, InvalidValue, normalize_email, normalize_phone

from .models import (
    Application,
    ApplicationQuestion,
    EmploymentType,
    Job,
    RemotePolicy,
    StageKind,
)
from .selectors.applications import rejection_reason_choices
from .selectors.careers import FilterOptions, JobFilters
from .selectors.jobs import job_questions, job_stage_choices, jobs_open_to_add
from .selectors.users import referrer_choices, users_in_role

# --------------------------------------------------------------------------- a job

_COUNTRY = re.compile(r"^[A-Z]{2}$")


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class UserMultipleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


def _countries(value: str) -> list[str]:
    codes = [c.strip().upper() for c in re.split(r"[,\s]+", value or "") if c.strip()]
    bad = [c for c in codes if not _COUNTRY.match(c)]
    if bad:
        raise forms.ValidationError(
            f"Use two-letter country codes (ISO 3166), e.g. DE, US: {', '.join(bad)}"
        )
    return list(dict.fromkeys(codes))


class JobForm(forms.Form):
    title = forms.CharField(max_length=200)
    department = forms.CharField(max_length=120, required=False)
    employment_type = forms.ChoiceField(choices=EmploymentType.choices)
    remote_policy = forms.ChoiceField(choices=RemotePolicy.choices, label="Work location")
    remote_countries = forms.CharField(
        required=False,
        label="Remote: countries applicants must live in",
        help_text="Two-letter codes separated by commas (DE, AT, CH). Empty: anywhere.",
    )
    locations = forms.CharField(
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text="One per line: City, Region, Country code, Postal code (region and postal "
        "code optional), e.g. “Berlin, Berlin, DE, 10115”.",
    )
    description = forms.CharField(
        required=False,
        widget=forms.Textarea({"rows": 14}),
        help_text="Markdown: **bold**, *italic*, lists, ## headings, [links](https://…).",
    )
    salary_min = forms.DecimalField(required=False, min_value=0, max_digits=12, decimal_places=2)
    salary_max = forms.DecimalField(required=False, min_value=0, max_digits=12, decimal_places=2)
    salary_currency = forms.CharField(
        required=False, max_length=10, help_text="ISO 4217, e.g. EUR, USD."
    )
    salary_period = forms.ChoiceField(choices=Job._meta.get_field("salary_period").choices)
    openings = forms.IntegerField(min_value=1, max_value=500, initial=1)
    valid_through = forms.DateField(
        required=False,
        widget=forms.DateInput({"type": "date"}),
        help_text="Job boards drop the posting after this date.",
    )
    hiring_manager = UserChoice(queryset=users_in_role(Role.HIRING_MANAGER), required=False)
    recruiter = UserChoice(queryset=users_in_role(Role.RECRUITER), required=False)
    panel = UserMultipleChoice(
        queryset=users_in_role(Role.INTERVIEWER),
        required=False,
        label="Interview panel",
        widget=forms.CheckboxSelectMultiple,
    )
    published = forms.BooleanField(
        required=False, help_text="Shown on the career page and job feeds while the job is open."
    )

    def clean_remote_countries(self) -> list[str]:
        return _countries(self.cleaned_data.get("remote_countries", ""))

    def clean_salary_currency(self) -> str:
        value = (self.cleaned_data.get("salary_currency") or "").strip().upper()
        if value and not re.fullmatch(r"[A-Z]{3}", value):
            raise forms.ValidationError("Use a three-letter currency code, e.g. EUR.")
        return value

    def clean_locations(self) -> list[dict]:
        rows = []
        for number, line in enumerate((self.cleaned_data.get("locations") or "").splitlines(), 1):
            parts = [p.strip() for p in line.split(",")]
            if not any(parts):
                continue
            rows.append(_location(parts, number))
        return rows

    def clean(self):
        data = super().clean()
        low, high = data.get("salary_min"), data.get("salary_max")
        if low is not None and high is not None and low > high:
            self.add_error("salary_max", "The maximum is below the minimum.")
        if (low is not None or high is not None) and not data.get("salary_currency"):
            self.add_error("salary_currency", "Say which currency the salary is in.")
        placed = data.get("remote_policy") in (RemotePolicy.ONSITE, RemotePolicy.HYBRID)
        if placed and not data.get("locations") and "locations" not in self.errors:
            self.add_error("locations", "An on-site or hybrid job needs at least one place.")
        return data

    def job_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("locations", None)
        data.pop("panel", None)
        return data


def _location(parts: list[str], number: int) -> dict:
    """``City[, Region], CC[, postal]``: the country is the first two-letter capital part."""
    city = parts[0]
    rest = parts[1:]
    index = next((i for i, p in enumerate(rest) if _COUNTRY.match(p.upper()) and len(p) == 2), None)
    if not city or index is None:
        raise forms.ValidationError(
            f"Line {number}: write “City, Region, Country code”, e.g. “Austin, TX, US”."
        )
    region = ", ".join(rest[:index])
    postal = ", ".join(rest[index + 1 :])
    return {"city": city, "region": region, "country": rest[index].upper(), "postal_code": postal}


class StageForm(forms.Form):
    name = forms.CharField(max_length=80)
    kind = forms.ChoiceField(choices=StageKind.choices, required=False)
    manager_review = forms.BooleanField(
        required=False, label="Hiring manager reviews applications in this stage"
    )


class QuestionForm(forms.Form):
    label = forms.CharField(max_length=300, label="Question")
    kind = forms.ChoiceField(choices=ApplicationQuestion.Kind.choices, label="Answer")
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text="For a choice: one option per line.",
    )
    required = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        options = [c.strip() for c in (data.get("choices") or "").splitlines() if c.strip()]
        if data.get("kind") == ApplicationQuestion.Kind.CHOICE and len(options) < 2:
            self.add_error("choices", "A choice question needs at least two options.")
        data["choices"] = options if data.get("kind") == ApplicationQuestion.Kind.CHOICE else []
        return data


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


class ApplyForm(forms.Form):
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
        upload = self.cleaned_data["resume"]
        if upload.size > MAX_RESUME_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB; attach a smaller one.")
        checked = sniff_resume(upload)
        if checked is None:
            raise forms.ValidationError(
                "This file is not a PDF or Word (.docx) document; attach your resume as one."
            )
        self.checked = checked
        return upload

    # --- what the view and service need

    @property
    def honeypot_filled(self) -> bool:
        return bool((self.data.get(HONEYPOT) or "").strip())

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
