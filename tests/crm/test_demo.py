"""The demo candidates `make run` loads: idempotent, searchable, and a duplicate to merge."""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from crm.models import Candidate, TimelineEntry
from crm.selectors.merge import duplicate_pairs
from crm.selectors.search import SearchParams, candidate_search
from tests.crm.test_search import query


def test_demo_candidates_load_once_and_show_search_and_duplicates(db, capsys):
    call_command("load_demo_data")
    first = capsys.readouterr().out
    call_command("load_demo_data")
    second = capsys.readouterr().out
    assert "demo data (crm): 29 candidates created, 29 candidates total" in first
    assert "demo data (crm): 0 candidates created, 29 candidates total" in second
    assert Candidate.objects.count() == 29
    assert TimelineEntry.objects.filter(kind=TimelineEntry.Kind.NOTE).count() == 10

    recruiter = get_user_model().objects.get(username="recruiter")
    page = candidate_search(recruiter, SearchParams.from_query(query(q="python"))[0])
    assert page.total >= 5 and all(c.match_tier in (0, 1) for c in page.results[:5])
    pairs = duplicate_pairs(recruiter)
    emails = [{pair.a.email, pair.b.email} for pair in pairs]
    assert {
        "amara.okafor@demo.talentloop.localhost",
        "a.okafor@demo.talentloop.localhost",
    } in emails
