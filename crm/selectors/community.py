"""Reads of the talent community: who a confirmation link names (the link's checks live here so
the confirmation page can show its button without confirming anything), and the members."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import QuerySet

from config.core.links import BadLink, read_link

from ..models import Candidate, CommunityStatus, ContactTopic
from .candidates import candidate_survivor
from .consent import consenting_to

COMMUNITY_LINK_SALT = "crm.community"
COMMUNITY_LINK_MAX_AGE = 7 * 24 * 60 * 60
# Job families anyone may pick; the signup form and the API add the departments of open jobs.
JOB_FAMILIES = (
    "Engineering", "Product", "Design", "Data", "Sales", "Marketing", "Customer Success",
    "Operations", "Finance", "People",
)  # fmt: skip
DEAD_LINK = "This link is no longer valid. Sign up again and we will send you a new one."


def email_digest(email: str) -> str:
    """A short hash of the address the link was sent to (the link dies when it changes)."""
    return hashlib.sha256((email or "").encode()).hexdigest()[:16]


@dataclass(frozen=True)
class LinkRequest:
    """What the signup behind a link asked for: consent topics and the privacy notice version."""

    topics: list[str]
    version: str


def _payload(token: str) -> tuple[int, str, LinkRequest]:
    payload = read_link(COMMUNITY_LINK_SALT, token, COMMUNITY_LINK_MAX_AGE)
    try:
        pk, digest = int(payload[0]), str(payload[1])
        topics = [str(t) for t in payload[2]] if len(payload) > 2 else []
        version = str(payload[3]) if len(payload) > 3 else ""
    except (TypeError, ValueError, IndexError, KeyError):
        raise BadLink("This link is not valid (it may have been changed or cut short).") from None
    known = [t for t in topics if t in ContactTopic.values and t != ContactTopic.ALL]
    return pk, digest, LinkRequest(known, version)


def community_link_request(token: str) -> LinkRequest:
    """The consent topics and notice version a (valid) link carries."""
    return _payload(token)[2]


def community_link_candidate(token: str, *, candidate: Candidate | None = None) -> Candidate:
    """The person a confirmation link names, or :class:`BadLink` (``expired`` set for an old
    link) with a message fit to show: forged or cut short, older than 7 days, sent to an address
    the person no longer has, or the person left the community since. ``candidate`` re-checks a
    row the caller already holds (locked)."""
    pk, digest, _ = _payload(token)
    if candidate is None:
        found = Candidate.objects.filter(pk=pk).first()
        if found is None:
            raise BadLink(DEAD_LINK)
        candidate = candidate_survivor(found)
    if email_digest(candidate.email) != digest:
        raise BadLink(DEAD_LINK)
    if candidate.community_status == CommunityStatus.NONE:
        raise BadLink(DEAD_LINK)
    return candidate


def community_members() -> QuerySet[Candidate]:
    """Confirmed members only (a pending signup is not a member): the set nurture may write to
    as the talent community. Not for display by itself: callers restrict by user."""
    return Candidate.objects.filter(
        community_status=CommunityStatus.CONFIRMED, merged_into__isnull=True
    )


def community_members_consenting(topic: str) -> QuerySet[Candidate]:
    """Confirmed members whose newest consent for ``topic`` is a grant (and who have not
    withdrawn everything): whom nurture may offer that topic, e.g. job alerts. Not for display
    by itself: callers restrict by user."""
    return community_members().filter(pk__in=consenting_to(topic).values("pk"))
