"""``/admin/movies``: the catalog, as the films page runs it (admins only).

Every write goes through ``services.catalog_admin`` with the same form validation as the page;
a partial update is the film's current values with the sent fields laid over them. Deleting is
the page's soft delete: refused (409) while a future showtime has bookings.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from pydantic import BaseModel, Field

from moviebook.api.deps import Address, Admin
from moviebook.api.routes.admin_common import Id, PageOut, api_fields, refusals
from moviebook.api.schemas import long_text, text
from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import Movie
from moviebook.services.catalog_admin import (
    create_movie,
    delete_movie,
    list_movies,
    movie_for_editing,
    parse_movie_form,
    update_movie,
)
from moviebook.services.posters import MAX_POSTER_BYTES, poster_url, store_poster
from moviebook.services.pricing_admin import percent_input
from moviebook.services.tokens import Identity

router = APIRouter(tags=["admin: films"])

# The film form's field names, as this API calls them.
FIELDS = {"runtime": "runtime_minutes", "rental_percent": "rental_percent_bp"}


class MovieIn(BaseModel):
    title: text(1000) = Field(examples=["The Long Night"])
    synopsis: long_text(10_000) = ""
    runtime_minutes: int = Field(description="1 to 600.", examples=[112])
    age_rating: text(20) = Field(examples=["PG", "12A", "15", "18"])
    language: text(200) = "English"
    release_date: date | None = None
    genres: list[str] = Field(default_factory=list, max_length=50, description="At most 6; new names are added.")
    rental_percent_bp: int | None = Field(
        default=None, description="The distributor's share in basis points (3500 = 35%); omitted: the default."
    )


class MoviePatch(BaseModel):
    """Only the fields sent change."""

    title: text(1000) | None = None
    synopsis: long_text(10_000) | None = None
    runtime_minutes: int | None = None
    age_rating: text(20) | None = None
    language: text(200) | None = None
    release_date: date | None = None
    genres: list[str] | None = Field(default=None, max_length=50)
    rental_percent_bp: int | None = None


class MovieSummaryOut(BaseModel):
    id: int
    title: str
    poster_url: str | None
    runtime_minutes: int
    age_rating: str
    genres: list[str]
    rental_percent_bp: int


class MovieOut(BaseModel):
    id: int
    title: str
    synopsis: str
    runtime_minutes: int
    age_rating: str
    language: str
    release_date: date | None
    genres: list[str]
    poster_url: str | None
    rental_percent_bp: int


class MovieDeletedOut(BaseModel):
    id: int
    showtimes_cancelled: int = Field(description="Unbooked future showtimes of the film, cancelled with it.")


def _out(movie: Movie, genres: list[str]) -> MovieOut:
    return MovieOut(
        id=movie.id,
        title=movie.title,
        synopsis=movie.synopsis,
        runtime_minutes=movie.runtime_minutes,
        age_rating=movie.age_rating,
        language=movie.language,
        release_date=movie.release_date,
        genres=list(genres),
        poster_url=movie.poster_path,
        rental_percent_bp=movie.rental_percent_bp,
    )


def _form_fields(values: dict) -> dict:
    """API fields as the film form sends them (text, as typed)."""
    raw = {}
    for name, value in values.items():
        if name == "runtime_minutes":
            raw["runtime"] = "" if value is None else str(value)
        elif name == "rental_percent_bp":
            if value is not None:
                raw["rental_percent"] = percent_input(value) if value >= 0 else str(value)
        elif name == "release_date":
            raw["release_date"] = value.isoformat() if value else ""
        elif name != "genres":
            raw[name] = "" if value is None else value
    return raw


def _current_fields(movie: Movie) -> dict:
    return _form_fields(
        {
            "title": movie.title,
            "synopsis": movie.synopsis,
            "runtime_minutes": movie.runtime_minutes,
            "age_rating": movie.age_rating,
            "language": movie.language,
            "release_date": movie.release_date,
            "rental_percent_bp": movie.rental_percent_bp,
        }
    )


@router.get("/admin/movies", response_model=PageOut[MovieSummaryOut], responses=refusals())
def list_films(
    me: Admin,
    q: Annotated[text(100), Query(description="Part of the title.")] = "",
    genre: Annotated[text(40), Query()] = "",
    page: int = Query(default=1, ge=1, le=100_000),
    page_size: int = Query(default=12, ge=1, le=100),
) -> PageOut[MovieSummaryOut]:
    """The catalog, by title (deleted films are not listed)."""
    with session_scope() as session:
        result = list_movies(session, me, query=q, genre=genre, page=page, page_size=page_size)
    return PageOut[MovieSummaryOut](
        items=[
            MovieSummaryOut(
                id=r.id,
                title=r.title,
                poster_url=r.poster_path,
                runtime_minutes=r.runtime_minutes,
                age_rating=r.age_rating,
                genres=list(r.genres),
                rental_percent_bp=r.rental_percent_bp,
            )
            for r in result.rows
        ],
        total=result.total,
        page=result.page,
        pages=result.pages,
    )


@router.post("/admin/movies", status_code=201, response_model=MovieOut, responses=refusals())
def add_film(body: MovieIn, me: Admin, address: Address) -> MovieOut:
    """Add a film, validated as the film form is (field errors under these names)."""
    with api_fields(FIELDS), session_scope() as session:
        form = parse_movie_form(_form_fields(body.model_dump()), body.genres, None)
        movie = create_movie(session, me, form, address)
        _movie, genres = movie_for_editing(session, me, movie.id)
        return _out(movie, genres)


@router.get("/admin/movies/{movie_id}", response_model=MovieOut, responses=refusals(404))
def get_film(movie_id: Id, me: Admin) -> MovieOut:
    with session_scope() as session:
        movie, genres = movie_for_editing(session, me, movie_id)
        return _out(movie, genres)


def _update(me: Identity, movie_id: int, changes: dict, address: str, poster_path: str | None = None) -> MovieOut:
    with api_fields(FIELDS), session_scope() as session:
        movie, genres = movie_for_editing(session, me, movie_id)
        raw = _current_fields(movie) | _form_fields(changes)
        chosen = genres if changes.get("genres") is None else changes["genres"]
        form = parse_movie_form(raw, chosen, poster_path)
        movie = update_movie(session, me, movie_id, form, address)
        _movie, genres = movie_for_editing(session, me, movie.id)
        return _out(movie, genres)


@router.patch("/admin/movies/{movie_id}", response_model=MovieOut, responses=refusals(404))
def edit_film(movie_id: Id, body: MoviePatch, me: Admin, address: Address) -> MovieOut:
    """Change some of a film's fields; the others keep their values."""
    return _update(me, movie_id, body.model_dump(exclude_unset=True), address)


@router.delete("/admin/movies/{movie_id}", response_model=MovieDeletedOut, responses=refusals(404, 409))
def remove_film(movie_id: Id, me: Admin, address: Address) -> MovieDeletedOut:
    """Take a film out of the catalog (kept for the records). Refused with 409 while a future
    showtime of it has bookings; its unbooked future showtimes are cancelled."""
    with session_scope() as session:
        cancelled = delete_movie(session, me, movie_id, get_settings().timezone, ip=address)
    return MovieDeletedOut(id=movie_id, showtimes_cancelled=cancelled)


def _upload_dir():
    from reflex import get_upload_dir  # where Reflex's backend serves uploads from (/_upload/)

    return get_upload_dir()


@router.post("/admin/movies/{movie_id}/poster", response_model=MovieOut, responses=refusals(404))
def upload_poster(movie_id: Id, me: Admin, address: Address, file: Annotated[UploadFile, File()]) -> MovieOut:
    """A PNG, JPEG or WebP image up to 5 MB, as multipart `file`. The type is read from the
    content, not the name: anything else is a 422."""
    with session_scope() as session:
        movie_for_editing(session, me, movie_id)  # a missing film is a 404 before anything is stored
    data = file.file.read(MAX_POSTER_BYTES + 1)
    stored = store_poster(data, _upload_dir())
    return _update(me, movie_id, {}, address, poster_url(stored))
