"""Small builders for test data, so each test states only what matters to it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlmodel import Session, select

from moviebook.models import Auditorium, Booking, BookingSeat, Genre, Movie, MovieGenre, Seat, Showtime, User, utcnow
from moviebook.services.layouts import LayoutSpec, generate_layout
from moviebook.services.tickets import new_booking_code


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


def make_auditorium(session: Session, name: str = "Room", rows: int = 2, seats_per_row: int = 3) -> Auditorium:
    room = Auditorium(name=name)
    session.add(room)
    session.flush()
    for spec in generate_layout(LayoutSpec(rows=rows, seats_per_row=seats_per_row)):
        session.add(Seat(auditorium_id=room.id, **spec.__dict__))
    session.flush()
    return room


def make_showtime(session: Session, movie: Movie, room: Auditorium, starts_at: datetime, **fields) -> Showtime:
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


def make_user(session: Session, email: str, *, name: str = "", role: str = "user") -> User:
    """A user row without the password hashing cost; for tests that never log in."""
    user = User(name=name or email.split("@")[0].title(), email=email, password_hash="not-a-hash", role=role)
    session.add(user)
    session.flush()
    return user


def make_booking(
    session: Session,
    user: User,
    showtime: Showtime,
    seats: dict[str, int],
    *,
    status: str = "confirmed",
    created_at: datetime | None = None,
) -> Booking:
    """A booking of the given seats ({"A1": price_cents}) written directly, as confirm would leave it.

    A cancelled booking gets a full refund and inactive seats, as cancelling leaves it.
    """
    cancelled = status == "cancelled"
    total = sum(seats.values())
    booking = Booking(
        user_id=user.id,
        showtime_id=showtime.id,
        status=status,
        code=new_booking_code(),
        total_cents=total,
        seat_count=len(seats),
        refund_cents=total if cancelled else 0,
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
    for label, price in seats.items():
        session.add(
            BookingSeat(
                booking_id=booking.id,
                showtime_id=showtime.id,
                seat_id=room_seats[label].id,
                price_cents=price,
                is_active=not cancelled,
            )
        )
    session.flush()
    return booking
