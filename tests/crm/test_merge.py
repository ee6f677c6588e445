"""Duplicates queue, "not a duplicate", merge and undo: services, selectors and views."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ats.models import Application
from crm.models import (
    Candidate,
    CandidateEmail,
    CandidatePhone,
    CandidateSkill,
    DuplicateDismissal,
    MergeRecord,
    ResumeFile,
    TimelineEntry,
)
from crm.selectors.merge import duplicate_pairs
from crm.services.candidates import candidate_upsert
from crm.services.merge import (
    MergeError,
    candidate_merge,
    candidate_relations,
    duplicate_dismiss,
    merge_undo,
)

MERGE_KINDS = [TimelineEntry.Kind.MERGE, TimelineEntry.Kind.UNMERGE]
_UNCOMPARED = {"updated_at", "search_vector", "last_activity_at"}


def person(**data) -> Candidate:
    return candidate_upsert(data=data).candidate


def add(candidate: Candidate, **data) -> Candidate:
    """Add data to an existing person (matched by their primary email)."""
    return candidate_upsert(data={"email": candidate.email, **data}).candidate


def resume(candidate: Candidate, name: str = "cv.pdf") -> ResumeFile:
    return ResumeFile.objects.create(
        candidate=candidate,
        file=f"resumes/{name}",
        original_name=name,
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )


def state(candidate: Candidate) -> dict:
    """Every scalar field and every related row set, for field-for-field comparisons."""
    candidate = Candidate.objects.get(pk=candidate.pk)
    return {
        "fields": {
            f.attname: getattr(candidate, f.attname)
            for f in Candidate._meta.concrete_fields
            if f.name not in _UNCOMPARED
        },
        "emails": set(candidate.emails.values_list("id", "email", "is_primary")),
        "phones": set(candidate.phones.values_list("id", "number", "is_primary", "kind")),
        "skills": set(candidate.skills.values_list("id", "slug", "years")),
        "timeline": set(
            candidate.timeline.exclude(kind__in=MERGE_KINDS).values_list("id", flat=True)
        ),
        "resumes": set(candidate.resumes.values_list("id", flat=True)),
    }


def pair_ids(user, **kwargs) -> dict[tuple[int, int], list[str]]:
    return {(p.a.pk, p.b.pk): p.reasons for p in duplicate_pairs(user, **kwargs)}


def key(a: Candidate, b: Candidate) -> tuple[int, int]:
    return tuple(sorted((a.pk, b.pk)))


@pytest.fixture
def pair(db):
    """Two records of one person, with something of everything on each."""
    ann = person(
        email="ann@example.com",
        first_name="Ann",
        last_name="Lee",
        current_title="Engineer",
        phone="+14155550132",
        tags=["java"],
        skills=[{"name": "Python", "years": 2}],
    )
    other = person(
        email="ann.lee@work.example",
        first_name="Anne",
        last_name="Lee",
        current_title="Senior Engineer",
        city="Berlin",
        tags=["berlin", "java"],
        skills=[{"name": "Python", "years": 5}, "Go"],
    )
    add(other, phones=["+14155550132", "+4930123456"], emails=["annie@example.org"])
    resume(other)
    return Candidate.objects.get(pk=ann.pk), Candidate.objects.get(pk=other.pk)


# --------------------------------------------------------------------------- queue


def test_queue_finds_records_sharing_a_phone(recruiter):
    a = person(email="p1@example.com", first_name="Pat", last_name="One")
    b = person(email="p2@example.com", first_name="Quinn", last_name="Two")
    add(a, phone="+14155550132")
    add(b, phone="+1 (415) 555-0132")
    assert pair_ids(recruiter) == {key(a, b): ["same phone"]}


def test_queue_finds_records_sharing_a_linkedin_url(recruiter):
    a = person(email="l1@example.com", first_name="Lin", last_name="Kedin")
    b = person(email="l2@example.com", first_name="Other", last_name="Person")
    add(a, linkedin_url="linkedin.com/in/lin-kedin")
    add(b, linkedin_url="https://www.linkedin.com/in/lin-kedin/")
    assert pair_ids(recruiter) == {key(a, b): ["same LinkedIn"]}


def test_queue_finds_similar_names_at_the_same_company(recruiter):
    smith = {"first_name": "Jonathan", "last_name": "Smith"}
    a = person(email="j1@example.com", current_company="Acme", **smith)
    b = person(
        email="j2@example.org", current_company="ACME", **{**smith, "first_name": "Jonathon"}
    )
    person(email="j3@example.org", current_company="Initech", **smith)
    assert pair_ids(recruiter) == {key(a, b): ["similar name + same company"]}


def test_queue_finds_similar_names_with_the_same_email_local_part(recruiter):
    a = person(email="jsmith@acme.example", first_name="Jon", last_name="Smith")
    b = person(email="jsmith@gmail.example", first_name="John", last_name="Smith")
    person(email="john.smith@gmail.example", first_name="John", last_name="Smith")
    pairs = duplicate_pairs(recruiter)
    assert [(p.a.pk, p.b.pk, p.reasons) for p in pairs] == [
        (a.pk, b.pk, ["similar name + same email local part"])
    ]
    assert 0 < pairs[0].score <= 100


def test_queue_leaves_out_dissimilar_dismissed_and_merged_records(recruiter):
    acme = {"current_company": "Acme"}
    person(email="alice@acme.example", first_name="Alice", last_name="Walker", **acme)
    person(email="bob@acme.example", first_name="Bob", last_name="Stone", **acme)
    a = person(email="k1@example.com", first_name="Kim", phone="+14155550101")
    b = person(email="k2@example.com", first_name="Kai")
    add(b, phone="+14155550101")
    c = person(email="m1@example.com", first_name="Max", phone="+14155550102")
    d = person(email="m2@example.com", first_name="Moe")
    add(d, phone="+14155550102")
    assert set(pair_ids(recruiter)) == {key(a, b), key(c, d)}
    duplicate_dismiss(a=b, b=a, actor=recruiter)
    candidate_merge(survivor=c, other=d, field_choices={}, actor=recruiter)
    assert pair_ids(recruiter) == {}


def test_queue_ranks_stronger_matches_first_and_pages_by_cursor(recruiter):
    a = person(email="r1@example.com", first_name="Rae", last_name="Park")
    b = person(email="r2@example.com", first_name="Rae", last_name="Park")
    add(a, phone="+14155550103", linkedin_url="linkedin.com/in/rae")
    add(b, phone="+14155550103", linkedin_url="linkedin.com/in/rae")
    c = person(email="s1@example.com", first_name="Sam")
    d = person(email="s2@example.com", first_name="Sol")
    add(c, phone="+14155550104")
    add(d, phone="+14155550104")
    first, second = duplicate_pairs(recruiter)
    assert (first.a.pk, first.b.pk) == key(a, b)
    assert first.reasons == ["same LinkedIn", "same phone"]
    assert first.score > second.score
    page = duplicate_pairs(recruiter, limit=1)
    assert [p.cursor for p in page] == [first.cursor]
    rest = duplicate_pairs(recruiter, limit=1, after=(first.score, first.a.pk, first.b.pk))
    assert [(p.a.pk, p.b.pk) for p in rest] == [key(c, d)]


def test_queue_is_for_recruiters_only(users):
    person(email="q1@example.com", phone="+14155550105")
    b = person(email="q2@example.com")
    add(b, phone="+14155550105")
    assert duplicate_pairs(users["recruiter"]) and duplicate_pairs(users["admin"])
    for name in ("manager", "interviewer", "outsider"):
        assert duplicate_pairs(users[name]) == []


def test_dismissal_is_ordered_and_idempotent(recruiter, outsider):
    a, b = person(email="d1@example.com"), person(email="d2@example.com")
    first = duplicate_dismiss(a=b, b=a, actor=recruiter)
    again = duplicate_dismiss(a=a, b=b, actor=recruiter)
    assert first.pk == again.pk
    assert (first.low_id, first.high_id, first.dismissed_by) == (a.pk, b.pk, recruiter)
    with pytest.raises(MergeError):
        duplicate_dismiss(a=a, b=a, actor=recruiter)
    with pytest.raises(MergeError):
        duplicate_dismiss(a=a, b=b, actor=outsider)
    assert DuplicateDismissal.objects.count() == 1


# --------------------------------------------------------------------------- merge


def test_merge_moves_everything_and_applies_the_choices(pair, recruiter):
    ann, other = pair
    other_timeline = set(other.timeline.values_list("id", flat=True))
    other_resumes = set(other.resumes.values_list("id", flat=True))
    record = candidate_merge(
        survivor=ann, other=other, field_choices={"current_title": "other"}, actor=recruiter
    )
    ann.refresh_from_db()
    other.refresh_from_db()
    assert ann.current_title == "Senior Engineer"  # chosen
    assert ann.first_name == "Ann"  # default: the survivor's, it is not empty
    assert ann.city == "Berlin"  # default: the survivor's was empty
    assert ann.tags == ["java", "berlin"]
    assert set(ann.emails.values_list("email", "is_primary")) == {
        ("ann@example.com", True),
        ("ann.lee@work.example", False),
        ("annie@example.org", False),
    }
    assert set(ann.phones.values_list("number", flat=True)) == {"+14155550132", "+4930123456"}
    skills = dict(ann.skills.values_list("slug", "years"))
    assert len(skills) == 2 and max(skills.values(), key=lambda y: y or 0) == Decimal("5.0")
    assert sorted(ann.skill_slugs) == sorted(skills)
    assert other_timeline <= set(ann.timeline.values_list("id", flat=True))
    assert other_resumes == set(ann.resumes.values_list("id", flat=True))
    merge_entry = ann.timeline.get(kind=TimelineEntry.Kind.MERGE)
    assert merge_entry.summary == f"Merged with Anne Lee (#{other.pk})"
    assert merge_entry.actor == recruiter
    # The loser stays, hidden, without a primary email or phone.
    assert (other.merged_into_id, other.email, other.phone) == (ann.pk, "", "")
    assert not other.emails.exists() and not other.timeline.exists()
    # The phone both had stays with the loser, and the record says so.
    skipped = record.moved["_skipped"]["crm.CandidatePhone"]
    assert list(CandidatePhone.objects.filter(pk__in=skipped, candidate=other)) != []
    assert record.loser_snapshot["email"] == "ann.lee@work.example"
    assert record.survivor_snapshot["current_title"] == "Engineer"


def test_after_a_merge_the_losers_email_finds_the_survivor(pair, recruiter):
    ann, other = pair
    candidate_merge(survivor=ann, other=other, field_choices={}, actor=recruiter)
    result = candidate_upsert(data={"email": "ANN.LEE@work.example", "region": "BE"})
    assert (result.candidate.pk, result.created) == (ann.pk, False)


def test_the_survivor_can_take_the_other_primary_email(pair, recruiter):
    ann, other = pair
    candidate_merge(survivor=ann, other=other, field_choices={"email": "other"}, actor=recruiter)
    ann.refresh_from_db()
    assert ann.email == "ann.lee@work.example"
    assert set(ann.emails.filter(is_primary=True).values_list("email", flat=True)) == {
        "ann.lee@work.example"
    }


def test_do_not_contact_survives_any_choice(recruiter):
    a = person(email="n1@example.com", first_name="Nia")
    b = person(email="n2@example.com", first_name="Nia")
    Candidate.objects.filter(pk=b.pk).update(do_not_contact=True, do_not_contact_reason="asked")
    b.refresh_from_db()
    candidate_merge(
        survivor=a, other=b, field_choices={"do_not_contact": "survivor"}, actor=recruiter
    )
    a.refresh_from_db()
    assert (a.do_not_contact, a.do_not_contact_reason) == (True, "asked")


@pytest.mark.parametrize("case", ["self", "merged", "invisible", "bad-choice"])
def test_refused_merges_change_nothing(pair, recruiter, outsider, case):
    ann, other = pair
    third = person(email="third@example.com", first_name="Third")
    candidate_merge(survivor=ann, other=third, field_choices={}, actor=recruiter)
    ann.refresh_from_db()
    third.refresh_from_db()
    before = (state(ann), state(other), MergeRecord.objects.count())
    args = {
        "self": (ann, ann, {}, recruiter, "itself"),
        "merged": (other, third, {}, recruiter, "already merged into"),
        "invisible": (ann, other, {}, outsider, "do not have access"),
        "bad-choice": (ann, other, {"salary": "other"}, recruiter, "Unknown field"),
    }[case]
    with pytest.raises(MergeError, match=args[4]):
        candidate_merge(survivor=args[0], other=args[1], field_choices=args[2], actor=args[3])
    assert (state(ann), state(other), MergeRecord.objects.count()) == before


def test_relation_discovery_handles_crm_rows_and_finds_other_apps_relations():
    relations = candidate_relations()
    for model in (CandidateEmail, CandidatePhone, CandidateSkill, TimelineEntry, ResumeFile):
        assert model in relations.handled
    assert MergeRecord in relations.bookkeeping and DuplicateDismissal in relations.bookkeeping
    assert (Application, "candidate") in relations.extras


# --------------------------------------------------------------------------- undo


def test_undo_restores_both_records_field_for_field(pair, recruiter):
    ann, other = pair
    before = state(ann), state(other)
    record = candidate_merge(
        survivor=ann,
        other=other,
        field_choices={"current_title": "other", "email": "other", "first_name": "other"},
        actor=recruiter,
    )
    assert state(ann) != before[0]
    merge_undo(merge=record, actor=recruiter)
    assert (state(ann), state(other)) == before
    record.refresh_from_db()
    assert record.undone_at is not None and record.undone_by == recruiter
    for candidate in (ann, other):
        assert candidate.timeline.filter(kind=TimelineEntry.Kind.UNMERGE).count() == 1
    found = candidate_upsert(data={"email": "ann.lee@work.example"}).candidate
    assert found.pk == other.pk


def test_undo_leaves_what_was_added_to_the_survivor_after_the_merge(pair, recruiter):
    ann, other = pair
    record = candidate_merge(
        survivor=ann, other=other, field_choices={"current_title": "other"}, actor=recruiter
    )
    add(ann, emails=["ann.new@example.com"], tags=["new"], summary="Added later")
    merge_undo(merge=record, actor=recruiter)
    ann.refresh_from_db()
    assert ann.current_title == "Engineer"
    assert ann.summary == "Added later"
    assert ann.tags == ["java", "new"]
    assert ann.emails.filter(email="ann.new@example.com").exists()


def test_double_undo_is_refused(pair, recruiter):
    ann, other = pair
    record = candidate_merge(survivor=ann, other=other, field_choices={}, actor=recruiter)
    merge_undo(merge=record, actor=recruiter)
    with pytest.raises(MergeError, match="already undone"):
        merge_undo(merge=record, actor=recruiter)


def test_a_chain_of_merges_is_undone_latest_first(pair, recruiter):
    ann, other = pair
    carl = person(email="carl@example.com", first_name="Carl")
    before = state(ann), state(other), state(carl)
    first = candidate_merge(survivor=ann, other=other, field_choices={}, actor=recruiter)
    ann.refresh_from_db()
    second = candidate_merge(survivor=carl, other=ann, field_choices={}, actor=recruiter)
    with pytest.raises(MergeError, match="Undo that later merge first"):
        merge_undo(merge=first, actor=recruiter)
    merge_undo(merge=second, actor=recruiter)
    merge_undo(merge=first, actor=recruiter)
    assert (state(ann), state(other), state(carl)) == before


# --------------------------------------------------------------------------- views


def _urls(a: Candidate, b: Candidate, record: MergeRecord) -> list[tuple[str, str]]:
    return [
        ("get", reverse("crm:duplicates")),
        ("post", reverse("crm:duplicate-dismiss", args=[a.pk, b.pk])),
        ("get", reverse("crm:merge", args=[a.pk, b.pk])),
        ("post", reverse("crm:merge", args=[a.pk, b.pk])),
        ("get", reverse("crm:merge-history")),
        ("post", reverse("crm:merge-undo", args=[record.pk])),
    ]


@pytest.mark.parametrize("role", ["manager", "interviewer", "outsider", "anonymous"])
def test_only_recruiters_reach_the_merge_pages(client, users, pair, role):
    ann, other = pair
    third = person(email="t3@example.com", first_name="Tess")
    record = candidate_merge(survivor=ann, other=third, field_choices={}, actor=users["recruiter"])
    if role != "anonymous":
        client.force_login(users[role])
    for method, url in _urls(ann, other, record):
        response = getattr(client, method)(url, {"survivor": ann.pk, "confirm": "yes"})
        if role == "anonymous":
            assert response.status_code == 302 and "/login" in response["Location"], url
        else:
            assert response.status_code in (403, 404), url
    assert not DuplicateDismissal.objects.exists()
    assert MergeRecord.objects.filter(undone_at__isnull=True).count() == 1
    # The outsider gets the same answer for a record that does not exist.
    if role == "outsider":
        assert client.get(reverse("crm:merge", args=[998, 999])).status_code == 403


def test_recruiter_sees_the_queue_and_both_sides_of_a_merge(client, recruiter, pair):
    ann, other = pair
    client.force_login(recruiter)
    queue = client.get(reverse("crm:duplicates")).content.decode()
    assert "same phone" in queue and reverse("crm:merge", args=[ann.pk, other.pk]) in queue
    partial = client.get(reverse("crm:duplicates"), headers={"HX-Request": "true"})
    assert "same phone" in partial.content.decode() and b"<html" not in partial.content
    page = client.get(reverse("crm:merge", args=[ann.pk, other.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    both_sides = ["Engineer", "Senior Engineer", "ann@example.com", "ann.lee@work.example"]
    for value in [*both_sides, "Berlin", "annie@example.org", 'name="choice_current_title"']:
        assert value in html
    assert f'name="survivor" value="{ann.pk}" checked' in html  # the older record
    assert 'name="choice_last_name"' not in html  # same on both: nothing to choose


def test_posting_the_merge_form_merges_and_goes_to_the_survivor(client, recruiter, pair):
    ann, other = pair
    client.force_login(recruiter)
    url = reverse("crm:merge", args=[ann.pk, other.pk])
    response = client.post(
        url, {"survivor": other.pk, "choice_current_title": ann.pk, "choice_first_name": ann.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/candidates/{other.pk}/"
    other.refresh_from_db()
    assert (other.current_title, other.first_name) == ("Engineer", "Ann")
    assert Candidate.objects.get(pk=ann.pk).merged_into_id == other.pk
    again = client.post(url, {"survivor": other.pk})
    assert again.status_code == 302 and again["Location"] == reverse("crm:duplicates")


def test_merge_form_without_a_survivor_is_shown_again_with_the_reason(client, recruiter, pair):
    ann, other = pair
    client.force_login(recruiter)
    response = client.post(reverse("crm:merge", args=[ann.pk, other.pk]), {})
    assert response.status_code == 400
    assert "Choose which record survives." in response.content.decode()
    assert not MergeRecord.objects.exists()


def test_not_a_duplicate_button_removes_the_pair(client, recruiter, pair):
    ann, other = pair
    client.force_login(recruiter)
    url = reverse("crm:duplicate-dismiss", args=[other.pk, ann.pk])
    assert client.get(url).status_code == 405
    htmx = client.post(url, headers={"HX-Request": "true"})
    assert htmx.status_code == 200 and htmx.content == b""
    assert client.post(url).status_code == 302
    assert DuplicateDismissal.objects.get().low_id == min(ann.pk, other.pk)
    assert "No possible duplicates" in client.get(reverse("crm:duplicates")).content.decode()


def test_history_lists_merges_and_undo_needs_confirmation(client, recruiter, pair):
    ann, other = pair
    record = candidate_merge(survivor=ann, other=other, field_choices={}, actor=recruiter)
    client.force_login(recruiter)
    history = client.get(reverse("crm:merge-history")).content.decode()
    undo_url = reverse("crm:merge-undo", args=[record.pk])
    assert f'action="{undo_url}"' in history and "Anne Lee" in history
    unconfirmed = client.post(undo_url)
    assert unconfirmed.status_code == 200 and "Undo this merge?" in unconfirmed.content.decode()
    assert MergeRecord.objects.get().undone_at is None
    done = client.post(undo_url, {"confirm": "yes"})
    assert done.status_code == 302 and done["Location"] == reverse("crm:merge-history")
    assert MergeRecord.objects.get().undone_at is not None
    assert Candidate.objects.get(pk=other.pk).merged_into_id is None
    assert "Undone" in client.get(reverse("crm:merge-history")).content.decode()
    client.post(undo_url, {"confirm": "yes"})
    messages = [str(m) for m in client.get(reverse("crm:merge-history")).context["messages"]]
    assert any("already undone" in m for m in messages)


def _make_pairs(start: int, count: int) -> None:
    for i in range(start, start + count):
        phone = f"+1415555{1000 + i}"
        a = person(email=f"qa{i}@example.com", first_name=f"A{i}")
        b = person(email=f"qb{i}@example.com", first_name=f"B{i}")
        add(a, phone=phone)
        add(b, phone=phone)


def _queries_for_queue(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("crm:duplicates"))
    return len(queries), response.content.decode().count('class="card dup-pair"')


def test_duplicates_page_query_count_does_not_grow_with_pairs(client, recruiter):
    client.force_login(recruiter)
    _make_pairs(0, 1)
    one, shown = _queries_for_queue(client)
    assert shown == 1
    _make_pairs(1, 19)
    many, shown = _queries_for_queue(client)
    assert shown == 20
    assert many == one


def test_history_page_query_count_does_not_grow_with_merges(client, recruiter):
    client.force_login(recruiter)

    def merges(count):
        for i in range(count):
            a = person(email=f"ha{i}-{count}@example.com", first_name="H")
            b = person(email=f"hb{i}-{count}@example.com", first_name="H")
            candidate_merge(survivor=a, other=b, field_choices={}, actor=recruiter)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("crm:merge-history")).status_code == 200
        return len(queries)

    assert merges(1) == merges(10)
