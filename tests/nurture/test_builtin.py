"""The built-in sequences: there after migrate, with the right timing, valid templates, created
once (a second run changes nothing and keeps a recruiter's edits)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from nurture import builtin, templating
from nurture.models import Sequence, Step
from nurture.services.sequences import StepInput, ensure_builtin_sequences, step_problems
from tests.factories import make_candidate

pytestmark = pytest.mark.django_db

migration = importlib.import_module("nurture.migrations.0002_builtin_sequences")
FOOTER = "Manage what we send you: {{ links.preferences }}"


def steps_of(key: str) -> list[Step]:
    return list(Sequence.objects.get(builtin_key=key).steps.order_by("position"))


def timing(key: str) -> list[tuple[int, str]]:
    return [(s.delay_hours, s.delay_from) for s in steps_of(key)]


def test_builtin_sequences_exist_after_migrate():
    # Job alerts (topic job_alerts) is tested with them: tests/nurture/test_job_alerts.py.
    rows = Sequence.objects.filter(builtin_key__isnull=False).exclude(builtin_key="job_alerts")
    assert {s.builtin_key: s.name for s in rows} == {
        "new_applicant_welcome": "New applicant welcome",
        "silver_medalist": "Silver medalist re-engagement",
        "passive_nurture": "Passive nurture, 7 touches",
    }
    for sequence in rows:
        assert sequence.owner is None
        assert sequence.topic == "nurture"
        assert not sequence.archived


def test_builtin_welcome_sends_on_day_0_3_and_7():
    assert timing("new_applicant_welcome") == [(0, "previous"), (72, "previous"), (96, "previous")]


def test_builtin_silver_medalist_timing_and_monthly_repeat():
    sequence = Sequence.objects.get(builtin_key="silver_medalist")
    assert timing("silver_medalist") == [
        (7 * 24, "enrollment"),
        (30 * 24, "enrollment"),
        (60 * 24, "enrollment"),
        (90 * 24, "enrollment"),
        (120 * 24, "enrollment"),
    ]
    assert sequence.repeat_last_every_days == 30
    day_90, monthly = steps_of("silver_medalist")[3:]
    assert "Yes, keep me posted: {{ links.keep_me_posted }}" in day_90.body
    assert "keep_me_posted" not in monthly.body  # the repeated mail is the check-in
    assert "monthly" in monthly.subject.lower()


def test_builtin_passive_nurture_has_seven_touches_and_stops_on_application():
    sequence = Sequence.objects.get(builtin_key="passive_nurture")
    weeks = [0, 2, 6, 12, 18, 26, 36]
    assert timing("passive_nurture") == [(w * 7 * 24, "enrollment") for w in weeks]
    assert sequence.stop_on_application is True
    assert sequence.repeat_last_every_days is None


def test_builtin_templates_validate_and_carry_the_preferences_footer():
    steps = Step.objects.filter(sequence__builtin_key__isnull=False)
    assert steps.count() == 3 + 5 + 7 + 1  # the last: job alerts
    for step in steps:
        data = StepInput(
            channel=step.channel,
            delay_hours=step.delay_hours,
            delay_from=step.delay_from,
            subject=step.subject,
            body=step.body,
            task_kind=step.task_kind,
        )
        assert step_problems(data) == [], step
        assert templating.validate(step.body, "body") == []
        assert step.channel == "email"
        assert step.body.rstrip().endswith(FOOTER)
        assert "{{ candidate.first_name" in step.body


def test_builtin_templates_render_for_a_real_person():
    person = make_candidate(first_name="Grace", last_name="Hopper", email="grace@example.com")
    for sequence in Sequence.objects.filter(builtin_key__isnull=False):
        context = templating.merge_context(candidate=person, sequence=sequence)
        for step in sequence.steps.all():
            body = templating.render(step.body, context)
            assert body.startswith("Hi Grace,")
            assert "{{" not in body and "{%" not in body
            assert "{{" not in templating.render(step.subject, context)


def test_builtin_greeting_falls_back_when_the_first_name_is_empty():
    person = make_candidate(first_name="", last_name="", email="anon@example.com")
    sequence = Sequence.objects.get(builtin_key="passive_nurture")
    context = templating.merge_context(candidate=person, sequence=sequence)
    assert templating.render(sequence.steps.first().body, context).startswith("Hi there,")


def test_builtin_migration_carries_the_same_definitions_as_the_module():
    assert migration.BUILTIN_SEQUENCES == builtin.BUILTIN_SEQUENCES


def test_builtin_second_run_changes_nothing_and_keeps_edits():
    welcome = Sequence.objects.get(builtin_key="new_applicant_welcome")
    welcome.name = "Welcome (our version)"
    welcome.save()
    first = welcome.steps.order_by("position").first()
    first.body = "Hi {{ candidate.first_name }}, thanks!"
    first.save()
    counts = (Sequence.objects.count(), Step.objects.count())

    migration.forwards(apps, None)
    assert ensure_builtin_sequences() == []

    assert (Sequence.objects.count(), Step.objects.count()) == counts
    welcome.refresh_from_db()
    first.refresh_from_db()
    assert welcome.name == "Welcome (our version)"
    assert first.body == "Hi {{ candidate.first_name }}, thanks!"


def test_builtin_a_deleted_one_comes_back_alone():
    Sequence.objects.filter(builtin_key="passive_nurture").delete()
    assert ensure_builtin_sequences() == ["passive_nurture"]
    assert Sequence.objects.filter(builtin_key__isnull=False).count() == 4  # with job alerts
    assert len(steps_of("passive_nurture")) == 7
