"""Interviews: each job's interview plan (types with their kits), the interviews themselves with
one history, the candidate's self-scheduling links, the reminders they cause, the interviewers'
working hours and calendar feeds, and the scorecards they submit."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from .jobs import Application, Job, Stage

# A new job's interview plan: stage kind -> [(name, minutes, focus attributes, questions)].
DEFAULT_INTERVIEW_PLAN: dict[str, list[tuple[str, int, list[str], list[str]]]] = {
    "screen": [
        (
            "Recruiter screen",
            30,
            ["Motivation", "Communication", "Logistics"],
            [
                "What are you looking for in your next role?",
                "What is your notice period and where would you work from?",
            ],
        )
    ],
    "interview": [
        (
            "Technical interview",
            60,
            ["Role skills", "Problem solving", "Communication"],
            [
                "Walk me through a piece of work you are proud of.",
                "Tell me about a problem you could not solve at first. What did you do?",
            ],
        )
    ],
    "final": [
        (
            "Final interview",
            45,
            ["Collaboration", "Ownership", "Values"],
            [
                "Tell me about a disagreement with a colleague and how it ended.",
                "What would you want to achieve in your first six months?",
            ],
        )
    ],
}


class InterviewType(models.Model):
    """One kind of interview in a job's plan ("Technical screen, 45 min"), on one stage, with its
    kit: the attributes interviewers rate, suggested questions and notes for the interviewer."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="interview_types")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="interview_types")
    name = models.CharField(max_length=120)
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    focus_attributes = ArrayField(models.CharField(max_length=120), default=list, blank=True)
    questions = ArrayField(models.CharField(max_length=500), default=list, blank=True)
    instructions = models.TextField(blank=True, help_text="Notes for the interviewer")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["stage__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "name"], name="ats_interview_type_name_once"),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5, duration_minutes__lte=480),
                name="ats_interview_type_duration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.duration_minutes} min"


class Interview(models.Model):
    """One interview of an application, at one time, with its interviewers.

    ``uid`` is the calendar UID every invite for it carries (stable across reschedules);
    ``sequence`` is the iCalendar SEQUENCE, raised by each reschedule and by the cancellation, so
    calendars replace the event instead of adding one. ``timezone`` is the IANA zone the
    recruiter scheduled in (invites and emails show the time there). Every change is an
    :class:`InterviewChange` row; reminders are :class:`InterviewNotice` rows."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    interview_type = models.ForeignKey(
        InterviewType, null=True, blank=True, on_delete=models.SET_NULL, related_name="interviews"
    )
    title = models.CharField(max_length=120)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    timezone = models.CharField(max_length=64, default="UTC")
    location = models.CharField(max_length=300, blank=True)
    video_url = models.URLField(max_length=500, blank=True)
    message = models.TextField(blank=True, help_text="To the candidate, in the invitation")
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="interviews")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="ats_interview_ends"
            )
        ]
        indexes = [
            models.Index(fields=["application", "starts_at"], name="ats_interview_app"),
            models.Index(fields=["status", "starts_at"], name="ats_interview_when"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d %H:%M})"

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.SCHEDULED

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class InterviewChange(models.Model):
    """One entry of an interview's history: scheduled, rescheduled (from when to when),
    cancelled, or the candidate asking to reschedule; who, when and why."""

    class Action(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        RESCHEDULED = "rescheduled", "Rescheduled"
        UPDATED = "updated", "Updated"
        CANCELLED = "cancelled", "Cancelled"
        RESCHEDULE_REQUESTED = "reschedule_requested", "Candidate asked to reschedule"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(max_length=24, choices=Action.choices)
    from_starts_at = models.DateTimeField(null=True, blank=True)
    to_starts_at = models.DateTimeField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_candidate = models.BooleanField(default=False)
    note = models.CharField(max_length=1000, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.interview_id} {self.action}"


class InterviewNotice(models.Model):
    """A reminder or prompt due at a time: 24 h before to the candidate and each interviewer,
    a feedback prompt 2 h after the end to each interviewer without a submitted scorecard, and an
    alert to the recruiter when feedback is 24 h overdue.

    Rows are claimed by a tick with ``SKIP LOCKED`` and move QUEUED → SENDING → SENT (or
    SKIPPED when no longer needed). ``for_sequence`` is the interview's SEQUENCE when the row was
    made: a reschedule or a cancellation makes older rows stale and they are never sent."""

    class Kind(models.TextChoices):
        CANDIDATE_REMINDER = "candidate_reminder", "Reminder to the candidate"
        INTERVIEWER_REMINDER = "interviewer_reminder", "Reminder to an interviewer"
        FEEDBACK_PROMPT = "feedback_prompt", "Feedback prompt"
        FEEDBACK_OVERDUE = "feedback_overdue", "Feedback overdue alert"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # The interviewer this is about (reminders, prompts, and whose feedback is overdue); none for
    # the candidate's reminder.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    due_at = models.DateTimeField()
    for_sequence = models.PositiveIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "kind", "user", "for_sequence"],
                nulls_distinct=False,
                name="ats_notice_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(status="queued"),
                name="ats_notice_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for interview {self.interview_id} at {self.due_at:%Y-%m-%d %H:%M}"


class SchedulingRequest(models.Model):
    """Slots offered to a candidate through a signed link (no login). The candidate picks one,
    which creates the :class:`Interview`; ``nonce`` is in the link, so a new nonce (or
    ``status`` other than OPEN/BOOKED) revokes it; ``expires_at`` ends it."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for the candidate"
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="scheduling_requests"
    )
    interview_type = models.ForeignKey(
        InterviewType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=120)
    duration_minutes = models.PositiveSmallIntegerField()
    timezone = models.CharField(max_length=64, default="UTC")
    location = models.CharField(max_length=300, blank=True)
    video_url = models.URLField(max_length=500, blank=True)
    message = models.TextField(blank=True)
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    nonce = models.CharField(max_length=32)
    expires_at = models.DateTimeField()
    interview = models.OneToOneField(
        Interview,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scheduling_request",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5, duration_minutes__lte=480),
                name="ats_scheduling_duration",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} for application {self.application_id} ({self.status})"


class SchedulingSlot(models.Model):
    """One time offered in a :class:`SchedulingRequest`."""

    request = models.ForeignKey(SchedulingRequest, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "starts_at"], name="ats_slot_once"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="ats_slot_ends"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class WorkingHours(models.Model):
    """When an interviewer can interview (used to propose slots): the same hours on the given
    weekdays (0 = Monday), in their time zone. Users without a row work Monday to Friday,
    09:00 to 17:00 in the site's time zone."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="working_hours"
    )
    timezone = models.CharField(max_length=64, default="UTC")
    weekdays = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True)
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="ats_working_hours_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.start_time}-{self.end_time} {self.timezone}"


class CalendarFeed(models.Model):
    """An interviewer's private ICS feed of their interviews: the token is the whole secret in
    the URL; revoking deletes the row (the old URL then answers 404), a new one gets a new token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"feed of {self.user_id}"


class Recommendation(models.TextChoices):
    STRONG_NO = "strong_no", "Strong no"
    NO = "no", "No"
    YES = "yes", "Yes"
    STRONG_YES = "strong_yes", "Strong yes"


# The 1-4 scale of every focus attribute.
RATING_LABELS = {1: "Poor", 2: "Mixed", 3: "Good", 4: "Excellent"}


class Scorecard(models.Model):
    """One interviewer's feedback on one interview: a rating (1-4) per focus attribute
    (``ratings`` is ``[{"attribute": str, "rating": int}]``; an attribute may be left out),
    an overall recommendation and notes. A DRAFT is kept as the interviewer types (it survives
    a closed tab) and is seen by no one else; SUBMITTED ones are read by the hiring team under
    the blindness rule (see ``ats.selectors.scorecards``). Each submission and amendment is a
    :class:`ScorecardRevision`."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="scorecards")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="scorecards"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scorecards"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    overall = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)
    ratings = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    amended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "interviewer"], name="ats_one_scorecard_per_interviewer"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | ~models.Q(overall=""),
                name="ats_submitted_scorecard_has_overall",
            ),
        ]
        indexes = [models.Index(fields=["application", "status"], name="ats_scorecard_app")]

    def __str__(self) -> str:
        return f"scorecard {self.pk} by {self.interviewer_id} ({self.status})"


class ScorecardRevision(models.Model):
    """What a scorecard said at one submission; the first is the submission, later ones are
    amendments, so the history shows both."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="revisions")
    overall = models.CharField(max_length=10, choices=Recommendation.choices)
    ratings = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"revision of scorecard {self.scorecard_id} at {self.submitted_at}"
