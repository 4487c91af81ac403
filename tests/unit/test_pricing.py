"""Pricing against figures worked out by hand (the working is in the comments)."""

from __future__ import annotations

import pytest

from moviebook.services.pricing import (
    Discount,
    SeatChoice,
    accompanied_note,
    age_refusal,
    net_of_vat,
    price_order,
    spread_discount,
    ticket_unit_price,
)

BASE = 1250  # £12.50


@pytest.mark.parametrize(
    ("rule", "value", "modifier", "expected"),
    [
        ("percent_off", 0, 0, 1250),  # Adult: the base price
        ("percent_off", 4000, 0, 750),  # Child 40% off: 1250 - 500
        ("percent_off", 3000, 0, 875),  # Senior 30% off: 1250 - 375
        ("percent_off", 3333, 0, 833),  # 1250 × 0.3333 = 416.625 -> 417 off (half up) -> 833
        ("amount_off", 200, 0, 1050),  # Student £2 off
        ("absolute", 500, 0, 500),  # a fixed £5 ticket
        ("percent_off", 4000, 300, 1050),  # Child on a premium seat: 750 + 300
        ("absolute", 500, 300, 800),  # the seat modifier applies on top of an absolute price too
        ("amount_off", 2000, 0, 0),  # more off than the price: free, never negative
        ("absolute", 0, 0, 0),  # a 0-price ticket (a comp)
        ("percent_off", 10000, 300, 300),  # 100% off the ticket still pays the premium seat's extra
        ("amount_off", 200, -1500, 0),  # a negative modifier cannot make it negative either
    ],
)
def test_ticket_unit_prices(rule, value, modifier, expected):
    assert ticket_unit_price(BASE, modifier, rule, value) == expected


def test_a_percentage_promotion_is_taken_off_each_seat_and_rounded_there():
    # 10% of 1250 = 125; of 875 = 87.5 -> 88 (half up); of 333 = 33.3 -> 33
    assert spread_discount([1250, 875, 333], "percent", 1000) == [125, 88, 33]
    assert spread_discount([1250, 750], "percent", 10000) == [1250, 750]  # 100% off: everything


def test_a_fixed_amount_is_shared_in_proportion_and_adds_up_exactly():
    # £5 over 1250 + 750 (= 2000): 1250×500/2000 = 312.5, 750×500/2000 = 187.5 -> floors 312 + 187
    # = 499; the spare cent goes to the larger remainder (a tie: the earlier seat) -> 313 + 187.
    assert spread_discount([1250, 750], "amount", 500) == [313, 187]
    # Three equal seats, £1: 33 each, 1 cent left -> the first seat.
    assert spread_discount([1000, 1000, 1000], "amount", 100) == [34, 33, 33]
    # More than the order: at most what the seats cost, never a negative price.
    assert spread_discount([500, 300], "amount", 5000) == [500, 300]
    assert spread_discount([0, 0], "amount", 500) == [0, 0]


def _choice(seat_id, ticket, rule, value, modifier=0, seat_type="regular"):
    return SeatChoice(seat_id, f"A{seat_id}", seat_type, modifier, seat_id, ticket, rule, value)


ADULT = ("Adult", "percent_off", 0)
CHILD = ("Child", "percent_off", 4000)
COMP = ("Comp", "absolute", 0)


def test_an_order_with_types_seat_types_promotion_and_fee():
    choices = [_choice(1, *ADULT), _choice(2, *CHILD), _choice(3, *ADULT, modifier=300, seat_type="premium")]
    order = price_order(BASE, choices, discount=Discount("percent", 1000), fee_per_ticket_cents=75)
    # units: 1250, 750, 1550; 10% off: 125, 75, 155; fee 75 each
    assert [(line.unit_cents, line.discount_cents, line.fee_cents) for line in order.lines] == [
        (1250, 125, 75),
        (750, 75, 75),
        (1550, 155, 75),
    ]
    assert [line.price_cents for line in order.lines] == [1125, 675, 1395]
    assert (order.subtotal_cents, order.discount_cents, order.fee_cents) == (3550, 355, 225)
    assert order.total_cents == 3550 - 355 + 225 == 3420


def test_a_fixed_promotion_and_fee_on_two_seats():
    order = price_order(
        BASE, [_choice(1, *ADULT), _choice(2, *CHILD)], discount=Discount("amount", 500), fee_per_ticket_cents=75
    )
    assert [line.discount_cents for line in order.lines] == [313, 187]
    assert order.total_cents == 2000 - 500 + 150 == 1650


def test_a_free_ticket_carries_no_fee_and_a_100_percent_code_makes_the_order_free():
    order = price_order(BASE, [_choice(1, *ADULT), _choice(2, *COMP)], discount=None, fee_per_ticket_cents=75)
    assert [line.fee_cents for line in order.lines] == [75, 0] and order.total_cents == 1325
    free = price_order(
        BASE, [_choice(1, *ADULT), _choice(2, *CHILD)], discount=Discount("percent", 10000), fee_per_ticket_cents=75
    )
    assert free.total_cents == 0 and free.discount_cents == 2000 and free.fee_cents == 0


def test_no_promotion_and_no_fee_at_the_counter():
    order = price_order(BASE, [_choice(1, *CHILD)], discount=None, fee_per_ticket_cents=0)
    assert order.total_cents == 750 and order.lines[0].price_cents == 750


@pytest.mark.parametrize(
    ("rating", "refused"),
    [("U", False), ("PG", False), ("12A", False), ("15", True), ("18", True)],
)
def test_a_child_ticket_under_15_is_never_sold_for_a_15_or_18_film(rating, refused):
    refusal = age_refusal("Child", 14, rating)
    assert (refusal is not None) == refused
    if refused:
        assert f"rated {rating}" in refusal and "Child" in refusal


def test_tickets_without_an_age_ceiling_suit_every_film_and_12a_reminds_about_adults():
    assert all(age_refusal("Adult", None, rating) is None for rating in ("U", "PG", "12A", "15", "18"))
    assert age_refusal("Teen", 15, "15") is None and age_refusal("Teen", 15, "18") is not None
    assert "accompanied by an adult" in accompanied_note("12A") and accompanied_note("15") is None


def test_net_of_vat_rounds_half_up():
    assert net_of_vat(1200, 2000) == 1000  # 1200 / 1.2
    assert net_of_vat(1000, 2000) == 833  # 833.33
    assert net_of_vat(1001, 2000) == 834  # 834.17
    assert net_of_vat(3, 2000) == 3  # 2.5 -> 3
    assert net_of_vat(1000, 0) == 1000
