"""A rush on one showtime: buyers over Reflex's protocol through two app instances behind nginx.

    .venv/bin/python -m bench.rush [--buyers 500] [--viewers 100] [--seats 200] [--hot 100]

Starts the cluster as ``scripts/run_cluster.sh`` does (``tests/cluster.py``: the frontend built
once, N independent ``reflex run --env prod --backend-only`` instances with 2 workers each,
nginx in front) on a throwaway PostgreSQL database and Redis database, with one showtime in a
room of ``--seats`` seats. Every buyer is a user made straight in the database with a session
(``tests/seat_map_tabs.py``), and a protocol tab (the hydrate rides in the CONNECT packet, as
in the built frontend) opened on the map through the balancer. ``--viewers`` more tabs only
watch.

Then all buyers at once: each picks 1–4 seats from the same hot block (the first ``--hot``
seats, front rows first), clicks them one after another, and pays for what it got.
- hold: ``toggle_seat`` sent → the buyer's own map shows the seat as theirs, or a refusal
  toast arrives (someone else was faster);
- pay: ``pay`` sent → the redirect to the booking, or a refusal.
One second after the last answer, every open map is compared with the truth (sales from
PostgreSQL, holds from Redis), and the database is asked for seats sold twice.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

from moviebook.db import make_engine
from moviebook.models import Seat
from tests.app_server import prestart
from tests.cluster import built_state_schema, running_cluster
from tests.factories import make_auditorium, make_showtime_ahead
from tests.seat_map_tabs import CARD, SeatMapTab, shown, signed_in_storage, state_names, truth
from tests.support import claimed_redis_database, fresh_postgres_database

SETTLE_SECONDS = 1.0  # the promise: every map is right within a second of the last change
SEATS_PER_ROW = 20
ANSWER_TIMEOUT = 30
# Active booking seats of the showtime, and seats with more than one (the unique index forbids it).
SOLD = """SELECT count(*), count(*) - count(DISTINCT seat_id)
          FROM booking_seats WHERE showtime_id = :s AND is_active"""


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _pct(samples: list[float]) -> str:
    if not samples:
        return "no samples"
    s = sorted(samples)

    def at(q: float) -> float:
        return s[min(len(s) - 1, max(0, math.ceil(len(s) * q) - 1))]

    return f"p50 {statistics.median(s):6.0f}  p95 {at(0.95):6.0f}  p99 {at(0.99):6.0f}  max {s[-1]:6.0f}  (n={len(s)})"


async def _loop_lag(samples: list[float], every: float = 0.1) -> None:
    """How late this process's event loop wakes up (ms): when the clients themselves are the
    bottleneck, their answers arrive late however fast the server was."""
    while True:
        start = time.monotonic()
        await asyncio.sleep(every)
        samples.append((time.monotonic() - start - every) * 1000)


class Buyer:
    def __init__(self, tab: SeatMapTab, picker: str, wanted: list[int]):
        self.tab, self.picker, self.wanted = tab, picker, wanted
        self.holds: list[tuple[float, bool]] = []  # (ms, granted)
        self.pay: tuple[float, str] | None = None  # (ms, "booked" | "refused" | "no answer")
        self.done_at = 0.0
        self.unanswered: list[str] = []

    async def _answer(self, done, timeout: float = ANSWER_TIMEOUT) -> bool:
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.005)
        return True

    async def run(self) -> None:
        tab = self.tab
        for seat in self.wanted:
            refusals = tab.refusals
            sent = time.monotonic()
            await tab.send(self.picker, "toggle_seat", {"seat_id": seat})
            if await self._answer(lambda seat=seat, r=refusals: tab.mine(seat) or tab.refusals > r):
                self.holds.append(((time.monotonic() - sent) * 1000, tab.mine(seat)))
            else:
                self.unanswered.append(f"seat {seat}: me={tab.me} taken={tab.taken} last={tab.texts()[-800:]}")
        if any(granted for _, granted in self.holds):
            refusals = tab.refusals
            sent = time.monotonic()
            await tab.send(self.picker, "pay", {"form": CARD})
            answered = await self._answer(lambda: tab.outcome == "booked" or tab.refusals > refusals)
            outcome = "no answer" if not answered else "booked" if tab.outcome == "booked" else "refused"
            self.pay = ((time.monotonic() - sent) * 1000, outcome)
        self.done_at = time.monotonic()


async def _connect(tabs: list[SeatMapTab], path: str, query: dict, batch: int = 20) -> float:
    started = time.monotonic()
    for start in range(0, len(tabs), batch):
        await asyncio.gather(*(t.open(path, query) for t in tabs[start : start + batch]), return_exceptions=True)
    deadline = time.monotonic() + 30
    while any(t.connected and not t.ready for t in tabs) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return time.monotonic() - started


async def _rush(args, url: str, schema: str, show_id: int, seat_ids: list[int], storage: list[dict], read_truth):
    """The whole run on one event loop (the tabs' sockets live on it): connect, rush, compare
    the maps with ``read_truth()`` (run in a thread), print, close."""
    picker = state_names()[1]
    path, query = f"/showtimes/{show_id}", {"showtime_id": str(show_id)}
    rng = random.Random(args.seed)
    hot = seat_ids[: args.hot]
    watchers = [SeatMapTab(url, schema, picker) for _ in range(args.viewers)]
    buyers = [Buyer(SeatMapTab(url, schema, picker, s), picker, rng.sample(hot, rng.randint(1, 4))) for s in storage]
    everyone = watchers + [b.tab for b in buyers]
    took = await _connect(everyone, path, query)
    ready = [t for t in everyone if t.connected and t.ready]
    print(
        f"connected through the balancer: {sum(t in ready for t in watchers)} of {args.viewers} viewers, "
        f"{sum(b.tab in ready for b in buyers)} of {len(buyers)} buyers, in {took:.0f}s; load {_load()}",
        flush=True,
    )
    active = [b for b in buyers if b.tab in ready]
    started = time.monotonic()
    lag: list[float] = []
    monitor = asyncio.create_task(_loop_lag(lag))
    await asyncio.gather(*(b.run() for b in active))
    monitor.cancel()
    last_answer = max((b.done_at for b in active), default=time.monotonic())
    print(f"rush: {len(active)} buyers done in {last_answer - started:.1f}s; load {_load()}", flush=True)
    print(f"the clients' own event loop was late by (ms): {_pct(lag)}", flush=True)
    stale = {}
    for after in (SETTLE_SECONDS, 3.0, 10.0):
        await asyncio.sleep(max(0.0, last_answer + after - time.monotonic()))
        maps = [(t in watchers, dict(t.taken or {})) for t in ready if t.connected]
        expected, sold, twice = await asyncio.to_thread(read_truth)
        stale[after] = [(is_viewer, taken) for is_viewer, taken in maps if shown(taken) != expected]
        if not stale[after]:
            break
    _report(buyers, maps, stale, expected, sold, twice, len(seat_ids), args.hot)
    try:
        await asyncio.wait_for(asyncio.gather(*(t.close() for t in ready), return_exceptions=True), 60)
    except TimeoutError:
        print("(some tabs did not close within 60 s)")


def _report(buyers: list[Buyer], maps, stale, expected, sold, twice, seats: int, hot: int) -> None:
    holds = [h for b in buyers for h in b.holds]
    pays = [b.pay for b in buyers if b.pay]
    print(f"hold answers (ms), all:      {_pct([ms for ms, _ in holds])}")
    print(f"  granted:                   {_pct([ms for ms, ok in holds if ok])}")
    print(f"  refused:                   {_pct([ms for ms, ok in holds if not ok])}")
    print(f"pay answers (ms), all:       {_pct([ms for ms, _ in pays])}")
    print(f"  booked:                    {_pct([ms for ms, outcome in pays if outcome == 'booked'])}")
    print(
        f"buyers: {sum(1 for b in buyers if b.pay and b.pay[1] == 'booked')} booked, "
        f"{sum(1 for b in buyers if b.pay and b.pay[1] == 'refused')} refused at pay, "
        f"{sum(1 for b in buyers if b.pay and b.pay[1] == 'no answer')} without an answer to pay, "
        f"{sum(1 for b in buyers if b.holds and not b.pay)} got no seat; "
        f"hold clicks without an answer: {sum(len(b.wanted) - len(b.holds) for b in buyers if b.done_at)}"
    )
    for b in buyers:
        if b.unanswered:
            print("first unanswered hold click:", b.unanswered[0][:1500])
            break
    print(f"seats sold: {sold} of {seats} (hot block {hot}); seats sold twice: {twice}")
    viewers = sum(1 for is_viewer, _ in maps if is_viewer)
    for after, wrong in stale.items():
        print(
            f"stale maps {after:.0f} s after the last answer: {sum(1 for v, _ in wrong if v)} of {viewers} viewers, "
            f"{sum(1 for v, _ in wrong if not v)} of {len(maps) - viewers} buyers' maps"
        )
    if stale and (last := list(stale.values())[-1]):
        shows = shown(last[0][1])
        diff = {
            k: (shows.get(k), expected.get(k)) for k in set(shows) | set(expected) if shows.get(k) != expected.get(k)
        }
        print(f"  first stale map, seat: (shows, truth): {dict(list(diff.items())[:10])}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--buyers", type=int, default=500)
    parser.add_argument("--viewers", type=int, default=100, help="tabs that only watch the map")
    parser.add_argument("--seats", type=int, default=200, help="seats in the room (rows of 20)")
    parser.add_argument("--hot", type=int, default=100, help="every buyer picks from the first HOT seats")
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    with fresh_postgres_database("bench_rush") as db_url, claimed_redis_database() as redis_url:
        data = Path(tempfile.mkdtemp())
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "REDIS_URL": redis_url,
            "MOVIEBOOK_DATA_DIR": str(data),
            "REFLEX_UPLOADED_FILES_DIR": str(data / "uploads"),
            "ADMIN_PASSWORD": "bench admin password",
            "SECRET_KEY": "bench-secret-key-" + "r" * 32,  # every instance's, and the sessions made here
            "SEED_DEMO_DATA": "0",
        }
        env.pop("SITE_URL", None)
        prestart(env)
        engine = make_engine(db_url)
        with Session(engine, expire_on_commit=False) as session:
            room = make_auditorium(session, "Rush room", rows=math.ceil(args.seats / SEATS_PER_ROW), seats_per_row=20)
            show = make_showtime_ahead(session, room=room, days=2)
            seat_ids = list(session.exec(select(Seat.id).where(Seat.auditorium_id == room.id).order_by(Seat.y, Seat.x)))
            session.commit()
            storage = signed_in_storage(session, env["SECRET_KEY"], args.buyers, prefix="rush")
        print(
            f"rush: {args.buyers} buyers, {args.viewers} viewers, showtime {show.id} with {len(seat_ids)} seats, "
            f"hot block {args.hot}, {args.instances} instances × {os.environ.get('GRANIAN_WORKERS', '?')} workers "
            f"behind nginx; load {_load()}",
            flush=True,
        )

        def read_truth():
            with Session(engine) as session:
                expected = truth(redis_url, session, show.id, seat_ids)
                sold, twice = session.connection().execute(sa.text(SOLD), {"s": show.id}).one()
            return expected, sold, twice

        with running_cluster(env, instances=args.instances, log_dir=data / "cluster") as cluster:
            schema = built_state_schema(cluster)
            asyncio.run(_rush(args, cluster.url, schema, show.id, seat_ids, storage, read_truth))
            logs = "".join(i.log.read_text(errors="replace") for i in cluster.instances)
        engine.dispose()
    print(
        f"instance logs: {logs.count('held too long')} 'held too long' warnings, "
        f"{logs.count('Traceback (most recent call last)')} tracebacks; load {_load()}"
    )


if __name__ == "__main__":
    main()
