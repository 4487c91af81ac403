"""The schema itself guards the rules that matter most, whatever the Python above it does."""

import threading
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from moviebook.models import Booking, BookingSeat, Seat, Showtime, User
from tests.factories import make_auditorium, make_movie, make_showtime, make_user

T0 = datetime(2030, 6, 1, 18, 0, tzinfo=timezone.utc)


@pytest.fixture
def showtime_and_seat(pg_session: Session):
    room = make_auditorium(pg_session)
    showtime = make_showtime(pg_session, make_movie(pg_session), room, T0)
    seat = pg_session.exec(select(Seat).where(Seat.auditorium_id == room.id)).first()
    users = [make_user(pg_session, f"u{i}@example.com", name=f"U{i}") for i in range(20)]
    pg_session.commit()
    return showtime, seat, users


def _book(session: Session, user: User, showtime: Showtime, seat: Seat, key: str) -> Booking:
    booking = Booking(user_id=user.id, showtime_id=showtime.id, code=key[:12], total_cents=1000, idempotency_key=key)
    session.add(booking)
    session.flush()
    session.add(
        BookingSeat(
            booking_id=booking.id, showtime_id=showtime.id, seat_id=seat.id, unit_price_cents=1000, price_cents=1000
        )
    )
    session.flush()
    return booking


def test_a_seat_cannot_be_in_two_active_bookings(pg_session, showtime_and_seat):
    showtime, seat, users = showtime_and_seat
    _book(pg_session, users[0], showtime, seat, "first")
    pg_session.commit()
    with pytest.raises(sa.exc.IntegrityError, match="uq_booking_seats_active_seat"):
        _book(pg_session, users[1], showtime, seat, "second")
    pg_session.rollback()


def test_a_cancelled_booking_frees_its_seat(pg_session, showtime_and_seat):
    showtime, seat, users = showtime_and_seat
    first = _book(pg_session, users[0], showtime, seat, "first")
    for row in pg_session.exec(select(BookingSeat).where(BookingSeat.booking_id == first.id)):
        row.is_active = False
    first.status = "cancelled"
    pg_session.commit()
    _book(pg_session, users[1], showtime, seat, "second")
    pg_session.commit()
    active = pg_session.exec(select(BookingSeat).where(BookingSeat.seat_id == seat.id, BookingSeat.is_active)).all()
    assert len(active) == 1


def test_concurrent_buyers_of_one_seat_leave_exactly_one_booking(pg_only_engine, showtime_and_seat):
    showtime, seat, users = showtime_and_seat
    barrier = threading.Barrier(len(users))
    outcomes: list[str] = []

    def buy(user: User) -> None:
        with Session(pg_only_engine) as session:
            barrier.wait()  # everyone inserts at the same moment
            try:
                _book(session, user, showtime, seat, f"key-{user.id}")
                session.commit()
                outcomes.append("sold")
            except sa.exc.IntegrityError:
                session.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=buy, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused"] * (len(users) - 1) + ["sold"]
    with Session(pg_only_engine) as session:
        rows = session.exec(select(BookingSeat).where(BookingSeat.seat_id == seat.id)).all()
        assert len(rows) == 1


def test_the_same_idempotency_key_cannot_make_two_bookings(pg_session, showtime_and_seat):
    showtime, seat, users = showtime_and_seat
    pg_session.add(
        Booking(user_id=users[0].id, showtime_id=showtime.id, code="AAA", total_cents=0, idempotency_key="k")
    )
    pg_session.commit()
    pg_session.add(
        Booking(user_id=users[0].id, showtime_id=showtime.id, code="BBB", total_cents=0, idempotency_key="k")
    )
    with pytest.raises(sa.exc.IntegrityError, match="uq_bookings_idempotency"):
        pg_session.commit()
    pg_session.rollback()


@pytest.mark.parametrize(
    "statement, constraint",
    [
        ("UPDATE showtimes SET ends_at = starts_at", "ck_showtimes_ends_after_start"),
        ("UPDATE showtimes SET format = '4DX'", "ck_showtimes_format"),
        ("UPDATE showtimes SET base_price_cents = -1", "ck_showtimes_price"),
        ("UPDATE users SET role = 'superuser'", "ck_users_role"),
        ("UPDATE users SET email = 'Mixed@Example.com'", "ck_users_email_lower"),
        ("UPDATE seats SET seat_type = 'sofa'", "ck_seats_type"),
        ("UPDATE movies SET age_rating = 'R'", "ck_movies_age_rating"),
        ("UPDATE movies SET runtime_minutes = 0", "ck_movies_runtime"),
    ],
)
def test_check_constraints_refuse_bad_values(pg_session, showtime_and_seat, statement, constraint):
    with pytest.raises(sa.exc.IntegrityError, match=constraint):
        pg_session.exec(sa.text(statement))
    pg_session.rollback()


def test_two_seats_cannot_share_a_place_or_a_number(pg_session, showtime_and_seat):
    _, seat, _ = showtime_and_seat
    pg_session.add(Seat(auditorium_id=seat.auditorium_id, row_label=seat.row_label, number=99, x=seat.x, y=seat.y))
    with pytest.raises(sa.exc.IntegrityError, match="uq_seats_position"):
        pg_session.commit()
    pg_session.rollback()
    pg_session.add(Seat(auditorium_id=seat.auditorium_id, row_label=seat.row_label, number=seat.number, x=50, y=50))
    with pytest.raises(sa.exc.IntegrityError, match="uq_seats_row_number"):
        pg_session.commit()
    pg_session.rollback()


def test_naive_datetimes_are_refused_before_they_reach_the_database(pg_session, showtime_and_seat):
    showtime, _, _ = showtime_and_seat
    showtime.starts_at = datetime(2030, 6, 1, 18, 0)  # no time zone
    with pytest.raises(sa.exc.StatementError, match="naive datetime"):
        pg_session.commit()
    pg_session.rollback()


def test_times_come_back_as_aware_utc(pg_session, showtime_and_seat):
    showtime, _, _ = showtime_and_seat
    pg_session.expire_all()
    loaded = pg_session.get(Showtime, showtime.id)
    assert loaded.starts_at == T0 and loaded.starts_at.utcoffset() == timedelta(0)
