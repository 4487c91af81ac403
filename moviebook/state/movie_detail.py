"""The movie detail page: synopsis and the week's showtimes."""

from __future__ import annotations

import asyncio
import re

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.services.clock import local_today
from moviebook.services.errors import NotFound
from moviebook.services.programme import movie_with_week
from moviebook.state.views import DayScheduleView, MovieView, movie_view, week_schedule

_MOVIE_ID = re.compile(r"[0-9]{1,9}")


def _load(movie_id: int) -> tuple[MovieView, list[DayScheduleView]]:
    settings = get_settings()
    with session_scope() as session:
        listing = movie_with_week(session, movie_id, settings.timezone)
    today = local_today(settings.timezone)
    return movie_view(listing), week_schedule(listing, settings.timezone, settings.currency, today)


def route_movie_id(raw: object) -> int | None:
    """The id in /movies/<id>, or None for anything that cannot be one.

    The route argument comes from the browser's router data, so it may be any JSON value. Only
    ASCII digits count: str.isdigit() also accepts "²" and "١٢", which int() refuses or reads
    as another number. At most 9 digits, since larger ids overflow an INTEGER column.
    """
    if not isinstance(raw, str) or not _MOVIE_ID.fullmatch(raw):
        return None
    return int(raw)


class MovieDetailState(rx.State):
    movie: MovieView = MovieView()
    schedule: list[DayScheduleView] = []
    loading: bool = True
    not_found: bool = False

    @rx.event
    async def on_load(self):
        self.loading = True
        self.not_found = False
        yield
        movie_id = route_movie_id(self.movie_id)  # the dynamic route argument of /movies/[movie_id]
        if movie_id is None:
            self.not_found, self.loading = True, False
            self.movie, self.schedule = MovieView(), []
            return
        try:
            self.movie, self.schedule = await asyncio.to_thread(_load, movie_id)
        except NotFound:
            self.not_found = True
            self.movie, self.schedule = MovieView(), []
        self.loading = False
