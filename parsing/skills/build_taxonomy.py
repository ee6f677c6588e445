"""Build ``taxonomy.tsv`` from the O*NET technology skills file and the curated table.

    python -m parsing.skills.build_taxonomy parsing/skills/onet [--out-dir DIR]

Reads ``technology_skills.tsv`` (plus ``occupation_data.tsv`` and ``alternate_titles.tsv``,
only to learn which words O*NET uses as ordinary lowercase English) and writes, sorted by
slug, deterministically (the same input gives the same bytes):

* ``taxonomy.tsv``: slug, name, category, hot, occupations, aliases (pipe-separated);
* ``dropped_aliases.tsv``: the derived aliases left out, with the skills involved: "ambiguous"
  (two skills derive it) or "shadowed" (already another skill's name or curated alias).

One skill per O*NET example (case, spacing and punctuation aside), except that the curated
entries (``curated.CURATED``) absorb the examples their aliases name and add what O*NET
lacks. O*NET names also get derived aliases: a trailing " software" dropped, a trailing or
parenthesised acronym and its expansion ("Structured query language SQL" -> "SQL"), a
vendor prefix dropped ("Adobe Photoshop" -> "Photoshop"). A derived alias never overrides a
name or curated alias, and one that two skills derive is dropped from both.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from parsing.skills._text import skill_key, slugify
from parsing.skills.curated import CURATED, EXTRA_COMMON_WORDS, VENDOR_PREFIXES

PACKAGE_DIR = Path(__file__).resolve().parent
TAXONOMY_FILE = "taxonomy.tsv"
DROPPED_FILE = "dropped_aliases.tsv"
HEADER = ("slug", "name", "category", "hot", "occupations", "aliases")

_ACRONYM = re.compile(r"[A-Z][A-Za-z0-9&/.-]{1,9}")
_PARENTHESISED = re.compile(r"(.+?)\s*\(([^()]+)\)")
_FEATURE = re.compile(r"(.+?)\s*\(([^()]*\bfeature)\)", re.IGNORECASE)
_ROMAN = re.compile(r"[IVX]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
# An acronym's expansion never ends on one of these ("Digital ... DATAS for SAS" is not SAS).
_STOP = frozenset(
    {"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"}
)


@dataclass
class _Skill:
    name: str
    category: str | None = None
    explicit: list[str] = field(default_factory=list)  # curated aliases, then O*NET names
    onet_names: Counter[str] = field(default_factory=Counter)
    socs: set[str] = field(default_factory=set)
    categories: Counter[str] = field(default_factory=Counter)
    hot: bool = False
    derived: list[str] = field(default_factory=list)


def _read_tsv(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def _common_words(onet_dir: Path) -> frozenset[str]:
    """Words O*NET writes in lowercase somewhere: ordinary English, not product names."""
    words = set(EXTRA_COMMON_WORDS)
    sources = {
        "technology_skills.tsv": ("Example", "Commodity Title"),
        "occupation_data.tsv": ("Title", "Description"),
        "alternate_titles.tsv": ("Alternate Title", "Short Title"),
    }
    for filename, columns in sources.items():
        for row in _read_tsv(onet_dir / filename):
            for column in columns:
                words.update(w for w in _WORD.findall(row[column]) if w.islower())
    return frozenset(words)


def _is_acronym(token: str) -> bool:
    return (
        bool(_ACRONYM.fullmatch(token))
        and sum(c.isupper() for c in token) >= 2
        and token == token.upper()
        and not _ROMAN.fullmatch(token)
    )


def _is_subsequence(letters: str, text: str) -> bool:
    position = 0
    for letter in letters:
        position = text.find(letter, position) + 1
        if not position:
            return False
    return True


def _acronym_start(acronym: str, words: list[str]) -> int | None:
    """Index of the first word the acronym abbreviates (the shortest tail of ``words``)."""
    letters = "".join(c for c in acronym.lower() if c.isalpha())
    if not words or words[-1].lower() in _STOP:
        return None
    for start in range(len(words) - 1, -1, -1):
        tail = words[start:]
        if any(_is_acronym(w) for w in tail):
            return None
        if (
            tail[0][0].lower() == letters[0]
            and letters[-1] in tail[-1].lower()
            and _is_subsequence(letters, "".join(tail).lower())
        ):
            return start
    return None


def _marked(token: str) -> bool:
    """A token only a product name has: "InDesign", "iOS", "SAP", "Civil 3D", "HP-UX"."""
    return any(c.isupper() for c in token[1:]) or any(c.isdigit() for c in token)


def _distinctive(text: str, common: frozenset[str]) -> bool:
    """Whether a shortened name still names one product rather than everyday words.

    O*NET's own lowercase vocabulary cannot tell "Photoshop" from "Audition" or "Latitude",
    so a single plain word never qualifies (the curated table names the ones that matter);
    a phrase qualifies when it is title case and not made only of everyday words.
    """
    tokens = text.split()
    if not tokens or not tokens[0][0].isalpha() or len(skill_key(text)) < 2:
        return False
    if len(tokens) > 1 and any(_marked(t) for t in tokens):
        return True
    if len(tokens) == 1:
        return _marked(tokens[0]) and tokens[0].lower() not in common
    if not all(t[0].isupper() or t[0].isdigit() for t in tokens):
        return False
    return any(t.lower() not in common for t in tokens)


def _derive_aliases(name: str, common: frozenset[str]) -> list[str]:
    aliases: list[str] = []
    base = name
    match = _PARENTHESISED.fullmatch(base)
    if match:
        base, inner = match[1].strip(), match[2].strip()
        aliases.append(base)
        if _is_acronym(inner) and inner.lower() not in common:
            aliases.append(inner)
    if base.lower().endswith(" software"):
        base = base[: -len(" software")].strip()
        if _distinctive(base, common):
            aliases.append(base)
    words = base.split()
    expansion_start = None
    if len(words) >= 2 and _is_acronym(words[-1]):
        expansion_start = _acronym_start(words[-1], words[:-1])
    if expansion_start is not None:
        if words[-1].lower() not in common:  # not "AIR", "FAST", "MAGIC"
            aliases.append(words[-1])
        if len(words) >= 3:
            aliases.append(" ".join(words[:-1]))
    # Drop a vendor prefix, unless the vendor is part of an acronym's expansion
    # ("Amazon Web Services AWS": "Web Services AWS" would be nonsense).
    if expansion_start != 0:
        forms = [base]
        if expansion_start is not None and len(words) >= 3:
            forms.append(" ".join(words[:-1]))
        for form in forms:
            for vendor in VENDOR_PREFIXES:
                if form.startswith(vendor + " "):
                    rest = form[len(vendor) + 1 :].strip()
                    if _distinctive(rest, common):
                        aliases.append(rest)
                    break
    return [a for a in aliases if skill_key(a) and skill_key(a) != skill_key(name)]


def _canonical(example: str, known: set[str]) -> str:
    """The name an O*NET example is grouped under.

    "ESRI ArcGIS (analytical or scientific feature)" and "ESRI ArcGIS software" both belong
    to "ESRI ArcGIS" when that is itself an example.
    """
    match = _FEATURE.fullmatch(example)
    if match:
        example = match[1].strip()
    if example.lower().endswith(" software"):
        base = example[: -len(" software")].strip()
        if skill_key(base) in known:
            return base
    return example


def _commonest(counter: Counter[str]) -> str:
    return min(counter.items(), key=lambda item: (-item[1], item[0]))[0]


def build(onet_dir: Path) -> tuple[str, str, dict[str, int]]:
    """Return (taxonomy.tsv text, dropped_aliases.tsv text, stats)."""
    skills: list[_Skill] = []
    owner: dict[str, int] = {}  # key of a name or explicit alias -> skill index
    for entry in CURATED:
        index = len(skills)
        skills.append(_Skill(entry.name, entry.category, list(entry.aliases)))
        for text in (entry.name, *entry.aliases):
            key = skill_key(text)
            if not key or "|" in text or "\t" in text:
                raise ValueError(f"curated alias {text!r} is empty or has a separator")
            if owner.get(key, index) != index:
                raise ValueError(f"curated alias {text!r} also names {skills[owner[key]].name!r}")
            owner[key] = index

    rows = list(_read_tsv(onet_dir / "technology_skills.tsv"))
    known = {skill_key(row["Example"]) for row in rows}
    canonical_names: dict[int, Counter[str]] = defaultdict(Counter)
    for row in rows:
        example = " ".join(row["Example"].split())
        canonical = _canonical(example, known)
        key = skill_key(canonical)
        if not key:
            continue
        if key not in owner:
            owner[key] = len(skills)
            skills.append(_Skill(canonical))
        canonical_names[owner[key]][canonical] += 1
        skill = skills[owner[key]]
        skill.onet_names[example] += 1
        skill.socs.add(row["O*NET-SOC Code"].strip())
        skill.categories[row["Commodity Title"].strip()] += 1
        skill.hot |= row["Hot Technology"].strip().upper() == "Y"

    common = _common_words(onet_dir)
    for index, skill in enumerate(skills):
        onet_names = sorted(skill.onet_names, key=lambda n: (-skill.onet_names[n], n))
        if skill.category is None and not onet_names:
            raise ValueError(
                f"curated skill {skill.name!r} matches no O*NET example and has no category"
            )
        if not skill.explicit and onet_names:  # an O*NET skill: the commonest spelling is the name
            skill.name = _commonest(canonical_names[index])
        skill.explicit += onet_names
        for onet_name in onet_names:
            skill.derived += _derive_aliases(onet_name, common)

    # Derived aliases: never over an explicit one, never shared by two skills.
    claims: dict[str, set[int]] = defaultdict(set)
    surfaces: dict[str, set[str]] = defaultdict(set)
    shadowed: dict[str, set[int]] = defaultdict(set)
    for index, skill in enumerate(skills):
        for alias in skill.derived:
            key = skill_key(alias)
            surfaces[key].add(alias)
            if owner.get(key, index) != index:
                shadowed[key].add(index)
            elif key not in owner:
                claims[key].add(index)
    ambiguous = {key for key, indexes in claims.items() if len(indexes) > 1}

    slugs: dict[str, int] = {}
    records = []
    for index in sorted(
        range(len(skills)), key=lambda i: (slugify(skills[i].name), skills[i].name)
    ):
        skill = skills[index]
        slug = base_slug = slugify(skill.name)
        counter = 2
        while slug in slugs:
            slug, counter = f"{base_slug}-{counter}", counter + 1
        slugs[slug] = index
        seen = {skill.name.casefold()}
        aliases = []
        for alias in skill.explicit + skill.derived:
            key = skill_key(alias)
            if alias.casefold() in seen or key in ambiguous or owner.get(key, index) != index:
                continue
            seen.add(alias.casefold())
            aliases.append(alias)
        category = skill.category or _commonest(skill.categories)
        hot = "Y" if skill.hot else "N"
        records.append((slug, skill.name, category, hot, str(len(skill.socs)), "|".join(aliases)))

    slug_of = {index: slug for slug, index in slugs.items()}
    dropped = [("alias", "reason", "skills")]
    for key in sorted(ambiguous):
        names = sorted(slug_of[i] for i in claims[key])
        dropped.append((min(surfaces[key]), "ambiguous", ",".join(names)))
    for key in sorted(set(shadowed) - ambiguous):
        names = [slug_of[owner[key]], *sorted(slug_of[i] for i in shadowed[key])]
        dropped.append((min(surfaces[key]), "shadowed", ",".join(names)))

    taxonomy = "".join("\t".join(r) + "\n" for r in [HEADER, *records])
    dropped_text = "".join("\t".join(r) + "\n" for r in dropped)
    stats = {
        "skills": len(records),
        "aliases": sum(len(r[5].split("|")) for r in records if r[5]),
        "curated": len(CURATED),
        "onet_examples": sum(len(s.onet_names) for s in skills),
        "ambiguous": len(ambiguous),
        "shadowed": len(set(shadowed) - ambiguous),
    }
    return taxonomy, dropped_text, stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("onet_dir", type=Path, help="folder holding O*NET's technology_skills.tsv")
    parser.add_argument(
        "--out-dir", type=Path, default=PACKAGE_DIR, help="where to write (default: this package)"
    )
    args = parser.parse_args(argv)
    taxonomy, dropped, stats = build(args.onet_dir)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / TAXONOMY_FILE).write_bytes(taxonomy.encode("utf-8"))
    (args.out_dir / DROPPED_FILE).write_bytes(dropped.encode("utf-8"))
    print(" ".join(f"{k}={v}" for k, v in stats.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
