from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from moviebook.models import AuditEntry, Booking, BookingSeat, Seat
from moviebook.services.errors import Conflict, DomainError, FormInvalid
from moviebook.services.schedule_admin import (
    CANCELLED_BY_CINEMA,
    ShowtimeForm,
    bulk_schedule,
    cancel_showtime,
    create_showtime,
    day_schedule,
    parse_price,
    parse_showtime_form,
    parse_times,
    update_showtime,
)
from tests.factories import (
    identity_for,
    make_auditorium,
    make_booking,
    make_movie,
    make_showtime,
    make_user,
    started_minutes_ago,
)

TZ = ZoneInfo("Europe/London")
NOW = datetime(2030, 3, 1, 9, 0, tzinfo=timezone.utc)
DAY = date(2030, 3, 2)


@pytest.fixture
def setup(session):
    return {
        "admin": identity_for(make_user(session, "ada@example.com", name="Ada", role="admin")),
        "room": make_auditorium(session, "Screen 9"),
        "movie": make_movie(session, "Long Film", runtime=120),
    }


def form(setup, start="19:00", day=DAY, **changes):
    return ShowtimeForm(
        **{
            "movie_id": setup["movie"].id,
            "auditorium_id": setup["room"].id,
            "day": day,
            "start": time.fromisoformat(start),
            "format": "2D",
            "base_price_cents": 1150,
            "language": "",
            "subtitles": None,
            **changes,
        }
    )


def create(session, setup, start="19:00", **kw):
    return create_showtime(
        session, setup["admin"], form(setup, start, **kw), tz=TZ, cleaning_buffer_minutes=15, now=NOW
    )


def test_parse_helpers():
    assert parse_price("11.5") == 1150 and parse_price("11,05") == 1105 and parse_price("9") == 900
    assert parse_price("-1") is None and parse_price("abc") is None
    assert parse_times("13:00, 16:30 9:05") == [time(13), time(16, 30), time(9, 5)]
    assert parse_times("25:00") is None
    with pytest.raises(FormInvalid) as caught:
        parse_showtime_form(
            {"movie_id": "x", "auditorium_id": "", "day": "tomorrow", "start": "7pm", "format": "4D", "price": "free"}
        )
    assert set(caught.value.errors) == {"movie_id", "auditorium_id", "day", "start", "format", "price"}


def test_end_is_runtime_plus_cleaning_buffer_in_local_time(session, setup):
    show = create(session, setup)
    assert show.starts_at.astimezone(TZ).strftime("%H:%M") == "19:00"
    assert show.ends_at - show.starts_at == timedelta(minutes=135)
    assert show.language == "English"


def test_an_overlap_is_refused_naming_the_clashing_showtime(session, setup):
    first = create(session, setup, "19:00")
    with pytest.raises(Conflict, match=rf"“Long Film” in Screen 9 on Sat 02 Mar 19:00–21:15 \(showtime #{first.id}\)"):
        create(session, setup, "21:00")
    assert create(session, setup, "21:15").starts_at.astimezone(TZ).hour == 21  # right after cleaning: fine


def test_a_showtime_cannot_be_scheduled_in_the_past(session, setup):
    with pytest.raises(FormInvalid, match="passed"):
        create(session, setup, "08:00", day=date(2030, 3, 1))


def test_editing_moves_a_showtime_unless_people_booked_it(session, setup):
    show = create(session, setup, "15:00")
    update_showtime(
        session,
        setup["admin"],
        show.id,
        form(setup, "16:00", base_price_cents=990),
        tz=TZ,
        cleaning_buffer_minutes=15,
        now=NOW,
    )
    assert show.starts_at.astimezone(TZ).hour == 16 and show.base_price_cents == 990
    session.add(
        Booking(user_id=setup["admin"].user_id, showtime_id=show.id, code="B1", total_cents=1, idempotency_key="k")
    )
    session.flush()
    with pytest.raises(DomainError, match="Cancel it instead"):
        update_showtime(
            session, setup["admin"], show.id, form(setup, "17:00"), tz=TZ, cleaning_buffer_minutes=15, now=NOW
        )
    update_showtime(
        session,
        setup["admin"],
        show.id,
        form(setup, "16:00", base_price_cents=1500),
        tz=TZ,
        cleaning_buffer_minutes=15,
        now=NOW,
    )  # price only: allowed
    assert show.base_price_cents == 1500


def test_cancelling_refunds_every_booking_and_frees_the_seats(session, setup):
    show = create(session, setup)
    seat = session.exec(select(Seat).where(Seat.auditorium_id == setup["room"].id)).first()
    booking = Booking(
        user_id=setup["admin"].user_id, showtime_id=show.id, code="C1", total_cents=2300, idempotency_key="k"
    )
    session.add(booking)
    session.flush()
    session.add(
        BookingSeat(
            booking_id=booking.id, showtime_id=show.id, seat_id=seat.id, unit_price_cents=2300, price_cents=2300
        )
    )
    session.flush()
    assert cancel_showtime(session, setup["admin"], show.id) == 1
    assert show.is_cancelled
    assert (booking.status, booking.refund_cents, booking.cancel_reason) == ("cancelled", 2300, CANCELLED_BY_CINEMA)
    assert session.exec(select(BookingSeat)).one().is_active is False
    assert cancel_showtime(session, setup["admin"], show.id) == 0  # twice is harmless
    actions = session.exec(select(AuditEntry.action)).all()
    assert actions.count("showtime.cancel") == 1
    assert actions.count("booking.cancel") == 1  # the booking's own history says so too


def test_a_showtime_that_has_ended_cannot_be_cancelled(session, setup):
    show = make_showtime(session, setup["movie"], setup["room"], started_minutes_ago(5 * 60))
    booking = make_booking(session, make_user(session, "seen@example.com"), show, {"A1": 900}, status="completed")
    with pytest.raises(DomainError, match="already ended"):
        cancel_showtime(session, setup["admin"], show.id)
    assert (show.is_cancelled, booking.status) == (False, "completed")
    assert session.exec(select(BookingSeat).where(BookingSeat.booking_id == booking.id)).one().is_active is True


def test_bulk_schedule_skips_and_reports_the_clashes(session, setup):
    create(session, setup, "19:00", day=date(2030, 3, 3))
    report = bulk_schedule(
        session,
        setup["admin"],
        movie_id=setup["movie"].id,
        auditorium_id=setup["room"].id,
        first_day=date(2030, 3, 1),
        last_day=date(2030, 3, 4),
        times=[time(8), time(19, 30)],
        format="2D",
        base_price_cents=1000,
        tz=TZ,
        cleaning_buffer_minutes=15,
        now=NOW,
    )
    assert len(report.created) == 6  # 4 days × 2 times, less 1 past and 1 clash
    reasons = [reason for _, reason in report.skipped]
    assert reasons[0] == "in the past" and "overlaps" in reasons[1] and len(reasons) == 2


def test_day_schedule_lists_every_room_with_its_showtimes(session, setup):
    other = make_auditorium(session, "Screen 1")
    create(session, setup, "19:00")
    rooms = day_schedule(session, setup["admin"], DAY, TZ)
    assert [r.auditorium_name for r in rooms] == ["Screen 1", "Screen 9"]
    assert rooms[0].auditorium_id == other.id and rooms[0].slots == ()
    assert [s.movie_title for s in rooms[1].slots] == ["Long Film"]
