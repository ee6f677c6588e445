"""Demo interviews, scorecards and an offer for `make run`: the demo interviewer and manager
have interviews today and this week, one scorecard is submitted and one is overdue, and an
offer waits for the manager's approval.

Everything goes through the services (invites land in the outbox, history and timelines are
real); past interviews are scheduled ahead and then moved back in time, as the other demo
loaders backdate their history. Idempotent: nothing is made when demo interviews exist.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .models import Application, Interview, InterviewType, OfferTemplate
from .services.interviews import interview_schedule
from .services.notices import interview_notices_replan
from .services.offers import offer_create, offer_submit_for_approval
from .services.scorecards import scorecard_submit

ZONE = "Europe/Berlin"
DOMAIN = "demo.talentloop.localhost"


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _application(local: str, reference: str) -> Application | None:
    return (
        Application.objects.filter(
            candidate__email=f"{local}@{DOMAIN}", job__reference=reference, status="active"
        )
        .select_related("job", "candidate")
        .first()
    )


def _type(application: Application, name: str) -> InterviewType | None:
    return InterviewType.objects.filter(job=application.job, name=name).first()


def _at(days: int, hour: int) -> datetime:
    """``hour`` o'clock (site time) ``days`` from today."""
    local = timezone.localtime() + timedelta(days=days)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def _soon() -> datetime:
    """Later today: the next full hour at least an hour away (tomorrow morning late at night)."""
    moment = (timezone.localtime() + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    return moment if moment.date() == timezone.localdate() else _at(1, 9)


def _schedule(application, recruiter, type_name, starts_at, panel, **extra) -> Interview:
    kind = _type(application, type_name)
    return interview_schedule(
        application=application,
        actor=recruiter,
        starts_at=starts_at,
        duration_minutes=kind.duration_minutes if kind else 45,
        timezone_name=ZONE,
        interviewers=panel,
        interview_type=kind,
        title=type_name,
        allow_conflicts=True,
        **extra,
    )


def _move_back(interview: Interview, days: int) -> Interview:
    """An interview that took place ``days`` ago (demo history)."""
    length = interview.ends_at - interview.starts_at
    start = _at(-days, 11)
    Interview.objects.filter(pk=interview.pk).update(starts_at=start, ends_at=start + length)
    interview.refresh_from_db()
    interview_notices_replan(interview=interview)
    return interview


@transaction.atomic
def demo_interviews_load(actor=None) -> dict[str, int]:
    recruiter = actor or _user("recruiter")
    manager, interviewer = _user("manager"), _user("interviewer")
    if Interview.objects.exists() or None in (recruiter, manager, interviewer):
        return {"interviews_created": 0, "offers_created": 0}
    amara = _application("amara.okafor", "DEMO-1001")
    rosa = _application("rosa.ortega", "DEMO-1001")
    jonas = _application("jonas.becker", "DEMO-1001")
    chen = _application("chen.wei", "DEMO-1003")
    priya = _application("priya.raman", "DEMO-1001")
    video = {"video_url": "https://meet.example.com/talentloop-demo"}
    made = 0
    if amara:
        # a past technical interview with both scorecards in, and the final round today
        past = _move_back(
            _schedule(amara, recruiter, "Technical interview", _at(1, 10), [interviewer], **video),
            6,
        )
        scorecard_submit(
            interview=past,
            interviewer=interviewer,
            overall="strong_yes",
            ratings=[
                {"attribute": attribute, "rating": 4 if index == 0 else 3}
                for index, attribute in enumerate(past.interview_type.focus_attributes)
            ]
            if past.interview_type
            else [],
            notes="Clear, structured answers; designed the rate limiter with sensible trade-offs.",
        )
        _schedule(
            amara,
            recruiter,
            "Final interview",
            _soon(),
            [manager, interviewer],
            location="Berlin office, room Spree",
            message="You will meet Morgan, the hiring manager, and Ira from the team.",
        )
        made += 2
    if rosa:
        _schedule(rosa, recruiter, "Technical interview", _at(2, 14), [interviewer], **video)
        made += 1
    if jonas:
        _schedule(jonas, recruiter, "Recruiter screen", _at(3, 10), [manager], **video)
        made += 1
    if chen:
        # took place two days ago; the interviewer's scorecard is overdue
        _move_back(
            _schedule(chen, recruiter, "Technical interview", _at(1, 15), [interviewer], **video),
            2,
        )
        made += 1
    offers = 0
    if priya:
        offer = offer_create(
            application=priya,
            actor=recruiter,
            salary=Decimal("86000"),
            currency="EUR",
            start_date=date.today() + timedelta(days=45),
            bonus="10% annual target bonus",
            template=OfferTemplate.objects.filter(active=True).order_by("name").first(),
            approvers=[manager],
        )
        offer_submit_for_approval(offer=offer, actor=recruiter)
        offers += 1
    return {"interviews_created": made, "offers_created": offers}
