"""The hiring manager's review inbox: applications waiting for their verdict, advanced or
rejected with a comment."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from config.core.forms import parse_id
from config.core.htmx import redirect_back as back
from config.core.htmx import render_page
from config.core.roles import Role, role_required

from ..models import Application
from ..selectors.applications import application_get_for_user, rejection_reasons
from ..selectors.review import manager_inbox
from ..selectors.scorecards import scorecards_by_application, visibility_for
from ..services.applications import MoveRefused, application_manager_review
from .summary import answer_rows


@role_required(Role.HIRING_MANAGER)
@require_GET
def review_inbox(request: HttpRequest) -> HttpResponse:
    """Hiring managers: applications on their jobs waiting for their review, oldest first, each
    with the resume, cover letter, answers and the scorecards the manager may read (under the
    blindness rule), in a constant number of queries."""
    items = list(manager_inbox(request.user))
    now = timezone.now()
    cards = scorecards_by_application(request.user, items)
    rules = visibility_for(request.user, items)
    for app in items:
        app.waiting_days = max(0, (now - app.stage_entered_at).days)
        app.answer_rows = answer_rows(app.answers)
        app.visible_scorecards = cards.get(app.pk) or []
        app.scorecards_blind = rules[app.pk].blind
        app.resume_links = [
            (resume, reverse("crm:candidate-resume", args=[app.candidate_id, resume.pk]))
            for resume in app.candidate.resumes.all()
        ]
        app.summary_url = reverse("ats:application-summary", args=[app.pk])
    context = {"items": items, "reasons": rejection_reasons()}
    return render_page(request, "ats/review.html", context, partial="inbox")


@role_required(Role.HIRING_MANAGER, Role.RECRUITER, hide=True, load=application_get_for_user)
@require_POST
def review_decide(request: HttpRequest, app: Application) -> HttpResponse:
    """A hiring manager (or recruiter) advances or rejects an application, with a comment.
    Applications the user may not see answer 404."""
    decision = request.POST.get("decision", "")
    comment = (request.POST.get("comment") or "").strip()
    try:
        app = application_manager_review(
            application=app,
            actor=request.user,
            decision=decision,
            comment=comment,
            reason=parse_id(request.POST.get("reason")) if decision == "reject" else None,
        )
    except MoveRefused as exc:
        messages.error(request, f"{app.candidate}: {exc.message}")
    else:
        verb = "moved to " + app.stage.name if decision == "advance" else "rejected"
        messages.success(request, f"{app.candidate} {verb}.")
    return back(request, reverse("ats:review"))
