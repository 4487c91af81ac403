"""Every open seat map converges to the truth within a second of a rush, on a production build
with two workers.

Many protocol viewers watch one showtime while buyers, signed in on their own sockets, grab
seats from one hot block and pay, all at once. A second after the last change, every viewer's
map (what the server last told it, in the order it arrived) must equal the truth: sales from
PostgreSQL and holds from Redis, seat by seat.
"""

from __future__ import annotations

import asyncio
import random
import time
from datetime import timedelta

import pytest
import redis
from sqlmodel import Session, select

from moviebook.config import Settings
from moviebook.models import BookingSeat, Seat, User
from moviebook.services.bookings import booked_seat_ids
from moviebook.services.clock import at_local, local_today
from moviebook.services.holds import HoldPolicy, HoldStore
from moviebook.services.tokens import TokenPolicy, start_session
from tests.factories import make_auditorium, make_movie, make_showtime
from tests.reflex_protocol import ReflexClient, built_state_schema
from tests.state_driver import run_handler

VIEWERS = 60
BUYERS = 120
HOT_BLOCK = 48  # every buyer wants seats from the same 48: the whole room
CARD = {"card_name": "Rush", "card_number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123"}
SETTLE_SECONDS = 1.0  # the promise: every map is right within a second of the last change


def _state_names() -> tuple[str, str]:
    """The full names of the auth state (whose tokens a tab stores) and of the seat picker."""
    import moviebook.moviebook  # noqa: F401  (registers every state)
    from moviebook.state.auth import AuthState
    from moviebook.state.seat_picker import SeatPickerState

    return AuthState.get_full_name(), SeatPickerState.get_full_name()


class MapWatcher(ReflexClient):
    """A tab on the seat map that remembers the live seats it was last sent."""

    def __init__(self, url, schema, picker: str, storage=None):
        super().__init__(url, schema, storage)
        self.picker = picker
        self.taken: dict[str, int] | None = None
        self.outcome: str = ""  # for a buyer: how the payment ended

    async def _on_event(self, message) -> None:
        await super()._on_event(message)
        if not isinstance(message, dict):
            return
        picker = (message.get("delta") or {}).get(self.picker, {})
        if "taken_rx_state_" in picker:
            self.taken = dict(picker["taken_rx_state_"])
        text = str(message.get("events", ""))
        if "/bookings/" in text:
            self.outcome = "booked"
        elif '["error"]' in text and not self.outcome:
            self.outcome = "refused"


@pytest.fixture
def rush_showtime(app_db):
    tag = f"{time.time_ns()}"
    room = make_auditorium(app_db, name=f"Rush room {tag}", rows=6, seats_per_row=8)
    movie = make_movie(app_db, f"Rush Hour {tag}")
    zone = Settings().timezone
    starts = at_local(local_today(zone) + timedelta(days=3), 18, 0, zone)
    show = make_showtime(app_db, movie, room, starts)
    seats = app_db.exec(select(Seat.id).where(Seat.auditorium_id == room.id).order_by(Seat.y, Seat.x)).all()
    app_db.commit()
    return show.id, list(seats)


def _buyer_tokens(app_db, app_env, count: int) -> list[dict]:
    """Sessions made straight in the app's database (no password hashing for 40 logins)."""
    policy = TokenPolicy(
        secret_key=app_env["SECRET_KEY"], access_ttl=timedelta(minutes=15), refresh_ttl=timedelta(days=1)
    )
    auth_state = _state_names()[0]
    tokens = []
    for n in range(count):
        user = User(name=f"Buyer {n}", email=f"rush-{time.time_ns()}-{n}@example.com", password_hash="unused")
        app_db.add(user)
        app_db.flush()
        pair = start_session(app_db, user, policy)
        tokens.append({f"{auth_state}.access_token": pair.access, f"{auth_state}.refresh_token": pair.refresh})
    app_db.commit()
    return tokens


def _truth(app_env, app_db, show_id: int, seat_ids: list[int]) -> dict[str, str]:
    """What every map should show now: {seat id: "sold" | "held"} for the taken seats."""
    store = HoldStore(redis.Redis.from_url(app_env["REDIS_URL"], decode_responses=True), HoldPolicy())
    truth = {str(s): "held" for s in store.holders(show_id, seat_ids)}
    app_db.rollback()  # see what the app committed meanwhile
    truth.update({str(s): "sold" for s in booked_seat_ids(app_db, show_id)})
    return truth


def _shown(taken: dict[str, int] | None) -> dict[str, str]:
    return {seat: ("sold" if holder == -1 else "held") for seat, holder in (taken or {}).items()}


async def _rush(
    url: str, show_id: int, seat_ids: list[int], buyer_storage: list[dict], on_all_open=lambda: None
) -> tuple[list, list, float]:
    schema = built_state_schema()
    _, picker = _state_names()
    path, query = f"/showtimes/{show_id}", {"showtime_id": str(show_id)}
    viewers = [MapWatcher(url, schema, picker) for _ in range(VIEWERS)]
    buyers = [MapWatcher(url, schema, picker, storage) for storage in buyer_storage]
    everyone = viewers + buyers
    for start in range(0, len(everyone), 20):  # the server hydrates each one: connect in batches
        await asyncio.gather(*(c.open(path, query) for c in everyone[start : start + 20]))
    deadline = time.monotonic() + 30
    while any(c.taken is None for c in everyone) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert all(c.taken is not None for c in everyone), "some maps never received their seats"
    on_all_open()  # the rush starts here: from now on, only seat clicks and payments

    hot = seat_ids[:HOT_BLOCK]
    rng = random.Random(11)

    async def buy(buyer: MapWatcher) -> None:
        for seat in rng.sample(hot, rng.randint(1, 6)):
            await buyer.send(picker, "toggle_seat", {"seat_id": seat})
        await buyer.settle(quiet=0.2, timeout=20)
        await buyer.send(picker, "pay", {"form": CARD})
        deadline = time.monotonic() + 30
        while not buyer.outcome and time.monotonic() < deadline:
            await asyncio.sleep(0.02)

    await asyncio.gather(*(buy(b) for b in buyers))
    last_change = time.monotonic()
    await asyncio.sleep(SETTLE_SECONDS)
    snapshot = [dict(c.taken or {}) for c in everyone]
    outcomes = [b.outcome for b in buyers]
    await asyncio.gather(*(c.close() for c in everyone), return_exceptions=True)
    return snapshot, outcomes, last_change


def test_every_open_map_equals_the_truth_a_second_after_a_rush(app_url, app_log, app_env, app_db, rush_showtime):
    show_id, seat_ids = rush_showtime
    storage = _buyer_tokens(app_db, app_env, BUYERS)
    # The lock check covers the rush itself, seat clicks and payments (what issue 11 names), not
    # the 180 page loads before it: those hydrate on_load handlers in batches, and on 2 shared
    # cores a page load under that queue can pass Reflex's 1 s warning without any slow work.
    log_at = {"rush": len(app_log.read_text())}
    maps, outcomes, _ = run_handler(
        _rush(app_url, show_id, seat_ids, storage, lambda: log_at.update(rush=len(app_log.read_text())))
    )
    truth = _truth(app_env, app_db, show_id, seat_ids)
    rush_log = app_log.read_text()[log_at["rush"] :]

    assert outcomes.count("booked") >= 2, f"the rush sold too little to mean anything: {outcomes}"
    assert all(outcomes), "every buyer got an answer"
    assert "sold" in truth.values()
    wrong = [i for i, shown in enumerate(maps) if _shown(shown) != truth]
    assert wrong == [], (
        f"{len(wrong)} of {len(maps)} maps still wrong {SETTLE_SECONDS}s after the last change; "
        f"first: shows {_shown(maps[wrong[0]])}, truth {truth}"
    )
    # No seat click or payment held a tab's lock for slow work while it happened.
    assert "held too long" not in rush_log, rush_log[-3000:]
    # And never a seat sold twice: the database's unique index is the last guard.
    with Session(app_db.get_bind()) as session:
        rows = session.exec(
            select(BookingSeat.seat_id).where(BookingSeat.showtime_id == show_id, BookingSeat.is_active)
        ).all()
    assert len(rows) == len(set(rows)) == sum(1 for v in truth.values() if v == "sold")
