"""``/admin/movies``: the catalog list, and the create/edit form with its poster upload."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import ClassVar

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import AGE_RATINGS, Movie, Role  # noqa: F401  (AGE_RATINGS: re-exported for the film form page)
from moviebook.services.catalog_admin import (
    MoviePage,
    all_genre_names,
    create_movie,
    delete_movie,
    list_movies,
    movie_for_editing,
    parse_movie_form,
    update_movie,
)
from moviebook.services.errors import DomainError, FormInvalid
from moviebook.services.posters import MAX_POSTER_BYTES, poster_url, store_poster
from moviebook.services.pricing_admin import percent_input, percent_label
from moviebook.services.tokens import Identity
from moviebook.state.auth import AuthState
from moviebook.state.guard import requires, route_id
from moviebook.state.paged_list import SearchableList
from moviebook.state.views import FALLBACK_POSTER, runtime_label

PAGE_SIZE = 12
DEFAULT_RENTAL_BP = Movie.model_fields["rental_percent_bp"].default  # a new film's share


@dataclass
class AdminMovieRow:
    id: int = 0
    title: str = ""
    poster: str = ""
    runtime: str = ""
    age_rating: str = ""
    genres: str = ""
    rental: str = ""  # the distributor's share, "35%"
    href: str = ""


def _page(me: Identity, query: str, genre: str, page: int) -> tuple[MoviePage, list[str]]:
    with session_scope() as session:
        return list_movies(session, me, query=query, genre=genre, page=page, page_size=PAGE_SIZE), all_genre_names(
            session
        )


def _delete(me: Identity, movie_id: int, ip: str) -> int:
    with session_scope() as session:
        return delete_movie(session, me, movie_id, get_settings().timezone, ip=ip)


class AdminMoviesState(SearchableList, AuthState):
    required_role: ClassVar[str | None] = Role.ADMIN.value
    genre: str = ""
    genres: list[str] = []
    rows: list[AdminMovieRow] = []

    async def _reload(self, me: Identity) -> None:
        result, self.genres = await asyncio.to_thread(_page, me, self.query, self.genre, self.page)
        self.page, self.pages, self.total = result.page, result.pages, result.total
        self.rows = [
            AdminMovieRow(
                id=r.id,
                title=r.title,
                poster=r.poster_path or FALLBACK_POSTER,
                runtime=runtime_label(r.runtime_minutes),
                age_rating=r.age_rating,
                genres=", ".join(r.genres),
                rental=percent_label(r.rental_percent_bp),
                href=f"/admin/movies/{r.id}",
            )
            for r in result.rows
        ]

    @requires(Role.ADMIN)
    async def filter_genre(self, me: Identity, genre: str):
        self.genre, self.page = ("" if genre == "all" else genre[:40]), 1
        await self._reload(me)

    @requires(Role.ADMIN)
    async def delete(self, me: Identity, movie_id: int):
        try:
            cancelled = await asyncio.to_thread(_delete, me, movie_id, self._client_ip())
        except DomainError as problem:
            return rx.toast.error(str(problem), duration=10_000)
        await self._reload(me)
        extra = f" {cancelled} unbooked future showtimes were cancelled." if cancelled else ""
        return rx.toast.success("Film removed from the catalog." + extra)


def _load_form(me: Identity, movie_id: int | None):
    with session_scope() as session:
        genres = all_genre_names(session)
        if movie_id is None:
            return None, [], genres
        movie, chosen = movie_for_editing(session, me, movie_id)
        return movie, chosen, genres


def _save(me: Identity, movie_id: int | None, raw: dict, genres: list[str], poster_path: str | None, ip: str) -> int:
    with session_scope() as session:
        form = parse_movie_form(raw, genres, poster_path)
        movie = (
            create_movie(session, me, form, ip) if movie_id is None else update_movie(session, me, movie_id, form, ip)
        )
        return movie.id


class MovieFormState(AuthState):
    required_role: ClassVar[str | None] = Role.ADMIN.value
    movie_id: int = 0  # 0 for a new film
    title: str = ""
    synopsis: str = ""
    runtime: str = ""
    age_rating: str = "PG"
    language: str = "English"
    release_date: str = ""
    rental_percent: str = percent_input(DEFAULT_RENTAL_BP)
    chosen_genres: list[str] = []
    known_genres: list[str] = []
    poster_url: str = ""
    _uploaded_poster: str = ""  # set only by our own upload handler, never by the browser
    errors: dict[str, str] = {}
    upload_error: str = ""
    not_found: bool = False

    @rx.var
    def heading(self) -> str:
        return "Edit film" if self.movie_id else "New film"

    @requires(Role.ADMIN)
    async def on_load(self, me: Identity):
        raw = self.edit_id  # route argument: "new" or a film id
        self.errors, self.upload_error, self._uploaded_poster, self.not_found = {}, "", "", False
        movie_id = route_id(raw)
        if raw != "new" and movie_id is None:
            self.not_found = True
            return
        try:
            movie, chosen, self.known_genres = await asyncio.to_thread(_load_form, me, movie_id)
        except DomainError:
            self.not_found = True
            return
        self.movie_id = movie.id if movie else 0
        self.title = movie.title if movie else ""
        self.synopsis = movie.synopsis if movie else ""
        self.runtime = str(movie.runtime_minutes) if movie else ""
        self.age_rating = movie.age_rating if movie else "PG"
        self.language = movie.language if movie else "English"
        self.release_date = movie.release_date.isoformat() if movie and movie.release_date else ""
        self.rental_percent = percent_input(movie.rental_percent_bp if movie else DEFAULT_RENTAL_BP)
        self.chosen_genres = chosen
        self.poster_url = (movie.poster_path or "") if movie else ""

    @requires(Role.ADMIN)
    async def toggle_genre(self, name: str):
        name = name.strip()[:40]
        if name in self.chosen_genres:
            self.chosen_genres = [g for g in self.chosen_genres if g != name]
        elif name:
            self.chosen_genres = self.chosen_genres + [name]
            if name not in self.known_genres:
                self.known_genres = sorted(self.known_genres + [name])

    @requires(Role.ADMIN)
    async def add_genre(self, form: dict):
        name = str(form.get("new_genre", "")).strip()[:40]
        if name and name.lower() not in {g.lower() for g in self.chosen_genres}:
            self.chosen_genres = self.chosen_genres + [name]
            if name.lower() not in {g.lower() for g in self.known_genres}:
                self.known_genres = sorted(self.known_genres + [name])

    @requires(Role.ADMIN)
    async def upload_poster(self, files: list[rx.UploadFile]):
        self.upload_error = ""
        if not files:
            return
        data = await files[0].read(MAX_POSTER_BYTES + 1)
        try:
            stored = await asyncio.to_thread(store_poster, data, rx.get_upload_dir())
        except DomainError as problem:
            self.upload_error = str(problem)
            return
        self._uploaded_poster = poster_url(stored)
        self.poster_url = self._uploaded_poster  # the preview, before anything is saved

    @requires(Role.ADMIN)
    async def save(self, me: Identity, form: dict):
        try:
            movie_id = await asyncio.to_thread(
                _save,
                me,
                self.movie_id or None,
                form,
                list(self.chosen_genres),
                self._uploaded_poster or None,
                self._client_ip(),
            )
        except FormInvalid as invalid:
            self.errors = invalid.errors
            return rx.toast.error("Please check the highlighted fields.")
        except DomainError as problem:
            return rx.toast.error(str(problem))
        self.errors = {}
        return [rx.toast.success("Film saved."), rx.redirect(f"/admin/movies?saved={movie_id}")]
