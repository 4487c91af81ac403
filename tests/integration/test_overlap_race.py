"""Two admins save overlapping showtimes at the same moment: PostgreSQL lets only one win."""

import threading
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from moviebook.models import Showtime
from moviebook.services.errors import Conflict
from moviebook.services.schedule_admin import ShowtimeForm, create_showtime
from moviebook.services.tokens import Identity
from tests.factories import identity_for, local_day_ahead, make_auditorium, make_movie, make_user

TZ = ZoneInfo("Europe/London")


def _admin_room_and_film(engine) -> tuple[Identity, int, int]:
    with Session(engine) as session:
        admin = make_user(session, "a@example.com", name="A", role="admin")
        room, movie = make_auditorium(session), make_movie(session, runtime=100)
        session.commit()
        return identity_for(admin), room.id, movie.id


def _race(engine, attempts, success: str) -> list[str]:
    """Run every attempt(session) at the same moment, each in its own session; returns the outcomes:
    ``success`` when it committed, "refused" on a Conflict, "crashed: …" on anything else."""
    barrier = threading.Barrier(len(attempts))
    outcomes = []

    def run(attempt):
        with Session(engine) as session:
            barrier.wait()  # all of them check and write at the same moment
            try:
                attempt(session)
                session.commit()
                outcomes.append(success)
            except Conflict:
                session.rollback()
                outcomes.append("refused")
            except Exception as unexpected:
                session.rollback()
                outcomes.append(f"crashed: {unexpected!r}")

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_concurrent_overlapping_saves_leave_exactly_one_showtime(pg_only_engine):
    actor, room_id, movie_id = _admin_room_and_film(pg_only_engine)
    day = local_day_ahead(3, TZ)  # any time of it is in the future
    starts = [time(18, 0), time(18, 30), time(19, 0), time(18, 45)]  # all overlap each other

    def save(start):
        form = ShowtimeForm(movie_id, room_id, day, start, "2D", 1000, "", None)
        return lambda session: create_showtime(session, actor, form, tz=TZ, cleaning_buffer_minutes=15)

    outcomes = _race(pg_only_engine, [save(start) for start in starts], "saved")
    assert sorted(outcomes) == ["refused"] * 3 + ["saved"]
    with Session(pg_only_engine) as session:
        assert len(session.exec(select(Showtime)).all()) == 1


def test_the_exclusion_constraint_holds_even_without_the_service(pg_session):
    room, movie = make_auditorium(pg_session), make_movie(pg_session, runtime=100)
    start = datetime(2031, 1, 1, 18, tzinfo=timezone.utc)
    pg_session.add(
        Showtime(
            movie_id=movie.id,
            auditorium_id=room.id,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            base_price_cents=1,
        )
    )
    pg_session.commit()
    pg_session.add(
        Showtime(
            movie_id=movie.id,
            auditorium_id=room.id,
            starts_at=start + timedelta(hours=1),
            ends_at=start + timedelta(hours=3),
            base_price_cents=1,
        )
    )
    with pytest.raises(sa.exc.IntegrityError, match="ex_showtimes_no_overlap"):
        pg_session.commit()
    pg_session.rollback()
    # A cancelled showtime frees its slot for a new one.
    pg_session.add(
        Showtime(
            movie_id=movie.id,
            auditorium_id=room.id,
            starts_at=start + timedelta(hours=1),
            ends_at=start + timedelta(hours=3),
            base_price_cents=1,
            is_cancelled=True,
        )
    )
    pg_session.commit()


def test_two_admins_moving_showtimes_into_one_slot_leave_one_there(pg_only_engine):
    """Editing goes through the same guard as creating: one move wins, the other is told."""
    from moviebook.services.schedule_admin import update_showtime

    actor, room_id, movie_id = _admin_room_and_film(pg_only_engine)
    day = local_day_ahead(3, TZ)  # any time of it is in the future
    ids = []
    with Session(pg_only_engine) as session:
        for start in (time(10, 0), time(14, 0)):
            ids.append(
                create_showtime(
                    session,
                    actor,
                    ShowtimeForm(movie_id, room_id, day, start, "2D", 1000, "", None),
                    tz=TZ,
                    cleaning_buffer_minutes=15,
                ).id
            )
        session.commit()

    def move(showtime_id, start):
        form = ShowtimeForm(movie_id, room_id, day, start, "2D", 1000, "", None)
        return lambda session: update_showtime(session, actor, showtime_id, form, tz=TZ, cleaning_buffer_minutes=15)

    moves = [move(i, s) for i, s in zip(ids, (time(19, 0), time(19, 30)), strict=True)]
    outcomes = _race(pg_only_engine, moves, "moved")
    assert sorted(outcomes) == ["moved", "refused"]
