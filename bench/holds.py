"""Seat holds through the service layer, beside the real limit of the same Lua script, in one run.

    .venv/bin/python -m bench.holds [--rounds 3000] [--threads 8] [--offered 1000] [--seconds 10]

On a claimed numbered database of TEST_REDIS_URL's server (default: local Redis), emptied
afterwards, it prints:

1. **Closed loop.** 2-seat hold + release pairs from ``--threads`` Python threads through
   ``HoldStore``, beside raw ``SET NX`` + ``DEL`` from the same threads.
2. **The script's own limit.** The very hold script ``HoldStore`` runs (a 4-seat hold), loaded
   with SCRIPT LOAD and run by ``redis-benchmark`` (C, 8 connections, 16 commands pipelined),
   beside ``HoldStore.hold`` of 4 seats from Python threads: the ratio is what the Python
   side (client, argument building, the GIL) costs.
3. **Offered load.** 4-seat holds sent at a fixed rate (``--offered`` per second, spread over 4
   threads, each released right after), for ``--seconds``: p50/p99 latency measured from when
   each hold was *due*, so a client falling behind shows as latency, not as a lower rate.
   Then the same load from 2 processes of one sender each, as the app's two workers send
   holds (no GIL shared between senders). The goal is p99 under 5 ms at 1,000 holds/s.
"""

from __future__ import annotations

import argparse
import csv
import io
import multiprocessing
import shutil
import statistics
import subprocess
import threading
import time
from urllib.parse import urlparse

import redis

# The private script and key helpers on purpose: the raw limit must be the very same script.
from moviebook.services.holds import _HOLD, EXPIRIES, HoldPolicy, HoldStore, _seat_key, _user_key, version_key
from tests.support import claimed_redis_database

SEATS_PER_HOLD = 4


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def _run(threads: int, rounds: int, work) -> tuple[float, list[float]]:
    latencies: list[float] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        mine = []
        for i in range(rounds):
            started = time.perf_counter()
            work(index, i)
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return threads * rounds / (time.perf_counter() - started), latencies


def _line(name: str, rate: float, latencies: list[float], unit: str) -> str:
    p50, p99 = statistics.median(latencies), _percentile(latencies, 0.99)
    return f"  {name:44s} {rate:9.0f} {unit}/s   p50 {p50:6.3f} ms   p99 {p99:6.3f} ms"


def closed_loop(store: HoldStore, client: redis.Redis, threads: int, rounds: int) -> None:
    def service(thread: int, i: int) -> None:
        seats = [thread * 100_000 + i * 2, thread * 100_000 + i * 2 + 1]  # a 2-seat hold
        store.hold(1, thread + 1, seats)
        store.release(1, thread + 1, seats)

    def raw(thread: int, i: int) -> None:
        keys = [f"bench:{thread}:{i}:a", f"bench:{thread}:{i}:b"]
        for key in keys:
            client.set(key, "1", nx=True, px=600_000)
        client.delete(*keys)

    results = {}
    for name, work in (("raw SET NX x2 + DEL", raw), ("HoldStore hold + release (2 seats)", service)):
        _run(threads, 200, work)  # warm-up: connections, script cache
        results[name] = _run(threads, rounds, work)
    print(f"1. closed loop: 2-seat hold + release, {threads} threads x {rounds} rounds (latency per pair)")
    for name, (rate, lat) in results.items():
        print(_line(name, rate, lat, "pairs"))
    raw_rate, service_rate = results["raw SET NX x2 + DEL"][0], results["HoldStore hold + release (2 seats)"][0]
    print(f"  service / raw throughput ratio: {service_rate / raw_rate:.2f}")


def _redis_benchmark(url: str, client: redis.Redis, requests: int) -> tuple[float, float, float] | None:
    """The hold script by redis-benchmark: (holds/s, p50 ms, p99 ms), or None without the tool."""
    tool = shutil.which("redis-benchmark")
    if tool is None:
        return None
    sha = client.script_load(_HOLD)
    where = urlparse(url)
    showtime = 9
    seat_keys = [_seat_key(showtime, "__rand_int__") for _ in range(SEATS_PER_HOLD)]
    keys = [_user_key(showtime, "__rand_int__"), EXPIRIES, version_key(showtime), *seat_keys]
    ttl_ms, now_ms = 600_000, int(time.time() * 1000)
    args = ["__rand_int__", ttl_ms, 10, now_ms, showtime, _seat_key(showtime), now_ms * 1000]
    args += ["__rand_int__"] * SEATS_PER_HOLD
    command = ["EVALSHA", sha, str(len(keys)), *keys, *(str(a) for a in args)]
    out = subprocess.run(
        [tool, "-h", where.hostname or "127.0.0.1", "-p", str(where.port or 6379), "--dbnum", where.path.strip("/")]
        + ["-n", str(requests), "-c", "8", "-P", "16", "-r", "100000000", "--csv", *command],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    row = next(csv.DictReader(io.StringIO(out)))
    return float(row["rps"]), float(row["p50_latency_ms"]), float(row["p99_latency_ms"])


def script_limit(url: str, store: HoldStore, client: redis.Redis, threads: int, rounds: int) -> None:
    print(f"2. the hold script's own limit: a {SEATS_PER_HOLD}-seat hold")
    limit = _redis_benchmark(url, client, requests=100_000)
    if limit is None:
        print("  redis-benchmark is not installed (apt-get install redis-tools): no raw limit to compare with")
    else:
        rate, p50, p99 = limit
        name = "same script, redis-benchmark -c 8 -P 16"
        print(f"  {name:44s} {rate:9.0f} holds/s   p50 {p50:6.3f} ms   p99 {p99:6.3f} ms")

    def hold(thread: int, i: int) -> None:
        base = 10_000_000 + thread * 1_000_000 + i * SEATS_PER_HOLD
        store.hold(2, 100 + thread * 100_000 + i, list(range(base, base + SEATS_PER_HOLD)))

    _run(threads, 100, hold)
    rate, latencies = _run(threads, rounds, hold)
    print(_line(f"HoldStore.hold, {threads} Python threads", rate, latencies, "holds"))
    if limit is not None:
        print(f"  HoldStore / redis-benchmark throughput ratio: {rate / limit[0]:.3f}")


def _send_on_schedule(
    store: HoldStore, index: int, senders: int, rate: int, start: float, seconds: float
) -> list[float]:
    """Sender ``index`` of ``senders``: its share of holds due at ``rate`` per second in all,
    each released after it; the latency of each from when it was due (ms)."""
    interval = senders / rate
    mine: list[float] = []
    n = 0
    while True:
        due = start + index * (1 / rate) + n * interval
        if due - start > seconds:
            return mine
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        base = 20_000_000 + index * 1_000_000 + n * SEATS_PER_HOLD
        seats = list(range(base, base + SEATS_PER_HOLD))
        store.hold(3, 1000 + index, seats)
        mine.append((time.perf_counter() - due) * 1000)
        store.release(3, 1000 + index, seats)
        n += 1


def _report_offered(rate: int, seconds: float, how: str, latencies: list[float], start: float) -> None:
    achieved = len(latencies) / (time.perf_counter() - start)  # below the offered rate: it fell behind
    print(_line(f"HoldStore.hold, {how}", achieved, latencies, "holds"))
    print(f"  goal: p99 under 5 ms at 1,000 holds/s; p99 here {_percentile(latencies, 0.99):.3f} ms")


def offered_load(store: HoldStore, rate: int, seconds: float, threads: int = 4) -> None:
    """Holds due at a fixed rate; each thread sends its share on schedule and releases each hold."""
    latencies: list[float] = []
    lock = threading.Lock()
    start = time.perf_counter() + 0.2

    def sender(index: int) -> None:
        mine = _send_on_schedule(store, index, threads, rate, start, seconds)
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=sender, args=(t,)) for t in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    print(f"3. offered load: {rate} {SEATS_PER_HOLD}-seat holds/s for {seconds:.0f} s, each hold released")
    print("   after it; latency from when the hold was due")
    _report_offered(rate, seconds, f"{threads} threads of one process", latencies, start)


def _process_sender(url: str, index: int, senders: int, rate: int, start: float, seconds: float, out) -> None:
    client = redis.Redis.from_url(url, decode_responses=True)
    store = HoldStore(client, HoldPolicy(ttl_seconds=600, max_seats=10))
    store.hold(3, 9000 + index, [30_000_000 + index])  # warm: connection and script cache
    store.release(3, 9000 + index, [30_000_000 + index])
    out.put(_send_on_schedule(store, index, senders, rate, start, seconds))


def offered_load_from_processes(url: str, rate: int, seconds: float, processes: int = 2) -> None:
    """The same offered load from ``processes`` processes of one sender each, as the app's
    workers send holds: no GIL shared between the senders."""
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    start = time.perf_counter() + 1.0  # CLOCK_MONOTONIC: the same clock in every process
    pool = [
        context.Process(target=_process_sender, args=(url, i, processes, rate, start, seconds, out))
        for i in range(processes)
    ]
    for p in pool:
        p.start()
    latencies = [ms for _ in pool for ms in out.get()]
    for p in pool:
        p.join()
    _report_offered(rate, seconds, f"{processes} processes, one sender each", latencies, start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3000, help="operations per thread in the closed loops")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--offered", type=int, default=1000, help="holds per second in the offered-load run")
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    with claimed_redis_database() as url:
        pool = redis.BlockingConnectionPool.from_url(url, max_connections=args.threads + 2, decode_responses=True)
        client = redis.Redis(connection_pool=pool)
        store = HoldStore(client, HoldPolicy(ttl_seconds=600, max_seats=10))
        closed_loop(store, client, args.threads, args.rounds)
        script_limit(url, store, client, args.threads, args.rounds // 2)
        offered_load(store, args.offered, args.seconds)
        offered_load_from_processes(url, args.offered, args.seconds)
        pool.disconnect()


if __name__ == "__main__":
    main()
