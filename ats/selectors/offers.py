"""Reads of offers: who may see and change them, the offers list with "awaiting my approval"
first, one offer with its chain and history, and the offer a candidate's signed link names.

Recruiters (and administrators) see every offer; a hiring manager the offers on the jobs they
manage; anyone on an offer's approval chain that offer; interviewers and everyone else none.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractUser
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from config.core.links import BadLink, read_link
from config.core.roles import Role, has_role

from ..models import (
    Application,
    Job,
    Offer,
    OfferApproval,
    OfferChange,
    OfferTemplate,
    Stage,
    StageKind,
)
from .jobs import User
from .users import users_holding

# The salt of every candidate offer link (the payload carries the offer id and its nonce).
OFFER_LINK_SALT = "ats.offer.link"


# --------------------------------------------------------------------------- permissions


def can_manage_offer(user: User, job: Job) -> bool:
    """Recruiters make, edit, send and withdraw any offer; a hiring manager those on the jobs
    they manage."""
    if has_role(user, Role.RECRUITER):
        return True
    return has_role(user, Role.HIRING_MANAGER) and job.hiring_manager_id == getattr(
        user, "pk", None
    )


def may_approve(user: User) -> bool:
    """Who may sit on an approval chain: active users holding Recruiter or Hiring manager (or
    administrators)."""
    return bool(getattr(user, "is_active", False)) and has_role(
        user, Role.RECRUITER, Role.HIRING_MANAGER
    )


# --------------------------------------------------------------------------- offers


def offers_visible_to(user: User) -> QuerySet[Offer]:
    """Offers the user may see (see the module's docstring)."""
    offers = Offer.objects.all()
    if has_role(user, Role.RECRUITER):
        return offers
    if not has_role(user, Role.HIRING_MANAGER):
        return offers.none()  # interviewers, people without a role, anonymous visitors
    on_chain = OfferApproval.objects.filter(offer=OuterRef("pk"), approver_id=user.pk)
    return offers.filter(Q(Exists(on_chain)) | Q(application__job__hiring_manager_id=user.pk))


def _current_approver() -> Subquery:
    """The approver whose turn it is: the first pending step of the chain."""
    return Subquery(
        OfferApproval.objects.filter(offer=OuterRef("pk"), decision=OfferApproval.Decision.PENDING)
        .order_by("position", "id")
        .values("approver")[:1]
    )


def _with_turn(offers: QuerySet[Offer], user: User) -> QuerySet[Offer]:
    return offers.annotate(current_approver_id=_current_approver()).annotate(
        my_turn=Case(
            When(
                Q(status=Offer.Status.PENDING_APPROVAL, current_approver_id=user.pk),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def offers_for_list(user: User, *, open_only: bool = True) -> QuerySet[Offer]:
    """The offers page: the user's offers (open ones unless ``open_only`` is False), those
    awaiting the user's approval first, then newest first; each with its application, person,
    job and ``my_turn`` (fixed number of queries)."""
    offers = offers_visible_to(user)
    if open_only:
        offers = offers.filter(status__in=Offer.OPEN_STATUSES)
    return (
        _with_turn(offers, user)
        .select_related("application__candidate", "application__job", "created_by")
        .order_by("-my_turn", "-created_at", "-id")
    )


def offers_awaiting_approval(user: User) -> QuerySet[Offer]:
    """Offers pending approval whose current step is the user's."""
    return offers_for_list(user).filter(my_turn=True)  # type: ignore[misc]  # annotated


def _chain() -> Prefetch:
    return Prefetch("approvals", queryset=OfferApproval.objects.select_related("approver"))


def _history() -> Prefetch:
    return Prefetch("history", queryset=OfferChange.objects.select_related("actor"))


def offer_get_for_user(user: User, pk: int) -> Offer | None:
    """One offer the user may see, with its application, person, job, chain and history; or
    None (the access decorator's loader)."""
    return (
        _with_turn(offers_visible_to(user), user)
        .select_related(
            "application__candidate",
            "application__job__hiring_manager",
            "application__stage",
            "template",
            "created_by",
        )
        .prefetch_related(_chain(), _history())
        .filter(pk=pk)
        .first()
    )


def open_offer_for_application(application: Application) -> Offer | None:
    """The application's open offer (at most one: a constraint), or None."""
    return application.offers.filter(status__in=Offer.OPEN_STATUSES).first()


def offers_for_api(user: User) -> QuerySet[Offer]:
    """The user's offers with what the API's output shows."""
    return (
        offers_visible_to(user)
        .select_related("application__candidate", "application__job", "template")
        .prefetch_related(_chain())
    )


def offer_get_for_api(user: User, pk: int) -> Offer | None:
    return offers_for_api(user).filter(pk=pk).first()


def hired_stage(job: Job) -> Stage | None:
    """The job's first stage of kind "hired" (where an accepted offer moves the application)."""
    return Stage.objects.filter(job=job, kind=StageKind.HIRED).order_by("position", "id").first()


# --------------------------------------------------------------------------- choices


def offer_template_choices() -> QuerySet[OfferTemplate]:
    """Active letter templates, by name."""
    return OfferTemplate.objects.filter(active=True).order_by("name")


def approver_choices() -> QuerySet[AbstractUser]:
    """Who may be put on an approval chain: active recruiters, hiring managers and
    administrators, by name."""
    return users_holding(Role.RECRUITER, Role.HIRING_MANAGER).order_by(
        "first_name", "last_name", "username"
    )


# --------------------------------------------------------------------------- candidate link


@dataclass(frozen=True)
class OfferLink:
    """What a candidate's offer link names: the offer when the link may be used (``problem``
    empty), else a reason fit to show them (``offer`` is set when the link was genuine)."""

    offer: Offer | None
    problem: str = ""
    expired: bool = False

    @property
    def usable(self) -> bool:
        return self.offer is not None and not self.problem


GONE: dict[str, str] = {
    Offer.Status.WITHDRAWN: "This offer has been withdrawn. Please contact your recruiter if "
    "you have questions.",
    Offer.Status.EXPIRED: "This offer has expired. Please ask your recruiter if you would still "
    "like to discuss it.",
}


def offer_for_token(token: str) -> OfferLink:
    """The offer a candidate's link names and whether it may still be answered: a forged or
    altered token, a revoked one (withdrawn, or replaced by a newer link), an expired offer or
    one already answered each come back with the reason (answered ones with the offer, so the
    page can show the answer)."""
    try:
        payload = read_link(OFFER_LINK_SALT, token, max_age=None)
    except BadLink as exc:
        return OfferLink(None, exc.message, expired=exc.expired)
    if not isinstance(payload, dict) or "o" not in payload or "n" not in payload:
        return OfferLink(None, "This link is not valid (it may have been changed or cut short).")
    offer = (
        Offer.objects.select_related("application__candidate", "application__job")
        .filter(pk=payload["o"])
        .first()
    )
    if offer is None:
        return OfferLink(None, "This offer no longer exists. Please contact your recruiter.")
    if offer.status in GONE:
        return OfferLink(offer, GONE[offer.status], expired=offer.status == Offer.Status.EXPIRED)
    if not offer.nonce or offer.nonce != payload["n"]:
        return OfferLink(
            None, "This link is no longer valid. Please use the latest email from your recruiter."
        )
    if offer.status in (Offer.Status.ACCEPTED, Offer.Status.DECLINED):
        return OfferLink(offer, "You have already answered this offer.")
    if offer.status != Offer.Status.SENT:
        return OfferLink(None, "This offer is not open. Please contact your recruiter.")
    if offer.expires_at is not None and offer.expires_at <= timezone.now():
        return OfferLink(offer, GONE[Offer.Status.EXPIRED], expired=True)
    return OfferLink(offer)
