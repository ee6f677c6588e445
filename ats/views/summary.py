"""The decision page of an application (``ats:application-summary``): the scorecard summary
(attributes by interviewer, the recommendation tally, every note) under the blindness rule, the
interviews, the resume, cover letter and answers, and the decision right there: advance, reject
(reason, optional email) and "Make an offer".

For recruiters and the job's hiring manager; everyone else gets 404, whether the application
exists or not. The forms post to the existing actions (``ats:review-decide`` advances,
``ats:application-reject`` rejects) and come back here."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from config.core.roles import Role, role_required

from ..models import Application
from ..selectors.applications import rejection_reasons
from ..selectors.decision import application_for_decision
from ..selectors.jobs import can_move
from ..selectors.scorecards import application_summary


@role_required(Role.RECRUITER, Role.HIRING_MANAGER, hide=True, load=application_for_decision)
@require_GET
def application_summary_page(request: HttpRequest, app: Application) -> HttpResponse:
    """Recruiters and the job's hiring manager decide from here (constant queries). Anyone
    else (a hiring manager of another job who interviews this person, say) gets 404."""
    if not can_move(request.user, app.job):
        raise Http404
    summary = application_summary(request.user, app)
    if summary is None:
        raise Http404
    stages = list(app.job.stages.all())
    following = next((s for s in stages if s.position > app.stage.position), None)
    resumes = list(app.candidate.resumes.all())
    here = reverse("ats:application-summary", args=[app.pk])
    context = {
        "app": app,
        "candidate": app.candidate,
        "job": app.job,
        "summary": summary,
        "interviews": list(app.interviews.all()),
        "resumes": [
            (resume, reverse("crm:candidate-resume", args=[app.candidate_id, resume.pk]))
            for resume in resumes
        ],
        "answers": answer_rows(app.answers),
        "can_decide": app.is_active,
        "next_stage": following,
        "reasons": rejection_reasons(),
        "offer_url": offer_url(app.pk) if app.is_active else "",
        "here": here,
    }
    return render(request, "ats/scorecards/summary.html", context)


def answer_rows(answers) -> list[tuple[str, str]]:
    """(question, answer) of the stored answers to the job's questions; lists are joined and
    anything not shaped like an answer is skipped (the page must not trust stored JSON)."""
    rows = []
    for item in answers if isinstance(answers, list) else []:
        if not isinstance(item, dict):
            continue
        answer = item.get("answer")
        if isinstance(answer, list):
            answer = ", ".join(str(part) for part in answer)
        elif isinstance(answer, bool):
            answer = "Yes" if answer else "No"
        rows.append((str(item.get("label") or "Question"), str(answer or "")))
    return rows


def offer_url(application_id: int) -> str:
    """The "Make an offer" link."""
    return reverse("ats:offer-new", kwargs={"pk": application_id})
