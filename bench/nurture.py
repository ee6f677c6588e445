"""`make bench` nurture section: dispatch throughput against a bare smtplib loop.

    python -m bench.nurture [PEOPLE]    # BENCH_NURTURE people (default 100,000)

In its own database (``talentloop_bench_nurture``, BENCH_NURTURE_DATABASE, beside the
development one; created and migrated when needed): the candidates are loaded once; each run
empties the nurture tables, enrolls every one of them in a one-step email sequence (quiet hours
off) so the first step is due at once, and starts an SMTP sink on loopback (aiosmtpd). Then:

- **dispatch**: 2 worker processes (BENCH_NURTURE_WORKERS) each run the dispatcher's loop, the
  code the Celery task runs (schedule due enrollments → render → claim → send over one SMTP
  connection → record), until every message is sent. Messages per second, wall clock.
- **floor**: a bare smtplib loop sending the same rendered messages (already built into bytes)
  over one connection to the same sink, one process.

Printed as messages/s and as the ratio of the two; targets: at least 200 messages/s and at least
0.3 of the bare loop. No timing is asserted; the run fails (exit 1) when a dispatcher process
does. The settings are the test ones (bench/_setup.py): DEBUG off, and any task a send enqueues
goes to the test broker database (TEST_BROKER_DB), never to a running worker's.
"""

from __future__ import annotations

import logging
import multiprocessing
import smtplib
import socket
import sys
import threading
import time

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, connections
from django.utils import timezone

from bench import _setup

N = _setup.size("BENCH_NURTURE", 100_000)
WORKERS = _setup.number("BENCH_NURTURE_WORKERS", 2)
BARE = _setup.number("BENCH_NURTURE_BARE", 20_000)
DOMAIN = "bench-nurture.invalid"
BLOCK = 5000


class Sink:
    """An SMTP server that accepts and counts (and keeps nothing)."""

    def __init__(self):
        self.count = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load(database: str) -> None:
    """Top the candidates up to N, written through the models (``bulk_create``), so their
    defaults fill every column the bench does not name."""
    from crm.models import Candidate, CandidateEmail  # noqa: PLC0415 - after django.setup()

    have = Candidate.objects.filter(email__endswith=f"@{DOMAIN}").count()
    if have >= N:
        print(f"bench: {have:,} candidates already in {database}")
        return
    print(f"bench: loading candidates {have:,}..{N:,} into {database}")
    began = time.perf_counter()
    for start in range(have, N, BLOCK):
        people = Candidate.objects.bulk_create(
            Candidate(
                first_name=f"Bench{i}",
                last_name="Person",
                email=f"person{i}@{DOMAIN}",
                current_title="Engineer",
            )
            for i in range(start, min(start + BLOCK, N))
        )
        CandidateEmail.objects.bulk_create(
            CandidateEmail(candidate=p, email=p.email, is_primary=True) for p in people
        )
    print(f"bench: loaded in {time.perf_counter() - began:,.0f} s")


def prepare():
    """Empty the nurture tables and enroll everyone; every first step is due now."""
    from crm.models import Candidate  # noqa: PLC0415 - after django.setup()
    from nurture.models import Enrollment  # noqa: PLC0415 - after django.setup()
    from nurture.services.sequences import (  # noqa: PLC0415 - after django.setup()
        StepInput,
        sequence_create,
    )

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE nurture_alert, nurture_task, nurture_messageevent, nurture_inboundmail, "
            "nurture_message, nurture_enrollment CASCADE"
        )
        cursor.execute("DELETE FROM crm_timelineentry WHERE summary LIKE 'Sent %%'")
    sequence = sequence_create(
        name=f"Bench {time.time():.0f}",
        owner=None,
        steps=[
            StepInput(
                subject="A role for you, {{ candidate.first_name }}",
                body="Hi {{ candidate.first_name }},\n\nWe are hiring: {{ links.careers }}\n\n"
                "{{ company.name }}",
            )
        ],
        quiet_hours=False,
        adaptive=False,
    )
    now = timezone.now()
    ids = list(
        Candidate.objects.filter(email__endswith=f"@{DOMAIN}").values_list("id", flat=True)[:N]
    )
    for start in range(0, len(ids), BLOCK):
        Enrollment.objects.bulk_create(
            Enrollment(candidate_id=i, sequence=sequence, enrolled_at=now, next_due_at=now)
            for i in ids[start : start + BLOCK]
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE nurture_enrollment")
    return sequence, len(ids)


def worker(port: int) -> None:
    """One dispatcher process (forked, so Django is set up): the loop the Celery tick runs,
    until nothing is left."""
    from nurture.services import dispatch, sending  # noqa: PLC0415 - after django.setup()

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    smtp = get_connection()
    idle = 0
    while idle < 3:
        scheduled = dispatch.schedule_due(batch=500)
        sent = sending.send_queued(batch=200, connection=smtp)
        busy = scheduled.claimed or sent.sent or sent.failed or sent.skipped or sent.retried
        idle = 0 if busy else idle + 1
        if not busy:
            time.sleep(0.05)
    smtp.close()


def bare_loop(port: int, sequence) -> tuple[float, int]:
    """The floor: the same rendered messages, pre-built to bytes, over one smtplib connection."""
    from nurture import email as mail  # noqa: PLC0415 - after django.setup()
    from nurture.models import Message  # noqa: PLC0415 - after django.setup()

    rows = Message.objects.filter(status="sent").order_by("id")[:BARE]
    payloads = [
        (
            mail.sender(sequence),
            m.to_address,
            mail.build(m, sequence).message().as_bytes(linesep="\r\n"),
        )
        for m in rows
    ]
    began = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for sender, to, data in payloads:
            smtp.sendmail(sender, [to], data)
    return time.perf_counter() - began, len(payloads)


def main() -> int:
    database = _setup.setup(variable="BENCH_NURTURE_DATABASE", default="talentloop_bench_nurture")
    from nurture.models import Message  # noqa: PLC0415 - after django.setup()

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # the sink's lines, one per message
    load(database)
    sequence, total = prepare()
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        connections.close_all()  # the children open their own
        context = multiprocessing.get_context("fork")
        began = time.perf_counter()
        processes = [context.Process(target=worker, args=(port,)) for _ in range(WORKERS)]
        for process in processes:
            process.start()
        for process in processes:
            process.join()
        elapsed = time.perf_counter() - began
        failed = [p.exitcode for p in processes if p.exitcode]
        if failed:
            print(f"bench: {len(failed)} dispatcher processes failed (exit {failed})")
            return 1
        sent = Message.objects.filter(status="sent").count()
        received = sink.count
        floor_seconds, floor_count = bare_loop(port, sequence)
    finally:
        controller.stop()
    rate = sent / elapsed if elapsed else 0.0
    floor_rate = floor_count / floor_seconds if floor_seconds else 0.0
    print(f"bench: nurture dispatch, {total:,} enrolled, first step due for all")
    print(
        f"  dispatch ({WORKERS} worker processes)  {sent:,} sent ({received:,} received by the "
        f"sink) in {elapsed:,.1f} s  {rate:,.0f} messages/s"
    )
    print(
        f"  bare smtplib loop (1 connection) {floor_count:,} in {floor_seconds:,.1f} s  "
        f"{floor_rate:,.0f} messages/s"
    )
    ratio = rate / floor_rate if floor_rate else 0.0
    print(f"  ratio to the bare loop: {ratio:.2f}  (targets: >= 200 messages/s, >= 0.3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
