"""Self-scheduling, staff side: my working hours (anyone with a role), and "let the candidate
pick a time" on an application with its links' status (recruiters; the job's hiring manager)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from config.core.roles import Role, role_required

from ..forms.scheduling import MANUAL_ROWS, ScheduleLinkForm, WorkingHoursForm
from ..models import Application, SchedulingRequest
from ..selectors import availability as availability_selectors
from ..selectors import scheduling as selectors
from ..services import availability as availability_services
from ..services import scheduling as services

# --------------------------------------------------------------------------- working hours


@role_required(*Role.ALL)
@require_http_methods(["GET", "POST"])
def availability(request: HttpRequest) -> HttpResponse:
    """Anyone with a role: my working hours (slot proposals are built from them)."""
    hours = availability_selectors.working_hours_of(request.user)
    status = 200
    if request.method == "POST":
        form = WorkingHoursForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                availability_services.working_hours_set(
                    user=request.user,
                    timezone_name=data["timezone"],
                    weekdays=data["weekdays"],
                    start_time=data["start_time"],
                    end_time=data["end_time"],
                )
            except availability_services.AvailabilityRefused as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "Your working hours are saved.")
                return redirect("ats:availability")
        status = 422
    else:
        form = WorkingHoursForm(hours=hours)
    context = {"form": form, "hours": hours, "default": availability_selectors.default_hours()}
    return render(request, "ats/availability.html", context, status=status)


# --------------------------------------------------------------------------- links

PROPOSALS = 24  # times suggested at once (a link holds up to services.MAX_SLOTS)


def _default_zone(request: HttpRequest) -> str:
    hours = availability_selectors.working_hours_of(request.user)
    return hours.timezone if hours.stored else settings.TIME_ZONE


def _proposals(form: ScheduleLinkForm) -> list:
    start, end = form.propose_range()
    free = availability_selectors.propose_slots(
        interviewers=list(form.cleaned_data["interviewers"]),
        duration_minutes=form.duration() or 0,
        start=start,
        end=end,
        limit=2000,
    )
    return availability_selectors.spread_by_day(free, form.zone, PROPOSALS)


def _render_new(request, app: Application, form: ScheduleLinkForm, *, status=200, **extra):
    zone = form.zone
    ready = form.is_bound and hasattr(form, "cleaned_data")  # validated (maybe with errors)
    offered = form.offered() if form.is_bound else []
    choices = [(m.isoformat(), m) for m in offered]
    form.fields["slots"].choices = [(value, value) for value, _ in choices]
    context = {
        "app": app,
        "form": form,
        "offered": [(value, moment.astimezone(zone)) for value, moment in choices],
        "preview_title": form.title_value() if ready else "",
        "preview_minutes": form.duration() if ready else None,
        "preview": selectors.local_slots_from_times(offered, form.duration() or 0, zone)
        if offered
        else [],
        "manual_rows": range(MANUAL_ROWS),
        "requests": selectors.scheduling_requests_of(app),
        "zone_name": str(zone.key),
        **extra,
    }
    return render(request, "ats/schedule_link_new.html", context, status=status)


@role_required(
    Role.RECRUITER, Role.HIRING_MANAGER, hide=True, load=selectors.application_for_scheduling
)
@require_http_methods(["GET", "POST"])
def schedule_link_new(request: HttpRequest, app: Application) -> HttpResponse:
    """Recruiters and the job's hiring manager: offer times (suggested from the interviewers'
    working hours, or added by hand), preview them as the candidate will see them, and send
    the link. The application's earlier links are listed below."""
    if request.method == "GET":
        form = ScheduleLinkForm(application=app, zone_name=_default_zone(request))
        return _render_new(request, app, form)
    form = ScheduleLinkForm(request.POST, application=app, zone_name=_default_zone(request))
    action = request.POST.get("action", "preview")
    if not form.is_valid():
        return _render_new(request, app, form, status=422)
    if action == "suggest":
        proposals = _proposals(form)
        kept = {m.isoformat() for m in form.offered()}
        form.slot_values = [
            *form.slot_values,
            *(m.isoformat() for m in proposals if m.isoformat() not in kept),
        ]
        note = (
            f"{len(proposals)} free time(s) suggested: untick those you do not want to offer."
            if proposals
            else "No time in that range fits every interviewer's working hours and interviews."
        )
        return _render_new(request, app, form, suggested=note, checked_all=True)
    if action != "send":
        return _render_new(request, app, form)
    data = form.cleaned_data
    try:
        sent = services.scheduling_request_create(
            application=app,
            actor=request.user,
            interviewers=list(data["interviewers"]),
            duration_minutes=form.duration() or 0,
            timezone_name=data["timezone"],
            slots=form.offered(),
            interview_type=data["interview_type"],
            title=form.title_value(),
            location=data["location"],
            video_url=data["video_url"],
            message=data["message"],
            expires_in_days=data["expires_in_days"],
        )
    except services.SchedulingRefused as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return _render_new(request, app, form, status=422)
    messages.success(request, f"The link was sent to {app.candidate.email}.")
    return redirect("ats:schedule-link-detail", pk=sent.pk)


@role_required(
    Role.RECRUITER, Role.HIRING_MANAGER, hide=True, load=selectors.scheduling_request_get_for_user
)
@require_http_methods(["GET"])
def schedule_link_detail(request: HttpRequest, link: SchedulingRequest) -> HttpResponse:
    """Recruiters and the job's hiring manager: one link's times, status, expiry and URL."""
    zone = selectors.request_zone(link)
    free = {slot.pk for slot in selectors.free_slots(link)}
    context = {
        "link": link,
        "app": link.application,
        "slots": [
            (slot, slot.starts_at.astimezone(zone), slot.pk in free) for slot in link.slots.all()
        ],
        "url": selectors.schedule_url(link)
        if link.status != SchedulingRequest.Status.CANCELLED
        else "",
        "expires": link.expires_at.astimezone(zone),
        "booked": link.interview.starts_at.astimezone(zone) if link.interview else None,
        "expired": selectors.is_expired(link),
    }
    return render(request, "ats/schedule_link_detail.html", context)


@role_required(
    Role.RECRUITER, Role.HIRING_MANAGER, hide=True, load=selectors.scheduling_request_get_for_user
)
@require_POST
def schedule_link_cancel(request: HttpRequest, link: SchedulingRequest) -> HttpResponse:
    """Recruiters and the job's hiring manager: withdraw the link (it stops working)."""
    try:
        services.scheduling_request_cancel(request=link, actor=request.user)
    except services.SchedulingRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The link was withdrawn; it no longer works.")
    return redirect(reverse("ats:schedule-link-detail", args=[link.pk]))
