"""The showtime page: its details and a live-from-the-database seat map."""

from __future__ import annotations

import asyncio

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.services.errors import DomainError
from moviebook.services.seatmap import showtime_seat_map
from moviebook.state.seatmap_views import (
    PriceView,
    SeatRowView,
    ShowtimeHeaderView,
    header,
    price_list,
    seat_rows,
)


def _load(showtime_id: int) -> tuple[ShowtimeHeaderView, list[SeatRowView], list[PriceView], int]:
    settings = get_settings()
    with session_scope() as session:
        seat_map = showtime_seat_map(session, showtime_id)
    free = sum(1 for s in seat_map.seats if s.price_cents is not None and not s.is_booked)
    return header(seat_map, settings.timezone), seat_rows(seat_map), price_list(seat_map, settings.currency), free


class ShowtimeState(rx.State):
    show: ShowtimeHeaderView = ShowtimeHeaderView()
    rows: list[SeatRowView] = []
    prices: list[PriceView] = []
    seats_free: int = 0
    loading: bool = True
    # Why there is no map (unknown, cancelled or past showtime); empty when there is one.
    problem: str = ""

    @rx.event
    async def on_load(self):
        self.loading, self.problem = True, ""
        yield
        raw = str(self.showtime_id)  # the dynamic route argument
        try:
            if not raw.isdigit() or len(raw) > 9:
                raise DomainError("We could not find that showtime.")
            self.show, self.rows, self.prices, self.seats_free = await asyncio.to_thread(_load, int(raw))
        except DomainError as error:
            self.problem = str(error)
            self.show, self.rows, self.prices, self.seats_free = ShowtimeHeaderView(), [], [], 0
        self.loading = False
