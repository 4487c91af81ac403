"""Checking people in at the door: read a booking code, give a verdict, record the check-in once.

A code is typed by a person at a busy door, so case, spaces and dashes are forgiven (see
tickets.normalise_code). The check-in itself is one conditional UPDATE: when two staff check
the same code in at the same moment, exactly one row changes and the other person is told who
was first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from moviebook.models import Auditorium, Booking, BookingSeat, BookingStatus, Movie, Role, Seat, Showtime, User
from moviebook.services import audit
from moviebook.services.clock import local_day_bounds
from moviebook.services.roles import require_role
from moviebook.services.tickets import normalise_code
from moviebook.services.tokens import Identity

VALID = "valid"
CHECKED_IN = "checked_in"  # the answer to a successful check_in, never to inspect_code
ALREADY = "already_checked_in"
CANCELLED = "cancelled"
WRONG_SHOWTIME = "wrong_showtime"
WRONG_DAY = "wrong_day"
UNKNOWN = "unknown"
COUNTER_CUSTOMER = "Counter sale"  # who a box-office sale without an email is for


@dataclass(frozen=True)
class Verdict:
    kind: str
    headline: str
    detail: str = ""
    code: str = ""
    booking_id: int = 0
    customer: str = ""
    movie: str = ""
    showtime_id: int = 0
    when: str = ""  # the showtime, in the cinema's time zone
    room: str = ""
    seats: tuple[str, ...] = ()
    checked_in_at: datetime | None = None
    checked_in_by: str = ""


def _when(moment: datetime, tz: ZoneInfo, *, with_day: bool = True) -> str:
    local = moment.astimezone(tz)
    return local.strftime("%a %d %b, %H:%M" if with_day else "%H:%M")


def _unknown(code: str) -> Verdict:
    if not code:
        return Verdict(UNKNOWN, "Enter a booking code", "It is on the ticket, e.g. ABCD-EF23.")
    return Verdict(
        UNKNOWN, "Unknown code", f"No booking has the code {code[:12]}. Check it and try again.", code=code[:12]
    )


def _seat_labels(session: Session, booking_id: int) -> tuple[str, ...]:
    rows = session.exec(
        select(Seat.row_label, Seat.number)
        .join(BookingSeat, BookingSeat.seat_id == Seat.id)
        .where(BookingSeat.booking_id == booking_id)
        .order_by(Seat.y, Seat.x)
    )
    return tuple(f"{row}{number}" for row, number in rows)


def _judge(
    base: Verdict,
    booking: Booking,
    show: Showtime,
    *,
    showtime_id: int | None,
    today: date,
    tz: ZoneInfo,
    now: datetime,
) -> Verdict:
    """The verdict for a found booking; the order matters: the most useful answer comes first."""
    ticket = f"{base.movie}, {base.when}, {base.room}"
    if booking.status == BookingStatus.CANCELLED.value:
        return replace(
            base,
            kind=CANCELLED,
            headline="Cancelled booking",
            detail=f"This booking was cancelled. {booking.cancel_reason or ''}".strip(),
        )
    if booking.checked_in_at is not None:
        return replace(
            base,
            kind=ALREADY,
            headline="Already checked in",
            detail=f"Checked in at {_when(booking.checked_in_at, tz, with_day=False)} "
            f"by {base.checked_in_by or 'a former staff member'}.",
        )
    if show.ends_at <= now or booking.status == BookingStatus.COMPLETED.value:
        return replace(
            base,
            kind=WRONG_DAY,
            headline="Showtime has ended",
            detail=f"This ticket was for {ticket}, which ended at {_when(show.ends_at, tz)}.",
        )
    day_start, day_end = local_day_bounds(today, tz)
    # A late show still running after midnight belongs to tonight, not to another day.
    if not (day_start <= show.starts_at < day_end or show.starts_at <= now < show.ends_at):
        return replace(base, kind=WRONG_DAY, headline="Wrong day", detail=f"This ticket is for {ticket}.")
    if showtime_id is not None and showtime_id != show.id:
        return replace(base, kind=WRONG_SHOWTIME, headline="Wrong showtime", detail=f"This ticket is for {ticket}.")
    return replace(base, kind=VALID, headline="Valid ticket", detail="Let them in, then press Check in.")


def inspect_code(
    session: Session, actor: Identity, code: str, *, showtime_id: int | None, today: date, tz: ZoneInfo, now: datetime
) -> Verdict:
    """What the door should do with this code. ``showtime_id`` is the show the door is for (None:
    any of today's); ``today`` is the cinema-local day."""
    require_role(actor, Role.STAFF.value)
    wanted = normalise_code(code)
    if not wanted:
        return _unknown("")
    checker = aliased(User)
    found = session.exec(
        select(Booking, Showtime, Movie.title, Auditorium.name, User.name, checker.name)
        .join(Showtime, Showtime.id == Booking.showtime_id)
        .join(Movie, Movie.id == Showtime.movie_id)
        .join(Auditorium, Auditorium.id == Showtime.auditorium_id)
        .outerjoin(User, User.id == Booking.user_id)  # a counter sale has no user
        .outerjoin(checker, checker.id == Booking.checked_in_by)
        .where(Booking.code == wanted)
        # Read the row as committed now, not as this session cached it: after losing a race
        # the second look must see the winner's check-in.
        .execution_options(populate_existing=True)
    ).first()
    if found is None:
        return _unknown(wanted)
    booking, show, title, room, customer, checked_by = found
    base = Verdict(
        UNKNOWN,
        "",
        code=booking.code,
        booking_id=booking.id,
        customer=customer or booking.customer_email or COUNTER_CUSTOMER,
        movie=title,
        showtime_id=show.id,
        when=_when(show.starts_at, tz),
        room=room,
        seats=_seat_labels(session, booking.id),
        checked_in_at=booking.checked_in_at,
        checked_in_by=checked_by or "",
    )
    return _judge(base, booking, show, showtime_id=showtime_id, today=today, tz=tz, now=now)


def check_in(
    session: Session,
    actor: Identity,
    *,
    code: str,
    showtime_id: int | None,
    today: date,
    tz: ZoneInfo,
    now: datetime,
    ip: str | None = None,
) -> Verdict:
    """Record that the booking's holders came in. Returns CHECKED_IN, or why not (the caller commits)."""
    require_role(actor, Role.STAFF.value)
    verdict = inspect_code(session, actor, code, showtime_id=showtime_id, today=today, tz=tz, now=now)
    if verdict.kind != VALID:
        return verdict
    # The WHERE is the guard: a concurrent check-in of the same code waits on the row lock,
    # then finds checked_in_at set and changes nothing.
    changed = session.exec(
        sa.update(Booking)
        .where(
            Booking.id == verdict.booking_id,
            col(Booking.checked_in_at).is_(None),
            Booking.status == BookingStatus.CONFIRMED.value,
        )
        .values(checked_in_at=now, checked_in_by=actor.user_id, updated_at=now)
    ).rowcount
    if changed != 1:
        return inspect_code(session, actor, code, showtime_id=showtime_id, today=today, tz=tz, now=now)
    audit.record(
        session,
        "booking.checkin",
        actor_id=actor.user_id,
        entity_type="booking",
        entity_id=verdict.booking_id,
        new={"code": verdict.code, "showtime_id": verdict.showtime_id},
        ip=ip,
    )
    session.flush()
    return replace(
        verdict,
        kind=CHECKED_IN,
        headline="Checked in",
        detail=f"{verdict.customer} may go in.",
        checked_in_at=now,
        checked_in_by=actor.name,
    )


def todays_showtimes(session: Session, actor: Identity, *, today: date, tz: ZoneInfo) -> list[tuple[int, str]]:
    """The day's showtimes that go ahead, for the door's select: (id, "19:30 · Film · Room")."""
    require_role(actor, Role.STAFF.value)
    lo, hi = local_day_bounds(today, tz)
    rows = session.exec(
        select(Showtime.id, Showtime.starts_at, Movie.title, Auditorium.name)
        .join(Movie, Movie.id == Showtime.movie_id)
        .join(Auditorium, Auditorium.id == Showtime.auditorium_id)
        .where(Showtime.starts_at >= lo, Showtime.starts_at < hi, col(Showtime.is_cancelled).is_(False))
        .order_by(Showtime.starts_at, Auditorium.name)
    )
    return [(id_, f"{_when(starts, tz, with_day=False)} · {title} · {room}") for id_, starts, title, room in rows]
