"""How fast the browse page's queries answer on PostgreSQL, with the demo programme seeded.

    .venv/bin/python -m bench.browse_queries [--iterations 200]

Creates a throwaway database on TEST_DATABASE_URL's server (default: local PostgreSQL),
migrates and seeds it, times each query, prints p50/p95/max in milliseconds, and drops it.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import timedelta

from sqlmodel import Session

from moviebook.cli import migrate
from moviebook.config import get_settings
from moviebook.db import make_engine
from moviebook.services.clock import local_today
from moviebook.services.programme import genre_names, listings_for_day, movie_with_week
from moviebook.services.seeding import seed_demo
from tests.support import fresh_postgres_database


def _time(fn, iterations: int) -> dict[str, float]:
    fn()  # warm the connection pool and the plan cache
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50": statistics.median(samples),
        "p95": samples[int(len(samples) * 0.95) - 1],
        "max": samples[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=200)
    args = parser.parse_args()
    settings = get_settings()
    tz = settings.timezone
    with fresh_postgres_database("bench") as url:
        migrate(url)
        engine = make_engine(url)
        with Session(engine) as session:
            seed_demo(session, tz=tz, cleaning_buffer_minutes=15, admin_password="bench-only-password")
            session.commit()
            tomorrow = local_today(tz) + timedelta(days=1)
            movie_id = listings_for_day(session, tomorrow, tz)[0].movie.id
            cases = {
                "listings_for_day": lambda: listings_for_day(session, tomorrow, tz),
                "listings_for_day genre+search": lambda: listings_for_day(
                    session, tomorrow, tz, genre="Drama", title_query="the"
                ),
                "movie_with_week": lambda: movie_with_week(session, movie_id, tz),
                "genre_names": lambda: genre_names(session),
            }
            print(f"browse queries on PostgreSQL, {args.iterations} iterations each (ms)")
            for name, fn in cases.items():
                figures = _time(fn, args.iterations)
                print(f"  {name:32s} p50 {figures['p50']:6.2f}  p95 {figures['p95']:6.2f}  max {figures['max']:6.2f}")
        engine.dispose()


if __name__ == "__main__":
    main()
