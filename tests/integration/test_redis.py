"""The embedded Redis of the quick start, and the real server the tests and CI use."""

import os
import subprocess
import sys

import pytest
import redis

from moviebook.config import PROJECT_ROOT
from moviebook.embedded_redis import ensure_embedded_redis, stop_embedded_redis
from tests.state_driver import run_handler


def test_embedded_redis_starts_once_and_is_shared(tmp_path):
    data = tmp_path / "data"
    try:
        url = ensure_embedded_redis(data)
        assert url == f"unix://{data / 'redis.sock'}"
        client = redis.Redis.from_url(url)
        client.set("mb:probe", "1")
        pid = client.info("server")["process_id"]
        # A second start (another worker, the CLI) finds the running server instead of a new one.
        assert ensure_embedded_redis(data) == url
        assert redis.Redis.from_url(url).info("server")["process_id"] == pid
        assert redis.Redis.from_url(url).get("mb:probe") == b"1"
    finally:
        stop_embedded_redis(data)
    with pytest.raises(redis.ConnectionError):
        redis.Redis.from_url(url).ping()


def test_the_cli_reports_the_embedded_server_when_no_url_is_set(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env["MOVIEBOOK_DATA_DIR"] = str(tmp_path)
    try:
        out = subprocess.run(
            [sys.executable, "-m", "moviebook.cli", "redis-url"],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert out == f"unix://{tmp_path / 'redis.sock'}"
        assert redis.Redis.from_url(out).ping()
    finally:
        stop_embedded_redis(tmp_path)


def test_get_redis_uses_redis_url_from_the_environment(redis_url, monkeypatch):
    from moviebook import redis_client
    from moviebook.config import reset_settings

    monkeypatch.setenv("REDIS_URL", redis_url)
    reset_settings()
    redis_client.get_redis.cache_clear()
    try:
        client = redis_client.get_redis()
        client.set("mb:where", "here")
        assert redis.Redis.from_url(redis_url, decode_responses=True).get("mb:where") == "here"
        client.delete("mb:where")
    finally:
        reset_settings()
        redis_client.get_redis.cache_clear()


def test_the_app_starts_its_embedded_redis_again_after_a_kill_9(tmp_path, monkeypatch):
    """The quick start's Redis is killed mid-serve; the keeper job every worker runs starts it
    again, and the app's own client carries on without a restart."""
    import asyncio
    import signal
    import time

    from moviebook import redis_client
    from moviebook.config import reset_settings
    from moviebook.live.jobs import embedded_redis_keeper

    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("MOVIEBOOK_DATA_DIR", str(tmp_path))
    reset_settings()
    redis_client.get_redis.cache_clear()
    try:
        app_client = redis_client.get_redis()  # starts the embedded server, as the app does
        app_client.set("mb:before", "1")
        pid = app_client.info("server")["process_id"]

        async def kill_and_wait() -> float:
            keeper = asyncio.create_task(embedded_redis_keeper())
            try:
                await asyncio.sleep(0.2)
                os.kill(pid, signal.SIGKILL)
                killed = time.monotonic()
                while True:
                    await asyncio.sleep(0.1)
                    try:
                        if await asyncio.to_thread(app_client.ping):
                            return time.monotonic() - killed
                    except redis.ConnectionError:
                        pass
                    assert time.monotonic() - killed < 5, "the embedded Redis was not started again within 5 s"
            finally:
                keeper.cancel()

        recovered = run_handler(kill_and_wait())
        print(f"\nembedded Redis killed with SIGKILL; answering again after {recovered:.2f} s")
        assert app_client.info("server")["process_id"] != pid
        assert app_client.get("mb:before") is None  # what it held is gone, as documented
        app_client.set("mb:after", "1")
        assert app_client.get("mb:after") == "1"
    finally:
        stop_embedded_redis(tmp_path)
        reset_settings()
        redis_client.get_redis.cache_clear()
