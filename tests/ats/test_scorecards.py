"""Scorecards: drafts, submission, amendments, bad input, and THE blindness rule per role."""

from __future__ import annotations

import pytest

from ats.models import Interview, Scorecard, ScorecardRevision
from ats.selectors.scorecards import (
    application_scorecards,
    application_summary,
    scorecards_by_application,
)
from ats.services.scorecards import ScorecardRefused, scorecard_save_draft, scorecard_submit
from config.core.models import DomainEvent
from config.core.roles import Role
from crm.models import TimelineEntry
from tests.factories import UserFactory, make_application, make_job

from .scorecard_helpers import make_interview

pytestmark = pytest.mark.django_db

GOOD = [{"attribute": "API design", "rating": 4}, {"attribute": "Communication", "rating": 3}]


def submit(interview, user, overall="yes", ratings=GOOD, notes="Solid."):
    return scorecard_submit(
        interview=interview, interviewer=user, overall=overall, ratings=ratings, notes=notes
    )


# --------------------------------------------------------------------------- writing


def test_submit_stores_revision_timeline_and_event(interviewer):
    interview = make_interview(interviewers=[interviewer])
    card = submit(interview, interviewer, overall="strong_yes", notes="Great API sense.")
    card.refresh_from_db()
    assert card.status == Scorecard.Status.SUBMITTED
    assert card.overall == "strong_yes"
    assert card.ratings == GOOD
    assert card.submitted_at is not None and card.amended_at is None
    assert list(card.revisions.values_list("overall", flat=True)) == ["strong_yes"]
    entry = TimelineEntry.objects.get(kind=TimelineEntry.Kind.SCORECARD)
    assert entry.candidate_id == interview.application.candidate_id
    assert entry.summary.startswith(f"Scorecard submitted by {interviewer.display_name} for")
    assert "strong" not in entry.summary.lower()  # neutral: no verdict in the summary
    event = DomainEvent.objects.get(type="scorecard.submitted")
    assert event.payload["application"] == interview.application_id
    assert event.payload["amended"] is False


def test_resubmission_is_an_amendment_and_history_keeps_both(interviewer):
    interview = make_interview(interviewers=[interviewer])
    first = submit(interview, interviewer, overall="no", notes="Unsure.")
    submitted_at = first.submitted_at
    second = submit(interview, interviewer, overall="yes", notes="Rethought it.")
    assert second.pk == first.pk
    second.refresh_from_db()
    assert second.overall == "yes" and second.amended_at is not None
    assert second.submitted_at == submitted_at
    revisions = list(second.revisions.order_by("submitted_at"))
    assert [r.overall for r in revisions] == ["no", "yes"]
    assert [r.notes for r in revisions] == ["Unsure.", "Rethought it."]
    assert DomainEvent.objects.filter(type="scorecard.submitted").count() == 2
    assert TimelineEntry.objects.filter(summary__startswith="Scorecard amended").count() == 1


def test_draft_is_kept_and_unrated_is_allowed(interviewer):
    interview = make_interview(interviewers=[interviewer])
    card = scorecard_save_draft(
        interview=interview,
        interviewer=interviewer,
        overall="",
        ratings=[
            {"attribute": "API design", "rating": ""},
            {"attribute": "Communication", "rating": 2},
        ],
        notes="half way",
    )
    assert card.status == Scorecard.Status.DRAFT
    assert card.ratings == [{"attribute": "Communication", "rating": 2}]
    assert not ScorecardRevision.objects.exists()
    assert not TimelineEntry.objects.filter(kind=TimelineEntry.Kind.SCORECARD).exists()


def test_draft_after_submission_is_refused(interviewer):
    interview = make_interview(interviewers=[interviewer])
    submit(interview, interviewer)
    with pytest.raises(ScorecardRefused) as refused:
        scorecard_save_draft(interview=interview, interviewer=interviewer, notes="x")
    assert "submit it again" in refused.value.message
    assert Scorecard.objects.get().status == Scorecard.Status.SUBMITTED


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"ratings": [{"attribute": "API design", "rating": 5}]}, "ratings", "1 to 4"),
        ({"ratings": [{"attribute": "API design", "rating": 0}]}, "ratings", "1 to 4"),
        ({"ratings": [{"attribute": "API design", "rating": True}]}, "ratings", "1 to 4"),
        ({"ratings": [{"attribute": "Charisma", "rating": 3}]}, "ratings", "not a focus"),
        (
            {"ratings": [{"attribute": "API design", "rating": 3}] * 2},
            "ratings",
            "rated twice",
        ),
        ({"ratings": "four"}, "ratings", "list"),
        ({"ratings": [["API design", 3]]}, "ratings", "Each rating"),
        ({"overall": "maybe"}, "overall", "must be one of"),
        ({"overall": ""}, "overall", "Choose an overall"),
        ({"notes": "x" * 20_001}, "notes", "at most"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(interviewer, kwargs, field, words):
    interview = make_interview(interviewers=[interviewer])
    submit(interview, interviewer, overall="yes", notes="kept")
    values = {"overall": "no", "ratings": GOOD, "notes": "new"} | kwargs
    with pytest.raises(ScorecardRefused) as refused:
        scorecard_submit(interview=interview, interviewer=interviewer, **values)
    assert refused.value.field == field
    assert words in refused.value.message
    card = Scorecard.objects.get()
    assert (card.overall, card.notes, card.amended_at) == ("yes", "kept", None)
    assert ScorecardRevision.objects.count() == 1


def test_someone_not_on_the_panel_is_refused(interviewer, recruiter):
    interview = make_interview(interviewers=[interviewer])
    with pytest.raises(ScorecardRefused) as refused:
        submit(interview, recruiter)
    assert refused.value.field == "interviewer"
    with pytest.raises(ScorecardRefused):
        scorecard_save_draft(interview=interview, interviewer=recruiter, notes="sneaky")
    assert not Scorecard.objects.exists()


def test_cancelled_interview_takes_no_scorecard(interviewer):
    interview = make_interview(interviewers=[interviewer], status=Interview.Status.CANCELLED)
    with pytest.raises(ScorecardRefused) as refused:
        submit(interview, interviewer)
    assert "cancelled" in refused.value.message
    assert not Scorecard.objects.exists()


def test_interview_without_a_kit_takes_any_attribute(interviewer):
    interview = make_interview(interviewers=[interviewer], kit=False)
    card = submit(interview, interviewer, ratings=[{"attribute": "Whiteboarding", "rating": 2}])
    assert card.ratings == [{"attribute": "Whiteboarding", "rating": 2}]
    with pytest.raises(ScorecardRefused) as refused:
        submit(interview, interviewer, ratings=[{"attribute": "x" * 121, "rating": 2}])
    assert refused.value.field == "ratings"


# --------------------------------------------------------------------------- blindness


@pytest.fixture
def loop(users):
    """A job managed by ``manager``; an application with two interviews: Ian and Paula on the
    first (Paula submitted), Quentin on the second (cancelled)."""
    paula = UserFactory(username="paula", roles=[Role.INTERVIEWER])
    quentin = UserFactory(username="quentin", roles=[Role.INTERVIEWER])
    job = make_job(hiring_manager=users["manager"])
    app = make_application(job=job)
    first = make_interview(application=app, interviewers=[users["interviewer"], paula])
    make_interview(application=app, interviewers=[quentin], status=Interview.Status.CANCELLED)
    submit(first, paula, overall="strong_no", notes="Paula's secret")
    return {"app": app, "first": first, "paula": paula, "quentin": quentin, "job": job}


def seen(user, app):
    cards = application_scorecards(user, app)
    return None if cards is None else sorted(c.interviewer.username for c in cards)


def test_panel_member_is_blind_until_they_submit(loop, users):
    ian, app = users["interviewer"], loop["app"]
    assert seen(ian, app) == []
    scorecard_save_draft(interview=loop["first"], interviewer=ian, notes="draft")
    assert seen(ian, app) == []  # a draft is not a submission
    submit(loop["first"], ian)
    assert seen(ian, app) == ["ian", "paula"]


def test_recruiter_admin_and_own_manager_off_the_panel_see_all(loop, users):
    for name in ("recruiter", "admin", "manager"):
        assert seen(users[name], loop["app"]) == ["paula"], name


def test_blindness_applies_whatever_the_role(loop, users):
    """The job's hiring manager and a recruiter put on the panel are blind too."""
    loop["first"].interviewers.add(users["manager"], users["recruiter"])
    assert seen(users["manager"], loop["app"]) == []
    assert seen(users["recruiter"], loop["app"]) == []
    summary = application_summary(users["manager"], loop["app"])
    assert summary.blind and summary.total == 0
    submit(loop["first"], users["manager"], overall="yes")
    assert seen(users["manager"], loop["app"]) == ["mo", "paula"]


def test_others_see_nothing(loop, users):
    other_manager = UserFactory(username="olga", roles=[Role.HIRING_MANAGER])
    assert seen(users["outsider"], loop["app"]) is None
    assert seen(other_manager, loop["app"]) is None
    # on a cancelled interview's panel only: not on the panel
    assert seen(loop["quentin"], loop["app"]) is None
    # an interviewer of another application of the same job
    elsewhere = make_interview(application=make_application(job=loop["job"]))
    elsewhere.interviewers.add(users["interviewer"])
    submit(elsewhere, users["interviewer"])
    assert seen(users["interviewer"], elsewhere.application) == ["ian"]
    assert seen(users["interviewer"], loop["app"]) == []  # still blind there


def test_drafts_are_never_shown(loop, users):
    scorecard_save_draft(interview=loop["first"], interviewer=users["interviewer"], notes="d")
    assert seen(users["recruiter"], loop["app"]) == ["paula"]


def test_summary_matrix_tally_and_notes(loop, users):
    submit(
        loop["first"],
        users["interviewer"],
        overall="yes",
        ratings=[{"attribute": "Problem solving", "rating": 1}],
        notes="Ian's view",
    )
    summary = application_summary(users["recruiter"], loop["app"])
    assert [c.interviewer for c in summary.columns] == [
        loop["paula"].display_name,
        users["interviewer"].display_name,
    ]
    matrix = {row.attribute: [cell.rating for cell in row.cells] for row in summary.rows}
    assert matrix == {
        "API design": [4, None],
        "Communication": [3, None],
        "Problem solving": [None, 1],
    }
    assert {value: count for value, _, count in summary.tally} == {
        "strong_no": 1, "no": 0, "yes": 1, "strong_yes": 0,
    }  # fmt: skip
    assert [n.scorecard.notes for n in summary.notes] == ["Paula's secret", "Ian's view"]


def test_batch_read_is_constant_queries(users, django_assert_max_num_queries):
    job = make_job(hiring_manager=users["manager"])
    apps = []
    for _ in range(6):
        app = make_application(job=job)
        interview = make_interview(application=app, interviewers=[users["interviewer"]])
        submit(interview, users["interviewer"])
        apps.append(app)
    apps = list(type(apps[0]).objects.filter(pk__in=[a.pk for a in apps]).select_related("job"))
    with django_assert_max_num_queries(4):
        grouped = scorecards_by_application(users["manager"], apps)
        assert all(len(grouped[a.pk]) == 1 for a in apps)
