"""What is on: the browse page's listings and a movie's week of showtimes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from moviebook.models import Auditorium, Genre, Movie, MovieGenre, Showtime
from moviebook.services.clock import local_day_bounds
from moviebook.services.errors import NotFound
from moviebook.services.paging import Page, page_slice
from moviebook.services.text_search import LIKE_ESCAPE, contains_pattern


@dataclass(frozen=True)
class ShowtimeSlot:
    id: int
    starts_at: datetime  # UTC
    format: str
    language: str
    subtitles: str | None
    auditorium_name: str
    base_price_cents: int


@dataclass(frozen=True)
class MovieSummary:
    id: int
    title: str
    synopsis: str
    poster_path: str | None
    genres: tuple[str, ...]
    runtime_minutes: int
    age_rating: str
    language: str
    release_date: date | None


@dataclass(frozen=True)
class Listing:
    movie: MovieSummary
    showtimes: tuple[ShowtimeSlot, ...]


def genre_names(session: Session) -> list[str]:
    """Genres that at least one movie in the catalog has, alphabetically."""
    query = (
        select(Genre.name)
        .join(MovieGenre, MovieGenre.genre_id == Genre.id)
        .join(Movie, Movie.id == MovieGenre.movie_id)
        .where(col(Movie.deleted_at).is_(None))
        .distinct()
        .order_by(Genre.name)
    )
    return list(session.exec(query))


def genres_by_movie(session: Session, movie_ids: list[int]) -> dict[int, tuple[str, ...]]:
    if not movie_ids:
        return {}
    rows = session.exec(
        select(MovieGenre.movie_id, Genre.name)
        .join(Genre, Genre.id == MovieGenre.genre_id)
        .where(col(MovieGenre.movie_id).in_(movie_ids))
        .order_by(Genre.name)
    )
    found: dict[int, list[str]] = defaultdict(list)
    for movie_id, name in rows:
        found[movie_id].append(name)
    return {movie_id: tuple(names) for movie_id, names in found.items()}


def _summary(movie: Movie, genres: tuple[str, ...]) -> MovieSummary:
    return MovieSummary(
        id=movie.id,
        title=movie.title,
        synopsis=movie.synopsis,
        poster_path=movie.poster_path,
        genres=genres,
        runtime_minutes=movie.runtime_minutes,
        age_rating=movie.age_rating,
        language=movie.language,
        release_date=movie.release_date,
    )


def _bookable_showtimes(start: datetime, end: datetime | None, not_before: datetime):
    """Showtimes in [start, end) (no end: from start on) that a moviegoer can still book."""
    query = (
        select(Showtime, Auditorium.name)
        .join(Auditorium, Auditorium.id == Showtime.auditorium_id)
        .join(Movie, Movie.id == Showtime.movie_id)
        .where(
            Showtime.starts_at >= max(start, not_before),
            Showtime.is_cancelled == False,  # noqa: E712
            col(Movie.deleted_at).is_(None),
        )
        .order_by(Showtime.starts_at)
    )
    return query if end is None else query.where(Showtime.starts_at < end)


def _matching(query, genre: str | None, title_query: str | None):
    """Narrow a showtime query to the browse page's filters: one genre, and a title search."""
    if title_query and title_query.strip():
        query = query.where(col(Movie.title).ilike(contains_pattern(title_query.strip()), escape=LIKE_ESCAPE))
    if genre:
        query = query.where(
            col(Showtime.movie_id).in_(
                select(MovieGenre.movie_id).join(Genre, Genre.id == MovieGenre.genre_id).where(Genre.name == genre)
            )
        )
    return query


def _slot(showtime: Showtime, auditorium_name: str) -> ShowtimeSlot:
    return ShowtimeSlot(
        id=showtime.id,
        starts_at=showtime.starts_at,
        format=showtime.format,
        language=showtime.language,
        subtitles=showtime.subtitles,
        auditorium_name=auditorium_name,
        base_price_cents=showtime.base_price_cents,
    )


def listings_for_day(
    session: Session,
    day: date,
    tz: ZoneInfo,
    *,
    genre: str | None = None,
    title_query: str | None = None,
    now: datetime | None = None,
) -> list[Listing]:
    """Movies with at least one bookable showtime on the local day, with those showtimes."""
    start, end = local_day_bounds(day, tz)
    query = _matching(_bookable_showtimes(start, end, now or datetime.now(timezone.utc)), genre, title_query)
    slots_by_movie: dict[int, list[ShowtimeSlot]] = defaultdict(list)
    for showtime, auditorium_name in session.exec(query):
        slots_by_movie[showtime.movie_id].append(_slot(showtime, auditorium_name))
    if not slots_by_movie:
        return []
    movies = session.exec(select(Movie).where(col(Movie.id).in_(list(slots_by_movie)))).all()
    genres = genres_by_movie(session, [m.id for m in movies])
    listings = [Listing(_summary(m, genres.get(m.id, ())), tuple(slots_by_movie[m.id])) for m in movies]
    return sorted(listings, key=lambda listing: listing.movie.title.casefold())


def movie_with_week(
    session: Session, movie_id: int, tz: ZoneInfo, *, days: int = 7, now: datetime | None = None
) -> Listing:
    """One movie and its bookable showtimes from now to the end of the ``days``-th local day."""
    movie = session.get(Movie, movie_id)
    if movie is None or movie.deleted_at is not None:
        raise NotFound("That movie is not in our programme.")
    now = now or datetime.now(timezone.utc)
    today = now.astimezone(tz).date()
    start, _ = local_day_bounds(today, tz)
    _, end = local_day_bounds(today + timedelta(days=days - 1), tz)
    rows = session.exec(_bookable_showtimes(start, end, now).where(Showtime.movie_id == movie_id))
    slots = tuple(_slot(showtime, auditorium_name) for showtime, auditorium_name in rows)
    return Listing(_summary(movie, genres_by_movie(session, [movie_id]).get(movie_id, ())), slots)


def next_day_with_showtimes(
    session: Session,
    tz: ZoneInfo,
    *,
    after: date | None = None,
    until: date | None = None,
    genre: str | None = None,
    title_query: str | None = None,
    now: datetime | None = None,
) -> date | None:
    """The first cinema-local day with a showtime a moviegoer can still book, matching the filters.

    A showtime counts when it starts at or after ``now``, is not cancelled and its film is in the
    catalogue: the same rule as the day's listings, so the day named here never turns out empty.
    With ``after`` only later days count (the day after a chosen day that has nothing left);
    without it, today counts too. ``until`` is the last local day to look at (inclusive).
    None when no such day exists up to ``until``.
    """
    now = now or datetime.now(timezone.utc)
    start = now if after is None else local_day_bounds(after + timedelta(days=1), tz)[0]
    end = local_day_bounds(until, tz)[1] if until is not None else None
    if end is not None and max(start, now) >= end:
        return None
    query = _matching(_bookable_showtimes(start, end, now), genre, title_query)
    first = session.exec(query.limit(1)).first()
    return None if first is None else first[0].starts_at.astimezone(tz).date()


@dataclass(frozen=True)
class CatalogueFilters:
    """What a catalogue client may narrow the films to (None: any)."""

    day: date | None = None  # a cinema-local day: films with a bookable showtime on it
    genre: str | None = None
    language: str | None = None  # a showtime's spoken language, any case
    age_rating: str | None = None
    title_query: str | None = None


def catalogue_page(
    session: Session,
    tz: ZoneInfo,
    filters: CatalogueFilters,
    *,
    page: int,
    page_size: int,
    now: datetime | None = None,
) -> Page[MovieSummary]:
    """The films on the programme (with a showtime one can still book, on ``filters.day`` or from
    now on), by title, one page at a time: the browse page's rule, for any client."""
    now = now or datetime.now(timezone.utc)
    start, end = local_day_bounds(filters.day, tz) if filters.day else (now, None)
    showtimes = _matching(_bookable_showtimes(start, end, now), filters.genre, filters.title_query)
    if filters.language:
        showtimes = showtimes.where(sa.func.lower(Showtime.language) == filters.language.strip().lower())
    if filters.age_rating:
        showtimes = showtimes.where(Movie.age_rating == filters.age_rating)
    movie_ids = showtimes.with_only_columns(Showtime.movie_id).distinct().order_by(None).subquery()
    total = session.exec(select(sa.func.count()).select_from(movie_ids)).one()
    where = page_slice(total, page, page_size)
    movies = session.exec(
        select(Movie)
        .where(col(Movie.id).in_(select(movie_ids.c.movie_id)))
        .order_by(sa.func.lower(Movie.title), Movie.id)
        .offset(where.offset)
        .limit(where.limit)
    ).all()
    genres = genres_by_movie(session, [m.id for m in movies])
    rows = tuple(_summary(m, genres.get(m.id, ())) for m in movies)
    return Page(rows=rows, total=total, page=where.page, pages=where.pages)
