"""Offers: the state machine (draft → approval chain → sent → accepted/declined/withdrawn/
expired), bad input, the candidate's signed link, the pages per role, the email, the API."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ats import letters
from ats.models import Application, Offer, OfferApproval, OfferChange, OfferTemplate, StageChange
from ats.selectors.offers import offer_for_token, offers_visible_to
from ats.services import offers as services
from ats.services.applications import application_reject
from ats.services.offers import OfferRefused
from ats.tasks import expire_offers
from config.celery import app as celery_app
from config.core.models import DomainEvent
from config.core.roles import Role
from crm.models import TimelineEntry
from tests.factories import (
    UserFactory,
    make_application,
    make_candidate,
    make_job,
    standard_offer_template,
)

TODAY = timezone.localdate
standard_template = standard_offer_template


@pytest.fixture
def other_manager(db):
    return UserFactory(username="mia", roles=[Role.HIRING_MANAGER])


@pytest.fixture
def job(recruiter, manager):
    return make_job(actor=recruiter, hiring_manager=manager, recruiter=recruiter, title="Backend")


@pytest.fixture
def application(job, recruiter):
    person = make_candidate(first_name="Grace", last_name="Hopper", email="grace@example.com")
    return make_application(job=job, candidate=person, actor=recruiter)


@pytest.fixture
def template(db):
    return standard_template()


def make_offer(application, actor, **changes) -> Offer:
    data = {
        "application": application,
        "actor": actor,
        "salary": "85000",
        "currency": "eur",
        "salary_period": "YEAR",
        "start_date": TODAY() + timedelta(days=30),
        "bonus": "10% target",
        "equity": "",
        "template": standard_template(),
    } | changes
    return services.offer_create(**data)


def approved_offer(application, recruiter, manager) -> Offer:
    offer = make_offer(application, recruiter)
    services.offer_submit_for_approval(offer=offer, actor=recruiter)
    return services.offer_decide(offer=offer, approver=manager, approve=True)


def sent_offer(application, recruiter, manager) -> Offer:
    offer = approved_offer(application, recruiter, manager)
    return services.offer_send(offer=offer, actor=recruiter)


def token_of(offer: Offer) -> str:
    return services.offer_link_path(offer).rstrip("/").rsplit("/", 1)[1]


def events(kind: str) -> int:
    return DomainEvent.objects.filter(type=kind).count()


# --------------------------------------------------------------------------- letters


def test_default_template_is_valid_and_renders_the_terms(application, recruiter, template):
    assert letters.template_problems(template.body) == []
    offer = make_offer(application, recruiter, salary="85000.50", currency="usd")
    assert offer.currency == "USD" and offer.status == Offer.Status.DRAFT
    assert "Dear Grace," in offer.letter
    assert "85,000.50 USD per year" in offer.letter
    assert "Bonus: 10% target" in offer.letter and "Equity" not in offer.letter
    assert "{{" not in offer.letter


def test_template_validation_names_the_bad_merge_field():
    problems = [str(p) for p in letters.template_problems("Hi {{ candidate.email }}\n{{ x }}")]
    assert any("candidate.email" in p for p in problems)
    assert any("“x” is not a merge field" in p for p in problems)
    assert letters.template_problems("{% if %}")[0].message
    assert letters.template_problems("") != []


def test_letter_is_sandboxed():
    body = "{{ candidate.first_name.__class__.__mro__ }}"
    assert letters.template_problems(body) != []


def test_admin_refuses_a_broken_template(client, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:ats_offertemplate_add")
    response = client.post(url, {"name": "Broken", "body": "Hi {{ candidate.salary }}"})
    assert response.status_code == 200
    assert "unknown merge field" in response.content.decode()
    assert not OfferTemplate.objects.filter(name="Broken").exists()
    ok = client.post(
        url, {"name": "Short", "body": "Hi {{ candidate.first_name }}", "active": "on"}
    )
    assert ok.status_code == 302 and OfferTemplate.objects.filter(name="Short").exists()


# --------------------------------------------------------------------------- create: bad input


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"salary": "-1"}, "salary"),
        ({"salary": "abc"}, "salary"),
        ({"salary": "1000000000"}, "salary"),
        ({"currency": "EURO"}, "currency"),
        ({"currency": "E1"}, "currency"),
        ({"salary_period": "WEEKLY"}, "salary_period"),
        ({"start_date": timezone.localdate() - timedelta(days=1)}, "start_date"),
        ({"expires_in_days": 0}, "expires_in_days"),
        ({"expires_in_days": 400}, "expires_in_days"),
        ({"template": None, "letter": ""}, "template"),
    ],
)
def test_create_refuses_bad_terms_and_stores_nothing(application, recruiter, changes, field):
    with pytest.raises(OfferRefused) as refused:
        make_offer(application, recruiter, **changes)
    assert refused.value.field == field and refused.value.message
    assert Offer.objects.count() == 0 and OfferChange.objects.count() == 0


def test_create_checks_the_approvers(application, recruiter, manager, interviewer, outsider):
    for bad in ([interviewer], [outsider], [manager, manager]):
        with pytest.raises(OfferRefused) as refused:
            make_offer(application, recruiter, approvers=bad)
        assert refused.value.field == "approvers"
    manager.is_active = False
    manager.save()
    with pytest.raises(OfferRefused):
        make_offer(application, recruiter, approvers=[manager])
    assert Offer.objects.count() == 0


def test_default_chain_is_the_hiring_manager(application, recruiter, manager):
    offer = make_offer(application, recruiter)
    assert [a.approver for a in offer.approvals.all()] == [manager]


def test_one_open_offer_per_application(application, recruiter):
    first = make_offer(application, recruiter)
    with pytest.raises(OfferRefused, match=f"already has an open offer \\(#{first.pk}\\)"):
        make_offer(application, recruiter)
    services.offer_withdraw(offer=first, actor=recruiter)
    assert make_offer(application, recruiter).status == Offer.Status.DRAFT


def test_offers_go_to_active_applications_only(application, recruiter):
    from ats.models import RejectionReason  # noqa: PLC0415 - only this test

    application_reject(
        application=application, reason=RejectionReason.objects.first(), actor=recruiter
    )
    with pytest.raises(OfferRefused, match="rejected"):
        make_offer(application, recruiter)


def test_only_recruiters_and_the_jobs_manager_make_offers(
    application, other_manager, interviewer, manager
):
    for user in (other_manager, interviewer):
        with pytest.raises(OfferRefused, match="may not"):
            make_offer(application, user)
    assert make_offer(application, manager).created_by == manager


# --------------------------------------------------------------------------- approval chain


def test_chain_in_order_then_approved(application, recruiter, manager, admin_user):
    offer = make_offer(application, recruiter, approvers=[manager, recruiter, admin_user])
    with pytest.raises(OfferRefused, match="not waiting for approval"):
        services.offer_decide(offer=offer, approver=manager, approve=True)
    services.offer_submit_for_approval(offer=offer, actor=recruiter)
    with pytest.raises(OfferRefused, match="not your turn"):
        services.offer_decide(offer=offer, approver=admin_user, approve=True)
    services.offer_decide(offer=offer, approver=manager, approve=True, comment="Good")
    with pytest.raises(OfferRefused, match="already decided"):
        services.offer_decide(offer=offer, approver=manager, approve=True)
    offer = services.offer_decide(offer=offer, approver=recruiter, approve=True)
    assert offer.status == Offer.Status.PENDING_APPROVAL
    offer = services.offer_decide(offer=offer, approver=admin_user, approve=True)
    assert offer.status == Offer.Status.APPROVED
    decisions = list(offer.approvals.values_list("decision", flat=True))
    assert decisions == ["approved"] * 3
    actions = list(offer.history.values_list("action", flat=True))
    assert actions == ["created", "submitted", "approval", "approval", "approval", "approved"]
    kinds = TimelineEntry.objects.filter(
        candidate=application.candidate, kind=TimelineEntry.Kind.OFFER
    )
    assert kinds.count() == 6


def test_someone_off_the_chain_cannot_decide(application, recruiter, manager, other_manager):
    offer = make_offer(application, recruiter)
    services.offer_submit_for_approval(offer=offer, actor=recruiter)
    with pytest.raises(OfferRefused, match="not on this offer's approval chain"):
        services.offer_decide(offer=offer, approver=other_manager, approve=True)
    assert offer.approvals.get().decision == OfferApproval.Decision.PENDING


def test_decline_sends_back_to_draft_with_the_comment(application, recruiter, manager):
    offer = make_offer(application, recruiter)
    services.offer_submit_for_approval(offer=offer, actor=recruiter)
    with pytest.raises(OfferRefused) as refused:
        services.offer_decide(offer=offer, approver=manager, approve=False, comment=" ")
    assert refused.value.field == "comment"
    offer = services.offer_decide(
        offer=offer, approver=manager, approve=False, comment="Too high for the band"
    )
    assert offer.status == Offer.Status.DRAFT
    step = offer.approvals.get()
    assert step.decision == "declined" and step.comment == "Too high for the band"
    assert offer.history.last().note == "Too high for the band"


def test_edit_after_approval_restarts_the_chain(application, recruiter, manager, admin_user):
    offer = make_offer(application, recruiter, approvers=[manager, admin_user])
    services.offer_submit_for_approval(offer=offer, actor=recruiter)
    services.offer_decide(offer=offer, approver=manager, approve=True)
    offer = services.offer_update(offer=offer, actor=recruiter, salary="90000")
    assert offer.status == Offer.Status.PENDING_APPROVAL
    assert set(offer.approvals.values_list("decision", flat=True)) == {"pending"}
    assert "90,000 EUR" in offer.letter  # the template's letter follows the terms
    with pytest.raises(OfferRefused, match="not your turn"):
        services.offer_decide(offer=offer, approver=admin_user, approve=True)
    note = offer.history.last().note
    assert "salary" in note and "starts again" in note
    # an approved offer goes back to pending approval too
    services.offer_decide(offer=offer, approver=manager, approve=True)
    offer = services.offer_decide(offer=offer, approver=admin_user, approve=True)
    assert offer.status == Offer.Status.APPROVED
    offer = services.offer_update(offer=offer, actor=recruiter, bonus="none")
    assert offer.status == Offer.Status.PENDING_APPROVAL


def test_edit_of_a_draft_stays_draft_and_a_no_op_records_nothing(application, recruiter):
    offer = make_offer(application, recruiter)
    before = offer.history.count()
    services.offer_update(offer=offer, actor=recruiter, salary="85000")
    assert offer.history.count() == before
    same = offer.letter.replace("\n", "\r\n")  # as a browser posts the unchanged textarea
    offer = services.offer_update(offer=offer, actor=recruiter, letter=same, salary="85500")
    assert "85,500 EUR" in offer.letter  # still the template's letter, rendered again
    offer = services.offer_update(offer=offer, actor=recruiter, letter="Dear Grace, welcome.")
    assert offer.status == Offer.Status.DRAFT and offer.letter == "Dear Grace, welcome.\n"
    offer = services.offer_update(offer=offer, actor=recruiter, salary="86000")
    assert offer.letter == "Dear Grace, welcome.\n"  # a hand-written letter is kept


def test_bad_edit_changes_nothing(application, recruiter):
    offer = make_offer(application, recruiter)
    with pytest.raises(OfferRefused) as refused:
        services.offer_update(offer=offer, actor=recruiter, salary="90000", currency="EURO")
    assert refused.value.field == "currency"
    offer.refresh_from_db()
    assert offer.salary == Decimal("85000.00") and offer.history.count() == 1


def test_no_approvers_means_approved_on_submit(application, recruiter):
    offer = make_offer(application, recruiter, approvers=[])
    offer = services.offer_submit_for_approval(offer=offer, actor=recruiter)
    assert offer.status == Offer.Status.APPROVED


# --------------------------------------------------------------------------- send, answer


def test_send_needs_approval_then_edit_is_refused(application, recruiter, manager):
    offer = make_offer(application, recruiter)
    with pytest.raises(OfferRefused, match="Only an approved offer"):
        services.offer_send(offer=offer, actor=recruiter)
    services.offer_withdraw(offer=offer, actor=recruiter)
    offer = sent_offer(application, recruiter, manager)
    assert offer.status == Offer.Status.SENT and offer.nonce and offer.sent_at
    assert events("offer.sent") == 1
    with pytest.raises(OfferRefused, match="cannot be edited") as refused:
        services.offer_update(offer=offer, actor=recruiter, salary="1")
    assert refused.value.field == "status"
    offer.refresh_from_db()
    assert offer.salary == Decimal("85000.00")


def test_accept_hires_the_application(application, recruiter, manager):
    offer = sent_offer(application, recruiter, manager)
    link = offer_for_token(token_of(offer))
    assert link.usable
    offer = services.offer_respond(offer=link.offer, accept=True)
    assert offer.status == Offer.Status.ACCEPTED and offer.responded_at
    application.refresh_from_db()
    assert application.status == Application.Status.HIRED
    assert application.stage.kind == "hired"
    hire = StageChange.objects.filter(application=application).latest("at")
    assert hire.to_status == "hired" and f"offer #{offer.pk}" in hire.comment
    assert hire.actor == recruiter  # on the authority of who sent it
    assert events("offer.accepted") == 1 and events("application.hired") == 1
    again = offer_for_token(token_of(offer))
    assert not again.usable and "already answered" in again.problem
    with pytest.raises(OfferRefused):
        services.offer_respond(offer=offer, accept=False)


def test_decline_records_the_reason(application, recruiter, manager):
    offer = sent_offer(application, recruiter, manager)
    offer = services.offer_respond(offer=offer, accept=False, reason="Accepted another offer")
    assert offer.status == Offer.Status.DECLINED
    assert offer.decline_reason == "Accepted another offer"
    application.refresh_from_db()
    assert application.status == Application.Status.ACTIVE
    assert events("offer.declined") == 1
    entry = TimelineEntry.objects.filter(kind=TimelineEntry.Kind.OFFER).latest("occurred_at")
    assert "declined" in entry.summary and entry.body == "Accepted another offer"


def test_withdraw_revokes_the_link(application, recruiter, manager):
    offer = sent_offer(application, recruiter, manager)
    token = token_of(offer)
    services.offer_withdraw(offer=offer, actor=recruiter, reason="Budget frozen")
    link = offer_for_token(token)
    assert not link.usable and "withdrawn" in link.problem
    with pytest.raises(OfferRefused, match="withdrawn"):
        services.offer_respond(offer=offer, accept=True)
    with pytest.raises(OfferRefused, match="already withdrawn"):
        services.offer_withdraw(offer=offer, actor=recruiter)


def test_forged_and_replaced_links_are_refused(application, recruiter, manager):
    offer = sent_offer(application, recruiter, manager)
    token = token_of(offer)
    assert offer_for_token(token[:-3] + "abc").offer is None
    assert "not valid" in offer_for_token("nonsense").problem
    # a new nonce (say the offer was sent again) kills older links
    Offer.objects.filter(pk=offer.pk).update(nonce="0" * 32)
    assert "no longer valid" in offer_for_token(token).problem


def test_expiry_by_the_task(application, recruiter, manager):
    offer = sent_offer(application, recruiter, manager)
    token = token_of(offer)
    assert services.offers_expire(now=timezone.now()) == 0
    later = offer.expires_at + timedelta(minutes=1)
    assert services.offers_expire(now=later) == 1
    offer.refresh_from_db()
    assert offer.status == Offer.Status.EXPIRED
    link = offer_for_token(token)
    assert link.expired and "ask your recruiter" in link.problem
    assert expire_offers() == 0


def test_past_date_link_is_expired_before_the_task_runs(application, recruiter, manager):
    offer = sent_offer(application, recruiter, manager)
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    link = offer_for_token(token_of(offer))
    assert link.expired and not link.usable
    with pytest.raises(OfferRefused, match="expired"):
        services.offer_respond(offer=offer, accept=True)


def test_send_refuses_a_date_too_close(application, recruiter, manager):
    offer = approved_offer(application, recruiter, manager)
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() + timedelta(hours=2))
    with pytest.raises(OfferRefused) as refused:
        services.offer_send(offer=offer, actor=recruiter)
    assert refused.value.field == "expires_in_days"
    offer = services.offer_send(offer=offer, actor=recruiter, expires_in_days=7)
    assert offer.status == Offer.Status.SENT
    assert offer.expires_at > timezone.now() + timedelta(days=6)


def test_beat_runs_the_expiry_hourly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["expire-offers"]
    assert entry == {"task": "ats.expire_offers", "schedule": 3600.0}


@pytest.mark.django_db(transaction=True)
def test_accept_racing_withdraw_one_wins(recruiter, manager):
    job = make_job(actor=recruiter, hiring_manager=manager, recruiter=recruiter)
    application = make_application(job=job, actor=recruiter)
    offer = sent_offer(application, recruiter, manager)
    results: dict[str, str] = {}
    barrier = threading.Barrier(2)

    def run(name, call):
        barrier.wait()
        try:
            call()
            results[name] = "ok"
        except OfferRefused:
            results[name] = "refused"
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=run, args=("accept", lambda: services.offer_respond(offer=offer, accept=True))
        ),
        threading.Thread(
            target=run,
            args=("withdraw", lambda: services.offer_withdraw(offer=offer, actor=recruiter)),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == ["ok", "refused"]
    offer.refresh_from_db()
    application.refresh_from_db()
    hired = application.status == Application.Status.HIRED
    assert (offer.status == Offer.Status.ACCEPTED) == hired
    assert offer.status in (Offer.Status.ACCEPTED, Offer.Status.WITHDRAWN)


@pytest.mark.django_db(transaction=True)
def test_two_racing_decisions_by_one_approver_count_once(recruiter, manager):
    job = make_job(actor=recruiter, hiring_manager=manager, recruiter=recruiter)
    offer = make_offer(make_application(job=job, actor=recruiter), recruiter)
    services.offer_submit_for_approval(offer=offer, actor=recruiter)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def decide():
        barrier.wait()
        try:
            services.offer_decide(offer=offer.pk, approver=manager, approve=True)
            results.append("ok")
        except OfferRefused as exc:
            results.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == 1, results
    assert offer.history.filter(action="approval").count() == 1
    assert offer.history.filter(action="approved").count() == 1


# --------------------------------------------------------------------------- the email


@pytest.fixture
def eager_tasks():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def test_offer_email_carries_a_working_link(
    client, smtp_server, eager_tasks, django_capture_on_commit_callbacks, settings, application,
    recruiter, manager,
):  # fmt: skip
    settings.SITE_URL = "http://testserver"
    offer = approved_offer(application, recruiter, manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_send(offer=offer, actor=recruiter)
    assert [m["to"] for m in smtp_server.messages] == [["grace@example.com"]]
    message = smtp_server.messages[0]["message"]
    assert message["Subject"].startswith("Your offer for Backend")
    body = message.get_content()
    url = re.search(r"http://testserver(/careers/offer/\S+/)", body).group(1)
    page = client.get(url)
    assert page.status_code == 200
    assert "Your offer: Backend" in page.content.decode()
    assert "85,000 EUR per year" in page.content.decode()


# --------------------------------------------------------------------------- candidate page


def test_candidate_accepts_on_the_page(client, application, recruiter, manager):
    offer = sent_offer(application, recruiter, manager)
    url = reverse("careers:offer", args=[token_of(offer)])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Dear Grace," in html and "csrfmiddlewaretoken" in html
    response = client.post(url, {"answer": "accept"})
    assert response.status_code == 303
    answered = client.get(url)
    assert answered.status_code == 200
    assert "You accepted the offer" in answered.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.HIRED


def test_candidate_declines_with_a_reason(client, application, recruiter, manager):
    offer = sent_offer(application, recruiter, manager)
    url = reverse("careers:offer", args=[token_of(offer)])
    client.post(url, {"answer": "decline", "reason": "Relocation is not possible"})
    page = client.get(url)
    assert "You declined the offer" in page.content.decode()
    assert "Relocation is not possible" in page.content.decode()
    offer.refresh_from_db()
    assert offer.decline_reason == "Relocation is not possible"


def test_candidate_page_bad_answer_is_422(client, application, recruiter, manager):
    offer = sent_offer(application, recruiter, manager)
    url = reverse("careers:offer", args=[token_of(offer)])
    response = client.post(url, {"answer": "maybe"})
    assert response.status_code == 422
    assert "Choose to accept or decline" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SENT


def test_candidate_page_bad_links(client, application, recruiter, manager):
    offer = sent_offer(application, recruiter, manager)
    token = token_of(offer)
    forged = client.get(reverse("careers:offer", args=["x" + token[1:]]))
    assert forged.status_code == 404 and "We cannot open this offer" in forged.content.decode()
    posted = client.post(reverse("careers:offer", args=["garbage"]), {"answer": "accept"})
    assert posted.status_code == 404
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = client.get(reverse("careers:offer", args=[token]))
    assert expired.status_code == 410 and "ask your recruiter" in expired.content.decode()
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() + timedelta(days=3))
    services.offer_withdraw(offer=offer, actor=recruiter)
    withdrawn = client.post(reverse("careers:offer", args=[token]), {"answer": "accept"})
    assert withdrawn.status_code == 410 and "withdrawn" in withdrawn.content.decode()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.WITHDRAWN


# --------------------------------------------------------------------------- pages per role


def _as(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "status"),
    [("recruiter", 200), ("manager", 200), ("other_manager", 404), ("interviewer", 404),
     ("outsider", 404)],
)  # fmt: skip
def test_new_offer_page_per_role(client, users, other_manager, application, who, status):
    user = other_manager if who == "other_manager" else users[who]
    response = _as(client, user).get(reverse("ats:offer-new", args=[application.pk]))
    assert response.status_code == status
    if status == 200:
        assert "Make an offer" in response.content.decode()


def test_new_offer_page_creates_and_previews(client, recruiter, manager, application, template):
    url = reverse("ats:offer-new", args=[application.pk])
    data = {
        "template": template.pk,
        "salary": "85000",
        "currency": "EUR",
        "salary_period": "YEAR",
        "start_date": (TODAY() + timedelta(days=30)).isoformat(),
        "expires_in_days": "14",
        "approver_1": manager.pk,
    }
    client = _as(client, recruiter)
    preview = client.post(url, data | {"preview": "1"})
    assert preview.status_code == 200 and "Dear Grace," in preview.content.decode()
    assert Offer.objects.count() == 0
    bad = client.post(url, data | {"currency": "EURO", "start_date": "2000-01-01"})
    assert bad.status_code == 422 and Offer.objects.count() == 0
    assert "The start date cannot be in the past." in bad.content.decode()
    created = client.post(url, data)
    offer = Offer.objects.get()
    assert created.status_code == 302 and created["Location"] == reverse(
        "ats:offer-detail", args=[offer.pk]
    )
    again = client.get(url)
    assert again.status_code == 302  # an open offer exists: go to it


@pytest.mark.parametrize(
    ("who", "status"),
    [("recruiter", 200), ("manager", 200), ("admin", 200), ("other_manager", 404),
     ("interviewer", 404), ("outsider", 404)],
)  # fmt: skip
def test_offer_detail_per_role(client, users, other_manager, application, who, status):
    offer = make_offer(application, users["recruiter"])
    user = other_manager if who == "other_manager" else users[who]
    response = _as(client, user).get(reverse("ats:offer-detail", args=[offer.pk]))
    assert response.status_code == status
    if status == 200:
        assert "Approval chain" in response.content.decode()


def test_offer_detail_hidden_answer_is_the_same_for_missing(client, other_manager, application,
                                                              recruiter):  # fmt: skip
    offer = make_offer(application, recruiter)
    client = _as(client, other_manager)
    assert client.get(reverse("ats:offer-detail", args=[offer.pk])).status_code == 404
    assert client.get(reverse("ats:offer-detail", args=[offer.pk + 999])).status_code == 404


def test_approver_on_another_job_sees_and_decides(client, recruiter, other_manager, application):
    offer = make_offer(application, recruiter, approvers=[other_manager])
    services.offer_submit_for_approval(offer=offer, actor=recruiter)
    client = _as(client, other_manager)
    listing = client.get(reverse("ats:offers"))
    assert listing.status_code == 200 and "Awaiting your approval" in listing.content.decode()
    page = client.get(reverse("ats:offer-detail", args=[offer.pk]))
    assert page.status_code == 200 and 'value="approve"' in page.content.decode()
    # may decide, may not manage
    assert client.post(reverse("ats:offer-withdraw", args=[offer.pk])).status_code == 403
    response = client.post(
        reverse("ats:offer-decide", args=[offer.pk]), {"decision": "approve", "comment": "ok"}
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == Offer.Status.APPROVED


def test_decline_without_comment_on_the_page_is_refused(client, recruiter, manager, application):
    offer = make_offer(application, recruiter)
    services.offer_submit_for_approval(offer=offer, actor=recruiter)
    response = _as(client, manager).post(
        reverse("ats:offer-decide", args=[offer.pk]), {"decision": "decline", "comment": ""}
    )
    assert response.status_code == 422 and "Say why you decline" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING_APPROVAL


def test_out_of_turn_on_the_page_is_refused(client, recruiter, manager, application):
    offer = make_offer(application, recruiter, approvers=[manager, recruiter])
    services.offer_submit_for_approval(offer=offer, actor=recruiter)
    response = _as(client, recruiter).post(
        reverse("ats:offer-decide", args=[offer.pk]), {"decision": "approve"}
    )
    assert response.status_code == 422 and "not your turn" in response.content.decode()
    assert set(offer.approvals.values_list("decision", flat=True)) == {"pending"}


def test_whole_flow_through_the_pages(client, recruiter, manager, application, template):
    offer = make_offer(application, recruiter)
    page = _as(client, recruiter)
    assert page.post(reverse("ats:offer-submit", args=[offer.pk])).status_code == 302
    client.force_login(manager)
    client.post(reverse("ats:offer-decide", args=[offer.pk]), {"decision": "approve"})
    client.force_login(recruiter)
    response = client.post(reverse("ats:offer-send", args=[offer.pk]), {"expires_in_days": "10"})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SENT
    detail = client.get(reverse("ats:offer-detail", args=[offer.pk])).content.decode()
    assert "Sent to grace@example.com" in detail and "Fully approved" in detail
    assert "85,000 EUR per year" in detail
    edit = client.get(reverse("ats:offer-edit", args=[offer.pk]))
    assert edit.status_code == 302  # a sent offer is not editable
    response = client.post(reverse("ats:offer-withdraw", args=[offer.pk]), {"reason": "x"})
    offer.refresh_from_db()
    assert response.status_code == 302 and offer.status == Offer.Status.WITHDRAWN


def test_edit_page_restarts_the_chain(client, recruiter, manager, application, template):
    offer = approved_offer(application, recruiter, manager)
    client = _as(client, recruiter)
    url = reverse("ats:offer-edit", args=[offer.pk])
    page = client.get(url)
    assert page.status_code == 200 and "starts again" in page.content.decode()
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["start_date"] = data["start_date"].isoformat()
    data["salary"] = "91000"
    response = client.post(url, data)
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PENDING_APPROVAL and offer.salary == Decimal("91000")
    assert "91,000 EUR" in offer.letter


@pytest.mark.parametrize("action", ["submit", "send", "withdraw", "edit", "decide"])
@pytest.mark.parametrize(
    ("who", "status"),
    [("other_manager", 404), ("interviewer", 404), ("outsider", 404), ("anonymous", 302)],
)
def test_offer_actions_refuse_other_roles(
    client, users, other_manager, application, action, who, status
):
    offer = make_offer(application, users["recruiter"])
    if who != "anonymous":
        client.force_login(other_manager if who == "other_manager" else users[who])
    response = client.post(reverse(f"ats:offer-{action}", args=[offer.pk]), {"decision": "approve"})
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))
    offer.refresh_from_db()
    assert offer.status == Offer.Status.DRAFT and offer.history.count() == 1


@pytest.mark.parametrize("who", ["interviewer", "outsider"])
def test_offer_list_refuses_other_roles(client, users, who):
    assert _as(client, users[who]).get(reverse("ats:offers")).status_code == 403


def test_offer_list_scopes_per_role(client, recruiter, manager, other_manager, application):
    mine = make_offer(application, recruiter)
    other_job = make_job(actor=recruiter, hiring_manager=other_manager, title="Designer")
    theirs = make_offer(make_application(job=other_job, actor=recruiter), recruiter)
    assert set(offers_visible_to(recruiter)) == {mine, theirs}
    assert set(offers_visible_to(manager)) == {mine}
    html = _as(client, manager).get(reverse("ats:offers")).content.decode()
    assert "Backend" in html and "Designer" not in html


def test_offer_list_queries_do_not_grow(client, recruiter, manager, django_assert_max_num_queries):
    job = make_job(actor=recruiter, hiring_manager=manager)

    def count() -> int:
        _as(client, manager)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("ats:offers"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    make_offer(make_application(job=job, actor=recruiter), recruiter)
    few = count()
    for _ in range(15):
        make_offer(make_application(job=job, actor=recruiter), recruiter)
    many = count()
    html = client.get(reverse("ats:offers")).content.decode()
    assert len(re.findall(r'id="offer-\d+"', html)) == 16
    assert many == few


# --------------------------------------------------------------------------- API


def api_as(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _payload(application, **changes) -> dict:
    return {
        "application": application.pk,
        "salary": "85000",
        "currency": "EUR",
        "salary_period": "YEAR",
        "start_date": (TODAY() + timedelta(days=20)).isoformat(),
        "template": standard_template().pk,
    } | changes


def test_api_whole_flow(recruiter, manager, application):
    api = api_as(recruiter)
    created = api.post(reverse("api:offers"), _payload(application), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "draft" and body["approvers"][0]["approver"] == manager.pk
    pk = body["id"]
    assert api.post(reverse("api:offer-submit", args=[pk])).status_code == 200
    out_of_turn = api.post(reverse("api:offer-approve", args=[pk]), {"approve": True})
    assert out_of_turn.status_code == 400 and "not on this offer" in out_of_turn.json()["detail"]
    decided = api_as(manager).post(
        reverse("api:offer-approve", args=[pk]), {"approve": True, "comment": "fine"}
    )
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    sent = api.post(reverse("api:offer-send", args=[pk]), {}, format="json")
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    edit = api.patch(reverse("api:offer-detail", args=[pk]), {"salary": "1"}, format="json")
    assert edit.status_code == 409 and "cannot be edited" in edit.json()["detail"]
    assert Offer.objects.get(pk=pk).salary == Decimal("85000.00")
    withdrawn = api.post(reverse("api:offer-withdraw", args=[pk]), {"reason": "r"})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


def test_api_bad_input_names_the_field(recruiter, application):
    api = api_as(recruiter)
    response = api.post(
        reverse("api:offers"), _payload(application, currency="EURO"), format="json"
    )
    assert response.status_code == 400 and "currency" in response.json()
    past = (TODAY() - timedelta(days=1)).isoformat()
    response = api.post(reverse("api:offers"), _payload(application, start_date=past))
    assert response.status_code == 400 and response.json()["field"] == "start_date"
    assert Offer.objects.count() == 0


def test_api_edit_after_approval_restarts_and_scopes(
    recruiter, manager, other_manager, interviewer, application
):
    offer = approved_offer(application, recruiter, manager)
    api = api_as(recruiter)
    response = api.patch(
        reverse("api:offer-detail", args=[offer.pk]), {"salary": "90000"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "pending_approval"
    assert (
        api_as(other_manager).get(reverse("api:offer-detail", args=[offer.pk])).status_code == 404
    )
    assert api_as(interviewer).get(reverse("api:offers")).status_code == 403
    listing = api_as(manager).get(reverse("api:offers"))
    assert [row["id"] for row in listing.json()["results"]] == [offer.pk]


def test_schema_documents_the_offer_endpoints(db):
    response = APIClient().get(
        reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    paths = response.json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/offers/"])
    assert {"get", "patch"} <= set(paths["/api/v1/offers/{id}/"])
    for action in ("submit", "approve", "send", "withdraw"):
        assert "post" in paths[f"/api/v1/offers/{{id}}/{action}/"]
    assert "409" in paths["/api/v1/offers/{id}/"]["patch"]["responses"]
