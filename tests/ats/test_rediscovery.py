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
    assert _ids(first) + _ids(second) == [
        p.pk for p in (people["strong"], people["middle"], people["weak"])
    ]
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


# --------------------------------------------------------------------------- the page


def _page(job):
    return reverse(URL, args=[job.pk])


def test_page_lists_people_with_score_and_reasons(client, recruiter, people):
    job = _job(recruiter)
    client.force_login(recruiter)
    response = client.get(_page(job))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Strong") < body.index("Middle") < body.index("Weak")
    assert "3 of 3 required skills: Python, Django, PostgreSQL" in body
    assert "Add selected to this job as sourced" in body
    assert "Enroll selected in a sequence" in body  # nurture's registered bulk action
    assert 'name="ids"' in body


def test_page_marks_do_not_contact_and_offers_no_checkbox(client, recruiter, people):
    _touch(people["strong"], do_not_contact=True)
    job = _job(recruiter)
    client.force_login(recruiter)
    body = client.get(_page(job)).content.decode()
    assert "Do not contact" in body
    assert f'value="{people["strong"].pk}" form="rediscover-bulk"' not in body
    assert f'value="{people["middle"].pk}" form="rediscover-bulk"' in body


def test_board_links_to_the_tab(client, recruiter, people):
    job = _job(recruiter)
    client.force_login(recruiter)
    response = client.get(reverse("ats:job-board", args=[job.pk]))
    assert response.status_code == 200 and _page(job) in response.content.decode()


def test_job_hiring_manager_reads_the_tab_without_actions(client, recruiter, manager, people):
    job = _job(recruiter, hiring_manager=manager)
    # the manager sees the people on their jobs: give one of them an application elsewhere
    other = make_job(actor=recruiter, title="Data Analyst", hiring_manager=manager)
    make_application(job=other, candidate=people["weak"], actor=recruiter)
    client.force_login(manager)
    response = client.get(_page(job))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Weak" in body and "Strong" not in body
    assert "Add selected" not in body and 'name="ids"' not in body
    add = client.post(
        reverse("ats:job-rediscover-add", args=[job.pk]), {"ids": [people["weak"].pk]}
    )
    assert add.status_code == 404
    assert not Application.objects.filter(job=job).exists()


@pytest.mark.parametrize("who", ["manager", "interviewer", "outsider"])
def test_others_get_404_whether_the_job_exists_or_not(client, recruiter, users, who):
    job = _job(recruiter)
    client.force_login(users[who])
    assert client.get(_page(job)).status_code == 404
    assert client.get(reverse(URL, args=[999999])).status_code == 404


def test_anonymous_goes_to_login(client, recruiter):
    job = _job(recruiter)
    response = client.get(_page(job))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_bad_filters_are_named_and_ignored(client, recruiter, people):
    job = _job(recruiter)
    client.force_login(recruiter)
    response = client.get(_page(job), {"min_score": "lots", "after": "nonsense"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a number." in body and "This page link is invalid" in body
    assert "Strong" in body


def test_show_more_pages_with_htmx(client, recruiter, people, monkeypatch):
    monkeypatch.setattr("ats.views.rediscovery.PAGE_SIZE", 2)
    job = _job(recruiter)
    client.force_login(recruiter)
    first = client.get(_page(job)).content.decode()
    assert "Strong" in first and "Middle" in first and "Weak" not in first
    more = re.search(r'hx-get="([^"]+)"', first).group(1).replace("&amp;", "&")
    rows = client.get(more, HTTP_HX_REQUEST="true")
    body = rows.content.decode()
    assert rows.status_code == 200 and "Weak" in body and "Strong" not in body
    assert "<html" not in body and "Show more" not in body


def test_add_selected_as_sourced(client, recruiter, people):
    job = _job(recruiter)
    _touch(people["weak"], do_not_contact=True)
    client.force_login(recruiter)
    ids = [people["strong"].pk, people["middle"].pk, people["weak"].pk]
    response = client.post(
        reverse("ats:job-rediscover-add", args=[job.pk]), {"ids": ids}, follow=True
    )
    body = response.content.decode()
    assert response.status_code == 200
    added = Application.objects.filter(job=job)
    assert {a.candidate_id for a in added} == {people["strong"].pk, people["middle"].pk}
    assert {a.source for a in added} == {"sourced"}
    assert "2 added to" in body and "marked do not contact" in body
    # they now have an active application: the list leaves them out
    assert [m.candidate_id for m in rank_candidates(recruiter, job).matches] == [people["weak"].pk]
    again = client.post(
        reverse("ats:job-rediscover-add", args=[job.pk]), {"ids": ids[:1]}, follow=True
    )
    assert "already in this job" in again.content.decode()
    assert Application.objects.filter(job=job).count() == 2


@pytest.mark.parametrize("ids", [[], ["abc"], ["1; drop"]])
def test_add_refuses_a_bad_selection_and_changes_nothing(client, recruiter, people, ids):
    job = _job(recruiter)
    client.force_login(recruiter)
    response = client.post(
        reverse("ats:job-rediscover-add", args=[job.pk]), {"ids": ids}, follow=True
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tick at least one" in body or "not a person" in body
    assert not Application.objects.filter(job=job).exists()


def _count_queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response.content.decode().count('class="rediscover-why"')


def test_page_queries_do_not_grow_with_rows(client, recruiter, people):
    job = _job(recruiter)
    client.force_login(recruiter)
    client.get(_page(job))  # warm the session and roles
    few, rows = _count_queries(client, _page(job))
    assert rows == 3
    for n in range(15):
        make_candidate(first_name=f"More{n}", skills=["Python", "Docker"], city="Berlin")
    many, rows = _count_queries(client, _page(job))
    assert rows == 18 and many == few


# --------------------------------------------------------------------------- the API


def _api(user):
    from rest_framework.test import APIClient  # noqa: PLC0415 - only the API tests

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def _matches(job):
    return reverse("api:job-matches", args=[job.pk])


def test_api_returns_ranked_rows_with_components_and_explanation(recruiter, people):
    job = _job(recruiter)
    response = _api(recruiter).get(_matches(job), {"limit": 2})
    assert response.status_code == 200
    data = response.json()
    assert data["required_skills"] == ["python", "django", "postgresql"]
    assert data["skills_from_description"] is False and data["narrowed_to"] == ""
    rows = data["results"]
    assert [r["candidate"]["id"] for r in rows] == [people["strong"].pk, people["middle"].pk]
    for row in rows:
        total = sum(Decimal(v) for v in row["components"].values())
        assert total == Decimal(row["score"])
        assert row["explanation"].startswith(f"{len(row['required_skills_matched'])} of 3 required")
    floor = Decimal(rows[1]["score"])
    only = _api(recruiter).get(_matches(job), {"min_score": str(floor + Decimal("0.1"))}).json()
    assert [r["candidate"]["id"] for r in only["results"]] == [people["strong"].pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": "101"}, "limit"), ({"limit": "0"}, "limit"), ({"min_score": "x"}, "min_score")],
)
def test_api_bad_parameters_are_named(recruiter, params, field):
    job = _job(recruiter)
    response = _api(recruiter).get(_matches(job), params)
    assert response.status_code == 400 and field in response.json()


def test_api_permissions(recruiter, manager, interviewer, outsider, people):
    job = _job(recruiter)
    managed = _job(recruiter, hiring_manager=manager)
    assert _api(manager).get(_matches(managed)).status_code == 200
    assert _api(manager).get(_matches(job)).status_code == 404
    assert _api(interviewer).get(_matches(job)).status_code == 403
    assert _api(outsider).get(_matches(job)).status_code == 403
    from rest_framework.test import APIClient  # noqa: PLC0415

    assert APIClient().get(_matches(job)).status_code == 401


def test_schema_documents_the_matches_endpoint(db):
    from rest_framework.test import APIClient  # noqa: PLC0415

    response = APIClient().get(
        reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    operation = response.json()["paths"]["/api/v1/jobs/{id}/matches/"]["get"]
    assert {"200", "400", "403", "404"} <= set(operation["responses"])
    names = {p["name"] for p in operation["parameters"]}
    assert {"limit", "min_score"} <= names


# --------------------------------------------------------------------------- the job form


def test_job_form_stores_skills_as_slugs(client, recruiter):
    job = _job(recruiter, required_skills=[], nice_skills=[])
    client.force_login(recruiter)
    form = client.get(reverse("ats:job-edit", args=[job.pk]))
    assert (
        form.status_code == 200 and "the skills the description mentions" in form.content.decode()
    )
    data = {
        "title": job.title, "department": "Engineering", "employment_type": "FULL_TIME",
        "remote_policy": "onsite", "locations": "Berlin, DE", "salary_period": "YEAR",
        "openings": "1", "required_skills": "Python, postgres, Quantum Knitting",
        "nice_skills": "Docker, python", "seniority": "senior", "min_years": "4",
    }  # fmt: skip
    response = client.post(reverse("ats:job-edit", args=[job.pk]), data)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.required_skills == ["python", "postgresql", "x-quantum-knitting"]
    assert job.nice_skills == ["docker"]
    assert job.seniority == "senior" and job.min_years == Decimal("4")
    again = client.get(reverse("ats:job-edit", args=[job.pk])).content.decode()
    assert "Python, PostgreSQL, quantum knitting" in again


def test_job_form_refuses_too_many_skills_and_changes_nothing(client, recruiter):
    job = _job(recruiter)
    client.force_login(recruiter)
    data = {
        "title": job.title, "employment_type": "FULL_TIME", "remote_policy": "onsite",
        "locations": "Berlin, DE", "salary_period": "YEAR", "openings": "1",
        "required_skills": ", ".join(f"skill {n}" for n in range(31)), "min_years": "-1",
    }  # fmt: skip
    response = client.post(reverse("ats:job-edit", args=[job.pk]), data)
    body = response.content.decode()
    assert response.status_code == 422
    assert "at most 30 skills" in body and "greater than or equal to 0" in body
    job.refresh_from_db()
    assert job.required_skills == ["python", "django", "postgresql"]


def test_a_large_set_narrows_to_people_with_more_required_skills(recruiter, people, monkeypatch):
    monkeypatch.setattr("ats.selectors.rediscovery.CUT_CAP", 0)
    job = _job(recruiter)
    ranking = rank_candidates(recruiter, job)
    # with no room at all, people need every required skill and a nice-to-have one, and to
    # live in the job's countries
    assert ranking.level == 4 and ranking.countries == ("DE",)
    assert _ids(ranking) == [people["strong"].pk]
    response = _api(recruiter).get(_matches(job))
    assert response.json()["narrowed_to"] == (
        "every required skill and at least one nice-to-have skill, living in DE"
    )
    no_nice = _job(recruiter, nice_skills=[])
    narrowed = rank_candidates(recruiter, no_nice)
    assert narrowed.level == 3 and _ids(narrowed) == [people["strong"].pk]
    full = next(m for m in rank_candidates(recruiter, job).matches)
    monkeypatch.setattr("ats.selectors.rediscovery.CUT_CAP", 10_000)
    assert rank_candidates(recruiter, job).matches[0].score == full.score  # the score never changes


def test_job_api_reads_and_writes_what_the_job_asks_for(recruiter):
    job = _job(recruiter)
    client = _api(recruiter)
    url = reverse("api:job-detail", args=[job.pk])
    body = client.get(url).json()
    assert body["required_skills"] == ["python", "django", "postgresql"]
    assert body["seniority"] == "senior" and body["min_years"] == "5.0"
    patched = client.patch(
        url, {"required_skills": ["Go", "postgres"], "seniority": "lead"}, format="json"
    )
    assert patched.status_code == 200
    job.refresh_from_db()
    assert job.required_skills == ["go", "postgresql"] and job.seniority == "lead"
    bad = client.patch(url, {"seniority": "guru", "min_years": "-1"}, format="json")
    assert bad.status_code == 400 and {"seniority", "min_years"} <= set(bad.json())
    job.refresh_from_db()
    assert job.seniority == "lead"
