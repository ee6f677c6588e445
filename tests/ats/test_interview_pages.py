"""The recruiter's scheduling page, the interview page with its reschedule/change/cancel forms,
and who may see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ats.models import Interview, InterviewChange
from ats.services import interviews as svc
from config.core.roles import Role
from tests.factories import PASSWORD, UserFactory, make_application, make_candidate, make_job

from .test_interviews import future, schedule


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def new_url(app):
    return reverse("ats:interview-new", args=[app.pk])


def post_data(people, **extra):
    start = future()
    data = {
        "title": "Technical interview",
        "start_date": start.date().isoformat(),
        "start_time": "10:00",
        "timezone": "Europe/Berlin",
        "duration_minutes": "60",
        "interviewers": [p.pk for p in people],
        "video_url": "https://meet.example.com/xyz",
        "message": "Looking forward to it.",
    }
    return data | extra


# --------------------------------------------------------------------------- schedule page


def test_schedule_page_prefills_from_the_plan_and_lists_the_panel_first(client, recruiter):
    panelist = UserFactory(username="zed", first_name="Zed", roles=[Role.INTERVIEWER])
    UserFactory(username="abe", first_name="Abe", roles=[Role.INTERVIEWER])
    job = make_job()
    job.panel.set([panelist])
    app = make_application(job=job)
    kind = job.interview_types.get(name="Technical interview")
    page = login(client, recruiter).get(new_url(app) + f"?type={kind.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="60"' in html and 'value="Technical interview"' in html
    assert html.index("Zed") < html.index("Abe") and "(on the panel)" in html
    assert "Europe/Berlin" in html  # the zone select


def test_recruiter_schedules_and_lands_on_the_interview_page(client, recruiter, interviewer):
    app = make_application(candidate=make_candidate(first_name="Ada", last_name="L"))
    answer = login(client, recruiter).post(new_url(app), post_data([interviewer]))
    interview = Interview.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("ats:interview-detail", args=[interview.pk])
    assert interview.starts_at == future() and interview.timezone == "Europe/Berlin"
    assert interview.duration_minutes == 60 and list(interview.interviewers.all()) == [interviewer]
    page = client.get(answer["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Technical interview with Ada L" in html and "Scheduled for" in html
    assert "Reschedule" in html and "Cancel the interview" in html


def test_free_text_zone_is_used_and_validated(client, recruiter, interviewer):
    app = make_application()
    login(client, recruiter)
    bad = client.post(new_url(app), post_data([interviewer], timezone_other="Atlantis/Capital"))
    assert bad.status_code == 422 and "Unknown time zone" in bad.content.decode()
    assert not Interview.objects.exists()
    good = client.post(new_url(app), post_data([interviewer], timezone_other="America/Mexico_City"))
    assert good.status_code == 302
    assert Interview.objects.get().timezone == "America/Mexico_City"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"start_date": "2020-01-01"}, "in the past"),
        ({"duration_minutes": "3"}, "greater than or equal to 5"),
        ({"duration_minutes": "600"}, "less than or equal to 480"),
        ({"interviewers": []}, "This field is required"),
        ({"video_url": "not a link at all"}, "Enter a valid URL"),
        ({"start_time": "25:99"}, "Enter a valid time"),
    ],
)
def test_bad_input_re_renders_with_the_error_and_stores_nothing(
    client, recruiter, interviewer, change, message
):
    app = make_application()
    answer = login(client, recruiter).post(new_url(app), post_data([interviewer], **change))
    assert answer.status_code == 422
    assert message in answer.content.decode()
    assert not Interview.objects.exists()


def test_outsider_interviewer_is_refused_naming_the_field(client, recruiter, interviewer, outsider):
    app = make_application()
    answer = login(client, recruiter).post(new_url(app), post_data([interviewer, outsider]))
    # not offered, so the form refuses the choice itself
    assert answer.status_code == 422 and "Select a valid choice" in answer.content.decode()
    assert not Interview.objects.exists()


def test_conflicts_are_shown_then_schedule_anyway(client, recruiter, interviewer):
    other = schedule(make_application(), recruiter, [interviewer], starts_at=future())
    app = make_application()
    login(client, recruiter)
    first = client.post(new_url(app), post_data([interviewer]))
    html = first.content.decode()
    assert first.status_code == 422
    assert "Already booked at that time" in html and other.title in html
    assert "Schedule anyway" in html and Interview.objects.count() == 1
    second = client.post(new_url(app), post_data([interviewer], allow_conflicts="on"))
    assert second.status_code == 302 and Interview.objects.count() == 2


def test_inactive_application_cannot_be_scheduled(client, recruiter, interviewer):
    from ats.models import RejectionReason  # noqa: PLC0415 - local to this test
    from ats.services.applications import application_reject  # noqa: PLC0415

    app = make_application()
    application_reject(application=app, actor=recruiter, reason=RejectionReason.objects.first())
    answer = login(client, recruiter).post(new_url(app), post_data([interviewer]))
    assert answer.status_code == 302 and not Interview.objects.exists()


def test_schedule_page_permissions(client, users):
    manager = users["manager"]
    own = make_application(job=make_job(hiring_manager=manager))
    other = make_application()
    expected = {
        "recruiter": (200, 200),
        "admin": (200, 200),
        "manager": (200, 404),
        "interviewer": (404, 404),
        "outsider": (404, 404),
    }
    for name, (mine, theirs) in expected.items():
        client.logout()
        login(client, users[name])
        assert client.get(new_url(own)).status_code == mine, name
        assert client.get(new_url(other)).status_code == theirs, name
    client.logout()
    assert client.get(new_url(own)).status_code == 302  # to the login page
    assert client.get(reverse("ats:interview-new", args=[999999])).status_code == 302


def test_profile_and_board_offer_schedule_interview(client, recruiter):
    app = make_application()
    login(client, recruiter)
    profile = client.get(reverse("crm:candidate-detail", args=[app.candidate_id]))
    assert profile.status_code == 200 and new_url(app) in profile.content.decode()
    board = client.get(reverse("ats:job-board", args=[app.job_id]))
    assert board.status_code == 200 and new_url(app) in board.content.decode()


# --------------------------------------------------------------------------- interview page


def test_interview_page_permissions_and_contact_details(client, users):
    manager, interviewer = users["manager"], users["interviewer"]
    job = make_job(hiring_manager=manager)
    app = make_application(
        job=job, candidate=make_candidate(email="secret@example.com", phone="+49 30 1234567")
    )
    interview = schedule(app, users["recruiter"], [interviewer])
    off_panel = UserFactory(username="ivo", roles=[Role.INTERVIEWER])
    other_manager = UserFactory(username="meg", roles=[Role.HIRING_MANAGER])
    url = reverse("ats:interview-detail", args=[interview.pk])
    for user, status, contact, forms in [
        (users["recruiter"], 200, True, True),
        (users["admin"], 200, True, True),
        (manager, 200, True, True),
        (interviewer, 200, False, False),
        (off_panel, 404, False, False),
        (other_manager, 404, False, False),
        (users["outsider"], 404, False, False),
    ]:
        client.logout()
        login(client, user)
        page = client.get(url)
        html = page.content.decode()
        assert page.status_code == status, user.username
        assert ("secret@example.com" in html) is contact, user.username
        assert ("+49" in html) is contact, user.username
        assert ("Cancel the interview" in html) is forms, user.username
        if status == 200:
            assert "Role skills" not in html or interview.interview_type is not None
            assert interview.title in html
    missing = reverse("ats:interview-detail", args=[999999])
    assert client.get(missing).status_code == 404


def test_interviewer_sees_the_kit(client, recruiter, interviewer):
    app = make_application()
    kind = app.job.interview_types.get(name="Technical interview")
    interview = schedule(app, recruiter, [interviewer], interview_type=kind)
    page = login(client, interviewer).get(reverse("ats:interview-detail", args=[interview.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Problem solving" in html and "Walk me through a piece of work" in html


def test_reschedule_change_and_cancel_through_the_page(client, recruiter, interviewer):
    second = UserFactory(username="ivy", first_name="Ivy", roles=[Role.INTERVIEWER])
    interview = schedule(make_application(), recruiter, [interviewer])
    login(client, recruiter)
    moved_to = future(days=5, hour=15)
    answer = client.post(
        reverse("ats:interview-reschedule", args=[interview.pk]),
        {
            "move-start_date": moved_to.date().isoformat(),
            "move-start_time": "15:00",
            "move-timezone": "Europe/Berlin",
            "move-duration_minutes": "30",
            "move-note": "Sorry for the change",
        },
    )
    assert answer.status_code == 302
    interview.refresh_from_db()
    assert interview.starts_at == moved_to and interview.duration_minutes == 30
    assert interview.sequence == 1
    answer = client.post(
        reverse("ats:interview-change", args=[interview.pk]),
        {
            "details-title": "Deep dive",
            "details-interviewers": [second.pk],
            "details-location": "Room 4",
            "details-video_url": "",
            "details-message": "",
        },
    )
    assert answer.status_code == 302
    interview.refresh_from_db()
    assert interview.title == "Deep dive" and list(interview.interviewers.all()) == [second]
    page = client.get(reverse("ats:interview-detail", args=[interview.pk])).content.decode()
    assert "Rescheduled from" in page and "Sorry for the change" in page
    assert "added Ivy" in page
    answer = client.post(
        reverse("ats:interview-cancel", args=[interview.pk]), {"cancel-reason": "Role filled"}
    )
    assert answer.status_code == 302
    interview.refresh_from_db()
    assert interview.status == "cancelled" and interview.sequence == 3
    page = client.get(reverse("ats:interview-detail", args=[interview.pk])).content.decode()
    assert "Role filled" in page and "Cancel the interview" not in page
    assert list(interview.history.values_list("action", flat=True)) == [
        "scheduled",
        "rescheduled",
        "updated",
        "cancelled",
    ]


def test_bad_reschedule_shows_error_and_changes_nothing(client, recruiter, interviewer):
    interview = schedule(make_application(), recruiter, [interviewer])
    blocker = schedule(make_application(), recruiter, [interviewer], starts_at=future(days=6))
    login(client, recruiter)
    url = reverse("ats:interview-reschedule", args=[interview.pk])
    base = {
        "move-start_time": "10:00",
        "move-timezone": "Europe/Berlin",
        "move-duration_minutes": "45",
    }
    past = client.post(url, base | {"move-start_date": "2021-05-05"})
    assert past.status_code == 422 and "in the past" in past.content.decode()
    clash = client.post(url, base | {"move-start_date": future(days=6).date().isoformat()})
    html = clash.content.decode()
    assert clash.status_code == 422 and "Already booked" in html and blocker.title in html
    interview.refresh_from_db()
    assert interview.sequence == 0 and interview.starts_at == future()
    assert InterviewChange.objects.filter(interview=interview).count() == 1


def test_interviewer_and_other_manager_cannot_change(client, users):
    interview = schedule(make_application(), users["recruiter"], [users["interviewer"]])
    for user in (users["interviewer"], users["manager"], users["outsider"]):
        client.logout()
        login(client, user)
        answer = client.post(
            reverse("ats:interview-cancel", args=[interview.pk]), {"cancel-reason": "x"}
        )
        assert answer.status_code == 404, user.username
    interview.refresh_from_db()
    assert interview.is_scheduled


def test_manager_of_the_job_can_cancel(client, users):
    manager = users["manager"]
    app = make_application(job=make_job(hiring_manager=manager))
    interview = schedule(app, users["recruiter"], [users["interviewer"]])
    answer = login(client, manager).post(
        reverse("ats:interview-cancel", args=[interview.pk]), {"cancel-reason": ""}
    )
    assert answer.status_code == 302
    interview.refresh_from_db()
    assert not interview.is_scheduled
    assert svc.InterviewRefused  # the module's refusals are what the page shows
    assert interview.cancelled_at <= timezone.now() + timedelta(seconds=1)


def test_profile_panel_lists_interviews_in_constant_queries(client, recruiter, interviewer):
    from django.db import connection  # noqa: PLC0415 - query counting only here
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    candidate = make_candidate()
    app = make_application(candidate=candidate)
    first = schedule(app, recruiter, [interviewer])
    login(client, recruiter)
    url = reverse("crm:candidate-detail", args=[candidate.pk])
    with CaptureQueriesContext(connection) as few:
        page = client.get(url)
    assert page.status_code == 200
    assert reverse("ats:interview-detail", args=[first.pk]) in page.content.decode()
    for days in range(4, 14):
        other = make_application(candidate=candidate)
        schedule(other, recruiter, [interviewer], starts_at=future(days=days))
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count("/interviews/") >= 11
    assert len(many) == len(few)
