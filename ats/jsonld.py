"""schema.org JobPosting for a job page (what search engines read for job listings).

:func:`job_posting` builds the data; :func:`script_json` serializes it so it can sit inside a
``<script type="application/ld+json">`` element: ``<``, ``>`` and ``&`` are written as JSON
``\\u`` escapes, so a title holding ``</script>`` cannot end the element early.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from .models import Job, RemotePolicy

_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def script_json(data: dict) -> SafeString:
    """JSON safe to print between ``<script type="application/ld+json">`` tags."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Also escape the line separators JSON allows and old JavaScript parsers do not.
    text = text.translate(_SCRIPT_ESCAPES).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return mark_safe(text)  # noqa: S308 - every character that could close the element is escaped


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def date_posted(job: Job) -> str:
    """The day the job opened, as ISO 8601 (the day it was created when it never opened)."""
    return timezone.localdate(job.opened_at or job.created_at).isoformat()


def _place(location) -> dict:
    address = {
        "@type": "PostalAddress",
        "addressLocality": location.city,
        "addressRegion": location.region,
        "postalCode": location.postal_code,
        "addressCountry": location.country,
    }
    return {"@type": "Place", "address": {k: v for k, v in address.items() if v}}


def _salary(job: Job) -> dict | None:
    if job.salary_min is None and job.salary_max is None:
        return None
    value = {"@type": "QuantitativeValue", "unitText": job.salary_period}
    if job.salary_min is not None:
        value["minValue"] = _number(job.salary_min)
    if job.salary_max is not None:
        value["maxValue"] = _number(job.salary_max)
    salary = {"@type": "MonetaryAmount", "value": value}
    if job.salary_currency:
        salary["currency"] = job.salary_currency
    return salary


def _where(job: Job) -> dict:
    if job.remote_policy != RemotePolicy.REMOTE:
        return {"jobLocation": [_place(location) for location in job.locations.all()]}
    where: dict = {"jobLocationType": "TELECOMMUTE"}
    if job.remote_countries:
        where["applicantLocationRequirements"] = [
            {"@type": "Country", "name": code} for code in job.remote_countries
        ]
    return where


def job_posting(job: Job, *, url: str) -> dict:
    """The JobPosting of a public job; ``url`` is the absolute address of its page."""
    posting = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": job.title,
        "description": job.description_html,
        "datePosted": date_posted(job),
        "employmentType": job.employment_type,
        "hiringOrganization": {
            "@type": "Organization",
            "name": settings.COMPANY_NAME,
            "sameAs": settings.COMPANY_URL,
        },
        "identifier": {
            "@type": "PropertyValue",
            "name": settings.COMPANY_NAME,
            "value": job.reference,
        },
        "directApply": True,
        "url": url,
        **_where(job),
    }
    if job.valid_through:
        posting["validThrough"] = job.valid_through.isoformat()
    salary = _salary(job)
    if salary:
        posting["baseSalary"] = salary
    return posting
