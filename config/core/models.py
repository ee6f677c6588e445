from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """A person who logs in: a recruiter, hiring manager, interviewer or administrator.

    Roles are Django groups (see :mod:`config.core.roles`); candidates never log in as users.
    Email is unique, case-insensitively, when set, because password resets are sent to it.
    """

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="core_user_email_ci_unique",
            )
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class DomainEvent(models.Model):
    """Something happened that a higher app may react to (an application arrived, a candidate
    was rejected or hired). Written in the same transaction as the change; the automation layer
    (nurture) consumes rows after commit and marks them ``processed_at``. This keeps lower apps
    ignorant of the ones above them."""

    type = models.CharField(max_length=60)
    subject_type = models.CharField(max_length=40)
    subject_id = models.BigIntegerField()
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(processed_at__isnull=True), name="core_event_todo"
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.subject_type}#{self.subject_id}"


def record_event(type: str, *, subject_type: str, subject_id: int, payload: dict | None = None):
    """Record a domain event; call inside the transaction that made the change."""
    return DomainEvent.objects.create(
        type=type, subject_type=subject_type, subject_id=subject_id, payload=payload or {}
    )
