"""`make bench` parsing section: resumes per second per core over the labelled set, against the
floor of bare pdfminer text extraction of the same files in the same run.

For each PDF in tests/resumes/set and tests/resumes/holdout: the median over BENCH_PARSE_ROUNDS
(default 3) of ``pdfminer.high_level.extract_text`` (the floor) and of ``parsing.parse_resume``.
DOCX files have no floor and are reported as resumes/second. When ``parse_resume_isolated``
exists, the isolated (forked) path is compared with the in-process one on the PDFs.
One process, so "per second" is per core. No Django, no database; no timing is asserted.

    python -m bench.parsing [FILES]    # at most FILES PDFs and FILES DOCX (BENCH_PARSE_FILES)
"""

from __future__ import annotations

import contextlib
import io
import statistics
import sys
import time
from pathlib import Path

from pdfminer.high_level import extract_text

import parsing
from bench import _setup

ROOT = Path(__file__).resolve().parent.parent
DIRS = [ROOT / "tests" / "resumes" / "set", ROOT / "tests" / "resumes" / "holdout"]
ROUNDS = _setup.number("BENCH_PARSE_ROUNDS", 3)
FILES = _setup.size("BENCH_PARSE_FILES", 10**6)  # every file


def median_seconds(call, rounds: int = ROUNDS) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def files(suffix: str) -> list[tuple[str, bytes]]:
    found = [p for d in DIRS if d.is_dir() for p in sorted(d.glob(f"*{suffix}"))]
    return [(p.name, p.read_bytes()) for p in found[:FILES]]


def safe(call):
    """Run ``call``; a parse error is a result for the bench, not a crash."""

    def run():
        with contextlib.suppress(parsing.ResumeError):
            call()

    return run


def main() -> int:
    pdfs, docxs = files(".pdf"), files(".docx")
    print(f"bench: resume parsing ({ROUNDS} rounds per file, median; one process = one core)")
    if not pdfs and not docxs:
        print("  no resumes found in tests/resumes/set or holdout (run tests/resumes/generate.py)")
        return 0

    # Warm-up: the first call loads spaCy and the skills taxonomy.
    name, data = (pdfs or docxs)[0]
    start = time.perf_counter()
    safe(lambda: parsing.parse_resume(data, name))()
    print(f"  first call (loads spaCy, taxonomy)  {time.perf_counter() - start:8.2f} s")
    for _name, sample in pdfs[:3]:
        extract_text(io.BytesIO(sample))

    if pdfs:
        floors, parses, ratios = [], [], []
        for name, data in pdfs:
            floor = median_seconds(lambda data=data: extract_text(io.BytesIO(data)))
            parse = median_seconds(
                safe(lambda data=data, name=name: parsing.parse_resume(data, name))
            )
            floors.append(floor)
            parses.append(parse)
            ratios.append(parse / floor if floor else 0.0)
        total_floor, total_parse = sum(floors), sum(parses)
        print(f"  PDF files                           {len(pdfs):8d}")
        print(
            f"  floor: pdfminer extract_text        {len(pdfs) / total_floor:8.1f} resumes/s/core  {total_floor / len(pdfs) * 1e3:8.1f} ms/file"
        )
        print(
            f"  parse_resume (in process)           {len(pdfs) / total_parse:8.1f} resumes/s/core  {total_parse / len(pdfs) * 1e3:8.1f} ms/file"
        )
        print(f"  ratio parse/floor (total time)      {total_parse / total_floor:8.2f}x")
        print(
            f"  per-file ratio p50 / p95            {percentile(ratios, 50):8.2f}x  {percentile(ratios, 95):6.2f}x"
        )

    if docxs:
        total = sum(
            median_seconds(safe(lambda data=data, name=name: parsing.parse_resume(data, name)))
            for name, data in docxs
        )
        print(f"  DOCX files                          {len(docxs):8d}")
        print(
            f"  parse_resume DOCX (in process)      {len(docxs) / total:8.1f} resumes/s/core  {total / len(docxs) * 1e3:8.1f} ms/file"
        )

    try:
        isolated = parsing.parse_resume_isolated
    except (AttributeError, ImportError):
        isolated = None
    if isolated is not None and pdfs:
        sample = pdfs[: min(len(pdfs), 12)]
        safe(lambda: isolated(sample[0][1], sample[0][0]))()  # warm-up
        inproc = sum(
            median_seconds(safe(lambda d=d, n=n: parsing.parse_resume(d, n))) for n, d in sample
        )
        forked = sum(median_seconds(safe(lambda d=d, n=n: isolated(d, n))) for n, d in sample)
        print(
            f"  parse_resume_isolated ({len(sample)} PDFs)      {forked / len(sample) * 1e3:8.1f} ms/file  {forked / inproc:6.2f}x in-process"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
