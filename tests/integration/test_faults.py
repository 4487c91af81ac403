"""Faults mid-sale, on real servers of the test's own (tests/private_servers.py): Redis restarted
with SHUTDOWN NOSAVE, PostgreSQL restarted, and the database turned read-only, while a crowd of
buyers holds and pays over the API.

Each test prints what it did and its counts (buyers, answered, booked, lost, double-sold) and how
long the app took to recover. What must hold whatever the fault:
- every buyer gets a definite answer: booked, or refused with a reason (never a 500);
- no booking a buyer was told about is lost, and no seat is sold twice;
- a retry of a confirm with the same Idempotency-Key makes one booking;
- afterwards the app serves again by itself: ``/ready`` is 200 and a new hold works.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
import sqlalchemy as sa
from sqlmodel import Session, select

from moviebook.cli import migrate
from moviebook.db import make_engine
from moviebook.models import Booking, BookingSeat, Seat, utcnow
from moviebook.redis_client import get_redis
from tests.factories import make_auditorium, make_movie, make_showtime, make_user, tag
from tests.integration.api_support import PASSWORD, bearer, log_in_over_http
from tests.private_servers import private_postgres, private_redis
from tests.support import forget_app_keys

CARD = {"card_number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123", "card_name": "Rush Buyer"}
BUYERS = 12
BUYER_DEADLINE_SECONDS = 45
RETRY_PAUSE_SECONDS = 0.3


@contextmanager
def app_on(monkeypatch, database_url: str, redis_url: str, data_dir) -> Iterator:
    """The API app on these servers: an HTTP client through Starlette's TestClient."""
    from fastapi.testclient import TestClient

    from moviebook import db, redis_client
    from moviebook.api.app import create_api
    from moviebook.config import reset_settings

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("SECRET_KEY", "fault-test-key-" + "f" * 32)
    monkeypatch.setenv("MOVIEBOOK_DATA_DIR", str(data_dir))

    def clear() -> None:
        for cache in (reset_settings, db.get_engine.cache_clear, redis_client.get_redis.cache_clear):
            cache()

    clear()
    try:
        with TestClient(create_api(), base_url="http://testserver", raise_server_exceptions=False) as client:
            yield client
    finally:
        clear()


@dataclass
class Buyer:
    headers: dict[str, str]
    seats: list[int]
    key: str = field(default_factory=lambda: f"rush-{uuid.uuid4().hex}")
    outcome: str = ""  # booked / seat-taken / hold-lost / ...: the definite answer it got
    booking_id: int | None = None
    statuses: list[int] = field(default_factory=list)
    retries: int = 0


def _kind(response: httpx.Response) -> str:
    try:
        return str(response.json().get("type", "")).rsplit(":", 1)[-1]
    except ValueError:
        return f"http-{response.status_code}"


def _send(buyer: Buyer, call: Callable[[], httpx.Response], deadline: float) -> httpx.Response | None:
    """One request, sent again (unchanged) while the app says it is briefly unavailable (503)."""
    while time.monotonic() < deadline:
        try:
            response = call()
        except httpx.TransportError:
            response = None
        if response is not None:
            buyer.statuses.append(response.status_code)
            if response.status_code != 503:
                return response
        buyer.retries += 1
        time.sleep(RETRY_PAUSE_SECONDS)
    return None


def _buy(api, show_id: int, buyer: Buyer, start_after: float) -> None:
    time.sleep(start_after)
    deadline = time.monotonic() + BUYER_DEADLINE_SECONDS
    held = _send(
        buyer,
        lambda: api.post(f"/api/v1/showtimes/{show_id}/holds", json={"seat_ids": buyer.seats}, headers=buyer.headers),
        deadline,
    )
    if held is None:
        buyer.outcome = "no answer"
        return
    if held.status_code != 200:
        buyer.outcome = _kind(held)
        return
    time.sleep(0.4)  # filling in the card: the fault lands while some buyers are here
    paid = _send(
        buyer,
        lambda: api.post(
            f"/api/v1/showtimes/{show_id}/confirm",
            json={"card": CARD},
            headers={**buyer.headers, "Idempotency-Key": buyer.key},
        ),
        deadline,
    )
    if paid is None:
        buyer.outcome = "no answer"
    elif paid.status_code in (200, 201):
        buyer.outcome, buyer.booking_id = "booked", paid.json()["id"]
    else:
        buyer.outcome = _kind(paid)


@dataclass
class RushReport:
    show_id: int
    buyers: list[Buyer]
    outage_seconds: float  # from the fault's start until the server was back
    recovery_seconds: float  # from then until /ready said 200
    bookings_in_db: dict[int, list[int]]  # booking id → its active seats
    double_sold: int

    @property
    def answered(self) -> int:
        return sum(1 for b in self.buyers if b.outcome and b.outcome != "no answer")

    @property
    def booked(self) -> list[Buyer]:
        return [b for b in self.buyers if b.outcome == "booked"]

    @property
    def lost(self) -> int:
        """Buyers told "booked" whose booking is not in the database with their seats."""
        return sum(1 for b in self.booked if sorted(self.bookings_in_db.get(b.booking_id, [])) != sorted(b.seats))

    def print(self, fault: str) -> None:
        outcomes = Counter(b.outcome for b in self.buyers)
        statuses = Counter(s for b in self.buyers for s in b.statuses)
        print(
            f"\n{fault}: buyers {len(self.buyers)}, answered {self.answered}, booked {len(self.booked)}, "
            f"lost {self.lost}, double-sold {self.double_sold}; server back after {self.outage_seconds:.2f} s, "
            f"app ready {self.recovery_seconds:.2f} s later; "
            f"outcomes {dict(outcomes)}; HTTP statuses {dict(statuses)}; "
            f"retries after 503 {sum(b.retries for b in self.buyers)}"
        )


def _sale_setup(engine: sa.Engine, api) -> tuple[int, list[Buyer]]:
    """A showtime of its own (3 rows of 8), and buyers who each want 2 seats of a hot block
    of 12: two buyers want every pair."""
    with Session(engine, expire_on_commit=False) as session:
        movie = make_movie(session, f"Fault Film {tag()}")
        room = make_auditorium(session, f"Fault Room {tag()}", rows=3, seats_per_row=8)
        show = make_showtime(session, movie, room, utcnow() + timedelta(days=2))
        seats = session.exec(select(Seat.id).where(Seat.auditorium_id == room.id).order_by(Seat.id)).all()
        users = [make_user(session, f"rush-{tag()}-{i}@example.com", password=PASSWORD) for i in range(BUYERS)]
        session.commit()
        show_id = show.id
    pairs = [seats[2 * k : 2 * k + 2] for k in range(BUYERS // 2)]
    buyers = [
        Buyer(headers=bearer(log_in_over_http(api, user.email)["access_token"]), seats=list(pairs[i % len(pairs)]))
        for i, user in enumerate(users)
    ]
    return show_id, buyers


def _ready(api) -> bool:
    try:
        return api.get("/ready").status_code == 200
    except httpx.TransportError:
        return False


def rush_with_fault(api, database_url: str, fault: Callable[[], None], *, fault_after: float = 0.9) -> RushReport:
    """Buyers arrive over ~2 s; the fault strikes ``fault_after`` seconds in. Recovery is timed
    from the fault's start to ``/ready`` answering 200 again."""
    engine = make_engine(database_url)
    show_id, buyers = _sale_setup(engine, api)
    threads = [threading.Thread(target=_buy, args=(api, show_id, b, i * 0.15)) for i, b in enumerate(buyers)]
    for thread in threads:
        thread.start()
    time.sleep(fault_after)
    struck = time.monotonic()
    fault()
    back = time.monotonic()
    while not _ready(api):
        assert time.monotonic() - back < 30, "the app was not ready within 30 s of the server's return"
        time.sleep(0.05)
    recovery = time.monotonic() - back
    for thread in threads:
        thread.join(timeout=BUYER_DEADLINE_SECONDS + 30)
    engine.dispose()  # its connections died with the fault: count with new ones
    with Session(engine) as check:
        rows = check.exec(
            select(BookingSeat.booking_id, BookingSeat.seat_id)
            .join(Booking, Booking.id == BookingSeat.booking_id)
            .where(BookingSeat.showtime_id == show_id, Booking.status == "confirmed")
        ).all()
        by_seat = Counter(seat for _booking, seat in rows)
        bookings: dict[int, list[int]] = {}
        for booking, seat in rows:
            bookings.setdefault(booking, []).append(seat)
    double_sold = sum(1 for n in by_seat.values() if n > 1)
    return RushReport(show_id, buyers, back - struck, recovery, bookings, double_sold=double_sold)


def _assert_nothing_lost(report: RushReport) -> None:
    assert report.answered == len(report.buyers), [b.outcome for b in report.buyers]
    assert all(500 not in b.statuses for b in report.buyers), "a buyer got a 500"
    assert report.lost == 0
    assert report.double_sold == 0
    # Every confirmed booking of the showtime is one a buyer was told about: none made twice.
    assert sorted(report.bookings_in_db) == sorted(b.booking_id for b in report.booked)
    assert report.booked, "nobody managed to buy: the rush did not exercise the sale"


def _a_new_hold_works(api, report: RushReport) -> None:
    seats = api.get(f"/api/v1/showtimes/{report.show_id}/seats").json()
    free = [s["id"] for row in seats["rows"] for s in row["seats"] if s["state"] == "free"]
    sold = {s["id"] for row in seats["rows"] for s in row["seats"] if s["state"] == "sold"}
    assert sold == {seat for seat_list in report.bookings_in_db.values() for seat in seat_list}
    latecomer = report.buyers[0].headers
    answer = api.post(f"/api/v1/showtimes/{report.show_id}/holds", json={"seat_ids": free[-1:]}, headers=latecomer)
    assert answer.status_code == 200, answer.text


def test_redis_restarted_mid_sale(pg_url, monkeypatch, tmp_path):
    """SHUTDOWN NOSAVE, then start: bookings intact, holds gone, the paying told so, new holds work."""
    with private_redis() as server, app_on(monkeypatch, pg_url, server.url, tmp_path) as api:

        def restart_redis() -> None:
            server.shutdown_nosave()
            time.sleep(1.0)  # down for a second, as a restart takes
            server.start()

        report = rush_with_fault(api, pg_url, restart_redis)
        report.print("Redis restarted mid-sale (SHUTDOWN NOSAVE, 1 s down)")
        _assert_nothing_lost(report)
        outcomes = {b.outcome for b in report.buyers}
        assert outcomes <= {"booked", "seat-taken", "conflict", "hold-lost"}, outcomes
        # The holds died with Redis: nobody holds anything now, so every unsold seat is free.
        _a_new_hold_works(api, report)


def test_postgres_restarted_mid_sale(redis_url, monkeypatch, tmp_path):
    """pg_ctl restart -m fast: buyers are told to try again (503), never a traceback; the pool
    reconnects; a confirm retried with its key makes one booking."""
    with private_postgres() as server:
        migrate(server.url)
        with app_on(monkeypatch, server.url, redis_url, tmp_path) as api:
            try:
                report = rush_with_fault(api, server.url, server.restart)
                report.print("PostgreSQL restarted mid-sale (pg_ctl restart -m fast)")
                _assert_nothing_lost(report)
                outcomes = {b.outcome for b in report.buyers}
                # Holds live in Redis: none lost. "conflict": the seat was sold as this buyer held
                # it, and the database's unique index refused the second sale.
                assert outcomes <= {"booked", "seat-taken", "conflict"}, outcomes
                assert len(report.booked) == BUYERS // 2  # every pair sold, once
                _a_new_hold_works(api, report)
            finally:  # this database's ids mean nothing to the next test's: leave no holds behind
                forget_app_keys(get_redis())


def test_a_read_only_database_refuses_a_sale_clearly_and_keeps_the_hold(redis_url, monkeypatch, tmp_path):
    """The database turns read-only (a failover in progress, a full disk's emergency mode): the
    buyer is told to try again, nothing is half-booked, the seats stay held, and once the
    database is writable the same confirm succeeds."""
    with private_postgres() as server:
        migrate(server.url)
        admin = make_engine(server.url)
        with app_on(monkeypatch, server.url, redis_url, tmp_path) as api:
            try:
                show_id, buyers = _sale_setup(admin, api)
                buyer = buyers[0]
                assert (
                    api.post(
                        f"/api/v1/showtimes/{show_id}/holds", json={"seat_ids": buyer.seats}, headers=buyer.headers
                    ).status_code
                    == 200
                )
                with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.execute(sa.text("ALTER SYSTEM SET default_transaction_read_only = on"))
                    connection.execute(sa.text("SELECT pg_reload_conf()"))
                time.sleep(0.5)
                confirm = lambda: api.post(  # noqa: E731
                    f"/api/v1/showtimes/{show_id}/confirm",
                    json={"card": CARD},
                    headers={**buyer.headers, "Idempotency-Key": buyer.key},
                )
                from moviebook.api.routes.shop import PAYMENTS

                voided_before = len(PAYMENTS.voided)
                refused = confirm()
                assert refused.status_code == 503, refused.text
                assert len(PAYMENTS.voided) == voided_before + 1  # the card's authorization given back
                assert refused.headers["content-type"].startswith("application/problem+json")
                assert "try again" in refused.json()["detail"]
                with Session(admin) as check:
                    assert check.exec(select(Booking).where(Booking.showtime_id == show_id)).all() == []
                seats = api.get(f"/api/v1/showtimes/{show_id}/seats", headers=buyer.headers).json()
                mine = {s["id"] for row in seats["rows"] for s in row["seats"] if s["state"] == "mine"}
                assert mine == set(buyer.seats)  # still held for them
                with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.execute(sa.text("SET default_transaction_read_only = off"))
                    connection.execute(sa.text("ALTER SYSTEM RESET default_transaction_read_only"))
                    connection.execute(sa.text("SELECT pg_reload_conf()"))
                time.sleep(0.5)
                booked = confirm()
                assert booked.status_code == 201, booked.text
                print(
                    f"\nread-only database: confirm refused with 503, seats kept; "
                    f"writable again: booked #{booked.json()['id']}"
                )
            finally:
                forget_app_keys(get_redis())
