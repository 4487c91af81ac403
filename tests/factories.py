"""The one set of builders for test data, so each test states only what matters to it.

Every builder adds rows to the session it is given and flushes (ids are known), but never
commits: the test decides when its rows become visible to others (e2e tests commit to the
app's database, ``app_db``).

Time: a showtime a test makes for the future is put on a cinema-local day a few days ahead at
a fixed local wall-clock time (``local_time_ahead``), never at "now plus some hours", so the
same test sees the same programme whatever the hour it runs at, across midnight and DST.
"""

from __future__ import annotations

import time as _time
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from moviebook.config import Settings
from moviebook.models import (
    Auditorium,
    Booking,
    BookingSeat,
    Genre,
    Movie,
    MovieGenre,
    Promotion,
    Seat,
    Showtime,
    TicketType,
    User,
    utcnow,
)
from moviebook.services.clock import at_local, local_day_bounds, local_today
from moviebook.services.layouts import LayoutSpec, generate_layout
from moviebook.services.passwords import hash_password
from moviebook.services.seeding import SeedReport, ensure_ticket_types
from moviebook.services.tickets import new_booking_code
from moviebook.services.tokens import Identity

# --- names and times ---------------------------------------------------------------------------


def tag() -> str:
    """A short random tag for names that must be unique in a shared database (e2e)."""
    return uuid.uuid4().hex[:6]


def cinema_tz() -> ZoneInfo:
    """The cinema's time zone, as the app under test reads it (CINEMA_TIMEZONE)."""
    return Settings().timezone


def local_day_ahead(days: int, tz: ZoneInfo | None = None) -> date:
    """The cinema-local calendar day ``days`` days after today."""
    return local_today(tz or cinema_tz()) + timedelta(days=days)


def local_time_ahead(days: int, hour: int = 18, minute: int = 0, tz: ZoneInfo | None = None) -> datetime:
    """The UTC instant of a fixed local wall-clock time ``days`` cinema-local days ahead.

    With days ≥ 2 it is always more than a day away, whatever the hour now, and the day is
    still on the 7-day date strip if the suite crosses midnight before a page is opened.
    """
    tz = tz or cinema_tz()
    return at_local(local_day_ahead(days, tz), hour, minute, tz)


def started_minutes_ago(minutes: int = 5) -> datetime:
    """For a show that must be running right now (the door, "today's" dashboard)."""
    return utcnow() - timedelta(minutes=minutes)


def wait_until_clear_of_local_midnight(seconds: float = 120, tz: ZoneInfo | None = None) -> None:
    """For a test about "today": when the cinema-local day ends within ``seconds``, wait until the
    next one has begun, so "today" cannot change between arranging the rows and asserting."""
    tz = tz or cinema_tz()
    now = utcnow()
    _, midnight = local_day_bounds(local_today(tz, now), tz)
    left = (midnight - now).total_seconds()
    if left < seconds:
        _time.sleep(left + 1)


# --- people ------------------------------------------------------------------------------------


def make_user(
    session: Session,
    email: str | None = None,
    *,
    name: str = "",
    role: str = "user",
    password: str | None = None,
    **fields,
) -> User:
    """A user row. Without ``password`` the hash is a placeholder (no hashing cost), for tests that
    never log in; with one it is a real argon2 hash, so the user can log in through the app.
    Without ``email`` a unique one is made from the name."""
    name = name or (email.split("@")[0].title() if email else "Test User")
    email = email or f"{name.lower().replace(' ', '-')}-{tag()}@example.com"
    user = User(
        name=name,
        email=email.lower(),
        password_hash=hash_password(password) if password else "not-a-hash",
        role=role,
        **fields,
    )
    session.add(user)
    session.flush()
    return user


def identity_for(user: User, session_id: str = "test") -> Identity:
    """The caller as the server would know it after resolving ``user``'s session."""
    return Identity(user_id=user.id, name=user.name, role=user.role, session_id=session_id)


# --- catalogue, rooms, showtimes ---------------------------------------------------------------


def make_movie(
    session: Session, title: str = "Test Film", *, genres: tuple[str, ...] = (), runtime: int = 100, **fields
) -> Movie:
    movie = Movie(title=title, runtime_minutes=runtime, age_rating=fields.pop("age_rating", "PG"), **fields)
    session.add(movie)
    session.flush()
    for name in genres:
        genre = session.exec(select(Genre).where(Genre.name == name)).one_or_none() or Genre(name=name)
        session.add(genre)
        session.flush()
        session.add(MovieGenre(movie_id=movie.id, genre_id=genre.id))
    session.flush()
    return movie


def make_auditorium(
    session: Session, name: str = "Room", rows: int = 2, seats_per_row: int = 3, aisles_after: tuple[int, ...] = ()
) -> Auditorium:
    """A room of ``rows`` × ``seats_per_row`` standard seats, rows A, B, … from the front, with an
    aisle after each seat number of ``aisles_after``."""
    room = Auditorium(name=name)
    session.add(room)
    session.flush()
    for spec in generate_layout(LayoutSpec(rows=rows, seats_per_row=seats_per_row, aisles_after=aisles_after)):
        session.add(Seat(auditorium_id=room.id, **spec.__dict__))
    session.flush()
    return room


def make_showtime(session: Session, movie: Movie, room: Auditorium, starts_at: datetime, **fields) -> Showtime:
    """A showtime of ``movie`` in ``room``, ending after the runtime plus 15 minutes' cleaning."""
    showtime = Showtime(
        movie_id=movie.id,
        auditorium_id=room.id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=movie.runtime_minutes + 15),
        base_price_cents=fields.pop("base_price_cents", 1000),
        **fields,
    )
    session.add(showtime)
    session.flush()
    return showtime


def make_showtime_ahead(
    session: Session,
    movie: Movie | None = None,
    room: Auditorium | None = None,
    *,
    days: int = 2,
    hour: int = 18,
    minute: int = 0,
    **fields,
) -> Showtime:
    """A showtime at a fixed local time ``days`` cinema-local days ahead (18:00 in two days by
    default), with a film and a room made for it unless given."""
    name = tag()
    movie = movie or make_movie(session, f"Film {name}")
    room = room or make_auditorium(session, f"Room {name}")
    return make_showtime(session, movie, room, local_time_ahead(days, hour, minute), **fields)


# --- selling ---------------------------------------------------------------------------------


def make_ticket_types(session: Session) -> dict[str, TicketType]:
    """The cinema's four default ticket types (Adult, Child under 15, Senior, Student), by name."""
    ensure_ticket_types(session, SeedReport())
    return {t.name: t for t in session.exec(select(TicketType))}


def make_promotion(session: Session, code: str | None = None, **fields) -> Promotion:
    """A live code, 10% off by default, valid from yesterday for thirty days."""
    now = utcnow()
    promotion = Promotion(
        code=code or f"CODE{tag()}".upper()[:32],
        kind=fields.pop("kind", "percent"),
        value=fields.pop("value", 1000),
        valid_from=fields.pop("valid_from", now - timedelta(days=1)),
        valid_to=fields.pop("valid_to", now + timedelta(days=30)),
        **fields,
    )
    session.add(promotion)
    session.flush()
    return promotion


# --- bookings ----------------------------------------------------------------------------------


def make_booking(
    session: Session,
    user: User | None,
    showtime: Showtime,
    seats: dict[str, int | tuple[str, int, int]],
    *,
    status: str = "confirmed",
    created_at: datetime | None = None,
    channel: str = "online",
    sold_by: User | None = None,
    customer_email: str | None = None,
    promotion: Promotion | None = None,
    fee_per_seat: int = 0,
    keep_fee: bool = False,
) -> Booking:
    """A booking of the given seats written directly, as a sale would leave it.

    ``seats`` maps a label to its price (an Adult ticket, nothing off) or to
    ``(ticket type name, unit price, discount)``. Each seat that still costs something carries
    ``fee_per_seat``. A counter sale (``channel="counter"``) needs ``sold_by`` and may have no
    ``user``. A cancelled booking is refunded in full (less the fee when ``keep_fee``) and its
    seats are inactive, as cancelling leaves it.
    """
    cancelled = status == "cancelled"
    lines = {label: (value if isinstance(value, tuple) else ("Adult", value, 0)) for label, value in seats.items()}
    fees = {label: fee_per_seat if unit - off > 0 else 0 for label, (_, unit, off) in lines.items()}
    discount, fee = sum(off for _, _, off in lines.values()), sum(fees.values())
    total = sum(unit - off for _, unit, off in lines.values()) + fee
    booking = Booking(
        user_id=user.id if user else None,
        sold_by=sold_by.id if sold_by else None,
        channel=channel,
        customer_email=customer_email,
        showtime_id=showtime.id,
        status=status,
        code=new_booking_code(),
        total_cents=total,
        fee_cents=fee,
        discount_cents=discount,
        promotion_id=promotion.id if promotion else None,
        seat_count=len(seats),
        refund_cents=(total - (fee if keep_fee else 0)) if cancelled else 0,
        idempotency_key=uuid.uuid4().hex,
        cancelled_at=(created_at or utcnow()) + timedelta(hours=1) if cancelled else None,
        cancel_reason="Cancelled by you." if cancelled else None,
        **({"created_at": created_at} if created_at else {}),
    )
    session.add(booking)
    session.flush()
    room_seats = {
        f"{s.row_label}{s.number}": s
        for s in session.exec(select(Seat).where(Seat.auditorium_id == showtime.auditorium_id))
    }
    for label, (kind, unit, off) in lines.items():
        session.add(
            BookingSeat(
                booking_id=booking.id,
                showtime_id=showtime.id,
                seat_id=room_seats[label].id,
                ticket_type_name=kind,
                unit_price_cents=unit,
                discount_cents=off,
                fee_cents=fees[label],
                price_cents=unit - off,
                is_active=not cancelled,
            )
        )
    session.flush()
    return booking
