"""Live seat-map latency: from one moviegoer's click to every other open map showing it.

    .venv/bin/python -m bench.live_sync [--viewers 10,50] [--trials 8]

Starts the production build against a throwaway PostgreSQL database and its own Redis
database (like the browser tests), opens N viewer tabs in Chromium on one showtime, and has a
signed-in moviegoer hold seats one by one. Each viewer tab timestamps, in the browser, the
moment its seat flips to "held"; latency = that time minus the click (one browser, one clock).
Prints p50 / p95 / max per viewer count. Real browsers are heavy: on this 2-core machine a few
dozen tabs is the practical ceiling (see bench/README.md for what that means for 500).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlmodel import Session

from moviebook.config import Settings
from moviebook.db import make_engine
from moviebook.services.accounts import register_user
from moviebook.services.clock import local_today
from moviebook.services.programme import listings_for_day
from tests.app_server import CHROMIUM_FLAGS, chromium_executable, free_port, prestart, running_app
from tests.support import claimed_redis_database, fresh_postgres_database

WATCH = """(seatName) => {
  window.__flips = [];
  const seat = [...document.querySelectorAll('[data-seat]')]
    .find(b => b.getAttribute('aria-label').startsWith(seatName));
  new MutationObserver(() => window.__flips.push([seat.dataset.state, Date.now()]))
    .observe(seat, {attributes: true, attributeFilter: ['data-state']});
}"""


def _protocol_viewers(url: str, showtime_id: int, counts: list[int], trials: int, actor) -> None:
    """Viewers as socket.io clients on an asyncio loop in a thread; the actor stays a real browser."""
    import asyncio
    import threading
    import time

    from bench.viewer_client import Viewer, built_state_schema

    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()

    def on_loop(*coroutines, timeout=300):
        async def together():
            return await asyncio.gather(*coroutines)

        return asyncio.run_coroutine_threadsafe(together(), loop).result(timeout)

    schema = built_state_schema()
    seat_number = 0
    for count in counts:

        async def make_viewers(n=count):  # created on the loop that will run them
            return [Viewer(url, showtime_id, schema) for _ in range(n)]

        viewers = on_loop(make_viewers())[0]
        for start in range(0, count, 25):  # connect in batches: the server hydrates each one
            on_loop(*(v.connect() for v in viewers[start : start + 25]))
        samples = []
        for _ in range(trials):
            seat_number += 1
            label = f"Row A, seat {seat_number}"
            clicked = time.time()
            actor.get_by_role("button", name=f"{label},", exact=False).first.click()
            deadline = time.time() + 60
            while time.time() < deadline and not all(label in v.flips for v in viewers):
                time.sleep(0.01)
            samples.extend((v.flips[label] - clicked) * 1000 for v in viewers if label in v.flips)
        samples.sort()
        missing = count * trials - len(samples)
        print(
            f"  {count:4d} viewers: p50 {statistics.median(samples):7.0f}   "
            f"p95 {samples[int(len(samples) * 0.95) - 1]:7.0f}   max {samples[-1]:7.0f}   (n={len(samples)}"
            f"{f', {missing} never arrived' if missing else ''})"
        )
        on_loop(*(v.close() for v in viewers))
        actor.get_by_role("button", name="Release my seats").click()
        time.sleep(1)
    loop.call_soon_threadsafe(loop.stop)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--viewers", default="10,50")
    parser.add_argument("--trials", type=int, default=8)
    parser.add_argument(
        "--clients",
        choices=("browser", "protocol"),
        default="browser",
        help="viewers as Chromium tabs, or as socket.io clients speaking Reflex's protocol",
    )
    args = parser.parse_args()
    counts = [int(n) for n in args.viewers.split(",")]
    with fresh_postgres_database("bench_live") as db_url, claimed_redis_database() as redis_url:
        data = Path(tempfile.mkdtemp())
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "REDIS_URL": redis_url,
            "MOVIEBOOK_DATA_DIR": str(data),
            "PORT": str(free_port()),
            "ADMIN_PASSWORD": "bench admin password",
        }
        env.pop("SITE_URL", None)
        prestart(env)
        engine = make_engine(db_url)
        with Session(engine) as session:
            register_user(
                session, name="Actor", email="actor@example.com", password="actor password", confirm="actor password"
            )
            session.commit()
            tz = Settings().timezone
            slot = listings_for_day(session, local_today(tz) + timedelta(days=1), tz)[0].showtimes[0]
        engine.dispose()
        executable = chromium_executable()  # before sync_playwright: it opens its own session
        with running_app(env, data / "reflex.log") as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
            actor = browser.new_context(base_url=url).new_page()
            actor.goto("/login?next=/showtimes/%d" % slot.id)
            form = actor.locator("form")
            form.get_by_label("Email").fill("actor@example.com")
            form.get_by_label("Password").fill("actor password")
            form.get_by_label("Password").press("Enter")
            actor.get_by_role("region", name="Seat map").wait_for()
            print(f"live seat-map latency, click → every viewer shows it (ms), {args.trials} trials each")
            seat_number = 0
            if args.clients == "protocol":
                _protocol_viewers(url, slot.id, counts, args.trials, actor)
                browser.close()
                return
            for count in counts:
                viewers = browser.new_context(base_url=url)
                pages = []
                for _ in range(count):
                    page = viewers.new_page()
                    page.goto(f"/showtimes/{slot.id}")
                    page.get_by_role("region", name="Seat map").wait_for()
                    pages.append(page)
                samples = []
                for _ in range(args.trials):
                    seat_number += 1
                    name = f"Row A, seat {seat_number},"
                    for page in pages:
                        page.evaluate(WATCH, name)
                    clicked = actor.evaluate("Date.now()")
                    actor.get_by_role("button", name=name, exact=False).first.click()
                    for page in pages:
                        page.wait_for_function("() => window.__flips.some(f => f[0] === 'held')", timeout=30_000)
                        flip = page.evaluate("window.__flips.find(f => f[0] === 'held')[1]")
                        samples.append(flip - clicked)
                samples.sort()
                print(
                    f"  {count:4d} viewers: p50 {statistics.median(samples):7.0f}   "
                    f"p95 {samples[int(len(samples) * 0.95) - 1]:7.0f}   max {samples[-1]:7.0f}   (n={len(samples)})"
                )
                viewers.close()
                actor.get_by_role("button", name="Release my seats").click()
            browser.close()


if __name__ == "__main__":
    main()
