"""Rediscovery at scale: p50/p95 of ranking everyone against one job (what the job's Rediscover
tab and GET /api/v1/jobs/{id}/matches/ run: ``ats.selectors.rediscovery.rank_candidates``, a
page of 25) for several jobs, beside the bare SQL of the same statements executed straight on
the database cursor (no ORM, no Python around it).

    python -m bench.rediscovery [ROWS]     # BENCH_REDISCOVERY people (default 1,000,000)

It shares bench/candidates.py's database (``talentloop_bench``, ``BENCH_DATABASE``) and loader:
the same generated people with skills, titles, places and seniority, loaded once with COPY. It
adds a few jobs of its own (references ``BENCH-RD-*``) and, for the history component, earlier
similar jobs with applications that reached various stages. Numbers only: nothing here asserts
a timing. ``BENCH_ROUNDS`` (default 5) repeats each ranking.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection

from bench import _setup

N = _setup.size("BENCH_REDISCOVERY", 1_000_000)
ROUNDS = _setup.number("BENCH_ROUNDS", 5)
HISTORY = 300  # applications on the earlier similar jobs

# (title, department, required, nice-to-have, seniority, min years, remote policy, countries,
# locations)
JOBS = [
    ("Backend Engineer", "Engineering", ["Python", "Django", "PostgreSQL", "Docker"],
     ["Kubernetes", "Redis"], "senior", 5, "onsite", [], [("Berlin", "DE")]),
    ("Data Engineer", "Data", ["Python", "SQL", "Apache Spark"], ["Snowflake", "Tableau"],
     "mid", 3, "remote", ["US"], []),
    ("Frontend Developer", "Engineering", ["JavaScript", "TypeScript", "React"], ["CSS"],
     "mid", 2, "hybrid", [], [("London", "GB")]),
    ("DevOps Engineer", "Infrastructure", ["Kubernetes", "Terraform", "Amazon Web Services"],
     ["Ansible"], "senior", 5, "remote", [], []),
    ("Financial Analyst", "Finance", ["Microsoft Excel", "SAP"], ["Tableau"], "", None,
     "onsite", [], [("Chicago", "US")]),
]  # fmt: skip
PAST_JOBS = [("Senior Backend Engineer", "Engineering"), ("Data Engineer II", "Data")]


def _jobs(user) -> list:
    from ats.models import Job  # noqa: PLC0415 - after django.setup()
    from ats.services.jobs import job_create  # noqa: PLC0415
    from crm.selectors.search import skill_slug  # noqa: PLC0415

    jobs = []
    for i, (title, dept, req, nice, level, years, policy, countries, places) in enumerate(JOBS):
        reference = f"BENCH-RD-{i + 1}"
        job = Job.objects.filter(reference=reference).first()
        if job is None:
            data = {
                "title": title, "department": dept, "reference": reference, "status": "open",
                "required_skills": [skill_slug(s) for s in req],
                "nice_skills": [skill_slug(s) for s in nice], "seniority": level,
                "min_years": None if years is None else Decimal(years),
                "remote_policy": policy, "remote_countries": countries,
            }  # fmt: skip
            locations = [{"city": city, "country": country} for city, country in places]
            job = job_create(actor=user, data=data, locations=locations)
        jobs.append(job)
    return jobs


def _history(user) -> None:
    """Earlier similar jobs with applications that moved through their stages (once)."""
    from ats.models import Job  # noqa: PLC0415 - after django.setup()
    from ats.services.applications import (  # noqa: PLC0415
        application_create,
        application_move_stage,
    )
    from ats.services.jobs import job_create  # noqa: PLC0415
    from crm.models import Candidate  # noqa: PLC0415

    if Job.objects.filter(reference="BENCH-RD-PAST-1").exists():
        return
    began = time.perf_counter()
    past = [
        job_create(
            actor=user,
            data={
                "title": t,
                "department": d,
                "reference": f"BENCH-RD-PAST-{i + 1}",
                "status": "open",
            },
        )
        for i, (t, d) in enumerate(PAST_JOBS)
    ]
    wanted = min(HISTORY, max(N // 10, 1))
    people = Candidate.objects.filter(merged_into__isnull=True, archived=False).order_by("pk")
    for n, person in enumerate(people[:wanted]):
        job = past[n % len(past)]
        app = application_create(candidate=person, job=job, actor=user)
        stages = list(job.stages.order_by("position"))
        for stage in stages[1 : 1 + n % len(stages)]:
            application_move_stage(application=app, stage=stage, actor=user)
    print(
        f"bench: {wanted} applications on {len(past)} earlier jobs in {time.perf_counter() - began:.0f} s"
    )


def _percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def _scored(job, ranking) -> int:
    """How many people the ranking scored (its skill cut at its level, and its countries)."""
    from ats.selectors.rediscovery import _cut, job_ask  # noqa: PLC0415 - after django.setup()

    cut, params = _cut(job_ask(job), ranking.level)
    if ranking.countries:
        cut, params = f"({cut}) AND c.country = ANY(%s)", [*params, list(ranking.countries)]
    with connection.cursor() as cursor:
        sql = f"SELECT count(*) FROM crm_candidate c WHERE {cut}"  # noqa: S608 - our SQL text
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _bare(statements) -> tuple[float, list[str], float]:
    """Seconds to run the statements straight on the psycopg cursor in one transaction (as the
    selector does), the indexes the ranking's plan uses and its EXPLAIN ANALYZE time (ms)."""
    from bench.candidates import _walk  # noqa: PLC0415 - after django.setup()

    indexes: list[str] = []
    raw_connection = connection.connection
    with raw_connection.transaction(), raw_connection.cursor() as raw:
        began = time.perf_counter()
        for sql, args in statements:
            raw.execute(sql, args)
            if raw.description is not None:
                raw.fetchall()
        seconds = time.perf_counter() - began
        sql, args = statements[-1]
        raw.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, args)
        plan = raw.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    _walk(plan[0]["Plan"], indexes)
    return seconds, sorted(set(indexes)), plan[0]["Execution Time"]


def measure(user, jobs, people: int) -> None:
    from ats.selectors.rediscovery import rank_candidates  # noqa: PLC0415 - after django.setup()
    from bench.candidates import _capture  # noqa: PLC0415 - the same statement recorder

    print(f"\nbench: rediscovery over {people:,} people, {ROUNDS} rounds per job, a page of 25")
    print(
        f"  {'job':<22} {'scored':>9} {'k':>5} {'p50 ms':>8} {'p95 ms':>8} {'bare ms':>8} {'ratio':>6} "
        f"{'explain':>8}  top score  indexes"
    )
    samples_all, bares_all = [], []
    for job in jobs:

        def rank(j=job):
            return rank_candidates(user, j, limit=25)

        ranking, statements = _capture(rank)
        samples, bares = [], []
        for _ in range(ROUNDS):
            began = time.perf_counter()
            rank()
            samples.append(time.perf_counter() - began)
            bares.append(_bare(statements)[0])
        _, indexes, explained = _bare(statements)
        p50, p95 = _percentiles(samples)
        bare = statistics.median(bares)
        samples_all += samples
        bares_all += bares
        top = ranking.matches[0].score if ranking.matches else "-"
        print(
            f"  {job.title[:22]:<22} {_scored(job, ranking):>9,} {ranking.level:>5} {p50 * 1e3:8.1f} {p95 * 1e3:8.1f} "
            f"{bare * 1e3:8.1f} {p50 / bare:6.2f} {explained:8.1f}  {top!s:>9}  "
            f"{', '.join(indexes) or 'seq scan'}"
        )
    p50, p95 = _percentiles(samples_all)
    b50, b95 = _percentiles(bares_all)
    print(f"\n  {'':<22} {'p50 ms':>8} {'p95 ms':>8} {'bare p50':>9} {'bare p95':>9} {'ratio':>6}")
    print(
        f"  {'rediscovery, all jobs':<22} {p50 * 1e3:8.1f} {p95 * 1e3:8.1f} {b50 * 1e3:9.1f} "
        f"{b95 * 1e3:9.1f} {p50 / b50:6.2f}"
    )


def main() -> int:
    database = _setup.setup(variable="BENCH_DATABASE", default="talentloop_bench")
    from bench import candidates  # noqa: PLC0415 - after django.setup()
    from config.core.roles import Role, assign_roles, roles_of  # noqa: PLC0415

    candidates.N = N  # the people to load: this bench's size, not BENCH_CANDIDATES
    user, _ = get_user_model().objects.get_or_create(username="bench-recruiter")
    assign_roles(user, [Role.RECRUITER])
    candidates.load(owner_id=user.pk, database=database)
    jobs = _jobs(user)
    _history(user)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ats_application; ANALYZE ats_stagechange; ANALYZE ats_job")
        cursor.execute("SELECT count(*) FROM crm_candidate")
        people = cursor.fetchone()[0]
    roles_of(user)  # cached on the user, as in a request: not part of what is measured
    measure(user, jobs, people)
    return 0


if __name__ == "__main__":
    sys.exit(main())
