"""Self-scheduling: interviewers' working hours, slot proposals (zones, DST, interviews, other
open links), the recruiter's link, the candidate booking through it (taken slots, races,
expiry, forged tokens, rebooking, asking for other times) and the pages' permissions."""

from __future__ import annotations

import re
import threading
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ats.models import (
    Interview,
    InterviewChange,
    SchedulingRequest,
    WorkingHours,
)
from ats.selectors.availability import propose_slots, spread_by_day
from ats.selectors.scheduling import schedule_token
from ats.services import availability, interviews, scheduling
from config.celery import app as celery_app
from config.core.roles import Role
from crm.models import TimelineEntry
from tests.factories import UserFactory, make_application, make_job

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


# --------------------------------------------------------------------------- helpers


def next_monday(weeks: int = 1) -> date:
    today = timezone.now().date()
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7) + timedelta(weeks=weeks - 1)


def berlin(moment: datetime) -> datetime:
    return moment.astimezone(BERLIN)


def at(day: date, hour: int, minute: int = 0, zone=UTC) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def interviewer_user(username: str, **hours):
    user = UserFactory(username=username, roles=[Role.INTERVIEWER])
    if hours:
        availability.working_hours_set(user=user, **hours)
    return user


def busy(user, starts_at: datetime, minutes: int = 60, status=Interview.Status.SCHEDULED):
    app = make_application()
    interview = Interview.objects.create(
        application=app,
        title="Other interview",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        status=status,
    )
    interview.interviewers.add(user)
    return interview


def offer(app, recruiter, interviewers, slots, **kwargs):
    kwargs = {"duration_minutes": 60, "timezone_name": "Europe/Berlin"} | kwargs
    return scheduling.scheduling_request_create(
        application=app, actor=recruiter, interviewers=interviewers, slots=slots, **kwargs
    )


def login(client, user, password):
    assert client.login(username=user.username, password=password)
    return client


def link_url(request: SchedulingRequest, **query) -> str:
    url = reverse("careers:schedule", args=[schedule_token(request)])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


@pytest.fixture
def panel(db):
    return interviewer_user("ivy"), interviewer_user("ike")


# --------------------------------------------------------------------------- working hours


def test_working_hours_are_stored_and_replaced(interviewer):
    availability.working_hours_set(
        user=interviewer,
        timezone_name="Asia/Tokyo",
        weekdays=[4, 0, 0],
        start_time=time(10),
        end_time=time(18),
    )
    availability.working_hours_set(
        user=interviewer,
        timezone_name="Europe/Paris",
        weekdays=[1, 2],
        start_time=time(8),
        end_time=time(12, 30),
    )
    row = WorkingHours.objects.get(user=interviewer)
    assert (row.timezone, row.weekdays, row.start_time, row.end_time) == (
        "Europe/Paris",
        [1, 2],
        time(8),
        time(12, 30),
    )


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"timezone_name": "Mars/Olympus"}, "timezone", "not a time zone"),
        ({"timezone_name": "../etc/passwd"}, "timezone", "not a time zone"),
        ({"weekdays": []}, "weekdays", "at least one"),
        ({"weekdays": [0, 7]}, "weekdays", "0 (Monday) to 6"),
        ({"start_time": time(17), "end_time": time(9)}, "end_time", "start before"),
        ({"start_time": time(9), "end_time": time(9)}, "end_time", "start before"),
    ],
)
def test_bad_working_hours_are_refused_and_change_nothing(interviewer, change, field, words):
    good = {
        "timezone_name": "UTC",
        "weekdays": [0],
        "start_time": time(9),
        "end_time": time(10),
    }
    availability.working_hours_set(user=interviewer, **good)
    with pytest.raises(availability.AvailabilityRefused) as refused:
        availability.working_hours_set(user=interviewer, **(good | change))
    assert refused.value.field == field and words in refused.value.message
    row = WorkingHours.objects.get(user=interviewer)
    assert (row.timezone, row.weekdays, row.end_time) == ("UTC", [0], time(10))


# --------------------------------------------------------------------------- proposals


def test_default_hours_are_weekdays_nine_to_five_in_the_site_zone(interviewer, settings):
    assert settings.TIME_ZONE == "UTC"
    monday = next_monday()
    slots = propose_slots(
        interviewers=[interviewer],
        duration_minutes=60,
        start=at(monday - timedelta(days=2), 0),  # Saturday: nothing at the weekend
        end=at(monday + timedelta(days=1), 0),
    )
    assert slots == [at(monday, 9) + timedelta(minutes=30 * i) for i in range(15)]
    assert slots[-1] == at(monday, 16)  # the last hour that ends by 17:00


def test_proposals_fit_every_interviewers_hours_across_zones(db):
    monday = next_monday()
    berlin = interviewer_user(
        "bea", timezone_name="Europe/Berlin", weekdays=[0], start_time=time(9), end_time=time(17)
    )
    new_york = interviewer_user(
        "nate",
        timezone_name="America/New_York",
        weekdays=[0],
        start_time=time(9),
        end_time=time(17),
    )
    slots = propose_slots(
        interviewers=[berlin, new_york],
        duration_minutes=60,
        start=at(monday, 0),
        end=at(monday + timedelta(days=1), 0),
    )
    # Both are at work when Berlin's afternoon meets New York's morning.
    berlin_close = at(monday, 17, zone=BERLIN)
    ny_open = at(monday, 9, zone=NY)
    expected, moment = [], ny_open
    while moment + timedelta(hours=1) <= berlin_close:
        expected.append(moment)
        moment += timedelta(minutes=30)
    assert slots == expected and len(slots) >= 2


def test_proposals_leave_out_interviews_but_not_cancelled_ones(interviewer):
    monday = next_monday()
    busy(interviewer, at(monday, 10))
    busy(interviewer, at(monday, 13), status=Interview.Status.CANCELLED)
    slots = propose_slots(
        interviewers=[interviewer],
        duration_minutes=60,
        start=at(monday, 9),
        end=at(monday, 15),
    )
    # 09:30 and 10:30 would overlap the 10:00 interview; the cancelled 13:00 one frees its hour.
    expected = [at(monday, 9)] + [at(monday, 11) + timedelta(minutes=30 * i) for i in range(7)]
    assert slots == expected


def test_proposals_leave_out_times_offered_in_other_open_links(recruiter, interviewer):
    monday = next_monday()
    first = offer(make_application(), recruiter, [interviewer], [at(monday, 9)])

    def free():
        return propose_slots(
            interviewers=[interviewer], duration_minutes=60, start=at(monday, 9), end=at(monday, 11)
        )

    assert free() == [at(monday, 10)]
    assert propose_slots(
        interviewers=[interviewer],
        duration_minutes=60,
        start=at(monday, 9),
        end=at(monday, 11),
        exclude_request_id=first.pk,
    ) == [at(monday, 9), at(monday, 9, 30), at(monday, 10)]
    scheduling.scheduling_request_cancel(request=first, actor=recruiter)
    assert free()[0] == at(monday, 9)


def next_dst_change(zone: ZoneInfo) -> date:
    """The first day from next week whose UTC offset differs from the day before's (at noon)."""
    day = next_monday()
    while True:
        before = at(day - timedelta(days=1), 12, zone=zone).utcoffset()
        if at(day, 12, zone=zone).utcoffset() != before:
            return day
        day += timedelta(days=1)


def test_a_daylight_saving_week_keeps_nine_oclock_local(db):
    change = next_dst_change(NY)
    user = interviewer_user(
        "dora",
        timezone_name="America/New_York",
        weekdays=list(range(7)),
        start_time=time(9),
        end_time=time(10),
    )
    start = at(change - timedelta(days=3), 0, zone=NY)
    slots = propose_slots(
        interviewers=[user],
        duration_minutes=60,
        start=start,
        end=start + timedelta(days=7),
    )
    assert len(slots) == 7
    assert all(s.astimezone(NY).time() == time(9) for s in slots)
    # The same local time is a different UTC hour on either side of the change.
    assert len({s.astimezone(UTC).hour for s in slots}) == 2


def test_proposals_start_no_sooner_than_the_minimum_notice(interviewer):
    # Working hours of 00:00-23:59 leave a gap at midnight; put the interviewer in a zone where
    # "now + notice" falls around midday so the test does not depend on the hour it runs at.
    shift = 12 - (timezone.now() + timedelta(hours=2)).hour
    availability.working_hours_set(
        user=interviewer,
        timezone_name=f"Etc/GMT{-shift:+d}" if shift else "UTC",
        weekdays=list(range(7)),
        start_time=time(0),
        end_time=time(23, 59),
    )
    now = timezone.now()
    slots = propose_slots(
        interviewers=[interviewer],
        duration_minutes=30,
        start=now - timedelta(days=1),
        end=now + timedelta(days=1),
        limit=3,
    )
    assert len(slots) == 3
    assert slots[0] >= now + timedelta(hours=2)
    assert slots[0] < now + timedelta(hours=2, minutes=30)
    assert slots[0].minute in (0, 30)


def test_proposals_take_a_fixed_number_of_queries(recruiter, db):
    monday = next_monday()
    few = [interviewer_user("q1")]
    many = [interviewer_user(f"q{i}") for i in range(2, 12)]
    for user in many:
        busy(user, at(monday, 12))
    offer(make_application(), recruiter, many[:3], [at(monday, 9)])
    offer(make_application(), recruiter, few, [at(monday, 15)])

    def count(people):
        with CaptureQueriesContext(connection) as queries:
            propose_slots(
                interviewers=people, duration_minutes=60, start=at(monday, 0), end=at(monday, 23)
            )
        return len(queries)

    assert count(few) == count(many) == 4


# --------------------------------------------------------------------------- creating a link


def test_creating_a_link_stores_the_times_and_emails_the_candidate(
    recruiter, panel, django_capture_on_commit_callbacks
):
    app = make_application()
    monday = next_monday()
    with django_capture_on_commit_callbacks() as callbacks:
        request = offer(
            app,
            recruiter,
            list(panel),
            [at(monday, 14), at(monday, 9)],
            title="Technical screen",
            video_url="https://meet.example.com/abc",
        )
    assert len(callbacks) == 1
    assert request.status == "open" and len(request.nonce) == 32
    assert [s.starts_at for s in request.slots.all()] == [at(monday, 9), at(monday, 14)]
    assert all(s.ends_at - s.starts_at == timedelta(hours=1) for s in request.slots.all())
    assert set(request.interviewers.all()) == set(panel)
    assert timezone.now() + timedelta(days=6) < request.expires_at
    entry = TimelineEntry.objects.get(candidate=app.candidate, kind="interview")
    assert entry.summary.startswith("Invited to pick an interview time")


def test_the_invitation_email_carries_a_working_link(
    recruiter, panel, smtp_server, eager_tasks, django_capture_on_commit_callbacks, client
):
    app = make_application()
    monday = next_monday()
    with django_capture_on_commit_callbacks(execute=True):
        offer(app, recruiter, list(panel), [at(monday, 9)], timezone_name="Europe/Berlin")
    (sent,) = smtp_server.messages
    assert sent["to"] == [app.candidate.email]
    body = sent["message"].get_content()
    assert f"for the {app.job.title} role" in body
    assert f"{berlin(at(monday, 9)):%H:%M}" in body  # shown in the link's zone
    request = SchedulingRequest.objects.get()
    expires = request.expires_at.astimezone(BERLIN)
    assert f"until {expires.day} {expires:%B %Y, %H:%M} (Europe/Berlin)" in body
    path = re.search(r"http://[^/]+(/careers/schedule/\S+/)", body).group(1)
    page = client.get(path)
    assert page.status_code == 200 and "Pick a time for your interview" in page.content.decode()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"slots": []}, "slots"),
        ({"slots": "past"}, "slots"),
        ({"slots": "twice"}, "slots"),
        ({"slots": "too many"}, "slots"),
        ({"duration_minutes": 4}, "duration_minutes"),
        ({"duration_minutes": 481}, "duration_minutes"),
        ({"timezone_name": "Nowhere/Town"}, "timezone"),
        ({"interviewers": []}, "interviewers"),
        ({"interviewers": "roleless"}, "interviewers"),
        ({"video_url": "javascript:alert(1)"}, "video_url"),
        ({"expires_in_days": 0}, "expires_in_days"),
    ],
)
def test_bad_links_are_refused_naming_the_field(recruiter, interviewer, change, field):
    app = make_application()
    monday = next_monday()
    slots = {
        "past": [timezone.now() - timedelta(hours=1)],
        "twice": [at(monday, 9), at(monday, 9)],
        "too many": [at(monday, 0) + timedelta(hours=i) for i in range(41)],
    }
    if isinstance(change.get("slots"), str):
        change["slots"] = slots[change["slots"]]
    if change.get("interviewers") == "roleless":
        change["interviewers"] = [UserFactory(username="norole")]
    args = {"interviewers": [interviewer], "slots": [at(monday, 9)]} | change
    with pytest.raises(scheduling.SchedulingRefused) as refused:
        offer(app, recruiter, args.pop("interviewers"), args.pop("slots"), **args)
    assert refused.value.field == field
    assert not SchedulingRequest.objects.exists()


def test_a_link_is_refused_for_an_inactive_application_or_a_busy_interviewer(
    recruiter, interviewer
):
    monday = next_monday()
    busy(interviewer, at(monday, 9, 30))
    app = make_application()
    with pytest.raises(scheduling.SchedulingRefused, match="already has an interview"):
        offer(app, recruiter, [interviewer], [at(monday, 9)])
    app.status = "rejected"
    app.save()
    with pytest.raises(scheduling.SchedulingRefused, match="rejected"):
        offer(app, recruiter, [interviewer], [at(monday, 11)])
    assert not SchedulingRequest.objects.exists()


# --------------------------------------------------------------------------- booking


def test_booking_a_time_makes_the_interview(recruiter, panel):
    app = make_application()
    monday = next_monday()
    request = offer(app, recruiter, list(panel), [at(monday, 9), at(monday, 11)], title="Screen")
    slot = request.slots.get(starts_at=at(monday, 11))
    interview = scheduling.scheduling_request_book(request=request, slot_id=slot.pk)
    request.refresh_from_db()
    assert request.status == "booked" and request.interview == interview
    assert (interview.starts_at, interview.ends_at) == (at(monday, 11), at(monday, 12))
    assert interview.application == app and interview.title == "Screen"
    assert set(interview.interviewers.all()) == set(panel)
    assert interview.timezone == "Europe/Berlin"


def test_a_taken_time_is_refused_with_the_remaining_ones(recruiter, interviewer):
    monday = next_monday()
    times = [at(monday, 9), at(monday, 11), at(monday, 13)]
    first = offer(make_application(), recruiter, [interviewer], times)
    # The recruiter books the same interviewer at 11:00 by hand meanwhile.
    busy(interviewer, at(monday, 11))
    slot = first.slots.get(starts_at=at(monday, 11))
    with pytest.raises(scheduling.SlotTaken) as taken:
        scheduling.scheduling_request_book(request=first, slot_id=slot.pk)
    assert [s.starts_at for s in taken.value.remaining] == [at(monday, 9), at(monday, 13)]
    first.refresh_from_db()
    assert first.status == "open" and first.interview is None


def test_a_time_not_offered_is_refused(recruiter, interviewer):
    monday = next_monday()
    request = offer(make_application(), recruiter, [interviewer], [at(monday, 9)])
    other = offer(make_application(), recruiter, [interviewer], [at(monday, 11)])
    for slot_id in (None, other.slots.get().pk):
        with pytest.raises(scheduling.SchedulingRefused, match="Pick one of the times"):
            scheduling.scheduling_request_book(request=request, slot_id=slot_id)
    assert not Interview.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_candidates_racing_for_one_interviewers_time_only_one_wins(recruiter, interviewer):
    monday = next_monday()
    links = [
        offer(make_application(), recruiter, [interviewer], [at(monday, 9), at(monday, 11)])
        for _ in range(4)
    ]
    barrier = threading.Barrier(len(links))
    outcomes: list[str] = []

    def book(link):
        try:
            barrier.wait()
            scheduling.scheduling_request_book(
                request=link, slot_id=link.slots.get(starts_at=at(monday, 9)).pk
            )
            outcomes.append("booked")
        except scheduling.SlotTaken as exc:
            outcomes.append(f"taken:{len(exc.remaining)}")
        except Exception as exc:  # pragma: no cover - reported below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(link,)) for link in links]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked", "taken:1", "taken:1", "taken:1"]
    assert Interview.objects.filter(starts_at=at(monday, 9)).count() == 1
    assert SchedulingRequest.objects.filter(status="booked").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_candidate_and_a_recruiter_racing_for_one_time_only_one_wins(recruiter, interviewer):
    monday = next_monday()
    link = offer(make_application(), recruiter, [interviewer], [at(monday, 9), at(monday, 11)])
    other = make_application()
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def candidate():
        try:
            barrier.wait()
            scheduling.scheduling_request_book(
                request=link, slot_id=link.slots.get(starts_at=at(monday, 9)).pk
            )
            outcomes["candidate"] = "booked"
        except scheduling.SlotTaken:
            outcomes["candidate"] = "taken"
        finally:
            connection.close()

    def by_hand():
        try:
            barrier.wait()
            interviews.interview_schedule(
                application=other,
                actor=recruiter,
                starts_at=at(monday, 9, 30),
                duration_minutes=30,
                timezone_name="UTC",
                interviewers=[interviewer],
            )
            outcomes["recruiter"] = "booked"
        except interviews.InterviewConflict:
            outcomes["recruiter"] = "taken"
        finally:
            connection.close()

    threads = [threading.Thread(target=candidate), threading.Thread(target=by_hand)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["booked", "taken"], outcomes
    assert Interview.objects.filter(status="scheduled").count() == 1


def test_booking_twice_returns_the_same_interview(recruiter, interviewer):
    monday = next_monday()
    request = offer(make_application(), recruiter, [interviewer], [at(monday, 9)])
    slot = request.slots.get()
    first = scheduling.scheduling_request_book(request=request, slot_id=slot.pk)
    again = scheduling.scheduling_request_book(request=request, slot_id=slot.pk)
    assert first.pk == again.pk and Interview.objects.count() == 1


def test_rebooking_moves_the_interview_to_another_offered_time(recruiter, interviewer):
    monday = next_monday()
    request = offer(make_application(), recruiter, [interviewer], [at(monday, 9), at(monday, 11)])
    booked = scheduling.scheduling_request_book(
        request=request, slot_id=request.slots.get(starts_at=at(monday, 9)).pk
    )
    moved = scheduling.scheduling_request_rebook(
        request=request, slot_id=request.slots.get(starts_at=at(monday, 11)).pk
    )
    assert moved.pk == booked.pk and moved.uid == booked.uid
    moved.refresh_from_db()
    assert moved.starts_at == at(monday, 11) and moved.sequence > booked.sequence - 1
    assert Interview.objects.count() == 1


def test_rebooking_before_booking_is_refused(recruiter, interviewer):
    request = offer(make_application(), recruiter, [interviewer], [at(next_monday(), 9)])
    with pytest.raises(scheduling.SchedulingRefused, match="no interview to move"):
        scheduling.scheduling_request_rebook(request=request, slot_id=request.slots.get().pk)


def test_asking_for_other_times_records_it_and_tells_the_recruiter(
    recruiter, interviewer, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    monday = next_monday()
    app = make_application()
    request = offer(app, recruiter, [interviewer], [at(monday, 9)])
    interview = scheduling.scheduling_request_book(request=request, slot_id=request.slots.get().pk)
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.scheduling_request_ask_reschedule(request=request, note="Tuesdays suit me")
    change = InterviewChange.objects.get(interview=interview, action="reschedule_requested")
    assert change.by_candidate and change.note == "Tuesdays suit me"
    entry = TimelineEntry.objects.get(
        candidate=app.candidate, summary__startswith="Asked for other interview times"
    )
    entry.full_clean()  # a valid kind and channel
    assert entry.body == "Tuesdays suit me"
    invited = TimelineEntry.objects.get(candidate=app.candidate, summary__startswith="Invited")
    invited.full_clean()
    mail = [m for m in smtp_server.messages if m["to"] == [recruiter.email]]
    assert len(mail) == 1
    body = mail[0]["message"].get_content()
    assert "Tuesdays suit me" in body
    assert f"{berlin(at(monday, 9)):%b %Y, %H:%M} (Europe/Berlin)" in body


def test_asking_before_booking_needs_no_interview(recruiter, interviewer):
    request = offer(make_application(), recruiter, [interviewer], [at(next_monday(), 9)])
    scheduling.scheduling_request_ask_reschedule(request=request, note="")
    assert not InterviewChange.objects.exists()
    assert TimelineEntry.objects.filter(summary__startswith="Asked for other").count() == 1


def test_asking_for_other_times_is_limited_per_link(recruiter, interviewer):
    request = offer(make_application(), recruiter, [interviewer], [at(next_monday(), 9)])
    for n in range(scheduling.ASK_LIMIT):
        scheduling.scheduling_request_ask_reschedule(request=request, note=f"ask {n}")
    with pytest.raises(scheduling.SchedulingRefused) as refused:
        scheduling.scheduling_request_ask_reschedule(request=request, note="once more")
    assert refused.value.field == "note"
    assert TimelineEntry.objects.filter(summary__startswith="Asked for other").count() == 3


# --------------------------------------------------------------------------- the candidate's page


def test_the_candidates_page_shows_the_times_in_their_zone(client, recruiter, interviewer):
    monday = next_monday()
    request = offer(
        make_application(), recruiter, [interviewer], [at(monday, 9)], timezone_name="UTC"
    )
    html = client.get(link_url(request)).content.decode()
    assert "09:00\u201310:00" in html and "Times in UTC" in html
    tokyo = client.get(link_url(request, tz="Asia/Tokyo")).content.decode()
    assert "18:00\u201319:00" in tokyo and "Times in Asia/Tokyo" in tokyo
    expires = request.expires_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"works until {expires.day} {expires:%B %Y, %H:%M}" in tokyo
    bad = client.get(link_url(request, tz="Not/AZone"))
    assert bad.status_code == 200
    assert "not a time zone we know" in bad.content.decode()
    assert "09:00\u201310:00" in bad.content.decode()


def test_the_candidate_books_through_the_page(client, recruiter, interviewer):
    monday = next_monday()
    request = offer(make_application(), recruiter, [interviewer], [at(monday, 9), at(monday, 11)])
    slot = request.slots.get(starts_at=at(monday, 11))
    response = client.post(link_url(request), {"slot": slot.pk, "tz": "Europe/Berlin"})
    assert response.status_code == 303
    assert "done=booked" in response["Location"] and "tz=Europe%2FBerlin" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "You're booked" in page or "You&#x27;re booked" in page
    assert f"{berlin(at(monday, 11)):%H:%M}\u2013{berlin(at(monday, 12)):%H:%M}" in page
    assert "Pick another time" in page
    assert f"{berlin(at(monday, 9)):%H:%M}\u2013{berlin(at(monday, 10)):%H:%M}" in page
    assert Interview.objects.get().starts_at == at(monday, 11)


def test_a_taken_time_comes_back_with_an_error_and_the_remaining_times(
    client, recruiter, interviewer
):
    monday = next_monday()
    request = offer(
        make_application(),
        recruiter,
        [interviewer],
        [at(monday, 9), at(monday, 11)],
        timezone_name="UTC",
    )
    busy(interviewer, at(monday, 9))
    response = client.post(
        link_url(request), {"slot": request.slots.get(starts_at=at(monday, 9)).pk}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "that time was taken a moment ago" in html
    assert "11:00\u201312:00" in html and "09:00\u201310:00" not in html


def test_a_forged_or_altered_link_gets_a_clear_page(client, recruiter, interviewer):
    request = offer(make_application(), recruiter, [interviewer], [at(next_monday(), 9)])
    token = schedule_token(request)
    for bad in (
        token[:-3] + "abc",
        "nonsense",
        signing.dumps([request.pk, "x" * 32], salt="ats.schedule"),
    ):
        response = client.get(reverse("careers:schedule", args=[bad]))
        assert response.status_code == 404
        assert "This scheduling link cannot be used" in response.content.decode()
    other_salt = signing.dumps([request.pk, request.nonce], salt="ats.offer")
    assert client.get(reverse("careers:schedule", args=[other_salt])).status_code == 404
    wrong_shape = signing.dumps({"id": request.pk}, salt="ats.schedule", compress=True)
    assert client.get(reverse("careers:schedule", args=[wrong_shape])).status_code == 404
    assert (
        client.post(reverse("careers:schedule", args=["nonsense"]), {"slot": 1}).status_code == 404
    )
    assert not Interview.objects.exists()


def test_an_expired_link_is_refused_with_a_clear_message(client, recruiter, interviewer):
    request = offer(make_application(), recruiter, [interviewer], [at(next_monday(), 9)])
    SchedulingRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(link_url(request))
    assert response.status_code == 410 and "has expired" in response.content.decode()
    response = client.post(link_url(request), {"slot": request.slots.get().pk})
    assert response.status_code == 410 and not Interview.objects.exists()
    request.refresh_from_db()
    with pytest.raises(scheduling.SchedulingRefused, match="expired"):
        scheduling.scheduling_request_book(request=request, slot_id=request.slots.get().pk)


def test_a_withdrawn_link_is_dead(client, recruiter, interviewer):
    request = offer(make_application(), recruiter, [interviewer], [at(next_monday(), 9)])
    url = link_url(request)
    scheduling.scheduling_request_cancel(request=request, actor=recruiter)
    response = client.get(url)
    assert response.status_code == 404 and "cannot be used" in response.content.decode()


def test_after_booking_the_link_offers_another_time_and_none_work(client, recruiter, interviewer):
    monday = next_monday()
    request = offer(
        make_application(),
        recruiter,
        [interviewer],
        [at(monday, 9), at(monday, 11)],
        timezone_name="UTC",
    )
    client.post(link_url(request), {"slot": request.slots.get(starts_at=at(monday, 9)).pk})
    moved = client.post(
        link_url(request),
        {"action": "rebook", "slot": request.slots.get(starts_at=at(monday, 11)).pk},
    )
    assert moved.status_code == 303 and "done=moved" in moved["Location"]
    assert Interview.objects.get().starts_at == at(monday, 11)
    asked = client.post(link_url(request), {"action": "ask", "note": "Next week instead?"})
    assert asked.status_code == 303
    page = client.get(asked["Location"]).content.decode()
    assert "none of these times work" in page
    assert InterviewChange.objects.filter(action="reschedule_requested").count() == 1


def test_the_booked_interview_downloads_as_a_calendar_file(client, recruiter, interviewer):
    request = offer(make_application(), recruiter, [interviewer], [at(next_monday(), 9)])
    ics_url = reverse("careers:schedule-ics", args=[schedule_token(request)])
    assert client.get(ics_url).status_code == 404  # nothing booked yet
    client.post(link_url(request), {"slot": request.slots.get().pk})
    response = client.get(ics_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and str(Interview.objects.get().uid) in body


def test_the_candidates_page_has_no_inline_script(client, recruiter, interviewer):
    request = offer(make_application(), recruiter, [interviewer], [at(next_monday(), 9)])
    html = client.get(link_url(request)).content.decode()
    assert "js/schedule-tz.js" in html
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
    assert " style=" not in html and "<style" not in html


# --------------------------------------------------------------------------- staff pages


def test_availability_page_edits_my_own_hours(client, interviewer, password):
    login(client, interviewer, password)
    url = reverse("ats:availability")
    page = client.get(url)
    assert page.status_code == 200 and "Monday, Tuesday, Wednesday, Thursday, Friday" in (
        page.content.decode()
    )
    response = client.post(
        url,
        {
            "timezone": "Europe/Berlin",
            "timezone_other": "",
            "weekdays": ["0", "2"],
            "start_time": "08:30",
            "end_time": "16:00",
        },
    )
    assert response.status_code == 302
    row = WorkingHours.objects.get(user=interviewer)
    assert (row.timezone, row.weekdays, row.start_time) == ("Europe/Berlin", [0, 2], time(8, 30))
    typed = client.post(
        url,
        {
            "timezone": "UTC",
            "timezone_other": "Asia/Kolkata",
            "weekdays": ["1"],
            "start_time": "10:00",
            "end_time": "12:00",
        },
    )
    assert typed.status_code == 302
    assert WorkingHours.objects.get(user=interviewer).timezone == "Asia/Kolkata"


def test_availability_page_answers_bad_input_and_changes_nothing(client, interviewer, password):
    login(client, interviewer, password)
    response = client.post(
        reverse("ats:availability"),
        {
            "timezone": "UTC",
            "timezone_other": "Moon/Base",
            "weekdays": [],
            "start_time": "18:00",
            "end_time": "09:00",
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Moon/Base is not a time zone" in html
    assert "Pick at least one working day." in html
    assert "The day must end after it starts." in html
    assert not WorkingHours.objects.exists()


def test_availability_page_needs_a_role(client, users, password):
    url = reverse("ats:availability")
    for name in ("recruiter", "manager", "interviewer", "admin"):
        login(client, users[name], password)
        assert client.get(url).status_code == 200, name
    login(client, users["outsider"], password)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def new_link_post(interviewer, **changes) -> dict:
    monday = next_monday()
    data = {
        "interview_type": "",
        "title": "Technical screen",
        "interviewers": [str(interviewer.pk)],
        "duration_minutes": "45",
        "timezone": "UTC",
        "expires_in_days": "5",
        "location": "",
        "video_url": "",
        "message": "Looking forward to it.",
        "propose_from": monday.isoformat(),
        "propose_until": monday.isoformat(),
        "manual_date": [monday.isoformat(), ""],
        "manual_time": ["15:00", ""],
        "action": "preview",
    }
    return data | changes


def test_schedule_link_page_suggests_previews_and_sends(
    client, recruiter, interviewer, password, django_capture_on_commit_callbacks
):
    login(client, recruiter, password)
    app = make_application()
    url = reverse("ats:schedule-link-new", args=[app.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Let " in page.content.decode()
    suggested = client.post(url, new_link_post(interviewer, action="suggest"))
    html = suggested.content.decode()
    assert suggested.status_code == 200
    assert "free time(s) suggested" in html
    monday = next_monday()
    assert f'value="{at(monday, 9).isoformat()}"' in html  # proposed, as a checkbox to keep
    assert f'value="{at(monday, 15).isoformat()}"' in html  # added by hand
    assert "What the candidate will see" in html and "09:00\u201309:45" in html
    keep = [at(monday, 9).isoformat(), at(monday, 15).isoformat()]
    with django_capture_on_commit_callbacks() as callbacks:
        sent = client.post(
            url,
            new_link_post(interviewer, action="send", slots=keep, manual_date=[], manual_time=[]),
        )
    assert sent.status_code == 302
    request = SchedulingRequest.objects.get()
    assert sent["Location"] == reverse("ats:schedule-link-detail", args=[request.pk])
    assert [s.starts_at for s in request.slots.all()] == [at(monday, 9), at(monday, 15)]
    assert request.duration_minutes == 45 and request.expires_at < timezone.now() + timedelta(
        days=5, minutes=1
    )
    assert len(callbacks) == 1
    detail = client.get(sent["Location"]).content.decode()
    assert "Waiting for the candidate" in detail and "/careers/schedule/" in detail
    assert f"{monday.day} {monday:%b}, 09:00" in detail  # in the link's zone (UTC here)


def test_schedule_link_page_refuses_bad_input_and_sends_nothing(
    client, recruiter, interviewer, password
):
    login(client, recruiter, password)
    app = make_application()
    url = reverse("ats:schedule-link-new", args=[app.pk])
    past = (timezone.now() - timedelta(days=1)).date().isoformat()
    response = client.post(
        url,
        new_link_post(
            interviewer,
            action="send",
            manual_date=[past, "2026-13-40"],
            manual_time=["09:00", "xx"],
        ),
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "is not a date (YYYY-MM-DD)" in html
    no_times = client.post(
        url, new_link_post(interviewer, action="send", manual_date=[], manual_time=[])
    )
    assert no_times.status_code == 422 and "Offer at least one time." in no_times.content.decode()
    no_duration = client.post(url, new_link_post(interviewer, duration_minutes="", action="send"))
    assert "Give a duration or pick an interview type." in no_duration.content.decode()
    assert not SchedulingRequest.objects.exists()


def test_schedule_link_pages_are_for_recruiters_and_the_jobs_manager(
    client, users, password, interviewer
):
    manager = users["manager"]
    job = make_job()
    job.hiring_manager = manager
    job.save()
    app = make_application(job=job)
    other = make_application()
    request = offer(app, users["recruiter"], [interviewer], [at(next_monday(), 9)])
    other_request = offer(other, users["recruiter"], [interviewer], [at(next_monday(), 11)])
    pages = lambda a, r: [  # noqa: E731
        reverse("ats:schedule-link-new", args=[a.pk]),
        reverse("ats:schedule-link-detail", args=[r.pk]),
    ]
    for name in ("recruiter", "admin"):
        login(client, users[name], password)
        for url in pages(app, request) + pages(other, other_request):
            assert client.get(url).status_code == 200, (name, url)
    login(client, manager, password)
    for url in pages(app, request):
        assert client.get(url).status_code == 200, url
    for url in pages(other, other_request):
        assert client.get(url).status_code == 404, url
    for name in ("interviewer", "outsider"):
        login(client, users[name], password)
        for url in pages(app, request):
            assert client.get(url).status_code == 404, (name, url)
        cancel = reverse("ats:schedule-link-cancel", args=[request.pk])
        assert client.post(cancel).status_code == 404
    request.refresh_from_db()
    assert request.status == "open"


def test_withdrawing_a_link_from_its_page(client, recruiter, interviewer, password):
    login(client, recruiter, password)
    request = offer(make_application(), recruiter, [interviewer], [at(next_monday(), 9)])
    token_url = link_url(request)
    response = client.post(reverse("ats:schedule-link-cancel", args=[request.pk]))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "cancelled"
    assert client.get(token_url).status_code == 404
    page = client.get(reverse("ats:schedule-link-detail", args=[request.pk])).content.decode()
    assert "Cancelled" in page and "/careers/schedule/" not in page


@pytest.fixture
def eager_tasks():
    """Queued tasks run right here (no worker): the email goes out through the SMTP stand-in."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def test_the_link_page_shows_times_in_the_links_zone(client, recruiter, interviewer, password):
    login(client, recruiter, password)
    monday = next_monday()
    request = offer(make_application(), recruiter, [interviewer], [at(monday, 9)])  # Berlin
    scheduling.scheduling_request_book(request=request, slot_id=request.slots.get().pk)
    page = client.get(reverse("ats:schedule-link-detail", args=[request.pk])).content.decode()
    local = berlin(at(monday, 9))
    assert local.hour != 9  # Berlin is never on UTC
    assert f"{local.day} {local:%b}, {local:%H:%M}" in page
    assert f"{local.day} {local:%b %Y, %H:%M} (Europe/Berlin)" in page  # the booked time
    assert "Booked" in page


def test_offered_times_may_overlap_and_a_booking_takes_overlapping_times_elsewhere(
    recruiter, interviewer
):
    monday = next_monday()
    mine = offer(make_application(), recruiter, [interviewer], [at(monday, 9), at(monday, 9, 30)])
    theirs = offer(
        make_application(), recruiter, [interviewer], [at(monday, 9, 30), at(monday, 11)]
    )
    scheduling.scheduling_request_book(
        request=mine, slot_id=mine.slots.get(starts_at=at(monday, 9)).pk
    )
    # The other candidate's 09:30 overlaps the interview now booked at 09:00-10:00.
    with pytest.raises(scheduling.SlotTaken) as taken:
        scheduling.scheduling_request_book(
            request=theirs, slot_id=theirs.slots.get(starts_at=at(monday, 9, 30)).pk
        )
    assert [s.starts_at for s in taken.value.remaining] == [at(monday, 11)]
    # Moving my own interview by half an hour overlaps only itself: allowed.
    moved = scheduling.scheduling_request_rebook(
        request=mine, slot_id=mine.slots.get(starts_at=at(monday, 9, 30)).pk
    )
    assert moved.starts_at == at(monday, 9, 30)


def test_the_profile_shows_each_applications_links_to_who_may_manage_them(
    client, users, password, interviewer
):
    job = make_job()
    job.hiring_manager = users["manager"]
    job.save()
    app = make_application(job=job)
    request = offer(app, users["recruiter"], [interviewer], [at(next_monday(), 9)])
    profile = reverse("crm:candidate-detail", args=[app.candidate_id])
    for name in ("recruiter", "manager"):
        login(client, users[name], password)
        html = client.get(profile).content.decode()
        assert reverse("ats:schedule-link-detail", args=[request.pk]) in html, name
        assert "Waiting for the candidate" in html
        assert reverse("ats:schedule-link-new", args=[app.pk]) in html
    other = make_application(candidate=app.candidate)  # a job the manager does not run
    offer(other, users["recruiter"], [interviewer], [at(next_monday(), 11)])
    html = client.get(profile).content.decode()
    assert reverse("ats:schedule-link-new", args=[other.pk]) not in html


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_link_pages_take_a_fixed_number_of_queries(client, recruiter, password, db):
    login(client, recruiter, password)
    monday = next_monday()
    people = [interviewer_user(f"p{i}") for i in range(6)]
    few_app, many_app = make_application(), make_application()
    few = offer(few_app, recruiter, people[:1], [at(monday, 9)])
    many = [
        offer(
            many_app,
            recruiter,
            people,
            [at(monday + timedelta(days=d), 9) + timedelta(hours=h) for h in range(6)],
        )
        for d in range(4)
    ]
    new_few = count_queries(client, reverse("ats:schedule-link-new", args=[few_app.pk]))
    new_many = count_queries(client, reverse("ats:schedule-link-new", args=[many_app.pk]))
    assert new_few == new_many
    detail_few = count_queries(client, reverse("ats:schedule-link-detail", args=[few.pk]))
    detail_many = count_queries(client, reverse("ats:schedule-link-detail", args=[many[0].pk]))
    assert detail_few == detail_many
    page_few = count_queries(client, link_url(few))
    page_many = count_queries(client, link_url(many[0]))
    assert page_few == page_many


def test_a_link_dies_when_the_application_is_no_longer_active(client, recruiter, interviewer):
    monday = next_monday()
    app = make_application()
    request = offer(app, recruiter, [interviewer], [at(monday, 9)])
    app.status = "rejected"
    app.save()
    response = client.get(link_url(request))
    html = response.content.decode()
    assert response.status_code == 404 and "no longer in use" in html and "rejected" not in html
    assert client.post(link_url(request), {"slot": request.slots.get().pk}).status_code == 404
    assert not Interview.objects.exists()
    # ...and its times no longer hold the interviewer's calendar in proposals
    assert propose_slots(
        interviewers=[interviewer], duration_minutes=60, start=at(monday, 9), end=at(monday, 10)
    ) == [at(monday, 9)]


def test_booking_sends_the_invites_with_the_calendar(
    recruiter, interviewer, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    app = make_application()
    request = offer(app, recruiter, [interviewer], [at(next_monday(), 9)])
    with django_capture_on_commit_callbacks(execute=True):
        interview = scheduling.scheduling_request_book(
            request=request, slot_id=request.slots.get().pk
        )
    recipients = {tuple(m["to"]) for m in smtp_server.messages}
    assert (app.candidate.email,) in recipients and (interviewer.email,) in recipients
    to_candidate = next(m for m in smtp_server.messages if m["to"] == [app.candidate.email])
    calendars = [
        part
        for part in to_candidate["message"].walk()
        if part.get_content_type() == "text/calendar"
    ]
    assert calendars and "METHOD:REQUEST" in calendars[0].get_content()
    assert str(interview.uid) in calendars[0].get_content()


def test_suggestions_are_spread_over_the_days():
    monday = next_monday()
    moments = [
        at(monday + timedelta(days=d), 9) + timedelta(minutes=30 * i)
        for d in range(3)
        for i in range(16)
    ]
    picked = spread_by_day(moments, ZoneInfo("UTC"), 7)
    assert picked == sorted(picked) and len(picked) == 7
    per_day = [sum(1 for m in picked if m.date() == monday + timedelta(days=d)) for d in range(3)]
    assert per_day == [3, 2, 2]
    assert picked[:3] == [at(monday, 9), at(monday, 9, 30), at(monday, 10)]
