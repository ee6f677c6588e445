"""JSON Resume export: validates against the official v1.0.0 schema, downloads for recruiters."""

import datetime as dt
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from jsonschema import Draft7Validator

from crm.json_resume import candidate_to_json_resume, iso_partial
from crm.models import Candidate
from crm.services.candidates import candidate_upsert

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "crm/standards/json-resume/schema.json"  # shipped with its MIT licence


@pytest.fixture(scope="module")
def validator() -> Draft7Validator:
    schema = json.loads(SCHEMA_PATH.read_text())
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def _uris(document) -> list[str]:
    """Every value the schema marks ``format: uri`` (jsonschema checks that format only with
    an optional extra installed, so the test checks these itself)."""
    basics = document.get("basics", {})
    found = [basics.get("url"), document.get("meta", {}).get("canonical")]
    found += [p.get("url") for p in basics.get("profiles", [])]
    for section in ("work", "education"):
        found += [item.get("url") for item in document.get(section, [])]
    return [uri for uri in found if uri is not None]


def _assert_valid(validator, document):
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    for uri in _uris(document):
        parts = urlsplit(uri)
        assert parts.scheme in ("http", "https") and parts.netloc, uri


def _full_candidate() -> Candidate:
    return candidate_upsert(
        data={
            "email": "Ada@Example.com",
            "phone": "+1 415 555 0132",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "current_title": "Principal Engineer",
            "current_company": "Analytical Engines",
            "summary": "Writes the first programs.",
            "website_url": "ada.example.com",
            "linkedin_url": "linkedin.com/in/ada-lovelace",
            "github_url": "https://github.com/ada",
            "city": "London",
            "region": "Greater London",
            "country": "gb",
            "skills": [{"name": "Python", "years": "8"}, {"name": "Mathematics"}],
            "work_history": [
                {
                    "company": "Analytical Engines",
                    "title": "Principal Engineer",
                    "start": "2019-03",
                    "end": "present",
                    "highlights": ["Wrote the note G program", ""],
                    "url": "engines.example.com",
                },
                {
                    "company": "Babbage & Co",
                    "title": "Engineer",
                    "start": "2015",
                    "end": "Feb 2019",
                },
                {"company": "", "title": "", "start": "someday"},
            ],
            "education": [
                {
                    "school": "University of London",
                    "field": "Mathematics",
                    "degree": "BSc",
                    "start": dt.date(2011, 9, 1).isoformat(),
                    "end": "06/2014",
                }
            ],
        }
    ).candidate


def test_a_full_candidate_validates_against_the_schema(db, validator):
    document = candidate_to_json_resume(_full_candidate(), canonical="https://x.example/r.json")
    _assert_valid(validator, document)
    basics = document["basics"]
    assert basics["name"] == "Ada Lovelace" and basics["label"] == "Principal Engineer"
    assert basics["email"] == "ada@example.com" and basics["phone"] == "+14155550132"
    assert basics["url"] == "https://ada.example.com"
    assert basics["location"] == {"city": "London", "region": "Greater London", "countryCode": "GB"}
    assert basics["profiles"] == [
        {
            "network": "LinkedIn",
            "username": "ada-lovelace",
            "url": "https://www.linkedin.com/in/ada-lovelace",
        },
        {"network": "GitHub", "username": "ada", "url": "https://github.com/ada"},
    ]
    assert document["work"][0] == {
        "name": "Analytical Engines",
        "position": "Principal Engineer",
        "url": "https://engines.example.com",
        "startDate": "2019-03",
        "highlights": ["Wrote the note G program"],
    }
    assert (document["work"][1]["startDate"], document["work"][1]["endDate"]) == ("2015", "2019-02")
    assert len(document["work"]) == 2  # the empty entry is left out
    assert document["education"] == [
        {
            "institution": "University of London",
            "area": "Mathematics",
            "studyType": "BSc",
            "startDate": "2011-09-01",
            "endDate": "2014-06",
        }
    ]
    assert document["skills"] == [{"name": "Mathematics"}, {"name": "Python", "level": "8 years"}]
    assert document["meta"]["version"] == "v1.0.0"
    assert document["meta"]["canonical"] == "https://x.example/r.json"
    dt.datetime.strptime(document["meta"]["lastModified"], "%Y-%m-%dT%H:%M:%S")


def test_a_minimal_candidate_validates_and_carries_no_empty_values(db, validator):
    person = candidate_upsert(data={"last_name": "Nobody"}).candidate
    document = candidate_to_json_resume(person)
    _assert_valid(validator, document)
    assert document["basics"] == {"name": "Nobody"}
    assert set(document) == {"basics", "meta"}
    assert '""' not in json.dumps(document)


def test_an_email_the_schema_would_reject_is_left_out(db, validator):
    person = candidate_upsert(data={"email": "kim@example.com"}).candidate
    Candidate.objects.filter(pk=person.pk).update(email="not-an-address", website_url="nope")
    person.refresh_from_db()
    document = candidate_to_json_resume(person)
    _assert_valid(validator, document)
    assert "email" not in document.get("basics", {})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019", "2019"),
        ("2019-3", "2019-03"),
        ("2019/03/15", "2019-03-15"),
        ("2019-02-30", ""),
        ("03/2019", "2019-03"),
        ("Sept 2019", "2019-09"),
        ("March, 2019", "2019-03"),
        ("2019-03-15T10:00:00Z", "2019-03-15"),
        (dt.date(2020, 1, 2), "2020-01-02"),
        (2018, "2018"),
        ("present", ""),
        ("", ""),
        (None, ""),
        ("0999", ""),
    ],
)
def test_dates_become_iso_8601_partials(value, expected):
    assert iso_partial(value) == expected


def test_recruiters_download_the_json_resume(client, recruiter, validator):
    person = _full_candidate()
    client.force_login(recruiter)
    response = client.get(reverse("crm:candidate-json-resume", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ada-lovelace.resume.json"'
    _assert_valid(validator, json.loads(response.content))


def test_others_are_refused_and_hidden_candidates_are_not_found(client, users):
    person = candidate_upsert(data={"email": "kim@example.com"}).candidate
    url = reverse("crm:candidate-json-resume", args=[person.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response.url
    for who in ("manager", "interviewer", "outsider"):
        client.force_login(users[who])
        assert client.get(url).status_code == 403
    client.force_login(users["recruiter"])
    assert (
        client.get(reverse("crm:candidate-json-resume", args=[person.pk + 99])).status_code == 404
    )
    survivor = candidate_upsert(data={"email": "kim2@example.com"}).candidate
    Candidate.objects.filter(pk=person.pk).update(merged_into=survivor)
    assert client.get(url).status_code == 404
