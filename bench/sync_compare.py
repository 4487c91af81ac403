"""Live seat maps, two mechanisms side by side: ``rx.SharedState`` linked per showtime vs the
fan-out that Moviebook uses (one ``emit_update`` of the same small delta to every open tab).

    .venv/bin/python -m bench.sync_compare [--viewers 10,100,500] [--trials 3]

Starts the small comparison app in ``bench/sync_app/`` (production build, Redis state
manager on a claimed Redis database, ``GRANIAN_WORKERS`` backend workers: 2 from
scripts/env.sh) and, for each viewer count N, opens N viewers on the SharedState page and N on
the fan-out page of a fresh "showtime", all at once. An actor on each page takes one seat per
trial; the two mechanisms alternate trial by trial (and which goes first alternates too), so
both face the same load on this shared machine. Latency = from the actor sending its event to
each viewer receiving the delta that shows the seat taken; actor and viewers are socket.io
clients speaking Reflex's protocol in this one process, so there is one clock. No browser.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import socketio

from tests.app_server import free_port, running_app
from tests.support import claimed_redis_database

APP_DIR = Path(__file__).resolve().parent / "sync_app"
ROOT_STATE = "reflex___state____state"
MECHANISMS = {
    # label: (route prefix, the state's full name in deltas)
    "SharedState": (
        "shared",
        f"{ROOT_STATE}.reflex___istate___shared____shared_state_base_internal.seatsync___seatsync____shared_seats",
    ),
    "fan-out": ("fanout", f"{ROOT_STATE}.seatsync___seatsync____fanout_seats"),
}
TAKEN, READY = "taken_rx_state_", "ready_rx_state_"


def built_state_schema() -> str:
    """The mini app's build's state schema; the backend refuses a hydrate that does not match."""
    text = (APP_DIR / ".web" / "utils" / "context.jsx").read_text()
    return re.search(r'stateSchema = "([0-9a-f]+)"', text).group(1)


class Client:
    """One tab of the mini app: hydrates (and runs on_load) in the CONNECT packet, then
    records when each seat first shows up in its ``taken``."""

    def __init__(self, url: str, mechanism: str, hall: str, schema: str):
        self.url, self.hall, self.schema = url, hall, schema
        self.prefix, self.state = MECHANISMS[mechanism]
        self.client = socketio.AsyncClient(reconnection=False)
        self.seen: dict[str, float] = {}  # seat -> time.time() when it arrived
        self.ready = asyncio.Event()
        self.last = time.monotonic()  # when it last received anything
        self.client.on("event", self._on_event, namespace="/_event")

    def _router_data(self) -> dict:
        path = f"/{self.prefix}/{self.hall}"
        return {"pathname": path, "asPath": path, "query": {"hall": self.hall}}

    async def _on_event(self, message) -> None:
        now = time.time()
        self.last = time.monotonic()
        delta = message.get("delta", {}) if isinstance(message, dict) else {}
        mine = delta.get(self.state, {})
        for seat in mine.get(TAKEN) or {}:
            self.seen.setdefault(seat, now)
        if mine.get(READY):
            self.ready.set()

    async def connect(self) -> None:
        event = {"name": f"{ROOT_STATE}.hydrate_and_load", "payload": {}, "router_data": self._router_data()}
        try:
            await self.client.connect(
                f"{self.url}?token={uuid.uuid4()}",
                socketio_path="_event",
                namespaces=["/_event"],
                transports=["websocket"],
                auth={"event": event, "state_schema": self.schema},
            )
            await asyncio.wait_for(self.ready.wait(), timeout=300)
        except BaseException:
            await self.client.disconnect()
            raise

    async def take(self, seat: str) -> None:
        await self.client.emit(
            "event",
            {"name": f"{self.state}.take", "payload": {"seat": seat}, "router_data": self._router_data()},
            namespace="/_event",
        )

    async def close(self) -> None:
        await self.client.disconnect()


def _summary(samples: list[float], expected: int) -> str:
    if not samples:
        return f"no samples ({expected} expected)"
    samples = sorted(samples)
    missing = expected - len(samples)
    return (
        f"p50 {statistics.median(samples):6.0f}   p95 {samples[max(0, int(len(samples) * 0.95) - 1)]:6.0f}   "
        f"max {samples[-1]:6.0f}   (n={len(samples)}{f', {missing} never arrived' if missing else ''})"
    )


async def _join(clients: list[Client], budget: float, batch: int = 25) -> tuple[list[Client], float, str]:
    """Connect in batches (the server hydrates each one) until all are in or ``budget`` seconds
    have passed; returns who made it, seconds taken, and the first error."""
    started, joined, error = time.monotonic(), [], ""
    for start in range(0, len(clients), batch):
        if time.monotonic() - started > budget:
            error = error or f"join budget of {budget:.0f}s spent"
            break
        group = clients[start : start + batch]
        results = await asyncio.gather(*(c.connect() for c in group), return_exceptions=True)
        for client, result in zip(group, results, strict=True):
            if isinstance(result, BaseException):
                error = error or f"{type(result).__name__}: {result}"
            else:
                joined.append(client)
    return joined, time.monotonic() - started, error


async def _quiet(clients: list[Client], seconds: float = 2.0, limit: float = 300.0) -> None:
    """Wait until no client has received anything for ``seconds`` (joins can fan out too)."""
    for client in clients:
        client.last = time.monotonic()
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and time.monotonic() - max(c.last for c in clients) < seconds:
        await asyncio.sleep(0.2)


async def measure(url: str, counts: list[int], trials: int, join_budget: float) -> None:
    schema = built_state_schema()
    seats = iter(f"{row}{n}" for row in "ABCDEFGHIJ" for n in range(1, 11))
    print(
        f"live seat-map latency, actor's event → every viewer has the seat (ms), {trials} trials each, "
        f"GRANIAN_WORKERS={os.environ.get('GRANIAN_WORKERS', 'default')}, "
        f"lock expiration {os.environ.get('REFLEX_REDIS_LOCK_EXPIRATION', 'default')} ms"
    )
    for count in counts:
        hall = str(count)  # a fresh "showtime" per count: no tabs left over from the last one
        viewers, actors = {}, {}
        for mechanism in reversed(MECHANISMS):  # the fan-out first: SharedState joins leave work behind
            actor = Client(url, mechanism, hall, schema)
            await actor.connect()
            actors[mechanism] = actor
            viewers[mechanism], took, error = await _join(
                [Client(url, mechanism, hall, schema) for _ in range(count)], join_budget
            )
            print(
                f"  {count:4d} viewers, {mechanism:11s}: {len(viewers[mechanism])} joined in {took:5.1f}s"
                f"{f'; first failure: {error}' if error else ''}",
                flush=True,
            )
        everyone = [c for group in viewers.values() for c in group] + list(actors.values())
        await _quiet(everyone)
        samples: dict[str, list[float]] = {m: [] for m in MECHANISMS}
        for trial in range(trials):
            order = list(MECHANISMS) if trial % 2 == 0 else list(reversed(MECHANISMS))
            for mechanism in order:
                seat = next(seats)
                clicked = time.time()
                await actors[mechanism].take(seat)
                deadline = time.monotonic() + 120
                while time.monotonic() < deadline and not all(seat in v.seen for v in viewers[mechanism]):
                    await asyncio.sleep(0.005)
                samples[mechanism].extend((v.seen[seat] - clicked) * 1000 for v in viewers[mechanism] if seat in v.seen)
                await _quiet(everyone, seconds=0.5)  # the other mechanism's turn starts on a quiet server
        for mechanism in MECHANISMS:
            joined = len(viewers[mechanism])
            print(
                f"  {count:4d} viewers, {mechanism:11s}: {_summary(samples[mechanism], joined * trials)}"
                f"{'' if joined == count else f'  [only {joined} viewers joined]'}",
                flush=True,
            )
        await asyncio.gather(*(c.close() for c in everyone), return_exceptions=True)
        await asyncio.sleep(2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--viewers", default="10,100,500")
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument(
        "--lock-expiration-ms",
        type=int,
        help="Reflex's redis_lock_expiration for the app (default 10000); SharedState joins at "
        "hundreds of viewers hold the showtime's lock longer than that",
    )
    parser.add_argument(
        "--join-budget",
        type=float,
        default=240,
        help="seconds to spend connecting one mechanism's viewers; latency is then measured with those that joined",
    )
    parser.add_argument("--only", choices=list(MECHANISMS), help="measure one mechanism alone")
    args = parser.parse_args()
    if args.only:
        for other in [m for m in MECHANISMS if m != args.only]:
            del MECHANISMS[other]
    counts = [int(n) for n in args.viewers.split(",")]
    with claimed_redis_database() as redis_url:
        env = {**os.environ, "REDIS_URL": redis_url, "PORT": str(free_port())}
        if args.lock_expiration_ms:
            env["REFLEX_REDIS_LOCK_EXPIRATION"] = os.environ["REFLEX_REDIS_LOCK_EXPIRATION"] = str(
                args.lock_expiration_ms
            )
        log = Path(tempfile.mkdtemp()) / "sync_app.log"
        with running_app(env, log, cwd=APP_DIR) as url:
            asyncio.run(measure(url, counts, args.trials, args.join_budget))
        print(f"(app log: {log})")


if __name__ == "__main__":
    main()
