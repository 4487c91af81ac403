"""Best available: the N side-by-side free seats a person would pick for themselves.

``best_available`` is the rule, on a room's seats (anything with id, row_label, number, seat_type,
x and y: ``Seat``, ``SeatInfo``, a test's hand-drawn room) and the ids nobody can have now.
``suggest`` feeds it a showtime's seats as they are right now (sales and holds).

The rule, best first:
1. The seats sit side by side in one row: an aisle (a gap in x), a sold, held or blocked seat
   ends a block. A couple seat is never parted from its partner.
2. Never strand a single free seat between the block and a sold seat, an aisle or the row's end:
   nobody buys it. A block that does is offered only when no other block is free.
3. Closest to the best place to watch from: the middle of the screen, about two thirds of the
   way back. A row too close to the screen counts twice as bad as one as far behind the ideal.
4. Ties (mirror images of each other) go to the row further back, then to the left.

``ideal_view`` says where that is in a room, for a seat map to open on: the rows nearest the
ideal depth by the same measure, and the block of seats between the aisles in their middle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from sqlmodel import Session

from moviebook.models import SeatType, utcnow
from moviebook.services.bookings import hold_seats, release_seats, room_seats
from moviebook.services.checkout import bookable_showtime
from moviebook.services.errors import DomainError
from moviebook.services.holds import HoldStore, TooManySeats
from moviebook.services.layouts import couple_pairs, seats_by_row
from moviebook.services.live_seats import live_seats

# Fractions, not floats: mirror-image blocks must score exactly equal, so the tie rule decides.
IDEAL_DEPTH = Fraction(2, 3)  # of the way from the front row (y = 0, by the screen) to the back
FRONT_PENALTY = 2  # craning up at the screen is worse than sitting a little far from it
# Kept for wheelchair users and the person with them: offered only to those who ask for them.
ACCESS_TYPES = frozenset({SeatType.WHEELCHAIR.value, SeatType.COMPANION.value})
TRY_AGAIN = "Try fewer, or pick on the map."
IDEAL_ROWS = 3  # how many rows a seat map opens on: the ideal one and its nearest neighbours


@dataclass(frozen=True)
class Suggestion:
    seat_ids: tuple[int, ...] | None  # left to right; None when nothing fits
    reason: str = ""  # why nothing fits, for the buyer to read; empty when seats were found


@dataclass(frozen=True)
class _Room:
    """What the scoring measures against: the middle of the screen, the front and the depth."""

    centre_x: Fraction
    half_width: Fraction
    front_y: int
    depth: int

    @classmethod
    def of(cls, seats: list) -> _Room:
        left, right = min(s.x for s in seats), max(s.x for s in seats)
        front, back = min(s.y for s in seats), max(s.y for s in seats)
        return cls(Fraction(left + right, 2), max(Fraction(right - left, 2), Fraction(1)), front, max(back - front, 1))

    def distance(self, block: list) -> Fraction:
        """How far the block is from the best place: 0 there, about 1 at a side wall."""
        side = abs(Fraction(block[0].x + block[-1].x, 2) - self.centre_x) / self.half_width
        return side + self.row_distance(block[0].y)

    def row_distance(self, y: int) -> Fraction:
        """How far a row is from the ideal depth (a row too near the screen counts double)."""
        behind_ideal = Fraction(y - self.front_y, self.depth) - IDEAL_DEPTH
        return behind_ideal if behind_ideal >= 0 else -behind_ideal * FRONT_PENALTY


@dataclass(frozen=True)
class IdealView:
    """Where a seat map opens: the ``rows`` (their y, best first) and, in them, the columns from
    ``left`` to ``right`` (x) of the block of seats in the middle of the screen."""

    rows: tuple[int, ...]
    left: int
    right: int


def ideal_view(seats, rows: int = IDEAL_ROWS) -> IdealView | None:
    """The best rows of a room, by rule 3's measure (ties to the row further back, as rule 4), and
    the block between the aisles nearest the middle of the screen in each of them, joined. Seats
    on sale or not (a blocked place is still a place); None for a room with no seats."""
    seats = list(seats)
    if not seats:
        return None
    room = _Room.of(seats)
    by_y = {}
    for seat in seats:
        by_y.setdefault(seat.y, []).append(seat)
    best = sorted(by_y, key=lambda y: (room.row_distance(y), -y))[:rows]
    blocks = []
    for y in best:
        runs = _side_by_side(sorted(by_y[y], key=lambda s: s.x), lambda s: True)
        # The run the middle of the screen falls in, or else the nearest one (ties: the left).
        blocks.append(min(runs, key=lambda run: (_gap(run, room.centre_x), run[0].x)))
    return IdealView(tuple(best), min(b[0].x for b in blocks), max(b[-1].x for b in blocks))


def _gap(run: list, x: Fraction) -> Fraction:
    """How far ``x`` lies outside the run's columns: 0 inside it."""
    return max(Fraction(run[0].x) - x, x - run[-1].x, Fraction(0))


def best_available(seats, unavailable: set[int] | frozenset[int], count: int, *, wheelchair: int = 0) -> Suggestion:
    """The best ``count`` places side by side. ``wheelchair`` of them are wheelchair spaces, each
    with a companion seat of its own right beside it, counted in ``count``."""
    if count < 1:
        return Suggestion(None, "Ask for at least one seat.")
    if wheelchair < 0 or count < 2 * wheelchair:
        return Suggestion(None, "Each wheelchair space comes with a companion seat: ask for two places for each.")
    seats = list(seats)
    if not seats:
        return Suggestion(None, "This room has no seats.")
    room = _Room.of(seats)  # the whole room: its middle is the screen's, wherever seats are on sale
    seats = [s for s in seats if s.seat_type != SeatType.BLOCKED and (wheelchair or s.seat_type not in ACCESS_TYPES)]
    partner = _partner_ids(seats)
    best, best_key = None, None
    for row in seats_by_row(seats).values():
        for run in _side_by_side(row, lambda s: s.id not in unavailable):
            for start in range(len(run) - count + 1):
                block = run[start : start + count]
                if _parts_a_couple(block, partner) or not _wheelchairs_fit(block, wheelchair):
                    continue
                left_over = (start, len(run) - start - count)
                key = (left_over.count(1), room.distance(block), -block[0].y, block[0].x)
                if best_key is None or key < best_key:
                    best, best_key = block, key
    if best is not None:
        return Suggestion(tuple(s.id for s in best))
    return Suggestion(None, _why_none(count, wheelchair, seats))


def suggest(
    session: Session,
    store: HoldStore,
    showtime_id: int,
    count: int,
    *,
    wheelchair: int = 0,
    user_id: int | None = None,
    now: datetime | None = None,
) -> Suggestion:
    """The best seats of a showtime right now, for ``hold_seats`` to hold with one press. The
    buyer's own holds count as free: asking again may offer the seats they already hold."""
    if count > store.policy.max_seats:
        return Suggestion(None, str(TooManySeats(store.policy.max_seats)))
    showtime = bookable_showtime(session, showtime_id, now or utcnow())
    taken = live_seats(session, store, showtime_id).taken
    unavailable = {seat_id for seat_id, holder in taken.items() if holder != user_id}
    return best_available(room_seats(session, showtime.auditorium_id), unavailable, count, wheelchair=wheelchair)


def hold_best(
    session: Session,
    store: HoldStore,
    *,
    showtime_id: int,
    user_id: int,
    count: int,
    wheelchair: int = 0,
    now: datetime | None = None,
) -> list[int]:
    """One press: the best ``count`` seats held for the user, in place of any they held before
    (a new request replaces the old choice, and freeing those first keeps within the limit).
    DomainError with the reason when nothing fits; HoldRefused when someone was quicker."""
    found = suggest(session, store, showtime_id, count, wheelchair=wheelchair, user_id=user_id, now=now)
    if found.seat_ids is None:
        raise DomainError(found.reason)
    others = [seat for seat in store.held_by(showtime_id, user_id) if seat not in found.seat_ids]
    if others:
        release_seats(session, store, showtime_id=showtime_id, user_id=user_id, seat_ids=others)
    hold_seats(session, store, showtime_id=showtime_id, user_id=user_id, seat_ids=list(found.seat_ids), now=now)
    return list(found.seat_ids)


def _side_by_side(row: list, keep) -> list[list]:
    """The row cut into runs of kept seats with no gap in x between them (a gap is an aisle)."""
    runs: list[list] = []
    for seat in row:
        if not keep(seat):
            runs.append([])
        elif runs and runs[-1] and runs[-1][-1].x == seat.x - 1:
            runs[-1].append(seat)
        else:
            runs.append([seat])
    return [run for run in runs if run]


def _partner_ids(seats: list) -> dict[int, int]:
    """Couple seats by id, paired exactly as holding pairs them (``layouts.couple_pairs``)."""
    by_place = {(s.row_label, s.number): s.id for s in seats}
    return {by_place[seat]: by_place[other] for seat, other in couple_pairs(seats).items()}


def _parts_a_couple(block: list, partner: dict[int, int]) -> bool:
    ids = {s.id for s in block}
    return any(s.id in partner and partner[s.id] not in ids for s in block)


def _wheelchairs_fit(block: list, wheelchair: int) -> bool:
    """Exactly the wheelchair spaces asked for, each with a companion seat of its own beside it."""
    spaces = [i for i, s in enumerate(block) if s.seat_type == SeatType.WHEELCHAIR]
    if len(spaces) != wheelchair:
        return False
    used: set[int] = set()
    for i in spaces:  # left to right, the left companion first: on a line this never wastes one
        beside = [j for j in (i - 1, i + 1) if 0 <= j < len(block) and j not in used]
        companion = next((j for j in beside if block[j].seat_type == SeatType.COMPANION), None)
        if companion is None:
            return False
        used.add(companion)
    return True


def _why_none(count: int, wheelchair: int, seats: list) -> str:
    if wheelchair:
        what, verb = "wheelchair space with its companion seat", "is"
        if wheelchair > 1:
            what, verb = f"{wheelchair} wheelchair spaces with their companion seats", "are"
        extra = count - 2 * wheelchair
        more = f" and {extra} more seat{'s' if extra > 1 else ''} beside them" if extra else ""
        return f"No {what}{more} {verb} free together. Pick on the map."
    if count == 1:
        return "No seat is free."
    rows = seats_by_row(seats).values()
    if count > max((len(run) for row in rows for run in _side_by_side(row, lambda s: True)), default=0):
        return f"No row has {count} seats side by side. {TRY_AGAIN}"
    return f"No {count} seats together are free. {TRY_AGAIN}"
