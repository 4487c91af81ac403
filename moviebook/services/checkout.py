"""Checkout: the held seats priced by ticket type and promotion, then sold, online or at the counter.

One sale path for both channels (``complete_sale``), so the rules are written once:

- the seats are whatever the holder holds in Redis right now (the client never sends a price);
- each seat gets its chosen ticket type (Adult by default), refused if the film's rating
  forbids it;
- a promotion code is checked in words (``promotions.why_not``) and redeemed atomically in the
  sale's transaction;
- online sales carry the booking fee per paid ticket; counter sales none;
- payment is the simulated card (authorised before, captured after the commit, voided when
  the commit fails) or cash at the counter (the tendered amount must cover the total);
- the booking seats keep type, unit price, discount and fee as sold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from moviebook.config import get_settings
from moviebook.models import (
    Booking,
    BookingSeat,
    Movie,
    PaymentMethod,
    SalesChannel,
    Seat,
    Showtime,
    TicketType,
    utcnow,
)
from moviebook.services import audit, notifications, promotions, webhooks
from moviebook.services.errors import Conflict, DomainError, NotFound
from moviebook.services.holds import HoldStore
from moviebook.services.payments import Card, PaymentProvider
from moviebook.services.pricing import PricedOrder, SeatChoice, accompanied_note, age_refusal, price_order
from moviebook.services.seatmap import ShowtimeUnavailable
from moviebook.services.tickets import new_booking_code


class HoldLost(DomainError):
    pass


@dataclass(frozen=True)
class SellingPolicy:
    fee_per_ticket_cents: int
    currency: str
    tz: ZoneInfo

    def fee_for(self, channel: str) -> int:
        return self.fee_per_ticket_cents if channel == SalesChannel.ONLINE else 0


def selling_policy() -> SellingPolicy:
    settings = get_settings()
    return SellingPolicy(settings.booking_fee_cents, settings.currency, settings.timezone)


# A cinema that has set up no ticket types (or switched them all off) sells every seat as
# "Standard" at its seat price, as Moviebook did before ticket types existed.
STANDARD = TicketType(id=None, name="Standard", rule="percent_off", value=0)


def ticket_types(session: Session, *, active_only: bool = True) -> list[TicketType]:
    query = select(TicketType).order_by(TicketType.sort_order, TicketType.id)
    if active_only:
        query = query.where(col(TicketType.is_active).is_(True))
    return list(session.exec(query))


@dataclass(frozen=True)
class TicketOption:
    """A ticket type as a seat's drop-down offers it for one film."""

    id: int
    name: str
    door_note: str
    refusal: str | None  # why this film cannot sell it, or None


def ticket_options(session: Session, age_rating: str, types: list[TicketType] | None = None) -> list[TicketOption]:
    """The ticket types on sale as one film offers them (``types``: already loaded ones)."""
    return [
        TicketOption(t.id, t.name, t.door_note, age_refusal(t.name, t.max_age, age_rating))
        for t in (ticket_types(session) if types is None else types)
    ]


def default_ticket_type(options: list[TicketOption]) -> int | None:
    """The first type this film may sell: Adult in the seeded order."""
    return next((o.id for o in options if o.refusal is None), None)


@dataclass(frozen=True)
class Checkout:
    """The order as the summary shows it before paying."""

    order: PricedOrder
    promotion_code: str  # "" when none applies
    promotion_problem: str | None  # why the typed code does not apply
    age_note: str | None
    options: tuple[TicketOption, ...] = ()  # the ticket types this film offers, for the selects


def bookable_showtime(session: Session, showtime_id: int, now: datetime) -> Showtime:
    """The showtime if it can still be sold now; otherwise why not."""
    showtime = session.get(Showtime, showtime_id)
    if showtime is None:
        raise NotFound("We could not find that showtime.")
    if showtime.is_cancelled:
        raise ShowtimeUnavailable("This showtime has been cancelled.")
    if showtime.starts_at <= now:
        raise ShowtimeUnavailable("This showtime has already started, so it can no longer be booked.")
    return showtime


def _choices(
    session: Session,
    showtime: Showtime,
    movie: Movie,
    seat_ids: list[int],
    chosen_types: dict[int, int],
    *,
    strict: bool = True,
) -> tuple[list[SeatChoice], list[TicketOption]]:
    """Each held seat with its ticket type, and the film's ticket options; refuses a type the
    film's rating forbids. Not ``strict`` (a quote), a choice that cannot be sold falls back to
    the default type."""
    on_sale = ticket_types(session)  # one query: the options below are worked out from it
    options = ticket_options(session, movie.age_rating, on_sale)
    if not strict:
        allowed = {o.id for o in options if o.refusal is None}
        chosen_types = {seat: kind for seat, kind in chosen_types.items() if kind in allowed}
    types = {t.id: t for t in on_sale}
    fallback = default_ticket_type(options)
    seats = session.exec(select(Seat).where(col(Seat.id).in_(seat_ids)).order_by(Seat.y, Seat.x)).all()
    result = []
    for seat in seats:
        kind = types.get(chosen_types.get(seat.id, fallback)) if types else STANDARD
        if kind is None:
            raise DomainError("That ticket type is not on sale any more. Please choose another.")
        refusal = age_refusal(kind.name, kind.max_age, movie.age_rating)
        if refusal:
            raise DomainError(refusal)
        result.append(
            SeatChoice(
                seat.id,
                f"{seat.row_label}{seat.number}",
                seat.seat_type,
                seat.price_modifier_cents,
                kind.id,
                kind.name,
                kind.rule,
                kind.value,
            )
        )
    return result, options


def _order_facts(showtime: Showtime, tickets: int, customer: str | None, now: datetime, policy: SellingPolicy):
    return promotions.OrderFacts(showtime, tickets, customer, now, policy.tz)


def quote_held(
    session: Session,
    store: HoldStore,
    *,
    showtime_id: int,
    holder_id: int,
    channel: str,
    chosen_types: dict[int, int],
    promo_code: str = "",
    customer: str | None = None,
    policy: SellingPolicy | None = None,
    now: datetime | None = None,
) -> Checkout:
    """What the holder's seats cost right now. A code that does not apply is reported, not raised."""
    policy, now = policy or selling_policy(), now or utcnow()
    showtime = session.get(Showtime, showtime_id)
    held = store.held_by(showtime_id, holder_id)
    if showtime is None or not held:
        return Checkout(PricedOrder(()), "", None, None)
    movie = session.get(Movie, showtime.movie_id)
    choices, options = _choices(session, showtime, movie, held, chosen_types, strict=False)
    code, problem, promotion = promotions.normalise_code(promo_code), None, None
    if code:
        promotion = promotions.find(session, code)
        problem = promotions.why_not(session, promotion, _order_facts(showtime, len(choices), customer, now, policy))
        if problem:
            promotion = None
    order = price_order(
        showtime.base_price_cents,
        choices,
        discount=promotions.discount_of(promotion),
        fee_per_ticket_cents=policy.fee_for(channel),
    )
    return Checkout(
        order, promotion.code if promotion else "", problem, accompanied_note(movie.age_rating), tuple(options)
    )


@dataclass(frozen=True)
class Payment:
    method: str = PaymentMethod.CARD.value
    card: Card | None = None
    cash_tendered_cents: int | None = None


@dataclass(frozen=True)
class Sale:
    """One checkout, online (holder = the moviegoer) or at the counter (holder = the staff member)."""

    showtime_id: int
    holder_id: int
    channel: str
    idempotency_key: str
    payment: Payment
    chosen_types: dict[int, int] = field(default_factory=dict)
    promo_code: str = ""
    customer_email: str | None = None
    ip: str | None = None


def _existing(session: Session, sale: Sale, key: str) -> Booking | None:
    return booking_of_key(session, sale.channel, sale.holder_id, key)


def booking_of_key(session: Session, channel: str, holder_id: int, key: str) -> Booking | None:
    """The booking that ``holder_id``'s checkout ``key`` made on ``channel`` (online: the
    moviegoer; at the counter: the staff member who sold it), if it made one."""
    owner = Booking.user_id if channel == SalesChannel.ONLINE else Booking.sold_by
    return session.exec(select(Booking).where(owner == holder_id, Booking.idempotency_key == key)).first()


@dataclass(frozen=True)
class SaleOutcome:
    booking: Booking
    created: bool  # False: the key's booking already existed (a retry, or a parallel twin that won)


def complete_sale(
    session: Session,
    store: HoldStore,
    provider: PaymentProvider,
    sale: Sale,
    *,
    policy: SellingPolicy | None = None,
    now: datetime | None = None,
) -> Booking:
    """Turn the holder's live holds into one paid booking. Idempotent per ``idempotency_key``."""
    return sell(session, store, provider, sale, policy=policy, now=now).booking


def sell(
    session: Session,
    store: HoldStore,
    provider: PaymentProvider,
    sale: Sale,
    *,
    policy: SellingPolicy | None = None,
    now: datetime | None = None,
) -> SaleOutcome:
    """``complete_sale``, also saying whether this call made the booking or found the key's."""
    policy, now = policy or selling_policy(), now or utcnow()
    key = (sale.idempotency_key or "")[:64]
    if not key:
        raise DomainError("Missing checkout reference; reload the page.")
    if sale.channel not in tuple(SalesChannel):
        raise DomainError("Unknown sales channel.")
    if (done := _existing(session, sale, key)) is not None:
        return SaleOutcome(done, created=False)
    showtime = bookable_showtime(session, sale.showtime_id, now)
    movie = session.get(Movie, showtime.movie_id)
    held = store.held_by(sale.showtime_id, sale.holder_id)
    if not held:
        # A twin request with the same key may have sold these holds since we looked above
        # (read committed: this query sees its booking once committed).
        if (done := _existing(session, sale, key)) is not None:
            return SaleOutcome(done, created=False)
        raise HoldLost("Your seats are no longer held (the hold expired or was lost). Please pick them again.")
    online = sale.channel == SalesChannel.ONLINE
    email = (sale.customer_email or "").strip().lower() or None
    customer = promotions.customer_key(user_id=sale.holder_id if online else None, email=email)
    choices, _ = _choices(session, showtime, movie, held, sale.chosen_types)
    facts = _order_facts(showtime, len(choices), customer, now, policy)
    promotion = (
        promotions.applicable(session, sale.promo_code, facts) if promotions.normalise_code(sale.promo_code) else None
    )
    order = price_order(
        showtime.base_price_cents,
        choices,
        discount=promotions.discount_of(promotion),
        fee_per_ticket_cents=policy.fee_for(sale.channel),
    )
    authorization = _take_payment(provider, sale.payment, order.total_cents, policy.currency, key)
    booking = Booking(
        user_id=sale.holder_id if online else None,
        sold_by=None if online else sale.holder_id,
        channel=sale.channel,
        payment_method=sale.payment.method,
        cash_tendered_cents=sale.payment.cash_tendered_cents if sale.payment.method == PaymentMethod.CASH else None,
        customer_email=None if online else email,
        showtime_id=sale.showtime_id,
        code=new_booking_code(),
        total_cents=order.total_cents,
        fee_cents=order.fee_cents,
        discount_cents=order.discount_cents,
        promotion_id=promotion.id if promotion else None,
        seat_count=len(order.lines),
        idempotency_key=key,
    )
    committing = False
    try:
        session.add(booking)
        session.flush()
        if promotion is not None:
            promotions.redeem(session, promotion, booking_id=booking.id, order=facts)
        # Seats are inserted in one global order (row, then column), so two buyers waiting on
        # each other's uncommitted seats can never deadlock.
        session.add_all(
            BookingSeat(
                booking_id=booking.id,
                showtime_id=sale.showtime_id,
                seat_id=line.seat_id,
                ticket_type_id=line.ticket_type_id,
                ticket_type_name=line.ticket_type_name,
                unit_price_cents=line.unit_cents,
                discount_cents=line.discount_cents,
                fee_cents=line.fee_cents,
                price_cents=line.price_cents,
            )
            for line in order.lines
        )
        session.flush()
        notifications.booking_confirmed(session, booking)  # the ticket by email, in this transaction
        webhooks.booking_confirmed(session, booking)  # and booking.confirmed to the endpoints that want it
        audit.record(
            session,
            "booking.create",
            actor_id=sale.holder_id,
            entity_type="booking",
            entity_id=booking.id,
            new={
                "code": booking.code,
                "channel": sale.channel,
                "payment": sale.payment.method,
                "seats": [f"{line.label} {line.ticket_type_name}" for line in order.lines],
                "discount_cents": order.discount_cents,
                "fee_cents": order.fee_cents,
                "total_cents": order.total_cents,
                **({"promotion": promotion.code} if promotion else {}),
            },
            ip=sale.ip,
        )
        committing = True
        session.commit()
    except promotions.PromotionRefused:
        session.rollback()
        _void(provider, authorization)
        raise
    except sa.exc.IntegrityError as error:
        session.rollback()
        _void(provider, authorization)
        if (done := _existing(session, sale, key)) is not None:  # a double click won the race
            return SaleOutcome(done, created=False)
        if "uq_booking_seats_active_seat" in str(error.orig):
            store.release(sale.showtime_id, sale.holder_id, [line.seat_id for line in order.lines])
            raise Conflict(
                "One of your seats was sold to someone else a moment ago. Nothing was charged; "
                "please pick your seats again."
            ) from error
        raise
    except Exception:
        # An outage mid-sale (the database restarting, say). Before the commit nothing was
        # booked, so the payment is voided. During it the outcome is unknown: the
        # authorization is left to lapse uncaptured, and a retry with the same key finds the
        # booking if it was made.
        if not committing:
            _void(provider, authorization)
        raise
    if authorization:
        provider.capture(authorization)
    store.release(sale.showtime_id, sale.holder_id, [line.seat_id for line in order.lines])  # held → sold
    return SaleOutcome(booking, created=True)


def _take_payment(provider: PaymentProvider, payment: Payment, total: int, currency: str, key: str) -> str | None:
    if payment.method == PaymentMethod.CASH:
        tendered = payment.cash_tendered_cents
        if tendered is None or tendered < total:
            raise DomainError("The cash taken must cover the total.")
        return None
    if payment.method != PaymentMethod.CARD or payment.card is None:
        raise DomainError("Choose how the customer pays.")
    if total == 0:
        return None  # nothing to charge: a free ticket needs no card authorisation
    return provider.authorize(total, currency, payment.card, reference=key)


def _void(provider: PaymentProvider, authorization: str | None) -> None:
    if authorization:
        provider.void(authorization)


def change_due(total_cents: int, tendered_cents: int) -> int:
    """The change a cashier hands back (never negative; a short payment is refused at sale)."""
    return max(0, tendered_cents - total_cents)
