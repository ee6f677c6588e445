"""Reads of scorecards under THE blindness rule, and the decision summary built from them.

The rule, for one application: anyone on its panel (an interviewer of any of its interviews that
is not cancelled) who has not submitted a scorecard of their own for it sees no one else's
submitted scorecards, whatever their role (so nobody's feedback is coloured by another's).
Once they have submitted one, they see all submitted ones. Recruiters, administrators and the
job's hiring manager who are not on the panel see all submitted ones. Anyone else sees nothing
(the callers answer 404). Drafts are never shown to anyone but their author.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from config.core.roles import Role, has_role

from ..models import (
    Application,
    Interview,
    Recommendation,
    Scorecard,
    ScorecardRevision,
)
from ..models.interviews import RATING_LABELS
from .jobs import User

SCHEDULED = Interview.Status.SCHEDULED
SUBMITTED = Scorecard.Status.SUBMITTED


@dataclass
class Visibility:
    """What ``user`` may read of one application's scorecards: ``allowed`` False means nothing
    (404); ``blind`` means they sit on its panel without a submitted scorecard of their own (they
    see only their own)."""

    allowed: bool
    blind: bool = False
    on_panel: bool = False


def _user_id(user: User) -> int | None:
    return getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None


def visibility_for(user: User, applications: Iterable[Application]) -> dict[int, Visibility]:
    """The rule for each of ``applications`` (load their ``job`` with ``select_related``), in
    two queries whatever their number."""
    apps = list(applications)
    uid = _user_id(user)
    if uid is None or not apps:
        return {app.pk: Visibility(False) for app in apps}
    ids = [app.pk for app in apps]
    on_panel = set(
        Interview.objects.filter(application__in=ids, status=SCHEDULED, interviewers=uid)
        .values_list("application_id", flat=True)
        .distinct()
    )
    submitted = set(
        Scorecard.objects.filter(application__in=ids, interviewer=uid, status=SUBMITTED)
        .values_list("application_id", flat=True)
        .distinct()
    )
    staff = has_role(user, Role.RECRUITER)
    manager = has_role(user, Role.HIRING_MANAGER)
    result = {}
    for app in apps:
        if app.pk in on_panel:
            result[app.pk] = Visibility(True, blind=app.pk not in submitted, on_panel=True)
        elif staff or (manager and app.job.hiring_manager_id == uid):
            result[app.pk] = Visibility(True)
        else:
            result[app.pk] = Visibility(False)
    return result


def _submitted() -> QuerySet[Scorecard]:
    return (
        Scorecard.objects.filter(status=SUBMITTED)
        .select_related("interviewer", "interview__interview_type")
        .order_by("submitted_at", "id")
    )


def scorecards_by_application(
    user: User, applications: Iterable[Application], *, with_revisions: bool = False
) -> dict[int, list[Scorecard] | None]:
    """For each application: the submitted scorecards ``user`` may read (a panel member who is
    still blind gets only their own), or None when they may read none of them. A fixed number
    of queries whatever the number of applications and scorecards."""
    apps = list(applications)
    rules = visibility_for(user, apps)
    readable = [pk for pk, rule in rules.items() if rule.allowed]
    cards = _submitted().filter(application__in=readable)
    if with_revisions:
        cards = cards.prefetch_related(
            Prefetch("revisions", queryset=ScorecardRevision.objects.order_by("submitted_at"))
        )
    grouped: dict[int, list[Scorecard] | None] = {
        pk: ([] if rule.allowed else None) for pk, rule in rules.items()
    }
    uid = _user_id(user)
    for card in cards:
        rows = grouped[card.application_id]
        if rows is None:
            continue
        if rules[card.application_id].blind and card.interviewer_id != uid:
            continue
        rows.append(card)
    return grouped


def application_scorecards(user: User, application: Application) -> list[Scorecard] | None:
    """The submitted scorecards of one application ``user`` may read (with their revisions), or
    None (404)."""
    return scorecards_by_application(user, [application], with_revisions=True)[application.pk]


def interview_scorecards(user: User, interview: Interview) -> list[Scorecard] | None:
    """The submitted scorecards of one interview ``user`` may read, or None (404)."""
    cards = application_scorecards(user, interview.application)
    if cards is None:
        return None
    return [card for card in cards if card.interview_id == interview.pk]


def interview_for_scorecards(user: User, pk: int) -> Interview | None:
    """An interview whose scorecards the user may ask about (the API's loader): one of an
    application they may read scorecards of, or None."""
    interview = (
        Interview.objects.select_related("application__job", "application__candidate")
        .select_related("interview_type")
        .filter(pk=pk)
        .first()
    )
    if interview is None:
        return None
    if not visibility_for(user, [interview.application])[interview.application_id].allowed:
        return None
    return interview


# --------------------------------------------------------------------------- the summary


@dataclass
class Column:
    """One submitted scorecard as a column of the matrix."""

    scorecard: Scorecard
    interviewer: str
    interview: str


@dataclass
class Cell:
    rating: int | None
    label: str = ""


@dataclass
class Row:
    attribute: str
    cells: list[Cell]


@dataclass
class Summary:
    """The decision page's scorecard summary: attributes (rows) by interviewer (columns), the
    recommendation tally and every note. ``blind`` when the reader is a panel member still to
    submit their own (they see only theirs)."""

    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    tally: list[tuple[str, str, int]] = field(default_factory=list)
    notes: list[Column] = field(default_factory=list)
    blind: bool = False
    total: int = 0


def summarize(cards: list[Scorecard], *, blind: bool = False) -> Summary:
    """Build the matrix, tally and notes from already loaded scorecards (no query)."""
    columns = [
        Column(
            scorecard=card,
            interviewer=card.interviewer.display_name,
            interview=(
                card.interview.interview_type.name
                if card.interview.interview_type
                else card.interview.title
            ),
        )
        for card in cards
    ]
    attributes: list[str] = []
    for card in cards:
        kit = (
            card.interview.interview_type.focus_attributes if card.interview.interview_type else []
        )
        for name in [*kit, *(r.get("attribute", "") for r in card.ratings or [])]:
            if name and name not in attributes:
                attributes.append(name)
    ratings = [{r.get("attribute"): r.get("rating") for r in card.ratings or []} for card in cards]
    rows = []
    for attribute in attributes:
        cells = []
        for rated in ratings:
            value = rated.get(attribute)
            cells.append(Cell(value, RATING_LABELS.get(value, "") if value else ""))
        rows.append(Row(attribute, cells))
    counts = Counter(card.overall for card in cards)
    tally = [(value, label, counts.get(value, 0)) for value, label in Recommendation.choices]
    notes = [column for column in columns if column.scorecard.notes]
    return Summary(columns, rows, tally, notes, blind=blind, total=len(cards))


def application_summary(user: User, application: Application) -> Summary | None:
    """The scorecard summary of one application as ``user`` may read it, or None (404). A fixed
    number of queries whatever the number of scorecards."""
    rule = visibility_for(user, [application])[application.pk]
    if not rule.allowed:
        return None
    cards = scorecards_by_application(user, [application])[application.pk] or []
    return summarize(cards, blind=rule.blind)


def has_submitted(user: User, interview_ids: Iterable[int]) -> set[int]:
    """Which of ``interview_ids`` the user has a submitted scorecard for."""
    return set(
        Scorecard.objects.filter(
            interview__in=list(interview_ids), interviewer=_user_id(user), status=SUBMITTED
        ).values_list("interview_id", flat=True)
    )


def my_scorecard_submitted(user: User) -> Exists:
    """An ``Exists`` for annotating interviews: the user has submitted their scorecard."""
    return Exists(
        Scorecard.objects.filter(
            interview=OuterRef("pk"), interviewer=_user_id(user), status=SUBMITTED
        )
    )


def scorecard_of(user: User, interview: Interview) -> Scorecard | None:
    """The user's own scorecard for the interview (draft or submitted), with its revisions."""
    return (
        Scorecard.objects.filter(interview=interview, interviewer=_user_id(user))
        .prefetch_related(
            Prefetch("revisions", queryset=ScorecardRevision.objects.order_by("submitted_at"))
        )
        .first()
    )


def ratings_map(card: Scorecard | None) -> dict[str, Any]:
    """attribute -> rating of a scorecard (the form's initial values)."""
    if card is None:
        return {}
    return {r.get("attribute"): r.get("rating") for r in card.ratings or []}
