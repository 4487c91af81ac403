from datetime import datetime, timedelta, timezone

import pytest

from moviebook.services.errors import Conflict
from moviebook.services.scheduling import find_overlap, occupied_until, schedule_showtime
from tests.factories import make_auditorium, make_movie

T0 = datetime(2030, 5, 1, 18, 0, tzinfo=timezone.utc)


def test_a_showtime_occupies_the_room_for_runtime_plus_cleaning():
    assert occupied_until(T0, 120, 15) == T0 + timedelta(minutes=135)


def test_schedule_sets_the_end_and_the_movie_language(session):
    room = make_auditorium(session)
    movie = make_movie(session, runtime=100, language="French")
    showtime = schedule_showtime(
        session,
        movie=movie,
        auditorium_id=room.id,
        starts_at=T0,
        base_price_cents=1200,
        cleaning_buffer_minutes=15,
        format="3D",
    )
    assert showtime.ends_at == T0 + timedelta(minutes=115)
    assert (showtime.language, showtime.format, showtime.base_price_cents) == ("French", "3D", 1200)


def test_overlapping_showtime_in_the_same_room_is_refused_naming_the_clash(session):
    room = make_auditorium(session)
    movie = make_movie(session, runtime=100)
    first = schedule_showtime(
        session, movie=movie, auditorium_id=room.id, starts_at=T0, base_price_cents=1000, cleaning_buffer_minutes=15
    )
    with pytest.raises(Conflict, match=f"showtime #{first.id}"):
        schedule_showtime(
            session,
            movie=movie,
            auditorium_id=room.id,
            starts_at=T0 + timedelta(minutes=60),
            base_price_cents=1000,
            cleaning_buffer_minutes=15,
        )


def test_back_to_back_showtimes_do_not_overlap(session):
    room = make_auditorium(session)
    movie = make_movie(session, runtime=100)
    first = schedule_showtime(
        session, movie=movie, auditorium_id=room.id, starts_at=T0, base_price_cents=1000, cleaning_buffer_minutes=15
    )
    second = schedule_showtime(
        session,
        movie=movie,
        auditorium_id=room.id,
        starts_at=first.ends_at,
        base_price_cents=1000,
        cleaning_buffer_minutes=15,
    )
    assert second.starts_at == first.ends_at


def test_other_rooms_and_cancelled_showtimes_do_not_block(session):
    room, other = make_auditorium(session, "A"), make_auditorium(session, "B")
    movie = make_movie(session, runtime=100)
    first = schedule_showtime(
        session, movie=movie, auditorium_id=room.id, starts_at=T0, base_price_cents=1000, cleaning_buffer_minutes=15
    )
    assert find_overlap(session, other.id, T0, T0 + timedelta(hours=2)) is None
    assert find_overlap(session, room.id, T0, T0 + timedelta(hours=2)).id == first.id
    assert find_overlap(session, room.id, T0, T0 + timedelta(hours=2), ignore_showtime_id=first.id) is None
    first.is_cancelled = True
    session.flush()
    assert find_overlap(session, room.id, T0, T0 + timedelta(hours=2)) is None
