"""Reads of the public career site. Anyone may trigger them, so every read starts from
:func:`public_jobs` (published and open) or :func:`career_job_get` (published, and open, on hold
or closed: the job page explains the last two). Drafts and unpublished jobs are never read here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest

from crm.selectors.community import JOB_FAMILIES

from ..models import EmploymentType, Job, JobLocation, RemotePolicy

MAX_SEARCH_WORDS = 8


@dataclass(frozen=True)
class JobFilters:
    """What a visitor narrowed the list to; empty strings mean "any"."""

    q: str = ""
    department: str = ""
    location: str = ""
    remote: str = ""
    employment_type: str = ""


@dataclass(frozen=True)
class FilterOptions:
    """The values the filters offer: only those some public job has."""

    departments: list[str]
    countries: list[str]
    cities: list[str]
    remote: list[tuple[str, str]]
    employment_types: list[tuple[str, str]]


def public_jobs() -> QuerySet[Job]:
    """Jobs shown on the career page, in the feeds and in the public API: published and open."""
    return Job.objects.filter(published=True, status=Job.Status.OPEN)


def public_jobs_search(filters: JobFilters) -> QuerySet[Job]:
    """Public jobs matching ``filters``, newest first, with their locations prefetched (so a page
    of them costs the same few queries however many there are)."""
    jobs = public_jobs()
    if filters.department:
        jobs = jobs.filter(department=filters.department)
    if filters.remote:
        jobs = jobs.filter(remote_policy=filters.remote)
    if filters.employment_type:
        jobs = jobs.filter(employment_type=filters.employment_type)
    if filters.location:
        places = JobLocation.objects.filter(
            Q(city__iexact=filters.location) | Q(country__iexact=filters.location)
        )
        jobs = jobs.filter(pk__in=places.values("job_id"))
    for word in filters.q.split()[:MAX_SEARCH_WORDS]:
        jobs = jobs.filter(
            Q(title__icontains=word)
            | Q(department__icontains=word)
            | Q(description__icontains=word)
        )
    return jobs.prefetch_related("locations").order_by("-opened_at", "title", "id")


def public_filter_options() -> FilterOptions:
    """Departments, places, remote policies and employment types of the public jobs (two
    queries)."""
    rows = set(public_jobs().values_list("department", "remote_policy", "employment_type"))
    places = set(JobLocation.objects.filter(job__in=public_jobs()).values_list("city", "country"))
    remote = {row[1] for row in rows}
    types = {row[2] for row in rows}
    return FilterOptions(
        departments=sorted({row[0] for row in rows if row[0]}, key=str.lower),
        countries=sorted({country for _, country in places if country}),
        cities=sorted({city for city, _ in places if city}, key=str.lower),
        remote=[(value, label) for value, label in RemotePolicy.choices if value in remote],
        employment_types=[
            (value, label) for value, label in EmploymentType.choices if value in types
        ],
    )


def career_job_get(slug: str) -> Job | None:
    """The job a career URL names when the public may learn about it: published and open, on
    hold (shown as paused) or closed (answered with 410). ``None`` otherwise."""
    visible = (Job.Status.OPEN, Job.Status.ON_HOLD, Job.Status.CLOSED)
    return (
        Job.objects.filter(slug=slug, published=True, status__in=visible)
        .prefetch_related("locations", "questions")
        .first()
    )


def public_job_get(slug: str) -> Job | None:
    """A public (open and published) job by slug, with its locations."""
    return public_jobs().filter(slug=slug).prefetch_related("locations").first()


def public_jobs_last_modified() -> datetime | None:
    """When any public job last changed (the sitemap's date for the list page)."""
    return public_jobs().aggregate(latest=Max("updated_at"))["latest"]


def public_jobs_opened_since(since: datetime) -> list[Job]:
    """Public jobs that became public (the later of opened and published; created, when
    neither is known) at or after ``since``, newest first, with their locations and that time
    as ``alert_opened_at``: what job alerts choose from (two queries)."""
    opened = Coalesce(Greatest("opened_at", "published_at"), "created_at")
    return list(
        public_jobs()
        .annotate(alert_opened_at=opened)
        .filter(alert_opened_at__gte=since)
        .prefetch_related("locations")
        .order_by("-alert_opened_at", "-id")
    )


def public_jobs_for_feed() -> QuerySet[Job]:
    """Every public job with its locations, newest opened first (the Indeed feed)."""
    return public_jobs().prefetch_related("locations").order_by("-opened_at", "id")


def public_jobs_for_sitemap() -> QuerySet[Job]:
    """Every public job's slug and last change, newest opened first (the sitemap)."""
    return public_jobs().order_by("-opened_at", "id").only("slug", "updated_at")


def community_interest_choices() -> list[str]:
    """What the talent-community signup offers: crm's job families plus the departments of the
    public jobs (one query)."""
    departments = public_jobs().exclude(department="").values_list("department", flat=True)
    families = {f.casefold() for f in JOB_FAMILIES}
    extra = sorted({d for d in departments if d.casefold() not in families}, key=str.lower)
    return [*JOB_FAMILIES, *extra]


def community_location_choices() -> list[str]:
    """Places the signup offers: remote, then the cities of the public jobs (one query)."""
    places = JobLocation.objects.filter(job__in=public_jobs()).exclude(city="")
    return ["Remote", *sorted(set(places.values_list("city", flat=True)), key=str.lower)]
