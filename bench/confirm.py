"""Confirming bookings on PostgreSQL: throughput and latency of hold + pay + insert.

    .venv/bin/python -m bench.confirm [--buyers 400] [--threads 8]

Creates a throwaway database (TEST_DATABASE_URL's server) with one large room and many buyers,
each holding two seats and confirming with the simulated card. Prints bookings/s and the
p50/p99 of confirm_booking alone, then drops the database.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from datetime import date, timedelta

import redis
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--buyers", type=int, default=400)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    with fresh_postgres_database("bench_confirm") as url, claimed_redis_database() as redis_url:
        migrate(url)
        engine = make_engine(url)
        with Session(engine) as session:
            room = make_auditorium(session, rows=26, seats_per_row=40)  # 1040 seats
            show = make_showtime(session, make_movie(session), room, utcnow() + timedelta(days=5))
            users = [User(name=f"B{i}", email=f"b{i}@example.com", password_hash="x") for i in range(args.buyers)]
            session.add_all(users)
            session.commit()
            seat_ids = [s.id for s in session.exec(select(Seat).where(Seat.auditorium_id == room.id).order_by(Seat.id))]
            user_ids, showtime_id = [u.id for u in users], show.id
        pool = redis.BlockingConnectionPool.from_url(redis_url, max_connections=args.threads + 2, decode_responses=True)
        store = HoldStore(redis.Redis(connection_pool=pool), HoldPolicy(ttl_seconds=600, max_seats=10))
        latencies: list[float] = []
        lock = threading.Lock()

        def buyer_range(start: int) -> None:
            for index in range(start, len(user_ids), args.threads):
                user_id, seats = user_ids[index], seat_ids[index * 2 : index * 2 + 2]
                with Session(engine) as session:
                    hold_seats(session, store, showtime_id=showtime_id, user_id=user_id, seat_ids=seats)
                    began = time.perf_counter()
                    confirm_booking(
                        session,
                        store,
                        SimulatedProvider(),
                        showtime_id=showtime_id,
                        user_id=user_id,
                        idempotency_key=f"k{user_id}",
                        card=CARD,
                    )
                    elapsed = (time.perf_counter() - began) * 1000
                with lock:
                    latencies.append(elapsed)

        threads = [threading.Thread(target=buyer_range, args=(t,)) for t in range(args.threads)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        ordered = sorted(latencies)
        print(f"confirm_booking on PostgreSQL, {len(latencies)} buyers x 2 seats, {args.threads} threads")
        print(f"  {len(latencies) / wall:7.1f} bookings/s (hold + confirm, wall clock)")
        p99 = ordered[int(len(ordered) * 0.99) - 1]
        print(f"  confirm alone: p50 {statistics.median(ordered):6.2f} ms   p99 {p99:6.2f} ms")
        pool.disconnect()
        engine.dispose()


if __name__ == "__main__":
    main()
