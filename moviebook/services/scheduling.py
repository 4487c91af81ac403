"""Showtimes: how long they occupy a room, and that two never overlap in the same room."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from moviebook.models import Movie, Showtime
from moviebook.services.errors import Conflict


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
) -> Showtime:
    ends_at = occupied_until(starts_at, movie.runtime_minutes, cleaning_buffer_minutes)
    clash = find_overlap(session, auditorium_id, starts_at, ends_at)
    if clash is not None:
        raise Conflict(
            f"That room is busy from {clash.starts_at:%H:%M} to {clash.ends_at:%H:%M} UTC "
            f"(showtime #{clash.id})."
        )
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
    session.flush()
    return showtime
