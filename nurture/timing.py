"""When the next step may go: quiet hours in the person's time zone, the frequency cap across
sequences, and the adaptive cadence. Pure functions over plain values (tested with a frozen
clock); nurture.services.dispatch applies them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

MIN_DELAY_HOURS = 24  # the floor an engaged person's halved delay never goes below
SLOW_DOWN_AFTER = 3  # unopened messages in a row that double the next delay


def zone(name: str) -> ZoneInfo:
    for candidate in (name, settings.NURTURE_DEFAULT_TIMEZONE, "UTC"):
        try:
            return ZoneInfo(candidate) if candidate else ZoneInfo("UTC")
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return ZoneInfo("UTC")


def next_send_window(now: datetime, tz_name: str) -> datetime:
    """``now`` when it is inside working hours (Mon-Fri, NURTURE_QUIET_HOURS) in the person's
    zone, else the start of the next window (as an aware UTC datetime)."""
    start_hour, end_hour = settings.NURTURE_QUIET_HOURS
    local = now.astimezone(zone(tz_name))
    if local.weekday() < 5 and start_hour <= local.hour < end_hour:
        return now
    day = local.date()
    if local.weekday() < 5 and local.hour < start_hour:
        pass  # later today
    else:
        day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    opening = datetime(day.year, day.month, day.day, start_hour, tzinfo=local.tzinfo)
    return opening.astimezone(now.tzinfo)


def capped_until(last_email_at: datetime | None) -> datetime | None:
    """When the frequency cap lets the next nurture email go (None: it may go now)."""
    hours = settings.NURTURE_FREQUENCY_CAP_HOURS
    if not hours or last_email_at is None:
        return None
    return last_email_at + timedelta(hours=hours)


@dataclass(frozen=True)
class Cadence:
    """The delay before the next step, and whether the person has gone cold."""

    delay: timedelta
    gone_cold: bool = False
    note: str = ""


def adapt(delay_hours: int, *, opened: list[bool], adaptive: bool, cold_after: int) -> Cadence:
    """``opened``: for the person's sent emails of this enrollment, oldest first, whether each
    was opened or clicked. Two engaged in a row halve the delay (not below a day); three
    unopened in a row double it; ``cold_after`` unopened in a row end the enrollment."""
    delay = timedelta(hours=delay_hours)
    if not adaptive or not opened:
        return Cadence(delay)
    streak = 0
    for was_opened in reversed(opened):
        if was_opened:
            break
        streak += 1
    if cold_after and streak >= cold_after:
        return Cadence(delay, gone_cold=True, note=f"{streak} unopened in a row")
    if len(opened) >= 2 and opened[-1] and opened[-2]:
        floor = timedelta(hours=min(delay_hours, MIN_DELAY_HOURS))
        return Cadence(max(delay / 2, floor), note="engaged: delay halved")
    if streak >= SLOW_DOWN_AFTER:
        return Cadence(delay * 2, note=f"{streak} unopened: delay doubled")
    return Cadence(delay)
