"""Display rows for a showtime's seat map: a grid of seats and gaps, a legend and a header."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from moviebook.services.money import format_cents
from moviebook.services.seatmap import SeatInfo, SeatMap
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
class SeatCellView:
    """One square of the grid: a seat, or an empty place (aisle, gap)."""

    is_seat: bool = False
    seat_id: int = 0
    number: str = ""
    seat_type: str = ""
    state: str = ""  # available | booked | blocked
    label: str = ""  # what a screen reader announces


@dataclass
class SeatRowView:
    label: str = ""
    cells: list[SeatCellView] = field(default_factory=list)


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


def _state(seat: SeatInfo) -> str:
    if seat.price_cents is None:
        return "blocked"
    return "booked" if seat.is_booked else "available"


def _cell(seat: SeatInfo) -> SeatCellView:
    state = _state(seat)
    kind = SEAT_TYPE_LABELS.get(seat.seat_type, seat.seat_type).lower()
    return SeatCellView(
        is_seat=True,
        seat_id=seat.id,
        number=str(seat.number),
        seat_type=seat.seat_type,
        state=state,
        label=f"Row {seat.row_label}, seat {seat.number}, {kind}, {state}",
    )


def seat_rows(seat_map: SeatMap) -> list[SeatRowView]:
    """The grid row by row, front (nearest the screen) first, with gaps where no seat stands."""
    by_place = {(s.x, s.y): s for s in seat_map.seats}
    rows = []
    for y in range(seat_map.height):
        row_seats = [s for s in seat_map.seats if s.y == y]
        label = row_seats[0].row_label if row_seats else ""
        cells = [
            _cell(by_place[(x, y)]) if (x, y) in by_place else SeatCellView()
            for x in range(seat_map.width)
        ]
        rows.append(SeatRowView(label=label, cells=cells))
    return rows


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
