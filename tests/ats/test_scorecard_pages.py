"""My interviews, the scorecard form (kit, autosave, submit, amend) and the decision page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from ats.models import Application, Interview, RejectionReason, Scorecard
from ats.services.scorecards import scorecard_submit
from config.core.roles import Role
from tests.factories import UserFactory, make_application, make_job

from .scorecard_helpers import login, make_interview, unmasked

pytestmark = pytest.mark.django_db


def in_hours(hours: float):
    return timezone.now() + timedelta(hours=hours)


# --------------------------------------------------------------------------- My interviews


def test_my_interviews_sections(client, interviewer, password):
    job = make_job(title="Platform engineer")
    past = make_interview(application=make_application(job=job), interviewers=[interviewer])
    done = make_interview(application=make_application(job=job), interviewers=[interviewer])
    scorecard_submit(interview=done, interviewer=interviewer, overall="yes")
    later = make_interview(
        application=make_application(job=job),
        interviewers=[interviewer],
        starts_at=timezone.localtime().replace(hour=0, minute=0) + timedelta(days=3),
    )
    cancelled = make_interview(
        application=make_application(job=job),
        interviewers=[interviewer],
        status=Interview.Status.CANCELLED,
    )
    not_mine = make_interview(application=make_application(job=job))
    login(client, interviewer, password)
    response = client.get(reverse("ats:interviews"))
    assert response.status_code == 200
    html = unmasked(response)
    awaiting = html.split('id="awaiting"')[1].split("</section>")[0]
    assert f'id="interview-{past.pk}"' in awaiting
    assert reverse("ats:scorecard", args=[past.pk]) in awaiting
    assert f'id="interview-{done.pk}"' not in awaiting
    upcoming = html.split('id="upcoming"')[1].split("</section>")[0]
    assert f'id="interview-{later.pk}"' in upcoming
    assert f'id="interview-{cancelled.pk}"' not in html
    assert f'id="interview-{not_mine.pk}"' not in html
    assert 'id="on-my-jobs"' not in html  # recruiters only


def test_my_interviews_today_section(client, interviewer, password):
    now = timezone.localtime()
    start = now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(hours=23, minutes=50)
    today = make_interview(interviewers=[interviewer], starts_at=start, minutes=5)
    login(client, interviewer, password)
    html = client.get(reverse("ats:interviews")).content.decode()
    section = html.split('id="today"')[1].split("</section>")[0]
    assert f'id="interview-{today.pk}"' in section


def test_my_interviews_recruiter_sees_upcoming_on_their_jobs(client, recruiter, password):
    job = make_job(recruiter=recruiter)
    other = make_job()
    soon = make_interview(application=make_application(job=job), starts_at=in_hours(30))
    elsewhere = make_interview(application=make_application(job=other), starts_at=in_hours(30))
    login(client, recruiter, password)
    html = client.get(reverse("ats:interviews")).content.decode()
    section = html.split('id="on-my-jobs"')[1].split("</section>")[0]
    assert f'id="interview-{soon.pk}"' in section
    assert reverse("ats:application-summary", args=[soon.application_id]) in section
    assert f'id="interview-{elsewhere.pk}"' not in section


def test_my_interviews_permissions(client, users, password):
    assert client.get(reverse("ats:interviews")).status_code == 302
    for name in ("recruiter", "manager", "interviewer", "admin"):
        login(client, users[name], password)
        response = client.get(reverse("ats:interviews"))
        assert response.status_code == 200, name
        assert "My interviews" in response.content.decode()
    login(client, users["outsider"], password)
    assert client.get(reverse("ats:interviews")).status_code == 403


def test_my_interviews_constant_queries(client, users, password):
    user = users["recruiter"]  # also the recruiter's section
    job = make_job(recruiter=user)

    def add(n):
        for i in range(n):
            app = make_application(job=job)
            extra = UserFactory(roles=[Role.INTERVIEWER])
            starts = in_hours(30 + i) if i % 2 else in_hours(-3 - i)
            make_interview(application=app, interviewers=[user, extra], starts_at=starts)

    add(5)
    login(client, user, password)
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("ats:interviews"))
    assert response.status_code == 200
    assert response.content.decode().count('class="interview-row"') >= 5
    add(195)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("ats:interviews"))
    assert response.status_code == 200
    assert response.content.decode().count('class="interview-row"') >= 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --------------------------------------------------------------------------- scorecard form


def test_scorecard_form_shows_the_kit(client, interviewer, password):
    interview = make_interview(interviewers=[interviewer])
    login(client, interviewer, password)
    response = client.get(reverse("ats:scorecard", args=[interview.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    person = interview.application.candidate
    for text in ("API design", "Design a rate limiter.", "Probe for trade-offs.", str(person)):
        assert text in html
    assert interview.application.job.title in html
    assert html.count('type="radio" name="rating-0"') == 5  # 1-4 and "not rated"
    assert "Excellent" in html and "Not rated" in html
    assert reverse("ats:scorecard-draft", args=[interview.pk]) in html
    assert 'value="draft"' in html  # the no-JavaScript "Save draft" button


def test_scorecard_form_only_for_the_panel(client, users, password):
    interview = make_interview(interviewers=[users["interviewer"]])
    url = reverse("ats:scorecard", args=[interview.pk])
    for name in ("recruiter", "manager", "admin"):
        login(client, users[name], password)
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"overall": "yes"}).status_code == 404, name
    login(client, users["outsider"], password)
    assert client.get(url).status_code == 404
    login(client, users["interviewer"], password)
    assert client.get(reverse("ats:scorecard", args=[999999])).status_code == 404
    assert not Scorecard.objects.exists()


def test_submit_then_amend_through_the_form(client, interviewer, password):
    interview = make_interview(interviewers=[interviewer])
    url = reverse("ats:scorecard", args=[interview.pk])
    login(client, interviewer, password)
    data = {"rating-0": "4", "rating-1": "", "rating-2": "2", "overall": "yes", "notes": "Good"}
    response = client.post(url, data | {"action": "submit"})
    assert response.status_code == 302
    card = Scorecard.objects.get()
    assert card.status == "submitted"
    assert card.ratings == [
        {"attribute": "API design", "rating": 4},
        {"attribute": "Problem solving", "rating": 2},
    ]
    html = client.get(url).content.decode()
    assert "Submit amendment" in html and "hx-post" not in html
    client.post(url, data | {"overall": "strong_yes", "action": "submit"})
    html = client.get(url).content.decode()
    assert "History (2 versions)" in html
    assert Scorecard.objects.get().overall == "strong_yes"


def test_bad_input_answers_422_with_the_reason(client, interviewer, password):
    interview = make_interview(interviewers=[interviewer])
    url = reverse("ats:scorecard", args=[interview.pk])
    login(client, interviewer, password)
    response = client.post(url, {"rating-0": "7", "overall": "yes", "action": "submit"})
    assert response.status_code == 422
    assert "must be 1 to 4" in response.content.decode()
    response = client.post(url, {"rating-0": "3", "notes": "kept", "action": "submit"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Choose an overall recommendation." in html
    assert ">kept</textarea>" in html  # what was typed comes back
    assert not Scorecard.objects.filter(status="submitted").exists()


def test_autosave_keeps_the_draft(client, interviewer, password):
    interview = make_interview(interviewers=[interviewer])
    login(client, interviewer, password)
    draft_url = reverse("ats:scorecard-draft", args=[interview.pk])
    response = client.post(
        draft_url, {"rating-1": "3", "notes": "typing..."}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Draft saved at" in response.content.decode()
    assert "<html" not in response.content.decode()
    card = Scorecard.objects.get()
    assert (card.status, card.notes) == ("draft", "typing...")
    # the tab was closed: the form comes back with the draft
    html = client.get(reverse("ats:scorecard", args=[interview.pk])).content.decode()
    assert ">typing...</textarea>" in html
    assert 'name="rating-1" value="3" checked' in html
    # without JavaScript, "Save draft" is a plain POST to the form
    response = client.post(
        reverse("ats:scorecard", args=[interview.pk]), {"notes": "more", "action": "draft"}
    )
    assert response.status_code == 302
    assert Scorecard.objects.get().notes == "more"
    # an autosave refused is a 422 naming the reason
    response = client.post(draft_url, {"rating-0": "9"}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "Not saved" in response.content.decode()


# --------------------------------------------------------------------------- decision page


@pytest.fixture
def decided(users):
    job = make_job(hiring_manager=users["manager"], title="Data engineer")
    app = make_application(
        job=job,
    )
    Application.objects.filter(pk=app.pk).update(
        cover_letter="I love pipelines.",
        answers=[{"question": 1, "label": "Notice period?", "answer": "One month"}],
    )
    paula = UserFactory(username="paula", roles=[Role.INTERVIEWER])
    first = make_interview(application=app, interviewers=[users["interviewer"], paula])
    scorecard_submit(
        interview=first,
        interviewer=paula,
        overall="strong_yes",
        ratings=[{"attribute": "API design", "rating": 4}],
        notes="Paula notes this",
    )
    return app


def test_summary_page_for_the_manager(client, users, password, decided):
    login(client, users["manager"], password)
    response = client.get(reverse("ats:application-summary", args=[decided.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Paula notes this", "4 · Excellent", "I love pipelines.", "Notice period?", "One month",
        'id="tally"', "Advance to", "Rejection reason", str(decided.candidate),
    ):  # fmt: skip
        assert text in html, text
    try:
        offer = reverse("ats:offer-new", kwargs={"pk": decided.pk})
    except NoReverseMatch:
        assert 'id="make-offer"' not in html
    else:
        assert offer in html


def test_summary_page_permissions(client, users, password, decided):
    url = reverse("ats:application-summary", args=[decided.pk])
    for name in ("recruiter", "manager", "admin"):
        login(client, users[name], password)
        assert client.get(url).status_code == 200, name
    for name in ("interviewer", "outsider"):
        login(client, users[name], password)
        assert client.get(url).status_code == 404, name
    other = UserFactory(username="olga", roles=[Role.HIRING_MANAGER, Role.INTERVIEWER])
    login(client, other, password)
    assert client.get(url).status_code == 404
    decided.interviews.first().interviewers.add(other)  # interviews them, not their job
    assert client.get(url).status_code == 404
    assert client.get(reverse("ats:application-summary", args=[999999])).status_code == 404


def test_summary_page_is_blind_for_a_manager_on_the_panel(client, users, password, decided):
    decided.interviews.first().interviewers.add(users["manager"])
    login(client, users["manager"], password)
    html = client.get(reverse("ats:application-summary", args=[decided.pk])).content.decode()
    assert 'id="blind-note"' in html
    assert "Paula notes this" not in html


def test_summary_actions_advance_and_reject(client, users, password, decided):
    login(client, users["manager"], password)
    here = reverse("ats:application-summary", args=[decided.pk])
    stage = decided.stage
    response = client.post(
        reverse("ats:review-decide", args=[decided.pk]),
        {"decision": "advance", "next": here},
    )
    assert response.status_code == 302 and response.url == here
    decided.refresh_from_db()
    assert decided.stage.position > stage.position
    reason = RejectionReason.objects.filter(active=True).first()
    response = client.post(
        reverse("ats:application-reject", args=[decided.pk]),
        {"reason": reason.pk, "next": here},
    )
    assert response.status_code == 302 and response.url == here
    decided.refresh_from_db()
    assert decided.status == "rejected"
    html = client.get(here).content.decode()
    assert "This application is rejected." in html


def test_summary_page_constant_queries(client, users, password, decided):
    login(client, users["recruiter"], password)
    url = reverse("ats:application-summary", args=[decided.pk])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(15):
        extra = UserFactory(roles=[Role.INTERVIEWER])
        interview = make_interview(application=decided, interviewers=[extra])
        scorecard_submit(interview=interview, interviewer=extra, overall="no", notes="n")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('<th scope="col">') >= 17
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_board_and_profile_link_to_the_decision_page(client, users, password):
    job = make_job(hiring_manager=users["manager"])
    app = make_application(job=job)
    make_interview(application=app, interviewers=[users["interviewer"]])
    summary = reverse("ats:application-summary", args=[app.pk])
    for name in ("recruiter", "manager"):
        login(client, users[name], password)
        assert summary in client.get(reverse("ats:job-board", args=[job.pk])).content.decode()
        profile = client.get(reverse("crm:candidate-detail", args=[app.candidate_id]))
        assert summary in profile.content.decode(), name
    job.panel.add(users["interviewer"])
    login(client, users["interviewer"], password)
    board = client.get(reverse("ats:job-board", args=[job.pk]))
    assert board.status_code == 200 and str(app.candidate) in board.content.decode()
    assert summary not in board.content.decode()
