"""Reservations for the box office: find any booking, read its detail and history, and (admins
only) cancel it with a reason and a full refund.

Staff and admins may search and read; only admins may cancel, because a cancel moves money.
Every function re-checks the caller's role itself, whatever the page already checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, or_, select

from moviebook.models import (
    AuditEntry,
    Auditorium,
    Booking,
    BookingSeat,
    BookingStatus,
    Movie,
    Role,
    Seat,
    Showtime,
    User,
)
from moviebook.services import audit
from moviebook.services.bookings import lock_for_cancel, refund_in_full, tell_of_cancel, why_not_cancellable
from moviebook.services.clock import local_day_bounds
from moviebook.services.errors import DomainError, FormInvalid, NotFound
from moviebook.services.notifications import BY_ADMIN
from moviebook.services.paging import Page, page_slice
from moviebook.services.roles import require_role
from moviebook.services.schedule_admin import FIRST_YEAR, LAST_YEAR
from moviebook.services.text_search import LIKE_ESCAPE, contains_pattern
from moviebook.services.tickets import normalise_code
from moviebook.services.tokens import Identity

STATUSES = tuple(BookingStatus)
COUNTER_CUSTOMER = "Counter sale"  # a box-office sale has no account behind it
# Who booked: the account, or for a box-office sale (no account) the email given at the counter.
CUSTOMER_EMAIL = func.coalesce(User.email, Booking.customer_email, "")
CUSTOMER_NAME = func.coalesce(User.name, COUNTER_CUSTOMER)
# What a column header may sort by; anything else falls back to the showtime.
SORTS = {
    "starts_at": Showtime.starts_at,
    "created_at": Booking.created_at,
    "total": Booking.total_cents,
    "code": Booking.code,
    "customer": CUSTOMER_EMAIL,
}
REASON_MIN, REASON_MAX = 3, 300


@dataclass(frozen=True)
class ReservationRow:
    id: int
    code: str
    customer_name: str
    customer_email: str
    movie_title: str
    showtime_id: int
    starts_at: datetime
    ends_at: datetime
    auditorium_name: str
    seat_count: int
    total_cents: int
    refund_cents: int
    status: str
    checked_in_at: datetime | None


ReservationPage = Page[ReservationRow]


@dataclass(frozen=True)
class ReservationFilter:
    """What the list is narrowed to; every field is optional. Days are cinema-local, inclusive."""

    start: date | None = None
    end: date | None = None
    movie_id: int | None = None
    showtime_id: int | None = None
    status: str = ""
    query: str = ""


def check_period(start: date | None, end: date | None) -> None:
    """FormInvalid (fields ``start``, ``end``) for a day the schedule cannot hold (no showtime
    lies outside, and 9999-12-31 has no next day to end at) or a last day before the first."""
    errors = {
        name: f"Choose a day between {FIRST_YEAR} and {LAST_YEAR}."
        for name, day in (("start", start), ("end", end))
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR
    }
    if not errors and start and end and end < start:
        errors["end"] = "The last day is before the first."
    if errors:
        raise FormInvalid(errors)


def _conditions(flt: ReservationFilter, tz: ZoneInfo) -> list:
    found: list = []
    if flt.start is not None:
        found.append(Showtime.starts_at >= local_day_bounds(flt.start, tz)[0])
    if flt.end is not None:
        found.append(Showtime.starts_at < local_day_bounds(flt.end, tz)[1])
    if flt.movie_id is not None:
        found.append(Showtime.movie_id == flt.movie_id)
    if flt.showtime_id is not None:
        found.append(Booking.showtime_id == flt.showtime_id)
    if flt.status:
        found.append(Booking.status == (flt.status if flt.status in STATUSES else "none"))
    text = (flt.query or "").strip()[:100]
    if text:
        # A code is matched without its dash, so "ABCD EF" or "abcd-ef" finds "ABCD-EFGH".
        compact = normalise_code(text).replace("-", "")
        either = [CUSTOMER_EMAIL.ilike(contains_pattern(text.lower()), escape=LIKE_ESCAPE)]
        if compact:
            either.append(func.replace(Booking.code, "-", "").ilike(contains_pattern(compact), escape=LIKE_ESCAPE))
        found.append(or_(*either))
    return found


def _joined(query):
    return (
        query.join(Showtime, Showtime.id == Booking.showtime_id)
        .join(Movie, Movie.id == Showtime.movie_id)
        .join(Auditorium, Auditorium.id == Showtime.auditorium_id)
        .outerjoin(User, User.id == Booking.user_id)  # a counter sale has no user
    )


def _seat_count():
    # Correlated, so it is only counted for the rows of the page being shown.
    return select(func.count()).select_from(BookingSeat).where(BookingSeat.booking_id == Booking.id).scalar_subquery()


def _rows(session: Session, query) -> list[ReservationRow]:
    return [
        ReservationRow(
            b.id,
            b.code,
            name,
            email,
            title,
            s.id,
            s.starts_at,
            s.ends_at,
            room,
            seats,
            b.total_cents,
            b.refund_cents,
            b.status,
            b.checked_in_at,
        )
        for b, s, title, room, name, email, seats in session.exec(query)
    ]


def _select_rows():
    return _joined(
        select(Booking, Showtime, Movie.title, Auditorium.name, CUSTOMER_NAME, CUSTOMER_EMAIL, _seat_count())
    )


def search_reservations(
    session: Session,
    actor: Identity,
    flt: ReservationFilter,
    *,
    tz: ZoneInfo,
    sort: str = "starts_at",
    descending: bool = False,
    page: int = 1,
    page_size: int = 25,
) -> ReservationPage:
    """One page of bookings matching ``flt``, sorted in SQL; ``total`` counts every match."""
    require_role(actor, Role.STAFF.value)
    conditions = _conditions(flt, tz)
    total = session.exec(_joined(select(func.count()).select_from(Booking)).where(*conditions)).one()
    at = page_slice(total, page, page_size)
    key = SORTS.get(sort, Showtime.starts_at)
    order = [key.desc() if descending else key.asc(), Booking.id.desc() if descending else Booking.id.asc()]
    query = _select_rows().where(*conditions).order_by(*order).offset(at.offset).limit(at.limit)
    return ReservationPage(rows=tuple(_rows(session, query)), total=total, page=at.page, pages=at.pages)


@dataclass(frozen=True)
class SeatLine:
    label: str
    seat_type: str
    price_cents: int


@dataclass(frozen=True)
class HistoryEvent:
    at: datetime
    what: str
    who: str
    note: str = ""


@dataclass(frozen=True)
class ReservationDetail:
    row: ReservationRow
    seats: tuple[SeatLine, ...]
    cancel_reason: str | None
    history: tuple[HistoryEvent, ...]


# How audit actions on a booking read in its history.
ACTION_LABELS = {
    "booking.create": "Booked",
    "booking.cancel": "Cancelled by the customer",
    "booking.admin_cancel": "Cancelled by the cinema",
    "booking.checkin": "Checked in",
}


def _history(session: Session, booking: Booking, customer: str) -> tuple[HistoryEvent, ...]:
    """The booking's audit entries, oldest first, plus the moments its own columns record
    that no entry covers (demo data, or bookings cancelled along with their showtime)."""
    entries = session.exec(
        select(AuditEntry, User.name)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.entity_type == "booking", AuditEntry.entity_id == str(booking.id))
        .order_by(AuditEntry.created_at, AuditEntry.id)
    ).all()
    events = [
        HistoryEvent(
            e.created_at,
            ACTION_LABELS.get(e.action, e.action),
            name or "system",
            str((e.new_values or {}).get("reason", "")),
        )
        for e, name in entries
    ]
    actions = {e.action for e, _ in entries}
    if "booking.create" not in actions:
        events.append(HistoryEvent(booking.created_at, "Booked", customer))
    if booking.cancelled_at and not actions & {"booking.cancel", "booking.admin_cancel"}:
        events.append(HistoryEvent(booking.cancelled_at, "Cancelled", "system", booking.cancel_reason or ""))
    if booking.checked_in_at and "booking.checkin" not in actions:
        checker = session.get(User, booking.checked_in_by) if booking.checked_in_by else None
        events.append(HistoryEvent(booking.checked_in_at, "Checked in", checker.name if checker else "staff"))
    return tuple(sorted(events, key=lambda event: event.at))


def reservation_detail(session: Session, actor: Identity, booking_id: int) -> ReservationDetail:
    require_role(actor, Role.STAFF.value)
    found = _rows(session, _select_rows().where(Booking.id == booking_id))
    if not found:
        raise NotFound("We could not find that booking.")
    booking = session.get(Booking, booking_id)
    seats = session.exec(
        select(Seat.row_label, Seat.number, Seat.seat_type, BookingSeat.price_cents)
        .join(Seat, Seat.id == BookingSeat.seat_id)
        .where(BookingSeat.booking_id == booking_id)
        .order_by(Seat.y, Seat.x)
    ).all()
    return ReservationDetail(
        row=found[0],
        seats=tuple(SeatLine(f"{row}{number}", seat_type, price) for row, number, seat_type, price in seats),
        cancel_reason=booking.cancel_reason,
        history=_history(session, booking, found[0].customer_name),
    )


def _clean_reason(reason: str) -> str:
    text = " ".join(str(reason or "").split())
    if len(text) < REASON_MIN:
        raise FormInvalid({"reason": "Give the customer a reason (at least 3 characters); they will see it."})
    if len(text) > REASON_MAX:
        raise FormInvalid({"reason": f"Keep the reason to {REASON_MAX} characters or fewer."})
    return text


def admin_cancel_booking(
    session: Session, actor: Identity, *, booking_id: int, reason: str, now: datetime, ip: str | None = None
) -> Booking:
    """An admin cancels a confirmed booking whose showtime has not ended: full refund, seats freed,
    and the reason shown to the customer on My bookings."""
    require_role(actor, Role.ADMIN.value, "Only an admin can cancel a booking. Ask an admin to do it.")
    text = _clean_reason(reason)
    # Locked like the customer's own cancel, so a cancel and a check-in or a second cancel queue up.
    booking = lock_for_cancel(session, booking_id)
    if booking is None:
        raise NotFound("We could not find that booking.")
    showtime = session.get(Showtime, booking.showtime_id)
    refusal = why_not_cancellable(booking.status, showtime.starts_at, showtime.ends_at, now=now, customer_cutoff=None)
    if refusal:
        raise DomainError(refusal)
    refund_in_full(session, booking, now=now, reason=text)
    audit.record(
        session,
        "booking.admin_cancel",
        actor_id=actor.user_id,
        entity_type="booking",
        entity_id=booking.id,
        old={"status": BookingStatus.CONFIRMED.value},
        new={"status": booking.status, "refund_cents": booking.refund_cents, "reason": text},
        ip=ip,
    )
    session.flush()
    tell_of_cancel(session, booking, BY_ADMIN, now=now)
    return booking


def movie_choices(session: Session, actor: Identity) -> list[tuple[int, str]]:
    """Films that have any showtime, for the filter: (id, title)."""
    require_role(actor, Role.STAFF.value)
    with_shows = select(Showtime.movie_id).distinct()
    return list(session.exec(select(Movie.id, Movie.title).where(col(Movie.id).in_(with_shows)).order_by(Movie.title)))


def showtime_choices(
    session: Session,
    actor: Identity,
    *,
    movie_id: int,
    start: date | None,
    end: date | None,
    tz: ZoneInfo,
    limit: int = 300,
) -> list[tuple[int, datetime, str]]:
    """One film's showtimes in the day range, for the filter: (id, starts_at, room)."""
    require_role(actor, Role.STAFF.value)
    query = (
        select(Showtime.id, Showtime.starts_at, Auditorium.name)
        .join(Auditorium, Auditorium.id == Showtime.auditorium_id)
        .where(Showtime.movie_id == movie_id)
    )
    if start is not None:
        query = query.where(Showtime.starts_at >= local_day_bounds(start, tz)[0])
    if end is not None:
        query = query.where(Showtime.starts_at < local_day_bounds(end, tz)[1])
    return list(session.exec(query.order_by(Showtime.starts_at).limit(limit)))
