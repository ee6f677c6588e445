"""Reads of candidate data. Every read a user can trigger starts from :func:`candidates_visible_to`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from config.core.roles import Role, has_role, roles_of
from config.core.scopes import candidate_scopes

from ..models import Candidate, CandidateEmail, CandidatePhone, ResumeFile, TimelineEntry
from ..types import AnyUser

TIMELINE_PAGE_SIZE = 20
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def candidates_visible_to(user: AnyUser) -> QuerySet[Candidate]:
    """Recruiters (and admins) see everyone not merged away. Other roles see what the scopes
    registered for them allow (ats: a hiring manager the people with an application on a job
    they manage, an interviewer those on an application they interview for); nobody else sees
    anyone."""
    live = Candidate.objects.filter(merged_into__isnull=True)
    if has_role(user, Role.RECRUITER):
        return live
    scopes = candidate_scopes(user, sorted(roles_of(user)))
    if not scopes:
        return live.none()
    wanted = Q(pk__in=[])
    for ids in scopes:
        wanted |= Q(pk__in=ids)
    return live.filter(wanted)


def sees_limited_profile(user: AnyUser) -> bool:
    """Interviewer-only users (no recruiter or hiring-manager role, not an administrator) see
    only what an interview needs of the people in their scope: name, current title, resume and
    what the higher apps add (the jobs and interviews); never contact details, notes, the
    timeline, other jobs, tags or consent."""
    held = roles_of(user)
    return Role.INTERVIEWER in held and not held & {Role.RECRUITER, Role.HIRING_MANAGER}


def candidate_get_for_user(user: AnyUser, pk: int) -> Candidate | None:
    """One candidate the user may see, or None (callers answer 404 either way)."""
    return candidates_visible_to(user).filter(pk=pk).first()


def candidates_all_visible_to(user: AnyUser, pks: Iterable[int]) -> bool:
    """Whether the user may see every one of ``pks`` (distinct ids)."""
    pks = list(pks)
    return candidates_visible_to(user).filter(pk__in=pks).count() == len(pks)


def candidate_survivor(candidate: Candidate) -> Candidate:
    """The record that holds the person now: for a merged-away record, the end of its
    ``merged_into`` chain (a cycle, which the database forbids, would stop the walk)."""
    seen: set[int] = set()
    while candidate.merged_into_id and candidate.pk not in seen:
        seen.add(candidate.pk)
        candidate = Candidate.objects.get(pk=candidate.merged_into_id)
    return candidate


def candidate_survivor_get_for_user(user: AnyUser, pk: int) -> Candidate | None:
    """For a merged-away id: the record it now lives in, if the user may see that one (None for
    an id that does not exist or was never merged)."""
    merged = Candidate.objects.filter(pk=pk, merged_into__isnull=False).first()
    if merged is None:
        return None
    survivor = candidate_survivor(merged)
    if survivor.pk == pk:
        return None
    return candidate_get_for_user(user, survivor.pk)


def _with_contacts(candidates: QuerySet[Candidate]) -> QuerySet[Candidate]:
    return candidates.select_related("owner").prefetch_related(
        Prefetch("emails", queryset=CandidateEmail.objects.order_by("-is_primary", "email")),
        Prefetch("phones", queryset=CandidatePhone.objects.order_by("-is_primary", "id")),
        "skills",
    )


def candidate_detail_get_for_user(user: AnyUser, pk: int) -> Candidate | None:
    """The candidate with the owner, emails, phones and skills the API's detail shows (a fixed
    number of queries), or None."""
    return _with_contacts(candidates_visible_to(user)).filter(pk=pk).first()


def candidate_profile_get_for_user(user: AnyUser, pk: int) -> Candidate | None:
    """The candidate with everything the profile page shows (also the resume files), in a
    fixed number of queries, or None."""
    resumes = Prefetch("resumes", queryset=ResumeFile.objects.select_related("uploaded_by"))
    return (
        _with_contacts(candidates_visible_to(user)).prefetch_related(resumes).filter(pk=pk).first()
    )


def candidate_ids_visible_to(user: AnyUser, ids: Iterable[int]) -> list[int]:
    """Those of ``ids`` the user may see (the search page's ticked rows)."""
    return list(candidates_visible_to(user).filter(pk__in=set(ids)).values_list("pk", flat=True))


def candidates_visible_among(user: AnyUser, ids: Iterable[int]) -> QuerySet[Candidate]:
    """The candidates of ``ids`` the user may see."""
    return candidates_visible_to(user).filter(pk__in=list(ids))


def candidate_contacts(candidate: Candidate) -> tuple[set[str], set[str]]:
    """The addresses and numbers on the record (read fresh, not from a prefetch)."""
    emails = set(candidate.emails.values_list("email", flat=True))
    phones = set(candidate.phones.values_list("number", flat=True))
    return emails, phones


def recruiters() -> QuerySet[Any]:
    """People who can own a candidate: active recruiters and administrators."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name=Role.RECRUITER) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def recruiters_to_filter_by() -> QuerySet[Any]:
    """The search page's owner filter: active recruiters (at most 200)."""
    users = get_user_model().objects.filter(groups__name=Role.RECRUITER, is_active=True)
    return users.order_by("first_name", "last_name", "username")[:200]


# --------------------------------------------------------------------------- timeline


def timeline_entries(candidate: Candidate) -> QuerySet[TimelineEntry]:
    """The candidate's timeline with each entry's actor (unordered: the caller pages it)."""
    return TimelineEntry.objects.filter(candidate=candidate).select_related("actor")


def encode_cursor(entry: TimelineEntry) -> str:
    return f"{(entry.occurred_at - _EPOCH) // _MICROSECOND}_{entry.pk}"


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    micros, _, pk = cursor.partition("_")
    return _EPOCH + timedelta(microseconds=int(micros)), int(pk)


def timeline_page(
    candidate: Candidate, before: str | None = None, size: int = TIMELINE_PAGE_SIZE
) -> tuple[list[TimelineEntry], str | None]:
    """Newest first, keyset-paginated on (occurred_at, id): stable while entries are added.
    Raises ValueError for a malformed cursor."""
    entries = timeline_entries(candidate).order_by("-occurred_at", "-id")
    if before:
        at, pk = decode_cursor(before)
        entries = entries.filter(Q(occurred_at__lt=at) | Q(occurred_at=at, id__lt=pk))
    rows = list(entries[: size + 1])
    next_cursor = encode_cursor(rows[size - 1]) if len(rows) > size else None
    return rows[:size], next_cursor
