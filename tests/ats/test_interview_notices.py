"""Interview reminders, feedback prompts and overdue alerts: planned per SEQUENCE, claimed with
SKIP LOCKED, sent once, never stale."""

from __future__ import annotations

import threading
from datetime import timedelta

import icalendar
import pytest
from django.db import connection
from django.utils import timezone

from ats.models import Interview, InterviewNotice, Scorecard
from ats.services import notices
from config.core.roles import Role
from tests.factories import UserFactory, make_application

pytestmark = pytest.mark.django_db

Kind = InterviewNotice.Kind
Status = InterviewNotice.Status


def _interview(*, starts_in: timedelta, interviewers, recruiter=None, minutes: int = 60):
    application = make_application()
    if recruiter is not None:
        application.job.recruiter = recruiter
        application.job.save(update_fields=["recruiter"])
    start = timezone.now() + starts_in
    interview = Interview.objects.create(
        application=application,
        title="Technical interview",
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        timezone="Europe/Berlin",
        location="Room 4",
    )
    interview.interviewers.set(interviewers)
    notices.interview_notices_replan(interview=interview)
    return interview


def _queued(interview):
    return {
        (n.kind, n.user_id)
        for n in InterviewNotice.objects.filter(interview=interview, status=Status.QUEUED)
    }


def _send_at(moment):
    return notices.notices_send_claimed(ids=notices.notices_claim(now=moment), now=moment)


def test_replan_makes_reminders_prompts_and_alerts_per_interviewer(interviewer):
    other = UserFactory(username="ivy", roles=[Role.INTERVIEWER])
    interview = _interview(starts_in=timedelta(days=3), interviewers=[interviewer, other])
    assert _queued(interview) == {
        (Kind.CANDIDATE_REMINDER, None),
        (Kind.INTERVIEWER_REMINDER, interviewer.pk),
        (Kind.INTERVIEWER_REMINDER, other.pk),
        (Kind.FEEDBACK_PROMPT, interviewer.pk),
        (Kind.FEEDBACK_PROMPT, other.pk),
        (Kind.FEEDBACK_OVERDUE, interviewer.pk),
        (Kind.FEEDBACK_OVERDUE, other.pk),
    }
    reminder = InterviewNotice.objects.get(interview=interview, kind=Kind.CANDIDATE_REMINDER)
    assert reminder.due_at == interview.starts_at - timedelta(hours=24)
    prompt = InterviewNotice.objects.get(interview=interview, kind=Kind.FEEDBACK_PROMPT, user=other)
    assert prompt.due_at == interview.ends_at + timedelta(hours=2)
    # idempotent: a second replan makes no second row
    notices.interview_notices_replan(interview=interview)
    assert InterviewNotice.objects.filter(interview=interview).count() == 7


def test_interview_set_up_less_than_a_day_ahead_gets_no_reminder(interviewer):
    interview = _interview(starts_in=timedelta(hours=5), interviewers=[interviewer])
    assert _queued(interview) == {
        (Kind.FEEDBACK_PROMPT, interviewer.pk),
        (Kind.FEEDBACK_OVERDUE, interviewer.pk),
    }


def test_reminders_go_out_at_their_time_with_the_invite(interviewer, smtp_server):
    interviewer.email = "ian@example.com"
    interviewer.save()
    interview = _interview(starts_in=timedelta(days=2), interviewers=[interviewer])
    # a day and a half before: nothing is due
    assert _send_at(interview.starts_at - timedelta(hours=36)).sent == 0
    assert smtp_server.messages == []
    result = _send_at(interview.starts_at - timedelta(hours=23))
    assert (result.sent, result.skipped, result.failed) == (2, 0, 0)
    by_address = {m["to"][0]: m["message"] for m in smtp_server.messages}
    candidate = interview.application.candidate
    assert set(by_address) == {candidate.email, "ian@example.com"}
    to_candidate = by_address[candidate.email]
    assert "Reminder: your interview" in to_candidate["Subject"]
    calendar_part = next(
        part for part in to_candidate.walk() if part.get_content_type() == "text/calendar"
    )
    assert calendar_part.get_param("method") == "REQUEST"
    event = icalendar.Calendar.from_ical(calendar_part.get_content()).walk("VEVENT")[0]
    assert str(event["UID"]).startswith(str(interview.uid))
    assert int(event["SEQUENCE"]) == interview.sequence
    # the candidate's reminder is on their timeline
    assert candidate.timeline.filter(
        kind="email_out", summary__startswith="Interview reminder sent: Technical interview"
    ).exists()
    # sent is sent: a later tick sends nothing again
    assert _send_at(interview.starts_at - timedelta(hours=22)).sent == 0
    assert len(smtp_server.messages) == 2


def test_cancelled_interview_sends_no_reminder(interviewer, smtp_server):
    interview = _interview(starts_in=timedelta(days=2), interviewers=[interviewer])
    interview.status = Interview.Status.CANCELLED
    interview.sequence += 1
    interview.save()
    notices.interview_notices_replan(interview=interview)
    assert _queued(interview) == set()
    result = _send_at(interview.ends_at + timedelta(days=2))
    assert result.sent == 0
    assert smtp_server.messages == []


def test_cancelled_after_the_claim_is_skipped_at_send_time(interviewer, smtp_server):
    """A cancellation that lands between the claim and the send still stops the mail."""
    interview = _interview(starts_in=timedelta(days=2), interviewers=[interviewer])
    moment = interview.starts_at - timedelta(hours=23)
    ids = notices.notices_claim(now=moment)
    assert len(ids) == 2
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.CANCELLED)
    result = notices.notices_send_claimed(ids=ids, now=moment)
    assert (result.sent, result.skipped) == (0, 2)
    assert smtp_server.messages == []
    assert set(InterviewNotice.objects.filter(pk__in=ids).values_list("detail", flat=True)) == {
        "interview cancelled"
    }


def test_moved_interview_sends_only_the_new_reminder(interviewer, smtp_server):
    interview = _interview(starts_in=timedelta(days=2), interviewers=[interviewer])
    old_reminder_time = interview.starts_at - timedelta(hours=24)
    interview.starts_at += timedelta(days=3)
    interview.ends_at += timedelta(days=3)
    interview.sequence += 1
    interview.save()
    notices.interview_notices_replan(interview=interview)
    # at the old reminder's time nothing goes out
    assert _send_at(old_reminder_time + timedelta(minutes=1)).sent == 0
    assert smtp_server.messages == []
    result = _send_at(interview.starts_at - timedelta(hours=23))
    assert result.sent == 2
    assert (
        InterviewNotice.objects.filter(
            interview=interview, status=Status.SKIPPED, for_sequence=0
        ).count()
        == 4
    )


def test_feedback_prompt_only_to_who_has_not_submitted_and_overdue_alert_to_recruiter(
    interviewer, recruiter, smtp_server
):
    other = UserFactory(username="ivy", roles=[Role.INTERVIEWER], email="ivy@example.com")
    interviewer.email, recruiter.email = "ian@example.com", "rita@example.com"
    interviewer.save()
    recruiter.save()
    interview = _interview(
        starts_in=timedelta(hours=3), interviewers=[interviewer, other], recruiter=recruiter
    )
    Scorecard.objects.create(
        interview=interview,
        application=interview.application,
        interviewer=other,
        status=Scorecard.Status.SUBMITTED,
        overall="yes",
        submitted_at=timezone.now(),
    )
    prompts = _send_at(interview.ends_at + timedelta(hours=2, minutes=1))
    assert (prompts.sent, prompts.skipped) == (1, 1)
    assert [m["to"] for m in smtp_server.messages] == [["ian@example.com"]]
    assert "Your feedback on" in smtp_server.messages[0]["message"]["Subject"]
    overdue = _send_at(interview.ends_at + timedelta(hours=24, minutes=1))
    assert (overdue.sent, overdue.skipped) == (1, 1)
    alert = smtp_server.messages[1]
    assert alert["to"] == ["rita@example.com"]
    assert alert["message"]["Subject"].startswith("Feedback overdue: ")
    assert interviewer.display_name in alert["message"]["Subject"]


@pytest.mark.django_db(transaction=True)
def test_racing_workers_send_each_notice_once(smtp_server):
    panel = [
        UserFactory(username=f"panel{i}", roles=[Role.INTERVIEWER], email=f"p{i}@example.com")
        for i in range(3)
    ]
    interviews = [
        _interview(starts_in=timedelta(days=2, minutes=i), interviewers=panel) for i in range(10)
    ]
    moment = max(i.starts_at for i in interviews) - timedelta(hours=23)
    barrier = threading.Barrier(4)
    errors = []

    def worker():
        try:
            barrier.wait()
            while ids := notices.notices_claim(now=moment, batch=3):
                notices.notices_send_claimed(ids=ids, now=moment)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # 10 interviews x (1 candidate + 3 interviewers) reminders, each once
    assert len(smtp_server.messages) == 40
    recipients = [m["to"][0] for m in smtp_server.messages]
    assert all(recipients.count(f"p{i}@example.com") == 10 for i in range(3))
    assert InterviewNotice.objects.filter(status=Status.SENT).count() == 40


def test_a_dead_workers_half_sent_notices_fail_and_are_not_resent(interviewer):
    interview = _interview(starts_in=timedelta(days=2), interviewers=[interviewer])
    moment = interview.starts_at - timedelta(hours=23)
    ids = notices.notices_claim(now=moment)
    InterviewNotice.objects.filter(pk__in=ids).update(claimed_at=moment - timedelta(hours=1))
    assert notices.notices_reap_stuck(now=moment) == 2
    assert set(InterviewNotice.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        Status.FAILED
    }
    assert notices.notices_claim(now=moment) == []
