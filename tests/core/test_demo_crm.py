"""The demo data that issue 13 promises a new user: pools and segments with members,
confirmed and unconfirmed community members, and an alumna (hired, later left)."""

import pytest
from django.core.management import call_command

from ats.models import Application
from crm.models import Candidate, CommunityStatus, Pool, PoolMembership


@pytest.fixture
def demo(db):
    call_command("load_demo_data")


def _members(slug: str) -> set[str]:
    pool = Pool.objects.get(built_in=slug)
    ids = PoolMembership.objects.filter(pool=pool).values("candidate_id")
    return set(Candidate.objects.filter(pk__in=ids).values_list("email", flat=True))


def test_demo_segments_have_members(demo):
    for slug in (
        "silver-medalists",
        "talent-community",
        "alumni",
        "python-engineers",
        "warm-passive",
        "cold-passive",
    ):
        assert _members(slug), f"the {slug} segment is empty in the demo"
    assert Pool.objects.filter(kind="static", member_count__gt=0).exists()


def test_demo_has_an_alumna_who_was_hired_and_left(demo):
    app = Application.objects.get(candidate__email="quinn.doyle@demo.talentloop.localhost")
    assert app.status == "hired" and app.left_company_on is not None
    assert "quinn.doyle@demo.talentloop.localhost" in _members("alumni")


def test_demo_has_confirmed_and_pending_community_members(demo):
    statuses = set(Candidate.objects.values_list("community_status", flat=True))
    assert {CommunityStatus.CONFIRMED, CommunityStatus.PENDING} <= statuses
