"""Booking seats: hold, quote, confirm (pay), cancel, list, and complete after the show.

Holds live in Redis (see holds.py); bookings live in PostgreSQL. Confirming turns the caller's
live holds into one booking in one transaction, and the partial unique index on active
(showtime, seat) is the final guard: whatever Redis says, a seat is never sold twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from moviebook.models import (
    Auditorium,
    Booking,
    BookingSeat,
    BookingStatus,
    Movie,
    PaymentMethod,
    SalesChannel,
    Seat,
    SeatType,
    Showtime,
    User,
    utcnow,
)
from moviebook.services import audit, notifications, promotions, webhooks
from moviebook.services.checkout import HoldLost, Payment, Sale, SaleOutcome, SellingPolicy, bookable_showtime, sell
from moviebook.services.errors import Conflict, DomainError, NotFound
from moviebook.services.holds import HoldStore
from moviebook.services.layouts import couple_pairs
from moviebook.services.live_seats import BOOKED, LiveSeats, booked_seat_ids, live_seats
from moviebook.services.payments import Card, PaymentProvider
from moviebook.services.tickets import booking_ics
from moviebook.services.waiting_list import seats_came_free

__all__ = [
    "BOOKED",
    "HoldLost",
    "LiveSeats",
    "booked_seat_ids",
    "confirm_booking",
    "confirm_sale",
    "live_seats",
]  # re-exported: callers buy through this module


def room_seats(session: Session, auditorium_id: int) -> list[Seat]:
    """Every seat of the room, blocked places too."""
    return list(session.exec(select(Seat).where(Seat.auditorium_id == auditorium_id)))


def _seats_in_rows_of(session: Session, auditorium_id: int, seat_ids: list[int]) -> list[Seat]:
    """The room's seats in the rows of these seats (a couple seat's partner sits in its row)."""
    rows = select(Seat.row_label).where(Seat.auditorium_id == auditorium_id, col(Seat.id).in_(seat_ids[:50]))
    return list(session.exec(select(Seat).where(Seat.auditorium_id == auditorium_id, col(Seat.row_label).in_(rows))))


def with_partners(seats: list[Seat], chosen: set[int]) -> set[int]:
    """A couple seat is always held and sold together with its partner."""
    by_place = {(s.row_label, s.number): s for s in seats}
    pairs = couple_pairs(seats)
    result = set(chosen)
    for seat in seats:
        if seat.id in chosen and (seat.row_label, seat.number) in pairs:
            result.add(by_place[pairs[(seat.row_label, seat.number)]].id)
    return result


def hold_seats(
    session: Session,
    store: HoldStore,
    *,
    showtime_id: int,
    user_id: int,
    seat_ids: list[int],
    now: datetime | None = None,
) -> list[int]:
    """Hold seats (with couple partners) for the user; returns the seats now held by this call."""
    showtime = bookable_showtime(session, showtime_id, now or utcnow())
    seats = _seats_in_rows_of(session, showtime.auditorium_id, seat_ids)
    valid = {s.id: s for s in seats}
    chosen = {int(s) for s in seat_ids if int(s) in valid}
    if not chosen:
        raise DomainError("Choose seats of this showtime's room.")
    if any(valid[s].seat_type == SeatType.BLOCKED for s in chosen):
        raise DomainError("That place is not for sale.")
    wanted = sorted(with_partners(seats, chosen))
    if booked_seat_ids(session, showtime_id, wanted):
        raise Conflict("Someone has just booked that seat. Please choose another.")
    store.hold(showtime_id, user_id, wanted)
    return wanted


def release_seats(
    session: Session, store: HoldStore, *, showtime_id: int, user_id: int, seat_ids: list[int]
) -> list[int]:
    """Give back seats the user holds, each couple seat together with its partner (the same
    pairing as holding: ``with_partners``); returns the seats released."""
    showtime = session.get(Showtime, showtime_id)
    if showtime is None:
        return []
    seats = _seats_in_rows_of(session, showtime.auditorium_id, seat_ids)
    valid = {s.id for s in seats}
    chosen = {int(s) for s in seat_ids if int(s) in valid}
    released = store.release(showtime_id, user_id, sorted(with_partners(seats, chosen)))
    if released:
        seats_came_free(session, showtime_id, store=store)
    return released


def why_not_cancellable(
    status: str,
    starts_at: datetime,
    ends_at: datetime,
    *,
    now: datetime,
    customer_cutoff: timedelta | None,
    channel: str = SalesChannel.ONLINE.value,
) -> str | None:
    """None when a booking may be cancelled now; otherwise why not, in words.

    A customer cancels their own online booking up to ``customer_cutoff`` before the start; a
    box-office sale is refunded at the counter. The cinema (``customer_cutoff`` None) may cancel
    any confirmed booking until its show has ended.
    """
    if customer_cutoff is not None and channel == SalesChannel.COUNTER and status == BookingStatus.CONFIRMED:
        return "Bought at the box office: the counter refunds it."
    if status != BookingStatus.CONFIRMED.value:
        if customer_cutoff is not None:
            return "This booking is not active any more."
        return f"This booking is already {status}; there is nothing to cancel."
    if customer_cutoff is None:
        return "This showtime has ended, so its bookings can no longer be cancelled." if ends_at <= now else None
    if starts_at - now < customer_cutoff:
        return f"Bookings can be cancelled up to {int(customer_cutoff.total_seconds() // 60)} minutes before the start."
    return None


def confirm_booking(session: Session, store: HoldStore, provider: PaymentProvider, **order) -> Booking:
    """A moviegoer's online checkout: their live holds become one paid booking (see checkout.py).
    Idempotent per ``idempotency_key``. ``order`` is ``confirm_sale``'s keyword arguments."""
    return confirm_sale(session, store, provider, **order).booking


def confirm_sale(
    session: Session,
    store: HoldStore,
    provider: PaymentProvider,
    *,
    showtime_id: int,
    user_id: int,
    idempotency_key: str,
    card: Card,
    chosen_types: dict[int, int] | None = None,
    promo_code: str = "",
    policy: SellingPolicy | None = None,
    now: datetime | None = None,
    ip: str | None = None,
) -> SaleOutcome:
    """``confirm_booking``, also saying whether this call made the booking (False: a retry)."""
    sale = Sale(
        showtime_id=showtime_id,
        holder_id=user_id,
        channel=SalesChannel.ONLINE.value,
        idempotency_key=idempotency_key,
        payment=Payment(PaymentMethod.CARD.value, card=card),
        chosen_types=chosen_types or {},
        promo_code=promo_code,
        ip=ip,
    )
    return sell(session, store, provider, sale, policy=policy, now=now)


def customer_refund_cents(total_cents: int, fee_cents: int, *, refund_fee: bool) -> int:
    """What a customer's own cancellation gives back: everything, less the booking fee unless the
    cinema refunds fees (REFUND_BOOKING_FEE)."""
    return total_cents - (0 if refund_fee else fee_cents)


def refund_in_full(session: Session, booking: Booking, *, now: datetime, reason: str, keep_fee: bool = False) -> None:
    """Cancel a (locked) booking, refund it, free its seats for sale again and give back its use
    of a promotion code. The booking fee is kept only when ``keep_fee`` (a customer's own
    cancellation, if the cinema does not refund fees); the cinema's cancellations refund it."""
    booking.status = BookingStatus.CANCELLED.value
    booking.refund_cents = customer_refund_cents(booking.total_cents, booking.fee_cents, refund_fee=not keep_fee)
    booking.cancelled_at, booking.updated_at, booking.cancel_reason = now, now, reason
    session.exec(sa.update(BookingSeat).where(BookingSeat.booking_id == booking.id).values(is_active=False))
    promotions.give_back(session, booking.id)


def lock_for_cancel(session: Session, booking_id: int) -> Booking | None:
    """Lock a booking to cancel it, after its showtime: the order a showtime's cancellation takes
    (showtime, then its bookings), so a cancel that then counts a waiting-list opening (which
    locks the showtime) never deadlocks with it."""
    showtime_id = session.exec(select(Booking.showtime_id).where(Booking.id == booking_id)).first()
    if showtime_id is None:
        return None
    session.exec(select(Showtime.id).where(Showtime.id == showtime_id).with_for_update()).first()
    return session.exec(
        select(Booking).where(Booking.id == booking_id).with_for_update().execution_options(populate_existing=True)
    ).first()


def cancel_booking(
    session: Session,
    *,
    user_id: int,
    booking_id: int,
    cutoff: timedelta,
    refund_fee: bool = False,
    now: datetime | None = None,
    ip: str | None = None,
) -> Booking:
    """The user cancels their own upcoming booking, up to ``cutoff`` before the start. The
    booking fee is refunded only when ``refund_fee`` (the REFUND_BOOKING_FEE setting)."""
    now = now or utcnow()
    booking = lock_for_cancel(session, booking_id)
    if booking is None or booking.user_id != user_id:
        raise NotFound("We could not find that booking.")  # the same answer for someone else's
    showtime = session.get(Showtime, booking.showtime_id)
    refusal = why_not_cancellable(
        booking.status, showtime.starts_at, showtime.ends_at, now=now, customer_cutoff=cutoff, channel=booking.channel
    )
    if refusal:
        raise DomainError(refusal)
    refund_in_full(session, booking, now=now, reason="Cancelled by you.", keep_fee=not refund_fee)
    audit.record(
        session,
        "booking.cancel",
        actor_id=user_id,
        entity_type="booking",
        entity_id=booking.id,
        old={"status": "confirmed"},
        new={"status": "cancelled", "refund_cents": booking.refund_cents},
        ip=ip,
    )
    session.flush()
    tell_of_cancel(session, booking, notifications.BY_CUSTOMER, now=now)
    return booking


def tell_of_cancel(session: Session, booking: Booking, kind: str, *, now: datetime) -> None:
    """In the cancel's transaction: the customer's mail, booking.cancelled to the webhook
    endpoints, and the waiting list's turn (its seats are free now)."""
    notifications.booking_cancelled(session, booking, kind)
    by = webhooks.BY_CUSTOMER if kind == notifications.BY_CUSTOMER else webhooks.BY_CINEMA
    webhooks.booking_cancelled(session, booking, by=by)
    seats_came_free(session, booking.showtime_id, now=now)


def complete_past_bookings(session: Session, now: datetime | None = None) -> int:
    """Confirmed bookings of showtimes that have ended become completed (a scheduled task)."""
    now = now or utcnow()
    ended = select(Showtime.id).where(Showtime.ends_at <= now)
    result = session.exec(
        sa.update(Booking)
        .where(Booking.status == BookingStatus.CONFIRMED.value, col(Booking.showtime_id).in_(ended))
        .values(status=BookingStatus.COMPLETED.value, updated_at=now)
    )
    session.flush()
    return result.rowcount or 0


@dataclass(frozen=True)
class BookingSummary:
    id: int
    code: str
    status: str
    movie_title: str
    poster_path: str | None
    starts_at: datetime
    ends_at: datetime
    auditorium_name: str
    seats: tuple[str, ...]
    total_cents: int
    refund_cents: int
    cancel_reason: str | None
    showtime_id: int
    channel: str = SalesChannel.ONLINE.value
    fee_cents: int = 0


def bookings_of(session: Session, user_id: int, booking_id: int | None = None) -> list[BookingSummary]:
    """The user's bookings (or one of them), newest showtime first. Never anyone else's.

    Box-office sales made with the customer's email belong to the account with that email once
    the account has verified it: anyone may sign up with any address, and a booking's code is
    its ticket. The counter checks nothing about an email, so these are read-only here (the
    counter refunds them).
    """
    own_email = select(User.email).where(User.id == user_id, col(User.email_verified_at).is_not(None)).scalar_subquery()
    query = (
        select(Booking, Showtime, Movie.title, Movie.poster_path, Auditorium.name)
        .join(Showtime, Showtime.id == Booking.showtime_id)
        .join(Movie, Movie.id == Showtime.movie_id)
        .join(Auditorium, Auditorium.id == Showtime.auditorium_id)
        .where(
            sa.or_(
                Booking.user_id == user_id,
                sa.and_(Booking.channel == SalesChannel.COUNTER.value, Booking.customer_email == own_email),
            )
        )
        .order_by(Showtime.starts_at.desc(), Booking.id.desc())
    )
    if booking_id is not None:
        query = query.where(Booking.id == booking_id)
    rows = session.exec(query).all()
    labels: dict[int, list[str]] = {}
    ids = [row[0].id for row in rows]
    if ids:
        for booking_id_, row_label, number in session.exec(
            select(BookingSeat.booking_id, Seat.row_label, Seat.number)
            .join(Seat, Seat.id == BookingSeat.seat_id)
            .where(col(BookingSeat.booking_id).in_(ids))
            .order_by(Seat.y, Seat.x)
        ):
            labels.setdefault(booking_id_, []).append(f"{row_label}{number}")
    return [
        BookingSummary(
            b.id,
            b.code,
            b.status,
            title,
            poster,
            s.starts_at,
            s.ends_at,
            room,
            tuple(labels.get(b.id, ())),
            b.total_cents,
            b.refund_cents,
            b.cancel_reason,
            s.id,
            b.channel,
            b.fee_cents,
        )
        for b, s, title, poster, room in rows
    ]


def summary_ics(summary: BookingSummary, cinema: str) -> str:
    """The booking's calendar entry (the ticket page's download, the API's ticket.ics)."""
    return booking_ics(
        code=summary.code,
        title=summary.movie_title,
        starts_at=summary.starts_at,
        ends_at=summary.ends_at,
        place=summary.auditorium_name,
        seats=", ".join(summary.seats),
        cinema=cinema,
    )
