"""Score the parser against labelled resumes: precision, recall and F1 per field.

    python -m parsing.evaluate DIR [DIR...] [--errors] [--json]

Every file in DIR with a ``<stem>.json`` truth file beside it is parsed in this process with
:func:`parsing.parse_resume`; one table per directory is printed. The truth format is described
in tests/resumes/README.md. Exit status is 0 whatever the scores: this reports, the targets are
checked elsewhere.

How fields are compared (the scoring functions take a truth dict and a :class:`ParsedResume`,
so they can be tested on their own):

* name, location: Unicode NFKC, case, spacing, dashes and quotes, and punctuation other than
  ``& + #`` are ignored.
* email: case and a ``mailto:`` prefix are ignored.
* phone: equal when both parse (``phonenumbers``, in the truth number's region) to the same
  E.164 number, so "(512) 555-0147" matches "+15125550147".
* work: an entry matches when title and company both match (normalised as above, "&" = "and",
  legal suffixes such as "Inc.", "LLC", "GmbH" dropped); entries are matched one to one.
* education: the same, on the institution.
* skills: canonical taxonomy names, ignoring case.

A scalar that is wrong counts once as a false positive and once as a false negative. A file
whose parse raises :class:`parsing.ResumeError` predicts nothing and is listed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import phonenumbers

import parsing
from parsing.result import ParsedResume, ResumeError

__all__ = [
    "CONTACT_FIELDS",
    "FIELDS",
    "FieldScore",
    "Miss",
    "evaluate_dir",
    "main",
    "norm_org",
    "norm_text",
    "phones_equal",
    "score_resume",
]

FIELDS = ("name", "email", "phone", "location", "work", "education", "skills")
CONTACT_FIELDS = ("name", "email", "phone", "location")

Parse = Callable[[bytes, str], ParsedResume]


# ---------------------------------------------------------------- normalisation

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u02bc`\u00b4"), "'")
_PUNCT = re.compile(r"[^\w\s&+#]")
_LEGAL = re.compile(
    r"(?:\s+(?:inc|incorporated|llc|llp|ltd|limited|plc|gmbh|ag|sa|s\s?a|sas|bv|nv|corp|corporation|co|pvt|pty)\b)+$"
)


def norm_text(value: str | None) -> str:
    """Compare form of a name, title or place: NFKC, casefold, no punctuation, single spaces."""
    text = unicodedata.normalize("NFKC", value or "").translate(_DASHES).translate(_QUOTES)
    text = text.casefold().replace("'", "")
    text = _PUNCT.sub(" ", text)
    return " ".join(text.split())


def norm_org(value: str | None) -> str:
    """Compare form of a company or institution: as :func:`norm_text`, "&" = "and", legal
    suffixes dropped, a leading "the" dropped."""
    text = norm_text((value or "").replace("&", " and "))
    text = _LEGAL.sub("", text)
    text = re.sub(r"^the\s+", "", text)
    return text.strip()


def norm_email(value: str | None) -> str:
    text = (value or "").strip().lower()
    return text.removeprefix("mailto:")


def phones_equal(expected: str, got: str) -> bool:
    """True when ``got`` (as written or E.164) is the same number as ``expected`` (E.164)."""
    if not expected or not got:
        return False
    try:
        truth = phonenumbers.parse(expected, None)
        region = phonenumbers.region_code_for_number(truth) or None
        if region is None or region == "ZZ":
            region = phonenumbers.region_code_for_country_code(truth.country_code)
        other = phonenumbers.parse(got, region)
    except phonenumbers.NumberParseException:
        return re.sub(r"\D", "", expected) == re.sub(r"\D", "", got)
    fmt = phonenumbers.PhoneNumberFormat.E164
    return phonenumbers.format_number(truth, fmt) == phonenumbers.format_number(other, fmt)


# ---------------------------------------------------------------- scores


@dataclass
class FieldScore:
    """Counts for one field over some files. ``files``/``exact`` are for contact fields:
    files whose truth has the field, and how many of those were predicted exactly."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    files: int = 0
    exact: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def exact_pct(self) -> float:
        return 100.0 * self.exact / self.files if self.files else 100.0

    def add(self, other: FieldScore) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.files += other.files
        self.exact += other.exact

    def as_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.support,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "files": self.files,
            "exact_pct": round(self.exact_pct, 2),
        }


@dataclass
class Miss:
    file: str
    field: str
    expected: str
    got: str


def _scalar(expected: str, got: str, same: bool) -> FieldScore:
    score = FieldScore(files=1 if expected else 0)
    if expected and got and same:
        score.tp, score.exact = 1, 1
    else:
        score.fn = 1 if expected else 0
        score.fp = 1 if got else 0
    return score


def score_contact(truth: dict[str, Any], parsed: ParsedResume | None) -> dict[str, FieldScore]:
    """name, email, phone, location for one file."""
    got = {key: (getattr(parsed, key, "") or "") if parsed else "" for key in CONTACT_FIELDS}
    expected = {key: truth.get(key) or "" for key in CONTACT_FIELDS}
    same = {
        "name": norm_text(expected["name"]) == norm_text(got["name"]),
        "email": norm_email(expected["email"]) == norm_email(got["email"]),
        "phone": phones_equal(expected["phone"], got["phone"]),
        "location": norm_text(expected["location"]) == norm_text(got["location"]),
    }
    return {key: _scalar(expected[key], got[key], same[key]) for key in CONTACT_FIELDS}


def _match(
    expected: Iterable[tuple[str, str]], got: Iterable[tuple[str, str]]
) -> tuple[FieldScore, list[str], list[str]]:
    """One-to-one matching on normalised keys of (key, as written) pairs: (score, missing, extra),
    the last two as written."""
    expected, got = list(expected), list(got)
    want, have = Counter(k for k, _ in expected), Counter(k for k, _ in got)
    common = want & have
    tp = sum(common.values())

    def leftovers(items: list[tuple[str, str]], matched: Counter) -> list[str]:
        left = Counter(matched)
        out = []
        for key, shown in items:
            if left[key] > 0:
                left[key] -= 1
            else:
                out.append(shown)
        return out

    score = FieldScore(tp=tp, fp=sum(have.values()) - tp, fn=sum(want.values()) - tp)
    return score, leftovers(expected, common), leftovers(got, common)


def work_key(title: str, company: str) -> str:
    return f"{norm_text(title)} @ {norm_org(company)}"


def _work(title: str, company: str) -> tuple[str, str]:
    return work_key(title, company), f"{title} @ {company}"


def score_work(
    truth: dict[str, Any], parsed: ParsedResume | None
) -> tuple[FieldScore, list[str], list[str]]:
    expected = [_work(e.get("title", ""), e.get("company", "")) for e in truth.get("work", [])]
    got = [_work(e.title, e.company) for e in (parsed.work if parsed else [])]
    return _match(expected, got)


def score_education(
    truth: dict[str, Any], parsed: ParsedResume | None
) -> tuple[FieldScore, list[str], list[str]]:
    expected = [
        (norm_org(e["institution"]), e["institution"])
        for e in truth.get("education", [])
        if e.get("institution")
    ]
    got = [
        (norm_org(e.institution), e.institution)
        for e in (parsed.education if parsed else [])
        if e.institution
    ]
    return _match(expected, got)


def score_skills(
    truth: dict[str, Any], parsed: ParsedResume | None
) -> tuple[FieldScore, list[str], list[str]]:
    expected = {name.casefold(): name for name in truth.get("skills", [])}
    got = {hit.name.casefold(): hit.name for hit in (parsed.skills if parsed else [])}
    return _match(sorted(expected.items()), sorted(got.items()))


def score_resume(
    truth: dict[str, Any], parsed: ParsedResume | None, file: str = ""
) -> tuple[dict[str, FieldScore], list[Miss]]:
    """Scores per field for one file, and the misses (for ``--errors``). ``parsed`` None means
    the parser gave nothing."""
    scores = score_contact(truth, parsed)
    misses = []
    for key in CONTACT_FIELDS:
        score = scores[key]
        if score.fn or score.fp:
            misses.append(
                Miss(
                    file,
                    key,
                    truth.get(key) or "",
                    (getattr(parsed, key, "") or "") if parsed else "",
                )
            )
    for key, scorer in (
        ("work", score_work),
        ("education", score_education),
        ("skills", score_skills),
    ):
        score, missing, extra = scorer(truth, parsed)
        scores[key] = score
        misses += [Miss(file, key, item, "") for item in missing]
        misses += [Miss(file, key, "", item) for item in extra]
    return scores, misses


# ---------------------------------------------------------------- directories


@dataclass
class DirResult:
    path: str
    files: int = 0
    seconds: float = 0.0
    scores: dict[str, FieldScore] = field(
        default_factory=lambda: {key: FieldScore() for key in FIELDS}
    )
    misses: list[Miss] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (file, "code: message")

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "files": self.files,
            "seconds": round(self.seconds, 3),
            "fields": {key: score.as_dict() for key, score in self.scores.items()},
            "failures": [{"file": f, "error": e} for f, e in self.failures],
            "misses": [m.__dict__ for m in self.misses],
        }


def labelled_files(directory: Path) -> list[tuple[Path, Path]]:
    """(resume, truth) pairs: every non-JSON file with ``<stem>.json`` beside it."""
    pairs = []
    for path in sorted(directory.iterdir()):
        if path.is_file() and path.suffix != ".json" and not path.name.startswith("."):
            truth = path.with_suffix(".json")
            if truth.exists():
                pairs.append((path, truth))
    return pairs


def _default_parse() -> Parse:
    return parsing.parse_resume


def evaluate_dir(directory: Path | str, parse: Parse | None = None) -> DirResult:
    directory = Path(directory)
    parse = parse or _default_parse()
    result = DirResult(path=str(directory))
    started = time.perf_counter()
    for path, truth_path in labelled_files(directory):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        parsed: ParsedResume | None
        try:
            parsed = parse(path.read_bytes(), path.name)
        except ResumeError as error:
            parsed = None
            result.failures.append((path.name, f"{error.code}: {error.message}"))
        except Exception as error:  # a crash is a result too: report it and go on
            parsed = None
            result.failures.append((path.name, f"crashed: {type(error).__name__}: {error}"))
        scores, misses = score_resume(truth, parsed, path.name)
        for key, score in scores.items():
            result.scores[key].add(score)
        result.misses += misses
        result.files += 1
    result.seconds = time.perf_counter() - started
    return result


def format_table(result: DirResult) -> str:
    lines = [
        f"{result.path}  ({result.files} files, {len(result.failures)} failed, {result.seconds:.1f} s)",
        f"  {'field':<10} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8} {'exact %':>8}",
    ]
    for key in FIELDS:
        s = result.scores[key]
        exact = f"{s.exact_pct:8.1f}" if key in CONTACT_FIELDS else f"{'':>8}"
        lines.append(
            f"  {key:<10} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} {s.support:8d} {exact}"
        )
    for file, error in result.failures:
        lines.append(f"  failed: {file}: {error}")
    return "\n".join(lines)


def format_misses(result: DirResult) -> str:
    lines = [f"misses in {result.path} (file, field, expected, got):"]
    for miss in result.misses:
        lines.append(
            f"  {miss.file}  {miss.field:<9}  expected {miss.expected!r}  got {miss.got!r}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None, parse: Parse | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m parsing.evaluate", description="Score the resume parser per field."
    )
    parser.add_argument(
        "dirs", nargs="+", type=Path, help="directories of resumes with <stem>.json truth files"
    )
    parser.add_argument(
        "--errors", action="store_true", help="list every miss (file, field, expected, got)"
    )
    parser.add_argument(
        "--json", action="store_true", help="print the results as JSON instead of tables"
    )
    args = parser.parse_args(argv)
    results = []
    for directory in args.dirs:
        if not directory.is_dir():
            parser.error(f"{directory} is not a directory")
        results.append(evaluate_dir(directory, parse))
    if args.json:
        payload = [r.as_dict() for r in results]
        if not args.errors:
            for item in payload:
                item.pop("misses")
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    for index, result in enumerate(results):
        if index:
            print()
        print(format_table(result))
        if args.errors and result.misses:
            print(format_misses(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
