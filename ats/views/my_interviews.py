"""The "My interviews" page (today, upcoming, awaiting my feedback; for recruiters also the upcoming
interviews on their jobs) and the scorecard form with the interview kit beside it, its htmx
autosave (drafts survive a closed tab) and its submission and amendments.

Permissions: the list is for every role (anyone may sit on a panel); the scorecard form and its
draft endpoint only for the interview's own interviewers (404 for everyone else, whether the
interview exists or not)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.core.htmx import is_htmx
from config.core.roles import Role, has_role, role_required

from ..forms.scorecards import rating_field, scorecard_input
from ..models import Interview, Recommendation, Scorecard
from ..models.interviews import RATING_LABELS
from ..selectors.my_interviews import interview_on_my_panel, latest_resume, my_interviews
from ..selectors.scorecards import ratings_map, scorecard_of
from ..services.scorecards import ScorecardRefused, scorecard_save_draft, scorecard_submit

FORM = "ats/scorecards/form.html"


@role_required(*Role.ALL)
@require_GET
def interview_list(request: HttpRequest) -> HttpResponse:
    """The user's interviews: today, upcoming, awaiting their feedback; recruiters also see
    the upcoming interviews on the jobs they recruit for (constant queries)."""
    recruiter = has_role(request.user, Role.RECRUITER)
    sections = my_interviews(request.user, recruiter=recruiter)
    scorecard_url = _url_for_each("ats:scorecard")
    summary_url = _url_for_each("ats:application-summary")
    for rows in (sections.today, sections.upcoming, sections.awaiting, sections.on_my_jobs):
        for row in rows:
            row.scorecard_url = scorecard_url(row.pk)
            row.summary_url = summary_url(row.application_id)
    context = {"sections": sections, "is_recruiter": recruiter, "now": timezone.now()}
    return render(request, "ats/scorecards/my_interviews.html", context)


@role_required(*Role.ALL, hide=True, load=interview_on_my_panel)
@require_http_methods(["GET", "POST"])
def scorecard_form(request: HttpRequest, interview: Interview) -> HttpResponse:
    """The interviewer's scorecard: GET shows the kit and the form (with the draft or the
    submitted values); POST ``action=draft`` keeps a draft (the no-JavaScript "Save draft"),
    ``action=submit`` submits or amends. Bad input answers 422 with the message, nothing stored."""
    card = scorecard_of(request.user, interview)
    if request.method == "GET":
        return _render_form(request, interview, card)
    attributes = _attributes(interview)
    data = scorecard_input(request.POST, attributes)
    service = scorecard_save_draft if data.action == "draft" else scorecard_submit
    try:
        service(
            interview=interview,
            interviewer=request.user,
            overall=data.overall,
            ratings=data.ratings,
            notes=data.notes,
        )
    except ScorecardRefused as exc:
        return _render_form(request, interview, card, error=exc, posted=data, status=422)
    if data.action == "draft":
        messages.success(request, "Draft saved. Only you can see it until you submit.")
    elif card is not None and card.status == Scorecard.Status.SUBMITTED:
        messages.success(request, "Amendment submitted. The history keeps both versions.")
    else:
        messages.success(request, "Scorecard submitted. Thank you!")
    return redirect("ats:scorecard", pk=interview.pk)


@role_required(*Role.ALL, hide=True, load=interview_on_my_panel)
@require_POST
def scorecard_draft(request: HttpRequest, interview: Interview) -> HttpResponse:
    """The autosave (htmx, on change and keyup): keeps the draft and answers the status line;
    422 with the reason when refused. A plain POST goes back to the form."""
    data = scorecard_input(request.POST, _attributes(interview))
    try:
        scorecard_save_draft(
            interview=interview,
            interviewer=request.user,
            overall=data.overall,
            ratings=data.ratings,
            notes=data.notes,
        )
    except ScorecardRefused as exc:
        if not is_htmx(request):
            messages.error(request, exc.message)
            return redirect("ats:scorecard", pk=interview.pk)
        context = {"error": exc.message}
        return render(request, f"{FORM}#draft-status", context, status=422)
    if not is_htmx(request):
        messages.success(request, "Draft saved.")
        return redirect("ats:scorecard", pk=interview.pk)
    return render(request, f"{FORM}#draft-status", {"saved_at": timezone.now()})


# --------------------------------------------------------------------------- helpers


def _attributes(interview: Interview) -> list[str]:
    kit = interview.interview_type
    return list(kit.focus_attributes) if kit else []


def _render_form(
    request: HttpRequest,
    interview: Interview,
    card: Scorecard | None,
    *,
    error: ScorecardRefused | None = None,
    posted=None,
    status: int = 200,
) -> HttpResponse:
    app = interview.application
    if posted is not None:
        current = {r["attribute"]: str(r["rating"]) for r in posted.ratings}
        overall, notes = posted.overall, posted.notes
    else:
        current = {k: str(v) for k, v in ratings_map(card).items()}
        overall, notes = (card.overall, card.notes) if card else ("", "")
    rows = [
        {"name": rating_field(index), "attribute": attribute, "value": current.get(attribute, "")}
        for index, attribute in enumerate(_attributes(interview))
    ]
    resume = latest_resume(app.candidate_id)
    submitted = card is not None and card.status == Scorecard.Status.SUBMITTED
    context = {
        "interview": interview,
        "application": app,
        "candidate": app.candidate,
        "job": app.job,
        "kit": interview.interview_type,
        "resume": resume,
        "resume_url": (
            reverse("crm:candidate-resume", args=[app.candidate_id, resume.pk]) if resume else ""
        ),
        "profile_url": reverse("crm:candidate-detail", args=[app.candidate_id]),
        "rows": rows,
        "labels": [(str(value), label) for value, label in RATING_LABELS.items()],
        "recommendations": Recommendation.choices,
        "overall": overall,
        "notes": notes,
        "card": card,
        "submitted": submitted,
        "revisions": list(card.revisions.all()) if submitted and card else [],
        "cancelled": interview.status == Interview.Status.CANCELLED,
        "error": error,
        "draft_url": reverse("ats:scorecard-draft", args=[interview.pk]),
        "form_url": reverse("ats:scorecard", args=[interview.pk]),
    }
    return render(request, FORM, context, status=status)


def _url_for_each(name: str):
    """``reverse()`` once with a marker id; each row's URL is then a string join."""
    marker = "2147483647"
    head, _, tail = reverse(name, args=[int(marker)]).rpartition(marker)
    return lambda pk: f"{head}{pk}{tail}"
