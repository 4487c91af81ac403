"""Live seat-map latency: from one moviegoer's click to every other open map showing it.

    .venv/bin/python -m bench.live_sync [--viewers 10,50] [--trials 8]
    .venv/bin/python -m bench.live_sync --clients protocol --viewers 10,200,500,1000,2000 --trials 5
    .venv/bin/python -m bench.live_sync --clients protocol --viewers 200 --memory 1000

Starts the production build (2 granian workers, Redis state manager) against a throwaway
PostgreSQL database and its own Redis database, like the browser tests, on a showtime of its
own in a 216-seat room, and has a signed-in moviegoer hold seats one by one.

- ``--clients browser``: N viewer tabs in Chromium, and the actor clicks in Chromium too. Each
  tab timestamps, in the browser, the moment its seat flips to "held"; one browser, one clock.
  A few dozen tabs is the practical ceiling on two cores.
- ``--clients protocol``: the viewers are socket.io clients speaking Reflex's protocol
  (``bench/viewer_client.py``) and the actor is one too (``tests/seat_map_tabs.py``, signed in
  with a session made in the database): it sends ``toggle_seat`` as the page's click does.
  Latency = that send → each viewer having the update (one process, one clock). In the same
  run, for the same N, a bare python-socketio server broadcasts a payload of the same size to
  N plain clients joined to one room (``bench/raw_broadcast.py``): the raw limit, printed
  beside it with the ratio.
- ``--memory N`` (protocol): backend RSS (and PSS), summed over the app's processes from
  /proc, before and after connecting N viewers, and the difference per viewer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlmodel import Session, select

from moviebook.db import make_engine
from moviebook.models import Seat
from moviebook.services.accounts import register_user
from scripts.cluster import group_members
from tests.app_server import CHROMIUM_FLAGS, chromium_executable, free_port, prestart, running_app
from tests.factories import make_auditorium, make_showtime_ahead
from tests.support import claimed_redis_database, fresh_postgres_database

ROWS, SEATS_PER_ROW = 12, 18  # 216 seats, the size of the demo cinema's big room
MAX_HOLD = 10  # the per-user seat limit (MAX_SEATS_PER_BOOKING): the actor releases before it
WATCH = """(seatName) => {
  window.__flips = [];
  const seat = [...document.querySelectorAll('[data-seat]')]
    .find(b => b.getAttribute('aria-label').startsWith(seatName));
  new MutationObserver(() => window.__flips.push([seat.dataset.state, Date.now()]))
    .observe(seat, {attributes: true, attributeFilter: ['data-state']});
}"""


@dataclass
class BenchApp:
    url: str
    port: int
    env: dict[str, str]
    showtime_id: int
    seat_ids: list[int]  # in map order: row A first
    actor_storage: dict  # a signed-in moviegoer's localStorage, for a protocol actor


@contextmanager
def bench_app():
    """The production build on a fresh database with one showtime of its own and an actor
    (email actor@example.com, password "actor password", and a ready session)."""
    from tests.seat_map_tabs import signed_in_storage

    with fresh_postgres_database("bench_live") as db_url, claimed_redis_database() as redis_url:
        data = Path(tempfile.mkdtemp())
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "REDIS_URL": redis_url,
            "MOVIEBOOK_DATA_DIR": str(data),
            "PORT": str(port),
            "ADMIN_PASSWORD": "bench admin password",
            "SECRET_KEY": "bench-secret-key-" + "b" * 32,  # known here: sessions are made in the database
            "SEED_DEMO_DATA": "0",
        }
        env.pop("SITE_URL", None)
        prestart(env)
        engine = make_engine(db_url)
        with Session(engine, expire_on_commit=False) as session:
            register_user(
                session, name="Actor", email="actor@example.com", password="actor password", confirm="actor password"
            )
            room = make_auditorium(session, "Bench room", rows=ROWS, seats_per_row=SEATS_PER_ROW)
            show = make_showtime_ahead(session, room=room, days=2)
            seat_ids = list(session.exec(select(Seat.id).where(Seat.auditorium_id == room.id).order_by(Seat.y, Seat.x)))
            session.commit()
            storage = signed_in_storage(session, env["SECRET_KEY"], 1, prefix="actor")[0]
        engine.dispose()
        with running_app(env, data / "reflex.log") as url:
            yield BenchApp(url, port, env, show.id, seat_ids, storage)


# --- memory of the app's processes, from /proc ------------------------------------------------


def _listening_inodes(port: int) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # LISTEN
                inodes.add(fields[9])
    return inodes


def app_processes(port: int) -> list[int]:
    """Every process of the app serving ``port``: the process group of whoever listens there
    (reflex, granian's supervisor and its workers)."""
    wanted = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if any(os.readlink(fd) in wanted for fd in (proc / "fd").iterdir()):
                return group_members(os.getpgid(int(proc.name)))
        except OSError:
            continue
    raise RuntimeError(f"nothing listens on port {port}")


def _kib(path: Path, field: str) -> int:
    for line in path.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def memory_kib(pids: list[int]) -> dict[int, tuple[int, int, str]]:
    """{pid: (RSS KiB, PSS KiB, command line)} of each process still alive."""
    found = {}
    for pid in pids:
        proc = Path(f"/proc/{pid}")
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:70]
            found[pid] = (_kib(proc / "status", "VmRSS"), _kib(proc / "smaps_rollup", "Pss"), command)
        except OSError:
            continue
    return found


# --- protocol viewers --------------------------------------------------------------------------


def _percentiles(samples: list[float]) -> tuple[float, float, float]:
    if not samples:
        return float("nan"), float("nan"), float("nan")
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)], ordered[-1]


async def _connect_viewers(app: BenchApp, schema: str, count: int, batch: int = 25) -> tuple[list, float]:
    """``count`` viewers on the showtime's map, in batches (the server hydrates each one); the
    ones that connected, and how long it took."""
    from bench.viewer_client import Viewer

    started = time.monotonic()
    viewers = [Viewer(app.url, app.showtime_id, schema) for _ in range(count)]
    failures: dict[str, int] = {}
    for start in range(0, count, batch):
        results = await asyncio.gather(*(v.connect() for v in viewers[start : start + batch]), return_exceptions=True)
        for problem in (repr(r)[:100] for r in results if isinstance(r, BaseException)):
            failures[problem] = failures.get(problem, 0) + 1
    if failures:
        print(f"          {sum(failures.values())} of {count} viewers failed to connect: {failures}", flush=True)
    return [v for v in viewers if v.connected and v.labels], time.monotonic() - started


async def _close(clients) -> None:
    await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)


async def _memory(app: BenchApp, schema: str, count: int) -> None:
    pids = app_processes(app.port)
    await asyncio.sleep(2)
    before = memory_kib(pids)
    viewers, took = await _connect_viewers(app, schema, count)
    await asyncio.sleep(5)  # let the joins' work finish
    after = memory_kib(pids)
    print(f"backend memory, {len(viewers)} of {count} viewers connected in {took:.1f}s:")
    print(f"  {'pid':>7} {'RSS before':>11} {'RSS after':>10} {'PSS before':>11} {'PSS after':>10}  command")
    for pid, (rss, pss, command) in sorted(after.items()):
        rss0, pss0, _ = before.get(pid, (0, 0, ""))
        print(f"  {pid:7d} {rss0:8d} KiB {rss:7d} KiB {pss0:8d} KiB {pss:7d} KiB  {command}")
    rss_delta = sum(v[0] for v in after.values()) - sum(v[0] for v in before.values())
    pss_delta = sum(v[1] for v in after.values()) - sum(v[1] for v in before.values())
    n = max(len(viewers), 1)
    print(
        f"  sum over {len(after)} processes: RSS +{rss_delta / 1024:.1f} MiB = {rss_delta / n:.1f} KiB per viewer; "
        f"PSS +{pss_delta / 1024:.1f} MiB = {pss_delta / n:.1f} KiB per viewer; load {_load()}"
    )
    await _close(viewers)
    await asyncio.sleep(5)
    closed = memory_kib(pids)
    kept = sum(v[0] for v in closed.values()) - sum(v[0] for v in before.values())
    print(f"  {len(viewers)} viewers closed, 5 s later: RSS +{kept / 1024:.1f} MiB over the start")
    # A second round tells kept-per-connection (it grows again) from memory the process keeps
    # for reuse after the first round's high-water mark (it does not).
    again, _ = await _connect_viewers(app, schema, count)
    await asyncio.sleep(5)
    second = sum(v[0] for v in memory_kib(pids).values()) - sum(v[0] for v in before.values())
    print(
        f"  {len(again)} new viewers connected: RSS +{second / 1024:.1f} MiB over the start, "
        f"+{(second - kept) / max(len(again), 1):.1f} KiB per viewer over the closed state; load {_load()}"
    )
    await _close(again)


async def _protocol(app: BenchApp, counts: list[int], trials: int, memory: int) -> None:
    from bench.raw_broadcast import broadcast_latencies, connect_raw_clients, raw_server
    from tests.reflex_protocol import built_state_schema
    from tests.seat_map_tabs import SeatMapTab, state_names

    schema = built_state_schema()
    picker = state_names()[1]
    if memory:
        await _memory(app, schema, memory)
    actor = SeatMapTab(app.url, schema, picker, app.actor_storage)
    await actor.open(f"/showtimes/{app.showtime_id}", {"showtime_id": str(app.showtime_id)})
    while actor.taken is None:
        await asyncio.sleep(0.05)
    seats = iter(app.seat_ids)
    print(f"live seat-map latency, click → every viewer has it (ms), {trials} trials per count; load {_load()}")
    print("  viewers  connected | Moviebook p50 / p95 / max | raw room p50 / p95 / max | ratio p50 / p95")
    with raw_server() as raw_url:
        for count in counts:
            viewers, took = await _connect_viewers(app, schema, count)
            samples, missing, payload, held, slowest = [], 0, None, 0, []
            for _ in range(trials):
                if held == MAX_HOLD:
                    await actor.send(picker, "release_all", {})
                    await asyncio.sleep(0.5)
                    held = 0
                seat = next(seats)
                label = viewers[0].labels[str(seat)] if viewers else ""
                sent = time.time()
                await actor.send(picker, "toggle_seat", {"seat_id": seat})
                held += 1
                deadline = time.monotonic() + 60
                while not all(label in v.flips for v in viewers) and time.monotonic() < deadline:
                    await asyncio.sleep(0.005)
                got = [(v.flips[label] - sent) * 1000 for v in viewers if label in v.flips]
                samples.extend(got)
                slowest.append(max(got, default=float("nan")))
                missing += len(viewers) - len(got)
                await asyncio.sleep(0.3)
            if viewers:
                payload = viewers[0].updates[-1]  # the last update, as sent: the raw one is as big
            await _close(viewers)
            await actor.send(picker, "release_all", {})
            held = 0
            raw_clients = await connect_raw_clients(raw_url, count)
            raw, raw_missing = await broadcast_latencies(raw_url, raw_clients, payload or {}, trials)
            await _close(raw_clients)
            ours, base = _percentiles(samples), _percentiles(raw)
            print(
                f"  {count:7d} {len(viewers):4d} ({took:3.0f}s) | {ours[0]:7.0f} / {ours[1]:6.0f} / {ours[2]:6.0f}"
                f"{f' ({missing} lost)' if missing else ''} | {base[0]:7.0f} / {base[1]:6.0f} / {base[2]:6.0f}"
                f"{f' ({raw_missing} lost)' if raw_missing else ''} ({len(raw_clients)} joined) | "
                f"{ours[0] / base[0]:4.1f}× / {ours[1] / base[1]:4.1f}×   "
                f"(n={len(samples)}, {len(json.dumps(payload or {}))} B update; load {_load()})",
                flush=True,
            )
            print(f"          slowest viewer per trial, ms: {' '.join(f'{ms:.0f}' for ms in slowest)}", flush=True)
            await asyncio.sleep(1)
    await actor.close()


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- browser viewers ---------------------------------------------------------------------------


def _browser(app: BenchApp, counts: list[int], trials: int) -> None:
    executable = chromium_executable()  # before sync_playwright: it opens its own session
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        actor = browser.new_context(base_url=app.url).new_page()
        actor.goto("/login?next=/showtimes/%d" % app.showtime_id)
        form = actor.locator("form")
        form.get_by_label("Email").fill("actor@example.com")
        form.get_by_label("Password").fill("actor password")
        form.get_by_label("Password").press("Enter")
        actor.get_by_role("region", name="Seat map").wait_for()
        print(f"live seat-map latency, click → every viewer shows it (ms), {trials} trials each; load {_load()}")
        seat_number = 0
        for count in counts:
            viewers = browser.new_context(base_url=app.url)
            pages = []
            for _ in range(count):
                page = viewers.new_page()
                page.goto(f"/showtimes/{app.showtime_id}")
                page.get_by_role("region", name="Seat map").wait_for()
                pages.append(page)
            samples = []
            for _ in range(trials):
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
            p50, p95, top = _percentiles(samples)
            print(f"  {count:4d} viewers: p50 {p50:7.0f}   p95 {p95:7.0f}   max {top:7.0f}   (n={len(samples)})")
            viewers.close()
            actor.get_by_role("button", name="Release my seats").click()
        browser.close()


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
    parser.add_argument("--memory", type=int, default=0, help="protocol: backend memory for this many viewers first")
    args = parser.parse_args()
    counts = [int(n) for n in args.viewers.split(",") if n]
    if args.clients == "browser" and (args.trials * len(counts) > SEATS_PER_ROW or args.trials > MAX_HOLD):
        parser.error(f"the browser actor clicks along row A ({SEATS_PER_ROW} seats, {MAX_HOLD} held at a time)")
    if args.trials * len(counts) > ROWS * SEATS_PER_ROW:
        parser.error(f"the actor takes a new seat per trial: {ROWS * SEATS_PER_ROW} in the room")
    with bench_app() as app:
        if args.clients == "protocol":
            asyncio.run(_protocol(app, counts, args.trials, args.memory))
        else:
            _browser(app, counts, args.trials)


if __name__ == "__main__":
    main()
