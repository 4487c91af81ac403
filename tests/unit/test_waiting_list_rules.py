"""The waiting list's order and once-per-opening rule, and the reminder query, on SQLite (the
quick start's database) and PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from moviebook.config import reset_settings
from moviebook.models import OutboxMessage, utcnow
from moviebook.services import waiting_list
from moviebook.services.bookings import cancel_booking
from moviebook.services.holds import HoldPolicy, HoldStore
from moviebook.services.reminders import send_due_reminders
from tests.factories import make_auditorium, make_booking, make_movie, make_showtime, make_showtime_ahead, make_user


@pytest.fixture(autouse=True)
def _settings(monkeypatch, tmp_path, redis_url):
    """A key for the unsubscribe links, and this run's Redis for the holds a cancel looks at."""
    from moviebook import redis_client

    monkeypatch.setenv("SECRET_KEY", "unit-test-key-" + "z" * 32)
    monkeypatch.setenv("MOVIEBOOK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("REDIS_URL", redis_url)
    for clear in (reset_settings, redis_client.get_redis.cache_clear):
        clear()
    yield
    for clear in (reset_settings, redis_client.get_redis.cache_clear):
        clear()


@pytest.fixture
def store(redis_client):
    return HoldStore(redis_client, HoldPolicy(ttl_seconds=600, max_seats=10))


def _told(session) -> list[str]:
    rows = session.exec(
        select(OutboxMessage).where(OutboxMessage.kind == "waiting_list_opening").order_by(OutboxMessage.id)
    )
    return [row.to_address for row in rows]


def test_order_and_once_per_opening(session, store):
    room = make_auditorium(session, rows=1, seats_per_row=3)
    show = make_showtime_ahead(session, make_movie(session), room, days=3)
    owner = make_user(session, "owner@example.com")
    one = make_booking(session, owner, show, {"A1": 1000})
    two = make_booking(session, owner, show, {"A2": 1000})
    make_booking(session, owner, show, {"A3": 1000})
    session.commit()
    people = [make_user(session, f"w{n}@example.com") for n in range(3)]
    for user, wants in zip(people, (2, 1, 1), strict=True):
        waiting_list.join(session, store, user_id=user.id, showtime_id=show.id, seats_wanted=wants, max_seats=10)
        session.commit()
    cancel_booking(session, user_id=owner.id, booking_id=one.id, cutoff=timedelta(minutes=30))
    session.commit()
    assert _told(session) == ["w1@example.com"]  # w0 wants 2: passed over, w1 is next in line
    cancel_booking(session, user_id=owner.id, booking_id=two.id, cutoff=timedelta(minutes=30))
    session.commit()
    # Opening 2, two seats: w0 (2) claims both; w1 and w2 wait for the next one.
    assert _told(session) == ["w1@example.com", "w0@example.com"]
    after = waiting_list.seats_came_free(session, show.id, store=store, now=show.starts_at)
    assert after.notified == ()  # the show has started: the list has ended


def test_reminders_are_due_once_on_this_database(session):
    room = make_auditorium(session, rows=1, seats_per_row=2)
    show = make_showtime(session, make_movie(session), room, utcnow() + timedelta(hours=2))
    make_booking(session, make_user(session, "soon@example.com"), show, {"A1": 1000})
    session.commit()
    assert send_due_reminders(session, hours=3) == 1
    session.commit()
    assert send_due_reminders(session, hours=3) == 0
    assert send_due_reminders(session, hours=1) == 0
