"""The demo cinema the run command seeds, on SQLite and PostgreSQL."""

import itertools
from collections import Counter
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import func, select

from moviebook.models import (
    AuditEntry,
    Auditorium,
    Genre,
    Movie,
    MovieGenre,
    Promotion,
    Role,
    Seat,
    Showtime,
    TicketType,
    User,
)
from moviebook.services.errors import DomainError
from moviebook.services.passwords import verify_password
from moviebook.services.seeding import seed_demo

TZ = ZoneInfo("Europe/London")
NOW = datetime(2030, 3, 12, 9, 0, tzinfo=timezone.utc)


def seed(session, **kwargs):
    report = seed_demo(session, tz=TZ, cleaning_buffer_minutes=15, now=NOW, **kwargs)
    session.commit()
    return report


def count(session, model):
    return session.exec(select(func.count()).select_from(model)).one()


def test_seed_creates_three_differently_shaped_rooms(session):
    seed(session)
    seats = session.exec(select(Auditorium.name, Seat.seat_type).join(Seat, Seat.auditorium_id == Auditorium.id)).all()
    per_room = Counter(name for name, _ in seats)
    assert sorted(per_room.values()) == [48, 96, 216]  # 6×8, 8×12, 12×18
    types = {name: Counter(t for n, t in seats if n == name) for name in per_room}
    grand = next(name for name in types if "Grand" in name)
    studio = next(name for name in types if "Studio" in name)
    assert types[grand]["premium"] == 36 and types[grand]["wheelchair"] == 2 and types[grand]["companion"] == 2
    assert types[studio]["couple"] == 8


def test_seed_schedules_seven_days_without_overlaps(session):
    report = seed(session)
    assert report.movies == 12 and report.auditoriums == 3
    showtimes = session.exec(select(Showtime).order_by(Showtime.auditorium_id, Showtime.starts_at)).all()
    assert len(showtimes) == report.showtimes > 7 * 3 * 3
    local_days = {s.starts_at.astimezone(TZ).date() for s in showtimes}
    assert len(local_days) == 7 and min(local_days) == NOW.astimezone(TZ).date()
    for earlier, later in itertools.pairwise(showtimes):
        if earlier.auditorium_id == later.auditorium_id:
            assert later.starts_at >= earlier.ends_at, f"{earlier.id} overlaps {later.id}"
    local_starts = {s.starts_at.astimezone(TZ).time() for s in showtimes}
    assert min(local_starts) >= time(11, 0) and max(local_starts) <= time(23, 0)  # sensible cinema hours
    assert {s.format for s in showtimes} == {"2D", "3D", "IMAX"}
    assert len({s.movie_id for s in showtimes}) == 12  # every film gets shown


def test_friday_and_saturday_nights_run_to_about_eleven(session):
    """Late shows on Friday and Saturday (22:45 and 23:00 starts); other nights end by 22:00."""
    seed(session)
    rows = session.exec(
        select(Showtime, Auditorium.name).join(Auditorium, Auditorium.id == Showtime.auditorium_id)
    ).all()
    by_night: dict = {}
    for showtime, room in rows:
        by_night.setdefault(showtime.starts_at.astimezone(TZ).date(), []).append((showtime, room))
    weekdays = {day.weekday() for day in by_night}
    assert {4, 5} <= weekdays and len(weekdays) == 7, "the seeded week has a Friday, a Saturday and five more"
    family = {
        movie_id
        for movie_id, name in session.exec(
            select(MovieGenre.movie_id, Genre.name).join(Genre, Genre.id == MovieGenre.genre_id)
        )
        if name == "Family"
    }
    for day, shows in by_night.items():
        last_start = max(s.starts_at.astimezone(TZ).time() for s, _ in shows)
        per_room = Counter(room for _, room in shows)
        assert len(per_room) == 3 and min(per_room.values()) >= 3, (day, per_room)  # late nights are not thinner
        if day.weekday() in (4, 5):
            assert time(22, 45) <= last_start <= time(23, 0), (day, last_start)
            late = [(s, room) for s, room in shows if s.starts_at.astimezone(TZ).time() >= time(22, 45)]
            assert sorted(room for _, room in late) == ["Screen 1", "Screen 3 · Studio"]
            assert all(s.movie_id not in family for s, _ in late), "no family film at 23:00"
            assert all(s.base_price_cents in (1150, 1350, 1650) for s, _ in late)  # evening prices
        else:
            assert last_start <= time(22, 0), (day, last_start)


def test_late_shows_follow_the_local_clock_across_a_dst_change(session):
    """The week of the clocks going forward (Sunday 31 March 2030): Friday and Saturday's late
    shows start at 22:45 and 23:00 local time all the same, and nothing overlaps."""
    spring = datetime(2030, 3, 26, 9, 0, tzinfo=timezone.utc)  # Tuesday; the week takes in Sunday 31st
    seed_demo(session, tz=TZ, cleaning_buffer_minutes=15, now=spring)
    session.commit()
    showtimes = session.exec(select(Showtime).order_by(Showtime.auditorium_id, Showtime.starts_at)).all()
    for earlier, later in itertools.pairwise(showtimes):
        if earlier.auditorium_id == later.auditorium_id:
            assert later.starts_at >= earlier.ends_at, f"{earlier.id} overlaps {later.id}"
    late = sorted(
        s.starts_at.astimezone(TZ).strftime("%a %H:%M")
        for s in showtimes
        if s.starts_at.astimezone(TZ).time() > time(22, 0)
    )
    assert late == ["Fri 22:45", "Fri 23:00", "Sat 22:45", "Sat 23:00"]


def test_seed_is_idempotent_and_extends_the_programme_day_by_day(session):
    first = seed(session)
    counts = {m: count(session, m) for m in (Auditorium, Seat, Movie, Showtime, User)}
    again = seed(session)
    assert (again.auditoriums, again.movies, again.showtimes) == (0, 0, 0)
    assert {m: count(session, m) for m in counts} == counts
    later = seed_demo(session, tz=TZ, cleaning_buffer_minutes=15, now=NOW + timedelta(days=1))
    session.commit()
    assert 0 < later.showtimes < first.showtimes  # only the newly visible seventh day


def test_first_admin_gets_a_generated_password_shown_once(session):
    report = seed(session)
    admin = session.exec(select(User).where(User.role == Role.ADMIN.value)).one()
    assert report.admin_email == admin.email == "admin@moviebook.local"
    assert report.generated_password and verify_password(report.generated_password, admin.password_hash)
    assert report.generated_password not in admin.password_hash
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "user.create_admin")).one()
    assert seed(session).generated_password is None  # never again


def test_first_admin_from_the_environment(session):
    report = seed(session, admin_email="  Boss@Cinema.Example ", admin_password="correct horse battery")
    admin = session.exec(select(User).where(User.role == Role.ADMIN.value)).one()
    assert admin.email == "boss@cinema.example"
    assert report.generated_password is None
    assert verify_password("correct horse battery", admin.password_hash)


def test_without_demo_data_only_the_first_admin_is_created(session):
    report = seed(session, demo=False, admin_password="a proper password")
    assert (report.auditoriums, report.movies, report.showtimes) == (0, 0, 0)
    assert [count(session, m) for m in (Auditorium, Movie, Showtime, User)] == [0, 0, 0, 1]


def test_a_weak_or_malformed_first_admin_is_refused_like_at_sign_up(session):
    with pytest.raises(DomainError, match="at least 8"):
        seed(session, demo=False, admin_password="short")
    session.rollback()
    with pytest.raises(DomainError):
        seed(session, demo=False, admin_email="not an email", admin_password="a proper password")
    session.rollback()
    assert session.exec(select(User)).first() is None


def test_the_demo_sells_four_ticket_types_a_live_code_and_a_distributor_share_per_film(session):
    report = seed(session)
    types = session.exec(select(TicketType).order_by(TicketType.sort_order)).all()
    assert [t.name for t in types] == ["Adult", "Child", "Senior", "Student"]
    assert all(t.is_active for t in types)
    [code] = session.exec(select(Promotion)).all()
    assert report.promo_code == code.code == "WELCOME10"  # the run command prints it
    assert (code.kind, code.value, code.max_per_customer) == ("percent", 1000, 1)
    assert code.valid_from <= NOW < code.valid_to
    shares = session.exec(select(Movie.rental_percent_bp)).all()
    assert len(shares) == 12 and set(shares) <= {3500, 4000, 4500}
    # Seeding again adds no second code and still names the live one.
    again = seed(session)
    assert again.promo_code == "WELCOME10" and count(session, Promotion) == 1
