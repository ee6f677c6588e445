"""The checks behind the offer services (``ats.services.offers``): what an offer's terms and
approval chain may be. Bad input raises :class:`OfferRefused` naming the field."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from config.core.models import User as AuthUser

from ..models import Offer, OfferTemplate, SalaryPeriod
from ..selectors.offers import may_approve

MAX_SALARY = Decimal("99999999.99")
MAX_VALID_DAYS = 90
DEFAULT_VALID_DAYS = 14
# A link must leave the candidate at least this long to answer.
MIN_TIME_TO_ANSWER = timedelta(hours=24)
EDITABLE = (Offer.Status.DRAFT, Offer.Status.PENDING_APPROVAL, Offer.Status.APPROVED)


class OfferRefused(Exception):
    """A step that may not happen; ``message`` is for a person, ``field`` names the input at
    fault (None when it is the offer's state or the user's right)."""

    def __init__(self, message: str, field: str | None = None):
        self.message = message
        self.field = field
        super().__init__(message)


def salary(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise OfferRefused("Enter the salary as a number, e.g. 85000.", "salary") from None
    if not amount.is_finite():
        raise OfferRefused("Enter the salary as a number, e.g. 85000.", "salary")
    if amount < 0:
        raise OfferRefused("The salary cannot be negative.", "salary")
    if amount > MAX_SALARY:
        raise OfferRefused(f"The salary cannot be more than {MAX_SALARY:,.0f}.", "salary")
    if amount != amount.quantize(Decimal("0.01")):
        raise OfferRefused("Use at most two decimals for the salary.", "salary")
    return amount.quantize(Decimal("0.01"))


def currency(value: str) -> str:
    code = (value or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise OfferRefused("Use a three-letter ISO 4217 currency code, e.g. EUR.", "currency")
    return code


def period(value: str) -> str:
    period = (value or "").strip().upper()
    if period not in SalaryPeriod.values:
        names = ", ".join(SalaryPeriod.values)
        raise OfferRefused(f"The salary period must be one of {names}.", "salary_period")
    return period


def start_date(value: date) -> date:
    if not isinstance(value, date):
        raise OfferRefused("Give the start date (YYYY-MM-DD).", "start_date")
    if value < timezone.localdate():
        raise OfferRefused("The start date cannot be in the past.", "start_date")
    return value


def text(value: str, field: str, limit: int = 500) -> str:
    # Browsers send a textarea's lines with CRLF; stored text uses LF.
    text = (value or "").replace("\r\n", "\n").strip()
    if len(text) > limit:
        raise OfferRefused(f"Keep this under {limit} characters.", field)
    return text


def valid_until(days: int, now: datetime) -> datetime:
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_VALID_DAYS:
        raise OfferRefused(
            f"The offer must stay valid for 1 to {MAX_VALID_DAYS} days.", "expires_in_days"
        )
    return now + timedelta(days=days)


def approvers(approvers: Sequence[AuthUser]) -> list[AuthUser]:
    chain: list[AuthUser] = []
    for user in approvers:
        if user is None:
            continue
        if any(other.pk == user.pk for other in chain):
            raise OfferRefused(f"{name(user)} is on the approval chain twice.", "approvers")
        if not may_approve(user):
            raise OfferRefused(
                f"{name(user)} cannot approve offers: approvers must be active recruiters or "
                "hiring managers.",
                "approvers",
            )
        chain.append(user)
    return chain


def template(template: OfferTemplate | None) -> OfferTemplate | None:
    if template is not None and not template.active:
        raise OfferRefused(f"The template “{template}” is no longer in use.", "template")
    return template


def name(user: AuthUser | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username
