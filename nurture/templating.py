"""Merge fields in subjects and bodies: ``{{ candidate.first_name }}``, ``{{ recruiter.name }}``.

Templates are Jinja2 rendered in a :class:`~jinja2.sandbox.SandboxedEnvironment` over a context
of plain strings (never model objects), so a template can reach nothing beyond the merge fields.
They are validated when saved: bad syntax, or a merge field that does not exist, is an error then
(with the line), not at send time. ``{{ candidate.first_name|default("there") }}`` works. (The
engine, shared with the ATS's offer letters: :mod:`config.core.templating`.)
"""

from __future__ import annotations

from django.conf import settings

from config.core import templating
from config.core.templating import TemplateProblem

# Every merge field a template may use, with a sample value for previews and validation.
MERGE_FIELDS: dict[str, dict[str, str]] = {
    "candidate": {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "full_name": "Ada Lovelace",
        "email": "ada@example.com",
        "current_title": "Data Engineer",
        "current_company": "Analytical Engines",
        "city": "London",
    },
    "recruiter": {"name": "Riley Recruiter", "first_name": "Riley", "email": "riley@example.com"},
    "company": {"name": "Talentloop Demo Company", "url": "https://talentloop.localhost"},
    "job": {"title": "Backend Engineer", "url": "https://talentloop.localhost/careers/backend/"},
    # The jobs of a job-alert mail (nurture.services.job_alerts); empty in every other send.
    "jobs": {
        "list": "Backend Engineer\nEngineering · Berlin, DE\n"
        "https://talentloop.localhost/careers/backend/",
        "count": "1",
        "headline": "Backend Engineer",
    },
    "links": {
        "careers": "https://talentloop.localhost/careers/",
        "keep_me_posted": "https://talentloop.localhost/n/k/TOKEN/",
        "preferences": "https://talentloop.localhost/n/u/TOKEN/",
    },
}


def validate(source: str, field: str) -> list[TemplateProblem]:
    """Problems with ``source`` (empty list when it is fine)."""
    return templating.validate(source, field, MERGE_FIELDS)


def render(source: str, context: dict) -> str:
    """Render in the sandbox; an undefined value raises (validation keeps that from sends)."""
    return templating.render(source, context)


def job_url(job) -> str:
    """The absolute career-page address of a job (as every mail links it)."""
    return f"{settings.SITE_URL}/careers/{job.slug}/"


def merge_context(
    *, candidate, sequence, links: dict | None = None, job=None, jobs: dict | None = None
) -> dict:
    """The plain-data context of one send (strings only); ``jobs`` is the job-alert group
    (list, count, headline), empty unless given."""
    owner = sequence.owner
    return {
        "candidate": {
            "first_name": candidate.first_name,
            "last_name": candidate.last_name,
            "full_name": candidate.full_name,
            "email": candidate.email,
            "current_title": candidate.current_title,
            "current_company": candidate.current_company,
            "city": candidate.city,
        },
        "recruiter": {
            "name": owner.get_full_name() or owner.username if owner else settings.COMPANY_NAME,
            "first_name": (owner.first_name or owner.username) if owner else "",
            "email": owner.email if owner else "",
        },
        "company": {"name": settings.COMPANY_NAME, "url": settings.COMPANY_URL},
        "job": {
            "title": job.title if job else "",
            "url": job_url(job) if job else "",
        },
        "jobs": {"list": "", "count": "0", "headline": "", **(jobs or {})},
        "links": {
            "careers": f"{settings.SITE_URL}/careers/",
            "keep_me_posted": "",
            "preferences": "",
            **(links or {}),
        },
    }
