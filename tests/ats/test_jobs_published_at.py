"""Job.published_at: set when a job goes public (created published, or published later), kept
while it stays published, set again when it is published anew (job alerts read it)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from ats.models import Job
from ats.services.jobs import job_update
from tests.factories import make_job

pytestmark = pytest.mark.django_db


def test_published_at_follows_publishing():
    draft = make_job(published=False)
    assert draft.published_at is None
    published = job_update(job=draft, actor=None, data={"published": True})
    first = published.published_at
    assert first is not None
    kept = job_update(job=published, actor=None, data={"title": "Renamed"})
    assert kept.published_at == first
    hidden = job_update(job=kept, actor=None, data={"published": False})
    assert hidden.published_at == first  # when it last went public
    again = job_update(job=hidden, actor=None, data={"published": True})
    assert again.published_at > first
    assert make_job(published=True).published_at is not None


def test_the_migration_backfills_published_jobs_with_their_opening():
    migration = importlib.import_module("ats.migrations.0007_job_alerts_published_at")
    public = make_job(published=True)
    hidden = make_job(published=False)
    Job.objects.filter(pk__in=[public.pk, hidden.pk]).update(published_at=None)
    migration.backfill(apps, None)
    public.refresh_from_db()
    hidden.refresh_from_db()
    assert public.published_at == public.opened_at and hidden.published_at is None
