"""Hold and release through the service layer, next to raw Redis SET NX / DEL, in one run.

    .venv/bin/python -m bench.holds [--rounds 3000] [--threads 8]

Uses a claimed numbered database on TEST_REDIS_URL's server (default: local Redis) and empties
it afterwards. Prints ops/s and p50/p99 latency of each, and the service/raw ratio.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time

import redis

from moviebook.services.holds import HoldPolicy, HoldStore
from tests.support import claimed_redis_database


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3000, help="hold+release pairs per thread")
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    with claimed_redis_database() as url:
        pool = redis.BlockingConnectionPool.from_url(url, max_connections=args.threads + 2, decode_responses=True)
        client = redis.Redis(connection_pool=pool)
        store = HoldStore(client, HoldPolicy(ttl_seconds=600, max_seats=10))

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
        for name, work in (("raw SET NX + DEL", raw), ("HoldStore hold + release", service)):
            _run(args.threads, 200, work)  # warm-up: connections, script cache
            results[name] = _run(args.threads, args.rounds, work)
        print(f"2-seat hold + release, {args.threads} threads x {args.rounds} rounds (latency per pair, ms)")
        for name, (rate, lat) in results.items():
            p50, p99 = statistics.median(lat), _percentile(lat, 0.99)
            print(f"  {name:26s} {rate:9.0f} pairs/s   p50 {p50:6.3f}   p99 {p99:6.3f}")
        raw_rate, service_rate = results["raw SET NX + DEL"][0], results["HoldStore hold + release"][0]
        print(f"  service / raw throughput ratio: {service_rate / raw_rate:.2f}")
        pool.disconnect()


if __name__ == "__main__":
    main()
