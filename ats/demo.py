"""Demo jobs and applications for `make run`: a board with cards in every stage, a hiring
manager with candidates to review, a silver medalist, and a closed job off the career page.

Everything goes through the services (job_create, application_create, moves, rejection), so
the history and timelines are real. Idempotent: jobs are matched by reference, and an existing
application is left alone.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from crm.models import Candidate, TimelineEntry

from .models import Application, EmploymentType, Job, RejectionReason, RemotePolicy, StageChange
from .services.alumni import application_mark_left
from .services.applications import (
    AlreadyApplied,
    application_create,
    application_move_stage,
    application_reject,
)
from .services.jobs import job_create, question_add

BACKEND = """We are hiring a **backend engineer** to build the services behind our hiring
platform.

## What you will do
- Design and ship APIs in Python and Django
- Own PostgreSQL schemas, queries and migrations
- Review code and mentor teammates

## What you bring
- 4+ years building web backends
- Experience with Celery, Redis and Docker is a plus
"""

DESIGNER = """Join a small product team as our **product designer**, working remotely
from anywhere in the EU.

- Run discovery with recruiters and candidates
- Turn insight into flows, prototypes and polished UI in Figma
- Keep our design system accessible (WCAG 2.2 AA)
"""

ANALYST = """As **data analyst** you will turn hiring data into decisions: funnels, source
effectiveness and time-to-hire, in SQL and Python.
"""

NURSE = "Registered nurses for our partner clinic network. Day and night shifts."

SALES = "An account executive for the DACH region (on hold while we restructure territories)."

JOBS = (
    {
        "reference": "DEMO-1001",
        "title": "Senior Backend Engineer",
        "department": "Engineering",
        "employment_type": EmploymentType.FULL_TIME,
        "remote_policy": RemotePolicy.HYBRID,
        "description": BACKEND,
        "salary_min": Decimal("70000"),
        "salary_max": Decimal("90000"),
        "salary_currency": "EUR",
        "openings": 2,
        "status": Job.Status.OPEN,
        "published": True,
        "locations": [
            {"city": "Berlin", "region": "Berlin", "country": "DE", "postal_code": "10115"}
        ],
    },
    {
        "reference": "DEMO-1002",
        "title": "Product Designer",
        "department": "Design",
        "employment_type": EmploymentType.FULL_TIME,
        "remote_policy": RemotePolicy.REMOTE,
        "remote_countries": ["DE", "NL", "PT", "FR"],
        "description": DESIGNER,
        "status": Job.Status.OPEN,
        "published": True,
        "locations": [],
    },
    {
        "reference": "DEMO-1003",
        "title": "Data Analyst",
        "department": "Analytics",
        "employment_type": EmploymentType.FULL_TIME,
        "remote_policy": RemotePolicy.ONSITE,
        "description": ANALYST,
        "salary_min": Decimal("85000"),
        "salary_max": Decimal("110000"),
        "salary_currency": "USD",
        "status": Job.Status.OPEN,
        "published": True,
        "locations": [{"city": "Austin", "region": "TX", "country": "US", "postal_code": "78701"}],
    },
    {
        "reference": "DEMO-1004",
        "title": "Registered Nurse (part-time)",
        "department": "Healthcare",
        "employment_type": EmploymentType.PART_TIME,
        "remote_policy": RemotePolicy.ONSITE,
        "description": NURSE,
        "status": Job.Status.CLOSED,
        "published": True,
        "locations": [{"city": "Toronto", "region": "ON", "country": "CA"}],
    },
    {
        "reference": "DEMO-1005",
        "title": "Account Executive DACH",
        "department": "Sales",
        "employment_type": EmploymentType.FULL_TIME,
        "remote_policy": RemotePolicy.HYBRID,
        "description": SALES,
        "status": Job.Status.ON_HOLD,
        "published": False,
        "locations": [{"city": "Munich", "region": "Bavaria", "country": "DE"}],
    },
)

# (job reference, candidate email local part, stage kinds walked, end: None | "reject" | "left"
# (hired long ago, and has since left the company: alumni), source)
APPLICATIONS = (
    ("DEMO-1001", "amara.okafor", ["screen", "interview", "final"], None, "referral"),
    ("DEMO-1001", "jonas.becker", ["screen"], None, "career_page"),
    ("DEMO-1001", "lena.novak", ["screen"], None, "sourced"),
    ("DEMO-1001", "tariq.aziz", [], None, "career_page"),
    ("DEMO-1001", "zoltan.nagy", [], None, "job_board"),
    ("DEMO-1001", "rosa.ortega", ["screen", "interview"], None, "sourced"),
    ("DEMO-1001", "hiro.tanaka", ["screen", "interview", "final"], "reject", "career_page"),
    ("DEMO-1001", "priya.raman", ["screen", "interview", "final", "offer"], None, "referral"),
    ("DEMO-1002", "elif.yilmaz", ["screen"], None, "career_page"),
    ("DEMO-1002", "uma.patel", [], None, "sourced"),
    ("DEMO-1002", "mateo.rossi", ["screen", "interview"], "reject", "agency"),
    ("DEMO-1003", "chen.wei", ["screen", "interview"], None, "career_page"),
    ("DEMO-1003", "wen.zhang", [], None, "event"),
    (
        "DEMO-1004",
        "kofi.mensah",
        ["screen", "interview", "final", "offer", "hired"],
        None,
        "referral",
    ),
    (
        "DEMO-1004",
        "quinn.doyle",
        ["screen", "interview", "final", "offer", "hired"],
        "left",
        "career_page",
    ),
)
LEFT_DAYS_AGO = 120  # the alumna hired in APPLICATIONS left this many days ago
HIRED_DAYS_AGO = 700


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _job(spec: dict, recruiter, manager, interviewer) -> tuple[Job, bool]:
    job = Job.objects.filter(reference=spec["reference"]).first()
    if job is not None:
        return job, False
    data = {k: v for k, v in spec.items() if k != "locations"}
    data.update(recruiter=recruiter, hiring_manager=manager)
    data["valid_through"] = date.today() + timedelta(days=60)
    job = job_create(actor=recruiter, data=data, locations=spec["locations"], panel=[interviewer])
    opened = timezone.now() - timedelta(days=21 + 7 * int(spec["reference"][-1]))
    Job.objects.filter(pk=job.pk).update(
        opened_at=opened, published_at=opened if job.published else None
    )
    return job, True


def _walk(app: Application, kinds: list[str], end, actor, reason) -> None:
    for kind in kinds:
        application_move_stage(application=app, stage=app.job.stages.get(kind=kind), actor=actor)
    if end == "reject":
        application_reject(application=app, reason=reason, actor=actor, note="Close call.")


def _spread_dates(app: Application, days_ago: int) -> None:
    """Space the history out over the past weeks so days-in-stage and time-to-hire read true."""
    rows = list(StageChange.objects.filter(application=app).order_by("at", "id"))
    start = timezone.now() - timedelta(days=days_ago)
    step = timedelta(days=max(1, days_ago // (len(rows) + 1)))
    for index, row in enumerate(rows):
        StageChange.objects.filter(pk=row.pk).update(at=start + step * index)
    last = start + step * (len(rows) - 1)
    Application.objects.filter(pk=app.pk).update(applied_at=start, stage_entered_at=last)
    entries = TimelineEntry.objects.filter(candidate=app.candidate_id, data__application=app.pk)
    for index, entry in enumerate(entries.order_by("id")):
        when = start + step * min(index, len(rows) - 1)
        TimelineEntry.objects.filter(pk=entry.pk).update(occurred_at=when)


@transaction.atomic
def demo_jobs_load(actor=None) -> dict[str, int]:
    recruiter = actor or _user("recruiter")
    manager, interviewer = _user("manager"), _user("interviewer")
    jobs, created_jobs = {}, 0
    for spec in JOBS:
        job, created = _job(spec, recruiter, manager, interviewer)
        jobs[job.reference] = job
        created_jobs += created
        if created and spec["reference"] == "DEMO-1001":
            question_add(
                job=job,
                label="Do you have the right to work in the EU?",
                kind="yes_no",
                choices=[],
                required=True,
            )
    reason = RejectionReason.objects.filter(active=True).order_by("position").first()
    created_apps = 0
    for index, (ref, local, kinds, end, source) in enumerate(APPLICATIONS):
        candidate = Candidate.objects.filter(email=f"{local}@demo.talentloop.localhost").first()
        job = jobs[ref]
        if candidate is None or Application.objects.filter(candidate=candidate, job=job).exists():
            continue
        reopen = job.status == Job.Status.CLOSED
        if reopen:  # a closed job takes no new applications: build its history while open
            Job.objects.filter(pk=job.pk).update(status=Job.Status.OPEN)
            job.status = Job.Status.OPEN
        try:
            app = application_create(
                candidate=candidate,
                job=job,
                actor=None if source == "career_page" else recruiter,
                source=source,
                referrer=recruiter if source == "referral" else None,
                privacy_notice_version="2026-01" if source == "career_page" else "",
            )
        except AlreadyApplied:
            continue
        _walk(app, kinds, end, recruiter, reason)
        _spread_dates(app, HIRED_DAYS_AGO if end == "left" else 4 + (index * 5) % 30)
        if end == "left":
            hired_at = timezone.now() - timedelta(days=HIRED_DAYS_AGO - 60)
            Application.objects.filter(pk=app.pk).update(closed_at=hired_at)
            application_mark_left(
                application=app,
                left_on=timezone.localdate() - timedelta(days=LEFT_DAYS_AGO),
                actor=recruiter,
            )
        if reopen:
            Job.objects.filter(pk=job.pk).update(status=Job.Status.CLOSED)
            job.status = Job.Status.CLOSED
        created_apps += 1
    return {
        "jobs_created": created_jobs,
        "applications_created": created_apps,
        "applications_total": Application.objects.count(),
    }
