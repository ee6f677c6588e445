"""Job alerts: talent-community members who asked for them get the newly published jobs that fit
their interests and places, as they come or in a weekly or monthly digest.

The alert mail is an ordinary nurture :class:`~nurture.models.Message` of the built-in "Job
alerts" sequence (``builtin_key`` job_alerts, topic job_alerts), so opens, clicks, replies, the
per-topic unsubscribe (RFC 8058 headers), the preference link, the send-time consent recheck,
retries and the outbox work unchanged: :func:`job_alerts_run` only queues messages, and the
dispatcher's sender (nurture.services.sending) sends them. The dispatcher's scheduler never
touches this sequence (it skips it by key, and its enrollments keep ``next_due_at`` NULL).

One :func:`job_alerts_run` (a beat tick, every 15 minutes):

1. **Enrolls** every confirmed member whose newest job-alerts consent is a grant, who is not
   marked do-not-contact and whose address has not bounced, and who has no live enrollment in
   the sequence (``ON CONFLICT DO NOTHING`` on the one-live-enrollment constraint, so two
   workers cannot enroll anyone twice). Nothing else enrolls anyone: people who join, confirm
   or resubscribe are picked up at the next tick.
2. **Claims** the live enrollments page by page with ``SELECT ... FOR UPDATE SKIP LOCKED``
   (overlapping ticks and several workers each take different people) and, for each person:
   stops the enrollment when they may no longer be written to about job alerts (do-not-contact,
   unsubscribed, bounced, no longer a member or no longer consenting); waits while they are
   paused, until their frequency allows the next alert (:func:`_next_alert_at`), or while the
   engine's cross-sequence frequency cap holds (``NURTURE_FREQUENCY_CAP_HOURS`` since any
   email); otherwise picks the jobs that went public (opened and published) since they joined,
   that fit them and that they were never alerted to, newest first, at most :data:`MAX_JOBS` a mail (the rest wait
   for the next one).
3. **Queues** one message per person with those jobs, numbered ``occurrence`` = previous + 1
   (the (enrollment, step, occurrence) constraint makes each mail exactly-once), and records
   each job as a :class:`~nurture.models.JobAlertItem` (unique per person and job: a job is
   alerted to a person at most once, ever, even when the mail is later skipped at send time).

Fit: a job fits when its department is one of the person's interest areas (any, when they
named none) and it is remote, or in one of their places (city, region, country or "City, CC"),
or they named no place. Remote jobs fit everyone: those who asked for "Remote" and those who
named a city (they may work from there); asking only for "Remote" means remote jobs only.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from ats.models import Job, RemotePolicy
from ats.selectors.careers import public_jobs_opened_since
from crm.models import Candidate, CommunityStatus, ContactFrequency, ContactTopic, TimelineEntry
from crm.selectors.community import community_members_consenting
from crm.selectors.consent import granted_topics_by_person, verdict, withdrawn_topics_by_person
from crm.services.timeline import timeline_add_many
from nurture import email as mail
from nurture import templating, timing
from nurture.builtin import JOB_ALERTS_KEY
from nurture.models import Channel, Enrollment, JobAlertItem, Message, Sequence, Step
from nurture.services.bulk import update_rows
from nurture.services.dispatch import STOP_FOR, last_emails, message_render
from nurture.services.enrollments import enrollment_stop

logger = logging.getLogger(__name__)

MAX_JOBS = 10  # jobs in one mail; the rest go in the next one
IMMEDIATE_GAP = timedelta(days=1)  # "as they come": at most one alert mail a day
DIGEST_GAP: dict[str, timedelta] = {
    ContactFrequency.WEEKLY.value: timedelta(days=7),
    ContactFrequency.MONTHLY.value: timedelta(days=30),
}
# Serialises the enrolling step across workers (any fixed 64-bit number unique to it).
ENROLL_LOCK = 0x6A6F625F616C7274  # "job_alrt"


@dataclass
class JobAlertsResult:
    enrolled: int = 0
    claimed: int = 0
    queued: int = 0
    jobs: int = 0
    stopped: int = 0
    waiting: int = 0


# --------------------------------------------------------------------------- timing


def _next_alert_at(person: Candidate, last_alert_at: datetime | None, now: datetime) -> datetime:
    """When ``person`` may next get a job-alert mail: "as they come" at most one a day (the
    first at once); a weekly or monthly digest 7 or 30 days after the last one (the first that
    long after they joined); never before a pause ends. (A stand-in for the engine-wide rule
    in nurture.timing; the lead swaps it in on merge.)"""
    gap = DIGEST_GAP.get(person.contact_frequency)
    if gap is None:
        earliest = last_alert_at + IMMEDIATE_GAP if last_alert_at else now
    else:
        anchor = last_alert_at or person.community_joined_at
        earliest = anchor + gap if anchor else now
    paused_until = person.contact_paused_until
    if paused_until and paused_until > earliest:
        earliest = paused_until
    return earliest


# --------------------------------------------------------------------------- fit


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _places(job: Job) -> set[str]:
    """Every way a person may have named one of the job's places."""
    names: set[str] = set()
    for location in job.locations.all():
        for part in (location.city, location.region, location.country, str(location)):
            if part:
                names.add(_fold(part))
        if location.city and location.country:
            names.add(_fold(f"{location.city}, {location.country}"))
    return names


def job_fits(job: Job, *, areas: Iterable[str], places: Iterable[str]) -> bool:
    """Whether ``job`` fits a person's interest areas and places (see the module docstring)."""
    wanted_areas = {_fold(a) for a in areas if a.strip()}
    if wanted_areas and _fold(job.department) not in wanted_areas:
        return False
    wanted_places = {_fold(p) for p in places if p.strip()}
    if not wanted_places or job.remote_policy == RemotePolicy.REMOTE:
        return True
    return bool(wanted_places & _places(job))


def _jobs_text(jobs: list[Job]) -> dict[str, str]:
    """The ``jobs`` merge fields of one mail: a block per job (title; department, places and
    kind; the career-page link), the count and a headline for the subject."""
    blocks = []
    for job in jobs:
        details = " · ".join(
            part
            for part in (job.department, job.location_label, job.get_employment_type_display())
            if part and part != "—"
        )
        blocks.append(f"{job.title}\n{details}\n{templating.job_url(job)}")
    more = len(jobs) - 1
    headline = jobs[0].title + (f" and {more} more role{'s' if more > 1 else ''}" if more else "")
    return {"list": "\n\n".join(blocks), "count": str(len(jobs)), "headline": headline}


# --------------------------------------------------------------------------- the run


def job_alerts_sequence() -> Sequence | None:
    """The built-in "Job alerts" sequence, or None when it was removed."""
    return Sequence.objects.select_related("owner").filter(builtin_key=JOB_ALERTS_KEY).first()


def _email_step(sequence: Sequence) -> Step | None:
    return sequence.steps.filter(channel=Channel.EMAIL).order_by("position", "id").first()


def job_alerts_run(
    *,
    now: datetime | None = None,
    batch: int | None = None,
    candidate_ids: Iterable[int] | None = None,
) -> JobAlertsResult:
    """One tick of job alerts (see the module docstring): enroll whoever asked for them, then
    queue the alerts that are due, page by page. ``candidate_ids`` limits the run to those
    people. Safe to run in several workers at once."""
    now = now or timezone.now()
    batch = batch or settings.NURTURE_BATCH_SIZE
    only = None if candidate_ids is None else list(candidate_ids)
    result = JobAlertsResult()
    sequence = job_alerts_sequence()
    if sequence is None:
        logger.warning("job alerts: the built-in sequence is missing (ensure_builtin_sequences)")
        return result
    if sequence.archived:
        return result  # archiving the sequence is the switch that turns job alerts off
    step = _email_step(sequence)
    if step is None:
        logger.warning("job alerts: the “%s” sequence has no email step", sequence.name)
        return result
    result.enrolled = job_alerts_enroll(sequence=sequence, now=now, candidate_ids=only)
    cursor = 0
    while True:
        page = _run_page(sequence, step, now, batch, cursor, only, result)
        if page is None:
            return result
        cursor = page


@transaction.atomic
def job_alerts_enroll(
    *, sequence: Sequence, now: datetime, candidate_ids: list[int] | None = None
) -> int:
    """A live enrollment (``next_due_at`` NULL: the dispatcher never schedules it) for every
    member who asked for job alerts and may be written to, unless they have one; returns how
    many were enrolled. One worker enrolls at a time (a transaction-level advisory lock; a
    worker that finds it taken leaves the enrolling to the holder), so nobody is enrolled
    twice."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ENROLL_LOCK])
        if not cursor.fetchone()[0]:
            return 0
    wanted = community_members_consenting(ContactTopic.JOB_ALERTS).filter(
        do_not_contact=False, email_invalid=False
    )
    wanted = wanted.exclude(email="").exclude(
        pk__in=Enrollment.objects.filter(
            sequence=sequence, state__in=[Enrollment.State.ACTIVE, Enrollment.State.PAUSED]
        ).values("candidate_id")
    )
    if candidate_ids is not None:
        wanted = wanted.filter(pk__in=candidate_ids)
    created = Enrollment.objects.bulk_create(
        Enrollment(candidate_id=pk, sequence=sequence, enrolled_at=now, next_due_at=None)
        for pk in wanted.order_by("pk").values_list("pk", flat=True)
    )
    timeline_add_many(
        entries=[
            TimelineEntry(
                candidate_id=enrollment.candidate_id,
                kind=TimelineEntry.Kind.UPDATED,
                summary=f"Gets job alerts (“{sequence.name}”)",
                data={"enrollment": enrollment.pk, "sequence": sequence.pk},
                occurred_at=now,
            )
            for enrollment in created
        ]
    )
    return len(created)


@dataclass
class _Plan:
    messages: list[Message] = field(default_factory=list)
    contexts: dict[int, dict] = field(default_factory=dict)
    jobs: dict[int, list[Job]] = field(default_factory=dict)
    sent: list[Enrollment] = field(default_factory=list)
    stops: list[tuple[Enrollment, str]] = field(default_factory=list)


def _run_page(
    sequence: Sequence,
    step: Step,
    now: datetime,
    batch: int,
    cursor: int,
    only: list[int] | None,
    result: JobAlertsResult,
) -> int | None:
    """Claim, check and queue one page of enrollments after ``cursor``; the next cursor, or
    None when there are no more."""
    with transaction.atomic():
        rows = (
            Enrollment.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(sequence=sequence, state=Enrollment.State.ACTIVE, pk__gt=cursor)
            .select_related("candidate")
            .order_by("pk")
        )
        if only is not None:
            rows = rows.filter(candidate_id__in=only)
        claimed = list(rows[:batch])
        if not claimed:
            return None
        result.claimed += len(claimed)
        plan = _plan(claimed, sequence, step, now, result)
        _write(plan, step, now, result)
        return claimed[-1].pk


def _plan(
    claimed: list[Enrollment],
    sequence: Sequence,
    step: Step,
    now: datetime,
    result: JobAlertsResult,
) -> _Plan:
    ids = [e.candidate_id for e in claimed]
    withdrawn = withdrawn_topics_by_person(ids)
    granted = granted_topics_by_person(ids)
    cap_hours = settings.NURTURE_FREQUENCY_CAP_HOURS
    recent = last_emails(ids, now - timedelta(hours=cap_hours)) if cap_hours else {}
    occurrences = dict(
        Message.objects.filter(enrollment__in=claimed, step=step)
        .values_list("enrollment")
        .annotate(last=Max("occurrence"))
    )
    plan = _Plan()
    ready: list[Enrollment] = []
    for enrollment in claimed:
        person = enrollment.candidate
        reason = verdict(
            person, ContactTopic.JOB_ALERTS, Channel.EMAIL, withdrawn.get(person.pk, set())
        ).reason
        if reason in STOP_FOR:
            plan.stops.append((enrollment, STOP_FOR[reason]))
        elif (
            person.community_status != CommunityStatus.CONFIRMED
            or ContactTopic.JOB_ALERTS not in granted.get(person.pk, set())
        ):
            plan.stops.append((enrollment, Enrollment.StopReason.UNSUBSCRIBED))
        elif reason or not _due(enrollment, sequence, recent.get(person.pk), now):
            result.waiting += 1
        else:
            ready.append(enrollment)
    if not ready:
        return plan
    since = min(_baseline(e) for e in ready)
    fresh = public_jobs_opened_since(since)
    alerted = _alerted([e.candidate_id for e in ready], [j.pk for j in fresh])
    for enrollment in ready:
        person = enrollment.candidate
        jobs = [
            job
            for job in fresh
            if job.alert_opened_at >= _baseline(enrollment)  # type: ignore[attr-defined]
            and job.pk not in alerted.get(person.pk, set())
            and job_fits(job, areas=person.interest_areas, places=person.interest_locations)
        ][:MAX_JOBS]
        if not jobs:
            result.waiting += 1
            continue
        occurrence = (occurrences.get(enrollment.pk) or 0) + 1
        _queue(plan, enrollment, sequence, step, occurrence, jobs, now)
    return plan


def _baseline(enrollment: Enrollment) -> datetime:
    """Jobs that went public since the person joined the community are new to them."""
    return enrollment.candidate.community_joined_at or enrollment.enrolled_at


def _due(
    enrollment: Enrollment, sequence: Sequence, last_email: datetime | None, now: datetime
) -> bool:
    person = enrollment.candidate
    if _next_alert_at(person, enrollment.last_sent_at, now) > now:
        return False
    capped = timing.capped_until(last_email)
    if capped is not None and capped > now:
        return False
    return not (sequence.quiet_hours and timing.next_send_window(now, person.timezone) > now)


def _alerted(candidate_ids: list[int], job_ids: list[int]) -> dict[int, set[int]]:
    """Per person, which of ``job_ids`` they were already alerted to (one query)."""
    alerted: dict[int, set[int]] = {}
    rows = JobAlertItem.objects.filter(candidate__in=candidate_ids, job__in=job_ids)
    for candidate_id, job_id in rows.values_list("candidate_id", "job_id"):
        alerted.setdefault(candidate_id, set()).add(job_id)
    return alerted


def _queue(
    plan: _Plan,
    enrollment: Enrollment,
    sequence: Sequence,
    step: Step,
    occurrence: int,
    jobs: list[Job],
    now: datetime,
) -> None:
    person = enrollment.candidate
    enrollment.sequence = sequence
    message = Message(
        enrollment=enrollment,
        step=step,
        occurrence=occurrence,
        candidate=person,
        channel=Channel.EMAIL,
        token=secrets.token_hex(12),
        to_address=person.email,
        queued_at=now,
        message_id=mail.new_message_id(),
        status=Message.Status.QUEUED,
    )
    plan.messages.append(message)
    plan.contexts[id(message)] = templating.merge_context(
        candidate=person, sequence=sequence, jobs=_jobs_text(jobs)
    )
    plan.jobs[id(message)] = jobs
    enrollment.last_sent_at = now
    plan.sent.append(enrollment)


def _write(plan: _Plan, step: Step, now: datetime, result: JobAlertsResult) -> None:
    created = Message.objects.bulk_create(plan.messages)
    for message in created:
        message.step = step
        message_render(message, plan.contexts[id(message)])
    update_rows(Message, created, ["subject", "body_text", "body_html", "status", "error"])
    items = [
        JobAlertItem(candidate=message.candidate, job=job, message=message, created_at=now)
        for message in created
        for job in plan.jobs[id(message)]
    ]
    JobAlertItem.objects.bulk_create(items)
    update_rows(Enrollment, plan.sent, ["last_sent_at"])
    result.queued += sum(1 for m in created if m.status == Message.Status.QUEUED)
    result.jobs += len(items)
    for enrollment, reason in plan.stops:
        result.stopped += enrollment_stop(enrollment=enrollment, reason=reason)
