"""`make bench` ATS section: the board at 5 and at 2,000 applications (time and queries), the
public career pages, the Indeed feed, and the floor (a bare view through the same middleware) of
the same run. Everything is written inside one transaction that is rolled back.

The board must render in the same number of queries whatever the number of cards; its time
grows with the HTML it writes, which is what the 2,000-card figure shows.

    python -m bench.ats [CARDS]     # cards on the big board (BENCH_BOARD_CARDS, default 2,000)

BENCH_ATS_ROUNDS (default 30) requests per page. In its own database (``talentloop_bench_pages``,
BENCH_PAGES_DATABASE), created and migrated when needed; the rows are written through the models
(``bulk_create``), so their defaults fill every column the bench does not name.
"""

from __future__ import annotations

import statistics
import sys
import time

from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.utils import timezone

from bench import _setup

ROUNDS = _setup.number("BENCH_ATS_ROUNDS", 30)
BIG = _setup.size("BENCH_BOARD_CARDS", 2000)
FLOOR_ROUNDS = 200
BIG_ROUNDS = min(ROUNDS, 5)


def measure(client: Client, url: str, rounds: int = ROUNDS) -> tuple[float, int]:
    """Median seconds per GET and the number of queries of one GET."""
    client.get(url)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = len(queries)
    assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), count


def fill(job, count: int, offset: int) -> None:
    """``count`` candidates and applications spread over the job's stages, written in bulk
    (with one history row each) so the bench measures reading, not loading."""
    from ats.models import Application, StageChange  # noqa: PLC0415 - after django.setup()
    from crm.models import Candidate, CandidateEmail  # noqa: PLC0415 - after django.setup()

    now = timezone.now()
    stages = list(job.stages.order_by("position"))[:5]
    people = Candidate.objects.bulk_create(
        Candidate(
            first_name=f"Bench{offset + i}",
            last_name="Person",
            email=f"bench{offset + i}@bench.invalid",
            current_title="Software Engineer",
            current_company="Initech",
        )
        for i in range(count)
    )
    CandidateEmail.objects.bulk_create(
        CandidateEmail(candidate=p, email=p.email, is_primary=True) for p in people
    )
    apps = Application.objects.bulk_create(
        Application(
            candidate=p,
            job=job,
            stage=stages[i % len(stages)],
            source=("career_page", "referral", "sourced")[i % 3],
            applied_at=now,
            stage_entered_at=now,
        )
        for i, p in enumerate(people)
    )
    StageChange.objects.bulk_create(
        StageChange(application=a, to_stage=a.stage, to_status="active", at=now) for a in apps
    )


def main() -> int:
    _setup.setup(variable="BENCH_PAGES_DATABASE", default="talentloop_bench_pages")
    from config.core.roles import Role  # noqa: PLC0415 - after django.setup()
    from tests.factories import UserFactory, make_job  # noqa: PLC0415 - after django.setup()

    setup_test_environment()
    print(f"bench: ATS pages ({ROUNDS} rounds, median; queries per request)")
    with (
        override_settings(ROOT_URLCONF="bench._urls", ALLOWED_HOSTS=["testserver"]),
        transaction.atomic(),
    ):
        user = UserFactory(username="bench-ats-recruiter", roles=[Role.RECRUITER])
        staff, public = Client(), Client()
        staff.force_login(user)
        small, big = make_job(title="Bench small board"), make_job(title="Bench big board")
        fill(small, 5, 0)
        fill(big, BIG, 10)
        for i in range(40):
            make_job(title=f"Bench public job {i}")
        base, _ = measure(staff, "/__bench__/floor", rounds=FLOOR_ROUNDS)
        rows = [
            ("floor (bare view, same stack)", base, 0),
            ("board, 5 applications", *measure(staff, f"/jobs/{small.pk}/")),
            (
                f"board, {BIG:,} applications",
                *measure(staff, f"/jobs/{big.pk}/", rounds=BIG_ROUNDS),
            ),
            ("job list (42 jobs)", *measure(staff, "/jobs/")),
            ("career page list (public)", *measure(public, "/careers/")),
            ("career job page (public)", *measure(public, f"/careers/{small.slug}/")),
            ("Indeed XML feed (42 jobs)", *measure(public, "/careers/feeds/indeed.xml")),
        ]
        transaction.set_rollback(True)
    for name, seconds, queries in rows:
        print(
            f"  {name:<34} {seconds * 1e3:8.2f} ms/request  {seconds / base:7.1f}x floor"
            f"  {queries:3d} queries"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
