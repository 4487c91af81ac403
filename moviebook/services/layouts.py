"""Seat-layout generation: rows, seats per row and aisles in, positioned seats out."""

from __future__ import annotations

import string
from dataclasses import dataclass, field

from moviebook.models import SeatType

# What each seat type adds to a showtime's base price, in cents.
DEFAULT_PRICE_MODIFIERS: dict[str, int] = {
    SeatType.REGULAR: 0,
    SeatType.PREMIUM: 300,
    SeatType.WHEELCHAIR: 0,
    SeatType.COMPANION: 0,
    SeatType.COUPLE: 200,
    SeatType.BLOCKED: 0,
}

MAX_ROWS = 26
MAX_SEATS_PER_ROW = 40


@dataclass(frozen=True)
class SeatSpec:
    row_label: str
    number: int
    seat_type: str
    x: int
    y: int
    price_modifier_cents: int


@dataclass(frozen=True)
class LayoutSpec:
    """A rectangular auditorium with optional aisles and special seats.

    ``aisles_after`` lists seat numbers after which a walkway runs (drawn as an empty column).
    ``row_types`` gives whole rows a type (e.g. premium back rows); ``seat_types`` overrides
    single seats, keyed by ``(row_label, number)``.
    """

    rows: int
    seats_per_row: int
    aisles_after: tuple[int, ...] = ()
    row_types: dict[str, str] = field(default_factory=dict)
    seat_types: dict[tuple[str, int], str] = field(default_factory=dict)


def row_labels(count: int) -> list[str]:
    return list(string.ascii_uppercase[:count])


def generate_layout(
    spec: LayoutSpec, price_modifiers: dict[str, int] | None = None
) -> list[SeatSpec]:
    if not 1 <= spec.rows <= MAX_ROWS:
        raise ValueError(f"rows must be between 1 and {MAX_ROWS}")
    if not 1 <= spec.seats_per_row <= MAX_SEATS_PER_ROW:
        raise ValueError(f"seats per row must be between 1 and {MAX_SEATS_PER_ROW}")
    for after in spec.aisles_after:
        if not 1 <= after < spec.seats_per_row:
            raise ValueError(f"an aisle after seat {after} would not sit between two seats")
    modifiers = {**DEFAULT_PRICE_MODIFIERS, **(price_modifiers or {})}
    seats: list[SeatSpec] = []
    for y, row in enumerate(row_labels(spec.rows)):
        for number in range(1, spec.seats_per_row + 1):
            seat_type = spec.seat_types.get(
                (row, number), spec.row_types.get(row, SeatType.REGULAR)
            )
            aisles_before = sum(1 for after in spec.aisles_after if number > after)
            seats.append(
                SeatSpec(
                    row_label=row,
                    number=number,
                    seat_type=str(seat_type),
                    x=number - 1 + aisles_before,
                    y=y,
                    price_modifier_cents=modifiers[seat_type],
                )
            )
    return seats
