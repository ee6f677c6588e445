"""Offer letters: the merge fields an :class:`~ats.models.OfferTemplate` may use, and the letter
rendered from it over plain data (never model objects) in the sandbox of
:mod:`config.core.templating`. Pure functions: the offer services and the new-offer preview
call them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings

from config.core import templating
from config.core.templating import TemplateProblem

from .models import SalaryPeriod

# Every merge field a letter may use, with a sample value for previews and validation.
LETTER_FIELDS: dict[str, Any] = {
    "candidate": {"first_name": "Ada", "last_name": "Lovelace", "full_name": "Ada Lovelace"},
    "job": {"title": "Backend Engineer", "department": "Engineering"},
    "company": "Talentloop Demo Company",
    "offer": {
        "salary": "85,000",
        "currency": "EUR",
        "period": "per year",
        "start_date": "1 March 2027",
        "bonus": "10% annual target bonus",
        "equity": "0.05% in options, 4-year vesting",
        "expires_on": "15 January 2027",
    },
    "sender": {"name": "Riley Recruiter"},
}


@dataclass(frozen=True)
class LetterTerms:
    """What a letter says, as the offer (or an unsaved form) holds it."""

    candidate_first_name: str
    candidate_last_name: str
    job_title: str
    job_department: str
    salary: Decimal
    currency: str
    salary_period: str
    start_date: date
    bonus: str
    equity: str
    expires_on: date | None
    sender_name: str


def template_problems(body: str) -> list[TemplateProblem]:
    """What is wrong with a template's body (empty when it may be saved)."""
    if not (body or "").strip():
        return [TemplateProblem("body", 1, "the letter is empty")]
    return templating.validate(body, "body", LETTER_FIELDS)


def format_salary(amount: Decimal) -> str:
    """85000 → "85,000"; 85000.5 → "85,000.50"."""
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount:,.2f}"


def format_date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def period_label(period: str) -> str:
    return dict(SalaryPeriod.choices).get(period, period.lower())


def letter_context(terms: LetterTerms) -> dict[str, Any]:
    """The plain-data context of one letter (strings only)."""
    first, last = terms.candidate_first_name, terms.candidate_last_name
    return {
        "candidate": {
            "first_name": first,
            "last_name": last,
            "full_name": f"{first} {last}".strip(),
        },
        "job": {"title": terms.job_title, "department": terms.job_department},
        "company": settings.COMPANY_NAME,
        "offer": {
            "salary": format_salary(terms.salary),
            "currency": terms.currency,
            "period": period_label(terms.salary_period),
            "start_date": format_date(terms.start_date),
            "bonus": terms.bonus,
            "equity": terms.equity,
            "expires_on": format_date(terms.expires_on),
        },
        "sender": {"name": terms.sender_name or settings.COMPANY_NAME},
    }


def render_letter(body: str, terms: LetterTerms) -> str:
    """The letter of ``body`` (a template's) for ``terms``. Raises ValueError with a message
    for a person when the template is broken (validation keeps that from saved templates)."""
    try:
        return templating.render(body, letter_context(terms)).strip() + "\n"
    except Exception as exc:  # a template saved before validation existed
        raise ValueError(f"The letter template cannot be used: {exc}") from exc
