"""Offers: letter templates, the offer itself through its approval chain, and its history."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .jobs import Application


class OfferTemplate(models.Model):
    """A letter with merge fields (``{{ candidate.first_name }}``, ``{{ job.title }}``,
    ``{{ offer.salary }}`` ...) that an offer's letter starts from."""

    name = models.CharField(max_length=120, unique=True)
    body = models.TextField()
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Offer(models.Model):
    """An offer to the candidate of one application.

    DRAFT → PENDING_APPROVAL (the ordered :class:`OfferApproval` chain) → APPROVED → SENT (a
    signed link carrying ``nonce``; ``expires_at`` ends it) → ACCEPTED (hires the application)
    or DECLINED (with the candidate's reason); WITHDRAWN and EXPIRED end it otherwise. An edit
    after an approval puts every approval back to pending; an offer that was sent cannot be
    edited. ``letter`` is the rendered letter the candidate reads."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING_APPROVAL = "pending_approval", "Pending approval"
        APPROVED = "approved", "Approved"
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Expired"

    OPEN_STATUSES = ("draft", "pending_approval", "approved", "sent")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="offers")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    salary = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, help_text="ISO 4217")
    salary_period = models.CharField(max_length=5, default="YEAR")
    start_date = models.DateField()
    bonus = models.CharField(max_length=500, blank=True)
    equity = models.CharField(max_length=500, blank=True)
    template = models.ForeignKey(
        OfferTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="offers"
    )
    letter = models.TextField(blank=True)
    nonce = models.CharField(max_length=32, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status__in=["draft", "pending_approval", "approved", "sent"]),
                name="ats_one_open_offer",
            ),
            models.CheckConstraint(condition=models.Q(salary__gte=0), name="ats_offer_salary"),
        ]

    def __str__(self) -> str:
        return f"offer {self.pk} for application {self.application_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class OfferApproval(models.Model):
    """One step of an offer's ordered approval chain."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="approvals")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offer_approvals"
    )
    position = models.PositiveSmallIntegerField()
    decision = models.CharField(max_length=8, choices=Decision.choices, default=Decision.PENDING)
    comment = models.CharField(max_length=1000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "position"], name="ats_approval_position"),
            models.UniqueConstraint(fields=["offer", "approver"], name="ats_approval_once"),
        ]

    def __str__(self) -> str:
        return f"{self.approver_id} #{self.position}: {self.decision}"


class OfferChange(models.Model):
    """One entry of an offer's history (created, edited, submitted, approved, declined by an
    approver, sent, accepted, declined by the candidate, withdrawn, expired)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_candidate = models.BooleanField(default=False)
    note = models.CharField(max_length=1000, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"offer {self.offer_id} {self.action}"
