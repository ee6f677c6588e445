"""The skills taxonomy: normalize the skills recruiters type or import to one canonical skill.

Data: ``taxonomy.tsv`` beside this file, built from O*NET 29.2 (CC BY 4.0, see ATTRIBUTION.md)
by ``python -m parsing.skills.build_taxonomy``. It is read once, on first use, and kept in
module globals. Lookups ignore case, spacing and punctuation ("aws", " Amazon Web Services ",
"AMAZON WEB SERVICES AWS SOFTWARE" are one skill) but keep the symbols that tell languages
apart ("C", "C#", "C++" are three skills).

    >>> normalize_skill("k8s").name
    'Kubernetes'
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from parsing.skills._text import skill_key, slugify

__all__ = [
    "Skill",
    "all_skills",
    "get_skill",
    "normalize_skill",
    "normalize_skills",
    "phrase_patterns",
    "skill_key",
    "slugify",
    "suggest",
]

TAXONOMY_FILE = "taxonomy.tsv"


@dataclass(frozen=True)
class Skill:
    slug: str
    name: str
    category: str
    hot: bool
    aliases: tuple[str, ...]
    # How many O*NET occupations list the skill (0 for skills O*NET lacks); ranks suggestions.
    occupations: int = 0


@dataclass(frozen=True)
class _Index:
    skills: tuple[Skill, ...]  # sorted by slug, as in the file
    by_slug: dict[str, Skill]
    by_key: dict[str, Skill]  # skill_key(name or alias) -> skill
    prefix_keys: list[str]  # sorted keys, for prefix search
    prefix_skills: list[Skill]  # the skill of prefix_keys[i]


_index: _Index | None = None
_lock = threading.Lock()


def _load() -> _Index:
    text = resources.files(__name__).joinpath(TAXONOMY_FILE).read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or lines[0].split("\t") != [
        "slug",
        "name",
        "category",
        "hot",
        "occupations",
        "aliases",
    ]:
        raise ValueError(f"{TAXONOMY_FILE}: unexpected header")
    skills = []
    by_key: dict[str, Skill] = {}
    for line in lines[1:]:
        slug, name, category, hot, occupations, aliases = line.split("\t")
        skill = Skill(
            slug=slug,
            name=name,
            category=category,
            hot=hot == "Y",
            aliases=tuple(aliases.split("|")) if aliases else (),
            occupations=int(occupations),
        )
        skills.append(skill)
        for surface in (name, *skill.aliases):
            # The build guarantees one skill per key; keep the first if a hand edit broke that.
            by_key.setdefault(skill_key(surface), skill)
    by_key.pop("", None)
    ordered = sorted(by_key.items())
    return _Index(
        skills=tuple(skills),
        by_slug={skill.slug: skill for skill in skills},
        by_key=by_key,
        prefix_keys=[key for key, _ in ordered],
        prefix_skills=[skill for _, skill in ordered],
    )


def _get_index() -> _Index:
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = _load()
    return _index


def normalize_skill(text: str) -> Skill | None:
    """The skill ``text`` names (its name or any alias, in any case or spacing), else None."""
    key = skill_key(text) if isinstance(text, str) else ""
    return _get_index().by_key.get(key) if key else None


def normalize_skills(texts: Iterable[str]) -> tuple[list[Skill], list[str]]:
    """(recognized skills, unrecognized stripped texts), each deduplicated, in input order."""
    recognized: list[Skill] = []
    unrecognized: list[str] = []
    seen_slugs: set[str] = set()
    seen_unknown: set[str] = set()
    for text in texts:
        stripped = " ".join(text.split()) if isinstance(text, str) else ""
        if not stripped:
            continue
        skill = normalize_skill(stripped)
        if skill is not None:
            if skill.slug not in seen_slugs:
                seen_slugs.add(skill.slug)
                recognized.append(skill)
            continue
        marker = skill_key(stripped) or stripped.casefold()
        if marker not in seen_unknown:
            seen_unknown.add(marker)
            unrecognized.append(stripped)
    return recognized, unrecognized


def get_skill(slug: str) -> Skill | None:
    return _get_index().by_slug.get(slug)


def all_skills() -> list[Skill]:
    """Every skill, sorted by slug."""
    return list(_get_index().skills)


def suggest(prefix: str, limit: int = 10) -> list[Skill]:
    """Autocomplete: skills whose name or an alias starts with ``prefix``.

    An exact match comes first, then hot technologies, then the skills most occupations list.
    """
    key = skill_key(prefix) if isinstance(prefix, str) else ""
    if not key or limit <= 0:
        return []
    index = _get_index()
    start = bisect.bisect_left(index.prefix_keys, key)
    matches: dict[str, Skill] = {}
    for position in range(start, len(index.prefix_keys)):
        if not index.prefix_keys[position].startswith(key):
            break
        skill = index.prefix_skills[position]
        matches.setdefault(skill.slug, skill)
    exact = index.by_key.get(key)
    ranked = sorted(
        matches.values(),
        key=lambda s: (s is not exact, not s.hot, -s.occupations, len(s.name), s.name.casefold()),
    )
    return ranked[:limit]


def phrase_patterns() -> list[tuple[str, str]]:
    """(surface text, slug) for every name and alias, e.g. to feed a spaCy PhraseMatcher."""
    return [
        (surface, skill.slug)
        for skill in _get_index().skills
        for surface in (skill.name, *skill.aliases)
    ]
