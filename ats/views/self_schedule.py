"""Self-scheduling, the candidate's side (public: the signed link is the whole permission).

``/careers/schedule/<token>/`` shows the offered times in the candidate's zone (``?tz=``, else
the request's; a small static script picks the browser's zone on first load). Picking one
books it; after booking the same link shows the interview, other free times to move to, and
"none of these work". A forged, withdrawn or expired link gets a clear page (never a 500)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from config.core.forms import parse_id
from config.core.links import BadLink

from ..forms.scheduling import CandidateZoneForm
from ..ics import interview_calendar
from ..models import SchedulingRequest
from ..selectors import scheduling as selectors
from ..services import scheduling as services


def _context(**values) -> dict:
    return {"company": settings.COMPANY_NAME, "company_url": settings.COMPANY_URL, **values}


def _dead(request: HttpRequest, exc: BadLink) -> HttpResponse:
    status = 410 if exc.expired else 404
    return render(
        request,
        "careers/schedule_dead.html",
        _context(reason=exc.message, expired=exc.expired),
        status=status,
    )


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _page(
    request: HttpRequest,
    link: SchedulingRequest,
    token: str,
    *,
    tz: str | None,
    error: str = "",
    done: str = "",
    status: int = 200,
) -> HttpResponse:
    zone, zone_name, refused = selectors.candidate_zone(link, tz)
    free = selectors.free_slots(link)
    interview = link.interview if link.status == SchedulingRequest.Status.BOOKED else None
    booked = None
    if interview is not None:
        booked = selectors.local_slots_from_times(
            [interview.starts_at], interview.duration_minutes, zone
        )[0]
    context = _context(
        link=link,
        token=token,
        job=link.application.job,
        candidate=link.application.candidate,
        interview=interview,
        booked=booked,
        days=selectors.local_slots(free, zone),
        zone_name=zone_name,
        zone_refused=refused,
        zone_form=CandidateZoneForm(initial={"tz": zone_name}),
        auto_zone=not tz,
        expires=link.expires_at.astimezone(zone),
        error=error,
        done=done,
        ics_url=reverse("careers:schedule-ics", args=[token]) if interview else "",
    )
    return render(request, "careers/schedule.html", context, status=status)


@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest, token: str) -> HttpResponse:
    """Public: pick, change or decline an interview time through the signed link."""
    try:
        link = selectors.scheduling_request_from_token(token)
    except BadLink as exc:
        return _dead(request, exc)
    tz = request.GET.get("tz") or request.POST.get("tz") or None
    if request.method == "GET":
        return _page(request, link, token, tz=tz, done=request.GET.get("done", ""))
    action = request.POST.get("action", "book")
    try:
        if action == "ask":
            services.scheduling_request_ask_reschedule(
                request=link, note=request.POST.get("note", "")
            )
            done = "asked"
        else:
            slot_id = parse_id(request.POST.get("slot"))
            if action == "rebook":
                services.scheduling_request_rebook(request=link, slot_id=slot_id)
                done = "moved"
            else:
                services.scheduling_request_book(request=link, slot_id=slot_id)
                done = "booked"
    except services.SchedulingRefused as exc:
        try:
            link = selectors.scheduling_request_from_token(token)
        except BadLink as dead:
            return _dead(request, dead)
        return _page(
            request,
            link,
            token,
            tz=tz,
            error=exc.message,
            status=409 if isinstance(exc, services.SlotTaken) else 422,
        )
    query = {"done": done, **({"tz": tz} if tz else {})}
    return _see_other(f"{reverse('careers:schedule', args=[token])}?{urlencode(query)}")


@require_GET
def schedule_ics(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the booked interview as an .ics file ("add to calendar")."""
    try:
        link = selectors.scheduling_request_from_token(token)
    except BadLink as exc:
        return _dead(request, exc)
    if link.status != SchedulingRequest.Status.BOOKED or link.interview is None:
        return _dead(request, BadLink("No interview has been booked through this link yet."))
    body = interview_calendar(link.interview, method="PUBLISH", for_staff=False)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="interview.ics"'
    return response
