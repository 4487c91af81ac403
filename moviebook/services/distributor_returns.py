"""Distributor returns: what the cinema owes each film's distributor for one film week.

A film week runs seven cinema-local days from the configured weekday (FILM_WEEK_STARTS,
Thursday by default), and covers the showtimes that *play* in it, like every other report
(``reports.ReportRange``): a ticket sold on Monday for Friday's show is in Friday's week.

Per film, from SQL aggregates grouped by film (bookings totalled per showtime first):
- admissions: tickets of bookings that are not cancelled (refunded tickets are not admissions);
- gross box office: what those tickets sold for after any promotion discount, *without* the
  online booking fee, which is the cinema's (``total_cents - fee_cents`` of those bookings);
- net box office: the gross without VAT at VAT_RATE_BP (``pricing.net_of_vat``, half up);
- rental: the film's ``rental_percent_bp`` (the distributor's share);
- due: ``net × rental_bp / 10000``, rounded half up to the cent.

Each film's figures are rounded on that film's week, as the distributor's own statement is;
the totals line adds up the rows, so it is what is actually paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from moviebook.models import Booking, BookingStatus, Movie, Role, Showtime
from moviebook.services.clock import local_today
from moviebook.services.pricing import net_of_vat
from moviebook.services.reports import ReportRange, in_range
from moviebook.services.roles import require_role
from moviebook.services.tokens import Identity

CANCELLED = BookingStatus.CANCELLED.value


def film_week_start(day: date, starts_weekday: int) -> date:
    """The first day of the film week that ``day`` is in (``starts_weekday`` ISO: 1 Monday … 7 Sunday)."""
    if not 1 <= starts_weekday <= 7:
        raise ValueError(f"a film week starts on an ISO weekday 1..7, not {starts_weekday}")
    return day - timedelta(days=(day.isoweekday() - starts_weekday) % 7)


@dataclass(frozen=True)
class FilmWeek:
    """Seven cinema-local days from ``start``."""

    start: date
    tz: ZoneInfo

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def range(self) -> ReportRange:
        return ReportRange(self.start, self.end, self.tz)

    def previous(self) -> FilmWeek:
        return FilmWeek(self.start - timedelta(days=7), self.tz)

    def next(self) -> FilmWeek:
        return FilmWeek(self.start + timedelta(days=7), self.tz)

    @property
    def label(self) -> str:
        """'Thu 25 Jun – Wed 1 Jul 2026'"""
        day = lambda d: f"{d:%a} {d.day} {d:%b}"  # noqa: E731  (no platform-specific %-d)
        first = day(self.start) + (f" {self.start.year}" if self.start.year != self.end.year else "")
        return f"{first} – {day(self.end)} {self.end.year}"


def film_week_of(day: date, tz: ZoneInfo, starts_weekday: int) -> FilmWeek:
    return FilmWeek(film_week_start(day, starts_weekday), tz)


def current_film_week(now: datetime, tz: ZoneInfo, starts_weekday: int) -> FilmWeek:
    """The film week the cinema-local day of ``now`` is in."""
    return film_week_of(local_today(tz, now), tz, starts_weekday)


def due_cents(net_cents: int, rental_bp: int) -> int:
    """The distributor's share of a net figure, rounded half up: 1253 at 35% -> 439 (438.55)."""
    return (net_cents * rental_bp + 5000) // 10000


@dataclass(frozen=True)
class ReturnRow:
    movie_id: int
    title: str
    showtimes: int  # shows of the film in the week that were not cancelled
    admissions: int
    gross_cents: int
    net_cents: int
    rental_bp: int
    due_cents: int


@dataclass(frozen=True)
class DistributorReturn:
    week: FilmWeek
    vat_rate_bp: int
    rows: tuple[ReturnRow, ...]

    @property
    def admissions(self) -> int:
        return sum(r.admissions for r in self.rows)

    @property
    def gross_cents(self) -> int:
        return sum(r.gross_cents for r in self.rows)

    @property
    def net_cents(self) -> int:
        return sum(r.net_cents for r in self.rows)

    @property
    def due_cents(self) -> int:
        return sum(r.due_cents for r in self.rows)


def distributor_return(session: Session, week: FilmWeek, vat_rate_bp: int) -> DistributorReturn:
    """Every film that played (or sold tickets for a show) in the week, by gross, highest first."""
    rng = week.range
    live = Booking.status != CANCELLED
    per_show = (
        select(
            Booking.showtime_id.label("showtime_id"),
            func.sum(Booking.seat_count).filter(live).label("admissions"),
            func.sum(Booking.total_cents - Booking.fee_cents).filter(live).label("gross"),
        )
        .where(col(Booking.showtime_id).in_(in_range(select(Showtime.id), rng)))
        .group_by(Booking.showtime_id)
        .subquery()
    )
    total = lambda column: func.coalesce(func.sum(column), 0)  # noqa: E731
    query = in_range(
        select(
            Showtime.movie_id,
            Movie.title,
            Movie.rental_percent_bp,
            func.count().filter(col(Showtime.is_cancelled).is_(False)),
            total(per_show.c.admissions),
            total(per_show.c.gross),
        )
        .select_from(Showtime)
        .join(Movie, Movie.id == Showtime.movie_id)
        .join(per_show, per_show.c.showtime_id == Showtime.id, isouter=True),
        rng,
    ).group_by(Showtime.movie_id, Movie.title, Movie.rental_percent_bp)
    rows = []
    for movie_id, title, rental_bp, shows, admissions, gross in session.exec(query):
        shows, admissions, gross, rental_bp = int(shows), int(admissions), int(gross), int(rental_bp)
        if not shows and not admissions:
            continue  # only cancelled shows, nothing sold: nothing to return
        net = net_of_vat(gross, vat_rate_bp)
        rows.append(ReturnRow(movie_id, title, shows, admissions, gross, net, rental_bp, due_cents(net, rental_bp)))
    rows.sort(key=lambda r: (-r.gross_cents, r.title, r.movie_id))
    return DistributorReturn(week, vat_rate_bp, tuple(rows))


def load_return(session: Session, actor: Identity, week: FilmWeek, vat_rate_bp: int) -> DistributorReturn:
    """The return page's one call, for admins only."""
    require_role(actor, Role.ADMIN.value)
    return distributor_return(session, week, vat_rate_bp)
