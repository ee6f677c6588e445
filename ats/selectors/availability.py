"""When interviewers can interview: their working hours (a :class:`WorkingHours` row, or Monday
to Friday 09:00-17:00 in the site's zone), the times they are busy (scheduled interviews, and
times offered to candidates in other open scheduling requests), and the slots to propose to a
candidate: times inside every interviewer's hours where none of them is busy.

Local working hours are turned into instants one day at a time with ``zoneinfo``, so a week that
crosses a daylight-saving change keeps 09:00 at 09:00 local on both sides of it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.utils import timezone

from ..ics import zone_or_none
from ..models import Application, Interview, SchedulingRequest, SchedulingSlot, WorkingHours

DEFAULT_WEEKDAYS = (0, 1, 2, 3, 4)
DEFAULT_START = time(9, 0)
DEFAULT_END = time(17, 0)
MIN_NOTICE = timedelta(hours=2)  # proposals never start sooner than this from now
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

Interval = tuple[datetime, datetime]


def zone_names() -> list[str]:
    """Every IANA zone name, sorted (for the zone pickers)."""
    return sorted(n for n in available_timezones() if "/" in n or n == "UTC")


@dataclass(frozen=True)
class Hours:
    """Someone's working hours, whether stored or the default."""

    timezone: str
    weekdays: tuple[int, ...]
    start_time: time
    end_time: time
    stored: bool = False

    @property
    def weekday_names(self) -> list[str]:
        return [WEEKDAY_NAMES[d] for d in sorted(self.weekdays)]


def default_hours() -> Hours:
    return Hours(str(settings.TIME_ZONE), DEFAULT_WEEKDAYS, DEFAULT_START, DEFAULT_END)


def _as_hours(row: WorkingHours | None) -> Hours:
    if row is None:
        return default_hours()
    return Hours(row.timezone, tuple(row.weekdays), row.start_time, row.end_time, stored=True)


def working_hours_of(user) -> Hours:
    """The user's working hours (the default when they have set none)."""
    return _as_hours(WorkingHours.objects.filter(user_id=user.pk).first())


def working_hours_by_user(user_ids: Iterable[int]) -> dict[int, Hours]:
    """Working hours of each user id, in one query."""
    ids = list(user_ids)
    rows = {row.user_id: row for row in WorkingHours.objects.filter(user_id__in=ids)}
    return {pk: _as_hours(rows.get(pk)) for pk in ids}


def work_intervals(hours: Hours, start: datetime, end: datetime) -> list[Interval]:
    """The instants (UTC) inside ``hours`` that overlap [start, end), day by day in the zone."""
    zone = zone_or_none(hours.timezone) or ZoneInfo("UTC")
    first = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date() + timedelta(days=1)
    out: list[Interval] = []
    day: date = first
    while day <= last:
        if day.weekday() in hours.weekdays:
            opens = datetime.combine(day, hours.start_time, tzinfo=zone).astimezone(UTC)
            closes = datetime.combine(day, hours.end_time, tzinfo=zone).astimezone(UTC)
            lo, hi = max(opens, start), min(closes, end)
            if lo < hi:
                out.append((lo, hi))
        day += timedelta(days=1)
    return out


def _subtract(free: list[Interval], busy: Sequence[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for lo, hi in free:
        pieces = [(lo, hi)]
        for b_lo, b_hi in busy:
            next_pieces = []
            for p_lo, p_hi in pieces:
                if b_hi <= p_lo or b_lo >= p_hi:
                    next_pieces.append((p_lo, p_hi))
                    continue
                if p_lo < b_lo:
                    next_pieces.append((p_lo, b_lo))
                if b_hi < p_hi:
                    next_pieces.append((b_hi, p_hi))
            pieces = next_pieces
        out.extend(pieces)
    return out


def _intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    out = []
    for a_lo, a_hi in a:
        for b_lo, b_hi in b:
            lo, hi = max(a_lo, b_lo), min(a_hi, b_hi)
            if lo < hi:
                out.append((lo, hi))
    return sorted(out)


def busy_intervals(
    user_ids: Iterable[int],
    start: datetime,
    end: datetime,
    *,
    include_offered: bool = True,
    exclude_request_id: int | None = None,
    exclude_interview_id: int | None = None,
) -> dict[int, list[Interval]]:
    """Per user id: the scheduled (not cancelled) interviews they sit on that overlap
    [start, end), and (``include_offered``) the slots offered in other OPEN, unexpired
    scheduling requests (of active applications) they are on. Three queries at most."""
    ids = list(user_ids)
    busy: dict[int, list[Interval]] = {pk: [] for pk in ids}
    through = Interview.interviewers.through
    rows = through.objects.filter(
        user_id__in=ids,
        interview__status=Interview.Status.SCHEDULED,
        interview__starts_at__lt=end,
        interview__ends_at__gt=start,
    )
    if exclude_interview_id is not None:
        rows = rows.exclude(interview_id=exclude_interview_id)
    for user_id, lo, hi in rows.values_list(
        "user_id", "interview__starts_at", "interview__ends_at"
    ):
        busy[user_id].append((lo, hi))
    if include_offered:
        req_through = SchedulingRequest.interviewers.through
        open_requests = req_through.objects.filter(
            user_id__in=ids,
            schedulingrequest__status=SchedulingRequest.Status.OPEN,
            schedulingrequest__expires_at__gt=timezone.now(),
            schedulingrequest__application__status=Application.Status.ACTIVE,
        )
        if exclude_request_id is not None:
            open_requests = open_requests.exclude(schedulingrequest_id=exclude_request_id)
        by_request: dict[int, list[int]] = {}
        for request_id, user_id in open_requests.values_list("schedulingrequest_id", "user_id"):
            by_request.setdefault(request_id, []).append(user_id)
        slots = SchedulingSlot.objects.filter(
            request_id__in=list(by_request), starts_at__lt=end, ends_at__gt=start
        ).values_list("request_id", "starts_at", "ends_at")
        for request_id, lo, hi in slots:
            for user_id in by_request[request_id]:
                busy[user_id].append((lo, hi))
    return busy


def _grid_ceil(moment: datetime, step: timedelta) -> datetime:
    """``moment`` rounded up to the step grid (steps counted from midnight UTC, so a 30-minute
    step gives :00 and :30 in every whole- or half-hour zone)."""
    moment = moment.astimezone(UTC)
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    steps = -(-(moment - midnight) // step)
    return midnight + steps * step


def propose_slots(
    *,
    interviewers: Sequence,
    duration_minutes: int,
    start: datetime,
    end: datetime,
    step_minutes: int = 30,
    limit: int = 40,
    min_notice: timedelta = MIN_NOTICE,
    include_offered: bool = True,
    exclude_request_id: int | None = None,
) -> list[datetime]:
    """Start times (aware, UTC) of ``duration_minutes`` inside EVERY interviewer's working
    hours, where none of them has a scheduled interview (nor, with ``include_offered``, a time
    offered in another open scheduling request), from ``start`` (but never sooner than
    ``min_notice`` from now) to ``end``, on a ``step_minutes`` grid, at most ``limit``."""
    if not interviewers or duration_minutes <= 0 or step_minutes <= 0 or limit <= 0:
        return []
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValueError("propose_slots needs aware datetimes")
    start = max(start, timezone.now() + min_notice).astimezone(UTC)
    end = end.astimezone(UTC)
    if start >= end:
        return []
    ids = [user.pk for user in interviewers]
    hours = working_hours_by_user(ids)
    busy = busy_intervals(
        ids, start, end, include_offered=include_offered, exclude_request_id=exclude_request_id
    )
    free: list[Interval] | None = None
    for pk in ids:
        mine = _subtract(work_intervals(hours[pk], start, end), busy[pk])
        free = mine if free is None else _intersect(free, mine)
    step = timedelta(minutes=step_minutes)
    length = timedelta(minutes=duration_minutes)
    out: list[datetime] = []
    for lo, hi in free or []:
        moment = _grid_ceil(lo, step)
        while moment + length <= hi and len(out) < limit:
            if not out or moment > out[-1]:
                out.append(moment)
            moment += step
        if len(out) >= limit:
            break
    return out


def spread_by_day(moments: Sequence[datetime], zone: ZoneInfo, limit: int) -> list[datetime]:
    """At most ``limit`` of ``moments`` spread over their local days in ``zone`` (round robin:
    each day's first time, then each day's next...), returned in time order: a few times on
    each day rather than one whole day."""
    days: dict[date, list[datetime]] = {}
    for moment in sorted(moments):
        days.setdefault(moment.astimezone(zone).date(), []).append(moment)
    picked: list[datetime] = []
    rank = 0
    while len(picked) < limit and any(rank < len(times) for times in days.values()):
        for times in days.values():
            if rank < len(times) and len(picked) < limit:
                picked.append(times[rank])
        rank += 1
    return sorted(picked)


def busy_users_at(
    user_ids: Iterable[int],
    starts_at: datetime,
    ends_at: datetime,
    *,
    exclude_interview_id: int | None = None,
) -> set[int]:
    """The users among ``user_ids`` with a scheduled interview overlapping [starts_at, ends_at)."""
    through = Interview.interviewers.through
    rows = through.objects.filter(
        user_id__in=list(user_ids),
        interview__status=Interview.Status.SCHEDULED,
        interview__starts_at__lt=ends_at,
        interview__ends_at__gt=starts_at,
    )
    if exclude_interview_id is not None:
        rows = rows.exclude(interview_id=exclude_interview_id)
    return set(rows.values_list("user_id", flat=True))


def overlapping(interval: Interval, others: Iterable[Interval]) -> bool:
    lo, hi = interval
    return any(o_lo < hi and o_hi > lo for o_lo, o_hi in others)
