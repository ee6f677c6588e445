"""The consent ledger's reads: may we contact this person about this topic, now?

The writes (a grant or a withdrawal) are :func:`crm.services.consent.consent_record`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery

from ..models import Candidate, ConsentRecord, ContactTopic


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str = ""  # machine-readable: do_not_contact, unsubscribed, no_address, archived...
    detail: str = ""  # for a person

    def __bool__(self) -> bool:
        return self.allowed


def _topics_by_person(candidate_ids: Iterable[int], *, granted: bool) -> dict[int, set[str]]:
    """Per person, the topics whose newest ledger row is a grant (or a withdrawal)."""
    latest: dict[tuple[int, str], bool] = {}
    rows = ConsentRecord.objects.filter(candidate__in=candidate_ids).order_by("-at", "-id")
    for candidate_id, topic, row_granted in rows.values_list("candidate_id", "topic", "granted"):
        latest.setdefault((candidate_id, topic), row_granted)
    topics: dict[int, set[str]] = defaultdict(set)
    for (candidate_id, topic), row_granted in latest.items():
        if row_granted == granted:
            topics[candidate_id].add(topic)
    return topics


def withdrawn_topics_by_person(candidate_ids: Iterable[int]) -> dict[int, set[str]]:
    """Per person, the topics whose newest ledger row is a withdrawal (one query for all)."""
    return _topics_by_person(candidate_ids, granted=False)


def granted_topics_by_person(candidate_ids: Iterable[int]) -> dict[int, set[str]]:
    """Per person, the topics whose newest ledger row is a grant (one query for all): what a
    sender that needs an opt-in (job alerts) checks, beside :func:`verdict`."""
    return _topics_by_person(candidate_ids, granted=True)


def consenting_to(topic: str) -> QuerySet[Candidate]:
    """People whose newest ledger row for ``topic`` is a grant and who have not withdrawn
    everything since (subqueries on the ledger's (candidate, topic, at) index)."""

    def newest(name: str) -> Subquery:
        rows = ConsentRecord.objects.filter(candidate=OuterRef("pk"), topic=name)
        return Subquery(rows.order_by("-at", "-id").values("granted")[:1])

    return (
        Candidate.objects.annotate(
            topic_granted=newest(topic), all_granted=newest(ContactTopic.ALL)
        )
        .filter(topic_granted=True)
        .filter(Q(all_granted__isnull=True) | Q(all_granted=True))
    )


def withdrawn_topics(candidate: Candidate) -> set[str]:
    """Topics whose newest ledger row is a withdrawal (one query)."""
    return withdrawn_topics_by_person([candidate.pk]).get(candidate.pk, set())


def verdict(candidate: Candidate, topic: str, channel: str, withdrawn: set[str]) -> Verdict:
    """The rules of :func:`may_contact` over ledger data already read (``withdrawn``), so a
    sender checking a whole batch reads the ledger once."""
    if candidate.do_not_contact:
        return Verdict(False, "do_not_contact", "marked do not contact")
    if candidate.merged_into_id is not None:
        return Verdict(False, "merged", "merged into another record")
    if ContactTopic.ALL in withdrawn:
        return Verdict(False, "unsubscribed", "unsubscribed from all messages")
    if topic in withdrawn:
        label = ContactTopic(topic).label if topic in ContactTopic.values else topic
        return Verdict(False, "unsubscribed", f"unsubscribed from {label.lower()}")
    if channel == "email":
        if not candidate.email:
            return Verdict(False, "no_address", "no email address")
        if candidate.email_invalid:
            return Verdict(False, "bounced", "email address bounced")
    if channel == "sms" and not candidate.phone:
        return Verdict(False, "no_address", "no phone number")
    return Verdict(True)


def may_contact(candidate: Candidate, topic: str, *, channel: str = "email") -> Verdict:
    """Checked at send time by every sender. Do-not-contact and a withdrawal of ``all`` stop
    everything; a withdrawal of ``topic`` stops that topic; email also needs an address that has
    not hard-bounced."""
    return verdict(candidate, topic, channel, withdrawn_topics(candidate))


def latest_consent_by_topic(candidate: Candidate) -> dict[str, bool]:
    """Per topic, whether the newest ledger row grants (True) or withdraws (False); topics
    never recorded are absent (one query)."""
    rows = (
        ConsentRecord.objects.filter(candidate=candidate)
        .order_by("topic", "-at", "-id")
        .distinct("topic")
        .values_list("topic", "granted")
    )
    return dict(rows)
