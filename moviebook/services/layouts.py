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


def generate_layout(spec: LayoutSpec, price_modifiers: dict[str, int] | None = None) -> list[SeatSpec]:
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
            seat_type = spec.seat_types.get((row, number), spec.row_types.get(row, SeatType.REGULAR))
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


def seats_by_row(seats) -> dict[str, list]:
    """Each row's seats, left to right; rows from the screen back."""
    rows: dict[str, list] = {}
    for seat in sorted(seats, key=lambda s: (s.y, s.x)):
        rows.setdefault(seat.row_label, []).append(seat)
    return rows


def couple_pairs(seats) -> dict[tuple[str, int], tuple[str, int]]:
    """Which couple seat goes with which: in each row, side-by-side couple seats pair up from
    the left. Keys and values are (row_label, number); a seat without a partner is absent."""
    pairs: dict[tuple[str, int], tuple[str, int]] = {}
    for row in seats_by_row(seats).values():
        run: list = []
        for seat in row + [None]:
            if seat is not None and seat.seat_type == SeatType.COUPLE and (not run or seat.x == run[-1].x + 1):
                run.append(seat)
                continue
            for left, right in zip(run[0::2], run[1::2], strict=False):
                pairs[(left.row_label, left.number)] = (right.row_label, right.number)
                pairs[(right.row_label, right.number)] = (left.row_label, left.number)
            run = [seat] if seat is not None and seat.seat_type == SeatType.COUPLE else []
    return pairs


def layout_problems(seats) -> list[str]:
    """What makes a layout unsellable: couple seats not in pairs, wheelchair places alone."""
    problems = []
    pairs = couple_pairs(seats)
    for seat in seats:
        if seat.seat_type == SeatType.COUPLE and (seat.row_label, seat.number) not in pairs:
            problems.append(f"Couple seat {seat.row_label}{seat.number} needs a couple seat right next to it.")
    for row in seats_by_row(seats).values():
        by_x = {s.x: s for s in row}
        for seat in row:
            if seat.seat_type != SeatType.WHEELCHAIR:
                continue
            beside = [by_x.get(seat.x - 1), by_x.get(seat.x + 1)]
            if not any(s is not None and s.seat_type == SeatType.COMPANION for s in beside):
                problems.append(
                    f"Wheelchair space {seat.row_label}{seat.number} needs a companion seat right next to it."
                )
    return problems


def capacity(seats) -> int:
    """Seats that can be sold: everything but blocked places. Never typed in by hand."""
    return sum(1 for seat in seats if seat.seat_type != SeatType.BLOCKED)
