"""The ATS services: pipelines, moves with history, rejection, silver medalists, permissions."""

from __future__ import annotations

import itertools
import threading
from datetime import timedelta

import pytest
from django.db import connection

from ats.models import Application, RejectionReason, Stage, StageChange
from ats.selectors.funnel import job_funnel
from ats.selectors.review import manager_inbox
from ats.services.applications import (
    AlreadyApplied,
    MoveRefused,
    application_create,
    application_manager_review,
    application_move_stage,
    application_reject,
    applications_bulk_move,
)
from ats.services.jobs import render_description, stage_add, stage_delete
from config.core.models import DomainEvent
from crm.models import Candidate, TimelineEntry
from crm.services.merge import MergeError, candidate_merge, merge_undo
from tests.factories import make_application, make_job

pytestmark = pytest.mark.django_db


def stage(job, kind) -> Stage:
    return job.stages.get(kind=kind)


def test_job_gets_the_default_pipeline_and_a_reference(recruiter):
    job = make_job(actor=recruiter)
    assert [s.name for s in job.stages.all()] == [
        "Applied", "Screen", "Interview", "Final round", "Offer", "Hired",
    ]  # fmt: skip
    assert job.reference.startswith("REQ-")
    assert job.recruiter == recruiter
    assert job.opened_at is not None and job.closed_at is None


def test_description_markdown_is_sanitized():
    html = render_description(
        "**Bold** [x](javascript:alert(1)) <script>alert(1)</script> [ok](https://a.example)"
    )
    assert "<strong>Bold</strong>" in html
    assert "<script" not in html and 'href="javascript' not in html
    assert 'href="https://a.example"' in html and "noopener" in html


def test_move_writes_history_timeline_and_event(recruiter):
    app = make_application(actor=recruiter)
    job = app.job
    moved = application_move_stage(application=app, stage=stage(job, "screen"), actor=recruiter)
    assert moved.stage.kind == "screen"
    rows = list(StageChange.objects.filter(application=app).values_list("from_stage", "to_stage"))
    assert rows == [(None, stage(job, "applied").pk), (stage(job, "applied").pk, moved.stage_id)]
    assert TimelineEntry.objects.filter(candidate=app.candidate, kind="stage_change").exists()
    assert DomainEvent.objects.filter(type="application.moved", subject_id=app.pk).exists()


def test_move_to_another_jobs_stage_is_refused_and_changes_nothing(recruiter):
    app = make_application(actor=recruiter)
    other = make_job()
    with pytest.raises(MoveRefused, match="not part of this job"):
        application_move_stage(application=app, stage=stage(other, "screen"), actor=recruiter)
    app.refresh_from_db()
    assert app.stage.kind == "applied"
    assert StageChange.objects.filter(application=app).count() == 1


def test_roles_that_may_not_move_are_refused(recruiter, manager, interviewer):
    job = make_job(hiring_manager=manager)
    job.panel.add(interviewer)
    app = make_application(job=job)
    with pytest.raises(MoveRefused, match="may not move"):
        application_move_stage(application=app, stage=stage(job, "screen"), actor=interviewer)
    other_manager_job = make_job()
    other = make_application(job=other_manager_job)
    with pytest.raises(MoveRefused, match="may not move"):
        application_move_stage(
            application=other, stage=stage(other_manager_job, "screen"), actor=manager
        )
    for refused in (app, other):  # nothing changed
        refused.refresh_from_db()
        assert refused.stage.kind == "applied"
        assert StageChange.objects.filter(application=refused).count() == 1
    # the job's own hiring manager may, and the move really happens
    moved = application_move_stage(application=app, stage=stage(job, "screen"), actor=manager)
    assert moved.stage == stage(job, "screen")
    app.refresh_from_db()
    assert app.stage == stage(job, "screen")
    last = StageChange.objects.filter(application=app).order_by("at", "id").last()
    assert last.to_stage == stage(job, "screen") and last.actor == manager


def test_one_active_application_per_pair(recruiter):
    app = make_application()
    with pytest.raises(AlreadyApplied):
        application_create(candidate=app.candidate, job=app.job)
    reason = RejectionReason.objects.first()
    application_reject(application=app, reason=reason, actor=recruiter)
    again = application_create(candidate=app.candidate, job=app.job)
    assert again.pk != app.pk


def test_rejected_after_final_round_is_a_silver_medalist(recruiter):
    app = make_application()
    job = app.job
    application_move_stage(application=app, stage=stage(job, "final"), actor=recruiter)
    application_move_stage(application=app, stage=stage(job, "interview"), actor=recruiter)
    reason = RejectionReason.objects.get(name="Another candidate was a better fit")
    rejected = application_reject(application=app, reason=reason, actor=recruiter)
    assert rejected.silver_medalist and rejected.status == "rejected"
    assert "silver medalist" in Candidate.objects.get(pk=app.candidate_id).tags
    early = make_application()
    application_reject(application=early, reason=reason, actor=recruiter)
    early.refresh_from_db()
    assert not early.silver_medalist
    assert "silver medalist" not in Candidate.objects.get(pk=early.candidate_id).tags


def test_rejected_application_cannot_move(recruiter):
    app = make_application()
    application_reject(application=app, reason=RejectionReason.objects.first(), actor=recruiter)
    with pytest.raises(MoveRefused, match="only active"):
        application_move_stage(application=app, stage=stage(app.job, "screen"), actor=recruiter)


def test_moving_into_hired_hires(recruiter):
    app = make_application()
    hired = application_move_stage(application=app, stage=stage(app.job, "hired"), actor=recruiter)
    assert hired.status == Application.Status.HIRED and hired.closed_at
    assert DomainEvent.objects.filter(type="application.hired").exists()


def test_bulk_move_collects_refusals(recruiter):
    job = make_job()
    apps = [make_application(job=job) for _ in range(3)]
    application_reject(application=apps[0], reason=RejectionReason.objects.first(), actor=recruiter)
    result = applications_bulk_move(
        application_ids=[a.pk for a in apps], stage=stage(job, "screen"), actor=recruiter
    )
    assert sorted(result.done) == sorted(a.pk for a in apps[1:])
    assert list(result.refused) == [apps[0].pk]


def test_manager_review_advances_and_leaves_the_inbox(manager):
    job = make_job(hiring_manager=manager)
    app = make_application(job=job)
    application_move_stage(application=app, stage=stage(job, "screen"), actor=manager)
    assert list(manager_inbox(manager)) == [app]
    application_manager_review(application=app, actor=manager, decision="advance", comment="Go")
    assert list(manager_inbox(manager)) == []
    app.refresh_from_db()
    assert app.stage.kind == "interview"
    assert StageChange.objects.filter(application=app, comment="Go").exists()


def test_stage_editing_keeps_kind_order_and_protects_used_stages(recruiter):
    job = make_job()
    extra = stage_add(job=job, name="Tech screen", kind="screen")
    names = [s.name for s in job.stages.order_by("position")]
    assert names.index("Tech screen") == names.index("Screen") + 1
    make_application(job=job)
    with pytest.raises(MoveRefused):
        stage_delete(stage=stage(job, "applied"))
    stage_delete(stage=extra)
    assert not job.stages.filter(name="Tech screen").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_serialize_and_history_stays_consistent(recruiter):
    app = make_application()
    job = app.job
    targets = [stage(job, "screen"), stage(job, "interview"), stage(job, "final")]
    barrier = threading.Barrier(len(targets))
    errors = []

    def move(target):
        try:
            barrier.wait()
            application_move_stage(application=app.pk, stage=target.pk, actor=recruiter)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [], errors
    app.refresh_from_db()
    history = list(StageChange.objects.filter(application=app).order_by("at", "id"))
    assert len(history) == 4
    # each row starts where the previous one ended, and the last one is where the app is now
    for before, after in itertools.pairwise(history):
        assert after.from_stage_id == before.to_stage_id
    assert history[-1].to_stage_id == app.stage_id


def test_funnel_counts_reached_stages_and_time_in_stage(recruiter):
    job = make_job()
    apps = [make_application(job=job) for _ in range(4)]
    application_move_stage(application=apps[0], stage=stage(job, "screen"), actor=recruiter)
    application_move_stage(application=apps[0], stage=stage(job, "interview"), actor=recruiter)
    # skipped Screen: still counts as having passed it
    application_move_stage(application=apps[1], stage=stage(job, "interview"), actor=recruiter)
    application_move_stage(application=apps[2], stage=stage(job, "screen"), actor=recruiter)
    # two and three days in Applied for the first two applications
    for app, days in ((apps[0], 2), (apps[1], 3)):
        rows = StageChange.objects.filter(application=app).order_by("at", "id")
        StageChange.objects.filter(pk=rows[0].pk).update(at=rows[1].at - timedelta(days=days))
    funnel = {row.stage.kind: row for row in job_funnel(job)}
    assert funnel["applied"].reached == 4
    assert funnel["screen"].reached == 3
    assert funnel["interview"].reached == 2
    assert funnel["final"].reached == 0
    assert funnel["applied"].conversion == 0.75
    assert funnel["interview"].conversion == 0.0
    assert funnel["hired"].conversion is None
    assert funnel["applied"].median_days == 2.0  # of 2, 3 and ~0 days
    assert funnel["final"].median_days is None


def test_job_slugs_never_take_a_career_site_path():
    job = make_job(title="Privacy")
    assert job.slug == "privacy-job"


def test_merging_people_moves_their_applications_and_undo_moves_them_back(recruiter):
    job, other_job = make_job(), make_job()
    keep = make_application(job=job)
    lose = make_application(job=other_job)
    merge = candidate_merge(
        survivor=keep.candidate, other=lose.candidate, field_choices={}, actor=recruiter
    )
    lose.refresh_from_db()
    assert lose.candidate_id == keep.candidate_id
    merge_undo(merge=merge, actor=recruiter)
    lose.refresh_from_db()
    assert lose.candidate_id != keep.candidate_id
    # Both active on the same job: one person may hold only one, so the merge is refused whole.
    twin = make_application(job=job)
    with pytest.raises(MergeError, match="one per person"):
        candidate_merge(
            survivor=keep.candidate, other=twin.candidate, field_choices={}, actor=recruiter
        )
    twin.refresh_from_db()
    assert twin.candidate_id != keep.candidate_id
