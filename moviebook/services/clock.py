"""Conversions between UTC (how times are stored) and the cinema's local day (how they are shown)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo


def local_day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants at which a local calendar day starts and ends (DST-safe)."""
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def local_today(tz: ZoneInfo, now: datetime | None = None) -> date:
    return (now or datetime.now(timezone.utc)).astimezone(tz).date()


def at_local(day: date, hour: int, minute: int, tz: ZoneInfo) -> datetime:
    """A local wall-clock time on a given day, as a UTC instant."""
    return datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(timezone.utc)
