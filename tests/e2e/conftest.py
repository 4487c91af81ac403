"""End-to-end fixtures: the production build served on a free port, and Chromium to drive it.

The app runs exactly as users get it (``reflex run --env prod``), against its own fresh
PostgreSQL database and its own Redis database, both migrated and seeded for this run.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from datetime import timedelta

from sqlmodel import Session

from moviebook.config import PROJECT_ROOT, Settings
from moviebook.db import make_engine
from moviebook.services.clock import local_today
from moviebook.services.programme import listings_for_day, movie_with_week
from tests.support import claimed_redis_database, fresh_postgres_database, require_postgres

SYSTEM_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BUILD_TIMEOUT_SECONDS = 900  # a cold build runs npm install
HOLD_TTL_SECONDS = 45
# Generous because two cores build, serve and drive the browser at once; a real failure
# still fails, it just takes longer to say so.
expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + BUILD_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with {proc.returncode} before serving:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/ping", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise RuntimeError(f"the app did not answer /ping within {BUILD_TIMEOUT_SECONDS}s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def app_env(tmp_path_factory) -> Iterator[dict[str, str]]:
    """Environment of the app under test: fresh database (migrated + seeded), own Redis db."""
    require_postgres()
    data_dir = tmp_path_factory.mktemp("app-data")
    with fresh_postgres_database("e2e") as db_url, claimed_redis_database() as redis_url:
        port = _free_port()
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "REDIS_URL": redis_url,
            "MOVIEBOOK_DATA_DIR": str(data_dir),
            "REFLEX_UPLOADED_FILES_DIR": str(data_dir / "uploads"),
            # Short enough to watch a hold expire in a browser test, long enough to check out.
            "HOLD_TTL_SECONDS": str(HOLD_TTL_SECONDS),
            "ADMIN_EMAIL": "admin@e2e.example",
            "ADMIN_PASSWORD": "e2e-admin-password",
            "PORT": str(port),
        }
        # No SITE_URL: the app must accept its own origin from PORT alone, as a newcomer's does.
        env.pop("SITE_URL", None)
        subprocess.run(
            [sys.executable, "-m", "moviebook.cli", "prestart"], cwd=PROJECT_ROOT, env=env, check=True
        )
        yield env


@pytest.fixture(scope="session")
def app_db(app_env) -> Iterator[Session]:
    """A session on the app's own database, for what a test must know or arrange there."""
    engine = make_engine(app_env["DATABASE_URL"])
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


@pytest.fixture(scope="session")
def programme(app_db):
    """What the database says is on tomorrow: the pages must show exactly this."""
    tz = Settings().timezone
    tomorrow = local_today(tz) + timedelta(days=1)
    listings = listings_for_day(app_db, tomorrow, tz)
    weeks = {listing.movie.id: movie_with_week(app_db, listing.movie.id, tz) for listing in listings}
    assert len(listings) >= 8, "the seed should put most of the catalog on tomorrow's programme"
    return {"listings": listings, "weeks": weeks}


@pytest.fixture(scope="session")
def app_url(app_env, tmp_path_factory) -> Iterator[str]:
    port = app_env["PORT"]
    log = tmp_path_factory.mktemp("app-log") / "reflex.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            ["reflex", "run", "--env", "prod", "--single-port", "--frontend-port", port],
            cwd=PROJECT_ROOT,
            env=app_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so teardown can stop reflex and all its workers at once
        )
    url = f"http://localhost:{port}"
    try:
        _wait_until_up(url, proc, log)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        text = log.read_text()
        # A traceback in the server log is a failure even when every page looked fine.
        assert "Traceback (most recent call last)" not in text, text[-4000:]


def _chromium_path() -> str | None:
    """Prefer Playwright's own browser when installed; otherwise the system Chromium."""
    if os.environ.get("PLAYWRIGHT_CHROMIUM_PATH"):
        return os.environ["PLAYWRIGHT_CHROMIUM_PATH"]
    with sync_playwright() as p:
        if Path(p.chromium.executable_path).exists():
            return None
    if Path(SYSTEM_CHROMIUM).exists() or shutil.which("chromium"):
        return SYSTEM_CHROMIUM if Path(SYSTEM_CHROMIUM).exists() else shutil.which("chromium")
    raise RuntimeError("no Chromium found: install it (apt-get install chromium) — see README")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = _chromium_path()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, app_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=app_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"
