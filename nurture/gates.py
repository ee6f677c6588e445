"""Who may get a message now: the consent ledger, do-not-contact and the address, read for a
whole batch of people at once (the dispatcher's form of crm.consent.may_contact)."""

from __future__ import annotations

from collections import defaultdict

from crm.models import Candidate, ConsentRecord

from .models import Channel


def withdrawn_topics(candidate_ids) -> dict[int, set[str]]:
    """Per person, the topics whose newest consent row is a withdrawal (one query)."""
    latest: dict[tuple[int, str], bool] = {}
    rows = ConsentRecord.objects.filter(candidate__in=candidate_ids).order_by("-at", "-id")
    for candidate_id, topic, granted in rows.values_list("candidate_id", "topic", "granted"):
        latest.setdefault((candidate_id, topic), granted)
    withdrawn: dict[int, set[str]] = defaultdict(set)
    for (candidate_id, topic), granted in latest.items():
        if not granted:
            withdrawn[candidate_id].add(topic)
    return withdrawn


def gate(candidate: Candidate, topic: str, channel: str, withdrawn: set[str]) -> str:
    """'' when the person may get this message now, else the reason (as crm.consent)."""
    if candidate.do_not_contact:
        return "do_not_contact"
    if candidate.merged_into_id is not None:
        return "merged"
    if "all" in withdrawn or topic in withdrawn:
        return "unsubscribed"
    if channel == Channel.EMAIL and (not candidate.email or candidate.email_invalid):
        return "bounced" if candidate.email_invalid else "no_address"
    if channel == Channel.SMS and not candidate.phone:
        return "no_address"
    return ""
