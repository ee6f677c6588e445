"""The resume evaluator's scoring (parsing.evaluate) and the labelled resume set it runs on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from parsing.evaluate import (
    evaluate_dir,
    main,
    norm_org,
    norm_text,
    phones_equal,
    score_resume,
)
from parsing.result import EducationEntry, ParsedResume, ParseFailed, SkillHit, WorkEntry
from parsing.skills import normalize_skill

RESUMES = Path(__file__).resolve().parents[1] / "resumes"
TRUTH_DIRS = [RESUMES / "set", RESUMES / "holdout"]

TRUTH = {
    "file": "07-two-column.pdf",
    "layout": "two columns",
    "name": "Zoë Löwe",
    "email": "zoe.loewe@example.com",
    "phone": "+4915123456789",
    "location": "Berlin, Germany",
    "work": [
        {
            "title": "Senior Data Engineer",
            "company": "Northwind Traders",
            "start": "2019-03",
            "end": "",
            "current": True,
        },
        {
            "title": "Data Engineer",
            "company": "Bluefield Systems, Inc.",
            "start": "2016",
            "end": "2019",
            "current": False,
        },
    ],
    "education": [
        {
            "institution": "Technische Universität München",
            "degree": "MSc",
            "field": "Computer Science",
            "start": "2012",
            "end": "2014",
        }
    ],
    "skills": ["Python", "Apache Spark", "PostgreSQL"],
}


def perfect() -> ParsedResume:
    return ParsedResume(
        source="07-two-column.pdf",
        kind="pdf",
        name="Zoë Löwe",
        email="zoe.loewe@example.com",
        phone="+4915123456789",
        location="Berlin, Germany",
        work=[
            WorkEntry(title="Senior Data Engineer", company="Northwind Traders"),
            WorkEntry(title="Data Engineer", company="Bluefield Systems, Inc."),
        ],
        education=[EducationEntry(institution="Technische Universität München")],
        skills=[SkillHit(name=n, slug=n.lower()) for n in ("Python", "Apache Spark", "PostgreSQL")],
    )


def test_score_perfect_prediction_is_one():
    scores, misses = score_resume(TRUTH, perfect(), "x.pdf")
    assert misses == []
    for key, score in scores.items():
        assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0), key
    assert scores["name"].exact_pct == 100.0
    assert scores["work"].support == 2


def test_score_missing_work_entry_lowers_recall_only():
    parsed = perfect()
    parsed.work.pop()
    scores, misses = score_resume(TRUTH, parsed)
    assert scores["work"].precision == 1.0
    assert scores["work"].recall == 0.5
    assert [m.field for m in misses] == ["work"] and misses[0].got == ""


def test_score_extra_work_entry_lowers_precision_only():
    parsed = perfect()
    parsed.work.append(WorkEntry(title="Volunteer Tutor", company="Code Club"))
    scores, _ = score_resume(TRUTH, parsed)
    assert scores["work"].recall == 1.0
    assert scores["work"].precision == pytest.approx(2 / 3)


def test_score_work_needs_title_and_company_and_matches_one_to_one():
    parsed = perfect()
    parsed.work = [
        WorkEntry(title="Senior Data Engineer", company="Bluefield Systems"),  # wrong pairing
        WorkEntry(title="Senior Data Engineer", company="Northwind Traders"),
        WorkEntry(title="Senior Data Engineer", company="Northwind Traders"),  # duplicate
    ]
    scores, _ = score_resume(TRUTH, parsed)
    assert (scores["work"].tp, scores["work"].fp, scores["work"].fn) == (1, 2, 1)


def test_score_normalises_case_accents_punctuation_and_suffixes():
    parsed = perfect()
    parsed.name = "  ZOË   LÖWE "
    parsed.location = "berlin,germany"
    parsed.email = "mailto:Zoe.Loewe@Example.com"
    parsed.work = [
        WorkEntry(title="Senior Data Engineer", company="Northwind Traders"),
        WorkEntry(title="Data Engineer", company="Bluefield Systems"),  # "Inc." dropped
    ]
    parsed.education = [EducationEntry(institution="technische universität münchen")]
    parsed.skills = [SkillHit(name=n, slug="") for n in ("python", "APACHE SPARK", "PostgreSQL")]
    scores, misses = score_resume(TRUTH, parsed)
    assert misses == []
    assert all(score.f1 == 1.0 for score in scores.values())


def test_norm_helpers():
    assert norm_text("Jan\u2013Feb  O\u2019Neill") == norm_text("jan-feb o'neill")
    assert norm_org("Bramble & Co.") == norm_org("Bramble and Co")
    assert norm_org("The Open University") == norm_org("Open University")
    assert norm_org("Orbitline GmbH") == "orbitline"
    assert norm_org("University of California, Berkeley") == "university of california berkeley"
    # accents are not dropped: "Muller" is not "Müller"
    assert norm_text("Müller") != norm_text("Muller")


@pytest.mark.parametrize(
    ("written", "same"),
    [
        ("+1 512 555 0147", True),
        ("(512) 555-0147", True),
        ("512.555.0147", True),
        ("+15125550147", True),
        ("512-555-0148", False),
        ("", False),
    ],
)
def test_phones_equal_us(written, same):
    assert phones_equal("+15125550147", written) is same


def test_phones_equal_national_formats_use_the_truth_region():
    assert phones_equal("+447700900123", "07700 900123")
    assert phones_equal("+447700900123", "+44 (0)7700 900123")
    assert phones_equal("+4915123456789", "0151 2345 6789")
    assert not phones_equal("+4915123456789", "+4915123456780")


def test_score_wrong_scalar_is_a_false_positive_and_a_false_negative():
    parsed = perfect()
    parsed.phone = "+4915123456780"
    parsed.location = ""
    scores, misses = score_resume(TRUTH, parsed)
    assert (scores["phone"].tp, scores["phone"].fp, scores["phone"].fn) == (0, 1, 1)
    assert scores["phone"].exact_pct == 0.0
    assert (scores["location"].fp, scores["location"].fn) == (0, 1)
    assert {m.field for m in misses} == {"phone", "location"}


def test_score_field_absent_from_truth_counts_a_prediction_as_false_positive():
    truth = {**TRUTH, "phone": ""}
    scores, _ = score_resume(truth, perfect())
    assert (scores["phone"].fp, scores["phone"].files) == (1, 0)


def test_score_skills_extra_and_missing():
    parsed = perfect()
    parsed.skills = [SkillHit(name="Python", slug="python"), SkillHit(name="Go", slug="go")]
    scores, _ = score_resume(TRUTH, parsed)
    assert scores["skills"].precision == 0.5
    assert scores["skills"].recall == pytest.approx(1 / 3)


def test_evaluate_dir_counts_resume_errors_as_predicting_nothing(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("resume a")
    (tmp_path / "a.json").write_text(json.dumps(TRUTH))
    (tmp_path / "b.txt").write_text("resume b")
    (tmp_path / "b.json").write_text(json.dumps(TRUTH))
    (tmp_path / "unlabelled.txt").write_text("no truth")

    def fake_parse(data: bytes, name: str) -> ParsedResume:
        if name == "b.txt":
            raise ParseFailed("corrupt file")
        return perfect()

    result = evaluate_dir(tmp_path, fake_parse)
    assert result.files == 2
    assert result.failures == [("b.txt", "failed: corrupt file")]
    assert result.scores["work"].recall == 0.5
    assert result.scores["name"].exact_pct == 50.0

    assert main([str(tmp_path), "--errors"], parse=fake_parse) == 0
    out = capsys.readouterr().out
    assert re.search(r"name\s+1\.000\s+0\.500\s+0\.667\s+2\s+50\.0", out)
    assert "failed: b.txt: failed: corrupt file" in out
    assert "b.txt  work" in out

    assert main([str(tmp_path), "--json"], parse=fake_parse) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload[0]["fields"]["work"]["recall"] == 0.5


# ---------------------------------------------------------------- the labelled set

_ISO = re.compile(r"\d{4}(-(0[1-9]|1[0-2]))?")
_E164 = re.compile(r"\+[1-9]\d{6,14}")


def _truth_files() -> list[Path]:
    return sorted(path for directory in TRUTH_DIRS for path in directory.glob("*.json"))


def test_set_is_big_and_varied_enough():
    files = [p for p in (RESUMES / "set").iterdir() if p.suffix != ".json"]
    assert len(files) >= 40
    assert sum(p.suffix == ".docx" for p in files) >= 8
    assert sum(p.suffix == ".pdf" for p in files) >= 30
    assert len([p for p in (RESUMES / "holdout").iterdir() if p.suffix != ".json"]) >= 14


@pytest.mark.parametrize("directory", TRUTH_DIRS, ids=lambda p: p.name)
def test_every_resume_has_truth_and_every_truth_a_resume(directory):
    resumes = {p.stem for p in directory.iterdir() if p.suffix != ".json"}
    truths = {p.stem for p in directory.glob("*.json")}
    assert resumes == truths


@pytest.mark.parametrize("path", _truth_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_truth_file_is_well_formed(path):
    truth = json.loads(path.read_text(encoding="utf-8"))
    assert set(truth) == {
        "file",
        "layout",
        "name",
        "email",
        "phone",
        "location",
        "work",
        "education",
        "skills",
    }
    assert truth["file"] == path.with_suffix(Path(truth["file"]).suffix).name
    assert (path.parent / truth["file"]).exists()
    assert truth["name"] and truth["email"] and "@" in truth["email"]
    assert truth["phone"] == "" or _E164.fullmatch(truth["phone"])
    assert truth["location"] == "" or re.fullmatch(r"[^,]+, [^,]+", truth["location"])
    assert truth["work"], "every resume has at least one job"
    for job in truth["work"]:
        assert set(job) == {"title", "company", "start", "end", "current"}
        assert job["title"] and job["company"]
        assert _ISO.fullmatch(job["start"])
        assert (job["end"] == "") if job["current"] else _ISO.fullmatch(job["end"])
    for school in truth["education"]:
        assert set(school) == {"institution", "degree", "field", "start", "end"}
        assert school["institution"]
        assert school["start"] == "" or _ISO.fullmatch(school["start"])
        assert school["end"] == "" or _ISO.fullmatch(school["end"])
    assert truth["skills"] and len(set(truth["skills"])) == len(truth["skills"])
    for name in truth["skills"]:
        skill = normalize_skill(name)
        assert skill is not None and skill.name == name, name
