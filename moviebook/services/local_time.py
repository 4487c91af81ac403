"""SQL expressions for a stored UTC instant's cinema-local date and hour, on both databases.

Reports group by the local day a show plays, so a 00:30 show in summer belongs to the day it
is on the poster, not to the UTC day before. PostgreSQL converts with its own time-zone
database. SQLite has none, so there the offset is spelled out per stretch of the range
between daylight-saving changes (a handful of CASE branches for any report range).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session


def _offset_stretches(tz: ZoneInfo, lo: datetime, hi: datetime) -> list[tuple[datetime | None, int]]:
    """[(until, offset_seconds)] covering lo..hi; the last stretch runs on (until=None)."""
    stretches: list[tuple[datetime | None, int]] = []
    current = int(lo.astimezone(tz).utcoffset().total_seconds())
    at = lo
    while at < hi:  # zone changes happen on the hour; hourly steps find every one
        at += timedelta(hours=1)
        offset = int(at.astimezone(tz).utcoffset().total_seconds())
        if offset != current:
            stretches.append((at, current))
            current = offset
    stretches.append((None, current))
    return stretches


def _sqlite_local(column, tz: ZoneInfo, lo: datetime, hi: datetime):
    shifted = [
        (until, sa.func.datetime(column, f"{offset:+d} seconds")) for until, offset in _offset_stretches(tz, lo, hi)
    ]
    if len(shifted) == 1:
        return shifted[0][1]
    return sa.case(*[(column < until, expr) for until, expr in shifted[:-1]], else_=shifted[-1][1])


def local_date(session: Session, column, tz: ZoneInfo, lo: datetime, hi: datetime):
    """The cinema-local calendar date of ``column`` (a UTC instant between ``lo`` and ``hi``)."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.cast(sa.func.timezone(tz.key, column), sa.Date)
    return sa.type_coerce(sa.func.date(_sqlite_local(column, tz, lo, hi)), sa.Date)


def local_hour(session: Session, column, tz: ZoneInfo, lo: datetime, hi: datetime):
    """The cinema-local hour (0–23) of ``column``."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.cast(sa.extract("hour", sa.func.timezone(tz.key, column)), sa.Integer)
    return sa.cast(sa.func.strftime("%H", _sqlite_local(column, tz, lo, hi)), sa.Integer)
