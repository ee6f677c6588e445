"""`make bench`: speed figures, each printed as a number and as a ratio to a floor measured in
the same run on the same machine (never asserted in tests; compare ratios across commits).

Foundation figures: the cost of a request through the whole middleware stack (sessions, auth,
CSRF, htmx, CSP) for the pages every user hits, against a floor view that returns a bare
HttpResponse through the same stack. Later issues add their own sections (parsing, search...).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import include, path  # noqa: E402


def floor(request):
    return HttpResponse("ok")


urlpatterns = [path("__bench__/floor", floor), path("", include("config.urls"))]

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "300"))


def measure(client: Client, url: str) -> float:
    """Median seconds per GET over ROUNDS requests (after a warm-up)."""
    for _ in range(20):
        client.get(url)
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples)


def main() -> int:
    from config.core.roles import Role
    from tests.factories import UserFactory

    setup_test_environment()
    print(f"bench: HTTP request cost through the full stack ({ROUNDS} rounds, median)")
    # Everything the bench writes is rolled back.
    with (
        override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"]),
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
