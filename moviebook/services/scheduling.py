"""Showtimes: how long they occupy a room, and that two never overlap in the same room."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from moviebook.models import Auditorium, Movie, Showtime
from moviebook.services.errors import Conflict

# SQLSTATE of an exclusion-constraint violation (PostgreSQL's last-line overlap guard).
EXCLUSION_VIOLATION = "23P01"


def occupied_until(starts_at: datetime, runtime_minutes: int, cleaning_buffer_minutes: int) -> datetime:
    """A room is busy for the film plus the time it takes to clean it afterwards."""
    return starts_at + timedelta(minutes=runtime_minutes + cleaning_buffer_minutes)


def find_overlap(
    session: Session,
    auditorium_id: int,
    starts_at: datetime,
    ends_at: datetime,
    ignore_showtime_id: int | None = None,
) -> Showtime | None:
    """The first live showtime in the room whose time range intersects [starts_at, ends_at)."""
    query = select(Showtime).where(
        Showtime.auditorium_id == auditorium_id,
        Showtime.is_cancelled == False,  # noqa: E712 (SQL expression, not a Python comparison)
        Showtime.starts_at < ends_at,
        Showtime.ends_at > starts_at,
    )
    if ignore_showtime_id is not None:
        query = query.where(Showtime.id != ignore_showtime_id)
    return session.exec(query.order_by(Showtime.starts_at).limit(1)).first()


class ShowtimeClash(Conflict):
    """The room is taken then: ``showtime_id`` is the showtime in the way (the message names it)."""

    def __init__(self, message: str, showtime_id: int):
        super().__init__(message)
        self.showtime_id = showtime_id


def describe_clash(session: Session, clash: Showtime, tz: ZoneInfo | None) -> str:
    movie = session.get(Movie, clash.movie_id)
    room = session.get(Auditorium, clash.auditorium_id)
    start, end = (
        (clash.starts_at.astimezone(tz), clash.ends_at.astimezone(tz)) if tz else (clash.starts_at, clash.ends_at)
    )
    when = f"{start:%a %d %b %H:%M}–{end:%H:%M}"
    title = movie.title if movie else "another film"
    where = f" in {room.name}" if room else ""
    return f"It overlaps “{title}”{where} on {when} (showtime #{clash.id}), including cleaning time."


def clash_error(session: Session, clash: Showtime, tz: ZoneInfo | None) -> ShowtimeClash:
    return ShowtimeClash(describe_clash(session, clash, tz), clash.id)


def is_overlap_violation(error: sa.exc.IntegrityError) -> bool:
    return getattr(getattr(error, "orig", None), "pgcode", None) == EXCLUSION_VIOLATION


def schedule_showtime(
    session: Session,
    *,
    movie: Movie,
    auditorium_id: int,
    starts_at: datetime,
    base_price_cents: int,
    cleaning_buffer_minutes: int,
    format: str = "2D",
    language: str | None = None,
    subtitles: str | None = None,
    tz: ZoneInfo | None = None,
) -> Showtime:
    ends_at = occupied_until(starts_at, movie.runtime_minutes, cleaning_buffer_minutes)
    clash = find_overlap(session, auditorium_id, starts_at, ends_at)
    if clash is not None:
        raise clash_error(session, clash, tz)
    showtime = Showtime(
        movie_id=movie.id,
        auditorium_id=auditorium_id,
        starts_at=starts_at,
        ends_at=ends_at,
        base_price_cents=base_price_cents,
        format=format,
        language=language or movie.language,
        subtitles=subtitles,
    )
    session.add(showtime)
    save_without_overlap(session)
    return showtime


def save_without_overlap(session: Session) -> None:
    """Flush a new or moved showtime; if another admin's save won the race for that room and
    time (PostgreSQL's exclusion constraint), say so as a Conflict.

    A savepoint, so that losing the race leaves the caller's transaction usable (bulk
    scheduling goes on with the next slot).
    """
    try:
        with session.begin_nested():
            session.flush()
    except sa.exc.IntegrityError as error:
        if not is_overlap_violation(error):
            raise
        raise Conflict(
            "Another showtime was just scheduled in this room at that time. Reload the day and try again."
        ) from error
