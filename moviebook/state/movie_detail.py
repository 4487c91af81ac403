"""The movie detail page: synopsis and the week's showtimes."""

from __future__ import annotations

import asyncio

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.services.clock import local_today
from moviebook.services.errors import NotFound
from moviebook.services.programme import movie_with_week
from moviebook.state.guard import public, route_id
from moviebook.state.views import DayScheduleView, MovieView, movie_view, week_schedule


def _load(movie_id: int) -> tuple[MovieView, list[DayScheduleView]]:
    settings = get_settings()
    with session_scope() as session:
        listing = movie_with_week(session, movie_id, settings.timezone)
    today = local_today(settings.timezone)
    return movie_view(listing), week_schedule(listing, settings.timezone, settings.currency, today)


class MovieDetailState(rx.State):
    movie: MovieView = MovieView()
    schedule: list[DayScheduleView] = []
    loading: bool = True
    not_found: bool = False

    @public
    async def on_load(self):
        self.loading = True
        self.not_found = False
        yield
        movie_id = route_id(self.movie_id)  # the dynamic route argument of /movies/[movie_id]
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
