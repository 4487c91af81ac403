"""A large, realistic box-office history for the report benchmarks.

    seed_big_history(engine, days=90, showtimes_per_day=200)

Fills an *empty, migrated* PostgreSQL database with a multiplex's last ``days`` cinema-local
days up to today (and a few days ahead): rooms laid out by the real layout generator, ~60 films
with a popularity skew and release runs, exactly ``showtimes_per_day`` showtimes a day packed
without overlaps (runtime + cleaning buffer, the same rule as the exclusion constraint of
migration 0003), a few thousand customers, and bookings whose occupancy depends on the film,
its age, the weekday, the start hour and the room size.

Everything is generated in Python from one seeded ``random.Random`` (so two runs give the same
rows) and written with ``COPY`` in one transaction: no ORM object per row. Primary keys are
assigned here and the sequences moved past them at the end, which is why the database must be
empty. Every constraint of the schema stays on and is checked by PostgreSQL as the rows arrive.

Bookings follow the product's rules: a booking's seats are priced at the showtime's base price
plus the seat type's modifier, ``total_cents`` is their sum, a cancelled booking is refunded in
full and its seats are inactive (a cancelled seat may be resold: at most one active row per
seat and showtime), bookings of shows that have ended are ``completed`` and most of them were
checked in at the door, and nothing is created, cancelled or checked in after ``now``.
"""

from __future__ import annotations

import io
import math
import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from moviebook.config import get_settings
from moviebook.models import SeatType
from moviebook.services.clock import at_local, local_today
from moviebook.services.demo_data import BASE_PRICE_CENTS, MATINEE_DISCOUNT_CENTS
from moviebook.services.layouts import LayoutSpec, capacity, generate_layout, layout_problems, row_labels
from moviebook.services.scheduling import occupied_until
from moviebook.services.tickets import CODE_ALPHABET

SEED = 20261121
STEP_MINUTES = 15  # shows start on the quarter hour, as in the demo seed
# A room runs about 6 shows a day: films of 85–165 minutes plus cleaning between 09:45 and
# 23:00. 200 showtimes a day therefore needs some 38 rooms (a large multiplex chain site).
SHOWS_PER_ROOM_ESTIMATE = 5.3

GENRES = (
    "Action",
    "Adventure",
    "Animation",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Family",
    "Horror",
    "Mystery",
    "Romance",
    "Sci-Fi",
    "Thriller",
    "Musical",
)
_ADJECTIVES = (
    "Silent",
    "Crimson",
    "Last",
    "Hidden",
    "Golden",
    "Broken",
    "Midnight",
    "Electric",
    "Frozen",
    "Wild",
    "Distant",
    "Hollow",
    "Burning",
    "Paper",
    "Iron",
    "Velvet",
    "Lost",
    "Northern",
    "Secret",
    "Glass",
)
_NOUNS = (
    "Harbour",
    "Meridian",
    "Orchard",
    "Signal",
    "Kingdom",
    "Comet",
    "Lantern",
    "Frontier",
    "Echo",
    "Tide",
    "Circuit",
    "Garden",
    "Empire",
    "Horizon",
    "Archive",
    "Pines",
)
_CANCEL_REASONS = (
    "Cancelled by the customer",
    "Cancelled by the customer",
    "Can no longer attend",
    "Booked the wrong showtime",
    "Duplicate booking (admin)",
)
# Party sizes 1–6 and how common each is.
_PARTY_SIZES = (1, 2, 3, 4, 5, 6)
_PARTY_WEIGHTS = (14, 46, 12, 18, 6, 4)
# Monday .. Sunday.
_WEEKDAY_FACTOR = (0.62, 0.80, 0.70, 0.80, 1.15, 1.40, 1.15)
_CODE_SPACE = len(CODE_ALPHABET) ** 8
_CODE_MULTIPLIER = 48_271_000_003  # coprime with 31**8: id -> code is a bijection


@dataclass
class _Room:
    id: int
    name: str
    formats: tuple[str, ...]
    capacity: int
    seats: list[tuple[int, int, int, str, int]]  # (seat id, y, x, type, modifier), map order
    preference: list[float]  # lower = chosen first (centre of the middle-back rows)
    first_show: tuple[int, int]


@dataclass
class _Film:
    id: int
    title: str
    genres: tuple[str, ...]
    runtime: int
    popularity: float  # 1.0 for the biggest hit
    release: date
    run_days: int


def _code(booking_id: int) -> str:
    n = (booking_id * _CODE_MULTIPLIER + 7_777_777) % _CODE_SPACE
    chars = []
    for _ in range(8):
        n, r = divmod(n, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[r])
    return f"{''.join(chars[:4])}-{''.join(chars[4:])}"


def _ts(moment: datetime | None) -> str:
    return r"\N" if moment is None else moment.isoformat()


def _copy(cursor, table: str, columns: tuple[str, ...], rows) -> int:
    """COPY rows (tuples of already-formatted text fields) into table; returns the row count."""
    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write("\t".join(row))
        buffer.write("\n")
        count += 1
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
    return count


def _round_up(moment_local: datetime) -> datetime:
    minutes = moment_local.hour * 60 + moment_local.minute + (1 if moment_local.second else 0)
    rounded = math.ceil(minutes / STEP_MINUTES) * STEP_MINUTES
    return moment_local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(minutes=rounded)


def _make_rooms(rnd: random.Random, count: int) -> list[_Room]:
    """Rooms of 80–300 seats from the real layout generator (aisles, premium back rows,
    wheelchair + companion places, couple rows, a few blocked seats)."""
    rooms = []
    seat_id = 0
    for index in range(count):
        number = index + 1
        if number <= 2:
            wanted, formats, label = rnd.randint(260, 300), ("IMAX", "3D", "2D"), " · IMAX"
        elif number % 3 == 0:
            wanted, formats, label = rnd.randint(150, 240), ("3D", "2D"), ""
        else:
            wanted, formats, label = rnd.choice((rnd.randint(80, 120), rnd.randint(110, 190))), ("2D",), ""
        rows = max(8, min(16, round(math.sqrt(wanted / 1.4))))
        per_row = max(10, min(26, round(wanted / rows)))
        aisles = (per_row // 4, per_row - per_row // 4) if per_row >= 16 else (per_row // 2,)
        labels = row_labels(rows)
        row_types = {}
        if rows * per_row >= 150:
            row_types = {labels[-2]: SeatType.PREMIUM, labels[-3]: SeatType.PREMIUM}
            if number % 4 == 1:
                row_types[labels[-1]] = SeatType.COUPLE
        seat_types = {
            ("A", 1): SeatType.WHEELCHAIR,
            ("A", 2): SeatType.COMPANION,
            ("A", per_row - 1): SeatType.COMPANION,
            ("A", per_row): SeatType.WHEELCHAIR,
        }
        if number % 4 == 2:  # a projector housing or a pillar
            seat_types[(labels[rows // 2], per_row // 2)] = SeatType.BLOCKED
            seat_types[(labels[rows // 2], per_row // 2 + 1)] = SeatType.BLOCKED
        spec = LayoutSpec(
            rows=rows, seats_per_row=per_row, aisles_after=aisles, row_types=row_types, seat_types=seat_types
        )
        layout = generate_layout(spec)
        if layout_problems(layout):  # e.g. an aisle splits the couple row into odd runs
            spec = LayoutSpec(
                rows=rows,
                seats_per_row=per_row,
                aisles_after=aisles,
                row_types={k: v for k, v in row_types.items() if v != SeatType.COUPLE},
                seat_types=seat_types,
            )
            layout = generate_layout(spec)
        assert not layout_problems(layout)
        seats, preference = [], []
        width = max(s.x for s in layout) or 1
        for spec_seat in sorted(layout, key=lambda s: (s.y, s.x)):
            seat_id += 1
            seats.append((seat_id, spec_seat.y, spec_seat.x, spec_seat.seat_type, spec_seat.price_modifier_cents))
            centre = abs(spec_seat.x - width / 2) / (width / 2)
            depth = abs(spec_seat.y - 0.62 * (rows - 1)) / rows
            extra = 3.0 if spec_seat.seat_type in (SeatType.WHEELCHAIR, SeatType.COMPANION) else 0.0
            preference.append(0.7 * centre + 1.1 * depth + extra)
        rooms.append(
            _Room(
                number,
                f"Screen {number}{label}",
                formats,
                capacity(layout),
                seats,
                preference,
                rnd.choice(((9, 45), (10, 0), (10, 30), (11, 0), (11, 30), (12, 0))),
            )
        )
    return rooms


def _make_films(rnd: random.Random, count: int, first_day: date, last_day: date) -> list[_Film]:
    titles: list[str] = []
    while len(titles) < count:
        title = f"{rnd.choice(('The ', '', ''))}{rnd.choice(_ADJECTIVES)} {rnd.choice(_NOUNS)}"
        if title not in titles:
            titles.append(title)
    ranks = list(range(1, count + 1))
    rnd.shuffle(ranks)
    span = (last_day - first_day).days + 50
    films = []
    for index, title in enumerate(titles):
        genres = tuple(rnd.sample(GENRES, rnd.choice((1, 2, 2, 3))))
        family = "Family" in genres or "Animation" in genres
        runtime = rnd.randint(84, 106) if family else max(85, min(170, int(rnd.gauss(120, 17))))
        release = first_day - timedelta(days=50) + timedelta(days=round(index * span / count) + rnd.randint(-3, 3))
        films.append(_Film(index + 1, title, genres, runtime, 1.0 / ranks[index] ** 0.85, release, rnd.randint(35, 70)))
    return films


def _check_foreign_keys(cursor) -> None:
    """Every single-column foreign key of the schema, checked with one anti-join each."""
    cursor.execute("""
        SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, pa.attname
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 AND c.connamespace = 'public'::regnamespace
    """)
    for child, column, parent, key in cursor.fetchall():
        cursor.execute(
            f'SELECT count(*) FROM {child} c WHERE c."{column}" IS NOT NULL AND NOT EXISTS '
            f'(SELECT 1 FROM {parent} p WHERE p."{key}" = c."{column}")'
        )
        orphans = cursor.fetchone()[0]
        if orphans:
            raise RuntimeError(f"{orphans} rows of {child}.{column} point at no {parent}.{key}")


def _check_bookings(cursor) -> None:
    """What the schema cannot say: a booking's seats are in its showtime's room, on its showtime,
    and its total and seat count are the sum of their prices and their number."""
    cursor.execute("""
        SELECT
          (SELECT count(*) FROM booking_seats bs JOIN bookings b ON b.id = bs.booking_id
            WHERE bs.showtime_id <> b.showtime_id),
          (SELECT count(*) FROM booking_seats bs JOIN showtimes s ON s.id = bs.showtime_id
            JOIN seats t ON t.id = bs.seat_id WHERE t.auditorium_id <> s.auditorium_id),
          (SELECT count(*) FROM bookings b JOIN (SELECT booking_id, sum(price_cents) AS total, count(*) AS seats
            FROM booking_seats GROUP BY booking_id) p ON p.booking_id = b.id
            WHERE p.total <> b.total_cents OR p.seats <> b.seat_count)
    """)
    wrong_showtime, wrong_room, wrong_total = cursor.fetchone()
    if wrong_showtime or wrong_room or wrong_total:
        raise RuntimeError(
            f"inconsistent bookings: {wrong_showtime} seat rows on another showtime, "
            f"{wrong_room} in another room, {wrong_total} totals or seat counts off"
        )


def _film_weight(film: _Film, day: date) -> float:
    age = (day - film.release).days
    if age < 0 or age >= film.run_days:
        return 0.0
    return film.popularity * 0.82 ** (age // 7)


def seed_big_history(
    engine: sa.Engine,
    *,
    days: int = 90,
    showtimes_per_day: int = 200,
    today: date | None = None,
    tz: ZoneInfo | None = None,
    now: datetime | None = None,
    days_ahead: int = 3,
    movies: int = 60,
    customers: int = 4000,
    cleaning_buffer_minutes: int = 15,
    seed: int = SEED,
) -> dict[str, int | float]:
    """Seed ``days`` local days up to ``today`` (plus ``days_ahead``) into an empty migrated
    PostgreSQL database. ``now`` (default: the real time if ``today`` is today, else 15:00 local
    on ``today``) decides which shows have played and which bookings exist yet.
    Returns counts of what was written."""
    started = time.perf_counter()
    tz = tz or get_settings().timezone
    if today is None:
        today = local_today(tz)
    if now is None:
        real_now = datetime.now(timezone.utc)
        now = real_now if local_today(tz, real_now) == today else at_local(today, 15, 0, tz)
    rnd = random.Random(seed)
    first_day = today - timedelta(days=days - 1)
    last_day = today + timedelta(days=days_ahead)
    all_days = [first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1)]

    rooms = _make_rooms(rnd, math.ceil(showtimes_per_day / SHOWS_PER_ROOM_ESTIMATE))
    films = _make_films(rnd, movies, first_day, last_day)
    film_by_id = {f.id: f for f in films}

    # --- the programme: each room's day packed from its first show, then trimmed to the target
    showtimes = []  # (id, movie, room, starts, ends, price, format, cancelled)
    short_days = 0
    for day in all_days:
        weights = [(f, _film_weight(f, day)) for f in films]
        playing = [(f, w) for f, w in weights if w > 0]
        if len(playing) < 8:  # never fewer than 8 films on: keep the most popular longer
            playing = sorted(weights, key=lambda fw: -fw[0].popularity)[:8]
            playing = [(f, f.popularity) for f, _ in playing]
        day_films = [f for f, _ in playing]
        day_weights = [w for _, w in playing]
        per_room: list[list[tuple]] = []
        for room in rooms:
            slots = []
            starts = at_local(day, *room.first_show, tz)
            last_start = at_local(day, 23, 0, tz)
            while starts <= last_start:
                film = rnd.choices(day_films, day_weights)[0]
                ends = occupied_until(starts, film.runtime, cleaning_buffer_minutes)
                slots.append((film, starts, ends))
                starts = _round_up(ends.astimezone(tz)).astimezone(timezone.utc)
            per_room.append(slots)
        excess = sum(len(s) for s in per_room) - showtimes_per_day
        order = list(range(len(rooms)))
        rnd.shuffle(order)
        while excess > 0:  # not every room runs its latest show
            for index in order:
                if excess > 0 and len(per_room[index]) > 1:
                    per_room[index].pop()
                    excess -= 1
        short_days += excess < 0
        for room, slots in zip(rooms, per_room, strict=True):
            for film, starts, ends in slots:
                local_hour = starts.astimezone(tz).hour
                fmt = room.formats[0] if rnd.random() < 0.7 else room.formats[-1]
                if fmt == "IMAX" and "Family" in film.genres:
                    fmt = "3D"
                price = BASE_PRICE_CENTS[fmt] - (MATINEE_DISCOUNT_CENTS if local_hour < 17 else 0)
                cancelled = rnd.random() < 0.003
                showtimes.append((len(showtimes) + 1, film.id, room.id, starts, ends, price, fmt, cancelled))

    # --- customers and staff
    staff_ids = list(range(2, 8))
    first_customer = 8
    user_rows = [("1", "Admin", "admin@bench.local", "admin")]
    user_rows += [(str(i), f"Usher {i}", f"staff{i}@bench.local", "staff") for i in staff_ids]
    user_rows += [
        (str(first_customer + i), f"Customer {i}", f"customer{i}@example.com", "user") for i in range(customers)
    ]
    users_created = now - timedelta(days=days + 200)

    # --- bookings and their seats
    bookings: list[str] = []
    seat_lines: list[str] = []
    booking_id = 0
    booking_seat_id = 0
    counts = {
        "bookings_cancelled": 0,
        "bookings_completed": 0,
        "bookings_checked_in": 0,
        "resold_after_cancel": 0,
        "sold_out_showtimes": 0,
    }
    played_capacity = played_tickets = 0

    def add_booking(showtime_id, starts, ends, seats, price, created, cancelled_at, reason) -> int:
        nonlocal booking_id, booking_seat_id
        booking_id += 1
        user = first_customer + int(customers * rnd.random() ** 1.8)  # regulars book more often
        total = sum(price + mod for _, mod in seats)
        checked_in_at = checked_in_by = None
        if cancelled_at is not None:
            status, refund, updated = "cancelled", total, cancelled_at
            counts["bookings_cancelled"] += 1
        else:
            status, refund, updated = ("completed" if ends <= now else "confirmed"), 0, created
            if status == "completed":
                counts["bookings_completed"] += 1
                updated = ends
            if starts - timedelta(minutes=45) <= now and rnd.random() < 0.8:
                moment = starts - timedelta(minutes=rnd.uniform(0, 40))
                if created < moment <= now:
                    checked_in_at, checked_in_by = moment, rnd.choice(staff_ids)
                    counts["bookings_checked_in"] += 1
                    updated = max(updated, moment)
        active = "f" if cancelled_at is not None else "t"
        bookings.append(
            "\t".join(
                (
                    str(booking_id),
                    str(user),
                    str(showtime_id),
                    status,
                    _code(booking_id),
                    str(total),
                    str(len(seats)),
                    str(refund),
                    f"bench-{booking_id}",
                    _ts(cancelled_at),
                    reason or r"\N",
                    _ts(checked_in_at),
                    r"\N" if checked_in_by is None else str(checked_in_by),
                    _ts(created),
                    _ts(updated),
                )
            )
        )
        for seat_id, mod in seats:
            booking_seat_id += 1
            seat_lines.append(
                f"{booking_seat_id}\t{booking_id}\t{showtime_id}\t{seat_id}\t{price + mod}\t{price + mod}\t{active}"
            )
        return sum(1 for _ in seats) if cancelled_at is None else 0

    room_by_id = {r.id: r for r in rooms}
    for showtime_id, movie_id, room_id, starts, ends, price, _fmt, show_cancelled in showtimes:
        room, film = room_by_id[room_id], film_by_id[movie_id]
        local = starts.astimezone(tz)
        hour = local.hour
        hour_factor = 0.45 if hour < 13 else 0.65 if hour < 17 else 1.15 if hour < 19 else 1.35 if hour < 21 else 0.85
        film_factor = 0.35 + 1.25 * math.sqrt(max(_film_weight(film, local.date()), film.popularity * 0.3))
        room_factor = (150 / room.capacity) ** 0.3
        occupancy = 0.64 * hour_factor * film_factor * room_factor * _WEEKDAY_FACTOR[local.weekday()]
        occupancy *= rnd.lognormvariate(0, 0.35)
        sold = min(room.capacity, round(min(1.0, occupancy) * room.capacity))
        # Noise per block of 4 neighbouring seats, so parties find seats side by side.
        block_noise = [rnd.random() * 1.3 for _ in range(len(room.seats) // 4 + 1)]
        keys = [p + block_noise[i // 4] + rnd.random() * 0.15 for i, p in enumerate(room.preference)]
        order = sorted(range(len(room.seats)), key=keys.__getitem__)
        chosen = sorted([i for i in order if room.seats[i][3] != SeatType.BLOCKED][:sold])
        groups: list[list[int]] = []
        want = 0
        for i in chosen:  # map order: consecutive picks in one row sit together
            seat = room.seats[i]
            if groups and len(groups[-1]) < want:
                prev = room.seats[groups[-1][-1]]
                if prev[1] == seat[1] and seat[2] - prev[2] <= 2:
                    groups[-1].append(i)
                    continue
            groups.append([i])
            want = rnd.choices(_PARTY_SIZES, _PARTY_WEIGHTS)[0]
        shown_tickets = 0
        cancel_by_admin = starts - timedelta(days=rnd.uniform(0.5, 3))
        for group in groups:
            seats = [(room.seats[i][0], room.seats[i][4]) for i in group]
            lead = rnd.random()
            lead_minutes = (
                rnd.uniform(20, 600)
                if lead < 0.35
                else rnd.uniform(600, 2880)
                if lead < 0.65
                else rnd.uniform(2880, 20160)
            )
            created = starts - timedelta(minutes=lead_minutes)
            if created > now:
                continue  # not sold yet
            if show_cancelled:
                cancelled_at = max(created + timedelta(minutes=5), min(cancel_by_admin, now))
                if cancelled_at > now:
                    cancelled_at = now
                add_booking(showtime_id, starts, ends, seats, price, created, cancelled_at, "Showtime cancelled")
                continue
            if rnd.random() < 0.068:
                latest = min(starts - timedelta(minutes=30), now)
                if latest > created + timedelta(minutes=2):
                    cancelled_at = created + (latest - created) * rnd.random()
                    add_booking(
                        showtime_id, starts, ends, seats, price, created, cancelled_at, rnd.choice(_CANCEL_REASONS)
                    )
                    if rnd.random() > min(0.95, occupancy):
                        continue  # the seats stayed empty
                    # someone else bought the freed seats
                    created = cancelled_at + (starts - cancelled_at) * rnd.random()
                    if created > now:
                        continue
                    counts["resold_after_cancel"] += 1
            shown_tickets += add_booking(showtime_id, starts, ends, seats, price, created, None, None)
        if not show_cancelled and ends <= now:
            played_capacity += room.capacity
            played_tickets += shown_tickets
            counts["sold_out_showtimes"] += shown_tickets == room.capacity

    generated = time.perf_counter()
    # --- write everything in one transaction
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM showtimes)")
        if cursor.fetchone()[0]:
            raise RuntimeError("seed_big_history needs an empty, migrated database")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        # Foreign keys are checked once, set-based, after the COPYs (_check_foreign_keys) instead
        # of by a trigger per row, which took 45 of 70 s. Needs a superuser; else triggers run.
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        bulk_fk_check = bool(cursor.fetchone()[0])
        if bulk_fk_check:
            cursor.execute("SET LOCAL session_replication_role = replica")
        stamp = _ts(users_created)
        _copy(
            cursor,
            "auditoriums",
            ("id", "name", "created_at", "updated_at"),
            ((str(r.id), r.name, stamp, stamp) for r in rooms),
        )
        row_label = row_labels(26)
        seat_rows = []
        for room in rooms:
            numbers: dict[int, int] = {}
            for seat_id, y, x, seat_type, mod in room.seats:
                numbers[y] = numbers.get(y, 0) + 1
                seat_rows.append(
                    (str(seat_id), str(room.id), row_label[y], str(numbers[y]), seat_type, str(x), str(y), str(mod))
                )
        n_seats = _copy(
            cursor,
            "seats",
            ("id", "auditorium_id", "row_label", "number", "seat_type", "x", "y", "price_modifier_cents"),
            seat_rows,
        )
        _copy(cursor, "genres", ("id", "name"), ((str(i + 1), g) for i, g in enumerate(GENRES)))
        genre_id = {g: i + 1 for i, g in enumerate(GENRES)}
        _copy(
            cursor,
            "movies",
            (
                "id",
                "title",
                "synopsis",
                "runtime_minutes",
                "age_rating",
                "language",
                "release_date",
                "created_at",
                "updated_at",
            ),
            (
                (
                    str(f.id),
                    f.title,
                    f"A benchmark film ({', '.join(f.genres)}).",
                    str(f.runtime),
                    "U" if "Family" in f.genres else rnd.choice(("PG", "12A", "15", "18")),
                    "English",
                    f.release.isoformat(),
                    stamp,
                    stamp,
                )
                for f in films
            ),
        )
        _copy(
            cursor,
            "movie_genres",
            ("movie_id", "genre_id"),
            ((str(f.id), str(genre_id[g])) for f in films for g in f.genres),
        )
        _copy(
            cursor,
            "users",
            ("id", "name", "email", "password_hash", "role", "is_active", "created_at", "updated_at"),
            ((i, n, e, "!bench-no-login", r, "t", stamp, stamp) for i, n, e, r in user_rows),
        )
        _copy(
            cursor,
            "showtimes",
            (
                "id",
                "movie_id",
                "auditorium_id",
                "starts_at",
                "ends_at",
                "base_price_cents",
                "format",
                "language",
                "is_cancelled",
                "created_at",
                "updated_at",
            ),
            (
                (
                    str(i),
                    str(m),
                    str(a),
                    _ts(s),
                    _ts(e),
                    str(p),
                    f,
                    "English",
                    "t" if c else "f",
                    _ts(s - timedelta(days=21)),
                    _ts(s - timedelta(days=21)),
                )
                for i, m, a, s, e, p, f, c in showtimes
            ),
        )
        booking_columns = (
            "id",
            "user_id",
            "showtime_id",
            "status",
            "code",
            "total_cents",
            "seat_count",
            "refund_cents",
            "idempotency_key",
            "cancelled_at",
            "cancel_reason",
            "checked_in_at",
            "checked_in_by",
            "created_at",
            "updated_at",
        )
        cursor.copy_expert(
            f"COPY bookings ({', '.join(booking_columns)}) FROM STDIN", io.StringIO("\n".join(bookings) + "\n")
        )
        cursor.copy_expert(
            "COPY booking_seats (id, booking_id, showtime_id, seat_id, unit_price_cents, price_cents, is_active)"
            " FROM STDIN",
            io.StringIO("\n".join(seat_lines) + "\n"),
        )
        for table in ("auditoriums", "seats", "genres", "movies", "users", "showtimes", "bookings", "booking_seats"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"
            )
        if bulk_fk_check:
            cursor.execute("SET LOCAL session_replication_role = origin")
            _check_foreign_keys(cursor)
        _check_bookings(cursor)
        raw.commit()
    finally:
        raw.close()

    return {
        "days": len(all_days),
        "first_day": first_day.isoformat(),
        "last_day": last_day.isoformat(),
        "auditoriums": len(rooms),
        "seats": n_seats,
        "sellable_seats": sum(r.capacity for r in rooms),
        "movies": len(films),
        "customers": customers,
        "showtimes": len(showtimes),
        "showtimes_cancelled": sum(1 for s in showtimes if s[7]),
        "days_short_of_target": short_days,
        "bookings": booking_id,
        **counts,
        "booking_seats": booking_seat_id,
        "played_occupancy_pct": round(100 * played_tickets / played_capacity, 1) if played_capacity else 0.0,
        "seconds_generating": round(generated - started, 1),
        "seconds_writing": round(time.perf_counter() - generated, 1),
    }
