"""End-to-end fixtures: the production build served on a free port, and Chromium to drive it.

The app runs exactly as users get it (``reflex run --env prod``), against its own fresh
PostgreSQL database and its own Redis database, both migrated and seeded for this run. The demo
seed stays, so the pages are tested amid a real-sized programme, but no test relies on a seeded
row: each makes the films, rooms, showtimes and people it needs in the app's own database
(``app_db``, helpers.own_showtime) and commits them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlmodel import Session

from moviebook.db import make_engine
from moviebook.embedded_smtp import stop_embedded_smtp
from tests.app_server import CHROMIUM_FLAGS, chromium_executable, free_port, prestart, running_app
from tests.support import claimed_redis_database, fresh_postgres_database, require_postgres

HOLD_TTL_SECONDS = 45
PARTNER_ORIGIN = "https://partner.example"
# Generous because two cores build, serve and drive the browser at once; a real failure
# still fails, it just takes longer to say so.
expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def app_env(tmp_path_factory) -> Iterator[dict[str, str]]:
    """Environment of the app under test: fresh database (migrated + seeded), own Redis db."""
    require_postgres()
    data_dir = tmp_path_factory.mktemp("app-data")
    with fresh_postgres_database("e2e") as db_url, claimed_redis_database() as redis_url:
        port = free_port()
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
            # Known to the tests, so they can start sessions straight in the database.
            "SECRET_KEY": "e2e-secret-key-" + "k" * 32,
            "PORT": str(port),
            # One partner site may call the API from its pages (test_api_mount checks CORS).
            "API_PARTNER_ORIGINS": PARTNER_ORIGIN,
        }
        # No SITE_URL: the app must accept its own origin from PORT alone, as a newcomer's does.
        env.pop("SITE_URL", None)
        prestart(env)
        try:
            yield env
        finally:
            stop_embedded_smtp(data_dir)  # the development mail server the app started


@pytest.fixture(scope="session")
def app_db(app_env) -> Iterator[Session]:
    """A session on the app's own database, for what a test must know or arrange there."""
    engine = make_engine(app_env["DATABASE_URL"])
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


@pytest.fixture(scope="session")
def app_log(tmp_path_factory) -> Path:
    """The server log of the app under test (stdout and stderr of every worker)."""
    return tmp_path_factory.mktemp("app-log") / "reflex.log"


@pytest.fixture(scope="session")
def app_url(app_env, app_log) -> Iterator[str]:
    log = app_log
    with running_app(app_env, log) as url:
        yield url
    text = log.read_text()
    # A traceback in the server log is a failure even when every page looked fine.
    assert "Traceback (most recent call last)" not in text, text[-4000:]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_executable()
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
