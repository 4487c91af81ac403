"""Real PostgreSQL databases and Redis databases for one test run, created fresh and removed after.

Nothing here fakes a server: tests talk to the PostgreSQL and Redis named by TEST_DATABASE_URL
and TEST_REDIS_URL (defaults: the local servers on their standard ports).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import redis
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from moviebook.config import normalise_database_url
from moviebook.redis_client import KEY_PREFIX

PG_ADMIN_URL = normalise_database_url(
    os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
)
REDIS_SERVER_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
RUN_ID = uuid.uuid4().hex[:10]


def _admin_engine() -> sa.Engine:
    return sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def require_postgres() -> None:
    """Fail loudly, not skip, when the real server is missing: the suite needs it."""
    try:
        with _admin_engine().connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        raise RuntimeError(
            f"PostgreSQL is not reachable at {make_url(PG_ADMIN_URL).render_as_string(hide_password=True)}; "
            "start it or set TEST_DATABASE_URL (see README)."
        ) from exc


@contextmanager
def fresh_postgres_database(purpose: str) -> Iterator[str]:
    """Create an empty database for this run, yield its URL, then drop it."""
    name = f"mbtest_{purpose}_{RUN_ID}"
    engine = _admin_engine()
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


LOCK_KEY = "moviebook-test-run-owner"  # outside the app's "mb:" prefix on purpose


def forget_app_keys(client: redis.Redis) -> None:
    """Delete every key the app keeps (holds, counters, leases): what losing Redis does to the app.

    Never FLUSHDB in a test: it would also drop this run's claim on the database, and a run
    starting in parallel could then claim the same database and empty it under this one.
    """
    for key in client.scan_iter(f"{KEY_PREFIX}*", count=500):
        client.delete(key)


@contextmanager
def claimed_redis_database() -> Iterator[str]:
    """Claim an unused numbered Redis database for this run, empty it, and free it after.

    Runs on one machine never share a database: each claims one with SET NX, and a crashed
    run's claim expires after a few hours.
    """
    for db in range(15, 0, -1):
        client = redis.Redis.from_url(REDIS_SERVER_URL, db=db)
        try:
            claimed = client.set(LOCK_KEY, RUN_ID, nx=True, ex=6 * 3600)
        except redis.ConnectionError as exc:
            raise RuntimeError(
                f"Redis is not reachable at {REDIS_SERVER_URL}; start it or set TEST_REDIS_URL."
            ) from exc
        if not claimed:
            continue
        for key in client.scan_iter(count=1000):  # leftovers of whoever used it before
            if key != LOCK_KEY.encode():
                client.delete(key)
        try:
            yield f"{REDIS_SERVER_URL.rstrip('/')}/{db}"
        finally:
            client.flushdb()
        return
    raise RuntimeError("every Redis database 1-15 is claimed by another test run")
