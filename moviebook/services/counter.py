"""The box office: selling to walk-ins, the receipt, counter refunds and the cash-up.

Staff sell on the same live seat map as everyone else: the seats are held under the staff
member's own user id, and ``checkout.complete_sale`` turns them into a counter sale (no booking
fee, the seller and the channel recorded, no customer account needed). Everything here checks
the caller's role itself, from the ``Identity``, whatever page called it.

The cash-up is per staff member and cinema-local day:
- sales are counted on the day they were made, by the member who made them;
- refunds on the day they were made, by the member who paid them out (``refunded_by``);
- expected cash in the drawer = the till float + cash taken − cash refunded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from moviebook.models import (
    Auditorium,
    Booking,
    BookingSeat,
    BookingStatus,
    Movie,
    PaymentMethod,
    Promotion,
    Role,
    SalesChannel,
    Seat,
    Showtime,
    User,
    utcnow,
)
from moviebook.services import audit, notifications
from moviebook.services.accounts import is_valid_email, normalise_email
from moviebook.services.bookings import refund_in_full, tell_of_cancel, why_not_cancellable
from moviebook.services.checkout import Payment, Sale, SellingPolicy, change_due, complete_sale
from moviebook.services.clock import local_day_bounds
from moviebook.services.errors import DomainError, FormInvalid, NotFound
from moviebook.services.holds import HoldStore
from moviebook.services.payments import Card, PaymentProvider
from moviebook.services.roles import AccessDenied, has_role, require_role
from moviebook.services.schedule_admin import parse_price
from moviebook.services.tickets import normalise_code
from moviebook.services.tokens import Identity

# The simulated card terminal at the counter: the customer taps or inserts their card there and
# the terminal says "approved"; the sale then goes through the payment provider like any card.
TERMINAL_CARD = Card("4242424242424242", 12, 2099, "000", "Box office terminal")

REFUND_REASON = "Refunded at the box office."
STAFF_ONLY = "Only box office staff can do that."


def parse_cash(text: str) -> int | None:
    """Cash handed over as typed at the till ("20", "20.00", "£20"), in cents; None if it is not."""
    return parse_price(str(text or "")[:20].strip().lstrip("£€$"))


def customer_email(text: str) -> str | None:
    """The optional customer email, normalised; None when left empty. Raises FormInvalid."""
    email = normalise_email(str(text or "")[:300])
    if not email:
        return None
    if not is_valid_email(email):
        raise FormInvalid({"customer_email": "Enter a valid email address, like name@example.com, or leave it empty."})
    return email


def sell_at_counter(
    session: Session,
    store: HoldStore,
    provider: PaymentProvider,
    actor: Identity | None,
    *,
    showtime_id: int,
    idempotency_key: str,
    method: str,
    cash_text: str = "",
    email_text: str = "",
    chosen_types: dict[int, int] | None = None,
    promo_code: str = "",
    ip: str | None = None,
    policy: SellingPolicy | None = None,
    now: datetime | None = None,
) -> Booking:
    """A walk-in sale of the seats ``actor`` holds: cash (what was handed over must cover the
    total) or card on the terminal. Idempotent per ``idempotency_key``."""
    actor = require_role(actor, Role.STAFF.value, STAFF_ONLY)
    errors: dict[str, str] = {}
    try:
        email = customer_email(email_text)
    except FormInvalid as invalid:
        email, errors = None, dict(invalid.errors)
    if method == PaymentMethod.CASH:
        tendered = parse_cash(cash_text)
        if tendered is None:
            errors["cash_tendered"] = "Enter the cash handed over, like 20 or 20.00."
        payment = Payment(PaymentMethod.CASH.value, cash_tendered_cents=tendered)
    elif method == PaymentMethod.CARD:
        payment = Payment(PaymentMethod.CARD.value, card=TERMINAL_CARD)
    else:
        raise DomainError("Choose cash or card.")
    if errors:
        raise FormInvalid(errors)
    sale = Sale(
        showtime_id=showtime_id,
        holder_id=actor.user_id,
        channel=SalesChannel.COUNTER.value,
        idempotency_key=idempotency_key,
        payment=payment,
        chosen_types=chosen_types or {},
        promo_code=promo_code,
        customer_email=email,
        ip=ip,
    )
    return complete_sale(session, store, provider, sale, policy=policy, now=now)


# --- The receipt ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptLine:
    seat: str  # "C7"
    ticket_type: str
    unit_cents: int
    discount_cents: int
    price_cents: int  # unit - discount


@dataclass(frozen=True)
class Receipt:
    booking_id: int
    code: str
    status: str
    movie_title: str
    age_rating: str
    starts_at: datetime
    auditorium: str
    lines: tuple[ReceiptLine, ...]
    discount_cents: int
    total_cents: int
    payment_method: str
    cash_tendered_cents: int | None
    change_cents: int | None  # cash sales only
    promotion_code: str
    customer_email: str
    sold_by: str
    sold_at: datetime
    refund_cents: int
    refunded_at: datetime | None
    refunded_by: str
    refund_refusal: str | None  # why it cannot be refunded now; None when it can


def _sale_id(session: Session, ref: str) -> int | None:
    """A booking named by its code ("abcd efgh" forgiven) or by its id."""
    text = str(ref or "").strip()[:40]
    if text.isascii() and text.isdecimal() and len(text) <= 9:
        return int(text)
    code = normalise_code(text)
    return session.exec(select(Booking.id).where(Booking.code == code)).first() if code else None


def _counter_sale(session: Session, booking_id: int | None, *, lock: bool = False) -> Booking:
    query = select(Booking).where(Booking.id == (booking_id or 0))
    booking = session.exec(query.with_for_update() if lock else query).first()
    if booking is None:
        raise NotFound("No sale has that code. Check the code on the receipt.")
    if booking.channel != SalesChannel.COUNTER:
        raise DomainError(
            "That booking was bought online: the customer cancels it in My bookings, or an admin under Reservations."
        )
    return booking


def _name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id else None
    return user.name if user else ""


def counter_receipt(session: Session, actor: Identity | None, ref: str, *, now: datetime | None = None) -> Receipt:
    """A box-office sale's receipt, by code or id, for staff (a reprint, or before a refund)."""
    require_role(actor, Role.STAFF.value, STAFF_ONLY)
    now = now or utcnow()
    booking = _counter_sale(session, _sale_id(session, ref))
    showtime = session.get(Showtime, booking.showtime_id)
    movie = session.get(Movie, showtime.movie_id)
    room = session.get(Auditorium, showtime.auditorium_id)
    rows = session.exec(
        select(BookingSeat, Seat.row_label, Seat.number)
        .join(Seat, Seat.id == BookingSeat.seat_id)
        .where(BookingSeat.booking_id == booking.id)
        .order_by(Seat.y, Seat.x)
    ).all()
    lines = tuple(
        ReceiptLine(f"{row}{number}", s.ticket_type_name, s.unit_price_cents, s.discount_cents, s.price_cents)
        for s, row, number in rows
    )
    promotion = session.get(Promotion, booking.promotion_id) if booking.promotion_id else None
    cash = booking.payment_method == PaymentMethod.CASH and booking.cash_tendered_cents is not None
    refusal = why_not_cancellable(
        booking.status, showtime.starts_at, showtime.ends_at, now=now, customer_cutoff=None, channel=booking.channel
    )
    return Receipt(
        booking_id=booking.id,
        code=booking.code,
        status=booking.status,
        movie_title=movie.title,
        age_rating=movie.age_rating,
        starts_at=showtime.starts_at,
        auditorium=room.name,
        lines=lines,
        discount_cents=booking.discount_cents,
        total_cents=booking.total_cents,
        payment_method=booking.payment_method,
        cash_tendered_cents=booking.cash_tendered_cents if cash else None,
        change_cents=change_due(booking.total_cents, booking.cash_tendered_cents) if cash else None,
        promotion_code=promotion.code if promotion else "",
        customer_email=booking.customer_email or "",
        sold_by=_name(session, booking.sold_by),
        sold_at=booking.created_at,
        refund_cents=booking.refund_cents,
        refunded_at=booking.cancelled_at if booking.status == BookingStatus.CANCELLED else None,
        refunded_by=_name(session, booking.refunded_by),
        refund_refusal=refusal,
    )


# --- Counter refunds --------------------------------------------------------------------------


def refund_counter_sale(
    session: Session, actor: Identity | None, *, booking_id: int, now: datetime | None = None, ip: str | None = None
) -> Booking:
    """Refund a box-office sale in full (nothing kept), free its seats and give back its use of a
    promotion code. The member refunding pays it out, so their cash-up counts it. The caller
    commits, then announces the showtime's freed seats."""
    actor = require_role(actor, Role.STAFF.value, STAFF_ONLY)
    now = now or utcnow()
    booking = _counter_sale(session, booking_id, lock=True)  # a second refund or a check-in queue up
    showtime = session.get(Showtime, booking.showtime_id)
    refusal = why_not_cancellable(booking.status, showtime.starts_at, showtime.ends_at, now=now, customer_cutoff=None)
    if refusal:
        raise DomainError(refusal)
    refund_in_full(session, booking, now=now, reason=REFUND_REASON, keep_fee=False)
    booking.refunded_by = actor.user_id
    audit.record(
        session,
        "booking.counter_refund",
        actor_id=actor.user_id,
        entity_type="booking",
        entity_id=booking.id,
        old={"status": BookingStatus.CONFIRMED.value},
        new={
            "status": booking.status,
            "refund_cents": booking.refund_cents,
            "payment": booking.payment_method,
            "code": booking.code,
        },
        ip=ip,
    )
    session.flush()
    # The sale's email (if the counter took one) is told, as are the webhooks and the waiting list.
    tell_of_cancel(session, booking, notifications.BY_CUSTOMER, now=now)
    return booking


# --- The cash-up ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketsOfType:
    name: str
    tickets: int
    cents: int  # what they were sold for (after discounts)


@dataclass(frozen=True)
class CashUp:
    member_id: int
    member_name: str
    day: date
    sales: int  # counter sales made that day (refunded later or not)
    cash_cents: int
    card_cents: int
    refunds: int  # counter sales this member refunded that day (whoever sold them, whenever)
    cash_refund_cents: int
    card_refund_cents: int
    tickets: tuple[TicketsOfType, ...]
    float_cents: int
    expected_drawer_cents: int  # float + cash taken - cash refunded


def cash_up_members(session: Session, actor: Identity | None) -> list[tuple[int, str]]:
    """Whose cash-up the caller may see: an admin anyone who sells (staff, admins, and anyone
    who ever sold at the counter); staff only themselves."""
    actor = require_role(actor, Role.STAFF.value, STAFF_ONLY)
    if not has_role(actor.role, Role.ADMIN.value):
        return [(actor.user_id, actor.name)]
    sellers = select(Booking.sold_by).where(col(Booking.sold_by).is_not(None))
    rows = session.exec(
        select(User.id, User.name)
        .where(sa.or_(col(User.role).in_([Role.STAFF.value, Role.ADMIN.value]), col(User.id).in_(sellers)))
        .order_by(User.name, User.id)
    )
    return [(user_id, name) for user_id, name in rows]


def _cents(value) -> int:
    return int(value or 0)


def cash_up(
    session: Session,
    actor: Identity | None,
    *,
    day: date,
    tz: ZoneInfo,
    float_cents: int,
    member_id: int | None = None,
) -> CashUp:
    """One member's till for one cinema-local day. Staff get their own only (``member_id``
    None or their own id); an admin any member's."""
    actor = require_role(actor, Role.STAFF.value, STAFF_ONLY)
    member_id = member_id or actor.user_id
    if member_id != actor.user_id and not has_role(actor.role, Role.ADMIN.value):
        raise AccessDenied("You can see your own cash-up only. An admin can see everyone's.")
    member = session.get(User, member_id)
    if member is None:
        raise NotFound("We could not find that staff member.")
    lo, hi = local_day_bounds(day, tz)
    cash = Booking.payment_method == PaymentMethod.CASH.value
    sold = (
        Booking.channel == SalesChannel.COUNTER.value,
        Booking.sold_by == member_id,
        Booking.created_at >= lo,
        Booking.created_at < hi,
    )
    sales, cash_cents, card_cents = session.exec(
        select(
            func.count(Booking.id),
            func.sum(sa.case((cash, Booking.total_cents), else_=0)),
            func.sum(sa.case((cash, 0), else_=Booking.total_cents)),
        ).where(*sold)
    ).one()
    refunds, cash_refunds, card_refunds = session.exec(
        select(
            func.count(Booking.id),
            func.sum(sa.case((cash, Booking.refund_cents), else_=0)),
            func.sum(sa.case((cash, 0), else_=Booking.refund_cents)),
        ).where(
            Booking.refunded_by == member_id,
            Booking.status == BookingStatus.CANCELLED.value,
            Booking.cancelled_at >= lo,
            Booking.cancelled_at < hi,
        )
    ).one()
    by_type = session.exec(
        select(BookingSeat.ticket_type_name, func.count(BookingSeat.id), func.sum(BookingSeat.price_cents))
        .join(Booking, Booking.id == BookingSeat.booking_id)
        .where(*sold)
        .group_by(BookingSeat.ticket_type_name)
        .order_by(func.count(BookingSeat.id).desc(), BookingSeat.ticket_type_name)
    ).all()
    return CashUp(
        member_id=member_id,
        member_name=member.name,
        day=day,
        sales=int(sales or 0),
        cash_cents=_cents(cash_cents),
        card_cents=_cents(card_cents),
        refunds=int(refunds or 0),
        cash_refund_cents=_cents(cash_refunds),
        card_refund_cents=_cents(card_refunds),
        tickets=tuple(TicketsOfType(name, int(n), _cents(cents)) for name, n, cents in by_type),
        float_cents=float_cents,
        expected_drawer_cents=float_cents + _cents(cash_cents) - _cents(cash_refunds),
    )
