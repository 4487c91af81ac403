"""Faults mid-sale, on real servers of the test's own (tests/private_servers.py): Redis restarted
with SHUTDOWN NOSAVE, PostgreSQL restarted, the database turned read-only, and its disk full,
while a crowd of buyers holds and pays over the API.

Each test prints what it did and its counts (buyers, answered, booked, lost, double-sold) and how
long the app took to recover. What must hold whatever the fault:
- every buyer gets a definite answer: booked, or refused with a reason (never a 500);
- no booking a buyer was told about is lost, and no seat is sold twice;
- a retry of a confirm with the same Idempotency-Key makes one booking;
- afterwards the app serves again by itself: ``/ready`` is 200 and a new hold works.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlmodel import Session, select

from moviebook.cli import migrate
from moviebook.db import make_engine
from moviebook.models import Booking, BookingSeat
from moviebook.redis_client import get_redis
from tests.factories import make_user, tag
from tests.integration.api_support import PASSWORD, bearer, log_in_over_http
from tests.private_servers import fill, private_postgres, private_redis, small_disk
from tests.rush import BUYERS, CARD, Buyer, a_new_hold_works, assert_nothing_lost, rush_with_fault, sale_setup
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


DISK_MEGABYTES = 40  # a fresh, migrated cluster takes about 24 MB of it (its WAL lives elsewhere)
DISK_FULL_SECONDS = 3.0  # buyers arrive over ~2 s: every one's first confirm meets the full disk


def _confirm(api, show_id: int, buyer: Buyer):
    return api.post(
        f"/api/v1/showtimes/{show_id}/confirm",
        json={"card": CARD},
        headers={**buyer.headers, "Idempotency-Key": buyer.key},
    )


def _half_bookings(engine: sa.Engine) -> list[tuple]:
    """Bookings whose seat rows do not match their seat_count (none at all, or some missing),
    and seat rows whose booking is not there: what a sale cut off halfway would leave."""
    seats = sa.func.count(BookingSeat.booking_id)
    with Session(engine) as check:
        uneven = check.exec(
            select(Booking.id, Booking.seat_count, seats)
            .outerjoin(BookingSeat, BookingSeat.booking_id == Booking.id)
            .group_by(Booking.id)
            .having(sa.or_(seats == 0, seats != Booking.seat_count))
        ).all()
        orphans = check.exec(
            select(BookingSeat.booking_id, BookingSeat.seat_id)
            .outerjoin(Booking, Booking.id == BookingSeat.booking_id)
            .where(Booking.id.is_(None))
        ).all()
    return [*uneven, *orphans]


def test_disk_full_mid_sale(redis_url, monkeypatch, tmp_path, caplog):
    """The database's data disk (a tmpfs of the test's own) fills up as buyers arrive: every
    confirm is refused with a clear 503 "please try again" (PostgreSQL: could not extend file,
    No space left on device), nothing is half-booked or sold twice, and once the space is freed
    the app sells again by itself: the same confirms, retried with their keys, go through."""
    caplog.set_level(logging.WARNING)
    with small_disk(DISK_MEGABYTES) as disk, private_postgres(data=disk / "data") as server:
        migrate(server.url)
        admin = make_engine(server.url)
        with app_on(monkeypatch, server.url, redis_url, tmp_path) as api:
            try:
                probe = Buyer(headers={}, seats=[])  # one more buyer, who pays the moment the disk is full
                show_ids: list[int] = []

                def hold_a_back_row_seat(show_id: int) -> None:
                    show_ids.append(show_id)
                    with Session(admin) as session:
                        email = make_user(session, f"disk-{tag()}@example.com", password=PASSWORD).email
                        session.commit()
                    probe.headers = bearer(log_in_over_http(api, email)["access_token"])
                    seats = api.get(f"/api/v1/showtimes/{show_id}/seats").json()
                    probe.seats = [seats["rows"][-1]["seats"][-1]["id"]]  # outside the rush's hot block
                    held = api.post(
                        f"/api/v1/showtimes/{show_id}/holds", json={"seat_ids": probe.seats}, headers=probe.headers
                    )
                    assert held.status_code == 200, held.text
                    # Full before the first buyer sets out, so no booking table has grown yet
                    # (a full disk still takes rows into pages it has) whatever the CPU does.
                    fillers.append(fill(disk))

                refusals: list = []
                fillers: list = []

                def disk_stays_full() -> None:
                    try:
                        refusals.append(_confirm(api, show_ids[0], probe))
                        time.sleep(DISK_FULL_SECONDS)
                    finally:
                        fillers.pop().unlink()  # the operator frees the space

                report = rush_with_fault(
                    api,
                    server.url,
                    disk_stays_full,
                    fault_after=0.1,
                    before=hold_a_back_row_seat,
                )
                report.print(f"Disk full mid-sale ({DISK_MEGABYTES} MB data disk filled for {DISK_FULL_SECONDS:.0f} s)")
                assert_nothing_lost(report)
                outcomes = {b.outcome for b in report.buyers}
                assert outcomes <= {"booked", "seat-taken", "conflict"}, outcomes
                assert len(report.booked) == BUYERS // 2  # every pair sold, once, after the space came back
                # Every buyer who got to pay did so while the disk was full, and was told to wait.
                told_to_wait = sum(1 for b in report.buyers if 503 in b.statuses)
                assert all(503 in b.statuses for b in report.booked), [b.statuses for b in report.booked]
                full_errors = (server.folder / "pg.log").read_text().count("No space left on device")
                assert full_errors, "PostgreSQL never ran out of space: the fault did not strike"

                (refused,) = refusals
                assert refused.status_code == 503, refused.text
                assert refused.headers["content-type"].startswith("application/problem+json")
                assert "try again" in refused.json()["detail"]
                assert refused.headers["Retry-After"]
                assert _half_bookings(admin) == []
                a_new_hold_works(api, report)
                booked = _confirm(api, report.show_id, probe)  # the refused confirm, sent again as it was
                assert booked.status_code == 201, booked.text
                assert _half_bookings(admin) == []
                tracebacks = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
                assert tracebacks == [], tracebacks
                print(
                    f"disk full: {told_to_wait} of {len(report.booked)} paying buyers told to try again (503), "
                    f"PostgreSQL refused {full_errors} writes (No space left on device); no half booking; "
                    f"space freed: the refused probe confirm booked #{booked.json()['id']}"
                )
            finally:
                admin.dispose()
                forget_app_keys(get_redis())
