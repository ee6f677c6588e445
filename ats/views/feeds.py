"""The machine-readable career site: Indeed's XML job feed and the sitemap (public, anyone).

Both list public jobs only (published and open), so a closed job leaves them at once. Indeed
wants every job value in CDATA with literal characters (no HTML entities); a ``]]>`` inside a
value is split across two CDATA sections, and characters XML 1.0 cannot carry are dropped, so
the feed stays well-formed whatever a recruiter typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from decimal import Decimal
from email.utils import format_datetime
from xml.etree import ElementTree as ET

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..models import EmploymentType, Job, RemotePolicy, SalaryPeriod
from ..selectors.careers import (
    public_jobs_for_feed,
    public_jobs_for_sitemap,
    public_jobs_last_modified,
)

INDEED_JOBTYPES = {
    EmploymentType.FULL_TIME: "fulltime",
    EmploymentType.PART_TIME: "parttime",
    EmploymentType.CONTRACTOR: "contract",
    EmploymentType.TEMPORARY: "temporary",
    EmploymentType.INTERN: "internship",
}
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def xml_text(value: str) -> str:
    """Text without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", value or "")


def cdata(value: str) -> str:
    """``value`` as CDATA; a ``]]>`` inside it ends one section and starts the next."""
    return "<![CDATA[" + xml_text(value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _element(name: str, value: str) -> str:
    return f"<{name}>{cdata(value)}</{name}>"


def rfc2822(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC))


def _amount(value: Decimal, currency: str) -> str:
    number = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    if symbol:
        return f"{symbol}{number}"
    return f"{currency.upper()} {number}".strip()


def salary_text(job: Job) -> str:
    """ "$90,000 - $120,000 per year" (or "From …", "Up to …"); empty when no salary is set."""
    low, high, currency = job.salary_min, job.salary_max, job.salary_currency or ""
    period = SalaryPeriod(job.salary_period).label
    if low is not None and high is not None:
        if low == high:
            return f"{_amount(low, currency)} {period}"
        return f"{_amount(low, currency)} - {_amount(high, currency)} {period}"
    if low is not None:
        return f"From {_amount(low, currency)} {period}"
    if high is not None:
        return f"Up to {_amount(high, currency)} {period}"
    return ""


def _indeed_job(job: Job, url: str) -> str:
    location = next(iter(job.locations.all()), None)
    values = [
        ("title", job.title),
        ("date", rfc2822(job.opened_at or job.created_at)),
        ("referencenumber", job.reference),
        ("requisitionid", job.reference),
        ("url", url),
        ("company", settings.COMPANY_NAME),
        ("city", location.city if location else ""),
        ("state", location.region if location else ""),
        ("country", location.country if location else next(iter(job.remote_countries), "")),
        ("postalcode", location.postal_code if location else ""),
        ("description", job.description_html),
        ("salary", salary_text(job)),
        ("jobtype", INDEED_JOBTYPES.get(job.employment_type, "")),
    ]
    if job.remote_policy == RemotePolicy.REMOTE:
        values.append(("remotetype", "Fully remote"))
    body = "".join(_element(name, value) for name, value in values if value)
    return f"<job>{body}</job>"


def indeed_feed_xml(jobs: Iterable[Job], *, job_url: Callable[[Job], str]) -> str:
    """The Indeed XML feed of ``jobs``; ``job_url`` gives each job's absolute career URL."""
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n<source>'
        f"<publisher>{xml_text(settings.COMPANY_NAME).translate(_ESCAPES)}</publisher>"
        f"<publisherurl>{xml_text(settings.COMPANY_URL).translate(_ESCAPES)}</publisherurl>"
        f"<lastBuildDate>{rfc2822(timezone.now())}</lastBuildDate>"
    )
    body = "\n".join(_indeed_job(job, job_url(job)) for job in jobs)
    return f"{head}\n{body}\n</source>\n"


def sitemap_xml(entries: Iterable[tuple[str, datetime | None]]) -> str:
    """A sitemap of (absolute URL, last modified) pairs."""
    ET.register_namespace("", SITEMAP_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for location, modified in entries:
        url = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = xml_text(location)
        if modified is not None:
            lastmod = modified.astimezone(UTC).isoformat(timespec="seconds")
            ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = lastmod
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


# --------------------------------------------------------------------------- views


def job_url(request: HttpRequest, job: Job) -> str:
    """The job's absolute career-page URL."""
    return request.build_absolute_uri(reverse("careers:job", args=[job.slug]))


def _xml(body: str) -> HttpResponse:
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


@require_GET
def indeed_feed(request: HttpRequest) -> HttpResponse:
    """Public: every public job in Indeed's XML feed format."""
    jobs = public_jobs_for_feed()
    return _xml(indeed_feed_xml(jobs, job_url=lambda job: job_url(request, job)))


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    """Public: the list page and every public job page, with when each last changed."""
    jobs = public_jobs_for_sitemap()
    entries = [
        (request.build_absolute_uri(reverse("careers:list")), public_jobs_last_modified()),
        *((job_url(request, job), job.updated_at) for job in jobs),
    ]
    return _xml(sitemap_xml(entries))
