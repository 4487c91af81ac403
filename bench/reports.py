"""How fast the admin reports answer on a large history, on PostgreSQL.

    .venv/bin/python -m bench.reports [--runs 20] [--days 90] [--showtimes-per-day 200] [--explain]

Creates a throwaway database on TEST_DATABASE_URL's server, migrates it, seeds a big history
(``bench/big_history.py``: 200 showtimes a day for 90 days by default, with realistic occupancy),
runs VACUUM ANALYZE, then times every report of ``moviebook/services/reports.py`` over the last
30 days, over the whole history and over 30 days filtered to the best-selling film: one warm-up
call, then ``--runs`` timed calls, each in its own session like a page request. Prints
p50/p95/max in milliseconds and, for the slowest report, its slowest SQL statement; when that
report's p50 is above 200 ms (or with ``--explain``) it also prints EXPLAIN (ANALYZE, BUFFERS)
of that statement. Drops the database at the end.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlmodel import Session

from bench.big_history import seed_big_history
from moviebook.cli import migrate
from moviebook.config import get_settings
from moviebook.db import make_engine
from moviebook.services import reports
from moviebook.services.clock import local_today
from tests.support import fresh_postgres_database

SLOW_MS = 200.0
# Reports taking a ReportRange; seat_heatmap and sales_summary are called differently below.
RANGE_REPORTS = (
    "totals",
    "revenue_by_day",
    "revenue_by_movie",
    "revenue_by_auditorium",
    "occupancy_by_showtime",
    "occupancy_by_hour",
    "popular_movies",
    "cancellations",
)


def _time(fn: Callable[[], object], runs: int) -> dict[str, float]:
    result = fn()  # warm-up: connection pool, plan and buffer caches
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    size = len(result) if hasattr(result, "__len__") else len(getattr(result, "seats", ()))
    return {
        "p50": statistics.median(samples),
        "p95": samples[max(0, int(len(samples) * 0.95) - 1)],
        "max": samples[-1],
        "rows": size,
    }


class StatementTrace:
    """Records each SQL statement's text, parameters and time while enabled."""

    def __init__(self, engine: sa.Engine) -> None:
        self.enabled = False
        self.statements: list[tuple[float, str, object]] = []
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        if self.enabled:
            elapsed = (time.perf_counter() - conn.info.pop("bench_started")) * 1000
            self.statements.append((elapsed, statement, parameters))

    def run(self, fn: Callable[[], object]) -> tuple[float, list[tuple[float, str, object]]]:
        """One call's wall time (ms) and its statements, slowest first."""
        self.statements, self.enabled = [], True
        started = time.perf_counter()
        try:
            fn()
        finally:
            self.enabled = False
        return (time.perf_counter() - started) * 1000, sorted(self.statements, key=lambda s: -s[0])


def _explain(engine: sa.Engine, statement: str, parameters: object) -> list[str]:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        return [row[0] for row in cursor.fetchall()]
    finally:
        raw.rollback()
        raw.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--showtimes-per-day", type=int, default=200)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN the slowest statement even if fast")
    args = parser.parse_args()
    tz = get_settings().timezone
    now = datetime.now(timezone.utc)
    today = local_today(tz, now)
    with fresh_postgres_database("bench_reports") as url:
        migrate(url)
        engine = make_engine(url)
        started = time.perf_counter()
        counts = seed_big_history(
            engine, days=args.days, showtimes_per_day=args.showtimes_per_day, today=today, tz=tz, now=now
        )
        seeded = time.perf_counter() - started
        print(
            f"seeded {args.days} days to {today} (+{counts['days'] - args.days} ahead) in {seeded:.1f} s "
            f"({counts['seconds_generating']} s generating rows in Python, {counts['seconds_writing']} s COPY "
            "and checks)"
        )
        for key, value in counts.items():
            if not key.startswith("seconds_"):
                print(f"  {key:24s} {value}")
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            started = time.perf_counter()
            conn.execute(sa.text("VACUUM ANALYZE"))
            print(f"VACUUM ANALYZE {time.perf_counter() - started:.1f} s")
            size = conn.execute(sa.text("SELECT pg_size_pretty(pg_database_size(current_database()))")).scalar()
            print(f"database size {size}")

        last30 = reports.ReportRange(today - timedelta(days=29), today, tz)
        whole = reports.ReportRange(today - timedelta(days=args.days - 1), today, tz)
        with Session(engine) as session:
            top_movie = max(reports.popular_movies(session, last30), key=lambda r: r.figures.tickets)
            room_id = session.execute(
                sa.text("SELECT auditorium_id FROM seats GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
            ).scalar()
        by_movie = reports.ReportRange(last30.start, last30.end, tz, movie_id=top_movie.movie_id)
        ranges = (("30 days", last30), (f"{args.days} days", whole), (f"30 days, film #{top_movie.movie_id}", by_movie))

        def call(name: str, *extra) -> Callable[[], object]:
            fn = getattr(reports, name)

            def run():
                with Session(engine) as session:
                    return fn(session, *extra)

            return run

        cases: list[tuple[str, str, Callable[[], object]]] = []
        for name in RANGE_REPORTS:
            if not hasattr(reports, name):
                print(f"(reports.{name} does not exist: skipped)")
                continue
            for label, rng in ranges:
                cases.append((name, label, call(name, rng)))
        for label, rng in ranges:
            cases.append(("seat_heatmap", f"{label}, room #{room_id}", call("seat_heatmap", rng, room_id)))
        cases.append(("sales_summary", "today / 7 / 30 days sold", call("sales_summary", now, tz)))

        print(
            f"\nreports on PostgreSQL, {args.runs} runs after a warm-up (ms); "
            f"film #{top_movie.movie_id} = {top_movie.title!r}, the best seller of the last 30 days"
        )
        print("| report | range | p50 ms | p95 ms | max ms | rows |\n|---|---|---|---|---|---|")
        results = []
        for name, label, fn in cases:
            figures = _time(fn, args.runs)
            results.append((figures, name, label, fn))
            print(
                f"| `{name}` | {label} | {figures['p50']:.1f} | {figures['p95']:.1f} | {figures['max']:.1f} "
                f"| {figures['rows']} |",
                flush=True,
            )

        trace = StatementTrace(engine)
        figures, name, label, fn = max(results, key=lambda r: r[0]["p50"])
        wall, statements = trace.run(fn)
        in_sql = sum(s[0] for s in statements)
        print(
            f"\nslowest: {name} ({label}), p50 {figures['p50']:.1f} ms. One traced call: {wall:.1f} ms, of which "
            f"{len(statements)} statements {in_sql:.1f} ms ("
            + ", ".join(f"{s[0]:.1f}" for s in statements)
            + f") and {wall - in_sql:.1f} ms in Python (building the result)"
        )
        elapsed, statement, parameters = statements[0]
        print(f"slowest statement ({elapsed:.1f} ms):\n{statement}\n{parameters}")
        if figures["p50"] > SLOW_MS or args.explain:
            plan = _explain(engine, statement, parameters)
            print("\nEXPLAIN (ANALYZE, BUFFERS):")
            for line in plan:
                print("  " + line)
        engine.dispose()


if __name__ == "__main__":
    main()
