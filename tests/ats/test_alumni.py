"""Alumni: marking a hire as having left (ats/services/alumni.py), the page action, and the
built-in "Alumni" segment taking hires who left, people imported as alumni and the tag; the
new pool conditions source_any and engaged_with_sequence."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ats.models import Application
from ats.services.alumni import application_mark_left
from ats.services.applications import MoveRefused, application_move_stage
from crm.models import Pool, PoolMembership, TimelineEntry
from crm.selectors.pools import RuleError, rule_candidates, rule_parse
from crm.services.pools import pool_refresh
from nurture.services.enrollments import enroll
from nurture.services.tracking import message_open
from tests.factories import make_application, make_candidate
from tests.nurture.test_tracking import make_message, make_sequence

pytestmark = pytest.mark.django_db


def _hired(recruiter, **candidate):
    app = make_application(candidate=make_candidate(**candidate), actor=recruiter)
    hired_stage = app.job.stages.get(kind="hired")
    return application_move_stage(application=app, stage=hired_stage, actor=recruiter)


def test_marking_a_hire_as_left_puts_them_in_the_alumni_segment_and_undo_takes_them_out(
    recruiter,
):
    alumni = Pool.objects.get(built_in="alumni")
    app = _hired(recruiter, first_name="Former")
    pool_refresh(pool=alumni)
    assert not PoolMembership.objects.filter(pool=alumni, candidate=app.candidate).exists()
    left = timezone.localdate()
    application_mark_left(application=app, left_on=left, actor=recruiter)
    assert Application.objects.get(pk=app.pk).left_company_on == left
    assert TimelineEntry.objects.filter(
        candidate=app.candidate, summary__startswith="Left the company on"
    ).exists()
    pool_refresh(pool=alumni)
    assert PoolMembership.objects.filter(pool=alumni, candidate=app.candidate).exists()
    application_mark_left(application=app, left_on=None, actor=recruiter)
    pool_refresh(pool=alumni)
    assert not PoolMembership.objects.filter(pool=alumni, candidate=app.candidate).exists()


def test_alumni_segment_takes_imported_alumni_and_the_tag_too(recruiter):
    imported = make_candidate(first_name="Imported", source="alumni")
    tagged = make_candidate(first_name="Tagged", tags=["alumni"])
    make_candidate(first_name="Nobody")
    alumni = Pool.objects.get(built_in="alumni")
    assert set(rule_candidates(rule_parse(alumni.rule))) == {imported, tagged}


def test_only_hired_applications_and_sensible_days(recruiter):
    active = make_application(candidate=make_candidate(), actor=recruiter)
    with pytest.raises(MoveRefused, match="was not hired"):
        application_mark_left(application=active, left_on=date.today(), actor=recruiter)
    app = _hired(recruiter)
    with pytest.raises(MoveRefused, match="future"):
        application_mark_left(
            application=app, left_on=timezone.localdate() + timedelta(days=1), actor=recruiter
        )
    with pytest.raises(MoveRefused, match="pick a later day"):
        application_mark_left(
            application=app, left_on=timezone.localdate() - timedelta(days=30), actor=recruiter
        )
    assert Application.objects.get(pk=app.pk).left_company_on is None


def test_the_profile_action_and_its_permissions(client, recruiter, interviewer, outsider):
    app = _hired(recruiter, first_name="Leaver")
    profile = reverse("crm:candidate-detail", args=[app.candidate_id])
    url = reverse("ats:application-left", args=[app.pk])
    client.force_login(recruiter)
    assert "Mark as alumni" in client.get(profile).content.decode()
    bad = client.post(url, {"left_on": "yesterday"}, follow=True)
    assert "Give the day they left as a date" in bad.content.decode()
    today = timezone.localdate().isoformat()
    done = client.post(url, {"left_on": today, "next": profile}, follow=True)
    assert "marked as alumni" in done.content.decode()
    assert "Left the company on" in client.get(profile).content.decode()
    for user in (interviewer, outsider):
        client.force_login(user)
        assert client.post(url, {"left_on": ""}).status_code in (403, 404)
    assert Application.objects.get(pk=app.pk).left_company_on is not None


def test_source_and_sequence_conditions(recruiter):
    event_lead = make_candidate(first_name="Lead", source="event")
    make_candidate(first_name="Other", source="referral")
    rule = rule_parse({"conditions": {"source_any": "event, career_page"}})
    assert set(rule_candidates(rule)) == {event_lead}
    with pytest.raises(RuleError):
        rule_parse({"conditions": {"source_any": "carrier pigeon"}})
    sequence = make_sequence(recruiter)
    reader = make_candidate(first_name="Reader")
    message_open(message=make_message(enroll(candidate=reader, sequence=sequence)))
    make_message(enroll(candidate=make_candidate(first_name="Ignorer"), sequence=sequence))
    by_id = rule_parse({"conditions": {"engaged_with_sequence": sequence.pk}})
    by_name = rule_parse({"conditions": {"engaged_with_sequence": sequence.name}})
    assert set(rule_candidates(by_id)) == set(rule_candidates(by_name)) == {reader}
    with pytest.raises(RuleError):
        rule_parse({"conditions": {"engaged_with_sequence": "No such sequence"}})
