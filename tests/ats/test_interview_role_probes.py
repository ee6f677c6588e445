"""A sweep over every interview, scorecard, scheduling and offer page: anonymous visitors go to
the login page, people with no business there learn nothing (403/404, never 200 or 500), and the
public candidate pages answer a forged token with a kind 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ats.services.interviews import interview_schedule
from ats.services.offers import offer_create
from ats.services.scheduling import scheduling_request_create
from config.core.roles import Role
from tests.factories import UserFactory, make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def loop(recruiter, manager, interviewer):
    app = make_application()
    app.job.hiring_manager, app.job.recruiter = manager, recruiter
    app.job.save()
    start = timezone.now() + timedelta(days=3)
    interview = interview_schedule(
        application=app,
        actor=recruiter,
        starts_at=start,
        duration_minutes=45,
        timezone_name="Europe/Berlin",
        interviewers=[interviewer],
        title="Technical interview",
    )
    offer = offer_create(
        application=app,
        actor=recruiter,
        salary="70000",
        currency="EUR",
        start_date=(start + timedelta(days=30)).date(),
        letter="Welcome aboard.",
        approvers=[manager],
    )
    link = scheduling_request_create(
        application=app,
        actor=recruiter,
        interviewers=[interviewer],
        duration_minutes=45,
        timezone_name="Europe/Berlin",
        slots=[start + timedelta(days=1)],
    )
    return {"app": app, "interview": interview, "offer": offer, "link": link}


def _staff_pages(loop):
    app, interview, offer, link = loop["app"], loop["interview"], loop["offer"], loop["link"]
    return [
        reverse("ats:interview-detail", args=[interview.pk]),
        reverse("ats:scorecard", args=[interview.pk]),
        reverse("ats:interview-new", args=[app.pk]),
        reverse("ats:schedule-link-new", args=[app.pk]),
        reverse("ats:schedule-link-detail", args=[link.pk]),
        reverse("ats:application-summary", args=[app.pk]),
        reverse("ats:offer-new", args=[app.pk]),
        reverse("ats:offer-detail", args=[offer.pk]),
        reverse("ats:offer-edit", args=[offer.pk]),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, loop):
    for url in [
        *_staff_pages(loop),
        reverse("ats:interviews"),
        reverse("ats:offers"),
        reverse("ats:availability"),
        reverse("ats:calendar-settings"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_people_without_business_there_learn_nothing(client, loop):
    outsider = UserFactory(username="nosy", roles=[])
    stranger = UserFactory(username="ivo", roles=[Role.INTERVIEWER])  # on no panel
    other_manager = UserFactory(username="mia", roles=[Role.HIRING_MANAGER])
    for user in (outsider, stranger, other_manager):
        client.force_login(user)
        for url in _staff_pages(loop):
            response = client.get(url)
            assert response.status_code in (403, 404), (user.username, url, response.status_code)


def test_the_interviewer_sees_the_kit_and_scorecard_but_no_decision_or_offer(
    client, loop, interviewer
):
    client.force_login(interviewer)
    interview, app, offer = loop["interview"], loop["app"], loop["offer"]
    page = client.get(reverse("ats:interview-detail", args=[interview.pk]))
    assert page.status_code == 200
    assert app.candidate.email not in page.content.decode()
    assert client.get(reverse("ats:scorecard", args=[interview.pk])).status_code == 200
    for url in (
        reverse("ats:application-summary", args=[app.pk]),
        reverse("ats:offer-detail", args=[offer.pk]),
        reverse("ats:offer-new", args=[app.pk]),
        reverse("ats:schedule-link-new", args=[app.pk]),
    ):
        assert client.get(url).status_code in (403, 404), url


@pytest.mark.parametrize("token", ["x", "a" * 400, "..%2F..%2Fetc", "e30:1abc:def"])
def test_public_candidate_pages_refuse_forged_tokens_kindly(client, token):
    for name in ("careers:schedule", "careers:offer"):
        response = client.get(reverse(name, args=[token]))
        assert response.status_code in (404, 410), (name, response.status_code)
        assert "text/html" in response["Content-Type"]
    assert client.get(reverse("ats:calendar-feed", args=[token])).status_code == 404
