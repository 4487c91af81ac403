"""Small builders for test data, so each test states only what matters to it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from moviebook.models import Auditorium, Genre, Movie, MovieGenre, Seat, Showtime
from moviebook.services.layouts import LayoutSpec, generate_layout


def make_movie(session: Session, title: str = "Test Film", *, genres: tuple[str, ...] = (), runtime: int = 100, **fields) -> Movie:
    movie = Movie(title=title, runtime_minutes=runtime, age_rating=fields.pop("age_rating", "PG"), **fields)
    session.add(movie)
    session.flush()
    for name in genres:
        genre = session.exec(select(Genre).where(Genre.name == name)).one_or_none() or Genre(name=name)
        session.add(genre)
        session.flush()
        session.add(MovieGenre(movie_id=movie.id, genre_id=genre.id))
    session.flush()
    return movie


def make_auditorium(session: Session, name: str = "Room", rows: int = 2, seats_per_row: int = 3) -> Auditorium:
    room = Auditorium(name=name)
    session.add(room)
    session.flush()
    for spec in generate_layout(LayoutSpec(rows=rows, seats_per_row=seats_per_row)):
        session.add(Seat(auditorium_id=room.id, **spec.__dict__))
    session.flush()
    return room


def make_showtime(session: Session, movie: Movie, room: Auditorium, starts_at: datetime, **fields) -> Showtime:
    showtime = Showtime(
        movie_id=movie.id,
        auditorium_id=room.id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=movie.runtime_minutes + 15),
        base_price_cents=fields.pop("base_price_cents", 1000),
        **fields,
    )
    session.add(showtime)
    session.flush()
    return showtime
