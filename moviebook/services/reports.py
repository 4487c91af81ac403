"""Box-office reports: revenue, occupancy, popularity, cancellations and seat heat maps.

Every figure is a SQL aggregate over bookings and their seats, never a Python loop over rows.
Reports cover the showtimes that *play* in a range of cinema-local days (the performance
date), so every table of one report covers the same shows and their totals reconcile. The
dashboard's "sold today" tiles are the exception: they count sales by the moment of sale.

Definitions, kept in one place so screen, CSV and tests agree:
- revenue: ``total_cents`` of bookings that are not cancelled (confirmed or completed);
- refunds: ``refund_cents`` of cancelled bookings, shown beside revenue, never netted into it;
- tickets: active booking seats (a cancelled booking's seats are inactive);
- capacity: a room's seats that can be sold (not blocked), per showtime that is not cancelled;
- the sales mix (by ticket type, by channel, by promotion code) splits the same revenue: a
  seat's share is what it sold for after the promotion's discount (``price_cents``) plus its
  booking fee, so each of those tables adds up to the revenue above. Discounts and fees are
  those of bookings that are not cancelled (a cancelled booking gives its code back). Fees a
  customer's own cancellation kept (REFUND_BOOKING_FEE off) are shown beside, as "fees kept",
  and like refunds are never added to revenue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from moviebook.models import (
    Auditorium,
    Booking,
    BookingSeat,
    BookingStatus,
    Movie,
    Promotion,
    SalesChannel,
    Seat,
    SeatType,
    Showtime,
    User,
)
from moviebook.services.clock import local_day_bounds, local_today
from moviebook.services.local_time import local_date, local_hour

CANCELLED = BookingStatus.CANCELLED.value


@dataclass(frozen=True)
class ReportRange:
    """Showtimes playing on cinema-local days ``start``..``end`` (inclusive), optionally narrowed."""

    start: date
    end: date
    tz: ZoneInfo
    movie_id: int | None = None
    auditorium_id: int | None = None

    @property
    def utc_bounds(self) -> tuple[datetime, datetime]:
        return local_day_bounds(self.start, self.tz)[0], local_day_bounds(self.end, self.tz)[1]

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


@dataclass(frozen=True)
class Figures:
    """What was sold and refunded for one group of showtimes."""

    tickets: int = 0
    bookings: int = 0
    revenue_cents: int = 0
    cancelled_bookings: int = 0
    refunds_cents: int = 0


def in_range(query, rng: ReportRange):
    lo, hi = rng.utc_bounds
    query = query.where(Showtime.starts_at >= lo, Showtime.starts_at < hi)
    if rng.movie_id is not None:
        query = query.where(Showtime.movie_id == rng.movie_id)
    if rng.auditorium_id is not None:
        query = query.where(Showtime.auditorium_id == rng.auditorium_id)
    return query


def _figures(session: Session, rng: ReportRange, *keys) -> dict[tuple, Figures]:
    """Money and tickets grouped by ``keys`` (SQL expressions over Showtime), in one statement.

    Bookings are first totalled per showtime; tickets are their ``seat_count`` (a booking's seats
    are only ever switched off all together, when it is cancelled), so the million seat rows are
    not read. Only then are the (few thousand) showtime totals grouped by day, film or room, so
    the local-time conversion runs once per show, not once per ticket.
    """
    shows = in_range(select(Showtime.id), rng)
    live = Booking.status != CANCELLED
    money = (
        select(
            Booking.showtime_id.label("showtime_id"),
            func.sum(Booking.seat_count).filter(live).label("tickets"),
            func.count().filter(live).label("bookings"),
            func.sum(Booking.total_cents).filter(live).label("revenue"),
            func.count().filter(~live).label("cancelled"),
            func.sum(Booking.refund_cents).filter(~live).label("refunds"),
        )
        .where(col(Booking.showtime_id).in_(shows))
        .group_by(Booking.showtime_id)
        .subquery()
    )
    total = lambda column: func.coalesce(func.sum(column), 0)  # noqa: E731
    query = in_range(
        select(
            *keys,
            total(money.c.tickets),
            total(money.c.bookings),
            total(money.c.revenue),
            total(money.c.cancelled),
            total(money.c.refunds),
        )
        .select_from(Showtime)
        .join(money, money.c.showtime_id == Showtime.id, isouter=True),
        rng,
    ).group_by(*keys)
    n = len(keys)
    # connection().execute gives rows even with no key columns (session.exec would give scalars).
    return {tuple(row[:n]): Figures(*(int(v) for v in row[n:])) for row in session.connection().execute(query)}


def _capacity_per_room():
    """Sellable seats per room, as a subquery to join showtimes to."""
    return (
        select(Seat.auditorium_id.label("auditorium_id"), func.count().label("capacity"))
        .where(Seat.seat_type != SeatType.BLOCKED.value)
        .group_by(Seat.auditorium_id)
        .subquery()
    )


def _capacity(session: Session, rng: ReportRange, *keys) -> dict[tuple, tuple[int, int]]:
    """(showtimes, seats on sale) per group, counting only showtimes that were not cancelled."""
    rooms = _capacity_per_room()
    query = in_range(
        select(*keys, func.count(), func.coalesce(func.sum(rooms.c.capacity), 0))
        .select_from(Showtime)
        .join(rooms, rooms.c.auditorium_id == Showtime.auditorium_id, isouter=True)
        .where(col(Showtime.is_cancelled).is_(False)),
        rng,
    ).group_by(*keys)
    n = len(keys)
    return {tuple(row[:n]): (int(row[n]), int(row[n + 1])) for row in session.connection().execute(query)}


def _names(session: Session, id_column, name_column, ids) -> dict[int, str]:
    ids = list(ids)
    if not ids:
        return {}
    return {i: name for i, name in session.exec(select(id_column, name_column).where(col(id_column).in_(ids)))}


def occupancy_pct(tickets: int, capacity: int) -> float:
    return round(100.0 * tickets / capacity, 1) if capacity else 0.0


@dataclass(frozen=True)
class Totals:
    figures: Figures
    showtimes: int
    capacity: int

    @property
    def occupancy(self) -> float:
        return occupancy_pct(self.figures.tickets, self.capacity)


def totals(session: Session, rng: ReportRange) -> Totals:
    """The whole range in one line: what a report's headline figures say."""
    shows, seats = _capacity(session, rng).get((), (0, 0))
    return Totals(_figures(session, rng).get((), Figures()), shows, seats)


# --- revenue ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayRow:
    day: date
    figures: Figures


def revenue_by_day(session: Session, rng: ReportRange) -> list[DayRow]:
    """Every day of the range, in order, days without shows included (as zeros)."""
    lo, hi = rng.utc_bounds
    day = local_date(session, Showtime.starts_at, rng.tz, lo, hi)
    found = {key[0]: figures for key, figures in _figures(session, rng, day).items()}
    return [DayRow(d, found.get(d, Figures())) for d in rng.days()]


@dataclass(frozen=True)
class GroupRow:
    """One film's or one room's figures."""

    id: int
    name: str
    figures: Figures


def _revenue_by(session: Session, rng: ReportRange, key, id_column, name_column) -> list[GroupRow]:
    found = _figures(session, rng, key)
    names = _names(session, id_column, name_column, (k[0] for k in found))
    rows = [GroupRow(k[0], names.get(k[0], "?"), figures) for k, figures in found.items()]
    return sorted(rows, key=lambda r: (-r.figures.revenue_cents, r.name))


def revenue_by_movie(session: Session, rng: ReportRange) -> list[GroupRow]:
    return _revenue_by(session, rng, Showtime.movie_id, Movie.id, Movie.title)


def revenue_by_auditorium(session: Session, rng: ReportRange) -> list[GroupRow]:
    return _revenue_by(session, rng, Showtime.auditorium_id, Auditorium.id, Auditorium.name)


# --- sales mix: ticket types, channels, promotion codes ------------------------------------


def _shows(rng: ReportRange):
    return in_range(select(Showtime.id), rng)


@dataclass(frozen=True)
class TicketTypeRow:
    """One ticket type, by the name it was sold under."""

    name: str
    tickets: int
    sales_cents: int  # what the seats sold for, after discount, without fees
    discount_cents: int
    fee_cents: int
    cancelled_tickets: int

    @property
    def revenue_cents(self) -> int:
        return self.sales_cents + self.fee_cents


def sales_by_ticket_type(session: Session, rng: ReportRange) -> list[TicketTypeRow]:
    """Tickets and money per ticket type, most tickets first. A booking's seats are switched
    off together when it is cancelled, so active seats are exactly the live bookings' seats."""
    active = col(BookingSeat.is_active).is_(True)
    total = lambda column: func.coalesce(func.sum(column).filter(active), 0)  # noqa: E731
    query = (
        select(
            BookingSeat.ticket_type_name,
            func.count().filter(active),
            total(BookingSeat.price_cents),
            total(BookingSeat.discount_cents),
            total(BookingSeat.fee_cents),
            func.count().filter(~active),
        )
        .where(col(BookingSeat.showtime_id).in_(_shows(rng)))
        .group_by(BookingSeat.ticket_type_name)
    )
    rows = [TicketTypeRow(name, *(int(v) for v in rest)) for name, *rest in session.exec(query)]
    return sorted(rows, key=lambda r: (-r.tickets, r.name))


@dataclass(frozen=True)
class ChannelRow:
    channel: str  # "online" or "counter"
    figures: Figures
    discount_cents: int
    fee_cents: int
    fees_kept_cents: int  # kept on cancelled bookings (not refunded), never part of revenue

    @property
    def label(self) -> str:
        return {SalesChannel.ONLINE.value: "Online", SalesChannel.COUNTER.value: "Counter"}.get(
            self.channel, self.channel.title()
        )


def sales_by_channel(session: Session, rng: ReportRange) -> list[ChannelRow]:
    """Online and counter sales side by side (both always listed, in that order)."""
    live = Booking.status != CANCELLED
    total = lambda column, where: func.coalesce(func.sum(column).filter(where), 0)  # noqa: E731
    query = (
        select(
            Booking.channel,
            total(Booking.seat_count, live),
            func.count().filter(live),
            total(Booking.total_cents, live),
            func.count().filter(~live),
            total(Booking.refund_cents, ~live),
            total(Booking.discount_cents, live),
            total(Booking.fee_cents, live),
            total(Booking.total_cents - Booking.refund_cents, ~live),
        )
        .where(col(Booking.showtime_id).in_(_shows(rng)))
        .group_by(Booking.channel)
    )
    found = {
        channel: ChannelRow(channel, Figures(*(int(v) for v in rest[:5])), *(int(v) for v in rest[5:]))
        for channel, *rest in session.exec(query)
    }
    order = [c.value for c in SalesChannel]
    return [found.get(c, ChannelRow(c, Figures(), 0, 0, 0)) for c in order] + [
        row for c, row in sorted(found.items()) if c not in order
    ]


@dataclass(frozen=True)
class PromotionRow:
    code: str
    bookings: int
    tickets: int
    discount_cents: int
    revenue_cents: int  # what those bookings paid, after the discount, fees included


def discounts_by_promotion(session: Session, rng: ReportRange) -> list[PromotionRow]:
    """What each code took off, on bookings that are not cancelled; the biggest discount first."""
    query = (
        select(
            Promotion.code,
            func.count(),
            func.coalesce(func.sum(Booking.seat_count), 0),
            func.coalesce(func.sum(Booking.discount_cents), 0),
            func.coalesce(func.sum(Booking.total_cents), 0),
        )
        .select_from(Booking)
        .join(Promotion, Promotion.id == Booking.promotion_id)
        .where(col(Booking.showtime_id).in_(_shows(rng)), Booking.status != CANCELLED)
        .group_by(Promotion.code)
    )
    rows = [PromotionRow(code, *(int(v) for v in rest)) for code, *rest in session.exec(query)]
    return sorted(rows, key=lambda r: (-r.discount_cents, r.code))


# --- occupancy -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShowtimeRow:
    showtime_id: int
    starts_at: datetime
    title: str
    room: str
    is_cancelled: bool
    capacity: int
    figures: Figures

    @property
    def occupancy(self) -> float:
        return occupancy_pct(self.figures.tickets, self.capacity)


def occupancy_by_showtime(session: Session, rng: ReportRange) -> list[ShowtimeRow]:
    """Each showtime of the range, in start order: seats on sale, sold, and the money."""
    rooms = _capacity_per_room()
    shows = session.exec(
        in_range(
            select(
                Showtime.id,
                Showtime.starts_at,
                Movie.title,
                Auditorium.name,
                Showtime.is_cancelled,
                func.coalesce(rooms.c.capacity, 0),
            )
            .join(Movie, Movie.id == Showtime.movie_id)
            .join(Auditorium, Auditorium.id == Showtime.auditorium_id)
            .join(rooms, rooms.c.auditorium_id == Showtime.auditorium_id, isouter=True),
            rng,
        ).order_by(Showtime.starts_at, Auditorium.name)
    ).all()
    found = _figures(session, rng, Showtime.id)
    return [
        ShowtimeRow(
            sid, starts, title, room, bool(cancelled), 0 if cancelled else int(capacity), found.get((sid,), Figures())
        )
        for sid, starts, title, room, cancelled, capacity in shows
    ]


@dataclass(frozen=True)
class HourRow:
    hour: int
    showtimes: int
    capacity: int
    tickets: int

    @property
    def occupancy(self) -> float:
        return occupancy_pct(self.tickets, self.capacity)


def occupancy_by_hour(session: Session, rng: ReportRange) -> list[HourRow]:
    """Occupancy by the local hour a showtime starts: are the evening shows fuller?"""
    lo, hi = rng.utc_bounds
    hour = local_hour(session, Showtime.starts_at, rng.tz, lo, hi)
    capacity = _capacity(session, rng, hour)
    sold = _figures(session, rng, hour)
    # Hours with only cancelled shows have nothing on sale: no row.
    return [
        HourRow(int(key[0]), shows, seats, sold.get(key, Figures()).tickets)
        for key, (shows, seats) in sorted(capacity.items())
    ]


# --- popularity ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PopularRow:
    movie_id: int
    title: str
    showtimes: int
    capacity: int
    figures: Figures
    rank_by_tickets: int
    rank_by_occupancy: int

    @property
    def occupancy(self) -> float:
        return occupancy_pct(self.figures.tickets, self.capacity)


def popular_movies(session: Session, rng: ReportRange) -> list[PopularRow]:
    """Films ranked by tickets sold (the list order) and, alongside, by how full their shows were."""
    capacity = _capacity(session, rng, Showtime.movie_id)
    sold = _figures(session, rng, Showtime.movie_id)
    ids = sorted({k[0] for k in capacity} | {k[0] for k in sold})
    titles = _names(session, Movie.id, Movie.title, ids)
    base = [(i, titles.get(i, "?"), *capacity.get((i,), (0, 0)), sold.get((i,), Figures())) for i in ids]
    by_tickets = sorted(base, key=lambda r: (-r[4].tickets, r[1]))
    by_occupancy = sorted(base, key=lambda r: (-occupancy_pct(r[4].tickets, r[3]), r[1]))
    occupancy_rank = {r[0]: n for n, r in enumerate(by_occupancy, start=1)}
    return [
        PopularRow(i, title, shows, seats, figures, n, occupancy_rank[i])
        for n, (i, title, shows, seats, figures) in enumerate(by_tickets, start=1)
    ]


# --- cancellations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CancellationRow:
    code: str
    customer_email: str
    title: str
    starts_at: datetime
    cancelled_at: datetime | None
    reason: str
    tickets: int
    refund_cents: int


def cancellations(session: Session, rng: ReportRange) -> list[CancellationRow]:
    """Cancelled bookings of the range's showtimes, newest cancellation first, with their refunds."""
    query = in_range(
        select(
            Booking.code,
            func.coalesce(User.email, Booking.customer_email, "Counter sale"),
            Movie.title,
            Showtime.starts_at,
            Booking.cancelled_at,
            func.coalesce(Booking.cancel_reason, ""),
            Booking.seat_count,
            Booking.refund_cents,
        )
        .select_from(Booking)
        .join(Showtime, Showtime.id == Booking.showtime_id)
        .join(Movie, Movie.id == Showtime.movie_id)
        .join(User, User.id == Booking.user_id, isouter=True)  # a counter sale may have no account
        .where(Booking.status == CANCELLED),
        rng,
    ).order_by(col(Booking.cancelled_at).desc(), Booking.code)
    return [
        CancellationRow(code, email, title, starts, cancelled, reason, int(n), int(refund))
        for code, email, title, starts, cancelled, reason, n, refund in session.exec(query)
    ]


# --- seat heat map ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatSeat:
    seat_id: int
    row_label: str
    number: int
    x: int
    y: int
    seat_type: str
    sold: int


@dataclass(frozen=True)
class Heatmap:
    auditorium_id: int
    name: str
    showtimes: int
    seats: tuple[HeatSeat, ...]

    @property
    def max_sold(self) -> int:
        return max((s.sold for s in self.seats), default=0)


def seat_heatmap(session: Session, rng: ReportRange, auditorium_id: int) -> Heatmap:
    """How many times each seat of a room was sold over the range's showtimes in that room."""
    room_range = ReportRange(rng.start, rng.end, rng.tz, rng.movie_id, auditorium_id)
    sold_shows = in_range(select(Showtime.id), room_range).subquery()
    counts = (
        select(BookingSeat.seat_id.label("seat_id"), func.count().label("sold"))
        .where(col(BookingSeat.is_active).is_(True), col(BookingSeat.showtime_id).in_(select(sold_shows.c.id)))
        .group_by(BookingSeat.seat_id)
        .subquery()
    )
    rows = session.exec(
        select(Seat.id, Seat.row_label, Seat.number, Seat.x, Seat.y, Seat.seat_type, func.coalesce(counts.c.sold, 0))
        .join(counts, counts.c.seat_id == Seat.id, isouter=True)
        .where(Seat.auditorium_id == auditorium_id)
        .order_by(Seat.y, Seat.x)
    ).all()
    shows = session.exec(
        in_range(select(func.count()).select_from(Showtime), room_range).where(col(Showtime.is_cancelled).is_(False))
    ).one()
    room = session.get(Auditorium, auditorium_id)
    return Heatmap(
        auditorium_id,
        room.name if room else "?",
        int(shows),
        tuple(HeatSeat(i, r, n, x, y, t, int(s)) for i, r, n, x, y, t, s in rows),
    )


# --- dashboard -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SalesWindow:
    label: str
    tickets: int
    revenue_cents: int


def sales_summary(session: Session, now: datetime, tz: ZoneInfo) -> list[SalesWindow]:
    """Tickets and revenue *sold* (by the moment of sale) today and over the last 7 and 30 days.

    A window of N days is today and the N-1 local days before it. Bookings cancelled since
    do not count: the money went back. One pass over the last 30 days answers all windows.
    """
    today = local_today(tz, now)
    windows = (("Today", 1), ("Last 7 days", 7), ("Last 30 days", 30))
    starts = [local_day_bounds(today - timedelta(days=days - 1), tz)[0] for _, days in windows]
    hi = local_day_bounds(today, tz)[1]
    sold = (Booking.created_at >= min(starts), Booking.created_at < hi, Booking.status != CANCELLED)
    # seat_count on the booking: no join to 30 days of seat rows (see migration 0005).
    figures = (
        session.connection()
        .execute(
            select(
                *[
                    func.coalesce(func.sum(column).filter(Booking.created_at >= lo), 0)
                    for lo in starts
                    for column in (Booking.seat_count, Booking.total_cents)
                ]
            ).where(*sold)
        )
        .one()
    )
    return [SalesWindow(label, int(figures[2 * i]), int(figures[2 * i + 1])) for i, (label, _) in enumerate(windows)]
