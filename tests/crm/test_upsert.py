"""Lookup before create: one person per address, whatever the case, spacing or concurrency."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from crm.models import Candidate, CandidateEmail, CandidatePhone, TimelineEntry
from crm.services.candidates import candidate_update, candidate_upsert
from crm.services.errors import CandidateInputError
from crm.services.timeline import note_add

ROOT = Path(__file__).resolve().parents[2]


def test_upsert_creates_then_matches_by_normalized_email(db):
    first = candidate_upsert(data={"email": "  Ada@Example.COM ", "first_name": "Ada"})
    assert first.created
    assert first.candidate.email == "ada@example.com"
    second = candidate_upsert(data={"email": "ada@example.com", "current_title": "Engineer"})
    assert not second.created
    assert second.matched_by == "email"
    assert second.candidate.pk == first.candidate.pk
    assert second.changed_fields == ["current_title"]
    assert Candidate.objects.count() == 1


def test_upsert_matches_by_linkedin_then_phone(db):
    person = candidate_upsert(
        data={
            "first_name": "Lin",
            "linkedin_url": "linkedin.com/in/Lin-Kedin/",
            "phone": "+1 415 555 0132",
        }
    ).candidate
    by_linkedin = candidate_upsert(
        data={"email": "lin@example.com", "linkedin_url": "https://www.linkedin.com/in/lin-kedin"}
    )
    assert (by_linkedin.candidate.pk, by_linkedin.matched_by) == (person.pk, "linkedin")
    by_phone = candidate_upsert(data={"phone": "(415) 555-0132", "city": "Oakland"})
    assert (by_phone.candidate.pk, by_phone.matched_by) == (person.pk, "phone")
    person.refresh_from_db()
    assert person.email == "lin@example.com"
    assert person.phone == "+14155550132"


def test_import_adds_new_information_but_keeps_recruiter_edits(db, recruiter):
    person = candidate_upsert(
        data={"email": "kim@example.com", "current_title": "Developer"}
    ).candidate
    candidate_update(candidate=person, data={"current_title": "Staff Engineer"}, actor=recruiter)
    result = candidate_upsert(
        data={"email": "kim@example.com", "current_title": "Junior Dev", "city": "Berlin"}
    )
    person.refresh_from_db()
    assert person.current_title == "Staff Engineer"
    assert person.city == "Berlin"
    assert result.changed_fields == ["city"]


def test_reimporting_the_same_data_changes_nothing(db):
    payload = {
        "email": "same@example.com",
        "first_name": "Sam",
        "tags": ["Java", "berlin"],
        "phone": "+4930123456",
    }
    candidate_upsert(data=payload)
    entries = TimelineEntry.objects.count()
    again = candidate_upsert(data=payload)
    assert not again.changed
    assert TimelineEntry.objects.count() == entries


def test_other_emails_and_phones_are_kept(db):
    person = candidate_upsert(data={"email": "a@example.com"}).candidate
    candidate_upsert(
        data={"emails": ["a@example.com", "a.work@example.com"], "phones": ["+442071838750"]}
    )
    assert set(person.emails.values_list("email", flat=True)) == {
        "a@example.com",
        "a.work@example.com",
    }
    assert list(
        CandidatePhone.objects.filter(candidate=person).values_list("number", flat=True)
    ) == ["+442071838750"]
    # The second address now finds the same person.
    assert candidate_upsert(data={"email": "A.Work@example.com"}).candidate.pk == person.pk


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "x@example.com", "phone": "12"}, "phone"),
        ({"email": "x@example.com", "linkedin_url": "https://example.com/in/x"}, "linkedin_url"),
        ({"email": "x@example.com", "seniority": "wizard"}, "seniority"),
        ({"email": "x@example.com", "years_experience": "lots"}, "years_experience"),
        ({"email": "x@example.com", "country": "Atlantis"}, "country"),
        ({}, "email"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(db, payload, field):
    with pytest.raises(CandidateInputError) as excinfo:
        candidate_upsert(data=payload)
    assert field in excinfo.value.errors
    assert Candidate.objects.count() == 0


def test_recruiter_cannot_take_another_persons_email(db, recruiter):
    candidate_upsert(data={"email": "taken@example.com"})
    other = candidate_upsert(data={"email": "other@example.com"}).candidate
    with pytest.raises(CandidateInputError, match="belongs to another candidate"):
        candidate_update(candidate=other, data={"email": "Taken@example.com"}, actor=recruiter)


def test_timeline_records_creation_notes_and_activity(db, recruiter):
    person = candidate_upsert(
        data={"email": "t@example.com"}, actor=recruiter, origin="recruiter"
    ).candidate
    note_add(candidate=person, body="Great call.\nFollow up in May.", actor=recruiter)
    kinds = list(person.timeline.values_list("kind", flat=True))
    assert kinds == ["note", "created"]
    person.refresh_from_db()
    assert person.last_activity_at is not None
    with pytest.raises(CandidateInputError):
        note_add(candidate=person, body="   ", actor=recruiter)


def test_search_vector_is_kept_by_the_database(db):
    person = candidate_upsert(
        data={"email": "v@example.com", "first_name": "Vera", "current_title": "Data Engineer"}
    ).candidate
    person.refresh_from_db()
    assert "vera" in person.search_vector
    assert "engin" in person.search_vector


WORKER = r"""
import os, sys, time
import django
django.setup()
from crm.services.candidates import candidate_upsert
start = float(sys.argv[1]); variant = sys.argv[2]
while time.time() < start:
    pass
result = candidate_upsert(data={"email": variant, "first_name": "Race"})
print("created" if result.created else "matched")
"""


@pytest.mark.django_db(transaction=True)
def test_concurrent_upserts_of_one_address_end_in_one_row():
    settings_dict = connection.settings_dict
    host = settings_dict["HOST"]
    if host.startswith("/"):
        url = f"postgres://{settings_dict['USER']}@/{settings_dict['NAME']}?host={host}"
    else:
        url = (
            f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD']}@{host}:"
            f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
        )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    variants = [
        "race@example.com",
        " RACE@example.com",
        "Race@Example.com ",
        "race@EXAMPLE.COM",
    ] * 2
    start = time.time() + 4
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(start), variant],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for variant in variants
    ]  # fmt: skip
    outcomes = []
    for process in processes:
        out, err = process.communicate(timeout=90)
        assert process.returncode == 0, err
        outcomes.append(out.strip())
    assert sorted(outcomes) == ["created"] + ["matched"] * (len(variants) - 1)
    assert Candidate.objects.count() == 1
    assert CandidateEmail.objects.get().email == "race@example.com"


def test_public_intake_only_fills_empty_fields(db):
    """Anyone can type anyone's address on the career page: it must not rename a person."""
    first = candidate_upsert(
        data={"email": "kim@example.com", "first_name": "Kim", "last_name": "Lee"}, origin="import"
    ).candidate
    result = candidate_upsert(
        data={
            "email": "KIM@example.com",
            "first_name": "Mallory",
            "last_name": "Lee",
            "current_title": "Engineer",
        },
        origin="career_page",
        source="career_page",
    )
    first.refresh_from_db()
    assert result.candidate.pk == first.pk
    assert first.first_name == "Kim"
    assert first.current_title == "Engineer"
