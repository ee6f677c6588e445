"""Scheduling, rescheduling, changing and cancelling interviews: the services, the invites they
send (parsed back with icalendar from a real SMTP server), and their refusals."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from ats.models import Application, Interview, InterviewChange, InterviewNotice, RejectionReason
from ats.services import interviews as svc
from ats.services.applications import application_reject
from config.core.models import DomainEvent
from config.core.roles import Role
from crm.models import TimelineEntry
from tests.conftest import wait_for
from tests.factories import UserFactory, make_application, make_candidate

BERLIN = ZoneInfo("Europe/Berlin")


def future(days=3, hour=10, zone=BERLIN):
    day = (timezone.now() + timedelta(days=days)).astimezone(zone).date()
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=zone)


def schedule(app, actor, people, **kwargs):
    params = {
        "application": app,
        "actor": actor,
        "starts_at": future(),
        "duration_minutes": 45,
        "timezone_name": "Europe/Berlin",
        "interviewers": people,
        "title": "Technical interview",
        "video_url": "https://meet.example.com/abc",
    } | kwargs
    return svc.interview_schedule(**params)


def calendars(inbox, to=None):
    """(recipient, parsed calendar, method parameter) of each mail received."""
    found = []
    for item in inbox.messages:
        if to and to not in item["to"]:
            continue
        for part in item["message"].walk():
            if part.get_content_type() == "text/calendar":
                found.append(
                    (
                        item["to"][0],
                        Calendar.from_ical(part.get_content()),
                        part.get_param("method"),
                    )
                )
    return found


def event_of(calendar):
    return next(c for c in calendar.walk("VEVENT"))


@pytest.fixture
def eager_mail(smtp_server, settings):
    """Tasks run right here, mail goes to the loopback SMTP server."""
    from config.celery import app as celery_app  # noqa: PLC0415 - test-only toggle

    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield smtp_server
    celery_app.conf.task_always_eager = previous


# --------------------------------------------------------------------------- schedule


def test_schedule_stores_history_timeline_event_notices(recruiter, interviewer):
    app = make_application()
    interview = schedule(app, recruiter, [interviewer])
    assert interview.status == "scheduled" and interview.sequence == 0
    assert interview.duration_minutes == 45 and interview.timezone == "Europe/Berlin"
    assert list(interview.interviewers.all()) == [interviewer]
    assert [c.action for c in interview.history.all()] == ["scheduled"]
    entry = TimelineEntry.objects.get(kind=TimelineEntry.Kind.INTERVIEW)
    assert entry.candidate_id == app.candidate_id and "Technical interview" in entry.summary
    assert entry.channel == "email" and entry.actor == recruiter
    entry.full_clean()  # a valid row (channel among the choices)
    event = DomainEvent.objects.get(type="interview.scheduled")
    assert event.subject_id == interview.pk and event.payload["interviewers"] == [interviewer.pk]
    kinds = sorted(
        InterviewNotice.objects.filter(interview=interview).values_list("kind", flat=True)
    )
    assert "candidate_reminder" in kinds and "interviewer_reminder" in kinds


def test_invites_reach_candidate_and_interviewers_through_a_worker(
    recruiter, interviewer, smtp_server, celery_worker
):
    second = UserFactory(username="ivy", roles=[Role.INTERVIEWER])
    app = make_application(candidate=make_candidate(email="ada@example.com"))
    interview = schedule(app, recruiter, [interviewer, second])
    wait_for(lambda: len(smtp_server.messages) == 3)
    received = calendars(smtp_server)
    assert sorted(to for to, _, _ in received) == sorted(
        ["ada@example.com", "ian@example.com", "ivy@example.com"]
    )
    for to, calendar, method in received:
        assert method == "REQUEST" and str(calendar["METHOD"]) == "REQUEST"
        event = event_of(calendar)
        assert str(event["UID"]) == f"{interview.uid}@127.0.0.1"
        assert int(event["SEQUENCE"]) == 0
        start = event.decoded("DTSTART")
        assert start == interview.starts_at and str(start.tzinfo) == "Europe/Berlin"
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
        assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Berlin"
        attendees = sorted(str(a).lower() for a in event.get("ATTENDEE"))
        staff = ["mailto:ian@example.com", "mailto:ivy@example.com"]
        # The candidate's copy lists everyone; interviewers do not get the candidate's address.
        assert attendees == (
            ["mailto:ada@example.com", *staff] if to == "ada@example.com" else staff
        )
        for attendee in event.get("ATTENDEE"):
            assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
            assert (
                attendee.params["PARTSTAT"] == "NEEDS-ACTION" and attendee.params["RSVP"] == "TRUE"
            )
        assert str(event["STATUS"]) == "CONFIRMED"
        assert str(event["ORGANIZER"]) == f"mailto:{recruiter.email}"
    candidate_mail = next(m for m in smtp_server.messages if m["to"] == ["ada@example.com"])
    body = candidate_mail["message"].get_body(("plain",)).get_content()
    assert "https://meet.example.com/abc" in body and "Europe/Berlin" in body
    assert "We would like to invite you" in body
    assert candidate_mail["message"]["Reply-To"] == recruiter.email
    staff_mail = next(m for m in smtp_server.messages if m["to"] == ["ian@example.com"])
    assert (
        f"/interviews/{interview.pk}/" in staff_mail["message"].get_body(("plain",)).get_content()
    )


def test_reschedule_keeps_uid_raises_sequence_and_cancel_sends_cancel(
    recruiter, interviewer, eager_mail, django_capture_on_commit_callbacks
):
    app = make_application(candidate=make_candidate(email="ada@example.com"))
    with django_capture_on_commit_callbacks(execute=True):
        interview = schedule(app, recruiter, [interviewer])
    old_start = interview.starts_at
    with django_capture_on_commit_callbacks(execute=True):
        moved = svc.interview_reschedule(
            interview=interview, actor=recruiter, starts_at=future(days=4, hour=14)
        )
    assert moved.sequence == 1 and moved.duration_minutes == 45
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = svc.interview_cancel(interview=moved, actor=recruiter, reason="Role filled")
    assert cancelled.status == "cancelled" and cancelled.sequence == 2
    received = calendars(eager_mail, to="ada@example.com")
    assert [m for _, _, m in received] == ["REQUEST", "REQUEST", "CANCEL"]
    events = [event_of(c) for _, c, _ in received]
    assert len({str(e["UID"]) for e in events}) == 1
    assert [int(e["SEQUENCE"]) for e in events] == [0, 1, 2]
    assert events[1].decoded("DTSTART") == future(days=4, hour=14)
    assert str(events[2]["STATUS"]) == "CANCELLED"
    history = list(interview.history.values_list("action", "from_starts_at", "to_starts_at"))
    assert history[1] == ("rescheduled", old_start, future(days=4, hour=14))
    assert history[2][0] == "cancelled"
    assert DomainEvent.objects.filter(type="interview.rescheduled").count() == 1
    assert DomainEvent.objects.filter(type="interview.cancelled").count() == 1
    # A cancelled interview's reminders never go out.
    assert not InterviewNotice.objects.filter(interview=interview, status="queued").exists()


def test_do_not_contact_still_gets_invites_and_no_email_gets_none(
    recruiter, interviewer, eager_mail, django_capture_on_commit_callbacks
):
    dnc = make_candidate(email="dnc@example.com")
    dnc.do_not_contact = True
    dnc.save(update_fields=["do_not_contact"])
    with django_capture_on_commit_callbacks(execute=True):
        schedule(make_application(candidate=dnc), recruiter, [interviewer])
    assert sorted(m["to"][0] for m in eager_mail.messages) == ["dnc@example.com", "ian@example.com"]
    eager_mail.messages.clear()
    nomail = make_candidate(email="", phone="+49 30 1234567")
    with django_capture_on_commit_callbacks(execute=True):
        schedule(
            make_application(candidate=nomail),
            recruiter,
            [interviewer],
            starts_at=future(days=5),
        )
    assert [m["to"] for m in eager_mail.messages] == [["ian@example.com"]]


def test_update_changes_interviewers_and_cancels_for_the_removed(
    recruiter, interviewer, eager_mail, django_capture_on_commit_callbacks
):
    second = UserFactory(username="ivy", roles=[Role.INTERVIEWER])
    app = make_application(candidate=make_candidate(email="ada@example.com"))
    with django_capture_on_commit_callbacks(execute=True):
        interview = schedule(app, recruiter, [interviewer])
    eager_mail.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        updated = svc.interview_update(
            interview=interview, actor=recruiter, data={"interviewers": [second.pk]}
        )
    assert updated.sequence == 1 and list(updated.interviewers.all()) == [second]
    by_to = {to: (c, m) for to, c, m in calendars(eager_mail)}
    assert set(by_to) == {"ivy@example.com", "ian@example.com"}  # candidate not bothered
    assert by_to["ian@example.com"][1] == "CANCEL"
    assert by_to["ivy@example.com"][1] == "REQUEST"
    assert int(event_of(by_to["ivy@example.com"][0])["SEQUENCE"]) == 1
    eager_mail.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        svc.interview_update(
            interview=updated, actor=recruiter, data={"location": "Room 4, Berlin office"}
        )
    received = calendars(eager_mail)
    assert sorted(to for to, _, _ in received) == ["ada@example.com", "ivy@example.com"]
    assert str(event_of(received[0][1])["LOCATION"]) == "Room 4, Berlin office"
    eager_mail.messages.clear()
    # Nothing changed: nothing sent, SEQUENCE stays.
    same = svc.interview_update(
        interview=updated, actor=recruiter, data={"location": "Room 4, Berlin office"}
    )
    assert same.sequence == 2 and eager_mail.messages == []


# --------------------------------------------------------------------------- refusals


def _refused(field, **kwargs):
    with pytest.raises(svc.InterviewRefused) as caught:
        schedule(**kwargs)
    assert caught.value.field == field, caught.value.message
    assert Interview.objects.count() == 0
    return caught.value


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"starts_at": timezone.now() - timedelta(hours=1)}, "starts_at"),
        ({"starts_at": datetime(2030, 1, 1, 10, 0)}, "starts_at"),  # naive
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": -30}, "duration_minutes"),
        ({"duration_minutes": 481}, "duration_minutes"),
        ({"timezone_name": "Mars/Olympus"}, "timezone"),
        ({"timezone_name": "../etc/passwd"}, "timezone"),
        ({"video_url": "javascript:alert(1)"}, "video_url"),
        ({"interviewers": []}, "interviewers"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(recruiter, interviewer, change, field):
    app = make_application()
    error = _refused(field, app=app, actor=recruiter, people=[interviewer], **change)
    assert error.message
    assert not TimelineEntry.objects.filter(kind=TimelineEntry.Kind.INTERVIEW).exists()


def test_interviewers_must_be_active_users_with_a_role(recruiter, interviewer, outsider):
    app = make_application()
    error = _refused("interviewers", app=app, actor=recruiter, people=[interviewer, outsider])
    assert str(outsider.pk) in error.message
    gone = UserFactory(username="gone", roles=[Role.INTERVIEWER])
    gone.is_active = False
    gone.save()
    _refused("interviewers", app=app, actor=recruiter, people=[gone])
    _refused("interviewers", app=app, actor=recruiter, people=[999999])


def test_inactive_application_is_refused(recruiter, interviewer):
    app = make_application()
    application_reject(application=app, actor=recruiter, reason=RejectionReason.objects.first())
    app.refresh_from_db()
    assert app.status == Application.Status.REJECTED
    _refused("application", app=app, actor=recruiter, people=[interviewer])


def test_double_booking_refused_unless_allowed(recruiter, interviewer):
    first = schedule(make_application(), recruiter, [interviewer])
    other = make_application()
    with pytest.raises(svc.InterviewConflict) as caught:
        schedule(other, recruiter, [interviewer], starts_at=future() + timedelta(minutes=30))
    assert caught.value.conflicts == [(interviewer, first)]
    assert caught.value.field == "starts_at"
    assert Interview.objects.count() == 1
    # touching is not overlapping
    schedule(other, recruiter, [interviewer], starts_at=future() + timedelta(minutes=45))
    # and a confirmed double booking goes through
    schedule(other, recruiter, [interviewer], allow_conflicts=True)
    assert Interview.objects.count() == 3


def test_reschedule_refusals_change_nothing(recruiter, interviewer):
    interview = schedule(make_application(), recruiter, [interviewer])
    blocker = schedule(make_application(), recruiter, [interviewer], starts_at=future(days=6))
    for kwargs, kind in [
        ({"starts_at": timezone.now() - timedelta(days=1)}, svc.InterviewRefused),
        ({"starts_at": future(days=6)}, svc.InterviewConflict),
        ({"starts_at": future(days=7), "timezone_name": "Nowhere/Land"}, svc.InterviewRefused),
        ({"starts_at": future(days=7), "duration_minutes": 1000}, svc.InterviewRefused),
    ]:
        with pytest.raises(kind):
            svc.interview_reschedule(interview=interview, actor=recruiter, **kwargs)
    interview.refresh_from_db()
    assert interview.sequence == 0 and interview.starts_at == future()
    assert InterviewChange.objects.filter(interview=interview).count() == 1
    svc.interview_cancel(interview=blocker, actor=recruiter)
    with pytest.raises(svc.InterviewRefused):
        svc.interview_cancel(interview=blocker, actor=recruiter)
    with pytest.raises(svc.InterviewRefused):
        svc.interview_reschedule(interview=blocker, actor=recruiter, starts_at=future(days=8))


def test_interview_type_of_another_job_is_refused(recruiter, interviewer):
    app = make_application()
    other = make_application()
    foreign = other.job.interview_types.first()
    assert foreign is not None
    _refused(
        "interview_type", app=app, actor=recruiter, people=[interviewer], interview_type=foreign
    )
    own = app.job.interview_types.first()
    interview = schedule(app, recruiter, [interviewer], interview_type=own, title="")
    assert interview.title == own.name


# --------------------------------------------------------------------------- races


@pytest.mark.django_db(transaction=True)
def test_two_recruiters_booking_the_same_interviewer_at_once_book_once(recruiter, interviewer):
    import threading  # noqa: PLC0415 - only this test races threads

    from django.db import connection  # noqa: PLC0415

    apps = [make_application(), make_application()]
    barrier = threading.Barrier(2)
    outcomes = []

    def book(app):
        try:
            barrier.wait(timeout=10)
            schedule(app, recruiter, [interviewer])
            outcomes.append("booked")
        except svc.InterviewConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["booked", "conflict"]
    assert Interview.objects.count() == 1


def test_candidate_booking_is_confirmed_in_their_words(
    interviewer, eager_mail, django_capture_on_commit_callbacks
):
    app = make_application(candidate=make_candidate(email="ada@example.com"))
    with django_capture_on_commit_callbacks(execute=True):
        interview = schedule(app, None, [interviewer], by_candidate=True)
    assert interview.created_by is None
    assert interview.history.get().by_candidate
    mail = next(m for m in eager_mail.messages if m["to"] == ["ada@example.com"])
    assert "is confirmed" in mail["message"].get_body(("plain",)).get_content()
    event = event_of(calendars(eager_mail, to="ada@example.com")[0][1])
    # no recruiter on the job and no actor: the site's sender organizes
    assert str(event["ORGANIZER"]).startswith("mailto:no-reply@")


# --------------------------------------------------------------------------- closing


def test_rejecting_cancels_upcoming_interviews_and_withdraws_the_open_offer(
    recruiter, interviewer, manager
):
    from ats.models import Offer  # noqa: PLC0415 - only this test
    from ats.services.offers import offer_create  # noqa: PLC0415 - only this test

    app = make_application()
    app.job.hiring_manager = manager
    app.job.save()
    past_done = schedule(app, recruiter, [interviewer])
    Interview.objects.filter(pk=past_done.pk).update(
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(minutes=45),
    )
    upcoming = schedule(app, recruiter, [interviewer], starts_at=future(days=5))
    offer = offer_create(
        application=app,
        actor=recruiter,
        salary="70000",
        currency="EUR",
        start_date=(timezone.now() + timedelta(days=40)).date(),
        letter="Dear candidate, welcome aboard.",
        approvers=[manager],
    )
    reason = RejectionReason.objects.filter(active=True).first()
    application_reject(application=app, reason=reason, actor=recruiter)
    upcoming.refresh_from_db()
    assert upcoming.status == Interview.Status.CANCELLED
    assert upcoming.sequence == 1
    assert not InterviewNotice.objects.filter(interview=upcoming, status="queued").exists()
    # the interview that took place stays as it was (its feedback is still wanted)
    assert Interview.objects.get(pk=past_done.pk).status == Interview.Status.SCHEDULED
    offer.refresh_from_db()
    assert (offer.status, offer.nonce) == (Offer.Status.WITHDRAWN, "")
    assert offer.history.filter(action="withdrawn").exists()
