"""Sequences of steps, people enrolled in them, and every message sent: the nurture engine.

Schedules live in the database (``Enrollment.next_due_at``); a beat tick claims due rows with
``SELECT ... FOR UPDATE SKIP LOCKED`` (nurture.services.dispatch). Each send is a :class:`Message` whose
``(enrollment, step)`` pair is unique, moving QUEUED → SENDING → SENT/FAILED; a row that is
SENDING or SENT is never sent again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from crm.models import ContactTopic


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"
    MANUAL = "manual", "Manual task"


class Sequence(models.Model):
    """A named series of steps sent from one identity about one topic (which is what a
    per-topic unsubscribe stops)."""

    name = models.CharField(max_length=150)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sequences",
    )
    from_name = models.CharField(max_length=120, blank=True)
    from_email = models.EmailField(blank=True, help_text="Empty: the site's DEFAULT_FROM_EMAIL")
    reply_to = models.EmailField(blank=True, help_text="Where replies go besides our matching")
    topic = models.CharField(
        max_length=20, choices=ContactTopic.choices, default=ContactTopic.NURTURE
    )
    quiet_hours = models.BooleanField(
        default=True, help_text="Send only on weekdays 9:00-17:00 in the person's time zone"
    )
    adaptive = models.BooleanField(
        default=True, help_text="Engaged people get the next step sooner; unengaged later"
    )
    cold_after = models.PositiveSmallIntegerField(
        default=5, help_text="Unopened messages in a row after which the enrollment ends"
    )
    stop_on_application = models.BooleanField(
        default=False, help_text="Stop when the person applies to a job (passive nurture)"
    )
    repeat_last_every_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="After the last step, send it again every N days"
    )
    builtin_key = models.CharField(max_length=40, unique=True, null=True, blank=True)
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Step(models.Model):
    """One step: wait ``delay_hours`` after the previous step (or after enrollment), then send
    an email or SMS, or put a manual task on the owner's list."""

    class DelayFrom(models.TextChoices):
        PREVIOUS = "previous", "after the previous step"
        ENROLLMENT = "enrollment", "after enrollment"

    class TaskKind(models.TextChoices):
        LINKEDIN = "linkedin", "LinkedIn message"
        CALL = "call", "Call"
        OTHER = "other", "Other"

    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    delay_hours = models.PositiveIntegerField(default=0)
    delay_from = models.CharField(
        max_length=10, choices=DelayFrom.choices, default=DelayFrom.PREVIOUS
    )
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    task_kind = models.CharField(max_length=10, choices=TaskKind.choices, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.sequence_id}#{self.position} {self.channel}"


class Enrollment(models.Model):
    """A person in a sequence. ``step_index`` is the next step to send; ``next_due_at`` when.
    One active (or paused) enrollment per person and sequence is a database constraint."""

    class State(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        STOPPED = "stopped", "Stopped"

    class StopReason(models.TextChoices):
        REPLIED = "replied", "Replied"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Bounced"
        APPLIED = "applied", "Applied"
        HIRED = "hired", "Hired"
        DO_NOT_CONTACT = "do_not_contact", "Do not contact"
        MANUAL = "manual", "Stopped by a recruiter"
        GONE_COLD = "gone_cold", "Gone cold"

    candidate = models.ForeignKey(
        "crm.Candidate", on_delete=models.CASCADE, related_name="enrollments"
    )
    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="enrollments")
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    stop_reason = models.CharField(max_length=16, choices=StopReason.choices, blank=True)
    step_index = models.PositiveSmallIntegerField(default=0)
    next_due_at = models.DateTimeField(null=True, blank=True)
    delay_factor = models.FloatField(default=1.0)
    unopened_streak = models.PositiveSmallIntegerField(default=0)
    enrolled_at = models.DateTimeField()
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_sent_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    job = models.ForeignKey(
        "ats.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-enrolled_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "sequence"],
                condition=models.Q(state__in=["active", "paused"]),
                name="nurture_one_live_enrollment",
            )
        ]
        indexes = [
            models.Index(
                fields=["next_due_at"],
                condition=models.Q(state="active"),
                name="nurture_enrollment_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} in {self.sequence_id} ({self.state})"


class Message(models.Model):
    """One send of one step to one person. ``(enrollment, step, occurrence)`` is unique, so a
    step is sent at most once (``occurrence`` counts the repeats of a sequence's last step).
    QUEUED → SENDING (claimed by one worker) → SENT or FAILED; SKIPPED when a gate said no at
    send time. ``token`` is the per-message secret of the reply address reply+<token>@..."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="messages")
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="messages")
    occurrence = models.PositiveSmallIntegerField(default=0)
    candidate = models.ForeignKey(
        "crm.Candidate", on_delete=models.CASCADE, related_name="nurture_messages"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    token = models.CharField(max_length=32, unique=True)
    to_address = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    message_id = models.CharField(max_length=200, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    queued_at = models.DateTimeField()
    retry_at = models.DateTimeField(null=True, blank=True)
    sending_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "step", "occurrence"], name="nurture_message_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["status", "retry_at"],
                condition=models.Q(status__in=["queued", "sending"]),
                name="nurture_message_pending",
            ),
            models.Index(fields=["candidate", "-queued_at"], name="nurture_message_person"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.pk} ({self.status})"


class MessageEvent(models.Model):
    """What happened to a sent message: opened, clicked, replied, bounced, unsubscribed."""

    class Kind(models.TextChoices):
        OPEN = "open", "Opened"
        CLICK = "click", "Clicked"
        REPLY = "reply", "Replied"
        BOUNCE = "bounce", "Bounced"
        UNSUBSCRIBE = "unsubscribe", "Unsubscribed"

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["message", "kind"], name="nurture_event_message")]

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id}"


class InboundMail(models.Model):
    """A reply or bounce that came back, kept raw. ``message`` is set when it matched one of
    ours; unmatched ones stay listed for a person to look at, never dropped."""

    class Kind(models.TextChoices):
        REPLY = "reply", "Reply"
        BOUNCE = "bounce", "Bounce"
        OTHER = "other", "Other"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound"
    )
    from_address = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    raw = models.BinaryField()
    received_at = models.DateTimeField()
    source = models.CharField(max_length=20, help_text="webhook, imap, maildir")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} from {self.from_address}"


class Task(models.Model):
    """A manual step (LinkedIn message, call) on the sequence owner's task list."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    candidate = models.ForeignKey("crm.Candidate", on_delete=models.CASCADE, related_name="tasks")
    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="task")
    kind = models.CharField(max_length=10, choices=Step.TaskKind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["done_at", "due_at", "id"]

    def __str__(self) -> str:
        return self.title


class Alert(models.Model):
    """Something the owner of a sequence must know: a permanent send failure, a message whose
    worker died mid-send."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="alerts")
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text


class JobAlertItem(models.Model):
    """One job put in one person's job-alert mail (nurture.services.job_alerts). Unique per
    person and job, so a job is alerted to a person at most once, ever; the row stays when its
    message goes (``message`` set to NULL) so the promise holds."""

    candidate = models.ForeignKey(
        "crm.Candidate", on_delete=models.CASCADE, related_name="job_alert_items"
    )
    job = models.ForeignKey("ats.Job", on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="job_alert_items"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "job"], name="nurture_job_alert_once")
        ]

    def __str__(self) -> str:
        return f"job {self.job_id} to {self.candidate_id}"
