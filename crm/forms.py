"""Forms for the candidate profile: the record form (new and edit), notes, do-not-contact and
resume uploads; and for imports: the uploads and the column mapping.

The forms only shape what a person typed into the payload the services take; normalization and
validation of emails, phones, URLs, choices and years live in :mod:`crm.services.candidates`
(one set of rules for forms, API and imports). :meth:`CandidateForm.add_service_errors` puts a
:class:`~crm.services.errors.CandidateInputError` back next to the field it names.
"""

from __future__ import annotations

import hashlib
import re
import zipfile

from django import forms

from .models import (
    Candidate,
    Channel,
    ImportJob,
    InterestLevel,
    InterestTiming,
    RemotePreference,
    Seniority,
    Source,
)
from .selectors.candidates import recruiters
from .services.imports_csv import FIELDS, MappingError, validate_mapping
from .services.resumes import CheckedResume

MAX_RESUME_BYTES = 10 * 1024 * 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_SKILL_YEARS_RE = re.compile(r"^(?P<name>.+?)\s*:\s*(?P<years>[^:]*)$")


def _choices(enum, blank_label: str = "—") -> list[tuple[str, str]]:
    return [("", blank_label), *((value, label) for value, label in enum.choices if value)]


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


def parse_skills(text: str) -> list[dict]:
    """``"Python:5, Go: 2.5, SQL"`` -> ``[{"name": "Python", "years": "5"}, ...]``; the service
    checks the years and names the ``skills`` field when they are not a number."""
    skills = []
    for part in re.split(r"[,;\n]", text or ""):
        part = part.strip()
        if not part:
            continue
        match = _SKILL_YEARS_RE.match(part)
        if match:
            skills.append({"name": match["name"].strip(), "years": match["years"].strip() or None})
        else:
            skills.append({"name": part, "years": None})
    return skills


class CandidateForm(forms.Form):
    """The candidate record form. ``instance=None`` is the new-candidate form; with an instance
    it edits. On edit, list fields (emails, phones, skills, tags) add to what is stored: the
    services merge lists and never drop an address another system may still use."""

    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.CharField(max_length=254, required=False, widget=forms.EmailInput)
    emails = forms.CharField(
        label="Other emails", required=False, help_text="Separate several with commas."
    )
    phone = forms.CharField(max_length=40, required=False, widget=forms.TextInput({"type": "tel"}))
    phones = forms.CharField(
        label="Other phones", required=False, help_text="Separate several with commas."
    )
    linkedin_url = forms.CharField(label="LinkedIn", max_length=300, required=False)
    github_url = forms.CharField(label="GitHub", max_length=300, required=False)
    website_url = forms.CharField(label="Website", max_length=300, required=False)
    city = forms.CharField(max_length=120, required=False)
    region = forms.CharField(max_length=120, required=False)
    country = forms.CharField(
        max_length=60, required=False, help_text="Two letters, e.g. US, DE, GB."
    )
    remote_preference = forms.ChoiceField(
        choices=_choices(RemotePreference, "Unknown"), required=False
    )
    current_title = forms.CharField(max_length=200, required=False)
    current_company = forms.CharField(max_length=200, required=False)
    seniority = forms.ChoiceField(choices=_choices(Seniority), required=False)
    years_experience = forms.CharField(label="Years of experience", max_length=10, required=False)
    summary = forms.CharField(widget=forms.Textarea({"rows": 4}), required=False)
    skills = forms.CharField(
        required=False,
        help_text="Separate with commas; add years after a colon, e.g. Python:5, SQL.",
    )
    tags = forms.CharField(required=False, help_text="Separate with commas.")
    source = forms.ChoiceField(choices=Source.choices, initial=Source.SOURCED)
    owner = OwnerField(queryset=None, required=False, empty_label="Nobody")
    interest_level = forms.ChoiceField(choices=InterestLevel.choices, initial=InterestLevel.PASSIVE)
    interest_timing = forms.ChoiceField(choices=_choices(InterestTiming, "Unknown"), required=False)
    preferred_channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.EMAIL)

    # Service error keys that have no field of that name on the edit form.
    _ALIASES = {"email": "emails", "phone": "phones"}
    _LIST_FIELDS = ("emails", "phones", "skills", "tags")

    def __init__(self, *args, instance: Candidate | None = None, **kwargs):
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", self._initial_from(instance))
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = recruiters()
        if instance is not None:
            self._adapt_for_edit(instance)

    @staticmethod
    def _initial_from(candidate: Candidate) -> dict:
        names = [name for name in CandidateForm.base_fields if name not in ("email", "phone")]
        initial = {
            name: getattr(candidate, name)
            for name in names
            if name not in CandidateForm._LIST_FIELDS and name != "owner"
        }
        initial["owner"] = candidate.owner_id
        if candidate.years_experience is not None:
            initial["years_experience"] = f"{candidate.years_experience.normalize():f}"
        return initial

    def _adapt_for_edit(self, candidate: Candidate) -> None:
        # The primary address and number are identities other records match on; an edit adds
        # addresses and numbers, it does not swap the primary one.
        del self.fields["email"], self.fields["phone"]
        current = {
            "emails": ", ".join(e.email for e in candidate.emails.all()) or candidate.email,
            "phones": ", ".join(p.number for p in candidate.phones.all()) or candidate.phone,
            "skills": ", ".join(s.name for s in candidate.skills.all()),
            "tags": ", ".join(candidate.tags),
        }
        labels = {
            "emails": "Add emails",
            "phones": "Add phones",
            "skills": "Add skills",
            "tags": "Add tags",
        }
        for name, label in labels.items():
            field = self.fields[name]
            field.label = label
            if current[name]:
                field.help_text = f"Now: {current[name]}. {field.help_text}".strip()

    FIELDSETS = (
        ("Name", ("first_name", "last_name")),
        (
            "Contact",
            ("email", "emails", "phone", "phones", "linkedin_url", "github_url", "website_url"),
        ),
        ("Location", ("city", "region", "country", "remote_preference")),
        (
            "Work",
            (
                "current_title",
                "current_company",
                "seniority",
                "years_experience",
                "skills",
                "summary",
            ),
        ),
        (
            "Relationship",
            ("tags", "source", "owner", "interest_level", "interest_timing", "preferred_channel"),
        ),
    )

    def fieldsets(self) -> list[tuple[str, list]]:
        """(legend, bound fields) in display order, for the template."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.FIELDSETS
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance is None:
            return cleaned
        # Services keep a stored value when given an empty one; say so instead of pretending.
        for name in self.changed_data:
            if name in self._LIST_FIELDS or name == "owner":
                continue
            if cleaned.get(name) in ("", None) and self.initial.get(name) not in ("", None):
                self.add_error(name, "Clearing a saved value is not supported yet; type a new one.")
        return cleaned

    def service_data(self) -> dict:
        """The payload for ``candidate_upsert`` / ``candidate_update``: on edit only what changed,
        so an edit marks as recruiter-owned exactly the fields the recruiter touched."""
        names = self.changed_data if self.instance is not None else list(self.cleaned_data)
        data = {}
        for name in names:
            if name in ("owner", "source"):
                continue
            value = self.cleaned_data.get(name)
            if name == "skills":
                value = parse_skills(value)
            if value not in ("", None, []):
                data[name] = value
        return data

    def add_service_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            target = name if name in self.fields else self._ALIASES.get(name)
            self.add_error(target if target in self.fields else None, message)


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Note",
        required=False,  # the service owns the rule and its message
        widget=forms.Textarea({"rows": 3, "placeholder": "Add a note…"}),
    )


class DoNotContactForm(forms.Form):
    flag = forms.BooleanField(required=False, widget=forms.HiddenInput)
    do_not_contact_reason = forms.CharField(
        label="Reason", max_length=300, required=False, widget=forms.TextInput
    )


def sniff_resume(upload) -> CheckedResume | None:
    """What the file really is, judged by its content: a PDF (``%PDF-`` magic) or a DOCX (a zip
    holding ``word/document.xml``). ``None`` for anything else, whatever its name says."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = None
    if head.startswith(b"%PDF-"):
        kind = (PDF, ".pdf")
    elif head.startswith(b"PK\x03\x04"):
        try:
            # Only the central directory is read: nothing is decompressed.
            with zipfile.ZipFile(upload) as archive:
                if "word/document.xml" in archive.namelist():
                    kind = (DOCX, ".docx")
        except (zipfile.BadZipFile, OSError, ValueError):
            kind = None
    if kind is None:
        return None
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedResume(kind[0], kind[1], digest.hexdigest(), upload.size)


class ResumeUploadForm(forms.Form):
    file = forms.FileField(
        label="Resume",
        help_text="PDF or Word (.docx), up to 10 MB.",
        widget=forms.FileInput({"accept": f".pdf,.docx,{PDF},{DOCX}"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_RESUME_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB.")
        checked = sniff_resume(upload)
        if checked is None:
            raise forms.ValidationError("This is not a PDF or Word (.docx) file.")
        self.checked = checked
        return upload


# --------------------------------------------------------------------------- imports


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Up to 20 MB, UTF-8 (or Windows-1252), with a header row.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class ZipUploadForm(forms.Form):
    file = forms.FileField(
        label="Zip of resumes",
        help_text="Up to 50 MB and 500 PDF, DOCX or TXT files, 10 MB each.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )


class MappingForm(forms.Form):
    """One select per CSV column: which candidate field the column fills."""

    def __init__(self, *args, header: list[str], columns: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.header = header
        for index, name in enumerate(header):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=name, choices=list(FIELDS.items()), initial=columns[index]
            )

    def columns(self) -> list[str]:
        return [self.cleaned_data[f"col_{i}"] for i in range(len(self.header))]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                validate_mapping(self.columns(), self.header)
            except MappingError as exc:
                raise forms.ValidationError(str(exc)) from None
        return cleaned


def mapping_form(job: ImportJob, data=None) -> MappingForm:
    """The mapping form of a CSV job, with its saved (or guessed) columns."""
    header = job.summary["csv"]["header"]
    columns = (job.mapping or {}).get("columns") or ["ignore"] * len(header)
    return MappingForm(data, header=header, columns=columns)


# --------------------------------------------------------------------------- talent pools

POOL_FILTER_FIELDS = (
    "q", "skills", "location", "country", "seniority", "tags", "source",
    "min_years", "max_years", "active_after", "active_before",
)  # fmt: skip


def _pool_choice(values, blank: str) -> list[tuple[str, str]]:
    return [("", blank), *values]


class PoolForm(forms.Form):
    """A pool's name and description and, for a dynamic pool, its rule as plain fields: the
    candidate search's filters, crm's conditions and those the higher apps registered
    (``cond_<name>``). The rule itself is validated by :func:`crm.selectors.pools.rule_parse`;
    its messages come back on the field they name."""

    name = forms.CharField(max_length=120)
    description = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(
        choices=[
            ("static", "Static: add and remove people by hand"),
            ("dynamic", "Dynamic: whoever matches a rule"),
        ],
        initial="dynamic",
        widget=forms.RadioSelect,
    )
    q = forms.CharField(label="Keywords", required=False, max_length=200)
    skills = forms.CharField(
        required=False, max_length=500, help_text="Comma separated; all of them."
    )
    location = forms.CharField(required=False, max_length=120, help_text="City or region.")
    country = forms.CharField(required=False, max_length=60)
    seniority = forms.MultipleChoiceField(
        choices=Seniority.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = forms.CharField(
        required=False, max_length=500, help_text="Comma separated; all of them."
    )
    source = forms.MultipleChoiceField(
        choices=Source.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    min_years = forms.CharField(label="Minimum years of experience", required=False, max_length=10)
    max_years = forms.CharField(label="Maximum years of experience", required=False, max_length=10)
    active_after = forms.CharField(
        label="Active on or after (YYYY-MM-DD)", required=False, max_length=10
    )
    active_before = forms.CharField(
        label="Active on or before (YYYY-MM-DD)", required=False, max_length=10
    )
    match = forms.ChoiceField(
        label="Conditions",
        choices=[("all", "All of the conditions"), ("any", "Any of the conditions")],
        initial="all",
    )

    def __init__(self, *args, conditions=(), dynamic_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.condition_names = []
        for info in conditions:
            key = f"cond_{info.name}"
            self.fields[key] = forms.CharField(
                label=info.label, required=False, max_length=200, help_text=info.help
            )
            self.condition_names.append(info.name)
        if dynamic_only is not None and dynamic_only:
            self.fields.pop("kind")

    @classmethod
    def initial_for(cls, pool) -> dict:
        """The form's initial values from a pool's stored rule."""
        rule = pool.rule or {}
        initial: dict = {"name": pool.name, "description": pool.description, "kind": pool.kind}
        for name, value in (rule.get("filters") or {}).items():
            initial[name] = value.split(",") if name in ("seniority", "source") else value
        for name, value in (rule.get("conditions") or {}).items():
            if isinstance(value, list):
                value = ", ".join(value)
            elif isinstance(value, dict):
                value = value.get("kind", "")
            initial[f"cond_{name}"] = "true" if value is True else value
        initial["match"] = rule.get("match", "all")
        return initial

    def filter_fields(self):
        return [self[name] for name in POOL_FILTER_FIELDS]

    def condition_fields(self):
        return [self[f"cond_{name}"] for name in self.condition_names]

    def rule(self) -> dict:
        """The rule the fields describe (call after is_valid)."""
        data = self.cleaned_data
        filters = {}
        for name in POOL_FILTER_FIELDS:
            value = data.get(name)
            if isinstance(value, list):
                value = ",".join(value)
            if value:
                filters[name] = value
        conditions = {
            name: data[f"cond_{name}"].strip()
            for name in self.condition_names
            if data.get(f"cond_{name}", "").strip()
        }
        return {"filters": filters, "conditions": conditions, "match": data.get("match") or "all"}

    def add_rule_errors(self, errors: dict[str, str]) -> None:
        """Put the rule's (or the service's) messages on the fields they name."""
        for key, message in errors.items():
            field = key.split(".", 1)[-1]
            if key.startswith("conditions."):
                field = f"cond_{field}"
            self.add_error(field if field in self.fields else None, message)
