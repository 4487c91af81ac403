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
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

import redis
import sqlalchemy as sa
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, select

from moviebook.config import get_settings
from moviebook.models import (
    AuditEntry,
    Auditorium,
    Booking,
    BookingSeat,
    Movie,
    OutboxMessage,
    PaymentMethod,
    SalesChannel,
    Seat,
    Showtime,
    TicketType,
    User,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    utcnow,
)
from moviebook.models.base import row_values
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
    return _options_of(ticket_types(session) if types is None else types, age_rating)


def _options_of(types: list[TicketType], age_rating: str) -> list[TicketOption]:
    return [TicketOption(t.id, t.name, t.door_note, age_refusal(t.name, t.max_age, age_rating)) for t in types]


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
    return _still_bookable(session.get(Showtime, showtime_id), now)


def _still_bookable(showtime: Showtime | None, now: datetime) -> Showtime:
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
    """Each held seat with its ticket type, and the film's ticket options (see ``_choose``)."""
    on_sale = ticket_types(session)  # one query: the options below are worked out from it
    seats = session.exec(select(Seat).where(col(Seat.id).in_(seat_ids)).order_by(Seat.y, Seat.x)).all()
    return _choose(on_sale, list(seats), movie, chosen_types, strict=strict)


def _choose(
    on_sale: list[TicketType] | list[_TypeRow],
    seats: list[Seat] | list[_SeatRow],
    movie: Movie,
    chosen_types: dict[int, int],
    *,
    strict: bool = True,
) -> tuple[list[SeatChoice], list[TicketOption]]:
    """Each seat (in the room's order) with its ticket type, and the film's ticket options, from
    the types on sale; refuses a type the film's rating forbids. Not ``strict`` (a quote), a
    choice that cannot be sold falls back to the default type."""
    options = _options_of(on_sale, movie.age_rating)
    if not strict:
        allowed = {o.id for o in options if o.refusal is None}
        chosen_types = {seat: kind for seat, kind in chosen_types.items() if kind in allowed}
    types = {t.id: t for t in on_sale}
    fallback = default_ticket_type(options)
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


def _owner(channel: str):
    """Whose checkout a booking was: the moviegoer's online, the staff member's at the counter."""
    return Booking.user_id if channel == SalesChannel.ONLINE else Booking.sold_by


def _existing(session: Session, sale: Sale, key: str) -> Booking | None:
    return booking_of_key(session, sale.channel, sale.holder_id, key)


def booking_of_key(session: Session, channel: str, holder_id: int, key: str) -> Booking | None:
    """The booking that ``holder_id``'s checkout ``key`` made on ``channel`` (online: the
    moviegoer; at the counter: the staff member who sold it), if it made one."""
    return session.exec(select(Booking).where(_owner(channel) == holder_id, Booking.idempotency_key == key)).first()


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


# --- what a sale reads, in one statement ------------------------------------------------------


class _TypeRow(NamedTuple):
    """A ticket type as a sale reads it (the fields ``_choose`` uses)."""

    id: int
    name: str
    rule: str
    value: int
    max_age: int | None
    door_note: str
    sort_order: int


class _SeatRow(NamedTuple):
    """A held seat as a sale reads it."""

    id: int
    row_label: str
    number: int
    seat_type: str
    price_modifier_cents: int
    x: int
    y: int


@dataclass(frozen=True)
class _SaleFacts:
    existing_id: int | None  # the key's booking, when this is a retry
    showtime: Showtime | None
    movie: Movie | None
    room_name: str | None
    holder_email: str | None  # the account's email (online sales)
    ticket_types: list[_TypeRow]  # on sale, in their order
    seats: list[_SeatRow]  # the held seats, in the room's order (row, then column)
    endpoints: list[tuple[int, list[str]]]  # active webhook endpoints: (id, events)


def _json_rows(dialect: str, model, fields: tuple[str, ...], *where, events: bool = False):
    """A scalar subquery: the rows of ``model`` matching ``where``, as a JSON list of objects."""
    table = model.__table__
    pairs = []
    for name in fields:
        column = table.c[name]
        if events and name == "events" and dialect == "sqlite":
            column = sa.func.json(column)  # stored as text there: nest it as JSON, not as a string
        pairs += [sa.literal_column(f"'{name}'"), column]
    if dialect == "postgresql":
        rows = sa.func.coalesce(sa.func.json_agg(sa.func.json_build_object(*pairs)), sa.literal_column("'[]'::json"))
    else:
        rows = sa.func.json_group_array(sa.func.json_object(*pairs))
    return sa.select(sa.type_coerce(rows, sa.JSON)).select_from(table).where(*where).scalar_subquery()


@lru_cache(maxsize=8)
def _read_statement(dialect: str, online: bool):
    """The sale's one SELECT, built once per dialect and channel (parameters: showtime_id,
    holder_id, key, held)."""
    holder, key = sa.bindparam("holder_id", type_=sa.Integer), sa.bindparam("key", type_=sa.String)
    owner = _owner(SalesChannel.ONLINE.value if online else SalesChannel.COUNTER.value)
    existing = select(Booking.id).where(owner == holder, Booking.idempotency_key == key).scalar_subquery()
    email = select(User.email).where(User.id == holder).scalar_subquery() if online else sa.null()
    showtime_id = sa.bindparam("showtime_id", type_=sa.Integer)
    held = sa.bindparam("held", expanding=True, type_=sa.Integer)
    one = select(sa.literal(1).label("one")).subquery("one")
    return (
        select(
            existing.label("existing_id"),
            Showtime,
            Movie,
            Auditorium.name,
            email.label("email"),
            _json_rows(dialect, TicketType, _TypeRow._fields, col(TicketType.is_active).is_(True)).label("types"),
            _json_rows(dialect, Seat, _SeatRow._fields, col(Seat.id).in_(held)).label("seats"),
            _json_rows(
                dialect, WebhookEndpoint, ("id", "events"), col(WebhookEndpoint.is_active).is_(True), events=True
            ).label("endpoints"),
        )
        .select_from(one)
        .outerjoin(Showtime, Showtime.id == showtime_id)
        .outerjoin(Movie, Movie.id == Showtime.movie_id)
        .outerjoin(Auditorium, Auditorium.id == Showtime.auditorium_id)
    )


def _read_sale(session: Session, sale: Sale, key: str, held: list[int]) -> _SaleFacts:
    """Everything a sale needs to know, in one round trip: the key's booking (a retry), the
    showtime with its film and room, the buyer's email, the ticket types on sale, the held
    seats and the webhook endpoints. It only reads: a read-only database refuses the sale later,
    at the write, where the card's authorization is given back."""
    statement = _read_statement(session.get_bind().dialect.name, sale.channel == SalesChannel.ONLINE)
    row = session.execute(
        statement, {"showtime_id": sale.showtime_id, "holder_id": sale.holder_id, "key": key, "held": held or [-1]}
    ).one()
    types = sorted((_TypeRow(**t) for t in row.types), key=lambda t: (t.sort_order, t.id))
    seats = sorted((_SeatRow(**s) for s in row.seats), key=lambda s: (s.y, s.x))
    return _SaleFacts(
        existing_id=row.existing_id,
        showtime=row.Showtime,
        movie=row.Movie,
        room_name=row.name,
        holder_email=row.email,
        ticket_types=types,
        seats=seats,
        endpoints=[(e["id"], list(e["events"] or [])) for e in row.endpoints],
    )


# --- what a sale writes, in one statement on PostgreSQL ------------------------------------

_NEXT_BOOKING_ID = sa.select(sa.func.nextval(sa.func.pg_get_serial_sequence("bookings", "id")))


def _next_booking_id(session: Session) -> int | None:
    """The new booking's id, drawn from its sequence first so that every row can name it in the
    one INSERT (PostgreSQL). None on SQLite, which has no sequences: the insert gives it there."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    return session.connection().execute(_NEXT_BOOKING_ID).scalar_one()


def _column_values(row) -> dict:
    table = type(row).__table__
    return {c.name: getattr(row, c.key) for c in table.columns if not (c.primary_key and getattr(row, c.key) is None)}


def _insert_rows(table: sa.Table, n: int, columns: tuple[str, ...]):
    """INSERT ``n`` rows into ``table``, the values as parameters ``{table}_{row}_{column}``.
    Several rows go in as one INSERT ... SELECT ... UNION ALL SELECT ..., in the order given
    (SQLAlchemy cannot cache a multi-row VALUES; this it can)."""

    def param(i: int, name: str):
        return sa.bindparam(f"{table.name}_{i}_{name}", type_=table.c[name].type)

    if n == 1:
        return sa.insert(table).values({name: param(0, name) for name in columns})
    rows = [sa.select(*(sa.cast(param(i, name), table.c[name].type) for name in columns)) for i in range(n)]
    return sa.insert(table).from_select(list(columns), sa.union_all(*rows), include_defaults=False)


@lru_cache(maxsize=64)
def _insert_statement(shape: tuple[tuple[sa.Table, int, tuple[str, ...]], ...]):
    """One INSERT of ``shape`` (per table: how many rows, which columns): an INSERT per table,
    the first ones as data-modifying CTEs of the last (PostgreSQL). Built once per shape."""
    inserts = [_insert_rows(table, n, columns) for table, n, columns in shape]
    statement = inserts[-1]
    for n, insert in enumerate(inserts[:-1]):
        statement = statement.add_cte(insert.cte(f"write_{n}"))
    return statement


def _insert_together(session: Session, rows: list[tuple[sa.Table, dict]]) -> None:
    """INSERT every (table, values) row in one statement; rows keep their order within a table."""
    by_table: dict[sa.Table, list[dict]] = {}
    for table, values in rows:
        by_table.setdefault(table, []).append(values)
    shape = tuple((table, len(values), tuple(values[0])) for table, values in by_table.items())
    params = {
        f"{table.name}_{i}_{name}": value
        for table, values in by_table.items()
        for i, row in enumerate(values)
        for name, value in row.items()
    }
    session.connection().execute(_insert_statement(shape), params)  # Core: no ORM rows to load


def _insert_each(session: Session, rows: list[tuple[sa.Table, dict]]) -> None:
    """The same rows, an INSERT per table (SQLite has no data-modifying CTEs)."""
    by_table: dict[sa.Table, list[dict]] = {}
    for table, values in rows:
        by_table.setdefault(table, []).append(values)
    for table, values in by_table.items():
        session.execute(sa.insert(table), values)


def _sale_rows(sale: Sale, booking: Booking, order: PricedOrder, facts: _SaleFacts, promotion) -> list:
    """The rows a sale adds besides its booking: the seats as sold, the ticket mail (an intent,
    rendered when sent), booking.confirmed for the webhook endpoints that want it, the audit entry."""
    seats, outbox, deliveries = BookingSeat.__table__, OutboxMessage.__table__, WebhookDelivery.__table__
    rows: list[tuple[sa.Table, dict]] = [
        (
            seats,
            row_values(
                BookingSeat,
                booking_id=booking.id,
                showtime_id=sale.showtime_id,
                seat_id=line.seat_id,
                ticket_type_id=line.ticket_type_id,
                ticket_type_name=line.ticket_type_name,
                unit_price_cents=line.unit_cents,
                discount_cents=line.discount_cents,
                fee_cents=line.fee_cents,
                price_cents=line.price_cents,
            ),
        )
        # Seats go in one global order (row, then column), so two buyers waiting on each
        # other's uncommitted seats can never deadlock.
        for line in order.lines
    ]
    to = facts.holder_email if sale.channel == SalesChannel.ONLINE else booking.customer_email
    if to:  # a counter sale without an email: the printed ticket is the ticket
        rows.append((outbox, notifications.ticket_intent(booking, to, facts.movie.title)))
    event = WebhookEvent.BOOKING_CONFIRMED.value
    if subscribers := webhooks.wanted_by(facts.endpoints, event):
        data = {
            "booking": webhooks.booking_payload(booking, [line.label for line in order.lines]),
            "showtime": webhooks.showtime_payload(facts.showtime, facts.movie.title, facts.room_name),
        }
        key = webhooks.booking_confirmed_key(booking.id)
        sent_at = utcnow()  # as webhooks.enqueue stamps an event
        rows += [(deliveries, webhooks.delivery_values(e, event, key, data, sent_at)) for e in subscribers]
    rows.append(
        (
            AuditEntry.__table__,
            audit.entry_values(
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
            ),
        )
    )
    return rows


def sell(
    session: Session,
    store: HoldStore,
    provider: PaymentProvider,
    sale: Sale,
    *,
    policy: SellingPolicy | None = None,
    now: datetime | None = None,
) -> SaleOutcome:
    """``complete_sale``, also saying whether this call made the booking or found the key's.

    Round trips, without a promotion code: Redis once to read the holds, one SELECT
    (``_read_sale``), after the card's authorization the new id from the bookings sequence and
    one INSERT of every row (PostgreSQL; SQLite takes an INSERT per table), the commit, Redis
    once to release the holds. A code adds its checks and its redemption.
    """
    policy, now = policy or selling_policy(), now or utcnow()
    key = (sale.idempotency_key or "")[:64]
    if not key:
        raise DomainError("Missing checkout reference; reload the page.")
    if sale.channel not in tuple(SalesChannel):
        raise DomainError("Unknown sales channel.")
    # The holds first, then the database: a twin request with the same key that sold these
    # holds and released them before we looked has committed, so the read below sees its booking.
    try:
        held = store.held_by(sale.showtime_id, sale.holder_id)
    except redis.RedisError:
        # Redis is down: a retry of a sale that went through still gets its booking.
        if (done := _existing(session, sale, key)) is not None:
            return SaleOutcome(done, created=False)
        raise
    facts = _read_sale(session, sale, key, held)
    if facts.existing_id is not None:
        return SaleOutcome(session.get(Booking, facts.existing_id), created=False)
    showtime = _still_bookable(facts.showtime, now)
    movie = facts.movie
    if not held:
        raise HoldLost("Your seats are no longer held (the hold expired or was lost). Please pick them again.")
    online = sale.channel == SalesChannel.ONLINE
    email = (sale.customer_email or "").strip().lower() or None
    customer = promotions.customer_key(user_id=sale.holder_id if online else None, email=email)
    choices, _ = _choose(facts.ticket_types, facts.seats, movie, sale.chosen_types)
    order_facts = _order_facts(showtime, len(choices), customer, now, policy)
    promotion = (
        promotions.applicable(session, sale.promo_code, order_facts)
        if promotions.normalise_code(sale.promo_code)
        else None
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
        booking.id = _next_booking_id(session)
        if booking.id is None:  # no sequence to draw the id from (SQLite): the insert gives it
            session.add(booking)
            session.flush()
            _insert_each(session, _sale_rows(sale, booking, order, facts, promotion))
        else:
            booking_row = (Booking.__table__, _column_values(booking))
            _insert_together(session, [booking_row, *_sale_rows(sale, booking, order, facts, promotion)])
        if promotion is not None:
            promotions.redeem(session, promotion, booking_id=booking.id, order=order_facts)
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
    if booking not in session:  # written by one INSERT: the session learns of it as it is, loaded
        make_transient_to_detached(booking)
        session.add(booking)
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
