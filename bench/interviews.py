"""`make bench` interviews section: reminders for many interviews due at once, against a bare
smtplib loop sending the same mails.

    python -m bench.interviews [INTERVIEWS]    # BENCH_REMINDERS (default 10,000)

In its own database (``talentloop_bench_interviews``, BENCH_INTERVIEWS_DATABASE; created and
migrated when needed): each run empties the interview tables, makes INTERVIEWS interviews
starting in 23 hours (one candidate and one interviewer each) and plans their notices with the
service the scheduling code calls, so a candidate reminder and an interviewer reminder are due
for every interview at once. An SMTP sink runs in its own process (aiosmtpd, logging off).

- **reminders**: 2 worker processes (BENCH_INTERVIEWS_WORKERS) each run the code the Celery beat
  tick runs (``notices_send_due``: claim with SKIP LOCKED → check → build the mail with its
  invite → send over one SMTP connection → record) until nothing is due. Mails per second.
- **floor**: the same number of bare smtplib processes sending the same mails, built to bytes
  beforehand, over one connection each to the same sink.

Printed as mails/s and the ratio of the two. No timing is asserted; the run fails (exit 1)
when a worker process does or when a notice is sent twice.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import smtplib
import socket
import sys
import time
from datetime import timedelta

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from bench import _setup

N = _setup.size("BENCH_REMINDERS", 10_000)
WORKERS = _setup.number("BENCH_INTERVIEWS_WORKERS", 2)
DOMAIN = "bench-interviews.invalid"
BLOCK = 2000


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sink_process(port: int, counter, ready) -> None:
    """An SMTP server in its own process that counts what it accepts and keeps nothing."""
    from aiosmtpd.controller import Controller  # noqa: PLC0415 - only in the sink's process

    logging.disable(logging.CRITICAL)

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            with counter.get_lock():
                counter.value += 1
            return "250 OK"

    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    try:
        asyncio.run(asyncio.sleep(10**6))
    finally:
        controller.stop()


def prepare() -> int:
    """Empty the interview tables and make N interviews whose reminders are due now."""
    from ats.models import Application, Interview, InterviewNotice  # noqa: PLC0415 - after setup
    from ats.services.jobs import job_create  # noqa: PLC0415 - after django.setup()
    from ats.services.notices import REMINDER_BEFORE  # noqa: PLC0415 - after django.setup()
    from config.core.models import User  # noqa: PLC0415 - after django.setup()
    from crm.models import Candidate  # noqa: PLC0415 - after django.setup()

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE ats_interviewnotice, ats_interview_interviewers, ats_interviewchange, "
            "ats_scorecardrevision, ats_scorecard, ats_interview CASCADE"
        )
    job = job_create(actor=None, data={"title": f"Bench {time.time():.0f}", "status": "open"})
    stage = job.stages.get(kind="interview")
    interviewers = [
        User.objects.get_or_create(
            username=f"bench-interviewer-{i}", defaults={"email": f"iv{i}@{DOMAIN}"}
        )[0]
        for i in range(50)
    ]
    now = timezone.now()
    start = now + REMINDER_BEFORE - timedelta(hours=1)  # reminders due an hour ago
    made = 0
    for first in range(0, N, BLOCK):
        count = min(BLOCK, N - first)
        people = Candidate.objects.bulk_create(
            Candidate(
                first_name=f"Bench{first + i}",
                last_name="Person",
                email=f"p{time.time_ns()}-{first + i}@{DOMAIN}",
            )
            for i in range(count)
        )
        apps = Application.objects.bulk_create(
            Application(
                candidate=person, job=job, stage=stage, applied_at=now, stage_entered_at=now
            )
            for person in people
        )
        interviews = Interview.objects.bulk_create(
            Interview(
                application=app,
                title="Technical interview",
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                timezone="Europe/Berlin",
                location="Room 4",
            )
            for app in apps
        )
        Interview.interviewers.through.objects.bulk_create(
            Interview.interviewers.through(
                interview_id=iv.pk, user_id=interviewers[(first + i) % 50].pk
            )
            for i, iv in enumerate(interviews)
        )
        # The rows interview_notices_replan makes, written in bulk (its per-interview queries
        # are not what this bench measures); the reminders are due now.
        InterviewNotice.objects.bulk_create(
            row
            for i, iv in enumerate(interviews)
            for row in (
                InterviewNotice(
                    interview=iv,
                    kind=InterviewNotice.Kind.CANDIDATE_REMINDER,
                    due_at=start - REMINDER_BEFORE,
                    for_sequence=0,
                ),
                InterviewNotice(
                    interview=iv,
                    kind=InterviewNotice.Kind.INTERVIEWER_REMINDER,
                    user=interviewers[(first + i) % 50],
                    due_at=start - REMINDER_BEFORE,
                    for_sequence=0,
                ),
            )
        )
        made += count
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE ats_interviewnotice")
    return made


def _point_mail_at(port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


def worker(port: int) -> None:
    """One tick loop (forked, so Django is set up): what the Celery beat task runs."""
    from ats.services import notices  # noqa: PLC0415 - after django.setup()

    _point_mail_at(port)
    while notices.notices_send_due(batch=200).sent:
        pass


def payloads() -> list[tuple[str, str, bytes]]:
    """The mails the reminders were, rebuilt to bytes (the floor sends exactly these)."""
    from ats import notice_mail  # noqa: PLC0415 - after django.setup()
    from ats.models import InterviewNotice  # noqa: PLC0415 - after django.setup()
    from ats.selectors.notices import claimed_notices  # noqa: PLC0415 - after django.setup()

    ids = list(InterviewNotice.objects.values_list("id", flat=True))
    InterviewNotice.objects.update(status=InterviewNotice.Status.SENDING)
    built = []
    for first in range(0, len(ids), BLOCK):
        for notice in claimed_notices(ids=ids[first : first + BLOCK]):
            mail = notice_mail.build(notice)
            if mail is not None:
                built.append((mail.from_email, mail.to[0], mail.message().as_bytes(linesep="\r\n")))
    InterviewNotice.objects.update(status=InterviewNotice.Status.SENT)
    return built


def bare(port: int, share: list[tuple[str, str, bytes]]) -> None:
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for sender, to, data in share:
            smtp.sendmail(sender, [to], data)


def _run(context, target, args_list) -> tuple[float, list[int]]:
    began = time.perf_counter()
    processes = [context.Process(target=target, args=args) for args in args_list]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return time.perf_counter() - began, [p.exitcode for p in processes if p.exitcode]


def main() -> int:
    _setup.setup(variable="BENCH_INTERVIEWS_DATABASE", default="talentloop_bench_interviews")
    from ats.models import InterviewNotice  # noqa: PLC0415 - after django.setup()

    made = prepare()
    due = InterviewNotice.objects.filter(status=InterviewNotice.Status.QUEUED).count()
    context = multiprocessing.get_context("fork")
    counter, ready = context.Value("l", 0), context.Event()
    port = free_port()
    sink = context.Process(target=sink_process, args=(port, counter, ready), daemon=True)
    sink.start()
    ready.wait(20)
    try:
        connections.close_all()  # the children open their own
        elapsed, failed = _run(context, worker, [(port,)] * WORKERS)
        if failed:
            print(f"bench: {len(failed)} reminder worker processes failed (exit {failed})")
            return 1
        sent = InterviewNotice.objects.filter(status=InterviewNotice.Status.SENT).count()
        received = counter.value
        mails = payloads()
        connections.close_all()
        counter.value = 0
        shares = [(port, mails[i::WORKERS]) for i in range(WORKERS)]
        floor_seconds, failed = _run(context, bare, shares)
        if failed:
            print(f"bench: {len(failed)} bare smtplib processes failed (exit {failed})")
            return 1
    finally:
        sink.terminate()
    rate = sent / elapsed if elapsed else 0.0
    floor_rate = len(mails) / floor_seconds if floor_seconds else 0.0
    print(f"bench: interview reminders, {made:,} interviews, {due:,} reminders due at once")
    print(
        f"  reminder tick ({WORKERS} worker processes)  {sent:,} sent ({received:,} received by "
        f"the sink) in {elapsed:,.1f} s  {rate:,.0f} mails/s"
    )
    print(
        f"  floor: {WORKERS} bare smtplib processes, same mails prebuilt, sink in its own "
        f"process  {len(mails):,} in {floor_seconds:,.1f} s  {floor_rate:,.0f} mails/s"
    )
    ratio = rate / floor_rate if floor_rate else 0.0
    print(f"  ratio to the floor: {ratio:.2f}")
    if received != sent or sent != due:
        print(f"bench: {due:,} due, {sent:,} marked sent, {received:,} received: not exactly once")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
