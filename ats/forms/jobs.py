"""The job form (fields, locations, hiring team) and the pipeline setup's stage and question forms."""

from __future__ import annotations

import re

from django import forms

from config.core.roles import Role
from crm.models import Seniority
from crm.selectors.search import skill_slug

from ..models import (
    ApplicationQuestion,
    EmploymentType,
    Job,
    RemotePolicy,
    StageKind,
)
from ..selectors.users import users_in_role

# --------------------------------------------------------------------------- a job

_COUNTRY = re.compile(r"^[A-Z]{2}$")
MAX_JOB_SKILLS = 30


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


def _skills(value: str) -> list[str]:
    """Comma-separated skills as crm's taxonomy slugs (the rule candidates' skills follow)."""
    names = [name.strip() for name in (value or "").split(",") if name.strip()]
    if len(names) > MAX_JOB_SKILLS:
        raise forms.ValidationError(f"List at most {MAX_JOB_SKILLS} skills.")
    too_long = [name for name in names if len(name) > 100]
    if too_long:
        raise forms.ValidationError(f"A skill is longer than 100 characters: {too_long[0][:40]}…")
    return list(dict.fromkeys(skill_slug(name) for name in names))


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
    required_skills = forms.CharField(
        required=False,
        max_length=2000,
        label="Required skills",
        help_text="Separated by commas (Python, Django, PostgreSQL). Empty: the skills the "
        "description names are used when ranking past candidates (Rediscover).",
    )
    nice_skills = forms.CharField(
        required=False,
        max_length=2000,
        label="Nice-to-have skills",
        help_text="Separated by commas.",
    )
    seniority = forms.ChoiceField(
        choices=[("", "Any"), *Seniority.choices], required=False, label="Seniority"
    )
    min_years = forms.DecimalField(
        required=False,
        min_value=0,
        max_value=80,
        max_digits=4,
        decimal_places=1,
        label="Minimum years of experience",
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
    manager_can_bulk = forms.BooleanField(
        required=False,
        label="The hiring manager may bulk move and reject",
        help_text="Shows the board's bulk bar to the hiring manager too (recruiters always have it).",
    )
    published = forms.BooleanField(
        required=False, help_text="Shown on the career page and job feeds while the job is open."
    )

    def clean_remote_countries(self) -> list[str]:
        return _countries(self.cleaned_data.get("remote_countries", ""))

    def clean_required_skills(self) -> list[str]:
        return _skills(self.cleaned_data.get("required_skills", ""))

    def clean_nice_skills(self) -> list[str]:
        return _skills(self.cleaned_data.get("nice_skills", ""))

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
        required = data.get("required_skills") or []
        if data.get("nice_skills"):
            data["nice_skills"] = [s for s in data["nice_skills"] if s not in required]
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
