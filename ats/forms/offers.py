"""The offer form (terms, letter, approval chain) and the small forms of the offer's actions and
the candidate's answer. The services check everything again; these give field errors early."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from .. import letters
from ..models import Application, Offer, SalaryPeriod
from ..selectors.offers import approver_choices, offer_template_choices
from ..services.offers import DEFAULT_VALID_DAYS, MAX_SALARY, MAX_VALID_DAYS

APPROVER_SLOTS = 3


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class OfferForm(forms.Form):
    """Make or edit an offer. ``approver_1``..``approver_3`` are the chain in order (empty
    slots are skipped)."""

    template = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="No template (write the letter below)",
        help_text="The letter is rendered from it with the terms below.",
    )
    salary = forms.DecimalField(min_value=0, max_value=MAX_SALARY, max_digits=10, decimal_places=2)
    currency = forms.CharField(max_length=3, help_text="ISO 4217, e.g. EUR, USD.")
    salary_period = forms.ChoiceField(choices=SalaryPeriod.choices, label="Per")
    start_date = forms.DateField(widget=forms.DateInput({"type": "date"}))
    bonus = forms.CharField(max_length=500, required=False, help_text="e.g. 10% annual target.")
    equity = forms.CharField(max_length=500, required=False, help_text="e.g. 0.05% in options.")
    expires_in_days = forms.IntegerField(
        min_value=1,
        max_value=MAX_VALID_DAYS,
        initial=DEFAULT_VALID_DAYS,
        label="Valid for (days)",
        help_text="From today; the candidate's link stops working after that.",
    )
    letter = forms.CharField(
        required=False,
        max_length=20000,
        widget=forms.Textarea({"rows": 14}),
        label="Letter (optional: replaces the template's)",
        help_text="Leave empty to use the template's letter; “Preview letter” shows it.",
    )

    def __init__(self, *args: Any, application: Application, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["template"].queryset = offer_template_choices()
        for n in range(1, APPROVER_SLOTS + 1):
            self.fields[f"approver_{n}"] = UserChoice(
                queryset=approver_choices(),
                required=False,
                label=f"Approver {n}" + (" (first)" if n == 1 else ""),
                empty_label="—",
            )

    def approver_fields(self) -> list[forms.BoundField]:
        return [self[f"approver_{n}"] for n in range(1, APPROVER_SLOTS + 1)]

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "").strip().upper()

    def clean_start_date(self) -> date:
        value = self.cleaned_data["start_date"]
        if value < timezone.localdate():
            raise forms.ValidationError("The start date cannot be in the past.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chain = self.approvers()
        if len({u.pk for u in chain}) != len(chain):
            self.add_error("approver_1", "Each approver may be on the chain once.")
        if not data.get("template") and not (data.get("letter") or "").strip():
            self.add_error("template", "Choose a letter template or write the letter.")
        return data

    def approvers(self) -> list:
        data = getattr(self, "cleaned_data", {})
        return [
            data[f"approver_{n}"]
            for n in range(1, APPROVER_SLOTS + 1)
            if data.get(f"approver_{n}") is not None
        ]

    def terms(self) -> dict[str, Any]:
        """The service's keyword arguments."""
        data = self.cleaned_data
        return {
            "salary": data["salary"],
            "currency": data["currency"],
            "salary_period": data["salary_period"],
            "start_date": data["start_date"],
            "bonus": data["bonus"],
            "equity": data["equity"],
            "template": data["template"],
            "letter": data["letter"],
            "approvers": self.approvers(),
            "expires_in_days": data["expires_in_days"],
        }

    def preview(self, sender) -> str:
        """The letter these (valid) terms would make, or the letter as written."""
        data = self.cleaned_data
        if (data.get("letter") or "").strip():
            return data["letter"]
        app = self.application
        terms = letters.LetterTerms(
            candidate_first_name=app.candidate.first_name,
            candidate_last_name=app.candidate.last_name,
            job_title=app.job.title,
            job_department=app.job.department,
            salary=data["salary"],
            currency=data["currency"],
            salary_period=data["salary_period"],
            start_date=data["start_date"],
            bonus=data["bonus"],
            equity=data["equity"],
            expires_on=timezone.localdate() + timedelta(days=data["expires_in_days"]),
            sender_name=sender.get_full_name() or sender.username,
        )
        try:
            return letters.render_letter(data["template"].body, terms)
        except ValueError as exc:
            self.add_error("template", str(exc))
            return ""


def offer_form_initial(application: Application, offer: Offer | None = None) -> dict[str, Any]:
    """A new offer starts from the job's currency and period, the first template and the
    job's hiring manager as approver; an existing one from its own values."""
    if offer is None:
        job = application.job
        templates = list(offer_template_choices()[:1])
        return {
            "currency": job.salary_currency or "EUR",
            "salary_period": job.salary_period,
            "salary": job.salary_min,
            "template": templates[0].pk if templates else None,
            "approver_1": job.hiring_manager_id,
            "expires_in_days": DEFAULT_VALID_DAYS,
        }
    chain = [step.approver_id for step in offer.approvals.all()]
    days = DEFAULT_VALID_DAYS
    if offer.expires_at:
        days = max(1, (timezone.localtime(offer.expires_at).date() - timezone.localdate()).days)
    initial = {
        "template": offer.template_id,
        "salary": offer.salary,
        "currency": offer.currency,
        "salary_period": offer.salary_period,
        "start_date": offer.start_date,
        "bonus": offer.bonus,
        "equity": offer.equity,
        "expires_in_days": days,
        "letter": offer.letter,
    }
    for n, pk in enumerate(chain[:APPROVER_SLOTS], start=1):
        initial[f"approver_{n}"] = pk
    return initial


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=(("approve", "Approve"), ("decline", "Decline")))
    comment = forms.CharField(max_length=1000, required=False, widget=forms.Textarea({"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Say why you decline, so the offer can be reworked.")
        return data


class SendForm(forms.Form):
    expires_in_days = forms.IntegerField(
        min_value=1, max_value=MAX_VALID_DAYS, label="Valid for (days from now)"
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(max_length=1000, required=False, label="Reason (internal)")


class AnswerForm(forms.Form):
    """The candidate's answer on their offer page."""

    answer = forms.ChoiceField(choices=(("accept", "Accept"), ("decline", "Decline")))
    reason = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea({"rows": 3}),
        label="Reason (optional)",
    )
