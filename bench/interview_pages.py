"""`make bench` interviews section: "My interviews" and the scorecard summary (the decision
page) with 5 and with N interviews (default 200), time and queries per request, and the ratio of
the big page to the small one. Both pages must answer in the same number of queries whatever
the number of interviews; their time grows only with the HTML they write.

    python -m bench.interview_pages [INTERVIEWS]   # BENCH_INTERVIEWS, default 200

BENCH_ATS_ROUNDS (default 30) requests per page. In its own database (``talentloop_bench_pages``,
BENCH_PAGES_DATABASE, as bench.ats); everything is written inside one transaction that is rolled
back, through the models (``bulk_create``).
"""

from __future__ import annotations

import sys
from datetime import timedelta

from django.db import transaction
from django.test import Client, override_settings
from django.test.utils import setup_test_environment
from django.utils import timezone

from bench import _setup
from bench.ats import fill, measure

ROUNDS = _setup.number("BENCH_ATS_ROUNDS", 30)
BIG = _setup.size("BENCH_INTERVIEWS", 200)
SMALL = 5


def interviews_for(user, job, count: int, *, one_application: bool):
    """``count`` interviews of ``job``'s applications with ``user`` and a colleague on each,
    half of them past (with the colleague's scorecard submitted), half ahead; either all of one
    application (the summary) or one per application (My interviews)."""
    from ats.models import Interview, InterviewType, Scorecard  # noqa: PLC0415 - after setup

    apps = list(job.applications.order_by("id")[: 1 if one_application else count])
    kit = InterviewType.objects.create(
        job=job,
        stage=job.stages.order_by("position").last(),
        name=f"Bench kit {job.pk}",
        focus_attributes=["API design", "Communication", "Problem solving"],
        questions=["Design a rate limiter."],
    )
    now = timezone.now()
    rows = []
    for i in range(count):
        starts = now + timedelta(hours=(i - count // 2) * 3 + 1)
        rows.append(
            Interview(
                application=apps[0 if one_application else i],
                interview_type=kit,
                title="Bench interview",
                starts_at=starts,
                ends_at=starts + timedelta(minutes=45),
            )
        )
    interviews = Interview.objects.bulk_create(rows)
    through = Interview.interviewers.through
    colleague = user.__class__.objects.get(username="bench-interviews-colleague")
    through.objects.bulk_create(
        through(interview_id=iv.pk, user_id=person.pk)
        for iv in interviews
        for person in (user, colleague)
    )
    Scorecard.objects.bulk_create(
        Scorecard(
            interview=iv,
            application_id=iv.application_id,
            interviewer=colleague,
            status="submitted",
            overall=("strong_no", "no", "yes", "strong_yes")[n % 4],
            ratings=[{"attribute": "API design", "rating": 1 + n % 4}],
            notes=f"Note {n}",
            submitted_at=now,
        )
        for n, iv in enumerate(interviews)
        if iv.ends_at < now
    )
    return apps[0]


def main() -> int:
    _setup.setup(variable="BENCH_PAGES_DATABASE", default="talentloop_bench_pages")
    from config.core.roles import Role  # noqa: PLC0415 - after django.setup()
    from tests.factories import UserFactory, make_job  # noqa: PLC0415 - after django.setup()

    setup_test_environment()
    print(f"bench: interview pages ({ROUNDS} rounds, median; queries per request)")
    with (
        override_settings(ROOT_URLCONF="bench._urls", ALLOWED_HOSTS=["testserver"]),
        transaction.atomic(),
    ):
        roles = [Role.RECRUITER, Role.INTERVIEWER]
        UserFactory(username="bench-interviews-colleague", roles=[Role.INTERVIEWER])
        figures = {}
        for size in (SMALL, BIG):
            user = UserFactory(username=f"bench-interviews-{size}", roles=roles)
            client = Client()
            client.force_login(user)
            listed = make_job(title=f"Bench interviews {size}", recruiter=user)
            fill(listed, size, 100_000 * size)
            interviews_for(user, listed, size, one_application=False)
            decided = make_job(title=f"Bench summary {size}", recruiter=user)
            fill(decided, 1, 100_000 * size + 50_000)
            app = interviews_for(user, decided, size, one_application=True)
            rounds = ROUNDS if size == SMALL else max(1, ROUNDS // 3)
            figures[size] = {
                "My interviews": measure(client, "/interviews/", rounds=rounds),
                "scorecard summary": measure(
                    client, f"/applications/{app.pk}/summary/", rounds=rounds
                ),
            }
        base, _ = measure(Client(), "/__bench__/floor", rounds=200)
        transaction.set_rollback(True)
    print(f"  {'floor (bare view, same stack)':<36} {base * 1e3:8.2f} ms/request")
    for page in ("My interviews", "scorecard summary"):
        (small_s, small_q), (big_s, big_q) = figures[SMALL][page], figures[BIG][page]
        for size, seconds, queries in ((SMALL, small_s, small_q), (BIG, big_s, big_q)):
            label = f"{page}, {size:,} interviews"
            print(
                f"  {label:<36} {seconds * 1e3:8.2f} ms/request  {seconds / base:7.1f}x floor"
                f"  {queries:3d} queries"
            )
        same = "same queries" if small_q == big_q else f"QUERIES GROW {small_q} -> {big_q}"
        print(f"  {page}: {BIG:,} vs {SMALL} interviews  {big_s / small_s:5.1f}x time, {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
