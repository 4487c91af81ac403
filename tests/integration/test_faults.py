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

import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlmodel import Session, select

from moviebook.cli import migrate
from moviebook.db import make_engine
from moviebook.models import Booking
from moviebook.redis_client import get_redis
from tests.private_servers import private_postgres, private_redis
from tests.rush import BUYERS, CARD, a_new_hold_works, assert_nothing_lost, rush_with_fault, sale_setup
from tests.support import forget_app_keys


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


def test_redis_restarted_mid_sale(pg_url, monkeypatch, tmp_path):
    """SHUTDOWN NOSAVE, then start: bookings intact, holds gone, the paying told so, new holds work."""
    with private_redis() as server, app_on(monkeypatch, pg_url, server.url, tmp_path) as api:

        def restart_redis() -> None:
            server.shutdown_nosave()
            time.sleep(1.0)  # down for a second, as a restart takes
            server.start()

        report = rush_with_fault(api, pg_url, restart_redis)
        report.print("Redis restarted mid-sale (SHUTDOWN NOSAVE, 1 s down)")
        assert_nothing_lost(report)
        outcomes = {b.outcome for b in report.buyers}
        assert outcomes <= {"booked", "seat-taken", "conflict", "hold-lost"}, outcomes
        # The holds died with Redis: nobody holds anything now, so every unsold seat is free.
        a_new_hold_works(api, report)


def test_postgres_restarted_mid_sale(redis_url, monkeypatch, tmp_path):
    """pg_ctl restart -m fast: buyers are told to try again (503), never a traceback; the pool
    reconnects; a confirm retried with its key makes one booking."""
    with private_postgres() as server:
        migrate(server.url)
        with app_on(monkeypatch, server.url, redis_url, tmp_path) as api:
            try:
                report = rush_with_fault(api, server.url, server.restart)
                report.print("PostgreSQL restarted mid-sale (pg_ctl restart -m fast)")
                assert_nothing_lost(report)
                outcomes = {b.outcome for b in report.buyers}
                # Holds live in Redis: none lost. "conflict": the seat was sold as this buyer held
                # it, and the database's unique index refused the second sale.
                assert outcomes <= {"booked", "seat-taken", "conflict"}, outcomes
                assert len(report.booked) == BUYERS // 2  # every pair sold, once
                a_new_hold_works(api, report)
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
                show_id, buyers = sale_setup(admin, api)
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
