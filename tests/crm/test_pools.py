"""Talent pools: rule validation, dynamic refresh with history, incremental refresh, built-in
segments, static operations (and their refusal on dynamic pools), pages, permissions, API."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from crm.models import Candidate, Pool, PoolChange, PoolMembership
from crm.selectors.pools import RuleError, pool_size_history, rule_candidates, rule_parse
from crm.services.candidates import candidates_tag
from crm.services.pools import (
    PoolError,
    pool_create,
    pool_members_add,
    pool_members_remove,
    pool_refresh,
    pools_refresh_for_candidate,
)
from tests.factories import make_application, make_candidate


def members(pool):
    return set(PoolMembership.objects.filter(pool=pool).values_list("candidate_id", flat=True))


def changes(pool):
    return list(
        PoolChange.objects.filter(pool=pool).values_list("candidate_id", "action", "reason")
    )


# --------------------------------------------------------------------------- rules


@pytest.mark.django_db
def test_a_rule_with_filters_and_conditions_parses():
    rule = rule_parse(
        {
            "filters": {"skills": ["Python"], "seniority": "senior,lead"},
            "conditions": {"community_status": "confirmed", "engaged_within_days": "90"},
        }
    )
    assert rule.params.skills == ("python",)
    assert rule.params.seniority == ("senior", "lead")
    assert rule.conditions == {"community_status": "confirmed", "engaged_within_days": 90}
    assert rule.match == "all"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "field", "words"),
    [
        ({"filters": {"colour": "red"}}, "filters.colour", "is not a search filter"),
        ({"filters": {"seniority": "wizard"}}, "filters.seniority", "'wizard' is not one of"),
        ({"filters": {"active_after": "soon"}}, "filters.active_after", "is not a date"),
        ({"filters": {"owner": "me"}}, "filters.owner", "user id"),
        ({"conditions": {"astrology": "leo"}}, "conditions.astrology", "is not a condition"),
        ({"conditions": {"engaged_within_days": "x"}}, "conditions.engaged_within_days", "days"),
        ({"conditions": {"engaged_within_days": 0}}, "conditions.engaged_within_days", "between"),
        ({"conditions": {"community_status": "vip"}}, "conditions.community_status", "'vip'"),
        ({"conditions": {"stage_reached": "moon"}}, "conditions.stage_reached", "'moon'"),
        ({"conditions": {"hired": False}}, "conditions.hired", "must be true"),
        ({"match": "some"}, "match", "'all' or 'any'"),
        ({"filter": {}}, "filter", "is not a rule field"),
        ("skills=python", "rule", "must be an object"),
    ],
)
def test_a_bad_rule_is_refused_naming_the_field(raw, field, words):
    with pytest.raises(RuleError) as caught:
        rule_parse(raw)
    assert words in caught.value.errors[field]


@pytest.mark.django_db
def test_creating_a_pool_with_a_bad_rule_stores_nothing(recruiter):
    with pytest.raises(PoolError) as caught:
        pool_create(name="Bad", kind="dynamic", rule={"filters": {"colour": 1}}, owner=recruiter)
    assert "filters.colour" in caught.value.errors
    assert not Pool.objects.filter(name="Bad").exists()


# --------------------------------------------------------------------------- refresh


@pytest.mark.django_db
def test_refresh_joins_and_leaves_with_history(recruiter):
    ada = make_candidate(first_name="Ada", skills=["Python"], seniority="senior")
    bob = make_candidate(first_name="Bob", skills=["Python"], seniority="mid")
    make_candidate(first_name="Cy", skills=["Java"], seniority="senior")
    pool = pool_create(
        name="Senior Python",
        kind="dynamic",
        rule={"filters": {"skills": "python", "seniority": "senior,lead"}},
        owner=recruiter,
    )
    assert members(pool) == {ada.pk}
    assert changes(pool) == [(ada.pk, "joined", "matched the rule")]

    Candidate.objects.filter(pk=bob.pk).update(seniority="lead")
    Candidate.objects.filter(pk=ada.pk).update(seniority="mid")
    result = pool_refresh(pool=pool)
    assert (result.joined, result.left) == (1, 1)
    assert members(pool) == {bob.pk}
    assert changes(pool)[1:] in (
        [(bob.pk, "joined", "matched the rule"), (ada.pk, "left", "no longer matches")],
        [(ada.pk, "left", "no longer matches"), (bob.pk, "joined", "matched the rule")],
    )
    pool.refresh_from_db()
    assert pool.member_count == 1 and pool.last_refreshed_at is not None

    again = pool_refresh(pool=pool)  # idempotent
    assert (again.joined, again.left) == (0, 0)
    assert len(changes(pool)) == 3


@pytest.mark.django_db
def test_refresh_is_two_statements_whatever_the_size(recruiter):
    for i in range(3):
        make_candidate(first_name=f"P{i}", tags=["alumni"])
    pool = pool_create(
        name="Tagged",
        kind="dynamic",
        rule={"conditions": {"tags_any": ["alumni"]}},
        owner=recruiter,
    )
    for i in range(20):
        make_candidate(first_name=f"Q{i}", tags=["alumni"])
    with CaptureQueriesContext(connection) as few:
        pool_refresh(pool=pool)
    assert len(members(pool)) == 23
    for i in range(20):
        make_candidate(first_name=f"R{i}", tags=["alumni"])
    with CaptureQueriesContext(connection) as many:
        pool_refresh(pool=pool)
    assert len(members(pool)) == 43
    assert len(few) == len(many) <= 8  # savepoint, lock, join, leave, count, release


@pytest.mark.django_db
def test_ats_and_consent_conditions(recruiter):
    silver = make_candidate(first_name="Silver")
    make_application(candidate=silver).__class__.objects.filter(candidate=silver).update(
        status="rejected", reached_final=True
    )
    hired = make_candidate(first_name="Hired")
    make_application(candidate=hired).__class__.objects.filter(candidate=hired).update(
        status="hired"
    )
    make_candidate(first_name="Nobody")
    assert set(rule_candidates(rule_parse({"conditions": {"silver_medalist": True}}))) == {silver}
    assert set(rule_candidates(rule_parse({"conditions": {"hired": True}}))) == {hired}
    both = rule_parse({"conditions": {"hired": True, "silver_medalist": True}, "match": "any"})
    assert set(rule_candidates(both)) == {silver, hired}
    applied = set(rule_candidates(rule_parse({"conditions": {"stage_reached": "applied"}})))
    assert applied == {silver, hired}


@pytest.mark.django_db
def test_incremental_refresh_for_one_candidate(recruiter):
    ada = make_candidate(first_name="Ada")
    pool = pool_create(
        name="Alumni list",
        kind="dynamic",
        rule={"conditions": {"tags_any": "alumni"}},
        owner=recruiter,
    )
    assert members(pool) == set()
    candidates_tag(candidate_ids=[ada.pk], tags=["alumni"], actor=recruiter)
    result = pools_refresh_for_candidate(candidate_id=ada.pk)
    assert result.joined >= 1
    assert ada.pk in members(pool)
    Candidate.objects.filter(pk=ada.pk).update(tags=[])
    assert pools_refresh_for_candidate(candidate_id=ada.pk).left >= 1
    assert members(pool) == set()
    assert [a for _, a, _ in changes(pool)] == ["joined", "left"]


@pytest.mark.django_db
def test_tagging_queues_the_incremental_refresh(recruiter, django_capture_on_commit_callbacks):
    ada = make_candidate(first_name="Ada")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        candidates_tag(candidate_ids=[ada.pk], tags=["alumni"], actor=recruiter)
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_size_history_counts_back_from_today(recruiter):
    people = [make_candidate(first_name=f"H{i}") for i in range(3)]
    pool = pool_create(name="Hand picked", kind="static", owner=recruiter)
    pool_members_add(pool=pool, candidate_ids=[p.pk for p in people], actor=recruiter)
    PoolChange.objects.filter(pool=pool, candidate=people[0]).update(
        at=timezone.now() - timedelta(days=2)
    )
    history = pool_size_history(pool, days=5)
    assert [h.size for h in history] == [0, 0, 1, 1, 3]
    assert history[-1].joined == 2


# --------------------------------------------------------------------------- built-ins


@pytest.mark.django_db
def test_built_in_segments_exist_and_refresh(recruiter):
    built = dict(Pool.objects.exclude(built_in="").values_list("built_in", "kind"))
    for slug in (
        "silver-medalists",
        "warm-passive",
        "cold-passive",
        "alumni",
        "talent-community",
        "python-engineers",
        "senior-and-above",
        "berlin",
    ):
        assert built[slug] == "dynamic"
    confirmed = make_candidate(first_name="Member")
    Candidate.objects.filter(pk=confirmed.pk).update(community_status="confirmed")
    community = Pool.objects.get(built_in="talent-community")
    for pool in Pool.objects.exclude(built_in=""):
        pool_refresh(pool=pool)  # every built-in rule is valid and runs
    assert members(community) == {confirmed.pk}


# --------------------------------------------------------------------------- static pools


@pytest.mark.django_db
def test_static_pool_add_and_remove(recruiter):
    ada, bob = make_candidate(first_name="Ada"), make_candidate(first_name="Bob")
    pool = pool_create(name="Shortlist", kind="static", owner=recruiter)
    assert pool_members_add(pool=pool, candidate_ids=[ada.pk, bob.pk], actor=recruiter) == 2
    assert pool_members_add(pool=pool, candidate_ids=[ada.pk], actor=recruiter) == 0
    assert pool_members_remove(pool=pool, candidate_ids=[ada.pk], actor=recruiter) == 1
    assert members(pool) == {bob.pk}
    assert [a for _, a, _ in changes(pool)] == ["joined", "joined", "left"]
    with pytest.raises(PoolError) as caught:
        pool_members_add(pool=pool, candidate_ids=[999999], actor=recruiter)
    assert "no candidate with id 999999" in caught.value.errors["candidates"]
    with pytest.raises(PoolError):
        pool_members_add(pool=pool, candidate_ids=["x"], actor=recruiter)


@pytest.mark.django_db
def test_static_operations_on_a_dynamic_pool_are_refused(recruiter):
    ada = make_candidate(first_name="Ada")
    pool = Pool.objects.get(built_in="alumni")
    with pytest.raises(PoolError) as caught:
        pool_members_add(pool=pool, candidate_ids=[ada.pk], actor=recruiter)
    assert "dynamic pool" in caught.value.errors["pool"]
    with pytest.raises(PoolError):
        pool_members_remove(pool=pool, candidate_ids=[ada.pk], actor=recruiter)
    assert members(pool) == set()


@pytest.mark.django_db
def test_pool_names_are_unique(recruiter):
    pool_create(name="Shortlist", kind="static", owner=recruiter)
    with pytest.raises(PoolError) as caught:
        pool_create(name="shortlist", kind="static", owner=recruiter)
    assert "another pool" in caught.value.errors["name"]


# --------------------------------------------------------------------------- pages


@pytest.mark.django_db
def test_pool_pages_are_for_recruiters_only(client, manager, interviewer, outsider, recruiter):
    pool = pool_create(name="Shortlist", kind="static", owner=recruiter)
    urls = [
        reverse("crm:pools"),
        reverse("crm:pool-new"),
        reverse("crm:pool-detail", args=[pool.pk]),
        reverse("crm:pool-edit", args=[pool.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous: to the login page
    for user in (manager, interviewer, outsider):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code in (403, 404), (user, url)
        assert client.post(reverse("crm:pool-refresh", args=[pool.pk])).status_code in (403, 404)
        assert client.post(
            reverse("crm:pool-bulk-add"), {"pool": pool.pk, "ids": [1]}
        ).status_code in (403, 404)


@pytest.mark.django_db
def test_pool_list_shows_pools_in_few_queries(client, recruiter):
    client.force_login(recruiter)
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("crm:pools"))
    assert response.status_code == 200
    assert "Silver medalists" in response.content.decode()
    for i in range(15):
        pool_create(name=f"Pool {i}", kind="static", owner=recruiter)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("crm:pools"))
    assert "Pool 14" in response.content.decode()
    assert len(many) == len(few)


@pytest.mark.django_db
def test_new_dynamic_pool_with_preview_then_create(client, recruiter):
    make_candidate(first_name="Ada", skills=["Python"])
    make_candidate(first_name="Bob", skills=["Rust"])
    client.force_login(recruiter)
    data = {"name": "Pythonistas", "kind": "dynamic", "skills": "python", "match": "all"}
    response = client.post(reverse("crm:pool-new"), {**data, "preview": "1"})
    assert response.status_code == 200
    assert "1</strong> person matches" in response.content.decode()
    assert not Pool.objects.filter(name="Pythonistas").exists()
    response = client.post(reverse("crm:pool-new"), data)
    pool = Pool.objects.get(name="Pythonistas")
    assert response.status_code == 302 and response.url == reverse(
        "crm:pool-detail", args=[pool.pk]
    )
    assert pool.member_count == 1


@pytest.mark.django_db
def test_new_pool_with_a_bad_rule_names_the_field(client, recruiter):
    client.force_login(recruiter)
    data = {
        "name": "Bad",
        "kind": "dynamic",
        "match": "all",
        "active_after": "yesterday",
        "cond_engaged_within_days": "lots",
    }
    response = client.post(reverse("crm:pool-new"), data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "is not a date" in body and "whole number of days" in body
    assert not Pool.objects.filter(name="Bad").exists()


@pytest.mark.django_db
def test_pool_detail_members_filters_chart_and_queries(client, recruiter):
    pool = pool_create(name="Shortlist", kind="static", owner=recruiter)
    ada = make_candidate(first_name="Ada", last_name="Lovelace", skills=["Python"])
    pool_members_add(pool=pool, candidate_ids=[ada.pk], actor=recruiter)
    client.force_login(recruiter)
    url = reverse("crm:pool-detail", args=[pool.pk])
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ada Lovelace" in body and 'class="pool-bar"' in body and "Size per day" in body
    assert "Remove selected from the pool" in body
    more = [make_candidate(first_name=f"M{i}") for i in range(15)]
    pool_members_add(pool=pool, candidate_ids=[p.pk for p in more], actor=recruiter)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    response = client.get(url, {"skills": "python"})
    body = response.content.decode()
    assert "Ada Lovelace" in body and "M3 " not in body


@pytest.mark.django_db
def test_bulk_add_remove_tag_and_refresh_from_the_pages(client, recruiter):
    pool = pool_create(name="Shortlist", kind="static", owner=recruiter)
    ada = make_candidate(first_name="Ada")
    client.force_login(recruiter)
    response = client.post(reverse("crm:pool-bulk-add"), {"ids": [ada.pk]})
    assert response.status_code == 200 and "Shortlist" in response.content.decode()
    response = client.post(reverse("crm:pool-bulk-add"), {"ids": [ada.pk], "pool": pool.pk})
    assert response.status_code == 302
    assert members(pool) == {ada.pk}
    response = client.post(
        reverse("crm:pool-tag", args=[pool.pk]), {"ids": [ada.pk], "tags": "vip"}
    )
    assert response.status_code == 302
    assert Candidate.objects.get(pk=ada.pk).tags == ["vip"]
    response = client.post(reverse("crm:pool-remove", args=[pool.pk]), {"ids": [ada.pk]})
    assert response.status_code == 302 and members(pool) == set()
    alumni = Pool.objects.get(built_in="alumni")
    client.post(reverse("crm:pool-remove", args=[alumni.pk]), {"ids": [ada.pk]})
    response = client.get(reverse("crm:pool-detail", args=[alumni.pk]))
    assert "dynamic pool" in response.content.decode()
    response = client.post(reverse("crm:pool-refresh", args=[alumni.pk]))
    assert response.status_code == 302
    alumni.refresh_from_db()
    assert alumni.last_refreshed_at is not None


@pytest.mark.django_db
def test_edit_a_dynamic_pool_rule(client, recruiter):
    pool = Pool.objects.get(built_in="berlin")
    client.force_login(recruiter)
    url = reverse("crm:pool-edit", args=[pool.pk])
    response = client.get(url)
    assert response.status_code == 200 and 'value="Berlin"' in response.content.decode()
    response = client.post(url, {"name": "Munich", "location": "Munich", "match": "all"})
    assert response.status_code == 302
    pool.refresh_from_db()
    assert pool.name == "Munich" and pool.rule["filters"] == {"location": "Munich"}


# --------------------------------------------------------------------------- API


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.mark.django_db
def test_api_create_list_and_members(recruiter):
    api = token_client(recruiter)
    ada = make_candidate(first_name="Ada", last_name="Lovelace")
    bob = make_candidate(first_name="Bob", last_name="Builder")
    response = api.post(reverse("api:pools"), {"name": "API pool", "kind": "static"}, format="json")
    assert response.status_code == 201
    pk = response.json()["id"]
    members_url = reverse("api:pool-members", args=[pk])
    response = api.post(members_url, {"candidates": [ada.pk, bob.pk]}, format="json")
    assert response.status_code == 200 and response.json() == {"changed": 2, "member_count": 2}
    response = api.get(members_url, {"q": "Lovelace"})
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [ada.pk]
    response = api.get(members_url, {"limit": 1})
    assert len(response.json()["results"]) == 1 and response.json()["next"]
    response = api.delete(members_url, {"candidates": [ada.pk]}, format="json")
    assert response.json() == {"changed": 1, "member_count": 1}
    names = [p["name"] for p in api.get(reverse("api:pools"), {"limit": 100}).json()["results"]]
    assert "API pool" in names and "Silver medalists" in names
    assert api.get(reverse("api:pool-detail", args=[pk])).json()["kind"] == "static"


@pytest.mark.django_db
def test_api_refuses_bad_rules_and_static_ops_on_dynamic_pools(recruiter, manager):
    api = token_client(recruiter)
    response = api.post(
        reverse("api:pools"),
        {"name": "Bad", "kind": "dynamic", "rule": {"conditions": {"hired": "maybe"}}},
        format="json",
    )
    assert response.status_code == 400
    assert "must be true" in response.json()["conditions.hired"][0]
    response = api.post(
        reverse("api:pools"),
        {"name": "Seniors", "kind": "dynamic", "rule": {"filters": {"seniority": "senior"}}},
        format="json",
    )
    assert response.status_code == 201 and response.json()["rule"]["filters"] == {
        "seniority": "senior"
    }
    ada = make_candidate(first_name="Ada")
    url = reverse("api:pool-members", args=[response.json()["id"]])
    response = api.post(url, {"candidates": [ada.pk]}, format="json")
    assert response.status_code == 400 and "dynamic pool" in response.json()["pool"][0]
    assert api.get(url, {"seniority": "wizard"}).status_code == 400
    assert api.get(reverse("api:pool-detail", args=[999999])).status_code == 404
    assert token_client(manager).get(reverse("api:pools")).status_code == 403
    assert APIClient().get(reverse("api:pools")).status_code == 401


@pytest.mark.django_db
def test_demo_data_fills_the_segments_and_a_static_pool(capsys):
    from django.core.management import call_command  # noqa: PLC0415 - one test needs it

    call_command("load_demo_data")
    out = capsys.readouterr().out
    call_command("load_demo_data")  # idempotent
    assert "demo data (crm): 8 pools refreshed, 1 static pools" in out
    shortlist = Pool.objects.get(name="Demo: backend shortlist")
    assert shortlist.member_count == 6
    assert Pool.objects.get(built_in="alumni").member_count >= 1
    assert Pool.objects.get(built_in="python-engineers").member_count >= 5
    assert Pool.objects.get(built_in="silver-medalists").last_refreshed_at is not None
    assert PoolChange.objects.filter(pool=shortlist).count() == 6


@pytest.mark.django_db
def test_profile_shows_pools_and_adds_to_a_static_pool(client, recruiter, manager):
    ada = make_candidate(first_name="Ada")
    pool = pool_create(name="Shortlist", kind="static", owner=recruiter)
    client.force_login(recruiter)
    url = reverse("crm:candidate-detail", args=[ada.pk])
    body = client.get(url).content.decode()
    assert "Not in any pool." in body and "Add to pool" in body
    response = client.post(
        reverse("crm:pool-bulk-add"), {"ids": [ada.pk], "pool": pool.pk, "next": url}
    )
    assert response.status_code == 302 and response.url == url
    body = client.get(url).content.decode()
    assert reverse("crm:pool-detail", args=[pool.pk]) in body
    response = client.post(
        reverse("crm:pool-bulk-add"), {"ids": [ada.pk], "pool": pool.pk, "next": "//evil.example"}
    )
    assert response.url == reverse("crm:candidates")


@pytest.mark.django_db
def test_pool_endpoints_are_in_the_schema_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS  # noqa: PLC0415
    from drf_spectacular.generators import SchemaGenerator  # noqa: PLC0415

    GENERATOR_STATS.reset()
    schema = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    assert not GENERATOR_STATS._warn_cache, list(GENERATOR_STATS._warn_cache)
    assert not GENERATOR_STATS._error_cache, list(GENERATOR_STATS._error_cache)
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/pools/"])
    assert {"get", "post", "delete"} <= set(paths["/api/v1/pools/{id}/members/"])
    assert "get" in paths["/api/v1/pools/{id}/"]


@pytest.mark.django_db
def test_api_refuses_an_unknown_kind(recruiter):
    response = token_client(recruiter).post(
        reverse("api:pools"), {"name": "X", "kind": "magic"}, format="json"
    )
    assert response.status_code == 400 and "static, dynamic" in response.json()["kind"][0]


@pytest.mark.django_db
def test_full_refresh_skips_a_pool_whose_rule_no_longer_parses(recruiter):
    from crm.services.pools import pools_refresh_all  # noqa: PLC0415

    make_candidate(first_name="Ada", tags=["alumni"])
    Pool.objects.create(name="Broken", kind="dynamic", rule={"conditions": {"gone_app": 1}})
    results = pools_refresh_all()
    assert "Broken" not in results and results["Alumni"].joined == 1
    with pytest.raises(PoolError) as caught:
        pool_refresh(pool=Pool.objects.get(name="Broken"))
    assert "conditions.gone_app" in caught.value.errors["rule"]
