import pytest

from moviebook.models import SeatType
from moviebook.services.layouts import DEFAULT_PRICE_MODIFIERS, LayoutSpec, generate_layout


def test_rectangle_without_aisles_is_a_dense_grid():
    seats = generate_layout(LayoutSpec(rows=2, seats_per_row=3))
    assert [(s.row_label, s.number, s.x, s.y) for s in seats] == [
        ("A", 1, 0, 0),
        ("A", 2, 1, 0),
        ("A", 3, 2, 0),
        ("B", 1, 0, 1),
        ("B", 2, 1, 1),
        ("B", 3, 2, 1),
    ]
    assert {s.seat_type for s in seats} == {SeatType.REGULAR}


def test_aisle_leaves_an_empty_column_after_the_named_seat():
    seats = generate_layout(LayoutSpec(rows=1, seats_per_row=12, aisles_after=(6,)))
    xs = [s.x for s in seats]
    assert xs == [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12]  # column 6 is the walkway


def test_two_aisles_shift_the_seats_after_each():
    seats = generate_layout(LayoutSpec(rows=1, seats_per_row=6, aisles_after=(2, 4)))
    assert [s.x for s in seats] == [0, 1, 3, 4, 6, 7]


def test_row_and_seat_types_carry_their_price_modifiers():
    spec = LayoutSpec(
        rows=3,
        seats_per_row=4,
        row_types={"C": SeatType.PREMIUM},
        seat_types={("A", 1): SeatType.WHEELCHAIR, ("A", 2): SeatType.COMPANION, ("C", 4): SeatType.BLOCKED},
    )
    by_place = {(s.row_label, s.number): s for s in generate_layout(spec)}
    assert by_place[("A", 1)].seat_type == SeatType.WHEELCHAIR
    assert by_place[("A", 2)].seat_type == SeatType.COMPANION
    assert by_place[("C", 1)].seat_type == SeatType.PREMIUM
    assert by_place[("C", 1)].price_modifier_cents == DEFAULT_PRICE_MODIFIERS[SeatType.PREMIUM] > 0
    assert by_place[("C", 4)].seat_type == SeatType.BLOCKED  # a single-seat override beats the row
    assert by_place[("B", 2)].price_modifier_cents == 0


def test_custom_price_modifiers_override_the_defaults():
    seats = generate_layout(
        LayoutSpec(rows=1, seats_per_row=1, row_types={"A": SeatType.PREMIUM}), {SeatType.PREMIUM: 450}
    )
    assert seats[0].price_modifier_cents == 450


@pytest.mark.parametrize(
    "spec, message",
    [
        (LayoutSpec(rows=0, seats_per_row=5), "rows"),
        (LayoutSpec(rows=27, seats_per_row=5), "rows"),
        (LayoutSpec(rows=2, seats_per_row=0), "seats per row"),
        (LayoutSpec(rows=2, seats_per_row=41), "seats per row"),
        (LayoutSpec(rows=2, seats_per_row=5, aisles_after=(5,)), "aisle"),
        (LayoutSpec(rows=2, seats_per_row=5, aisles_after=(0,)), "aisle"),
    ],
)
def test_impossible_layouts_are_refused_with_a_reason(spec, message):
    with pytest.raises(ValueError, match=message):
        generate_layout(spec)
