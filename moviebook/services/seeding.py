"""Seed the demo cinema. Idempotent: each run adds only what is missing.

Entities are found by their natural keys (auditorium name, genre name, movie title), and a
day's schedule is only laid out for a room that has nothing on that day yet. Running the
seed again tomorrow therefore extends the programme by a day and changes nothing else.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlmodel import Session, func, select

from moviebook.models import (
    Auditorium,
    Genre,
    Movie,
    MovieGenre,
    PriceRule,
    Promotion,
    PromotionKind,
    Role,
    Seat,
    Showtime,
    TicketType,
    User,
)
from moviebook.services.accounts import create_admin_user
from moviebook.services.clock import at_local, local_day_bounds
from moviebook.services.demo_data import (
    AUDITORIUMS,
    BASE_PRICE_CENTS,
    LATE_SHOW_WEEKDAYS,
    MATINEE_DISCOUNT_CENTS,
    MOVIES,
    DemoAuditorium,
)
from moviebook.services.layouts import generate_layout
from moviebook.services.scheduling import occupied_until, schedule_showtime

SCHEDULE_STEP_MINUTES = 15  # shows start on the quarter hour
_FAMILY_TITLES = frozenset(m.title for m in MOVIES if "Family" in m.genres)


@dataclass
class SeedReport:
    auditoriums: int = 0
    movies: int = 0
    showtimes: int = 0
    admin_email: str | None = None
    generated_password: str | None = None  # shown once to whoever ran the seed
    ticket_types: int = 0
    promo_code: str | None = None  # the demo's live code, printed by the run command


# What a cinema sells from day one; admins change them at /admin/pricing. Seeded only into an
# empty table, so a cinema's own edits and deletions are never undone by the next start.
DEFAULT_TICKET_TYPES = (
    TicketType(name="Adult", rule=PriceRule.PERCENT_OFF.value, value=0, sort_order=1),
    TicketType(
        name="Child", rule=PriceRule.PERCENT_OFF.value, value=4000, max_age=14, door_note="Under 15", sort_order=2
    ),
    TicketType(
        name="Senior",
        rule=PriceRule.PERCENT_OFF.value,
        value=3000,
        door_note="60 or over: ID may be asked",
        sort_order=3,
    ),
    TicketType(
        name="Student", rule=PriceRule.AMOUNT_OFF.value, value=200, door_note="Student card may be asked", sort_order=4
    ),
)
DEMO_PROMO_CODE = "WELCOME10"


def ensure_ticket_types(session: Session, report: SeedReport) -> None:
    if session.exec(select(TicketType.id)).first() is not None:
        return
    for template in DEFAULT_TICKET_TYPES:
        session.add(TicketType.model_validate(template.model_dump(exclude={"id", "created_at", "updated_at"})))
        report.ticket_types += 1
    session.flush()


def _ensure_demo_promotion(session: Session, report: SeedReport, now: datetime) -> None:
    """One live code for trying the checkout: 10% off, once per customer, for a year. Added only
    while the cinema has no promotions at all."""
    existing = session.exec(select(Promotion)).first()
    if existing is None:
        session.add(
            Promotion(
                code=DEMO_PROMO_CODE,
                description="10% off your first booking",
                kind=PromotionKind.PERCENT.value,
                value=1000,
                valid_from=now - timedelta(days=1),
                valid_to=now + timedelta(days=365),
                max_per_customer=1,
            )
        )
        session.flush()
        report.promo_code = DEMO_PROMO_CODE
    elif existing.code == DEMO_PROMO_CODE and existing.valid_to > now:
        report.promo_code = DEMO_PROMO_CODE


def rental_share_bp(release_date: date | None, today: date) -> int:
    """A distributor's usual sliding scale: a film in its first weeks takes a larger share."""
    if release_date is None:
        return 3500
    weeks_out = (today - release_date).days // 7
    return 4500 if weeks_out < 4 else 4000 if weeks_out < 8 else 3500


def _ensure_auditoriums(session: Session, report: SeedReport) -> dict[str, Auditorium]:
    rooms = {}
    for demo in AUDITORIUMS:
        room = session.exec(select(Auditorium).where(Auditorium.name == demo.name)).first()
        if room is None:
            room = Auditorium(name=demo.name)
            session.add(room)
            session.flush()
            for spec in generate_layout(demo.layout):
                session.add(Seat(auditorium_id=room.id, **spec.__dict__))
            report.auditoriums += 1
        rooms[demo.name] = room
    return rooms


def _ensure_movies(session: Session, report: SeedReport) -> list[Movie]:
    genres = {g.name: g for g in session.exec(select(Genre))}
    movies = []
    for demo in MOVIES:
        movie = session.exec(select(Movie).where(Movie.title == demo.title)).first()
        if movie is None:
            movie = Movie(
                title=demo.title,
                synopsis=demo.synopsis,
                runtime_minutes=demo.runtime_minutes,
                poster_path=demo.poster_path,
                age_rating=demo.age_rating,
                language=demo.language,
                release_date=demo.release_date,
                rental_percent_bp=rental_share_bp(demo.release_date, date.today()),
            )
            session.add(movie)
            session.flush()
            for name in demo.genres:
                if name not in genres:
                    genres[name] = Genre(name=name)
                    session.add(genres[name])
                    session.flush()
                session.add(MovieGenre(movie_id=movie.id, genre_id=genres[name].id))
            report.movies += 1
        if movie.deleted_at is None:
            movies.append(movie)
    return movies


def _round_up_to_step(moment: datetime) -> datetime:
    minutes = moment.hour * 60 + moment.minute + (1 if moment.second or moment.microsecond else 0)
    rounded = math.ceil(minutes / SCHEDULE_STEP_MINUTES) * SCHEDULE_STEP_MINUTES
    return moment.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(minutes=rounded)


def _add_show(
    session: Session,
    room: Auditorium,
    demo: DemoAuditorium,
    movie: Movie,
    starts_at: datetime,
    format_index: int,
    tz: ZoneInfo,
    cleaning_buffer_minutes: int,
) -> Showtime:
    fmt = demo.formats[format_index % len(demo.formats)]
    if fmt == "IMAX" and movie.title in _FAMILY_TITLES:
        fmt = "3D"  # a family cartoon in IMAX is not a believable programme
    price = BASE_PRICE_CENTS[fmt]
    if starts_at.astimezone(tz).hour < 17:
        price -= MATINEE_DISCOUNT_CENTS
    return schedule_showtime(
        session,
        movie=movie,
        auditorium_id=room.id,
        starts_at=starts_at,
        base_price_cents=price,
        cleaning_buffer_minutes=cleaning_buffer_minutes,
        format=fmt,
    )


def _next_film(movies: list[Movie], cursor: int, fits) -> int | None:
    """The position (from ``cursor`` on, round the list once) of the first film that ``fits``."""
    return next((cursor + step for step in range(len(movies)) if fits(movies[(cursor + step) % len(movies)])), None)


def _schedule_day(
    session: Session,
    room: Auditorium,
    demo: DemoAuditorium,
    day: date,
    movies: list[Movie],
    rotation: int,
    tz: ZoneInfo,
    cleaning_buffer_minutes: int,
) -> int:
    """Lay out one room's day back to back; returns how many showtimes were added.

    On Friday and Saturday nights a room with a ``late_show`` ends its day with one at that
    time (never a family film); the shows before it are the films of the rotation that finish,
    cleaning included, before it starts.
    """
    start, end = local_day_bounds(day, tz)
    already = session.exec(
        select(func.count())
        .select_from(Showtime)
        .where(Showtime.auditorium_id == room.id, Showtime.starts_at >= start, Showtime.starts_at < end)
    ).one()
    if already:
        return 0
    late_start = at_local(day, *demo.late_show, tz) if demo.late_show and day.weekday() in LATE_SHOW_WEEKDAYS else None
    added = 0
    cursor = rotation  # position in the rotation of the next film to show
    starts_at = at_local(day, *demo.first_show, tz)
    last_start = at_local(day, *demo.last_start, tz)
    while starts_at <= last_start:
        if late_start is not None:

            def ends_in_time(movie: Movie, begins: datetime = starts_at) -> bool:
                return occupied_until(begins, movie.runtime_minutes, cleaning_buffer_minutes) <= late_start

            found = _next_film(movies, cursor, ends_in_time)
            if found is None:
                break
            cursor = found
        showtime = _add_show(
            session, room, demo, movies[cursor % len(movies)], starts_at, rotation + added, tz, cleaning_buffer_minutes
        )
        added += 1
        cursor += 1
        local_end = showtime.ends_at.astimezone(tz)
        starts_at = _round_up_to_step(local_end).astimezone(timezone.utc)
    if late_start is not None:
        found = _next_film(movies, cursor, lambda movie: movie.title not in _FAMILY_TITLES)
        if found is not None:
            late_film = movies[found % len(movies)]
            _add_show(session, room, demo, late_film, late_start, rotation + added, tz, cleaning_buffer_minutes)
            added += 1
    return added


def _ensure_admin(session: Session, report: SeedReport, email: str | None, password: str | None) -> None:
    """The first admin, when there is none. Raises DomainError for a bad ADMIN_EMAIL or ADMIN_PASSWORD."""
    has_admin = session.exec(select(User.id).where(User.role == Role.ADMIN.value)).first()
    if has_admin is not None:
        return
    if not password:
        password = secrets.token_urlsafe(12)
        report.generated_password = password
    admin = create_admin_user(
        session, email=email or "admin@moviebook.local", name="Admin", password=password, via="seed"
    )
    report.admin_email = admin.email


def seed_demo(
    session: Session,
    *,
    tz: ZoneInfo,
    cleaning_buffer_minutes: int,
    days: int = 7,
    now: datetime | None = None,
    admin_email: str | None = None,
    admin_password: str | None = None,
    demo: bool = True,
) -> SeedReport:
    """Create the first admin and, unless ``demo`` is off, the demo cinema with a programme
    from today for ``days`` local days. Without the demo, admins start from an empty cinema."""
    report = SeedReport()
    ensure_ticket_types(session, report)
    if not demo:
        _ensure_admin(session, report, admin_email, admin_password)
        session.flush()
        return report
    rooms = _ensure_auditoriums(session, report)
    movies = _ensure_movies(session, report)
    today = (now or datetime.now(timezone.utc)).astimezone(tz).date()
    for offset in range(days):
        day = today + timedelta(days=offset)
        for index, demo in enumerate(AUDITORIUMS):
            # Rotate by day and room so each film plays at different times across the week.
            rotation = day.toordinal() * 5 + index * 4
            report.showtimes += _schedule_day(
                session, rooms[demo.name], demo, day, movies, rotation, tz, cleaning_buffer_minutes
            )
    _ensure_demo_promotion(session, report, now or datetime.now(timezone.utc))
    _ensure_admin(session, report, admin_email, admin_password)
    session.flush()
    return report
