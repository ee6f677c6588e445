"""Jobs, their pipelines, and applications moving through them with full history."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from crm.models import Seniority


class StageKind(models.TextChoices):
    """What a stage means to the metrics, whatever a job calls it."""

    APPLIED = "applied", "Applied"
    SCREEN = "screen", "Screen"
    INTERVIEW = "interview", "Interview"
    FINAL = "final", "Final round"
    OFFER = "offer", "Offer"
    HIRED = "hired", "Hired"


# The order of kinds through a pipeline: "reached the final round" means reached FINAL or later.
KIND_ORDER = {kind: index for index, kind in enumerate(StageKind.values)}

# A new job's pipeline: (name, kind, hiring manager reviews applications in it).
DEFAULT_PIPELINE = (
    ("Applied", StageKind.APPLIED, False),
    ("Screen", StageKind.SCREEN, True),
    ("Interview", StageKind.INTERVIEW, False),
    ("Final round", StageKind.FINAL, False),
    ("Offer", StageKind.OFFER, False),
    ("Hired", StageKind.HIRED, False),
)


class RemotePolicy(models.TextChoices):
    ONSITE = "onsite", "On site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


class EmploymentType(models.TextChoices):
    """The schema.org JobPosting employmentType values (Indeed's jobtype maps from these)."""

    FULL_TIME = "FULL_TIME", "Full-time"
    PART_TIME = "PART_TIME", "Part-time"
    CONTRACTOR = "CONTRACTOR", "Contract"
    TEMPORARY = "TEMPORARY", "Temporary"
    INTERN = "INTERN", "Internship"


class SalaryPeriod(models.TextChoices):
    YEAR = "YEAR", "per year"
    MONTH = "MONTH", "per month"
    HOUR = "HOUR", "per hour"


class Job(models.Model):
    """A requisition: what we hire for, who runs it, its own pipeline and whether the career page
    shows it. ``description_html`` is the Markdown of ``description`` rendered and sanitized with
    nh3 when the job is saved through :func:`ats.services.jobs.job_create`/``job_update``; templates print only it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        ON_HOLD = "on_hold", "On hold"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    reference = models.CharField(
        max_length=40, unique=True, help_text="Requisition id, e.g. REQ-0042"
    )
    department = models.CharField(max_length=120, blank=True)
    remote_policy = models.CharField(
        max_length=10, choices=RemotePolicy.choices, default=RemotePolicy.ONSITE
    )
    remote_countries = ArrayField(
        models.CharField(max_length=2),
        default=list,
        blank=True,
        help_text="For remote jobs: ISO countries applicants must live in (empty: anywhere).",
    )
    employment_type = models.CharField(
        max_length=12, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    description = models.TextField(blank=True, help_text="Markdown")
    # What the job asks for, as crm's skill slugs (crm.selectors.search.skill_slug): rediscovery
    # ranks people against them (ats/selectors/rediscovery.py).
    required_skills = ArrayField(models.CharField(max_length=120), default=list, blank=True)
    nice_skills = ArrayField(models.CharField(max_length=120), default=list, blank=True)
    seniority = models.CharField(max_length=12, choices=Seniority.choices, blank=True)
    min_years = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    description_html = models.TextField(blank=True, editable=False)
    salary_min = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    salary_max = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    salary_currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217")
    salary_period = models.CharField(
        max_length=5, choices=SalaryPeriod.choices, default=SalaryPeriod.YEAR
    )
    openings = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    published = models.BooleanField(default=False)
    # When ``published`` last switched on (job alerts: a job is new to people from then).
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    valid_through = models.DateField(null=True, blank=True)
    hiring_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_jobs",
    )
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recruited_jobs",
    )
    panel = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="panel_jobs")
    manager_can_bulk = models.BooleanField(
        default=False,
        help_text="The hiring manager may move and reject several applications at once.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(salary_min__isnull=True)
                | models.Q(salary_max__isnull=True)
                | models.Q(salary_min__lte=models.F("salary_max")),
                name="ats_job_salary_range",
            ),
            models.CheckConstraint(condition=models.Q(openings__gte=1), name="ats_job_openings"),
        ]
        indexes = [models.Index(fields=["status", "published"], name="ats_job_listing")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        """Shown on the career page, in the feeds and the public API."""
        return self.published and self.status == self.Status.OPEN

    @property
    def location_label(self) -> str:
        places = [str(location) for location in self.locations.all()]
        if self.remote_policy == RemotePolicy.REMOTE:
            where = f" ({', '.join(self.remote_countries)})" if self.remote_countries else ""
            places.insert(0, f"Remote{where}")
        return " · ".join(places) or "—"


class JobLocation(models.Model):
    """A place a job is based (one job may have several)."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="locations")
    city = models.CharField(max_length=120)
    region = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    postal_code = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return ", ".join(part for part in (self.city, self.region, self.country) if part)


class ApplicationQuestion(models.Model):
    """A job's own question on the apply form."""

    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        YES_NO = "yes_no", "Yes / no"
        CHOICE = "choice", "Choice"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(max_length=300)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.TEXT)
    choices = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    required = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class Stage(models.Model):
    """A column of a job's pipeline. ``kind`` is what analytics count it as; ``manager_review``
    puts applications in it into the hiring manager's inbox."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, choices=StageKind.choices)
    position = models.PositiveSmallIntegerField()
    manager_review = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "name"], name="ats_stage_name_once_per_job")
        ]

    def __str__(self) -> str:
        return self.name


class RejectionReason(models.Model):
    """The configurable list recruiters pick from when rejecting (never shown to candidates)."""

    name = models.CharField(max_length=120, unique=True)
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    """A candidate applying to (or put forward for) one job, and where that stands now.

    One *active* application per candidate and job is a database constraint; rejected, withdrawn
    and hired ones stay as history. ``stage_entered_at`` is when the current stage began (days in
    stage); every change of stage or status is a :class:`StageChange` row.
    ``reached_final`` is derived from that history (set when a move reaches a final-or-later
    stage) and a rejection after it makes the application a silver medalist."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"
        HIRED = "hired", "Hired"

    class Source(models.TextChoices):
        CAREER_PAGE = "career_page", "Career page"
        REFERRAL = "referral", "Referral"
        SOURCED = "sourced", "Sourced"
        AGENCY = "agency", "Agency"
        TALENT_POOL = "talent_pool", "Talent pool"
        EVENT = "event", "Event"
        JOB_BOARD = "job_board", "Job board"
        API = "api", "API"

    candidate = models.ForeignKey(
        "crm.Candidate", on_delete=models.CASCADE, related_name="applications"
    )
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="applications")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.SOURCED)
    source_detail = models.CharField(max_length=200, blank=True)
    tracking = models.JSONField(
        default=dict, blank=True, help_text="utm_source, utm_medium, utm_campaign, ref ..."
    )
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField()
    stage_entered_at = models.DateTimeField()
    reached_final = models.BooleanField(default=False)
    silver_medalist = models.BooleanField(default=False)
    rejection_reason = models.ForeignKey(
        RejectionReason, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejection_note = models.CharField(max_length=500, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cover_letter = models.TextField(blank=True)
    answers = models.JSONField(default=list, blank=True)
    resume = models.ForeignKey(
        "crm.ResumeFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    privacy_notice_version = models.CharField(max_length=40, blank=True)
    privacy_consent_at = models.DateTimeField(null=True, blank=True)
    manager_reviewed_at = models.DateTimeField(null=True, blank=True)
    # A hire who later left the company (alumni): set by a recruiter on the hired application.
    left_company_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "job"],
                condition=models.Q(status="active"),
                name="ats_one_active_application",
            ),
            models.CheckConstraint(
                condition=models.Q(status="rejected") | models.Q(rejection_reason__isnull=True),
                name="ats_reason_only_when_rejected",
            ),
        ]
        indexes = [
            models.Index(fields=["job", "status", "stage"], name="ats_app_board"),
            models.Index(fields=["candidate", "-applied_at"], name="ats_app_person"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.job}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class StageChange(models.Model):
    """One step of an application's history: from which stage/status to which, who, when.
    The first row of every application has no ``from_stage`` (it entered the pipeline)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    from_stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.CharField(max_length=1000, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["application", "at"], name="ats_history_app")]

    def __str__(self) -> str:
        return f"{self.from_stage_id} → {self.to_stage_id} ({self.to_status})"
