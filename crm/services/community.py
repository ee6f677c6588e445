"""The talent community: a person joins from the public signup page (or the public API) without
applying, and becomes a member only after following the emailed link (double opt-in).

* :func:`community_signup` checks the input, looks the person up before creating them
  (``candidate_upsert`` with the public origin ``talent_community``: an existing person gains the
  interests, never loses data and is never renamed by a stranger typing their address), marks
  them PENDING (a CONFIRMED member stays CONFIRMED) and mails the confirmation link after
  commit. The link carries the consent topics asked for and the privacy notice version shown.
* :func:`community_confirm` follows the link: the topics go to the consent ledger with that
  version, PENDING becomes CONFIRMED, the timeline says so and the domain event
  ``community.joined`` is recorded. Following it again changes nothing. (Consent is written on
  confirming, not on signing up: anyone can type anyone's address, and an unconfirmed signup
  must not re-subscribe a person who had withdrawn a topic.)

Only CONFIRMED people are members (the "Talent community" pool is a dynamic pool on that
status). The link is signed (salt ``crm.community``), lasts 7 days and carries a hash of the
person's primary address, so it dies when the address changes; it also dies when the person
left the community (status back to NONE) after it was sent."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from config.core.links import sign_link
from config.core.models import record_event
from config.core.tasks import send_email as send_email_task

from .. import normalize
from ..models import Candidate, CommunityStatus, ContactTopic, Seniority, Source, TimelineEntry
from ..selectors.community import (
    COMMUNITY_LINK_SALT,
    JOB_FAMILIES,
    community_link_candidate,
    community_link_request,
    email_digest,
)
from ..selectors.consent import latest_consent_by_topic
from .candidates import candidate_upsert
from .consent import consent_record
from .errors import CandidateInputError
from .resumes import CheckedResume, resume_attach
from .timeline import timeline_add

# Topics the signup asks about; job alerts is the one that makes someone a community member.
SIGNUP_TOPICS = (ContactTopic.JOB_ALERTS, ContactTopic.NURTURE, ContactTopic.COMPANY_NEWS)
REQUIRED_TOPIC = ContactTopic.JOB_ALERTS
CONSENT_SOURCE = "talent community signup"
# The careers site (ats) serves the confirmation page under this URL name.
CONFIRM_URL_NAME = "careers:join-confirm"
MAX_INTERESTS = 20
MAX_LOCATIONS = 10
MAX_ITEM_LENGTH = 120
NAME_MAX_LENGTH = 150


@dataclass(frozen=True)
class SignupOutcome:
    """The person who signed up, whether they were new to us and already a confirmed member."""

    candidate: Candidate
    created: bool
    already_member: bool


@dataclass(frozen=True)
class ConfirmOutcome:
    candidate: Candidate
    newly_joined: bool


@dataclass(frozen=True)
class _Signup:
    person: dict[str, str]
    interests: list[str]
    locations: list[str]
    topics: list[str]


# --------------------------------------------------------------------------- input


def _items(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, Iterable):
        raise normalize.InvalidValue("must be a list")
    items: list[str] = []
    for item in value:
        text = re.sub(r"\s+", " ", str(item)).strip()
        if text and text.casefold() not in {i.casefold() for i in items}:
            items.append(text)
    return items


def _interests(value: Any, allowed: Collection[str]) -> list[str]:
    by_key = {a.casefold(): a for a in allowed}
    items = _items(value)
    if not items:
        raise normalize.InvalidValue("choose at least one area you are interested in")
    unknown = [i for i in items if i.casefold() not in by_key]
    if unknown:
        raise normalize.InvalidValue(
            f"{unknown[0]!r} is not one of the areas we hire for ({', '.join(sorted(by_key.values()))})"
        )
    if len(items) > MAX_INTERESTS:
        raise normalize.InvalidValue(f"choose at most {MAX_INTERESTS} areas")
    return [by_key[i.casefold()] for i in items]


def _locations(value: Any) -> list[str]:
    items = _items(value)
    if len(items) > MAX_LOCATIONS:
        raise normalize.InvalidValue(f"name at most {MAX_LOCATIONS} locations")
    long = [i for i in items if len(i) > MAX_ITEM_LENGTH]
    if long:
        raise normalize.InvalidValue(f"a location is longer than {MAX_ITEM_LENGTH} characters")
    return items


def _topics(value: Any) -> list[str]:
    items = [i.lower() for i in _items(value)]
    unknown = [i for i in items if i not in SIGNUP_TOPICS]
    if unknown:
        allowed = ", ".join(t.value for t in SIGNUP_TOPICS)
        raise normalize.InvalidValue(f"{unknown[0]!r} is not one of: {allowed}")
    if REQUIRED_TOPIC not in items:
        raise normalize.InvalidValue(
            "Agree to receive job alerts: joining the talent community means we may write to you "
            "about jobs that fit you."
        )
    return items


def _name(value: Any, label: str) -> str:
    text = re.sub(r"\s+", " ", str(value or "")).strip()
    if not text:
        raise normalize.InvalidValue(f"enter your {label}")
    if len(text) > NAME_MAX_LENGTH:
        raise normalize.InvalidValue(f"is longer than {NAME_MAX_LENGTH} characters")
    return text


def _email(value: Any) -> str:
    email = normalize.normalize_email(str(value or ""))
    if not email:
        raise normalize.InvalidValue("enter your email address")
    return email


def _seniority(value: Any) -> str:
    text = str(value or "").strip().lower().replace(" ", "_").replace("-", "_")
    if not text:
        return ""
    if text not in Seniority.values:
        raise normalize.InvalidValue(f"{value!r} is not one of: {', '.join(Seniority.values)}")
    return text


def community_signup_clean(
    data: dict[str, Any], *, allowed_interests: Collection[str] | None = None
) -> _Signup:
    """Check a signup; raises :class:`CandidateInputError` naming every bad field. ``topics``
    are the consent topics granted (job alerts is required)."""
    allowed = allowed_interests or JOB_FAMILIES
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    checks = {
        "first_name": lambda v: _name(v, "first name"),
        "last_name": lambda v: _name(v, "last name"),
        "email": _email,
        "interests": lambda v: _interests(v, allowed),
        "locations": _locations,
        "seniority": _seniority,
        "linkedin_url": lambda v: normalize.normalize_linkedin(str(v or "")),
        "topics": _topics,
    }
    for name, check in checks.items():
        try:
            values[name] = check(data.get(name))
        except normalize.InvalidValue as exc:
            errors[name] = str(exc)
    if errors:
        raise CandidateInputError(errors)
    person = {k: values[k] for k in ("first_name", "last_name", "email")}
    for optional in ("seniority", "linkedin_url"):
        if values[optional]:
            person[optional] = values[optional]
    return _Signup(person, values["interests"], values["locations"], values["topics"])


# --------------------------------------------------------------------------- signup


def _union(current: list[str], new: list[str]) -> list[str]:
    seen = {c.casefold() for c in current}
    return [*current, *(n for n in new if n.casefold() not in seen)]


@transaction.atomic
def community_signup(
    *,
    data: dict[str, Any],
    privacy_notice_version: str,
    ip: str,
    allowed_interests: Collection[str] | None = None,
    resume: tuple[UploadedFile, CheckedResume] | None = None,
) -> SignupOutcome:
    """A signup from the public page or API, all or nothing. Raises
    :class:`CandidateInputError` (field → message) for bad input and changes nothing then.

    ``data``: first_name, last_name, email, interests, locations, topics (consent topics granted;
    job alerts required), optional seniority and linkedin_url. ``resume`` is an upload already
    checked by content (``crm.forms.sniff_resume``); it is stored and parsed like any other."""
    signup = community_signup_clean(data, allowed_interests=allowed_interests)
    result = candidate_upsert(
        data=signup.person,
        origin="talent_community",
        source=Source.TALENT_COMMUNITY,
        channel_summary="the talent-community signup",
    )
    candidate = Candidate.objects.select_for_update().get(pk=result.candidate.pk)
    already_member = candidate.community_status == CommunityStatus.CONFIRMED
    candidate.interest_areas = _union(candidate.interest_areas, signup.interests)
    candidate.interest_locations = _union(candidate.interest_locations, signup.locations)
    if not already_member:
        candidate.community_status = CommunityStatus.PENDING
    candidate.save(update_fields=["interest_areas", "interest_locations", "community_status"])
    if resume is not None:
        upload, checked = resume
        resume_attach(candidate=candidate, upload=upload, checked=checked, actor=None)
    timeline_add(
        candidate=candidate,
        kind=TimelineEntry.Kind.UPDATED,
        summary="Signed up for the talent community"
        + (" again (already a member)" if already_member else " (awaiting confirmation)"),
        data={
            "community": "signup",
            "interests": signup.interests,
            "locations": signup.locations,
            "topics": signup.topics,
            "privacy_notice_version": privacy_notice_version,
            "ip": ip,
        },
    )
    link = community_link(candidate, topics=signup.topics, version=privacy_notice_version)
    _confirmation_email_queue(candidate, link=link, already_member=already_member)
    return SignupOutcome(candidate, result.created, already_member)


def community_link(
    candidate: Candidate,
    *,
    topics: list[str] | None = None,
    version: str = "",
) -> str:
    """The absolute confirmation link for the person's current primary address, carrying the
    consent topics asked for and the privacy notice version shown (recorded on confirming)."""
    payload = [
        candidate.pk,
        email_digest(candidate.email),
        topics or [REQUIRED_TOPIC.value],
        version or settings.PRIVACY_NOTICE_VERSION,
    ]
    token = sign_link(COMMUNITY_LINK_SALT, payload)
    return settings.SITE_URL + reverse(CONFIRM_URL_NAME, args=[token])


def _confirmation_email_queue(candidate: Candidate, *, link: str, already_member: bool) -> None:
    # A transactional answer to the person's own request: do-not-contact does not apply.
    company = settings.COMPANY_NAME
    context = {
        "candidate": candidate,
        "company": company,
        "link": link,
        "already_member": already_member,
    }
    body = render_to_string("crm/email/community_confirm.txt", context)
    subject = f"Confirm that you want to join the {company} talent community"
    to = candidate.email
    transaction.on_commit(
        lambda: send_email_task.delay(subject=subject, body=body, to=[to]), robust=True
    )
    timeline_add(
        candidate=candidate,
        kind=TimelineEntry.Kind.EMAIL_OUT,
        channel="email",
        summary="Talent-community confirmation email queued",
        data={"community": "confirmation_email"},
    )


# --------------------------------------------------------------------------- confirm


@transaction.atomic
def community_confirm(*, token: str) -> ConfirmOutcome:
    """Follow the emailed link: the person becomes a confirmed member (once; again is a no-op)
    and the consent topics they asked for are written to the ledger now, with the privacy
    notice version they were shown (a signup alone grants nothing: anyone can type anyone's
    address). Raises ``config.core.links.BadLink`` for a forged, expired or dead link."""
    found = community_link_candidate(token)
    candidate = Candidate.objects.select_for_update().get(pk=found.pk)
    community_link_candidate(token, candidate=candidate)  # re-check under the row lock
    request = community_link_request(token)
    _consent_grant(candidate, request.topics, request.version)
    if candidate.community_status == CommunityStatus.CONFIRMED:
        return ConfirmOutcome(candidate, newly_joined=False)
    now = timezone.now()
    candidate.community_status = CommunityStatus.CONFIRMED
    candidate.community_joined_at = now
    candidate.save(update_fields=["community_status", "community_joined_at"])
    timeline_add(
        candidate=candidate,
        kind=TimelineEntry.Kind.UPDATED,
        summary="Joined the talent community (confirmed by email)",
        data={"community": "confirmed"},
        occurred_at=now,
    )
    record_event(
        "community.joined",
        subject_type="crm.candidate",
        subject_id=candidate.pk,
        payload={
            "interests": candidate.interest_areas,
            "locations": candidate.interest_locations,
        },
    )
    return ConfirmOutcome(candidate, newly_joined=True)


def _consent_grant(candidate: Candidate, topics: list[str], version: str) -> None:
    """Grant each topic whose newest ledger row is not already a grant (so following the link
    twice writes nothing twice). A person who had unsubscribed from everything and now confirms
    is resubscribed to ``all`` (their confirmation is the fresh opt-in that needs); a topic they
    withdrew alone and asked for again is granted again."""
    newest = latest_consent_by_topic(candidate)
    note = f"privacy notice {version}; confirmed by email"
    wanted = list(topics)
    if newest.get(ContactTopic.ALL.value) is False:
        wanted.insert(0, ContactTopic.ALL.value)
    for topic in wanted:
        if newest.get(topic) is not True:
            consent_record(
                candidate=candidate, topic=topic, granted=True, source=CONSENT_SOURCE, note=note
            )
