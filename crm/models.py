"""The one person record and everything about the relationship with that person."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Lower, Upper


class Seniority(models.TextChoices):
    INTERN = "intern", "Intern"
    ENTRY = "entry", "Entry level"
    MID = "mid", "Mid level"
    SENIOR = "senior", "Senior"
    LEAD = "lead", "Lead / principal"
    MANAGER = "manager", "Manager"
    DIRECTOR = "director", "Director"
    EXECUTIVE = "executive", "Executive"


class InterestLevel(models.TextChoices):
    NOT_INTERESTED = "not_interested", "Not interested"
    PASSIVE = "passive", "Passive"
    OPEN = "open", "Open to offers"
    ACTIVE = "active", "Actively looking"


class InterestTiming(models.TextChoices):
    UNKNOWN = "", "Unknown"
    NOW = "now", "Now"
    THREE_MONTHS = "3m", "Within 3 months"
    SIX_MONTHS = "6m", "Within 6 months"
    YEAR = "12m", "Within a year"
    LATER = "later", "Later"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    SMS = "sms", "SMS"
    LINKEDIN = "linkedin", "LinkedIn"


class RemotePreference(models.TextChoices):
    UNKNOWN = "", "Unknown"
    ONSITE = "onsite", "On site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"
    ANY = "any", "Any"


class Source(models.TextChoices):
    CAREER_PAGE = "career_page", "Career page"
    SOURCED = "sourced", "Sourced"
    REFERRAL = "referral", "Referral"
    AGENCY = "agency", "Agency"
    EVENT = "event", "Event"
    JOB_BOARD = "job_board", "Job board"
    TALENT_COMMUNITY = "talent_community", "Talent community"
    ALUMNI = "alumni", "Alumni"
    IMPORT = "import", "Import"
    API = "api", "API"
    OTHER = "other", "Other"


class ContactFrequency(models.TextChoices):
    """How often a person wants our mail (the preference center): job alerts and nurture mail
    as they come, or gathered into a weekly or monthly digest."""

    IMMEDIATE = "immediate", "As they come"
    WEEKLY = "weekly", "Weekly digest"
    MONTHLY = "monthly", "Monthly digest"


class CommunityStatus(models.TextChoices):
    NONE = "none", "Not a member"
    PENDING = "pending", "Signed up, not confirmed"
    CONFIRMED = "confirmed", "Member"


class Candidate(models.Model):
    """One person we know: applicant, sourced, referral, event lead, alumni or community member.

    ``email`` is the primary address, stored normalized (trimmed, lower-cased); every address the
    person uses, the primary included, is a :class:`CandidateEmail` row, unique across everyone,
    which is what makes "one row per person" hold under concurrent intake. ``phone`` is the primary
    E.164 number (all numbers: :class:`CandidatePhone`). ``skill_slugs``/``skills_text`` and
    ``tags`` are denormalized for filtering and full-text search; ``search_vector`` is maintained
    by a database trigger (name A, title/skills/company B, location C, resume text D).
    A merged-away record keeps its row (``merged_into`` set) so a merge can be undone.
    """

    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=20, blank=True, help_text="E.164")
    linkedin_url = models.CharField(max_length=300, blank=True)
    github_url = models.CharField(max_length=300, blank=True)
    website_url = models.CharField(max_length=300, blank=True)

    city = models.CharField(max_length=120, blank=True)
    region = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    remote_preference = models.CharField(
        max_length=10, choices=RemotePreference.choices, blank=True
    )
    timezone = models.CharField(max_length=64, blank=True)

    current_title = models.CharField(max_length=200, blank=True)
    current_company = models.CharField(max_length=200, blank=True)
    seniority = models.CharField(max_length=12, choices=Seniority.choices, blank=True)
    years_experience = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    summary = models.TextField(blank=True)
    work_history = models.JSONField(default=list, blank=True)
    education = models.JSONField(default=list, blank=True)

    skill_slugs = ArrayField(models.CharField(max_length=120), default=list, blank=True)
    skills_text = models.TextField(blank=True)
    tags = ArrayField(models.CharField(max_length=60), default=list, blank=True)

    source = models.CharField(max_length=20, choices=Source.choices, default=Source.SOURCED)
    source_detail = models.CharField(max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_candidates",
    )
    interest_level = models.CharField(
        max_length=16, choices=InterestLevel.choices, default=InterestLevel.PASSIVE
    )
    interest_timing = models.CharField(max_length=8, choices=InterestTiming.choices, blank=True)
    # The talent community: joined through the signup page (PENDING until the emailed link is
    # followed: double opt-in), with the job families/departments and places they care about.
    community_status = models.CharField(
        max_length=10, choices=CommunityStatus.choices, default=CommunityStatus.NONE
    )
    community_joined_at = models.DateTimeField(null=True, blank=True)
    interest_areas = ArrayField(models.CharField(max_length=120), default=list, blank=True)
    interest_locations = ArrayField(models.CharField(max_length=120), default=list, blank=True)
    preferred_channel = models.CharField(
        max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    # The preference center: how often we may write, and a pause (no mail of any topic until
    # then; the dispatcher postpones rather than drops).
    contact_frequency = models.CharField(
        max_length=10, choices=ContactFrequency.choices, default=ContactFrequency.IMMEDIATE
    )
    contact_paused_until = models.DateTimeField(null=True, blank=True)
    do_not_contact = models.BooleanField(default=False)
    do_not_contact_reason = models.CharField(max_length=300, blank=True)
    do_not_contact_at = models.DateTimeField(null=True, blank=True)
    # A hard bounce marks the primary address undeliverable until it changes.
    email_invalid = models.BooleanField(default=False)
    email_invalid_reason = models.CharField(max_length=300, blank=True)
    archived = models.BooleanField(default=False)
    archived_at = models.DateTimeField(null=True, blank=True)

    resume_text = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    # The name words (weight A) and the title/skills/company words (weight B) of search_vector
    # on their own, kept by the same trigger: relevance search takes its best tiers from them
    # through their own indexes and statistics (crm/selectors/search/query.py).
    name_vector = SearchVectorField(null=True, editable=False)
    head_vector = SearchVectorField(null=True, editable=False)
    # Fields a recruiter typed: imports and parsing never overwrite them.
    edited_fields = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_records"
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~models.Q(email=""), name="crm_candidate_email_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="crm_candidate_email_lowercase"
            ),
            models.CheckConstraint(
                condition=models.Q(country=Upper("country")), name="crm_candidate_country_upper"
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("id")),
                name="crm_candidate_not_self_merged",
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="crm_cand_search_gin"),
            GinIndex(fields=["name_vector"], name="crm_cand_name_gin"),
            GinIndex(fields=["head_vector"], name="crm_cand_head_gin"),
            GinIndex(fields=["skill_slugs"], name="crm_cand_skills_gin"),
            GinIndex(fields=["tags"], name="crm_cand_tags_gin"),
            # Similar-name search: the names come from CandidateName, the people from here.
            models.Index(Lower("first_name"), Lower("last_name"), name="crm_cand_names"),
            models.Index(Lower("last_name"), name="crm_cand_last_name"),
            GinIndex(OpClass("email", name="gin_trgm_ops"), name="crm_cand_email_trgm"),
            models.Index(fields=["linkedin_url"], name="crm_cand_linkedin"),
            models.Index(fields=["phone"], name="crm_cand_phone"),
            models.Index(fields=["-last_activity_at", "-id"], name="crm_cand_activity"),
            models.Index(fields=["-created_at", "-id"], name="crm_cand_created"),
            models.Index(fields=["country", "city"], name="crm_cand_location"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or f"Candidate {self.pk}"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class CandidateName(models.Model):
    """Every first and last name in use, lower-cased, once: the similar-name search asks this
    small table which names look like a misspelled word (trigram index), then finds their
    people by exact name. A trigger on crm_candidate adds new names (migration 0004); names
    no longer in use stay and simply find nobody."""

    name = models.CharField(max_length=150, primary_key=True)

    class Meta:
        indexes = [GinIndex(OpClass("name", name="gin_trgm_ops"), name="crm_name_trgm")]

    def __str__(self) -> str:
        return self.name


class CandidateEmail(models.Model):
    """An address a person uses. Unique across everyone: one address, one person."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="emails")
    email = models.CharField(max_length=254, unique=True)
    is_primary = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="crm_candidateemail_lowercase"
            ),
        ]

    def __str__(self) -> str:
        return self.email


class CandidatePhone(models.Model):
    """A phone number in E.164."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=20, db_index=True)
    kind = models.CharField(max_length=10, blank=True)
    is_primary = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "number"], name="crm_phone_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return self.number


class CandidateSkill(models.Model):
    """A skill a person has, normalized against the taxonomy (``parsing.skills``) where it is
    known (``in_taxonomy``), with years of experience where known."""

    class Origin(models.TextChoices):
        RECRUITER = "recruiter", "Recruiter"
        IMPORT = "import", "Import"
        RESUME = "resume", "Resume"
        CANDIDATE = "candidate", "Candidate"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="skills")
    slug = models.CharField(max_length=120)
    name = models.CharField(max_length=200)
    in_taxonomy = models.BooleanField(default=True)
    years = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.RECRUITER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidate", "slug"], name="crm_skill_once_per_person")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TimelineEntry(models.Model):
    """One touch on a person's timeline: who did what, when, through which channel."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"
        NOTE = "note", "Note"
        EMAIL_OUT = "email_out", "Email sent"
        EMAIL_IN = "email_in", "Email received"
        STAGE_CHANGE = "stage_change", "Stage change"
        APPLICATION = "application", "Application"
        POOL_ADD = "pool_add", "Added to pool"
        EVENT = "event", "Event"
        IMPORT = "import", "Import"
        RESUME = "resume", "Resume"
        MERGE = "merge", "Merge"
        UNMERGE = "unmerge", "Merge undone"
        CONSENT = "consent", "Consent"
        DO_NOT_CONTACT = "do_not_contact", "Do not contact"
        TAGS = "tags", "Tags"
        INTERVIEW = "interview", "Interview"
        SCORECARD = "scorecard", "Scorecard"
        OFFER = "offer", "Offer"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["candidate", "-occurred_at", "-id"], name="crm_timeline_person")
        ]
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "timeline entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary}"


class ResumeFile(models.Model):
    """A resume file attached to a person, stored under a server-generated name outside the web
    root; parsed by the ``crm.parse_resume`` task into ``parsed``."""

    class ParseStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        PARSED = "parsed", "Parsed"
        FAILED = "failed", "Failed"
        UNSUPPORTED = "unsupported", "Unsupported"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="resumes")
    file = models.FileField(upload_to="resumes/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    parse_status = models.CharField(
        max_length=12, choices=ParseStatus.choices, default=ParseStatus.PENDING
    )
    parse_error = models.CharField(max_length=500, blank=True)
    parsed = models.JSONField(default=dict, blank=True)
    parsed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class DuplicateDismissal(models.Model):
    """A recruiter said two records are not the same person (``low_id`` < ``high_id``)."""

    low = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["low", "high"], name="crm_dismissal_once"),
            models.CheckConstraint(
                condition=models.Q(low__lt=models.F("high")), name="crm_dismissal_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.low_id} is not {self.high_id}"


class MergeRecord(models.Model):
    """A merge of ``loser`` into ``survivor``, with everything needed to undo it: the loser's and
    the survivor's field values before the merge, and the ids of every row moved."""

    survivor = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="merges_won")
    loser = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="merges_lost")
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    performed_at = models.DateTimeField(auto_now_add=True)
    loser_snapshot = models.JSONField()
    survivor_snapshot = models.JSONField()
    moved = models.JSONField(default=dict)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-performed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["loser"],
                condition=models.Q(undone_at__isnull=True),
                name="crm_merge_loser_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.loser_id} merged into {self.survivor_id}"


class SavedSearch(models.Model):
    """A recruiter's named search: the query string of the candidate search page."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=120)
    query = models.CharField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="crm_saved_search_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class ImportJob(models.Model):
    """A CSV or resume-zip import: previewed (dry run) first, then run by a Celery task."""

    class Kind(models.TextChoices):
        CSV = "csv", "CSV"
        RESUME_ZIP = "resume_zip", "Resume zip"

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        PREVIEWED = "previewed", "Previewed"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CSV)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    mapping = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    rejected_rows = models.JSONField(default=list, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import {self.original_name}"

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


class ContactTopic(models.TextChoices):
    """What a message is about; a person can opt out of one topic or of everything (ALL)."""

    ALL = "all", "Everything"
    NURTURE = "nurture", "Keeping in touch"
    JOB_ALERTS = "job_alerts", "Job alerts"
    EVENTS = "events", "Events"
    COMPANY_NEWS = "company_news", "Company news"


class ConsentRecord(models.Model):
    """The consent ledger: every grant or withdrawal of permission to contact a person about a
    topic, append-only. The newest row per (person, topic) is what holds; a withdrawal of
    ``all`` outranks any topic's grant. Every send checks it at send time
    (:func:`crm.selectors.consent.may_contact`)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="consents")
    topic = models.CharField(max_length=20, choices=ContactTopic.choices)
    granted = models.BooleanField()
    source = models.CharField(max_length=40, help_text="unsubscribe link, one-click, form, ...")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["candidate", "topic", "-at"], name="crm_consent_latest")]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.topic} {'granted' if self.granted else 'withdrawn'}"


class Pool(models.Model):
    """A named group of people. A *static* pool's members are added and removed by hand; a
    *dynamic* pool's are whoever its ``rule`` matches (see :mod:`crm.selectors.pools`), kept
    in :class:`PoolMembership` by a refresh that logs each join and leave as a
    :class:`PoolChange`. ``built_in`` names the segments a new install has (editable)."""

    class Kind(models.TextChoices):
        STATIC = "static", "Static"
        DYNAMIC = "dynamic", "Dynamic"

    name = models.CharField(max_length=120, unique=True)
    description = models.CharField(max_length=500, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.STATIC)
    rule = models.JSONField(default=dict, blank=True)
    built_in = models.SlugField(max_length=40, blank=True)
    member_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_dynamic(self) -> bool:
        return self.kind == self.Kind.DYNAMIC


class PoolMembership(models.Model):
    """A current member of a pool (the row is deleted when the person leaves)."""

    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="memberships")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pool", "candidate"], name="crm_pool_member_once")
        ]
        indexes = [models.Index(fields=["candidate"], name="crm_pool_member_person")]

    def __str__(self) -> str:
        return f"{self.candidate_id} in {self.pool_id}"


class PoolChange(models.Model):
    """Who joined or left a pool, when and why: the history the growth chart is drawn from."""

    class Action(models.TextChoices):
        JOINED = "joined", "Joined"
        LEFT = "left", "Left"

    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="changes")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=6, choices=Action.choices)
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["pool", "at"], name="crm_pool_change_at")]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.action} {self.pool_id}"
