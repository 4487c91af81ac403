"""A showtime's seats right now: sales from the database and holds from Redis, as every open
seat map shows them. Below ``bookings`` and ``waiting_list``, which both read it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from moviebook.models import BookingSeat, Seat, SeatType, Showtime
from moviebook.services.holds import HoldStore


def booked_seat_ids(session: Session, showtime_id: int, seat_ids: list[int] | None = None) -> set[int]:
    query = select(BookingSeat.seat_id).where(
        BookingSeat.showtime_id == showtime_id, col(BookingSeat.is_active).is_(True)
    )
    if seat_ids is not None:
        query = query.where(col(BookingSeat.seat_id).in_(seat_ids))
    return set(session.exec(query))


BOOKED = -1  # marks a sold seat in a live snapshot (user ids are positive)


@dataclass(frozen=True)
class LiveSeats:
    """A showtime's seats right now, as every open seat map shows them."""

    taken: dict[int, int]  # {seat_id: holder's user id, or BOOKED}; free seats are absent
    free: int  # seats on sale that nobody holds or has bought
    cancelled: bool = False  # the cinema cancelled the showtime


def live_seats(session: Session, store: HoldStore, showtime_id: int) -> LiveSeats:
    """Holds from Redis and sales from the database, in two queries and one MGET: this runs on
    every seat click, once for the clicking tab and once for everyone else's."""
    room = (
        session.connection()
        .execute(
            select(Seat.id, Seat.seat_type, Showtime.is_cancelled)
            .join(Showtime, Showtime.auditorium_id == Seat.auditorium_id)
            .where(Showtime.id == showtime_id)
        )
        .all()
    )
    taken = dict(store.holders(showtime_id, [seat_id for seat_id, _, _ in room]))
    for seat_id in booked_seat_ids(session, showtime_id):
        taken[seat_id] = BOOKED
    free = sum(1 for seat_id, kind, _ in room if kind != SeatType.BLOCKED.value and seat_id not in taken)
    return LiveSeats(taken, free, cancelled=bool(room and room[0][2]))
