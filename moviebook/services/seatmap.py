"""A showtime's seat map: every seat of the room with its type, price and whether it is sold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlmodel import Session, col, select

from moviebook.models import Auditorium, BookingSeat, Movie, Seat, SeatType, Showtime
from moviebook.services.errors import DomainError, NotFound

# How seat types are listed when their prices are equal: the usual seat first.
_TYPE_ORDER = tuple(SeatType)


class ShowtimeUnavailable(DomainError):
    """The showtime exists but can no longer be booked (cancelled, or already started)."""


@dataclass(frozen=True)
class ShowtimeOverview:
    id: int
    movie_id: int
    movie_title: str
    poster_path: str | None
    age_rating: str
    runtime_minutes: int
    starts_at: datetime
    auditorium_name: str
    format: str
    language: str
    subtitles: str | None
    base_price_cents: int


@dataclass(frozen=True)
class SeatInfo:
    id: int
    row_label: str
    number: int
    seat_type: str
    x: int
    y: int
    price_cents: int | None  # None for a blocked seat: it is never sold
    is_booked: bool


@dataclass(frozen=True)
class SeatMap:
    showtime: ShowtimeOverview
    seats: tuple[SeatInfo, ...]

    @property
    def width(self) -> int:
        return max((s.x for s in self.seats), default=-1) + 1

    @property
    def height(self) -> int:
        return max((s.y for s in self.seats), default=-1) + 1

    def prices_by_type(self) -> dict[str, int]:
        """The price of each sellable seat type in this room, cheapest first."""
        prices = {s.seat_type: s.price_cents for s in self.seats if s.price_cents is not None}
        return dict(sorted(prices.items(), key=lambda item: (item[1], _TYPE_ORDER.index(item[0]))))


def seat_price_cents(base_price_cents: int, price_modifier_cents: int) -> int:
    """Base plus the seat type's modifier; a discount never makes a ticket cost less than 0."""
    return max(0, base_price_cents + price_modifier_cents)


def _overview(session: Session, showtime_id: int) -> tuple[Showtime, ShowtimeOverview]:
    row = session.exec(
        select(Showtime, Movie, Auditorium.name)
        .join(Movie, Movie.id == Showtime.movie_id)
        .join(Auditorium, Auditorium.id == Showtime.auditorium_id)
        .where(Showtime.id == showtime_id)
    ).first()
    if row is None or row[1].deleted_at is not None:
        raise NotFound("We could not find that showtime.")
    showtime, movie, auditorium_name = row
    return showtime, ShowtimeOverview(
        id=showtime.id,
        movie_id=movie.id,
        movie_title=movie.title,
        poster_path=movie.poster_path,
        age_rating=movie.age_rating,
        runtime_minutes=movie.runtime_minutes,
        starts_at=showtime.starts_at,
        auditorium_name=auditorium_name,
        format=showtime.format,
        language=showtime.language,
        subtitles=showtime.subtitles,
        base_price_cents=showtime.base_price_cents,
    )


def showtime_seat_map(session: Session, showtime_id: int, now: datetime | None = None) -> SeatMap:
    showtime, overview = _overview(session, showtime_id)
    if showtime.is_cancelled:
        raise ShowtimeUnavailable("This showtime has been cancelled.")
    if showtime.starts_at <= (now or datetime.now(timezone.utc)):
        raise ShowtimeUnavailable("This showtime has already started, so it can no longer be booked.")
    booked = set(
        session.exec(
            select(BookingSeat.seat_id).where(
                BookingSeat.showtime_id == showtime_id, col(BookingSeat.is_active).is_(True)
            )
        )
    )
    seats = session.exec(
        select(Seat).where(Seat.auditorium_id == showtime.auditorium_id).order_by(Seat.y, Seat.x)
    ).all()
    return SeatMap(
        showtime=overview,
        seats=tuple(
            SeatInfo(
                id=seat.id,
                row_label=seat.row_label,
                number=seat.number,
                seat_type=seat.seat_type,
                x=seat.x,
                y=seat.y,
                price_cents=None
                if seat.seat_type == SeatType.BLOCKED
                else seat_price_cents(showtime.base_price_cents, seat.price_modifier_cents),
                is_booked=seat.id in booked,
            )
            for seat in seats
        ),
    )
