"""Confirming bookings on PostgreSQL: throughput, latency, CPU and round trips per confirm,
beside a raw insert of the same rows, in one run.

    .venv/bin/python -m bench.confirm [--buyers 400] [--processes 1,2,4] [--threads 1] [--rate 150]

Creates a throwaway database (TEST_DATABASE_URL's server) with one large room and many buyers,
each holding two seats and confirming with the simulated card (``confirm_booking``: the same
``sell`` the seat picker, the counter and the API call). For each process count it prints
bookings/s (confirms only, wall clock), confirm p50/p99, and the CPU milliseconds per confirm
(user + system of the buyer processes, which run the app's code). Before that it counts the
SQL statements and Redis calls of one (warm) confirm, and measures a raw insert of the same rows
(booking, two seats, audit entry; one transaction per booking) from the same processes: the
database's own limit on this machine. Last, an offered load: ``--rate`` confirms/s in total
from ``--rate-processes`` processes on a fixed schedule, latency counted from when each confirm
was due. Then drops the database.

Goals (issue 15): at most 2 Redis calls and 3 SQL statements per confirm; at least 300
confirms/s with 2 processes; p99 under 50 ms at 150 confirms/s offered with 2 processes.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import threading
import time
import uuid
from datetime import date, timedelta

import redis
import sqlalchemy as sa
from sqlmodel import Session, select

from moviebook.cli import migrate
from moviebook.db import make_engine
from moviebook.models import Seat, User, utcnow
from moviebook.services.bookings import confirm_booking, hold_seats
from moviebook.services.holds import HoldPolicy, HoldStore
from moviebook.services.payments import SimulatedProvider, parse_card
from tests.factories import make_auditorium, make_movie, make_showtime
from tests.support import claimed_redis_database, fresh_postgres_database

CARD = parse_card({"card_number": "4242424242424242", "expiry": "12/39", "cvc": "123", "card_name": "B"}, date.today())
HOLD_POLICY = HoldPolicy(ttl_seconds=600, max_seats=10)


class CountingRedis(redis.Redis):
    """Counts round trips: every command and every script call is one."""

    calls: list[str] = []

    def execute_command(self, *args, **options):
        CountingRedis.calls.append(str(args[0]))
        return super().execute_command(*args, **options)


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def _confirm(session: Session, store: HoldStore, showtime_id: int, user_id: int) -> None:
    confirm_booking(
        session,
        store,
        SimulatedProvider(),
        showtime_id=showtime_id,
        user_id=user_id,
        idempotency_key=f"k{user_id}",
        card=CARD,
    )


def round_trips(db_url: str, redis_url: str, showtime_id: int, work: list[tuple[int, list[int]]]) -> tuple[int, int]:
    """The round trips of one confirm, after a first one (which loads the Lua scripts into Redis:
    a cold client's first call of a script is EVALSHA, NOSCRIPT, SCRIPT LOAD, EVALSHA)."""
    engine = make_engine(db_url)
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    store = HoldStore(CountingRedis.from_url(redis_url, decode_responses=True), HOLD_POLICY)
    for user_id, seats in work[:2]:
        with Session(engine) as session:
            hold_seats(session, store, showtime_id=showtime_id, user_id=user_id, seat_ids=seats)
        statements.clear()
        CountingRedis.calls.clear()
        with Session(engine) as session:
            _confirm(session, store, showtime_id, user_id)
    engine.dispose()
    return len(statements), len(CountingRedis.calls)


def _buyer_process(db_url, redis_url, showtime_id, work, threads, pace, start_at, results) -> None:
    """Hold then confirm for each (user, seats) in ``work``; report latencies and CPU time.
    With ``pace`` (offset, interval), the i-th confirm is due at start + offset + i x interval
    (offered load) and its latency counts from then, so a queue behind a slow one shows."""
    engine = make_engine(db_url)
    pool = redis.BlockingConnectionPool.from_url(redis_url, max_connections=threads + 2, decode_responses=True)
    store = HoldStore(redis.Redis(connection_pool=pool), HOLD_POLICY)
    with Session(engine) as session:  # holds first: the timed part is the confirm alone
        for user_id, seats in work:
            hold_seats(session, store, showtime_id=showtime_id, user_id=user_id, seat_ids=seats)
    latencies: list[float] = []
    lock = threading.Lock()

    def run(share, t):
        mine = []
        for i, (user_id, _seats) in enumerate(share):
            with Session(engine) as session:
                began = time.perf_counter()
                if pace is not None:  # this thread's i-th confirm is the process's (i x threads + t)-th
                    due = began + (start_at + pace[0] + (i * threads + t) * pace[1] - time.time())
                    if due > began:
                        time.sleep(due - began)
                    began = due
                _confirm(session, store, showtime_id, user_id)
                mine.append((time.perf_counter() - began) * 1000)
        with lock:
            latencies.extend(mine)

    while time.time() < start_at:  # every process starts confirming at once
        time.sleep(0.001)
    cpu_before = os.times()
    pool_threads = [threading.Thread(target=run, args=(work[t::threads], t)) for t in range(threads)]
    for thread in pool_threads:
        thread.start()
    for thread in pool_threads:
        thread.join()
    cpu_after = os.times()
    cpu = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
    results.put((latencies, cpu, time.time()))
    engine.dispose()


def _raw_process(db_url, n, start_at, results) -> None:
    """The same rows, inserted raw: booking, two booking seats and an audit entry per transaction."""
    engine = make_engine(db_url)
    with engine.connect() as connection:
        ids = connection.execute(sa.text("SELECT id FROM showtimes LIMIT 1")).scalar_one()
        user_id = connection.execute(sa.text("SELECT id FROM users LIMIT 1")).scalar_one()
        connection.commit()
        while time.time() < start_at:
            time.sleep(0.001)
        for _ in range(n):
            with connection.begin():
                booking = connection.execute(
                    sa.text(
                        "INSERT INTO bookings (user_id, showtime_id, status, code, total_cents, fee_cents, "
                        "discount_cents, refund_cents, seat_count, idempotency_key, channel, payment_method, "
                        "created_at, updated_at) "
                        "VALUES (:u, :s, 'confirmed', :c, 1900, 0, 0, 0, 2, :k, 'online', 'card', now(), now()) "
                        "RETURNING id"
                    ),
                    {"u": user_id, "s": ids, "c": uuid.uuid4().hex[:9], "k": uuid.uuid4().hex},
                ).scalar_one()
                connection.execute(
                    sa.text("INSERT INTO raw_seats (booking_id, seat) VALUES (:b, 2 * :b), (:b, 2 * :b + 1)"),
                    {"b": booking},
                )
                connection.execute(
                    sa.text(
                        "INSERT INTO audit_log (action, entity_type, entity_id, created_at) "
                        "VALUES ('booking.create', 'booking', :b, now())"
                    ),
                    {"b": booking},
                )
    results.put(time.time())
    engine.dispose()


def _timed(processes: int, target, args_of) -> tuple[float, list]:
    results = multiprocessing.Queue()
    start_at = time.time() + 1.0
    workers = [multiprocessing.Process(target=target, args=(*args_of(p), start_at, results)) for p in range(processes)]
    for worker in workers:
        worker.start()
    outcomes = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    return start_at, outcomes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--buyers", type=int, default=400, help="buyers per process count")
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--threads", type=int, default=1, help="threads per process")
    parser.add_argument(
        "--rate", type=float, default=150, help="offered load for the last part, confirms/s in total (0: skip)"
    )
    parser.add_argument("--rate-processes", type=int, default=2, help="processes sharing the offered load")
    args = parser.parse_args()
    counts = [int(p) for p in args.processes.split(",")]
    with fresh_postgres_database("bench_confirm") as url, claimed_redis_database() as redis_url:
        migrate(url)
        engine = make_engine(url)
        if args.buyers > 500:
            parser.error("--buyers: at most 500 (two seats each in a room of 26 x 40)")
        # One showtime per run (and one to count round trips), each in a room of its own.
        runs = []
        with Session(engine) as session:
            movie = make_movie(session)
            for run in range(len(counts) + 2):
                room = make_auditorium(session, f"Bench {run}", rows=26, seats_per_row=40)
                show = make_showtime(session, movie, room, utcnow() + timedelta(days=5 + run))
                users = [
                    User(name=f"B{i}", email=f"b{run}-{i}@example.com", password_hash="x") for i in range(args.buyers)
                ]
                session.add_all(users)
                session.commit()
                seats = [
                    s.id for s in session.exec(select(Seat).where(Seat.auditorium_id == room.id).order_by(Seat.id))
                ]
                runs.append((show.id, [(u.id, seats[2 * i : 2 * i + 2]) for i, u in enumerate(users)]))
        # The raw baseline's seats: a unique index to keep up, as booking_seats has.
        with engine.begin() as connection:
            connection.execute(sa.text("CREATE TABLE raw_seats (booking_id int NOT NULL, seat int NOT NULL UNIQUE)"))
        engine.dispose()

        counting_show, counting_work = runs.pop()
        paced_show, paced_work = runs.pop()
        sql, redis_calls = round_trips(url, redis_url, counting_show, counting_work)
        print(
            f"confirm_booking on PostgreSQL, {args.buyers} buyers x 2 seats per run, {args.threads} thread(s)/process"
        )
        print(f"  round trips per confirm: {sql} SQL statements (+ commit), {redis_calls} Redis calls")
        print("  goal: at most 3 SQL statements and 2 Redis calls")
        for processes, (showtime_id, work) in zip(counts, runs, strict=True):
            start_at, outcomes = _timed(
                processes,
                _buyer_process,
                lambda p, show=showtime_id, work=work, processes=processes: (
                    url,
                    redis_url,
                    show,
                    work[p::processes],
                    args.threads,
                    None,
                ),
            )
            latencies = [ms for lat, _cpu, _end in outcomes for ms in lat]
            cpu = sum(c for _lat, c, _end in outcomes)
            wall = max(end for _lat, _cpu, end in outcomes) - start_at
            raw_start, raw_ends = _timed(
                processes, _raw_process, lambda p, processes=processes: (url, args.buyers // processes)
            )
            raw_rate = (args.buyers // processes) * processes / (max(raw_ends) - raw_start)
            rate = len(latencies) / wall
            print(
                f"  {processes} process(es): {rate:7.1f} confirms/s   p50 {statistics.median(latencies):6.2f} ms   "
                f"p99 {_percentile(latencies, 0.99):6.2f} ms   CPU {1000 * cpu / len(latencies):5.2f} ms/confirm   "
                f"| raw insert of the same rows {raw_rate:7.1f}/s   ratio {rate / raw_rate:.3f}"
            )
        print("  goal: at least 300 confirms/s with 2 processes")
        if args.rate > 0:
            n, interval = args.rate_processes, args.rate_processes / args.rate
            start_at, outcomes = _timed(
                n,
                _buyer_process,
                lambda p: (url, redis_url, paced_show, paced_work[p::n], args.threads, (p * interval / n, interval)),
            )
            latencies = [ms for lat, _cpu, _end in outcomes for ms in lat]
            wall = max(end for _lat, _cpu, end in outcomes) - start_at
            print(
                f"  offered {args.rate:.0f} confirms/s over {n} process(es) x {args.threads} thread(s): "
                f"{len(latencies) / wall:7.1f} confirms/s   "
                f"p50 {statistics.median(latencies):6.2f} ms   p99 {_percentile(latencies, 0.99):6.2f} ms   "
                f"max {max(latencies):6.2f} ms   (latency from when each confirm was due)"
            )
            print("  goal: p99 under 50 ms at 150 confirms/s offered with 2 processes")


if __name__ == "__main__":
    main()
