"""Soak: mixed traffic through the load balancer for a long while, and what it did to memory.

    .venv/bin/python -m bench.soak [--seconds 600] [--clients 6] [--instances 2]

Starts the cluster of ``scripts/run_cluster.sh`` (two instances behind nginx, on a throwaway
PostgreSQL database and a claimed Redis database) and runs ``--clients`` API clients against
the balancer, each looping over what people do: browse the films and a day's showtimes, look
at a seat map, hold two seats, then release them, or pay and perhaps cancel, and now and then
an admin reads a report. It prints per action the count, p95 and errors (a 5xx or a broken
connection; "seat taken" is an answer, not an error), the throughput, and the instances'
memory (resident set of all their processes) after the warm-up and at the end. Beside the
figures, in the same run: ``/ping`` through the balancer, the floor for any request here.

Goals (issue 15): 0 errors, and memory flat within 10% over 10 minutes. The clients run on the
same cores as the instances, so read throughput as a ratio, not as the app's capacity.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import httpx
from sqlmodel import Session, select

from moviebook.db import make_engine
from moviebook.embedded_smtp import stop_embedded_smtp
from moviebook.models import Seat, utcnow
from tests.app_server import prestart
from tests.cluster import running_cluster
from tests.factories import make_auditorium, make_movie, make_showtime, make_user
from tests.support import claimed_redis_database, fresh_postgres_database

PASSWORD = "soak test password"
ADMIN = ("admin@soak.example", "soak-admin-password")
CARD = {"card_number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123", "card_name": "Soak"}
WARM_UP_SECONDS = 20
REPORTS = ("revenue-by-day", "revenue-by-movie", "sales-by-channel")


def _rss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass  # a worker that just ended
    return total


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: list[str] = []

    def timed(self, action: str, call):
        began = time.perf_counter()
        try:
            response = call()
        except httpx.TransportError as error:
            response, failure = None, f"{action}: {type(error).__name__}"
        else:
            failure = f"{action}: HTTP {response.status_code}" if response.status_code >= 500 else ""
        with self.lock:
            self.latencies[action].append((time.perf_counter() - began) * 1000)
            if failure:
                self.errors[action] += 1
                if len(self.samples) < 10:
                    self.samples.append(failure)
        return response


def _client(base: str, tally: Tally, users: list[str], show_ids: list[int], until: float, seed: int) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=30) as http:
        token = http.post("/api/v1/auth/login", json={"email": rng.choice(users), "password": PASSWORD})
        me = {"Authorization": f"Bearer {token.json()['access_token']}"}
        admin = http.post("/api/v1/auth/login", json={"email": ADMIN[0], "password": ADMIN[1]}).json()
        boss = {"Authorization": f"Bearer {admin['access_token']}"}
        while time.time() < until:
            show = rng.choice(show_ids)
            tally.timed("browse films", lambda: http.get("/api/v1/movies"))
            tally.timed("browse showtimes", lambda: http.get("/api/v1/showtimes"))  # noqa: B023
            seats = tally.timed("seat map", lambda: http.get(f"/api/v1/showtimes/{show}/seats"))  # noqa: B023
            if seats is None or seats.status_code != 200:
                continue
            free = [s["id"] for row in seats.json()["rows"] for s in row["seats"] if s["state"] == "free"]
            if len(free) < 2:
                continue
            pick = rng.sample(free, 2)
            held = tally.timed(
                "hold",
                lambda: http.post(f"/api/v1/showtimes/{show}/holds", json={"seat_ids": pick}, headers=me),  # noqa: B023
            )
            if held is None or held.status_code != 200:
                continue
            if rng.random() < 0.4:
                tally.timed(
                    "release",
                    lambda: http.request("DELETE", f"/api/v1/showtimes/{show}/holds", headers=me),  # noqa: B023
                )
                continue
            key = {"Idempotency-Key": f"soak-{uuid.uuid4().hex}"}
            paid = tally.timed(
                "pay",
                lambda: http.post(f"/api/v1/showtimes/{show}/confirm", json={"card": CARD}, headers={**me, **key}),  # noqa: B023
            )
            if paid is not None and paid.status_code == 201 and rng.random() < 0.5:
                booking = paid.json()["id"]
                tally.timed("cancel", lambda: http.post(f"/api/v1/me/bookings/{booking}/cancel", headers=me))  # noqa: B023
            if rng.random() < 0.1:
                report = rng.choice(REPORTS)
                tally.timed("admin report", lambda: http.get(f"/api/v1/admin/reports/{report}", headers=boss))  # noqa: B023


def _ping_floor(base: str, n: int = 300) -> list[float]:
    latencies = []
    with httpx.Client(base_url=base, timeout=10) as http:
        for _ in range(n):
            began = time.perf_counter()
            http.get("/ping")
            latencies.append((time.perf_counter() - began) * 1000)
    return latencies


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--instances", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mb-soak-"))
    with fresh_postgres_database("soak") as db_url, claimed_redis_database() as redis_url:
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "REDIS_URL": redis_url,
            "MOVIEBOOK_DATA_DIR": str(work / "data"),
            "REFLEX_UPLOADED_FILES_DIR": str(work / "uploads"),
            "ADMIN_EMAIL": ADMIN[0],
            "ADMIN_PASSWORD": ADMIN[1],
            "SEED_DEMO_DATA": "0",
            # Every client is 127.0.0.1 behind nginx: the per-address limit would be the test.
            "API_REQUESTS_PER_ADDRESS": "10000000",
            "API_REQUESTS_PER_TOKEN": "10000000",
        }
        env.pop("SITE_URL", None)
        prestart(env)
        engine = make_engine(db_url)
        with Session(engine) as session:
            movie = make_movie(session, "Soak Film")
            show_ids = []
            for n in range(3):
                room = make_auditorium(session, f"Soak Room {n}", rows=26, seats_per_row=40)  # never sells out
                show_ids.append(make_showtime(session, movie, room, utcnow() + timedelta(days=2 + n)).id)
            users = [make_user(session, f"soak-{i}@example.com", password=PASSWORD).email for i in range(args.clients)]
            session.commit()
            assert session.exec(select(Seat)).first() is not None
        engine.dispose()
        with running_cluster(env, instances=args.instances, log_dir=work / "cluster") as cluster:
            print(f"soak: {args.clients} API clients through nginx on {args.instances} instances, {args.seconds:.0f} s")
            floor_before = _ping_floor(cluster.url)
            tally = Tally()
            until = time.time() + WARM_UP_SECONDS + args.seconds
            clients = [
                threading.Thread(target=_client, args=(cluster.url, tally, users, show_ids, until, seed))
                for seed in range(args.clients)
            ]
            for thread in clients:
                thread.start()
            time.sleep(WARM_UP_SECONDS)
            with tally.lock:  # the warm-up's figures are left out
                tally.latencies.clear()
                tally.errors.clear()
            memory_start = _rss_kib([pid for i in cluster.instances for pid in i.pids()])
            started = time.perf_counter()
            for thread in clients:
                thread.join()
            elapsed = time.perf_counter() - started
            memory_end = _rss_kib([pid for i in cluster.instances for pid in i.pids()])
            floor_after = _ping_floor(cluster.url)
        stop_embedded_smtp(work / "data")  # the development mail server the instances started
        total = sum(len(v) for v in tally.latencies.values())
        errors = sum(tally.errors.values())
        print(f"  throughput: {total / elapsed:.1f} requests/s over {elapsed:.0f} s; errors: {errors}")
        print(f"  {'action':18s} {'count':>7s} {'p50 ms':>8s} {'p95 ms':>8s} {'errors':>7s}")
        for action, latencies in sorted(tally.latencies.items()):
            print(
                f"  {action:18s} {len(latencies):7d} {statistics.median(latencies):8.1f} {_p95(latencies):8.1f} "
                f"{tally.errors.get(action, 0):7d}"
            )
        floor = floor_before + floor_after
        print(f"  floor: GET /ping through nginx, p50 {statistics.median(floor):.1f} ms, p95 {_p95(floor):.1f} ms")
        change = 100 * (memory_end - memory_start) / memory_start
        print(
            f"  memory of the instances (RSS): {memory_start / 1024:.0f} MiB after the warm-up, "
            f"{memory_end / 1024:.0f} MiB at the end ({change:+.1f}%); goal: within 10%"
        )
        for sample in tally.samples:
            print(f"  error: {sample}")


if __name__ == "__main__":
    main()
