"""The recruiter screens of the nurture engine: the sequence list and its statistics, the
step editor, previews, enrollments, the profile panel, bulk enroll, tasks, unmatched inbound
mail, alerts, and who may use any of it."""

from __future__ import annotations

import re
from datetime import timedelta
from itertools import count

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crm.services.candidates import candidate_set_do_not_contact
from nurture.models import Alert, Enrollment, InboundMail, Message, Sequence, Step, Task
from nurture.selectors import stats as stats_selectors
from nurture.services.enrollments import enroll
from nurture.services.sequences import StepInput, sequence_create
from nurture.views import enrollments as enrollment_views
from nurture.views.profile import nurture_panel
from tests.factories import UserFactory, make_candidate

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
BODY = "Hi {{ candidate.first_name }},\n\nOur jobs: {{ links.careers }}\n\n{{ recruiter.name }}"
_tokens = count(1)


def make_sequence(owner=None, *, name="Keep in touch", steps=None, **fields) -> Sequence:
    steps = steps or [StepInput(subject="Hello {{ candidate.first_name }}", body=BODY)]
    return sequence_create(name=name, owner=owner, steps=steps, **fields)


def make_message(enrollment, step=None, **fields) -> Message:
    step = step or enrollment.sequence.steps.order_by("position").first()
    now = timezone.now()
    data = {
        "channel": step.channel,
        "status": Message.Status.SENT,
        "sent_at": now,
        "subject": "Hello",
        "queued_at": now,
        "token": f"t{next(_tokens)}",
    } | fields
    return Message.objects.create(
        enrollment=enrollment, step=step, candidate=enrollment.candidate, **data
    )


def make_do_not_contact(**data):
    person = make_candidate(**data)
    candidate_set_do_not_contact(candidate=person, flag=True, reason="asked us to stop", actor=None)
    return person


def login(client, user):
    client.force_login(user)
    return client


def flashes(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def seq_url(sequence, name="nurture:sequence", *args) -> str:
    return reverse(name, args=[sequence.pk, *args])


def step_post(prefix="new", **data) -> dict:
    values = {
        "channel": "email",
        "delay_amount": "3",
        "delay_unit": "days",
        "delay_from": "previous",
        "subject": "Checking in, {{ candidate.first_name }}",
        "body": BODY,
        "task_kind": "",
    } | data
    return {f"{prefix}-{key}": value for key, value in values.items()}


# --------------------------------------------------------------------------- list + stats


def test_sequence_list_shows_builtins_and_the_new_button(client, recruiter):
    response = login(client, recruiter).get(reverse("nurture:sequences"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Silver medalist re-engagement" in html
    assert "Passive nurture, 7 touches" in html
    assert reverse("nurture:sequence-new") in html


def test_sequence_list_stats_are_counted_from_the_messages(client, recruiter):
    sms = StepInput(channel="sms", delay_hours=24, body="Hi {{ candidate.first_name }}")
    sequence = make_sequence(recruiter, steps=[StepInput(subject="Hi", body=BODY), sms])
    _email_step, sms_step = sequence.steps.order_by("position")
    people = [make_candidate() for _ in range(5)]
    enrollments = [enroll(candidate=p, sequence=sequence) for p in people]
    now = timezone.now()
    make_message(enrollments[0], opened_at=now, clicked_at=now, replied_at=now)
    make_message(enrollments[1], opened_at=now)
    make_message(enrollments[2], bounced_at=now)
    make_message(enrollments[3], unsubscribed_at=now)
    make_message(enrollments[4], status=Message.Status.QUEUED, sent_at=None)
    make_message(enrollments[0], sms_step, replied_at=now)  # counted as sent, not in the rates
    Enrollment.objects.filter(pk=enrollments[4].pk).update(state="stopped")

    row = next(
        r
        for r in stats_selectors.sequence_list_with_stats(recruiter)
        if r.sequence.pk == sequence.pk
    )
    assert (row.steps, row.enrolled, row.active) == (2, 5, 4)
    stats = row.stats
    assert (stats.sent, stats.emails) == (5, 4)
    assert stats.open_pct == 50.0
    assert stats.click_pct == 25.0
    assert stats.reply_pct == 25.0
    assert stats.unsubscribe_pct == 25.0
    assert stats.bounce_pct == 25.0

    html = login(client, recruiter).get(reverse("nurture:sequences")).content.decode()
    cells = re.search(rf'id="sequence-{sequence.pk}".*?</tr>', html, re.S).group(0)
    numbers = re.findall(r'<td class="num">\s*([^<]*?)\s*</td>', cells)
    assert numbers == ["2", "5", "4", "5", "50.0%", "25.0%", "25.0%", "25.0%", "25.0%"]

    step_rows = stats_selectors.steps_with_stats(sequence)
    assert step_rows[0].stats.sent == 4 and step_rows[0].stats.open_pct == 50.0
    assert step_rows[1].stats.sent == 1 and step_rows[1].stats.open_pct is None


def test_sequence_list_without_sends_shows_dashes(client, recruiter):
    make_sequence(recruiter, name="Fresh one")
    html = login(client, recruiter).get(reverse("nurture:sequences")).content.decode()
    assert "Fresh one" in html and "—" in html


def _sequence_with_traffic(owner, name):
    sequence = make_sequence(owner, name=name)
    enrollment = enroll(candidate=make_candidate(), sequence=sequence)
    make_message(enrollment, opened_at=timezone.now())
    return sequence


def test_sequence_list_query_count_does_not_grow_with_sequences(client, recruiter):
    client = login(client, recruiter)
    _sequence_with_traffic(recruiter, "Only one")
    client.get(reverse("nurture:sequences"))
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("nurture:sequences")).status_code == 200
    for n in range(9):
        _sequence_with_traffic(recruiter if n % 2 else None, f"More {n}")
    with CaptureQueriesContext(connection) as ten:
        response = client.get(reverse("nurture:sequences"))
    assert response.content.decode().count('<tr id="sequence-') == 4 + 10  # 4 built in
    assert len(ten) == len(one), [q["sql"] for q in ten.captured_queries]


def test_sequence_list_archived_tab(client, recruiter):
    make_sequence(recruiter, name="Old campaign", archived=True)
    client = login(client, recruiter)
    assert "Old campaign" not in client.get(reverse("nurture:sequences")).content.decode()
    html = client.get(reverse("nurture:sequences"), {"archived": "1"}).content.decode()
    assert "Old campaign" in html and "Silver medalist" not in html


# --------------------------------------------------------------------------- create + settings


def test_sequence_create_then_add_steps(client, recruiter):
    client = login(client, recruiter)
    assert client.get(reverse("nurture:sequence-new")).status_code == 200
    response = client.post(
        reverse("nurture:sequence-new"),
        {"name": "Backend talent", "topic": "nurture", "cold_after": "4", "quiet_hours": "on"},
    )
    sequence = Sequence.objects.get(name="Backend talent")
    assert response.status_code == 302
    assert response["Location"] == seq_url(sequence) + "#steps"
    assert sequence.owner == recruiter
    assert sequence.cold_after == 4 and sequence.quiet_hours and not sequence.adaptive
    assert sequence.steps.count() == 0
    assert client.get(seq_url(sequence)).status_code == 200


def test_sequence_create_needs_a_name(client, recruiter):
    response = login(client, recruiter).post(
        reverse("nurture:sequence-new"), {"name": "", "topic": "nurture", "cold_after": "5"}
    )
    assert response.status_code == 422
    assert not Sequence.objects.filter(owner=recruiter).exists()


def test_sequence_settings_save(client, recruiter):
    sequence = make_sequence(recruiter)
    response = login(client, recruiter).post(
        seq_url(sequence),
        {
            "name": "Renamed",
            "topic": "job_alerts",
            "cold_after": "3",
            "from_email": "riley@example.com",
            "repeat_last_every_days": "14",
            "stop_on_application": "on",
        },
    )
    assert response.status_code == 302
    sequence.refresh_from_db()
    assert (sequence.name, sequence.topic, sequence.repeat_last_every_days) == (
        "Renamed",
        "job_alerts",
        14,
    )
    assert sequence.stop_on_application and not sequence.quiet_hours


def test_sequence_settings_bad_email_is_422(client, recruiter):
    sequence = make_sequence(recruiter)
    response = login(client, recruiter).post(
        seq_url(sequence),
        {"name": "X", "topic": "nurture", "cold_after": "3", "from_email": "not-an-email"},
    )
    assert response.status_code == 422
    sequence.refresh_from_db()
    assert sequence.name == "Keep in touch"


def test_sequence_detail_shows_steps_stats_and_cheat_sheet(client, recruiter):
    sequence = make_sequence(recruiter)
    html = login(client, recruiter).get(seq_url(sequence)).content.decode()
    assert "Hello {{ candidate.first_name }}" in html
    assert "Immediately after the previous step" in html
    assert "{{ candidate.current_title }}" in html  # the merge-field cheat sheet
    assert "{{ links.keep_me_posted }}" in html


# --------------------------------------------------------------------------- the steps editor


def test_step_add_without_javascript(client, recruiter):
    sequence = make_sequence(recruiter)
    response = login(client, recruiter).post(seq_url(sequence, "nurture:step-add"), step_post())
    step = sequence.steps.get(position=1)
    assert response.status_code == 302
    assert response["Location"] == seq_url(sequence) + f"#step-{step.pk}"
    assert (step.delay_hours, step.delay_from) == (72, "previous")
    assert step.subject == "Checking in, {{ candidate.first_name }}"


def test_step_add_with_htmx_returns_the_steps_card(client, recruiter):
    sequence = make_sequence(recruiter)
    response = login(client, recruiter).post(
        seq_url(sequence, "nurture:step-add"),
        step_post(channel="manual", task_kind="linkedin", subject="", delay_unit="hours"),
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="steps"')
    assert "<header" not in html
    step = sequence.steps.get(position=1)
    assert (step.channel, step.task_kind, step.delay_hours) == ("manual", "linkedin", 3)
    assert "Manual task: LinkedIn message" in html


@pytest.mark.parametrize("htmx", [False, True])
def test_step_add_unknown_merge_field_is_422_with_field_and_line(client, recruiter, htmx):
    sequence = make_sequence(recruiter)
    body = "Hi {{ candidate.first_name }},\n\nYour salary: {{ candidate.salary }}"
    response = login(client, recruiter).post(
        seq_url(sequence, "nurture:step-add"), step_post(body=body), **(HTMX if htmx else {})
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "body, line 3: unknown merge field “candidate.salary”" in html
    error = re.search(r'id="id_new-body_error">(.*?)</div>', html, re.S)
    assert error and "candidate.salary" in error.group(1)
    assert sequence.steps.count() == 1


def test_step_add_bad_syntax_is_422_with_the_line(client, recruiter):
    sequence = make_sequence(recruiter)
    response = login(client, recruiter).post(
        seq_url(sequence, "nurture:step-add"),
        step_post(subject="Hi {{ candidate.first_name "),
    )
    assert response.status_code == 422
    assert re.search(r"subject, line 1: [^<]+", response.content.decode())
    assert sequence.steps.count() == 1


def test_step_add_email_without_subject_is_422_at_the_subject(client, recruiter):
    sequence = make_sequence(recruiter)
    response = login(client, recruiter).post(
        seq_url(sequence, "nurture:step-add"), step_post(subject="")
    )
    assert response.status_code == 422
    error = re.search(r'id="id_new-subject_error">(.*?)</div>', response.content.decode(), re.S)
    assert error and "needs a subject" in error.group(1)
    assert sequence.steps.count() == 1


def test_step_edit_form_and_save(client, recruiter):
    sequence = make_sequence(recruiter)
    step = sequence.steps.get()
    client = login(client, recruiter)
    response = client.get(seq_url(sequence, "nurture:step-edit", step.pk), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="step" id="step-{step.pk}"')
    assert f'name="s{step.pk}-subject"' in html

    plain = client.get(seq_url(sequence, "nurture:step-edit", step.pk))
    assert plain.status_code == 302 and f"?edit={step.pk}" in plain["Location"]
    assert f'name="s{step.pk}-body"' in client.get(plain["Location"]).content.decode()

    response = client.post(
        seq_url(sequence, "nurture:step-edit", step.pk),
        step_post(f"s{step.pk}", subject="New subject", delay_amount="36", delay_unit="hours"),
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.subject, step.delay_hours) == ("New subject", 36)


@pytest.mark.parametrize("htmx", [False, True])
def test_step_edit_bad_template_is_422_and_changes_nothing(client, recruiter, htmx):
    sequence = make_sequence(recruiter)
    step = sequence.steps.get()
    response = login(client, recruiter).post(
        seq_url(sequence, "nurture:step-edit", step.pk),
        step_post(f"s{step.pk}", body="Hello\n{{ recruiter.phone }}"),
        **(HTMX if htmx else {}),
    )
    assert response.status_code == 422
    assert "body, line 2: unknown merge field “recruiter.phone”" in response.content.decode()
    step.refresh_from_db()
    assert step.body == BODY


def test_step_move_up_and_down(client, recruiter):
    sequence = make_sequence(
        recruiter,
        steps=[StepInput(subject="One", body="1"), StepInput(subject="Two", body="2")],
    )
    _one, two = sequence.steps.order_by("position")
    client = login(client, recruiter)
    response = client.post(seq_url(sequence, "nurture:step-move", two.pk), {"direction": "up"})
    assert response.status_code == 302
    assert [s.subject for s in sequence.steps.order_by("position")] == ["Two", "One"]

    response = client.post(
        seq_url(sequence, "nurture:step-move", two.pk), {"direction": "up"}, **HTMX
    )
    assert response.status_code == 422
    assert "already at that end" in response.content.decode()

    response = client.post(
        seq_url(sequence, "nurture:step-move", two.pk), {"direction": "down"}, **HTMX
    )
    assert response.status_code == 200
    assert [s.subject for s in sequence.steps.order_by("position")] == ["One", "Two"]


def test_step_delete_until_sent(client, recruiter):
    sequence = make_sequence(
        recruiter,
        steps=[StepInput(subject="One", body="1"), StepInput(subject="Two", body="2")],
    )
    one, two = sequence.steps.order_by("position")
    make_message(enroll(candidate=make_candidate(), sequence=sequence), one)
    client = login(client, recruiter)

    response = client.post(seq_url(sequence, "nurture:step-delete", one.pk))
    assert response.status_code == 302
    assert "edit it instead" in " ".join(flashes(response))
    response = client.post(seq_url(sequence, "nurture:step-delete", one.pk), **HTMX)
    assert response.status_code == 422
    assert "edit it instead of deleting it" in response.content.decode()
    assert Step.objects.filter(pk=one.pk).exists()

    response = client.post(seq_url(sequence, "nurture:step-delete", two.pk), **HTMX)
    assert response.status_code == 200
    assert not Step.objects.filter(pk=two.pk).exists()


def test_step_of_another_sequence_is_404(client, recruiter):
    mine, other = make_sequence(recruiter), make_sequence(recruiter, name="Other")
    step = other.steps.get()
    client = login(client, recruiter)
    assert client.get(seq_url(mine, "nurture:step-edit", step.pk), **HTMX).status_code == 404
    assert client.post(seq_url(mine, "nurture:step-delete", step.pk)).status_code == 404
    assert Step.objects.filter(pk=step.pk).exists()


# --------------------------------------------------------------------------- preview


def test_preview_renders_each_step_for_the_real_person(client, recruiter):
    sequence = Sequence.objects.get(builtin_key="silver_medalist")
    person = make_candidate(first_name="Grace", last_name="Hopper", email="grace@example.com")
    client = login(client, recruiter)
    url = seq_url(sequence, "nurture:sequence-preview")
    response = client.get(url, {"candidate": str(person.pk)}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="preview"')
    assert html.count("Hi Grace,") == 5
    assert "Grace Hopper" in html and "{{" not in html

    by_email = client.get(url, {"candidate": "GRACE@example.com"}, **HTMX).content.decode()
    assert "Hi Grace," in by_email
    by_select = client.get(url, {"recent": str(person.pk)}).content.decode()
    assert "Hi Grace," in by_select and "<header" in by_select  # the whole page without htmx


def test_preview_of_nobody_says_so(client, recruiter):
    sequence = make_sequence(recruiter)
    response = login(client, recruiter).get(
        seq_url(sequence, "nurture:sequence-preview"), {"candidate": "999999"}, **HTMX
    )
    assert response.status_code == 422
    assert "No candidate matches" in response.content.decode()


def test_preview_offers_recent_candidates(client, recruiter):
    make_candidate(first_name="Recent", last_name="Person")
    sequence = make_sequence(recruiter)
    assert "Recent Person" in login(client, recruiter).get(seq_url(sequence)).content.decode()


# --------------------------------------------------------------------------- enrollments


def test_enrollment_list_filter_and_stop(client, recruiter):
    sequence = make_sequence(recruiter)
    ada = enroll(candidate=make_candidate(first_name="Ada", last_name="L"), sequence=sequence)
    bob = enroll(candidate=make_candidate(first_name="Bob", last_name="B"), sequence=sequence)
    client = login(client, recruiter)
    url = seq_url(sequence, "nurture:enrollments")
    html = client.get(url).content.decode()
    assert "Ada L" in html and "Bob B" in html

    response = client.post(seq_url(sequence, "nurture:enrollment-action", ada.pk, "stop"))
    assert response.status_code == 302
    ada.refresh_from_db()
    assert (ada.state, ada.stop_reason) == ("stopped", "manual")

    stopped = client.get(url, {"state": "stopped"}).content.decode()
    assert "Ada L" in stopped and "Bob B" not in stopped

    response = client.post(seq_url(sequence, "nurture:enrollment-action", bob.pk, "pause"), **HTMX)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith(f'<tr id="enrollment-{bob.pk}"')
    bob.refresh_from_db()
    assert bob.state == "paused"
    client.post(seq_url(sequence, "nurture:enrollment-action", bob.pk, "resume"))
    bob.refresh_from_db()
    assert bob.state == "active"


def test_enrollment_action_unknown_or_foreign_is_404(client, recruiter):
    sequence, other = make_sequence(recruiter), make_sequence(recruiter, name="Other")
    enrollment = enroll(candidate=make_candidate(), sequence=other)
    client = login(client, recruiter)
    assert (
        client.post(seq_url(sequence, "nurture:enrollment-action", enrollment.pk, "stop"))
    ).status_code == 404
    assert (
        client.post(seq_url(other, "nurture:enrollment-action", enrollment.pk, "explode"))
    ).status_code == 404


def test_enrollment_list_query_count_is_constant(client, recruiter):
    sequence = make_sequence(recruiter)
    enroll(candidate=make_candidate(), sequence=sequence)
    client = login(client, recruiter)
    url = seq_url(sequence, "nurture:enrollments")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(14):
        enroll(candidate=make_candidate(), sequence=sequence, actor=recruiter)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('<tr id="enrollment-') == 15
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


def test_enrollment_list_paginates(client, recruiter, monkeypatch):
    sequence = make_sequence(recruiter)
    for _ in range(3):
        enroll(candidate=make_candidate(), sequence=sequence)
    monkeypatch.setattr(enrollment_views, "PAGE_SIZE", 2)
    client = login(client, recruiter)
    first = client.get(seq_url(sequence, "nurture:enrollments")).content.decode()
    second = client.get(seq_url(sequence, "nurture:enrollments"), {"page": "2"}).content.decode()
    assert first.count('<tr id="enrollment-') == 2 and "page=2" in first
    assert second.count('<tr id="enrollment-') == 1
    assert 'href="?page=2"' in first  # no filter: no empty state parameter in the pager


def test_enroll_from_the_enrollments_page(client, recruiter):
    sequence = make_sequence(recruiter)
    person = make_candidate(first_name="Lin", last_name="Dev", email="lin@example.com")
    blocked = make_do_not_contact()
    client = login(client, recruiter)
    url = seq_url(sequence, "nurture:enrollments")
    response = client.post(url, {"candidate": "LIN@example.com"})
    assert response.status_code == 302
    assert Enrollment.objects.filter(candidate=person, sequence=sequence).exists()
    assert "Enrolled Lin Dev" in " ".join(flashes(response))

    response = client.post(url, {"candidate": str(blocked.pk)})
    assert "marked do not contact" in " ".join(flashes(response))
    assert not Enrollment.objects.filter(candidate=blocked).exists()

    response = client.post(url, {"candidate": "nobody@example.com"})
    assert "No candidate matches" in " ".join(flashes(response))


# --------------------------------------------------------------------------- profile panel


def test_profile_panel_shows_enrollments_messages_and_the_enroll_form(client, recruiter):
    sequence = make_sequence(recruiter, name="Data folks")
    person = make_candidate(first_name="Ada", last_name="Lovelace")
    enrollment = enroll(candidate=person, sequence=sequence)
    now = timezone.now()
    make_message(enrollment, subject="Hello Ada", opened_at=now, clicked_at=now)
    enrollment_stop = Enrollment.objects.filter(pk=enrollment.pk)
    enrollment_stop.update(state="stopped", stop_reason="replied", next_due_at=None)

    response = login(client, recruiter).get(reverse("crm:candidate-detail", args=[person.pk]))
    html = response.content.decode()
    panel = html[html.index('id="nurture"') :]
    assert "Data folks" in panel and "Stopped" in panel and "Replied" in panel
    assert "Hello Ada" in panel and "Opened" in panel and "Clicked" in panel
    assert reverse("nurture:candidate-enroll", args=[person.pk]) in panel
    assert "Silver medalist re-engagement" in panel  # offered in the select


def test_profile_panel_shows_the_last_20_messages_only(recruiter):
    sequence = make_sequence(recruiter)
    person = make_candidate()
    for n in range(22):
        other = make_sequence(recruiter, name=f"S{n}")
        make_message(enroll(candidate=person, sequence=other), subject=f"Mail {n}")
    request = RequestFactory().get("/")
    request.user = recruiter
    panel = nurture_panel(request, person)
    assert len(panel.context["messages"]) == 20
    assert sequence in panel.context["sequences"]


def test_profile_panel_is_not_shown_to_others(manager):
    request = RequestFactory().get("/")
    request.user = manager
    assert nurture_panel(request, make_candidate()) is None


def test_candidate_enroll_from_the_profile(client, recruiter):
    sequence = make_sequence(recruiter)
    person = make_candidate()
    response = login(client, recruiter).post(
        reverse("nurture:candidate-enroll", args=[person.pk]), {"sequence": sequence.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("crm:candidate-detail", args=[person.pk]) + "#nurture"
    assert Enrollment.objects.filter(candidate=person, sequence=sequence, state="active").exists()
    assert f"Enrolled {person}" in " ".join(flashes(response))


def test_candidate_enroll_do_not_contact_is_refused_with_the_reason(client, recruiter):
    sequence = make_sequence(recruiter)
    person = make_do_not_contact()
    response = login(client, recruiter).post(
        reverse("nurture:candidate-enroll", args=[person.pk]), {"sequence": sequence.pk}
    )
    assert response.status_code == 302
    assert f"{person} cannot be enrolled: marked do not contact." in flashes(response)
    assert not Enrollment.objects.filter(candidate=person).exists()


def test_candidate_enroll_twice_is_refused(client, recruiter):
    sequence = make_sequence(recruiter, name="Once only")
    person = make_candidate()
    enroll(candidate=person, sequence=sequence)
    response = login(client, recruiter).post(
        reverse("nurture:candidate-enroll", args=[person.pk]), {"sequence": sequence.pk}
    )
    assert "already in “Once only”" in " ".join(flashes(response))
    assert Enrollment.objects.filter(candidate=person).count() == 1


def test_candidate_enroll_archived_or_unknown_sequence_is_refused(client, recruiter):
    archived = make_sequence(recruiter, archived=True)
    person = make_candidate()
    client = login(client, recruiter)
    for value in (archived.pk, 999999, "x"):
        response = client.post(
            reverse("nurture:candidate-enroll", args=[person.pk]), {"sequence": value}
        )
        assert "Choose a sequence" in " ".join(flashes(response))
    assert not Enrollment.objects.filter(candidate=person).exists()


def test_candidate_enroll_unknown_person_is_404(client, recruiter):
    sequence = make_sequence(recruiter)
    response = login(client, recruiter).post(
        reverse("nurture:candidate-enroll", args=[999999]), {"sequence": sequence.pk}
    )
    assert response.status_code == 404


# --------------------------------------------------------------------------- bulk enroll


def test_bulk_enroll_reports_enrolled_and_refused(client, recruiter):
    sequence = make_sequence(recruiter, name="Bulk")
    people = [make_candidate() for _ in range(2)]
    blocked = make_do_not_contact(first_name="No", last_name="Contact")
    ids = [str(p.pk) for p in [*people, blocked]] + ["abc"]
    response = login(client, recruiter).post(
        reverse("nurture:bulk-enroll"),
        {"ids": ids, "sequence": sequence.pk, "query": "q=engineer&sort=recent"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("crm:candidates") + "?q=engineer&sort=recent"
    assert Enrollment.objects.filter(sequence=sequence).count() == 2
    assert flashes(response) == [
        "2 enrolled in “Bulk”, 1 refused: No Contact cannot be enrolled: marked do not contact."
    ]


def test_bulk_enroll_without_a_sequence_asks_which(client, recruiter):
    people = [make_candidate() for _ in range(3)]
    response = login(client, recruiter).post(
        reverse("nurture:bulk-enroll"), {"ids": [p.pk for p in people], "tags": "x"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enroll 3 candidates" in html
    assert html.count('name="ids"') == 3
    assert "Passive nurture, 7 touches" in html
    assert not Enrollment.objects.exists()


def test_bulk_enroll_with_nobody_ticked(client, recruiter):
    response = login(client, recruiter).post(reverse("nurture:bulk-enroll"), {"sequence": "1"})
    assert response.status_code == 302
    assert "Tick at least one candidate" in " ".join(flashes(response))


# --------------------------------------------------------------------------- tasks


def _task(owner, *, title, due_in_hours, done=False):
    sequence = make_sequence(
        owner,
        name=f"Manual {title}",
        steps=[StepInput(channel="manual", task_kind="linkedin", body="Say hi")],
    )
    enrollment = enroll(candidate=make_candidate(), sequence=sequence)
    message = make_message(enrollment, status=Message.Status.SENT)
    now = timezone.now()
    return Task.objects.create(
        owner=owner,
        candidate=enrollment.candidate,
        message=message,
        kind="linkedin",
        title=title,
        due_at=now + timedelta(hours=due_in_hours),
        done_at=now if done else None,
    )


def test_tasks_list_open_first_by_due_date_then_done(client, recruiter):
    later = _task(recruiter, title="Later task", due_in_hours=48)
    sooner = _task(recruiter, title="Sooner task", due_in_hours=-2)
    _task(recruiter, title="Finished task", due_in_hours=-50, done=True)
    _task(UserFactory(username="rob", roles=["Recruiter"]), title="Rob's task", due_in_hours=1)
    html = login(client, recruiter).get(reverse("nurture:tasks")).content.decode()
    positions = [html.index(t) for t in ("Sooner task", "Later task", "Finished task")]
    assert positions == sorted(positions)
    assert "Rob's task" not in html
    assert reverse("nurture:task-done", args=[later.pk]) in html
    assert reverse("nurture:task-done", args=[sooner.pk]) in html


def test_task_done(client, recruiter):
    task = _task(recruiter, title="Call Ada", due_in_hours=1)
    client = login(client, recruiter)
    response = client.post(reverse("nurture:task-done", args=[task.pk]))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done_at is not None
    response = client.post(reverse("nurture:task-done", args=[task.pk]), **HTMX)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="tasks">')


def test_task_of_someone_else_is_404(client, recruiter):
    task = _task(UserFactory(username="rob", roles=["Recruiter"]), title="X", due_in_hours=1)
    response = login(client, recruiter).post(reverse("nurture:task-done", args=[task.pk]))
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.done_at is None


def test_tasks_query_count_is_constant(client, recruiter):
    _task(recruiter, title="First", due_in_hours=1)
    client = login(client, recruiter)
    client.get(reverse("nurture:tasks"))
    with CaptureQueriesContext(connection) as one:
        response = client.get(reverse("nurture:tasks"))
    assert response.status_code == 200 and "First" in response.content.decode()
    for n in range(6):
        _task(recruiter, title=f"T{n}", due_in_hours=n, done=n % 2 == 0)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("nurture:tasks"))
    html = response.content.decode()
    assert response.status_code == 200 and all(f"T{n}" in html for n in (1, 3, 5))
    assert len(many) == len(one)


# --------------------------------------------------------------------------- inbound + alerts


def _inbound(message=None, subject="Re: hello"):
    return InboundMail.objects.create(
        kind="reply",
        message=message,
        from_address="someone@example.com",
        subject=subject,
        text="Thanks!",
        raw=b"raw",
        received_at=timezone.now(),
        source="webhook",
    )


def test_inbound_lists_only_unmatched_mail(client, recruiter):
    sequence = make_sequence(recruiter)
    message = make_message(enroll(candidate=make_candidate(), sequence=sequence))
    _inbound(subject="Re: who are you")
    _inbound(message=message, subject="Re: matched one")
    client = login(client, recruiter)
    client.get(reverse("nurture:inbound"))
    with CaptureQueriesContext(connection) as one:
        html = client.get(reverse("nurture:inbound")).content.decode()
    assert "Re: who are you" in html and "Re: matched one" not in html
    for n in range(5):
        _inbound(subject=f"Re: {n}")
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("nurture:inbound")).content.decode()
    assert all(f"Re: {n}" in html for n in range(5)) and "Re: matched one" not in html
    assert len(many) == len(one)


def test_alerts_of_my_sequences_and_mark_seen(client, recruiter):
    rob = UserFactory(username="rob", roles=["Recruiter"])
    message = make_message(enroll(candidate=make_candidate(), sequence=make_sequence(recruiter)))
    mine = Alert.objects.create(owner=recruiter, message=message, text="Send failed for good")
    shared = Alert.objects.create(owner=None, message=message, text="Built-in hiccup")
    Alert.objects.create(owner=rob, message=message, text="Rob's problem")
    client = login(client, recruiter)
    html = client.get(reverse("nurture:alerts")).content.decode()
    assert "Send failed for good" in html and "Built-in hiccup" in html
    assert "Rob's problem" not in html

    client.post(reverse("nurture:alerts"), {"alert": mine.pk})
    mine.refresh_from_db()
    shared.refresh_from_db()
    assert mine.seen_at is not None and shared.seen_at is None
    client.post(reverse("nurture:alerts"))
    shared.refresh_from_db()
    assert shared.seen_at is not None
    assert Alert.objects.get(owner=rob).seen_at is None


# --------------------------------------------------------------------------- permissions


def _urls(sequence, step, enrollment, person, task):
    return [
        ("get", reverse("nurture:sequences")),
        ("get", reverse("nurture:sequence-new")),
        ("get", reverse("nurture:tasks")),
        ("get", reverse("nurture:inbound")),
        ("get", reverse("nurture:alerts")),
        ("get", seq_url(sequence)),
        ("get", seq_url(sequence, "nurture:sequence-preview")),
        ("get", seq_url(sequence, "nurture:enrollments")),
        ("get", seq_url(sequence, "nurture:step-edit", step.pk)),
        ("post", seq_url(sequence, "nurture:step-add")),
        ("post", seq_url(sequence, "nurture:step-move", step.pk)),
        ("post", seq_url(sequence, "nurture:step-delete", step.pk)),
        ("post", seq_url(sequence, "nurture:enrollment-action", enrollment.pk, "stop")),
        ("post", reverse("nurture:bulk-enroll")),
        ("post", reverse("nurture:candidate-enroll", args=[person.pk])),
        ("post", reverse("nurture:task-done", args=[task.pk])),
    ]


@pytest.fixture
def objects(recruiter):
    sequence = make_sequence(recruiter)
    person = make_candidate()
    enrollment = enroll(candidate=person, sequence=sequence)
    task = _task(recruiter, title="T", due_in_hours=1)
    return sequence, sequence.steps.get(), enrollment, person, task


@pytest.mark.parametrize("role", ["manager", "interviewer", "outsider"])
def test_others_get_403_everywhere(client, users, objects, role):
    client = login(client, users[role])
    for method, url in _urls(*objects):
        assert getattr(client, method)(url).status_code == 403, url
    _sequence, step, enrollment, *_ = objects
    step.refresh_from_db()
    enrollment.refresh_from_db()
    assert enrollment.state == "active" and step.body == BODY


def test_anonymous_goes_to_login(client, objects):
    for method, url in _urls(*objects):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_unknown_sequence_is_404_for_recruiters(client, recruiter):
    client = login(client, recruiter)
    for name in ("nurture:sequence", "nurture:enrollments", "nurture:sequence-preview"):
        assert client.get(reverse(name, args=[999999])).status_code == 404


def test_admin_may_use_the_screens(client, admin_user):
    assert login(client, admin_user).get(reverse("nurture:sequences")).status_code == 200
