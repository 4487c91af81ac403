"""Display rows for a showtime page: its header and the price legend."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from moviebook.services.money import format_cents
from moviebook.services.seatmap import SeatMap
from moviebook.state.views import FALLBACK_POSTER, runtime_label

SEAT_TYPE_LABELS = {
    "regular": "Standard",
    "premium": "Premium",
    "wheelchair": "Wheelchair space",
    "companion": "Companion seat",
    "couple": "Couple seat",
    "blocked": "Not for sale",
}


@dataclass
class PriceView:
    seat_type: str = ""
    name: str = ""
    price: str = ""


@dataclass
class ShowtimeHeaderView:
    movie_title: str = ""
    movie_href: str = ""
    poster: str = ""
    age_rating: str = ""
    runtime: str = ""
    when: str = ""
    auditorium: str = ""
    format: str = ""
    language: str = ""


def price_list(seat_map: SeatMap, currency: str) -> list[PriceView]:
    return [
        PriceView(seat_type=kind, name=SEAT_TYPE_LABELS.get(kind, kind), price=format_cents(cents, currency))
        for kind, cents in seat_map.prices_by_type().items()
    ]


def header(seat_map: SeatMap, tz: ZoneInfo) -> ShowtimeHeaderView:
    show = seat_map.showtime
    local = show.starts_at.astimezone(tz)
    language = show.language + (f", {show.subtitles} subtitles" if show.subtitles else "")
    return ShowtimeHeaderView(
        movie_title=show.movie_title,
        movie_href=f"/movies/{show.movie_id}",
        poster=show.poster_path or FALLBACK_POSTER,
        age_rating=show.age_rating,
        runtime=runtime_label(show.runtime_minutes),
        when=local.strftime("%A %d %B, %H:%M").replace(" 0", " "),
        auditorium=show.auditorium_name,
        format=show.format,
        language=language,
    )
