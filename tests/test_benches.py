"""Every bench runs once at a tiny size, so a schema change that breaks one fails the suite.

Each bench runs as `make bench` runs it (``python -m bench.<name>``, a subprocess with the test
settings), all at once, each in a throwaway database on the test settings' server: a copy of one
that ``bench._setup`` creates and migrates; all are dropped at the end. Nothing here asserts a
timing: a bench passes when it exits 0 and prints its figures.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

pytestmark = pytest.mark.bench

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 180  # seconds per bench; a tiny run takes a few (more on a loaded machine)
NUMBER = r"[\d,.]+"

# bench: (size argument, figures it must print). Sizes are rows, except run (requests per page)
# and parsing (files of each kind).
BENCHES = {
    "run": (
        "3",
        [
            rf"floor \(bare view, same stack\) +{NUMBER} µs/request +1\.00x floor",
            rf"home page \(recruiter\) +{NUMBER} µs/request +{NUMBER}x floor",
        ],
    ),
    "ats": (
        "200",
        [
            rf"board, 200 applications +{NUMBER} ms/request +{NUMBER}x floor +\d+ queries",
            rf"Indeed XML feed \(42 jobs\) +{NUMBER} ms/request +{NUMBER}x floor",
        ],
    ),
    "interview_pages": (
        "20",
        [
            rf"My interviews, 20 interviews +{NUMBER} ms/request +{NUMBER}x floor +\d+ queries",
            rf"scorecard summary: 20 vs 5 interviews +{NUMBER}x time, same queries",
        ],
    ),
    "nurture": (
        "200",
        [
            rf"200 sent \(200 received by the sink\) in {NUMBER} s +{NUMBER} messages/s",
            rf"ratio to the bare loop: {NUMBER}",
        ],
    ),
    "interviews": (
        "200",
        [
            rf"400 sent \(400 received by the sink\) in {NUMBER} s +{NUMBER} mails/s",
            rf"ratio to the floor: {NUMBER}",
        ],
    ),
    "candidates": (
        "200",
        [
            r"bench: loading candidates 0\.\.200 ",
            rf"\n  keyword +\d+ +{NUMBER} +{NUMBER} +{NUMBER} +{NUMBER} +{NUMBER}\n",
        ],
    ),
    "pools": (
        "200",
        [
            r"bench: dynamic pool refresh over 200 people",
            rf"\n  senior python +{NUMBER} +{NUMBER} +{NUMBER} +{NUMBER} +{NUMBER}x\n",
        ],
    ),
    "rediscovery": (
        "200",
        [
            r"bench: rediscovery over [\d,]+ people",
            rf"\n  Backend Engineer +\d+ +\d +{NUMBER} +{NUMBER} +{NUMBER} +{NUMBER} +{NUMBER} ",
            rf"rediscovery, all jobs +{NUMBER} +{NUMBER} +{NUMBER} +{NUMBER} +{NUMBER}\n",
        ],
    ),
    "parsing": (
        "2",
        [
            rf"ratio parse/floor \(total time\) +{NUMBER}x",
            rf"parse_resume DOCX \(in process\) +{NUMBER} resumes/s/core",
        ],
    ),
}


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    """Start ``python args`` in the project directory, in a process group of its own (so the
    bench and the processes it forks can be killed together)."""
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _finish(process: subprocess.Popen) -> str:
    """Wait for ``process``; its output. Fails the test when it exits non-zero or runs over."""
    try:
        output, _ = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        pytest.fail(f"{' '.join(process.args)} ran over {TIMEOUT} s:\n{output}")
    assert process.returncode == 0, f"{' '.join(process.args)} failed:\n{output}"
    return output


def _env(database: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "BENCH_SIZE"}
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "BENCH_DATABASE": database,
        "BENCH_PAGES_DATABASE": database,
        "BENCH_NURTURE_DATABASE": database,
        # Without it the interviews bench migrates the shared talentloop_bench_interviews.
        "BENCH_INTERVIEWS_DATABASE": database,
        "BENCH_ROUNDS": "1",
        "BENCH_ATS_ROUNDS": "1",
        "BENCH_PARSE_ROUNDS": "1",
        "BENCH_NURTURE_BARE": "200",
    }


def _connect() -> psycopg.Connection:
    db = settings.DATABASES["default"]
    info = {"dbname": db["NAME"], "user": db.get("USER"), "password": db.get("PASSWORD")}
    info |= {"host": db.get("HOST"), "port": db.get("PORT")}
    return psycopg.connect(**{k: v for k, v in info.items() if v}, autocommit=True)


@pytest.fixture(scope="module")
def runs():
    """Every bench started at once, each in its own copy of one freshly migrated database
    (``bench._setup`` migrates it; parsing needs none and starts first). Yields the processes;
    the databases are dropped at the end."""
    template = f"{settings.DATABASES['default']['TEST']['NAME']}_bench"
    databases = [template]
    processes: dict[str, subprocess.Popen] = {}
    try:
        size, _ = BENCHES["parsing"]
        processes["parsing"] = _start(["-m", "bench.parsing", size], _env(template))
        _finish(_start(["-m", "bench._setup"], _env(template)))
        for bench, (size, _) in BENCHES.items():
            if bench == "parsing":
                continue
            database = f"{template}_{bench}"
            with _connect() as conn:
                conn.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(database), sql.Identifier(template)
                    )
                )
            databases.append(database)
            processes[bench] = _start(["-m", f"bench.{bench}", size], _env(database))
        yield processes
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.communicate()
        with _connect() as conn:
            for database in databases:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(database)
                    )
                )


@pytest.mark.parametrize("bench", list(BENCHES))
def test_bench_runs_at_a_tiny_size(bench, runs):
    output = _finish(runs[bench])
    for figure in BENCHES[bench][1]:
        assert re.search(figure, output), f"{figure!r} not printed:\n{output}"
