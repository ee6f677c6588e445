"""The pieces every write of an application shares: the refusals a person reads, the stage
history row, the domain event (with the person's pools re-checked after commit) and the row lock
a move takes. Used by ats.services.applications, .alumni and .offer_records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from config.core.models import record_event
from crm.services.pools import pools_refresh_queue
from crm.types import actor_user

from ..models import Application, Stage, StageChange
from ..selectors.jobs import User


class MoveRefused(Exception):
    """A move, rejection or status change that may not happen; ``message`` is for a person."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class AlreadyApplied(Exception):
    """The candidate already has an active application to this job."""

    def __init__(self, application: Application):
        self.application = application
        super().__init__(f"already applied (application {application.pk})")


def stage_change_record(
    app: Application,
    *,
    from_stage: Stage | None,
    from_status: str,
    actor: User | None,
    comment: str = "",
    at: datetime,
) -> None:
    StageChange.objects.create(
        application=app,
        from_stage=from_stage,
        to_stage=app.stage,
        from_status=from_status,
        to_status=app.status,
        actor=actor_user(actor),
        comment=comment[:1000],
        at=at,
    )


def application_event_record(kind: str, app: Application, **payload: Any) -> None:
    """The domain event, and (after commit) the person's dynamic pools re-checked: stage reached,
    silver medalist, hired and alumni segments follow the application at once, not at the next
    full refresh."""
    record_event(
        kind,
        subject_type="ats.application",
        subject_id=app.pk,
        payload={"candidate": app.candidate_id, "job": app.job_id, **payload},
    )
    pools_refresh_queue(candidate_ids=[app.candidate_id])


def application_locked(application: Application | int) -> Application:
    """Lock the row, then read its relations. The lock takes no join: under READ COMMITTED a
    row updated by a concurrent move is re-checked against the *old* joined stage row, would
    fail the join and vanish from the result."""
    pk = application if isinstance(application, int) else application.pk
    Application.objects.select_for_update().filter(pk=pk).values_list("pk").get()
    return Application.objects.select_related("job", "stage", "candidate").get(pk=pk)
