"""The browse page: the date strip, filters and the day's listings.

When the chosen day has nothing left (every show has started, or none is scheduled), the page
says so and names the next day with showtimes that match the filters, with a button to go
there. Which day that is, is ``services.programme.next_day_with_showtimes``'s rule; here it is
only asked and put into words.

Any browser can send these handlers any JSON value, so each checks what it was given and
answers a bad value with a toast, never a traceback.
"""

from __future__ import annotations

import asyncio
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.services.clock import local_today
from moviebook.services.programme import genre_names, listings_for_day, next_day_with_showtimes
from moviebook.state.guard import public
from moviebook.state.views import (
    DayView,
    ListingView,
    day_phrase,
    day_views,
    listing_view,
    long_day_label,
    parse_day,
)

MAX_SEARCH_LENGTH = 100  # the search box's own max_length


@dataclass
class _DayResult:
    """What one refresh found, computed in a worker thread and then copied into the state."""

    days: list[DayView]
    selected_day: str
    listings: list[ListingView] = field(default_factory=list)
    next_day: str = ""
    next_day_label: str = ""
    empty_heading: str = ""
    empty_text: str = ""


def _when(day: date, today: date) -> str:
    """ "today", "tomorrow, Saturday 5 Dec" or "on Saturday 5 Dec"."""
    return f"tomorrow, {long_day_label(day)}" if (day - today).days == 1 else day_phrase(day, today)


def _empty_texts(day: date, today: date, filtered: bool, next_day: date | None) -> tuple[str, str]:
    """The heading and sentence of an empty day, naming the day with showtimes to go to instead."""
    later = next_day is not None and next_day > day
    if filtered:
        heading = "No films match"
        text = f"Nothing {day_phrase(day, today)} matches your genre or search."
        if next_day is None:
            return heading, f"{text} Nothing else this week does either."
        which = "next" if later else "nearest"
        return heading, f"{text} The {which} showtimes that do are {_when(next_day, today)}."
    if day == today:
        heading, text = "Nothing left to see today", "All of today's shows have started or none are scheduled."
    else:
        heading, text = f"Nothing scheduled {day_phrase(day, today)} yet", ""
    if next_day is None:
        tail = "No other day this week has showtimes yet."
    else:
        tail = f"The {'next' if later else 'nearest'} showtimes are {_when(next_day, today)}."
    return heading, f"{text} {tail}".strip()


def _load_day(day_iso: str, genre: str, search: str) -> _DayResult:
    settings = get_settings()
    tz = settings.timezone
    now = datetime.now(timezone.utc)  # one moment for every question below, so the answers agree
    today = local_today(tz, now)
    days = day_views(today)
    # A tab left open past midnight may still ask for a day that has gone: show today instead.
    day = parse_day(day_iso, days) or today
    last_day = today + timedelta(days=len(days) - 1)
    filters = {"genre": genre or None, "title_query": search or None}
    with session_scope() as session:
        listings = listings_for_day(session, day, tz, now=now, **filters)
        next_day = None
        if not listings:
            next_day = next_day_with_showtimes(session, tz, after=day, until=last_day, now=now, **filters)
            if next_day is None:  # nothing later (on the strip's last day, say): the nearest day before
                next_day = next_day_with_showtimes(session, tz, until=last_day, now=now, **filters)
    result = _DayResult(days=days, selected_day=day.isoformat())
    if listings:
        result.listings = [listing_view(item, tz, settings.currency) for item in listings]
        return result
    result.empty_heading, result.empty_text = _empty_texts(day, today, bool(genre or search), next_day)
    if next_day is not None:
        result.next_day, result.next_day_label = next_day.isoformat(), long_day_label(next_day)
    return result


def _load_genres() -> list[str]:
    with session_scope() as session:
        return genre_names(session)


def _search_problem(text: object) -> str | None:
    """Why a search sent by the browser cannot be used, or None when it can."""
    if not isinstance(text, str):
        return "Type part of a film's title to search."
    if len(text) > MAX_SEARCH_LENGTH:
        return f"A search can be at most {MAX_SEARCH_LENGTH} characters."
    # NUL and lone surrogates cannot reach PostgreSQL, and no title has a control character.
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in text):
        return "A search can only contain letters, digits, spaces and punctuation."
    return None


class BrowseState(rx.State):
    days: list[DayView] = []
    selected_day: str = ""
    genres: list[str] = []
    genre: str = ""
    search: str = ""
    listings: list[ListingView] = []
    loading: bool = True
    # When the chosen day has nothing left: what to say, and the day with showtimes to offer.
    empty_heading: str = ""
    empty_text: str = ""
    next_day: str = ""
    next_day_label: str = ""

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
        result = await asyncio.to_thread(_load_day, self.selected_day, self.genre, self.search)
        self.days, self.selected_day, self.listings = result.days, result.selected_day, result.listings
        self.empty_heading, self.empty_text = result.empty_heading, result.empty_text
        self.next_day, self.next_day_label = result.next_day, result.next_day_label
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
        if not isinstance(iso, str) or iso not in {d.iso for d in self.days}:
            yield rx.toast.error("That day is not in this week's programme.")
            return
        self.selected_day = iso
        # On a phone the chip may be off screen (chosen from the empty day's button): show it.
        yield rx.call_script(
            f'document.getElementById("day-{iso}")?.scrollIntoView({{block: "nearest", inline: "nearest"}})'
        )
        async for update in self._refresh():
            yield update

    @public
    async def choose_genre(self, genre: str):
        if not isinstance(genre, str):
            yield rx.toast.error("Unknown genre.")
            return
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
        if (problem := _search_problem(text)) is not None:
            yield rx.toast.error(problem)
            return
        self.search = text
        async for update in self._refresh():
            yield update

    @public
    async def clear_filters(self):
        self.genre = ""
        self.search = ""
        async for update in self._refresh():
            yield update
