"""Integration fixtures: the app's own settings, engine and Redis client on this run's servers."""

import pytest

from tests.support import forget_app_keys


@pytest.fixture
def app_environment(pg_url, redis_url, monkeypatch, tmp_path):
    """Point the app's own settings, engine and Redis client at this run's real servers."""
    from moviebook import db, redis_client
    from moviebook.config import reset_settings

    monkeypatch.setenv("DATABASE_URL", pg_url)
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("SECRET_KEY", "attacker-test-key-" + "x" * 32)
    monkeypatch.setenv("MOVIEBOOK_DATA_DIR", str(tmp_path))
    for clear in (reset_settings, db.get_engine.cache_clear, redis_client.get_redis.cache_clear):
        clear()
    forget_app_keys(redis_client.get_redis())  # holds and counters of an earlier test must not leak
    yield
    forget_app_keys(redis_client.get_redis())
    for clear in (reset_settings, db.get_engine.cache_clear, redis_client.get_redis.cache_clear):
        clear()


@pytest.fixture
def api(app_environment):
    """An HTTP client (httpx, through Starlette's TestClient) on the API app, which runs on this
    run's real PostgreSQL and Redis. The app is built per test, after the settings point there."""
    from fastapi.testclient import TestClient

    from moviebook.api.app import create_api

    with TestClient(create_api(), base_url="http://testserver", raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def app_session(app_environment):
    """A session on the app's own database, for a test to make its rows (then commit them)."""
    from sqlmodel import Session

    from moviebook.db import get_engine

    with Session(get_engine(), expire_on_commit=False) as session:
        yield session
