"""Rediscovery: ranking past candidates against a job (ats/selectors/rediscovery.py), the
Rediscover tab, its bulk "add as sourced", and GET /api/v1/jobs/{id}/matches/."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from ats.models import Application, RejectionReason
from ats.selectors.rediscovery import WEIGHTS, job_ask, rank_candidates, skills_in_text
from ats.services.applications import application_move_stage, application_reject
from crm.models import Candidate
from tests.factories import make_application, make_candidate, make_job

pytestmark = pytest.mark.django_db

URL = "ats:job-rediscover"


def _job(recruiter, **data):
    fields = {
        "title": "Backend Engineer",
        "department": "Engineering",
        "required_skills": ["python", "django", "postgresql"],
        "nice_skills": ["docker"],
        "seniority": "senior",
        "min_years": Decimal("5"),
    } | data
    return make_job(actor=recruiter, **fields)


def _touch(candidate, **fields):
    Candidate.objects.filter(pk=candidate.pk).update(**fields)


@pytest.fixture
def people(recruiter):
    """Three people who fit the job less and less, one who fits nothing, one with no skills."""
    strong = make_candidate(
        first_name="Strong", current_title="Senior Backend Engineer", city="Berlin", country="DE",
        seniority="senior", years_experience="7", interest_level="active",
        skills=["Python", "Django", "PostgreSQL", "Docker"],
    )  # fmt: skip
    middle = make_candidate(
        first_name="Middle", current_title="Python Developer", city="Munich", country="DE",
        seniority="mid", years_experience="4", skills=["Python", "Django"],
    )  # fmt: skip
    weak = make_candidate(
        first_name="Weak", current_title="Data Analyst", city="Austin", country="US",
        seniority="entry", years_experience="1", skills=["Python", "Excel"],
    )  # fmt: skip
    other = make_candidate(first_name="Other", skills=["Excel"])
    bare = make_candidate(first_name="Bare")
    now = timezone.now()
    _touch(strong, last_activity_at=now - timedelta(days=5))
    _touch(middle, last_activity_at=now - timedelta(days=200))
    _touch(weak, last_activity_at=now - timedelta(days=800))
    return {"strong": strong, "middle": middle, "weak": weak, "other": other, "bare": bare}


def _ids(ranking):
    return [m.candidate_id for m in ranking.matches]


# --------------------------------------------------------------------------- ranking


def test_ranking_orders_people_by_fit_and_leaves_out_non_matches(recruiter, people):
    job = _job(recruiter)
    ranking = rank_candidates(recruiter, job)
    assert _ids(ranking) == [people["strong"].pk, people["middle"].pk, people["weak"].pk]
    scores = [m.score for m in ranking.matches]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[1] > scores[2]


def test_score_is_the_sum_of_its_components_within_their_weights(recruiter, people):
    job = _job(recruiter)
    for match in rank_candidates(recruiter, job).matches:
        assert set(match.points) == set(WEIGHTS)
        assert sum(match.points.values()) == match.score
        for name, value in match.points.items():
            assert 0 <= value <= WEIGHTS[name], name
    strong = rank_candidates(recruiter, job).matches[0]
    assert strong.points["required"] == 35 and strong.points["nice"] == 10
    assert strong.points["seniority"] == 6 and strong.points["years"] == 4
    assert strong.points["location"] == 10 and strong.points["engagement"] == 5
    assert strong.points["recency"] == 5


def _clauses(explanation: str) -> list[str]:
    return explanation.split("; ") if explanation else []


def test_explanation_matches_the_score_components(recruiter, people):
    job = _job(recruiter)
    for match in rank_candidates(recruiter, job).matches:
        clauses = _clauses(match.explanation)
        head = clauses[0]
        number = re.match(r"(\d+) of 3 required skills", head)
        assert number, head
        assert int(number.group(1)) == len(match.required_hit)
        assert Decimal(35) * len(match.required_hit) / 3 == pytest.approx(
            match.points["required"], abs=Decimal("0.05")
        )
        shown = [c for c in clauses if "nice-to-have" in c]
        assert bool(shown) == bool(match.points["nice"])
        assert ("warm" in clauses) == (match.points["recency"] == 5)
        assert ("cooling" in clauses) == (match.points["recency"] == 2)
        assert (match.city in clauses) == (match.location_fit == "city")
        assert any("similar)" in c for c in clauses) == bool(match.points["title"])
        assert ("senior" in clauses) == (match.points["seniority"] == 6)
    strong = rank_candidates(recruiter, job).matches[0]
    assert strong.explanation.startswith(
        "3 of 3 required skills: Python, Django, PostgreSQL; 1 of 1 nice-to-have: Docker; "
    )
    assert strong.explanation.endswith("; warm; actively looking; Berlin")


def test_history_on_a_similar_job_scores_and_is_explained(recruiter, people):
    old = make_job(actor=recruiter, title="Backend Engineer (Python)", department="Platform")
    app = make_application(job=old, candidate=people["weak"], actor=recruiter)
    final = old.stages.get(kind="final")
    application_move_stage(application=app, stage=final, actor=recruiter)
    reason = RejectionReason.objects.first()
    application_reject(application=app, reason=reason, actor=recruiter)
    job = _job(recruiter)
    weak = next(m for m in rank_candidates(recruiter, job).matches if m.name.startswith("Weak"))
    assert weak.points["history"] == 8 and weak.history_kind == "final"
    month = timezone.now().strftime("%Y-%m")
    assert f"reached Final round for Backend Engineer (Python) in {month}" in weak.explanation


def test_history_on_an_unrelated_job_does_not_count(recruiter, people):
    old = make_job(actor=recruiter, title="Office Manager", department="Operations")
    make_application(job=old, candidate=people["weak"], actor=recruiter)
    job = _job(recruiter)
    weak = next(m for m in rank_candidates(recruiter, job).matches if m.name.startswith("Weak"))
    assert weak.points["history"] == 0 and "reached" not in weak.explanation


def test_active_applicants_archived_and_merged_people_are_left_out(recruiter, people):
    job = _job(recruiter)
    make_application(job=job, candidate=people["strong"], actor=recruiter)
    _touch(people["middle"], archived=True)
    assert _ids(rank_candidates(recruiter, job)) == [people["weak"].pk]


def test_rejected_applicants_to_the_job_are_listed_again(recruiter, people):
    job = _job(recruiter)
    app = make_application(job=job, candidate=people["strong"], actor=recruiter)
    application_reject(application=app, reason=RejectionReason.objects.first(), actor=recruiter)
    assert people["strong"].pk in _ids(rank_candidates(recruiter, job))


def test_do_not_contact_people_are_listed_and_marked(recruiter, people):
    _touch(people["strong"], do_not_contact=True)
    job = _job(recruiter)
    top = rank_candidates(recruiter, job).matches[0]
    assert top.candidate_id == people["strong"].pk and top.do_not_contact


def test_min_score_location_and_candidate_ids_filter(recruiter, people):
    job = _job(recruiter)
    scores = {m.candidate_id: m.score for m in rank_candidates(recruiter, job).matches}
    cut = scores[people["middle"].pk]
    assert _ids(rank_candidates(recruiter, job, min_score=cut)) == [
        people["strong"].pk,
        people["middle"].pk,
    ]
    assert _ids(rank_candidates(recruiter, job, location="munich")) == [people["middle"].pk]
    assert _ids(rank_candidates(recruiter, job, location="US")) == [people["weak"].pk]
    subset = Candidate.objects.filter(pk__in=[people["weak"].pk, people["other"].pk]).values("pk")
    assert _ids(rank_candidates(recruiter, job, candidate_ids=subset)) == [people["weak"].pk]


def test_paging_walks_every_row_once(recruiter, people):
    job = _job(recruiter)
    first = rank_candidates(recruiter, job, limit=2)
    assert len(first.matches) == 2 and first.next_after is not None
    second = rank_candidates(recruiter, job, limit=2, after=first.next_after)
    assert _ids(first) + _ids(second) == [p.pk for p in (people["strong"], people["middle"], people["weak"])]
    assert second.next_after is None


def test_remote_job_fits_people_in_its_countries(recruiter, people):
    job = _job(recruiter, remote_policy="remote", remote_countries=["US"])
    weak = next(m for m in rank_candidates(recruiter, job).matches if m.name.startswith("Weak"))
    strong = next(m for m in rank_candidates(recruiter, job).matches if m.name.startswith("Strong"))
    assert weak.points["location"] == 10 and weak.explanation.endswith("remote (US)")
    assert strong.points["location"] == 0


def test_required_skills_come_from_the_description_when_the_job_lists_none(recruiter, people):
    job = _job(
        recruiter,
        required_skills=[],
        description="We build APIs in **Python** and Django on PostgreSQL, shipped with Docker.",
    )
    ask = job_ask(job)
    assert ask.derived and ask.required == ("python", "django", "postgresql")
    assert ask.nice == ("docker",)
    assert rank_candidates(recruiter, job).matches[0].candidate_id == people["strong"].pk
    assert skills_in_text("") == []


def test_a_job_without_any_skills_ranks_nobody(recruiter, people):
    job = _job(recruiter, required_skills=[], nice_skills=[], description="A nice team.")
    assert rank_candidates(recruiter, job).matches == []
