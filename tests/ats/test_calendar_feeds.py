"""Private, revocable ICS feeds of each interviewer's interviews."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from ats.models import CalendarFeed, Interview
from ats.services import interviews as svc
from config.core.roles import Role
from tests.factories import PASSWORD, UserFactory, make_application

from .test_interviews import future, schedule

SETTINGS = reverse("ats:calendar-settings")


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def feed_url(token):
    return reverse("ats:calendar-feed", args=[token])


def test_create_copy_revoke_and_replace(client, interviewer, settings):
    login(client, interviewer)
    page = client.get(SETTINGS)
    assert page.status_code == 200 and "Create my feed URL" in page.content.decode()
    assert client.post(SETTINGS, {"action": "create"}).status_code == 302
    feed = CalendarFeed.objects.get(user=interviewer)
    page = client.get(SETTINGS).content.decode()
    assert f"{settings.SITE_URL}/calendar/{feed.token}.ics" in page
    assert f'href="webcal://{settings.SITE_URL.split("://")[1]}/calendar/{feed.token}.ics"' in page
    old = feed.token
    client.post(SETTINGS, {"action": "create"})
    new = CalendarFeed.objects.get(user=interviewer).token
    assert new != old
    client.logout()
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200
    login(client, interviewer).post(SETTINGS, {"action": "revoke"})
    client.logout()
    assert not CalendarFeed.objects.exists()
    assert client.get(feed_url(new)).status_code == 404


def test_feed_lists_own_interviews_from_30_days_ago_with_cancelled_marked(
    client, recruiter, interviewer
):
    other = UserFactory(username="ivy", roles=[Role.INTERVIEWER])
    mine = schedule(make_application(), recruiter, [interviewer])
    gone = schedule(make_application(), recruiter, [interviewer], starts_at=future(days=4))
    svc.interview_cancel(interview=gone, actor=recruiter)
    schedule(make_application(), recruiter, [other], starts_at=future(days=5))
    recent = schedule(make_application(), recruiter, [interviewer], starts_at=future(days=6))
    old = schedule(make_application(), recruiter, [interviewer], starts_at=future(days=7))
    # moved into the past by hand (the services refuse past times)
    Interview.objects.filter(pk=recent.pk).update(
        starts_at=timezone.now() - timedelta(days=10),
        ends_at=timezone.now() - timedelta(days=10) + timedelta(hours=1),
    )
    Interview.objects.filter(pk=old.pk).update(
        starts_at=timezone.now() - timedelta(days=40),
        ends_at=timezone.now() - timedelta(days=40) + timedelta(hours=1),
    )
    login(client, interviewer).post(SETTINGS, {"action": "create"})
    client.logout()
    token = CalendarFeed.objects.get(user=interviewer).token
    answer = client.get(feed_url(token))
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(answer.content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    events = {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    assert set(events) == {str(mine.uid), str(gone.uid), str(recent.uid)}
    assert str(events[str(gone.uid)]["STATUS"]) == "CANCELLED"
    assert str(events[str(mine.uid)]["STATUS"]) == "CONFIRMED"
    assert events[str(mine.uid)]["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert b"mailto:cand" not in answer.content


def test_feed_query_count_does_not_grow(client, recruiter, interviewer):
    login(client, interviewer).post(SETTINGS, {"action": "create"})
    client.logout()
    token = CalendarFeed.objects.get(user=interviewer).token
    schedule(make_application(), recruiter, [interviewer])
    with CaptureQueriesContext(connection) as few:
        assert client.get(feed_url(token)).status_code == 200
    for days in range(4, 20):
        schedule(make_application(), recruiter, [interviewer], starts_at=future(days=days))
    with CaptureQueriesContext(connection) as many:
        answer = client.get(feed_url(token))
    assert answer.status_code == 200 and answer.content.count(b"BEGIN:VEVENT") == 17
    assert len(many) == len(few)


def test_unknown_token_and_departed_user_get_404(client, interviewer):
    assert client.get(feed_url("nope")).status_code == 404
    login(client, interviewer).post(SETTINGS, {"action": "create"})
    token = CalendarFeed.objects.get(user=interviewer).token
    interviewer.is_active = False
    interviewer.save()
    client.logout()
    assert client.get(feed_url(token)).status_code == 404


def test_settings_page_permissions(client, users):
    for name in ("recruiter", "manager", "interviewer", "admin"):
        client.logout()
        assert login(client, users[name]).get(SETTINGS).status_code == 200, name
    client.logout()
    login(client, users["outsider"])
    assert client.get(SETTINGS).status_code == 403
    assert client.post(SETTINGS, {"action": "create"}).status_code == 403
    assert not CalendarFeed.objects.exists()
    client.logout()
    assert client.get(SETTINGS).status_code == 302
