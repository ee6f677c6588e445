"""Forms of the recruiter screens. They shape what a person typed into what the services take;
the rules (a step's channel needs, merge fields) live in :mod:`nurture.services.sequences` and
:mod:`nurture.templating`. :func:`add_problems` puts a service's problems back next to the field
they name, with the line number of a template problem."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet

from crm.models import Candidate, ContactTopic
from nurture import templating
from nurture.models import Channel, Sequence, Step
from nurture.services.sequences import SETTINGS_FIELDS, StepInput

# The sequence settings the service writes, but "archived" (the form adds it where it applies).
SEQUENCE_FIELDS = [name for name in SETTINGS_FIELDS if name != "archived"]


class SequenceForm(forms.ModelForm):
    """The settings of a sequence (its steps have their own form)."""

    class Meta:
        model = Sequence
        fields = [*SEQUENCE_FIELDS, "archived"]
        labels = {
            "from_name": "From name",
            "from_email": "From address",
            "reply_to": "Reply-to address",
            "quiet_hours": "Quiet hours",
            "adaptive": "Adaptive timing",
            "cold_after": "Gone cold after",
            "stop_on_application": "Stop when they apply",
            "repeat_last_every_days": "Repeat the last step every (days)",
            "archived": "Archived (no new enrollments)",
        }
        help_texts = {"cold_after": "Unopened messages in a row after which the enrollment ends."}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [
            (value, label) for value, label in ContactTopic.choices if value != ContactTopic.ALL
        ]
        self.fields["name"].widget.attrs["autofocus"] = not self.instance.pk
        if not self.instance.pk:
            del self.fields["archived"]

    def service_fields(self) -> dict[str, Any]:
        """The cleaned settings except the name, as sequence_create's keyword arguments."""
        return {name: self.cleaned_data[name] for name in SEQUENCE_FIELDS if name != "name"}

    def settings(self) -> dict[str, Any]:
        """The settings to save (after ``is_valid``), as sequence_update takes them: the values
        the form would have saved itself."""
        return {name: getattr(self.instance, name) for name in self._meta.fields}


UNIT_HOURS = {"days": 24, "hours": 1}


class StepForm(forms.Form):
    """One step. The delay is typed in days or hours and stored in hours."""

    channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.EMAIL)
    delay_amount = forms.IntegerField(
        min_value=0, max_value=3650, initial=0, label="Wait", widget=forms.NumberInput
    )
    delay_unit = forms.ChoiceField(
        choices=[("days", "days"), ("hours", "hours")], initial="days", label="Unit"
    )
    delay_from = forms.ChoiceField(
        choices=Step.DelayFrom.choices, initial=Step.DelayFrom.PREVIOUS, label="Counted from"
    )
    subject = forms.CharField(max_length=300, required=False, help_text="Email only.")
    body = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Email and SMS: the text sent. Manual: the instructions on the task.",
    )
    task_kind = forms.ChoiceField(
        choices=[("", "—"), *Step.TaskKind.choices],
        required=False,
        label="Task kind",
        help_text="Manual steps only.",
    )

    @classmethod
    def for_step(cls, step: Step, **kwargs) -> StepForm:
        hours = step.delay_hours
        days = hours % 24 == 0
        initial = {
            "channel": step.channel,
            "delay_amount": hours // 24 if days else hours,
            "delay_unit": "days" if days else "hours",
            "delay_from": step.delay_from,
            "subject": step.subject,
            "body": step.body,
            "task_kind": step.task_kind,
        }
        return cls(initial=initial, **kwargs)

    def _template(self, name: str) -> str:
        source = self.cleaned_data.get(name, "")
        for problem in templating.validate(source, name):
            self.add_error(name, str(problem))
        return source

    def clean_subject(self) -> str:
        return self._template("subject")

    def clean_body(self) -> str:
        return self._template("body")

    def to_input(self) -> StepInput:
        data = self.cleaned_data
        return StepInput(
            channel=data["channel"],
            delay_hours=data["delay_amount"] * UNIT_HOURS[data["delay_unit"]],
            delay_from=data["delay_from"],
            subject=data.get("subject", ""),
            body=data.get("body", ""),
            task_kind=data.get("task_kind", ""),
        )


# Which field a service problem belongs to, by how its text starts.
_PROBLEM_FIELDS = (
    ("subject", "subject"),
    ("an email step needs a subject", "subject"),
    ("body", "body"),
    ("the body", "body"),
    ("a manual step", "task_kind"),
    ("delay_hours", "delay_amount"),
    ("delay_from", "delay_from"),
    ("channel", "channel"),
    ("name", "name"),
)


def add_problems(form: forms.Form, problems: list[str]) -> None:
    """Attach each of a NurtureError's problems to its field (the form's own errors otherwise)."""
    for problem in problems:
        text = problem.partition(": ")[2] if problem.startswith("step ") else problem
        field = next((name for prefix, name in _PROBLEM_FIELDS if text.startswith(prefix)), None)
        if field == "name" and field in form.fields:
            text = text.partition(": ")[2] or text
        form.add_error(field if field in form.fields else None, text)


class EnrollForm(forms.Form):
    """Enroll one person from a sequence's enrollments page: ``candidate`` is an id or an
    email address."""

    candidate = forms.CharField(
        max_length=254, label="Candidate id or email", required=False, strip=True
    )


class EnrollInSequenceForm(forms.Form):
    """Enroll one person from their profile: which ``sequence`` (of ``sequences``, the ones the
    user may enroll people in)."""

    sequence = forms.ModelChoiceField(
        queryset=None, empty_label="Choose a sequence", required=False
    )

    def __init__(self, *args: Any, sequences: QuerySet[Sequence], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["sequence"].queryset = sequences


class PreviewForm(forms.Form):
    """Whom to preview the steps for: a recent candidate, or anyone by id or email."""

    recent = forms.ChoiceField(required=False, label="A recent candidate")
    candidate = forms.CharField(
        max_length=254, required=False, label="…or an id or email", strip=True
    )

    def __init__(self, *args: Any, recent: Iterable[Candidate] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["recent"].choices = [
            ("", "Choose…"),
            *((str(c.pk), f"{c} ({c.email})" if c.email else str(c)) for c in recent),
        ]

    def wanted(self) -> str:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return (data.get("candidate") or data.get("recent") or "").strip()
