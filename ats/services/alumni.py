"""Alumni: a hire who later left the company. A recruiter marks the hired application with the
day they left (or clears a mistake); the person then falls in the "Alumni" segment (the pool
condition ``former_employee``, ats/selectors/pool_conditions.py), which is how boomerang hires
are found and nurtured."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from crm.models import TimelineEntry
from crm.services.timeline import timeline_add

from ..models import Application
from ..selectors.jobs import User, can_move
from .application_records import MoveRefused, application_event_record, application_locked


@transaction.atomic
def application_mark_left(
    *, application: Application | int, left_on: date | None, actor: User
) -> Application:
    """Record the day a hire left the company (``None`` clears it). Only hired applications,
    a day between the hire and today, and people who may change the job's applications."""
    app = application_locked(application)
    if not can_move(actor, app.job):
        raise MoveRefused("You may not change applications on this job.")
    if app.status != Application.Status.HIRED:
        raise MoveRefused(f"{app.candidate} was not hired for {app.job.title}.")
    today = timezone.localdate()
    if left_on is not None:
        if left_on > today:
            raise MoveRefused("The day they left cannot be in the future.")
        hired_on = timezone.localdate(app.closed_at) if app.closed_at else None
        if hired_on and left_on < hired_on:
            raise MoveRefused(f"They were hired on {hired_on:%d %b %Y}; pick a later day.")
    if app.left_company_on == left_on:
        return app
    app.left_company_on = left_on
    app.save(update_fields=["left_company_on", "updated_at"])
    summary = (
        f"Left the company on {left_on:%d %b %Y} (hired as {app.job.title})"
        if left_on
        else f"No longer marked as having left (hired as {app.job.title})"
    )
    timeline_add(
        candidate=app.candidate,
        kind=TimelineEntry.Kind.UPDATED,
        summary=summary,
        actor=actor,
        data={"application": app.pk, "left_on": left_on.isoformat() if left_on else None},
        occurred_at=timezone.now(),
    )
    application_event_record(
        "application.left_company", app, left_on=left_on.isoformat() if left_on else None
    )
    return app
