"""Admins run the catalog: movies with their genres and posters; deletion is soft."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from moviebook.models import AGE_RATINGS, Booking, BookingStatus, Genre, Movie, MovieGenre, Role, Showtime, utcnow
from moviebook.services import audit
from moviebook.services.errors import Conflict, FormInvalid, NotFound
from moviebook.services.paging import Page, page_slice
from moviebook.services.pricing_admin import parse_percent_bp
from moviebook.services.programme import genres_by_movie
from moviebook.services.roles import require_role
from moviebook.services.text_search import LIKE_ESCAPE, contains_pattern
from moviebook.services.tokens import Identity

MAX_GENRES = 6


@dataclass(frozen=True)
class MovieForm:
    title: str
    synopsis: str
    runtime_minutes: int
    age_rating: str
    language: str
    release_date: date | None
    genres: tuple[str, ...]
    poster_path: str | None
    # The distributor's share in basis points; None (the field was not sent) keeps what the film has.
    rental_percent_bp: int | None = None


def parse_movie_form(raw: dict, genres: list[str], poster_path: str | None) -> MovieForm:
    errors: dict[str, str] = {}
    title = str(raw.get("title", "")).strip()
    if not title:
        errors["title"] = "Enter the title."
    elif len(title) > 200:
        errors["title"] = "Use at most 200 characters."
    synopsis = str(raw.get("synopsis", "")).strip()
    if len(synopsis) > 4000:
        errors["synopsis"] = "Use at most 4000 characters."
    runtime_text = str(raw.get("runtime", "")).strip()
    runtime = int(runtime_text) if runtime_text.isdecimal() and len(runtime_text) <= 3 else 0
    if not 1 <= runtime <= 600:
        errors["runtime"] = "Enter the running time in minutes (1 to 600)."
    rating = str(raw.get("age_rating", ""))
    if rating not in AGE_RATINGS:
        errors["age_rating"] = "Choose an age rating."
    language = str(raw.get("language", "")).strip()
    if not language or len(language) > 40:
        errors["language"] = "Enter the language (at most 40 characters)."
    release = None
    release_text = str(raw.get("release_date", "")).strip()
    if release_text:
        try:
            release = date.fromisoformat(release_text)
        except ValueError:
            errors["release_date"] = "Enter a date, or leave it empty."
    names = tuple(dict.fromkeys(g.strip()[:40] for g in genres if g and g.strip()))
    if len(names) > MAX_GENRES:
        errors["genres"] = f"Choose at most {MAX_GENRES} genres."
    rental = None
    if "rental_percent" in raw:
        rental = parse_percent_bp(raw.get("rental_percent"))
        if rental is None:
            errors["rental_percent"] = "Enter the distributor's share as a percentage from 0 to 100 (e.g. 35 or 47.5)."
    if errors:
        raise FormInvalid(errors)
    return MovieForm(title, synopsis, runtime, rating, language, release, names, poster_path, rental)


def _genres_of(session: Session, movie_id: int) -> list[str]:
    return list(
        session.exec(
            select(Genre.name)
            .join(MovieGenre, MovieGenre.genre_id == Genre.id)
            .where(MovieGenre.movie_id == movie_id)
            .order_by(Genre.name)
        )
    )


def _set_genres(session: Session, movie: Movie, names: tuple[str, ...]) -> None:
    for link in session.exec(select(MovieGenre).where(MovieGenre.movie_id == movie.id)):
        session.delete(link)
    session.flush()
    for name in names:
        # Genres are matched case-insensitively, so "sci-fi" joins the existing "Sci-Fi".
        genre = session.exec(select(Genre).where(func.lower(Genre.name) == name.lower())).first()
        if genre is None:
            genre = Genre(name=name)
            session.add(genre)
            session.flush()
        session.add(MovieGenre(movie_id=movie.id, genre_id=genre.id))
    session.flush()


def _snapshot(session: Session, movie: Movie) -> dict:
    return {
        "title": movie.title,
        "synopsis": movie.synopsis[:200],
        "runtime_minutes": movie.runtime_minutes,
        "age_rating": movie.age_rating,
        "language": movie.language,
        "release_date": movie.release_date.isoformat() if movie.release_date else None,
        "poster_path": movie.poster_path,
        "rental_percent_bp": movie.rental_percent_bp,
        "genres": _genres_of(session, movie.id),
    }


def _apply(movie: Movie, form: MovieForm) -> None:
    movie.title, movie.synopsis, movie.runtime_minutes = form.title, form.synopsis, form.runtime_minutes
    movie.age_rating, movie.language, movie.release_date = form.age_rating, form.language, form.release_date
    if form.poster_path:
        movie.poster_path = form.poster_path
    if form.rental_percent_bp is not None:
        movie.rental_percent_bp = form.rental_percent_bp
    movie.updated_at = utcnow()


def create_movie(session: Session, actor: Identity, form: MovieForm, ip: str | None = None) -> Movie:
    require_role(actor, Role.ADMIN.value)
    movie = Movie(title=form.title, runtime_minutes=form.runtime_minutes, age_rating=form.age_rating)
    _apply(movie, form)
    session.add(movie)
    session.flush()
    _set_genres(session, movie, form.genres)
    audit.record(
        session,
        "movie.create",
        actor_id=actor.user_id,
        entity_type="movie",
        entity_id=movie.id,
        new=_snapshot(session, movie),
        ip=ip,
    )
    return movie


def _live(session: Session, movie_id: int) -> Movie:
    movie = session.get(Movie, movie_id)
    if movie is None or movie.deleted_at is not None:
        raise NotFound("That film is not in the catalog.")
    return movie


def update_movie(session: Session, actor: Identity, movie_id: int, form: MovieForm, ip: str | None = None) -> Movie:
    require_role(actor, Role.ADMIN.value)
    movie = _live(session, movie_id)
    old = _snapshot(session, movie)
    _apply(movie, form)
    session.flush()
    _set_genres(session, movie, form.genres)
    audit.record(
        session,
        "movie.update",
        actor_id=actor.user_id,
        entity_type="movie",
        entity_id=movie.id,
        old=old,
        new=_snapshot(session, movie),
        ip=ip,
    )
    return movie


def delete_movie(
    session: Session, actor: Identity, movie_id: int, tz: ZoneInfo, now: datetime | None = None, ip: str | None = None
) -> int:
    """Soft-delete a film. Refused while a future showtime of it has bookings; its other future
    showtimes are cancelled so they stop holding their rooms. Returns how many were cancelled."""
    require_role(actor, Role.ADMIN.value)
    movie = _live(session, movie_id)
    now = now or utcnow()
    future = session.exec(
        select(Showtime)
        .where(Showtime.movie_id == movie.id, Showtime.starts_at > now, Showtime.is_cancelled == False)  # noqa: E712
        .order_by(Showtime.starts_at)
    ).all()
    booked = [
        s
        for s in future
        if session.exec(
            select(func.count())
            .select_from(Booking)
            .where(Booking.showtime_id == s.id, Booking.status == BookingStatus.CONFIRMED.value)
        ).one()
    ]
    if booked:
        listed = "; ".join(f"{s.starts_at.astimezone(tz):%a %d %b %H:%M} (showtime #{s.id})" for s in booked[:5])
        more = f" and {len(booked) - 5} more" if len(booked) > 5 else ""
        raise Conflict(f"“{movie.title}” has bookings for future showtimes. Cancel these first: {listed}{more}.")
    for showtime in future:
        showtime.is_cancelled, showtime.updated_at = True, now
    movie.deleted_at = now
    session.flush()
    audit.record(
        session,
        "movie.delete",
        actor_id=actor.user_id,
        entity_type="movie",
        entity_id=movie.id,
        old={"deleted_at": None},
        new={"deleted_at": now.isoformat(), "showtimes_cancelled": len(future)},
        ip=ip,
    )
    return len(future)


@dataclass(frozen=True)
class MovieRow:
    id: int
    title: str
    poster_path: str | None
    runtime_minutes: int
    age_rating: str
    genres: tuple[str, ...]
    rental_percent_bp: int = 0


MoviePage = Page[MovieRow]


def list_movies(
    session: Session, actor: Identity, *, query: str = "", genre: str = "", page: int = 1, page_size: int = 12
) -> MoviePage:
    require_role(actor, Role.ADMIN.value)
    condition = col(Movie.deleted_at).is_(None)
    text = (query or "").strip()[:100]
    if text:
        condition = condition & col(Movie.title).ilike(contains_pattern(text), escape=LIKE_ESCAPE)
    if genre:
        condition = condition & col(Movie.id).in_(
            select(MovieGenre.movie_id).join(Genre, Genre.id == MovieGenre.genre_id).where(Genre.name == genre)
        )
    total = session.exec(select(func.count()).select_from(Movie).where(condition)).one()
    at = page_slice(total, page, page_size)
    movies = session.exec(
        select(Movie).where(condition).order_by(Movie.title, Movie.id).offset(at.offset).limit(at.limit)
    ).all()
    genres = genres_by_movie(session, [m.id for m in movies])
    rows = tuple(
        MovieRow(
            m.id, m.title, m.poster_path, m.runtime_minutes, m.age_rating, genres.get(m.id, ()), m.rental_percent_bp
        )
        for m in movies
    )
    return MoviePage(rows, total, at.page, at.pages)


def movie_for_editing(session: Session, actor: Identity, movie_id: int) -> tuple[Movie, list[str]]:
    require_role(actor, Role.ADMIN.value)
    movie = _live(session, movie_id)
    return movie, _genres_of(session, movie.id)


def all_genre_names(session: Session) -> list[str]:
    return list(session.exec(select(Genre.name).order_by(Genre.name)))
