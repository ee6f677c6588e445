"""`make bench`: speed figures, each printed as a number and as a ratio to a floor measured in
the same run on the same machine (no timing is asserted; compare ratios across commits).

Foundation figures: the cost of a request through the whole middleware stack (sessions, auth,
CSRF, htmx, CSP) for the pages every user hits, against a floor view that returns a bare
HttpResponse through the same stack. Later issues add their own sections (parsing, search...).

    python -m bench.run [ROUNDS]       # requests per page (BENCH_ROUNDS, default 300)

In its own database (``talentloop_bench_pages``, BENCH_PAGES_DATABASE), created and migrated
when needed; everything the bench writes is rolled back.
"""

from __future__ import annotations

import statistics
import sys
import time

from django.db import transaction
from django.test import Client, override_settings
from django.test.utils import setup_test_environment

from bench import _setup

ROUNDS = _setup.size("BENCH_ROUNDS", 300)


def measure(client: Client, url: str) -> float:
    """Median seconds per GET over ROUNDS requests (after a warm-up)."""
    for _ in range(min(20, ROUNDS)):
        client.get(url)
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def main() -> int:
    _setup.setup(variable="BENCH_PAGES_DATABASE", default="talentloop_bench_pages")
    from config.core.roles import Role  # noqa: PLC0415 - after django.setup()
    from tests.factories import UserFactory  # noqa: PLC0415 - after django.setup()

    setup_test_environment()
    print(f"bench: HTTP request cost through the full stack ({ROUNDS} rounds, median)")
    # Everything the bench writes is rolled back.
    with (
        override_settings(ROOT_URLCONF="bench._urls", ALLOWED_HOSTS=["testserver"]),
        transaction.atomic(),
    ):
        user = UserFactory(username="bench-recruiter", roles=[Role.RECRUITER])
        anonymous, signed_in = Client(), Client()
        signed_in.force_login(user)
        base = measure(signed_in, "/__bench__/floor")
        rows = [
            ("floor (bare view, same stack)", base),
            ("login page (anonymous)", measure(anonymous, "/login/")),
            ("home page (recruiter)", measure(signed_in, "/")),
            ("placeholder section (recruiter)", measure(signed_in, "/jobs/")),
        ]
        transaction.set_rollback(True)
    for name, seconds in rows:
        print(f"  {name:<34} {seconds * 1e6:9.0f} µs/request  {seconds / base:6.2f}x floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
