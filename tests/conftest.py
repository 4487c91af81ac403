"""Fixtures shared by every test level: real databases, migrated by Alembic, owned by this run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

import moviebook.models  # noqa: F401  (registers the tables whose rows we clean up)
from moviebook.cli import migrate
from moviebook.db import make_engine
from tests.support import claimed_redis_database, forget_app_keys, fresh_postgres_database, require_postgres


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this run, migrated to head."""
    require_postgres()
    with fresh_postgres_database("main") as url:
        migrate(url)
        yield url


@pytest.fixture(scope="session")
def pg_engine(pg_url: str) -> Iterator[sa.Engine]:
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sa.Engine]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('sqlite')) / 'moviebook.db'}"
    migrate(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def _empty_all_tables(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(SQLModel.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Iterator[sa.Engine]:
    """Each test using this runs twice: on SQLite (the quick-start default) and PostgreSQL."""
    engine = request.getfixturevalue(f"{request.param.replace('postgresql', 'pg')}_engine")
    _empty_all_tables(engine)
    yield engine
    _empty_all_tables(engine)


@pytest.fixture
def pg_only_engine(pg_engine: sa.Engine) -> Iterator[sa.Engine]:
    _empty_all_tables(pg_engine)
    yield pg_engine
    _empty_all_tables(pg_engine)


@pytest.fixture
def session(engine: sa.Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def pg_session(pg_only_engine: sa.Engine) -> Iterator[Session]:
    with Session(pg_only_engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A numbered database on the real Redis server, claimed by this run alone."""
    with claimed_redis_database() as url:
        yield url


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    forget_app_keys(client)


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free port, for this test alone."""
    from tests.smtp_server import TestSmtpServer

    server = TestSmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def webhook_receivers():
    """Real HTTP receivers on free ports: ``webhook_receivers()`` starts one (see
    tests/webhook_receiver.py); all are stopped after the test."""
    from tests.webhook_receiver import WebhookReceiver

    started: list[WebhookReceiver] = []

    def start(answers: tuple[int, ...] = (), delay: float = 0.0) -> WebhookReceiver:
        started.append(WebhookReceiver(answers, delay).start())
        return started[-1]

    yield start
    for receiver in started:
        receiver.stop()
