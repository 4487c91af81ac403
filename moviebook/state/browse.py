"""The browse page: the date strip, filters and the day's listings."""

from __future__ import annotations

import asyncio

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.services.clock import local_today
from moviebook.services.programme import genre_names, listings_for_day
from moviebook.state.guard import public
from moviebook.state.views import DayView, ListingView, day_views, listing_view, parse_day

MAX_SEARCH_LENGTH = 100


def _load_listings(day_iso: str, genre: str, search: str) -> list[ListingView]:
    settings = get_settings()
    day = parse_day(day_iso, day_views(local_today(settings.timezone)))
    if day is None:
        return []
    with session_scope() as session:
        listings = listings_for_day(session, day, settings.timezone, genre=genre or None, title_query=search or None)
    return [listing_view(item, settings.timezone, settings.currency) for item in listings]


def _load_genres() -> list[str]:
    with session_scope() as session:
        return genre_names(session)


class BrowseState(rx.State):
    days: list[DayView] = []
    selected_day: str = ""
    genres: list[str] = []
    genre: str = ""
    search: str = ""
    listings: list[ListingView] = []
    loading: bool = True

    @rx.var
    def selected_day_label(self) -> str:
        for day in self.days:
            if day.iso == self.selected_day:
                return day.weekday if day.weekday in ("Today", "Tomorrow") else f"{day.weekday} {day.date_label}"
        return ""

    @rx.var
    def has_filters(self) -> bool:
        return bool(self.genre or self.search)

    async def _refresh(self):
        self.loading = True
        yield
        # Database work runs in a thread so one slow query never stalls other users' events.
        self.listings = await asyncio.to_thread(_load_listings, self.selected_day, self.genre, self.search)
        self.loading = False

    @public
    async def on_load(self):
        settings = get_settings()
        self.days = day_views(local_today(settings.timezone))
        if self.selected_day not in {d.iso for d in self.days}:
            self.selected_day = self.days[0].iso
        self.genres = await asyncio.to_thread(_load_genres)
        if self.genre not in self.genres:
            self.genre = ""
        async for update in self._refresh():
            yield update

    @public
    async def select_day(self, iso: str):
        if iso not in {d.iso for d in self.days}:
            yield rx.toast.error("That day is not in this week's programme.")
            return
        self.selected_day = iso
        async for update in self._refresh():
            yield update

    @public
    async def choose_genre(self, genre: str):
        # "all" is the select's value for no filter (an empty value is not allowed there).
        genre = "" if genre == "all" else genre
        if genre and genre not in self.genres:
            yield rx.toast.error("Unknown genre.")
            return
        self.genre = genre
        async for update in self._refresh():
            yield update

    @public
    async def search_titles(self, text: str):
        self.search = str(text)[:MAX_SEARCH_LENGTH]
        async for update in self._refresh():
            yield update

    @public
    async def clear_filters(self):
        self.genre = ""
        self.search = ""
        async for update in self._refresh():
            yield update
