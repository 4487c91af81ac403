"""``GET /ready`` tells a load balancer whether this instance can serve; when a server it needs
is unreachable, the API says 503 "try again", never a traceback. Real servers, and a real closed
port for the unreachable one."""

from __future__ import annotations

import os

import pytest

from tests.app_server import free_port


def _clear_caches() -> None:
    from moviebook import db, redis_client
    from moviebook.config import reset_settings

    for clear in (reset_settings, db.get_engine.cache_clear, redis_client.get_redis.cache_clear):
        clear()


@pytest.fixture
def point_at(api, monkeypatch):
    """Point the app at an unreachable server for one test; put it back before the fixtures
    that clean up this run's real servers tear down."""

    def point(name: str, url: str) -> None:
        monkeypatch.setenv(name, url)
        _clear_caches()

    saved = {name: os.environ.get(name) for name in ("REDIS_URL", "DATABASE_URL")}
    yield point
    for name, value in saved.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    _clear_caches()


def test_ready_when_the_database_and_redis_answer(api):
    answer = api.get("/ready")
    assert answer.status_code == 200
    assert answer.json() == {"ready": True, "database": "ok", "redis": "ok"}
    assert answer.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("down", ["REDIS_URL", "DATABASE_URL"])
def test_not_ready_while_a_server_is_unreachable(api, point_at, down):
    nobody = free_port()  # nothing listens there
    url = f"redis://127.0.0.1:{nobody}/0" if down == "REDIS_URL" else f"postgresql://postgres@127.0.0.1:{nobody}/x"
    point_at(down, url)
    answer = api.get("/ready")
    assert answer.status_code == 503
    body = answer.json()
    broken, fine = ("redis", "database") if down == "REDIS_URL" else ("database", "redis")
    assert body["ready"] is False and body[fine] == "ok"
    assert body[broken].startswith("unreachable:") and str(nobody) not in body[broken]


def test_the_api_says_try_again_while_redis_is_unreachable(api, point_at):
    point_at("REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    answer = api.get("/api/v1/movies")
    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.headers["retry-after"] == "2"
    body = answer.json()
    assert body["type"] == "urn:moviebook:problem:service-unavailable" and "try again" in body["detail"]


def test_the_api_says_try_again_while_the_database_is_unreachable(api, point_at):
    point_at("DATABASE_URL", f"postgresql://postgres@127.0.0.1:{free_port()}/x")
    answer = api.get("/api/v1/movies")
    assert answer.status_code == 503
    assert answer.json()["type"] == "urn:moviebook:problem:service-unavailable"
