"""The skills taxonomy: lookups, the shipped TSV's invariants, and that the build reproduces it."""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from pathlib import Path

import pytest

from parsing.skills import (
    Skill,
    all_skills,
    build_taxonomy,
    get_skill,
    normalize_skill,
    normalize_skills,
    phrase_patterns,
    skill_key,
    suggest,
)

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "parsing" / "skills"
# CI checks ../shared out beside the repository; the build needs it, the runtime does not.
ONET_DIR = REPO / "parsing" / "skills" / "onet"  # the O*NET 29.2 source, shipped (CC BY 4.0)
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _rows() -> list[dict[str, str]]:
    lines = (PACKAGE / "taxonomy.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("aws", "amazon-web-services"),
        (" Amazon Web Services ", "amazon-web-services"),
        ("AMAZON WEB SERVICES AWS SOFTWARE", "amazon-web-services"),
        ("Amazon AWS", "amazon-web-services"),
        ("k8s", "kubernetes"),
        ("Kubernetes", "kubernetes"),
        ("JS", "javascript"),
        ("ECMAScript", "javascript"),
        ("ts", "typescript"),
        ("Postgres", "postgresql"),
        ("psql", "postgresql"),
        ("GCP", "google-cloud-platform"),
        ("Google Cloud", "google-cloud-platform"),
        ("azure", "microsoft-azure"),
        ("C sharp", "c-sharp"),
        ("csharp", "c-sharp"),
        ("cpp", "c-plus-plus"),
        ("Golang", "go"),
        ("go", "go"),
        ("GO", "go"),
        ("node", "node-js"),
        ("NodeJS", "node-js"),
        ("node.js", "node-js"),
        ("React.js", "react"),
        ("reactjs", "react"),
        ("Vue", "vue-js"),
        ("ML", "machine-learning"),
        ("NLP", "natural-language-processing"),
        ("CI/CD", "continuous-integration"),
        ("Excel", "microsoft-excel"),
        ("MS Excel", "microsoft-excel"),
        ("Microsoft Excel", "microsoft-excel"),
        ("SFDC", "salesforce"),
        ("Salesforce software", "salesforce"),
        ("Oracle Java", "java"),
        ("Structured query language SQL", "sql"),
        ("sql", "sql"),
        (".NET", "dot-net"),
        ("dotnet", "dot-net"),
        ("ASP.NET", "asp-net"),
        ("Atlassian JIRA", "jira"),
        ("git", "git"),
        ("Photoshop", "adobe-photoshop"),
        ("project management", "project-management"),
        ("Scrum", "scrum"),
        ("stakeholder management", "stakeholder-management"),
        ("Talent acquisition", "recruiting"),
        ("candidate sourcing", "sourcing"),
        ("negotiation", "negotiation"),
        ("data analysis", "data-analysis"),
        ("ATS", "applicant-tracking-systems"),
        # Derived from O*NET names, not curated.
        ("Hypertext markup language", "html"),
        ("AutoCAD Civil 3D", "autodesk-autocad-civil-3d"),
    ],
)
def test_names_and_aliases_resolve(text, slug):
    skill = normalize_skill(text)
    assert skill is not None, text
    assert skill.slug == slug


def test_case_spacing_and_punctuation_do_not_matter():
    variants = [
        "aws",
        " Amazon Web Services ",
        "AMAZON WEB SERVICES AWS SOFTWARE",
        "amazon-web-services",
    ]
    assert len({normalize_skill(v) for v in variants}) == 1


def test_c_family_stays_apart():
    c, c_sharp, c_plus_plus = normalize_skill("C"), normalize_skill("C#"), normalize_skill("c++")
    assert (c.slug, c_sharp.slug, c_plus_plus.slug) == ("c", "c-sharp", "c-plus-plus")
    assert (c.name, c_sharp.name, c_plus_plus.name) == ("C", "C#", "C++")
    assert normalize_skill("c #") == c_sharp
    assert normalize_skill("C ++") == c_plus_plus
    assert normalize_skill("F#").slug == "f-sharp"
    assert skill_key("C#") != skill_key("C") != skill_key("C++")


def test_java_is_not_javascript():
    java, javascript = normalize_skill("java"), normalize_skill("javascript")
    assert java.slug == "java" and javascript.slug == "javascript"
    assert normalize_skill("Sun Microsystems Java") == java
    assert normalize_skill("Java Script") == javascript
    assert normalize_skill("JavaScript Object Notation JSON").slug == "json"


def test_r_is_the_language_and_swallows_nothing_else():
    r = normalize_skill("R")
    assert r is not None and r.slug == "r" and r.name == "R"
    assert normalize_skill("r programming") == r
    assert all(len(skill_key(alias)) > 1 for alias in r.aliases)
    for other in ("R&D", "Ruby", "RStudio", "R2", "Rust", "REST"):
        assert normalize_skill(other) != r, other


@pytest.mark.parametrize(
    "text", ["", "   ", "!!!", "definitely not a skill", "xyzzy-framework-9000"]
)
def test_unknown_text_is_none(text):
    assert normalize_skill(text) is None


def test_everyday_words_are_not_aliases():
    # "Microsoft Word" and "Microsoft Project" are skills; "word" and "project" are not.
    assert normalize_skill("Microsoft Word").slug == "microsoft-word"
    for word in ("Word", "Project", "Access", "Teams"):
        assert normalize_skill(word) is None, word


def test_no_alias_names_two_skills():
    owners: dict[str, set[str]] = defaultdict(set)
    for row in _rows():
        surfaces = [row["name"], *filter(None, row["aliases"].split("|"))]
        for surface in surfaces:
            assert surface == surface.strip() and skill_key(surface), (row["slug"], surface)
            owners[skill_key(surface)].add(row["slug"])
    collisions = {key: slugs for key, slugs in owners.items() if len(slugs) > 1}
    assert not collisions


def test_slugs_are_unique_and_url_safe():
    slugs = [row["slug"] for row in _rows()]
    assert len(slugs) == len(set(slugs))
    assert all(SLUG.fullmatch(slug) for slug in slugs)
    assert slugs == sorted(slugs)


def test_the_taxonomy_is_large_and_well_formed():
    skills = all_skills()
    assert len(skills) > 5000
    assert len({s.slug for s in skills}) == len(skills)
    assert all(s.category and s.name for s in skills)
    assert sum(s.hot for s in skills) > 100
    aws = get_skill("amazon-web-services")
    assert aws.name == "Amazon Web Services" and aws.hot and aws.occupations > 0
    assert {"AWS", "Amazon Web Services AWS software"} <= set(aws.aliases)
    assert get_skill("negotiation").category == "Professional skills"
    assert get_skill("no-such-skill") is None


def test_skill_is_a_frozen_value():
    skill = normalize_skill("python")
    assert isinstance(skill, Skill)
    with pytest.raises(dataclasses.FrozenInstanceError):
        skill.name = "Snake"  # type: ignore[misc]
    assert normalize_skill("Python") is skill
    assert isinstance(skill.aliases, tuple)


def test_suggest_puts_exact_then_hot_and_common_first():
    names = [s.name for s in suggest("java")]
    assert names[0] == "Java"
    assert "JavaScript" in names[:3]
    assert suggest("go")[0].slug == "go"
    assert suggest("K8")[0].slug == "kubernetes"  # alias prefix

    results = suggest("data", limit=50)
    assert 10 < len(results) <= 50
    ranks = [(not s.hot, -s.occupations) for s in results if s is not normalize_skill("data")]
    assert ranks == sorted(ranks)
    assert all(any(skill_key(t).startswith("data") for t in (s.name, *s.aliases)) for s in results)


def test_suggest_limits_and_empty_prefix():
    assert len(suggest("a", limit=3)) == 3
    assert suggest("") == []
    assert suggest("  ") == []
    assert suggest("java", limit=0) == []
    assert suggest("qqqqzzzz") == []


def test_normalize_skills_dedups_in_input_order():
    recognized, unrecognized = normalize_skills(
        [
            "k8s",
            " AWS ",
            "Kubernetes",
            "python",
            "Widget Wrangling",
            "amazon web services",
            "",
            "widget  wrangling",
            "  ",
            "Foo",
        ]
    )
    assert [s.slug for s in recognized] == ["kubernetes", "amazon-web-services", "python"]
    assert unrecognized == ["Widget Wrangling", "Foo"]


def test_phrase_patterns_cover_every_name_and_alias():
    patterns = phrase_patterns()
    skills = all_skills()
    assert len(patterns) == sum(1 + len(s.aliases) for s in skills)
    assert ("Kubernetes", "kubernetes") in patterns
    assert ("k8s", "kubernetes") in patterns
    assert ("C#", "c-sharp") in patterns
    slugs = {s.slug for s in skills}
    assert all(text and slug in slugs for text, slug in patterns)


def test_the_package_is_self_contained():
    # Runtime reads only files shipped in the package; nothing from ../shared or the network.
    assert (PACKAGE / "taxonomy.tsv").stat().st_size < 1_500_000
    assert (PACKAGE / "ATTRIBUTION.md").read_text(encoding="utf-8").count("CC BY 4.0") >= 1


@pytest.fixture
def onet_dir() -> Path:
    if not (ONET_DIR / "technology_skills.tsv").is_file():
        pytest.skip(f"O*NET source data not found at {ONET_DIR} (../shared beside the repository)")
    return ONET_DIR


def test_build_reproduces_the_committed_files(onet_dir, tmp_path):
    assert build_taxonomy.main([str(onet_dir), "--out-dir", str(tmp_path)]) == 0
    for name in (build_taxonomy.TAXONOMY_FILE, build_taxonomy.DROPPED_FILE):
        assert (tmp_path / name).read_bytes() == (PACKAGE / name).read_bytes(), (
            f"{name} is stale: run python -m parsing.skills.build_taxonomy {onet_dir}"
        )


def test_every_onet_example_resolves(onet_dir):
    lines = (onet_dir / "technology_skills.tsv").read_text(encoding="utf-8").splitlines()
    column = lines[0].split("\t").index("Example")
    examples = {line.split("\t")[column] for line in lines[1:]}
    assert len(examples) > 8000
    unresolved = sorted(e for e in examples if normalize_skill(e) is None)
    assert not unresolved
