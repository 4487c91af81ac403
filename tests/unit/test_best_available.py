"""Best available on hand-drawn rooms: the screen is above the first row drawn (row A).

    .  a free seat        x  a sold or held seat    |  an aisle (a column with no seat)
    c  a free couple seat *  a sold couple seat     #  a blocked place
    W  a wheelchair space C  a companion seat

Seats are numbered from 1 left to right in each row, aisles not counted.
"""

from __future__ import annotations

from textwrap import dedent

from moviebook.models import SeatType
from moviebook.services.best_available import best_available, ideal_view
from moviebook.services.seatmap import SeatInfo

SYMBOLS = {
    ".": (SeatType.REGULAR, False),
    "x": (SeatType.REGULAR, True),
    "c": (SeatType.COUPLE, False),
    "*": (SeatType.COUPLE, True),
    "#": (SeatType.BLOCKED, False),
    "W": (SeatType.WHEELCHAIR, False),
    "C": (SeatType.COMPANION, False),
}


def room(drawing: str) -> tuple[list[SeatInfo], set[int]]:
    """The seats of the drawing, as the seat map has them, and the ids of those drawn sold."""
    seats, sold = [], set()
    for y, line in enumerate(line for line in dedent(drawing).splitlines() if line.strip()):
        label, *cells = line.split()
        number = 0
        for x, cell in enumerate(cells):
            if cell == "|":
                continue
            number += 1
            seat_type, is_sold = SYMBOLS[cell]
            seats.append(SeatInfo(len(seats) + 1, label, number, seat_type.value, x, y, 1000, is_sold))
            if is_sold:
                sold.add(seats[-1].id)
    return seats, sold


def pick(drawing: str, count: int, *, wheelchair: int = 0, reverse: bool = False) -> list[str] | str:
    """The seats suggested, as labels ("E5"), or the reason given when there are none."""
    seats, sold = room(drawing)
    suggestion = best_available(seats[::-1] if reverse else seats, sold, count, wheelchair=wheelchair)
    if suggestion.seat_ids is None:
        return suggestion.reason
    assert suggestion.reason == ""
    labels = {s.id: f"{s.row_label}{s.number}" for s in seats}
    return [labels[seat_id] for seat_id in suggestion.seat_ids]


def test_an_empty_room_gets_the_middle_of_the_row_two_thirds_back():
    drawing = """
        A  . . . . . . . . . .
        B  . . . . . . . . . .
        C  . . . . . . . . . .
        D  . . . . . . . . . .
        E  . . . . . . . . . .
        F  . . . . . . . . . .
        G  . . . . . . . . . .
    """
    assert pick(drawing, 4) == ["E4", "E5", "E6", "E7"]
    assert pick(drawing, 1) == ["E5"]  # 5 and 6 are equally central: the left one


def test_the_middle_of_a_good_row_beats_its_side_and_the_empty_front_rows():
    drawing = """
        A  . . . . . . . . . .
        B  . . . . . . . . . .
        C  . . . . . . . . . .
        D  . . . x x x x . . .
        E  . . . x x x x . . .
        F  . . . . . . . . . .
        G  . . . . . . . . . .
    """
    # E and D are sold in the middle; F, a row behind the ideal E, still has its middle free.
    assert pick(drawing, 2) == ["F5", "F6"]


def test_two_rows_too_near_the_screen_are_worse_than_three_rows_too_far():
    drawing = """
        A  x x x x x x
        B  x x x x x x
        C  x x x x x x
        D  x x x x x x
        E  . . . . . .
        F  x x x x x x
        G  x x x x x x
        H  x x x x x x
        I  x x x x x x
        J  . . . . . .
    """
    # The ideal is G (two thirds of the way back): E is two rows in front of it, J three behind.
    assert pick(drawing, 2) == ["J3", "J4"]


def test_never_strands_a_single_seat_when_another_block_avoids_it():
    drawing = """
        A  . . x . . . x . . .
    """
    # A4-A5 or A5-A6 are the most central pair, but each leaves one seat alone between sold ones;
    # A8-A9 would leave A10 alone at the row's end. A1-A2 fills its gap.
    assert pick(drawing, 2) == ["A1", "A2"]


def test_a_single_seat_is_stranded_only_when_nothing_else_is_free():
    assert pick("A  x . . . x", 2) == ["A2", "A3"]  # either pair strands one: the left is as good


def test_an_aisle_splits_blocks():
    drawing = """
        A  . . . . | . . . .
    """
    # A3-A6 is the middle by seat number, but the aisle runs through it.
    assert pick(drawing, 4) == ["A1", "A2", "A3", "A4"]


def test_a_seat_alone_by_an_aisle_is_stranded_too():
    drawing = """
        A  . . . . . . | .
    """
    # A4-A5 is the middle of the room, but would leave A6 alone by the aisle.
    assert pick(drawing, 2) == ["A3", "A4"]


def test_a_blocked_place_splits_blocks_and_is_never_offered():
    assert pick("A  . . . # . . .", 3) == ["A1", "A2", "A3"]  # not A3-A5 around the blocked A4
    assert pick("A  # # # #", 1) == "No seat is free."


def test_a_full_room_gets_no_seats_and_a_reason():
    drawing = """
        A  x x x x x x
        B  x . x . x x
        C  x x x x x .
    """
    assert pick(drawing, 2) == "No 2 seats together are free. Try fewer, or pick on the map."
    assert pick(drawing, 1) == ["B4"]  # a single seat is still there for one
    assert pick("A  x x x", 1) == "No seat is free."


def test_more_seats_than_any_row_holds():
    drawing = """
        A  . . . . | . . . .
        B  . . . . | . . . .
    """
    assert pick(drawing, 5) == "No row has 5 seats side by side. Try fewer, or pick on the map."


def test_couple_seats_are_kept_in_pairs():
    drawing = """
        A  . . c c c c . .
    """
    # The pairs are A3+A4 and A5+A6: the central A4-A5 would part both couples.
    assert pick(drawing, 2) == ["A3", "A4"]
    assert pick(drawing, 4) == ["A3", "A4", "A5", "A6"]
    # Every three that keep the couples whole leave a seat alone; of the two, the left one.
    assert pick(drawing, 3) == ["A2", "A3", "A4"]


def test_a_lone_couple_seat_is_never_offered_alone():
    # A couple seat is sold with its partner: one person is not offered the central A3, half a pair.
    assert pick("A  . . c c . .", 1) == ["A1"]


def test_wheelchair_spaces_come_with_their_companion_seat():
    drawing = """
        A  W C . . . . C W
        B  . . . . . . . .
    """
    assert pick(drawing, 2, wheelchair=1) == ["A1", "A2"]  # the two ends are mirror images: the left
    assert pick(drawing, 3, wheelchair=1) == ["A1", "A2", "A3"]
    assert pick(drawing, 4, wheelchair=2) == (
        "No 2 wheelchair spaces with their companion seats are free together. Pick on the map."
    )
    # A seat beside the left space is not a companion seat: the right pair is offered.
    assert pick("A  W . . . . . C W", 2, wheelchair=1) == ["A7", "A8"]
    assert pick("A  W x x x x x C W", 3, wheelchair=1) == (
        "No wheelchair space with its companion seat and 1 more seat beside them is free together. Pick on the map."
    )


def test_wheelchair_spaces_and_companion_seats_are_kept_for_those_who_ask():
    assert pick("A  . . W C . .", 2) == ["A1", "A2"]  # not the central A3-A4
    assert pick("A  . . W C . .", 1) == ["A2"]  # nor the companion seat A4 on its own
    assert pick("A  W C x x x x C W", 2) == "No 2 seats together are free. Try fewer, or pick on the map."


def test_asking_for_nothing_or_a_space_without_a_companion_is_refused():
    assert pick("A  . . .", 0) == "Ask for at least one seat."
    assert pick("A  W C .", 1, wheelchair=1) == (
        "Each wheelchair space comes with a companion seat: ask for two places for each."
    )


def test_ties_are_broken_the_same_way_whatever_order_the_seats_come_in():
    drawing = """
        A  . . . . . . . .
    """
    # A3-A5 and A4-A6 are equally far from the middle: the left one, both ways round.
    assert pick(drawing, 3) == ["A3", "A4", "A5"]
    assert pick(drawing, 3, reverse=True) == ["A3", "A4", "A5"]


def test_rows_equally_good_go_to_the_one_further_back():
    drawing = """
        A  x x x x x x
        B  x x x x x x
        C  x x x x x x
        D  x x x x x x
        E  x x x x x x
        F  . . . . . .
        G  x x x x x x
        H  x x x x x x
        I  . . . . . .
        J  x x x x x x
    """
    # F is one row in front of the ideal G and I two behind: counted the same, so the back one.
    assert pick(drawing, 2) == ["I3", "I4"]
    assert pick(drawing, 2, reverse=True) == ["I3", "I4"]


def view(drawing: str) -> tuple[list[str], list[int]]:
    """Where a map of the drawing opens: its best rows' labels, and the seat numbers of the
    middle block in the first of them."""
    seats, _ = room(drawing)
    found = ideal_view(seats)
    label = {s.y: s.row_label for s in seats}
    first = [s.number for s in seats if s.y == found.rows[0] and found.left <= s.x <= found.right]
    return [label[y] for y in found.rows], first


def test_a_map_opens_on_the_rows_best_available_would_pick_from():
    drawing = """
        A  . . . . . . . . . .
        B  . . . . . . . . . .
        C  . . . . . . . . . .
        D  . . . . . . . . . .
        E  . . . . . . . . . .
        F  . . . . . . . . . .
    """
    # D and E are as near the ideal two thirds back (a row too near counts double): the tie
    # goes to E, further back, as best available's does; then F, then D.
    assert view(drawing) == (["E", "D", "F"], list(range(1, 11)))
    assert pick(drawing, 2) == ["E5", "E6"]


def test_a_map_opens_on_the_block_between_the_aisles_in_the_middle():
    drawing = """
        A  . . . | . . . . . . | . . .
        B  . . . | . . . . . . | . . .
        C  . . . | . . . . . . | . . .
        D  . . . | . . . . . . | . . .
    """
    assert view(drawing) == (["C", "D", "B"], [4, 5, 6, 7, 8, 9])


def test_an_aisle_down_the_middle_opens_on_the_left_block_and_sold_seats_count_as_places():
    # The middle of the screen falls in the aisle: both blocks are as near, the left one wins.
    assert view("A  . x . | x x .") == (["A"], [1, 2, 3])
    assert ideal_view([]) is None
