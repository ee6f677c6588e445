"""Scorecards: an interviewer's draft (kept as they type, seen by no one else) and its
submission (and later amendments), each submission a :class:`ScorecardRevision`, with a timeline
entry and the ``scorecard.submitted`` domain event. Who may read them is
:mod:`ats.selectors.scorecards` (the blindness rule)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from config.core.models import record_event
from crm.models import TimelineEntry
from crm.services.timeline import timeline_add

from ..models import Interview, Recommendation, Scorecard, ScorecardRevision
from ..selectors.jobs import User

MAX_NOTES = 20_000
MAX_ATTRIBUTE = 120
MAX_RATINGS = 50
RATING_RANGE = range(1, 5)


class ScorecardRefused(Exception):
    """Bad input or a scorecard the user may not write; ``field`` names the input at fault
    (None when it is about the whole request). Nothing was stored."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _locked_interview(interview: Interview | int) -> Interview:
    pk = interview if isinstance(interview, int) else interview.pk
    found = (
        Interview.objects.select_for_update(of=("self",))
        .select_related("application__candidate", "application__job", "interview_type")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise ScorecardRefused("That interview does not exist.", "interview")
    return found


def _check_panel(interview: Interview, interviewer: User) -> None:
    user_id = getattr(interviewer, "pk", None)
    if user_id is None or not interview.interviewers.filter(pk=user_id).exists():
        raise ScorecardRefused(
            "Only the interviewers of this interview can write its scorecard.", "interviewer"
        )
    if interview.status == Interview.Status.CANCELLED:
        raise ScorecardRefused("This interview was cancelled; it takes no scorecard.", "interview")


def _clean_overall(overall: Any, *, required: bool) -> str:
    value = overall if isinstance(overall, str) else ""
    if overall not in (None, "") and value not in Recommendation.values:
        choices = ", ".join(Recommendation.values)
        raise ScorecardRefused(f"The overall recommendation must be one of {choices}.", "overall")
    if required and not value:
        raise ScorecardRefused("Choose an overall recommendation.", "overall")
    return value


def _clean_rating(value: Any, attribute: str) -> int | None:
    if value in (None, ""):
        return None  # left unrated
    if isinstance(value, bool):
        value = None
    elif isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value not in RATING_RANGE:
        raise ScorecardRefused(f"The rating of “{attribute}” must be 1 to 4.", "ratings")
    return value


def _clean_ratings(interview: Interview, ratings: Any) -> list[dict[str, Any]]:
    """``[{"attribute": str, "rating": 1-4}]``; an attribute of the interview type's kit (any
    name up to 120 characters when the interview has no type); each at most once; an entry
    without a rating is left out (unrated)."""
    if ratings in (None, ""):
        return []
    if not isinstance(ratings, list) or len(ratings) > MAX_RATINGS:
        raise ScorecardRefused(
            'Ratings must be a list of {"attribute": name, "rating": 1-4}.', "ratings"
        )
    kit = interview.interview_type.focus_attributes if interview.interview_type else None
    seen: set[str] = set()
    cleaned = []
    for entry in ratings:
        if not isinstance(entry, dict):
            raise ScorecardRefused(
                'Each rating must be {"attribute": name, "rating": 1-4}.', "ratings"
            )
        attribute = entry.get("attribute")
        attribute = attribute.strip() if isinstance(attribute, str) else ""
        if not attribute or len(attribute) > MAX_ATTRIBUTE:
            raise ScorecardRefused(
                f"Each rating needs an attribute name of 1 to {MAX_ATTRIBUTE} characters.",
                "ratings",
            )
        if kit is not None and attribute not in kit:
            raise ScorecardRefused(
                f"“{attribute}” is not a focus attribute of this interview "
                f"({', '.join(kit) or 'it has none'}).",
                "ratings",
            )
        if attribute.casefold() in seen:
            raise ScorecardRefused(f"“{attribute}” is rated twice.", "ratings")
        seen.add(attribute.casefold())
        rating = _clean_rating(entry.get("rating"), attribute)
        if rating is not None:
            cleaned.append({"attribute": attribute, "rating": rating})
    return cleaned


def _clean_notes(notes: Any) -> str:
    if notes is None:
        return ""
    if not isinstance(notes, str):
        raise ScorecardRefused("Notes must be text.", "notes")
    notes = notes.strip()
    if len(notes) > MAX_NOTES:
        raise ScorecardRefused(
            f"Notes can be at most {MAX_NOTES:,} characters (these have {len(notes):,}).", "notes"
        )
    return notes


def _mine(interview: Interview, interviewer: User) -> Scorecard:
    card, _ = Scorecard.objects.select_for_update().get_or_create(
        interview=interview,
        interviewer_id=getattr(interviewer, "pk", None),
        defaults={"application_id": interview.application_id},
    )
    return card


@transaction.atomic
def scorecard_save_draft(
    *, interview: Interview | int, interviewer: User, overall: Any = "", ratings: Any = None,
    notes: Any = "",
) -> Scorecard:  # fmt: skip
    """Keep what the interviewer has typed so far (the autosave): a draft, seen by no one else.
    The same checks as a submission except that the overall recommendation may be empty.
    Refused for a scorecard already submitted (submitting again amends it)."""
    locked = _locked_interview(interview)
    _check_panel(locked, interviewer)
    values = {
        "overall": _clean_overall(overall, required=False),
        "ratings": _clean_ratings(locked, ratings),
        "notes": _clean_notes(notes),
    }
    card = _mine(locked, interviewer)
    if card.status == Scorecard.Status.SUBMITTED:
        raise ScorecardRefused(
            "This scorecard is already submitted; submit it again to amend it.", "status"
        )
    for name, value in values.items():
        setattr(card, name, value)
    card.save(update_fields=["overall", "ratings", "notes", "updated_at"])
    return card


@transaction.atomic
def scorecard_submit(
    *, interview: Interview | int, interviewer: User, overall: Any, ratings: Any = None,
    notes: Any = "",
) -> Scorecard:  # fmt: skip
    """Submit the interviewer's scorecard for the interview (a second submission amends it:
    ``amended_at`` is set and both stay in the revisions). Refused, with nothing stored, when
    the user is not one of the interview's interviewers, the interview is cancelled, the overall
    recommendation is missing or unknown, a rating is outside 1-4 or names an attribute that is
    not in the interview's kit (or twice), or the notes are too long."""
    locked = _locked_interview(interview)
    _check_panel(locked, interviewer)
    values = {
        "overall": _clean_overall(overall, required=True),
        "ratings": _clean_ratings(locked, ratings),
        "notes": _clean_notes(notes),
    }
    card = _mine(locked, interviewer)
    now = timezone.now()
    amended = card.status == Scorecard.Status.SUBMITTED
    for name, value in values.items():
        setattr(card, name, value)
    card.status = Scorecard.Status.SUBMITTED
    if amended:
        card.amended_at = now
    else:
        card.submitted_at = now
    card.save()
    ScorecardRevision.objects.create(scorecard=card, submitted_at=now, **values)
    what = locked.interview_type.name if locked.interview_type else locked.title
    who = _display(interviewer)
    verb = "amended" if amended else "submitted"
    app = locked.application
    timeline_add(
        candidate=app.candidate,
        kind=TimelineEntry.Kind.SCORECARD,
        summary=f"Scorecard {verb} by {who} for {what} ({app.job.title})",
        actor=interviewer,
        data={"application": app.pk, "interview": locked.pk, "scorecard": card.pk},
        occurred_at=now,
    )
    record_event(
        "scorecard.submitted",
        subject_type="scorecard",
        subject_id=card.pk,
        payload={
            "application": app.pk,
            "interview": locked.pk,
            "interviewer": card.interviewer_id,
            "candidate": app.candidate_id,
            "job": app.job_id,
            "amended": amended,
        },
    )
    return card


def _display(user: User) -> str:
    name = getattr(user, "display_name", None) or getattr(user, "get_full_name", lambda: "")()
    return str(name or getattr(user, "username", "someone"))
