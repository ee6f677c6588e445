"""A dynamic talent pool's refresh at scale, beside the bare SQL doing the same selection.

    python -m bench.pools [ROWS]     # BENCH_POOLS people (default 1,000,000)

It reuses the candidate search bench's database and loader (``talentloop_bench``,
``BENCH_DATABASE``; see bench/candidates.py): the rows are loaded once with COPY and topped up
on later runs. Then, for each rule: the first refresh of a new pool (everyone joins, with a
PoolChange row each), a second refresh with nothing changed (the steady state the beat runs
every 15 minutes), and the bare SQL of the same selection (``SELECT count(*)`` over the
hand-written WHERE clause, straight on the cursor). The pools are deleted afterwards. Numbers
only: nothing here asserts a timing.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

from bench import _setup

N = _setup.size("BENCH_POOLS", 1_000_000)
ROUNDS = _setup.number("BENCH_ROUNDS", 3)
os.environ["BENCH_CANDIDATES"] = str(N)  # the candidates bench's loader reads it

RULES = (
    (
        "senior python",
        {"filters": {"skills": "python", "seniority": "senior,lead"}},
        "skill_slugs @> ARRAY['python']::varchar[] AND seniority IN ('senior', 'lead')",
    ),
    (
        "tagged, active in 2 years",
        {"conditions": {"tags_any": ["hot lead", "silver medalist"], "active_within_days": 730}},
        "tags && ARRAY['hot lead', 'silver medalist']::varchar[] "
        "AND last_activity_at >= now() - interval '730 days'",
    ),
)
LIVE = "merged_into_id IS NULL AND NOT do_not_contact AND NOT archived"


def _bare(where: str) -> tuple[float, int]:
    from django.db import connection  # noqa: PLC0415 - after django.setup()

    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM crm_candidate WHERE {LIVE} AND {where}")  # noqa: S608 - our own text
        count = cursor.fetchone()[0]
    return time.perf_counter() - began, count


def measure(user) -> None:
    from crm.models import Pool  # noqa: PLC0415 - after django.setup()
    from crm.services.pools import pool_create, pool_delete, pool_refresh  # noqa: PLC0415

    print(f"bench: dynamic pool refresh over {N:,} people ({ROUNDS} rounds of the steady state)")
    print(
        f"  {'rule':<28} {'members':>9} {'first s':>9} {'steady s':>9} {'bare s':>9} {'ratio':>7}"
    )
    for name, rule, where in RULES:
        Pool.objects.filter(name=f"bench: {name}").delete()
        began = time.perf_counter()
        pool = pool_create(name=f"bench: {name}", kind="dynamic", rule=rule, owner=user)
        first = time.perf_counter() - began
        steady = []
        for _ in range(ROUNDS):
            began = time.perf_counter()
            result = pool_refresh(pool=pool)
            steady.append(time.perf_counter() - began)
            assert (result.joined, result.left) == (0, 0), result
        bare = [_bare(where) for _ in range(ROUNDS)]
        pool.refresh_from_db()
        bare_count = bare[0][1]
        if bare_count != pool.member_count:
            print(
                f"bench: {name}: {pool.member_count} members but the bare SQL counts {bare_count}"
            )
            raise SystemExit(1)
        steady_s = statistics.median(steady)
        bare_s = statistics.median(b[0] for b in bare)
        ratio = steady_s / bare_s if bare_s else 0.0
        print(
            f"  {name:<28} {pool.member_count:>9,} {first:>9.3f} {steady_s:>9.3f} "
            f"{bare_s:>9.3f} {ratio:>6.1f}x"
        )
        pool_delete(pool=pool)


def main() -> int:
    database = _setup.setup(variable="BENCH_DATABASE", default="talentloop_bench")
    from django.contrib.auth import get_user_model  # noqa: PLC0415 - after django.setup()

    from bench import candidates  # noqa: PLC0415 - reads BENCH_CANDIDATES, set above
    from config.core.roles import Role, assign_roles  # noqa: PLC0415 - after django.setup()

    user, _ = get_user_model().objects.get_or_create(username="bench-recruiter")
    assign_roles(user, [Role.RECRUITER])
    candidates.N = N
    candidates.load(owner_id=user.pk, database=database)
    measure(user)
    return 0


if __name__ == "__main__":
    sys.exit(main())
