from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from moviebook.models import Booking, BookingSeat, Seat, SeatType, User
from moviebook.services.errors import NotFound
from moviebook.services.seatmap import ShowtimeUnavailable, seat_price_cents, showtime_seat_map
from tests.factories import make_auditorium, make_movie, make_showtime

NOW = datetime(2030, 4, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def showtime(session):
    room = make_auditorium(session, rows=2, seats_per_row=3)
    seats = {(s.row_label, s.number): s for s in session.exec(select(Seat).where(Seat.auditorium_id == room.id))}
    seats[("B", 1)].seat_type, seats[("B", 1)].price_modifier_cents = SeatType.PREMIUM, 300
    seats[("B", 3)].seat_type = SeatType.BLOCKED
    movie = make_movie(session, "Map Film", poster_path="/posters/x.jpg")
    showtime = make_showtime(session, movie, room, NOW + timedelta(hours=10), base_price_cents=1000, format="IMAX")
    session.commit()
    return showtime, seats


def book(session, showtime, seat, active=True):
    user = User(name="B", email=f"b{seat.id}-{int(active)}@example.com", password_hash="x")
    session.add(user)
    session.flush()
    booking = Booking(
        user_id=user.id,
        showtime_id=showtime.id,
        code=f"C{seat.id}{int(active)}",
        total_cents=1000,
        idempotency_key=f"k{seat.id}{active}",
        status="confirmed" if active else "cancelled",
    )
    session.add(booking)
    session.flush()
    session.add(
        BookingSeat(
            booking_id=booking.id,
            showtime_id=showtime.id,
            seat_id=seat.id,
            unit_price_cents=1000,
            price_cents=1000,
            is_active=active,
        )
    )
    session.commit()


def test_the_map_has_every_seat_with_its_price_and_position(session, showtime):
    st, seats = showtime
    seat_map = showtime_seat_map(session, st.id, now=NOW)
    assert (seat_map.width, seat_map.height) == (3, 2)
    by_place = {(s.row_label, s.number): s for s in seat_map.seats}
    assert by_place[("A", 1)].price_cents == 1000
    assert by_place[("B", 1)].price_cents == 1300
    assert by_place[("B", 3)].price_cents is None  # blocked seats are never sold
    assert seat_map.prices_by_type() == {"regular": 1000, "premium": 1300}
    assert seat_map.showtime.movie_title == "Map Film" and seat_map.showtime.format == "IMAX"


def test_only_active_bookings_mark_a_seat_booked(session, showtime):
    st, seats = showtime
    book(session, st, seats[("A", 2)])
    book(session, st, seats[("A", 3)], active=False)  # cancelled: free again
    booked = {(s.row_label, s.number) for s in showtime_seat_map(session, st.id, now=NOW).seats if s.is_booked}
    assert booked == {("A", 2)}


def test_cancelled_past_and_unknown_showtimes_have_no_map(session, showtime):
    st, _ = showtime
    with pytest.raises(ShowtimeUnavailable, match="already started"):
        showtime_seat_map(session, st.id, now=st.starts_at)
    st.is_cancelled = True
    session.commit()
    with pytest.raises(ShowtimeUnavailable, match="cancelled"):
        showtime_seat_map(session, st.id, now=NOW)
    with pytest.raises(NotFound):
        showtime_seat_map(session, 987654, now=NOW)


def test_a_discount_never_makes_a_negative_price():
    assert seat_price_cents(1000, -300) == 700
    assert seat_price_cents(200, -300) == 0
