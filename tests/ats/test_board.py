"""The job board: who sees it, what it shows, moves one by one and in bulk, filters, queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ats.models import Application, RejectionReason, StageChange
from ats.services.applications import (
    SILVER_MEDALIST_TAG,
    MoveRefused,
    application_reject,
    applications_board_bulk,
)
from crm.models import TimelineEntry
from tests.factories import UserFactory, make_application, make_candidate, make_job

from .scorecard_helpers import make_interview

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def board_url(job) -> str:
    return reverse("ats:job-board", args=[job.pk])


def move_url(job, app) -> str:
    return reverse("ats:board-move", args=[job.pk, app.pk])


def bulk_url(job) -> str:
    return reverse("ats:board-bulk", args=[job.pk])


def stage(job, kind):
    return job.stages.get(kind=kind)


def unmasked(response) -> str:
    """The page without its CSRF token (masked differently in every response)."""
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def job(recruiter, manager):
    return make_job(actor=recruiter, hiring_manager=manager, title="Backend Engineer")


@pytest.fixture
def app(job, recruiter):
    person = make_candidate(
        first_name="Ada", last_name="Lovelace", current_title="Analyst", current_company="Babbage"
    )
    return make_application(job=job, candidate=person, actor=recruiter, source="agency")


# --------------------------------------------------------------------------- permissions


def test_board_recruiter_sees_it_with_move_controls(client, recruiter, job, app):
    response = login(client, recruiter).get(board_url(job))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Backend Engineer" in html and job.reference in html
    assert "Open" in html and "Engineering" in html and "Berlin, DE" in html
    assert reverse("ats:job-edit", args=[job.pk]) in html
    assert move_url(job, app) in html and 'id="board-bulk"' in html


def test_board_the_jobs_hiring_manager_sees_it(client, manager, job, app):
    response = login(client, manager).get(board_url(job))
    assert response.status_code == 200
    assert move_url(job, app) in response.content.decode()


def test_board_another_hiring_manager_gets_404(client, job, app):
    other = UserFactory(username="other-manager", roles=["Hiring manager"])
    client = login(client, other)
    existing = client.get(board_url(job))
    missing = client.get(reverse("ats:job-board", args=[job.pk + 1000]))
    assert existing.status_code == missing.status_code == 404
    assert unmasked(existing) == unmasked(missing)
    assert "Ada Lovelace" not in existing.content.decode()


def test_board_interviewer_on_the_panel_sees_it_read_only(client, interviewer, job, app):
    """Read-only, and only the applications they interview for (issue 12, roles)."""
    job.panel.add(interviewer)
    other = make_application(job=job, candidate=make_candidate(first_name="Grace"))
    response = login(client, interviewer).get(board_url(job))
    assert response.status_code == 200
    assert "Ada Lovelace" not in response.content.decode()  # on the panel, no interview yet
    make_interview(application=app, interviewers=[interviewer])
    response = client.get(board_url(job))
    html = response.content.decode()
    assert "Ada Lovelace" in html
    assert str(other.candidate) not in html
    assert move_url(job, app) not in html
    assert 'draggable="true"' not in html and 'id="board-bulk"' not in html
    assert reverse("ats:job-edit", args=[job.pk]) not in html


def test_board_interviewer_not_on_the_panel_gets_404(client, interviewer, job, app):
    client = login(client, interviewer)
    existing = client.get(board_url(job))
    missing = client.get(reverse("ats:job-board", args=[job.pk + 1000]))
    assert existing.status_code == missing.status_code == 404
    assert unmasked(existing) == unmasked(missing)
    assert "Ada Lovelace" not in existing.content.decode()


def test_board_outsider_learns_nothing(client, outsider, job):
    client = login(client, outsider)
    existing = client.get(board_url(job))
    missing = client.get(reverse("ats:job-board", args=[job.pk + 1000]))
    assert existing.status_code == missing.status_code == 404
    assert unmasked(existing) == unmasked(missing)


def test_board_recruiter_gets_404_for_a_missing_job(client, recruiter):
    assert login(client, recruiter).get(reverse("ats:job-board", args=[999999])).status_code == 404


def test_board_anonymous_goes_to_login(client, job):
    response = client.get(board_url(job))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --------------------------------------------------------------------------- what it shows


def test_board_shows_columns_with_counts_and_cards(client, recruiter, job, app):
    Application.objects.filter(pk=app.pk).update(
        stage_entered_at=timezone.now() - timedelta(days=3, hours=1)
    )
    make_application(job=job, actor=recruiter)
    html = login(client, recruiter).get(board_url(job)).content.decode()
    for name in ("Applied", "Screen", "Interview", "Final round", "Offer", "Hired"):
        assert f">{name}</h2>" in html
    applied = stage(job, "applied")
    column = html.split(f'id="column-{applied.pk}"')[1].split("</section>")[0]
    assert '<span class="board-count">2</span>' in column
    assert "Ada Lovelace" in column and "Analyst · Babbage" in column
    assert "3 days in stage" in column and "Agency" in column
    assert reverse("crm:candidate-detail", args=[app.candidate_id]) in column


def test_board_shows_referral_and_silver_medalist_badges(client, recruiter, job):
    person = make_candidate(tags=[SILVER_MEDALIST_TAG])
    make_application(job=job, candidate=person, actor=recruiter, source="referral")
    html = login(client, recruiter).get(board_url(job)).content.decode()
    assert "badge badge-accent" in html and "Referral" in html
    assert "Silver medalist" in html


def test_board_hides_closed_applications_unless_asked(client, recruiter, job, app):
    reason = RejectionReason.objects.first()
    application_reject(application=app, reason=reason, actor=recruiter)
    client = login(client, recruiter)
    assert "Ada Lovelace" not in client.get(board_url(job)).content.decode()
    html = client.get(board_url(job), {"closed": "1"}).content.decode()
    assert "Ada Lovelace" in html and "Rejected" in html and move_url(job, app) not in html


def test_board_filters_narrow_cards_and_counts_read_x_of_y(client, recruiter, job, app):
    other = make_candidate(first_name="Grace", last_name="Hopper", current_title="Admiral")
    make_application(job=job, candidate=other, actor=recruiter, source="referral")
    client = login(client, recruiter)

    by_text = client.get(board_url(job), {"q": "love"}).content.decode()
    assert "Ada Lovelace" in by_text and "Grace Hopper" not in by_text
    assert '<span class="board-count">1 of 2</span>' in by_text

    by_title = client.get(board_url(job), {"q": "admiral"}).content.decode()
    assert "Grace Hopper" in by_title and "Ada Lovelace" not in by_title

    by_source = client.get(board_url(job), {"source": "agency"}).content.decode()
    assert "Ada Lovelace" in by_source and "Grace Hopper" not in by_source

    Application.objects.filter(pk=app.pk).update(
        stage_entered_at=timezone.now() - timedelta(days=10)
    )
    by_days = client.get(board_url(job), {"days": "7"}).content.decode()
    assert "Ada Lovelace" in by_days and "Grace Hopper" not in by_days


def test_board_filters_keep_the_query_in_move_urls(client, recruiter, job, app):
    html = login(client, recruiter).get(board_url(job), {"q": "ada"}).content.decode()
    assert f'action="{move_url(job, app)}?q=ada"' in html


def test_board_bad_filter_is_shown_and_ignored(client, recruiter, job, app):
    response = login(client, recruiter).get(board_url(job), {"days": "lots"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ada Lovelace" in html and "field-error" in html


def test_board_htmx_gets_the_board_partial(client, recruiter, job, app):
    response = login(client, recruiter).get(board_url(job), {"q": "ada"}, **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="board-region"')
    assert "Ada Lovelace" in html and "<header" not in html.split("board-column")[0]
    assert "hx-swap-oob" not in html  # a filter leaves the page's messages alone


def test_board_query_count_does_not_grow_with_cards(client, recruiter, job):
    client = login(client, recruiter)
    for _ in range(5):
        make_application(job=job, actor=recruiter)
    client.get(board_url(job))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        response = client.get(board_url(job))
    assert response.status_code == 200
    assert response.content.decode().count("<article") == 5
    for _ in range(55):
        make_application(job=job, actor=recruiter)
    with CaptureQueriesContext(connection) as many:
        response = client.get(board_url(job))
    assert response.content.decode().count("<article") == 60
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_board_query_count_is_constant_for_the_hiring_manager_too(client, manager, job):
    # The manager's board must really render (a 404 costs a constant number of queries too):
    # status, the cards and the move controls are checked with each count.
    client = login(client, manager)
    job.manager_can_bulk = True  # the bulk bar is rendered (and counted) too
    job.save()
    make_application(job=job, candidate=make_candidate(first_name="Cand"))
    client.get(board_url(job))
    with CaptureQueriesContext(connection) as few:
        response = client.get(board_url(job), {"q": "cand"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<article") == 1 and 'id="board-bulk"' in html
    for _ in range(20):
        make_application(job=job, candidate=make_candidate(first_name="Cand"))
    with CaptureQueriesContext(connection) as many:
        response = client.get(board_url(job), {"q": "cand"})
    assert response.status_code == 200
    assert response.content.decode().count("<article") == 21
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --------------------------------------------------------------------------- one move


def test_move_moves_and_writes_history(client, recruiter, job, app):
    screen = stage(job, "screen")
    response = login(client, recruiter).post(move_url(job, app), {"stage": screen.pk}, **HTMX)
    assert response.status_code == 200
    app.refresh_from_db()
    assert app.stage == screen
    assert StageChange.objects.filter(application=app, to_stage=screen, actor=recruiter).exists()
    html = response.content.decode()
    column = html.split(f'id="column-{screen.pk}"')[1].split("</section>")[0]
    assert '<span class="board-count">1</span>' in column and "Ada Lovelace" in column
    assert 'id="messages" hx-swap-oob="innerHTML"' in html
    assert "Moved Ada Lovelace to Screen." in html


def test_move_refuses_another_jobs_stage_with_422(client, recruiter, job, app):
    elsewhere = make_job(actor=recruiter)
    response = login(client, recruiter).post(
        move_url(job, app), {"stage": stage(elsewhere, "screen").pk}, **HTMX
    )
    assert response.status_code == 422
    app.refresh_from_db()
    assert app.stage == stage(job, "applied")
    assert StageChange.objects.filter(application=app).count() == 1
    html = response.content.decode()
    assert "not part of this job" in html and "Ada Lovelace" in html


def test_move_refuses_an_application_of_another_job(client, recruiter, job):
    stranger = make_application(actor=recruiter)
    response = login(client, recruiter).post(
        move_url(job, stranger), {"stage": stage(job, "screen").pk}, **HTMX
    )
    assert response.status_code == 422
    stranger.refresh_from_db()
    assert stranger.stage.kind == "applied"


def test_move_refuses_a_missing_stage(client, recruiter, job, app):
    response = login(client, recruiter).post(move_url(job, app), {"stage": "x"}, **HTMX)
    assert response.status_code == 422
    assert "Choose a stage" in response.content.decode()


def test_move_refuses_an_inactive_application(client, recruiter, job, app):
    application_reject(application=app, reason=RejectionReason.objects.first(), actor=recruiter)
    response = login(client, recruiter).post(
        move_url(job, app), {"stage": stage(job, "screen").pk}, **HTMX
    )
    assert response.status_code == 422
    app.refresh_from_db()
    assert app.stage.kind == "applied"


@pytest.mark.parametrize("who", ["interviewer", "other-manager", "outsider"])
def test_move_refused_for_those_who_may_not_move(client, who, interviewer, outsider, job, app):
    job.panel.add(interviewer)
    users = {
        "interviewer": interviewer,
        "outsider": outsider,
        "other-manager": UserFactory(username="other-manager", roles=["Hiring manager"]),
    }
    client = login(client, users[who])
    response = client.post(move_url(job, app), {"stage": stage(job, "screen").pk}, **HTMX)
    # None of them may see the board to move on it: 404, the same answer as for no job at all.
    assert response.status_code == 404
    missing = client.post(
        reverse("ats:board-move", args=[job.pk + 1000, app.pk]),
        {"stage": stage(job, "screen").pk},
        **HTMX,
    )
    assert unmasked(response) == unmasked(missing)
    assert "Ada Lovelace" not in response.content.decode()
    app.refresh_from_db()
    assert app.stage.kind == "applied"
    assert StageChange.objects.filter(application=app).count() == 1


def test_move_by_the_jobs_hiring_manager_moves(client, manager, job, app):
    screen = stage(job, "screen")
    response = login(client, manager).post(move_url(job, app), {"stage": screen.pk}, **HTMX)
    assert response.status_code == 200
    assert "Moved Ada Lovelace to Screen." in response.content.decode()
    app.refresh_from_db()
    assert app.stage == screen
    assert StageChange.objects.filter(application=app, to_stage=screen, actor=manager).exists()


def test_move_manager_on_the_panel_of_a_job_they_do_not_manage_gets_403(client, job, app):
    both = UserFactory(username="both", roles=["Hiring manager", "Interviewer"])
    job.panel.add(both)
    response = login(client, both).post(move_url(job, app), {"stage": stage(job, "screen").pk})
    assert response.status_code == 403
    app.refresh_from_db()
    assert app.stage.kind == "applied"


def test_move_without_htmx_redirects_back_with_a_message(client, recruiter, job, app):
    client = login(client, recruiter)
    response = client.post(
        move_url(job, app) + "?q=ada", {"stage": stage(job, "interview").pk}, follow=False
    )
    assert response.status_code == 302
    assert response["Location"] == board_url(job) + "?q=ada"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Moved Ada Lovelace to Interview."
    ]
    app.refresh_from_db()
    assert app.stage.kind == "interview"


def test_move_refused_without_htmx_redirects_with_the_reason(client, recruiter, job, app):
    elsewhere = make_job(actor=recruiter)
    response = login(client, recruiter).post(
        move_url(job, app), {"stage": stage(elsewhere, "screen").pk}, follow=True
    )
    assert response.status_code == 200
    assert "not part of this job" in response.content.decode()
    app.refresh_from_db()
    assert app.stage.kind == "applied"


def test_move_into_hired_hires_and_the_card_leaves(client, recruiter, job, app):
    response = login(client, recruiter).post(
        move_url(job, app), {"stage": stage(job, "hired").pk}, **HTMX
    )
    html = response.content.decode()
    assert "Hired Ada Lovelace." in html
    assert f'id="card-{app.pk}"' not in html
    app.refresh_from_db()
    assert app.status == Application.Status.HIRED


def test_move_get_is_not_allowed(client, recruiter, job, app):
    assert login(client, recruiter).get(move_url(job, app)).status_code == 405


# --------------------------------------------------------------------------- bulk


def test_bulk_move_reports_moved_and_refused(client, recruiter, job, app):
    second = make_application(job=job, actor=recruiter)
    stranger = make_application(actor=recruiter)
    interview = stage(job, "interview")
    response = login(client, recruiter).post(
        bulk_url(job),
        {"action": "move", "stage": interview.pk, "ids": [app.pk, second.pk, stranger.pk]},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 moved, 1 refused" in html and f"#{stranger.pk}: not on this job" in html
    assert str(stranger.candidate) not in html  # another job's candidate is not named
    assert set(job.applications.values_list("stage", flat=True)) == {interview.pk}
    stranger.refresh_from_db()
    assert stranger.stage.kind == "applied"


def test_bulk_reject_with_reason_note_and_email(client, recruiter, job, app):
    second = make_application(job=job, actor=recruiter)
    reason = RejectionReason.objects.filter(active=True).first()
    response = login(client, recruiter).post(
        bulk_url(job),
        {
            "action": "reject",
            "reason": reason.pk,
            "note": "Role filled",
            "send_email": "1",
            "ids": [app.pk, second.pk],
        },
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["2 rejected."]
    for row in (app, second):
        row.refresh_from_db()
        assert row.status == Application.Status.REJECTED
        assert row.rejection_reason == reason and row.rejection_note == "Role filled"
        entry = TimelineEntry.objects.get(
            candidate=row.candidate_id, kind=TimelineEntry.Kind.STAGE_CHANGE
        )
        assert entry.data["email"] is True
        assert TimelineEntry.objects.filter(
            candidate=row.candidate_id, kind=TimelineEntry.Kind.EMAIL_OUT
        ).exists()


def test_bulk_reject_without_email_queues_none(client, recruiter, job, app):
    reason = RejectionReason.objects.filter(active=True).first()
    login(client, recruiter).post(
        bulk_url(job), {"action": "reject", "reason": reason.pk, "ids": [app.pk]}
    )
    app.refresh_from_db()
    assert app.status == Application.Status.REJECTED
    assert not TimelineEntry.objects.filter(
        candidate=app.candidate_id, kind=TimelineEntry.Kind.EMAIL_OUT
    ).exists()


def test_bulk_reject_needs_a_reason(client, recruiter, job, app):
    response = login(client, recruiter).post(
        bulk_url(job), {"action": "reject", "ids": [app.pk]}, **HTMX
    )
    assert response.status_code == 422
    assert "rejection reason" in response.content.decode()
    app.refresh_from_db()
    assert app.status == Application.Status.ACTIVE


def test_bulk_needs_a_ticked_card(client, recruiter, job):
    response = login(client, recruiter).post(
        bulk_url(job), {"action": "move", "stage": stage(job, "screen").pk}, **HTMX
    )
    assert response.status_code == 422
    assert "Tick at least one card" in response.content.decode()


@pytest.mark.parametrize("who", ["interviewer", "other-manager"])
def test_bulk_refused_for_those_who_may_not_move(client, who, interviewer, job, app):
    job.panel.add(interviewer)
    user = interviewer
    if who == "other-manager":
        user = UserFactory(username="other-manager", roles=["Hiring manager"])
    response = login(client, user).post(
        bulk_url(job), {"action": "move", "stage": stage(job, "screen").pk, "ids": [app.pk]}
    )
    assert response.status_code == 404
    assert "Ada Lovelace" not in response.content.decode()
    app.refresh_from_db()
    assert app.stage.kind == "applied"
    assert StageChange.objects.filter(application=app).count() == 1


def test_bulk_by_the_jobs_hiring_manager_needs_the_jobs_grant(client, manager, job, app):
    """Without ``manager_can_bulk`` the hiring manager has no bulk bar and the bulk POST is
    refused (403, nothing moves); one-card moves stay theirs."""
    client = login(client, manager)
    html = client.get(board_url(job)).content.decode()
    assert 'id="board-bulk"' not in html and "js-select-card" not in html
    assert move_url(job, app) in html
    response = client.post(
        bulk_url(job), {"action": "move", "stage": stage(job, "screen").pk, "ids": [app.pk]}
    )
    assert response.status_code == 403
    app.refresh_from_db()
    assert app.stage.kind == "applied"


def test_bulk_service_refuses_a_manager_without_the_grant(manager, job, app):
    with pytest.raises(MoveRefused, match="Only recruiters"):
        applications_board_bulk(
            job=job, action="move", application_ids=[app.pk], actor=manager,
            stage=stage(job, "screen"),
        )  # fmt: skip
    app.refresh_from_db()
    assert app.stage.kind == "applied"


def test_bulk_by_the_jobs_hiring_manager_moves(client, manager, job, app):
    job.manager_can_bulk = True
    job.save()
    html = login(client, manager).get(board_url(job)).content.decode()
    assert 'id="board-bulk"' in html
    screen = stage(job, "screen")
    response = login(client, manager).post(
        bulk_url(job), {"action": "move", "stage": screen.pk, "ids": [app.pk]}, **HTMX
    )
    assert response.status_code == 200
    assert "1 moved." in response.content.decode()
    app.refresh_from_db()
    assert app.stage == screen
    assert StageChange.objects.filter(application=app, to_stage=screen, actor=manager).exists()


def test_board_offers_status_actions_publish_and_the_funnel(client, recruiter, password):
    job = make_job(status="draft", published=False)
    make_application(job=job)
    assert client.login(username=recruiter.username, password=password)
    board = reverse("ats:job-board", args=[job.pk])
    body = client.get(board).content.decode()
    assert 'value="open"' in body and 'value="publish"' in body
    assert "Conversion and time in stage" in body
    client.post(reverse("ats:job-status", args=[job.pk]), {"action": "open"})
    client.post(reverse("ats:job-status", args=[job.pk]), {"action": "publish"})
    body = client.get(board).content.decode()
    assert reverse("careers:job", args=[job.slug]) in body
    assert 'value="closed"' in body and 'value="unpublish"' in body
    assert client.get(reverse("careers:job", args=[job.slug])).status_code == 200


def test_board_hides_status_actions_from_the_hiring_manager(client, manager, password):
    job = make_job(hiring_manager=manager)
    assert client.login(username=manager.username, password=password)
    body = client.get(reverse("ats:job-board", args=[job.pk])).content.decode()
    assert 'name="action" value="closed"' not in body and "Edit job" not in body
    assert "Conversion and time in stage" in body
