"""Display rows the pages render, built from service results.

Vars sent to the browser are plain dataclasses of strings and numbers: formatting happens once
here, on the server, in the cinema's time zone and currency.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from moviebook.services.money import format_cents
from moviebook.services.programme import Listing, ShowtimeSlot


@dataclass
class SlotView:
    id: int = 0
    time: str = ""
    format: str = ""
    auditorium: str = ""
    price: str = ""
    href: str = ""
    # Read by screen readers: "19:30, IMAX, Screen 2".
    label: str = ""


@dataclass
class MovieView:
    id: int = 0
    title: str = ""
    synopsis: str = ""
    poster: str = ""
    genres: list[str] = field(default_factory=list)
    runtime: str = ""
    age_rating: str = ""
    language: str = ""
    released: str = ""
    href: str = ""


@dataclass
class ListingView:
    movie: MovieView = field(default_factory=MovieView)
    slots: list[SlotView] = field(default_factory=list)


@dataclass
class DayView:
    iso: str = ""
    weekday: str = ""
    date_label: str = ""


@dataclass
class DayScheduleView:
    heading: str = ""
    slots: list[SlotView] = field(default_factory=list)


FALLBACK_POSTER = "/posters/placeholder.svg"


def runtime_label(minutes: int) -> str:
    hours, mins = divmod(minutes, 60)
    return f"{hours}h {mins:02d}m" if hours else f"{mins}m"


def day_views(today: date, count: int = 7) -> list[DayView]:
    days = []
    for offset in range(count):
        day = today + timedelta(days=offset)
        weekday = {0: "Today", 1: "Tomorrow"}.get(offset, day.strftime("%a"))
        days.append(DayView(iso=day.isoformat(), weekday=weekday, date_label=day.strftime("%d %b").lstrip("0")))
    return days


def long_day_label(day: date) -> str:
    """A day as a sentence or a button names it: "Saturday 5 Dec"."""
    return f"{day:%A} {day.day} {day:%b}"


def day_phrase(day: date, today: date) -> str:
    """A day in the middle of a sentence: "today", "tomorrow" or "on Saturday 5 Dec"."""
    offset = (day - today).days
    return {0: "today", 1: "tomorrow"}.get(offset, f"on {long_day_label(day)}")


def slot_view(slot: ShowtimeSlot, tz: ZoneInfo, currency: str) -> SlotView:
    local = slot.starts_at.astimezone(tz)
    time_label = local.strftime("%H:%M")
    return SlotView(
        id=slot.id,
        time=time_label,
        format=slot.format,
        auditorium=slot.auditorium_name,
        price=format_cents(slot.base_price_cents, currency),
        href=f"/showtimes/{slot.id}",
        label=f"{time_label}, {slot.format}, {slot.auditorium_name}",
    )


def movie_view(listing: Listing) -> MovieView:
    movie = listing.movie
    return MovieView(
        id=movie.id,
        title=movie.title,
        synopsis=movie.synopsis,
        poster=movie.poster_path or FALLBACK_POSTER,
        genres=list(movie.genres),
        runtime=runtime_label(movie.runtime_minutes),
        age_rating=movie.age_rating,
        language=movie.language,
        released=movie.release_date.strftime("%d %B %Y").lstrip("0") if movie.release_date else "",
        href=f"/movies/{movie.id}",
    )


def listing_view(listing: Listing, tz: ZoneInfo, currency: str) -> ListingView:
    return ListingView(
        movie=movie_view(listing),
        slots=[slot_view(slot, tz, currency) for slot in listing.showtimes],
    )


def week_schedule(listing: Listing, tz: ZoneInfo, currency: str, today: date) -> list[DayScheduleView]:
    """A movie's showtimes grouped under one heading per local day."""
    by_day: dict[date, list[SlotView]] = {}
    for slot in listing.showtimes:
        by_day.setdefault(slot.starts_at.astimezone(tz).date(), []).append(slot_view(slot, tz, currency))
    labels = {d.iso: f"{d.weekday} · {d.date_label}" for d in day_views(today, 31)}
    return [
        DayScheduleView(heading=labels.get(day.isoformat(), day.strftime("%a %d %b")), slots=slots)
        for day, slots in sorted(by_day.items())
    ]


def parse_day(value: str, allowed: list[DayView]) -> date | None:
    """A day from the date strip, or None when the browser sent something else."""
    if value not in {d.iso for d in allowed}:
        return None
    return datetime.strptime(value, "%Y-%m-%d").date()
