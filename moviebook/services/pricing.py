"""What a ticket costs: pure arithmetic in integer cents, with no database and no clock.

The order of operations, for every seat:

1. the ticket type's rule turns the showtime's base price into the type's price
   (an absolute price, an amount off, or a percentage off);
2. the seat type's modifier is added (a premium seat costs more whatever the ticket), and the
   result is never below 0: that is the seat's **unit price**;
3. a promotion takes its **discount** off the unit prices (a percentage of each seat, or a fixed
   amount shared over the seats in proportion to their prices, never more than the seat);
4. online, each ticket that still costs something carries the **booking fee**.

The customer pays the sum of (unit - discount + fee). Percentages are in basis points
(2500 = 25%) and every division rounds half up to the cent, so each figure can be worked out
by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from moviebook.models import PriceRule, PromotionKind

# The youngest a person may be to see a film of each rating. A 12A admits younger children
# when an adult comes with them, so it limits no ticket type (the checkout reminds instead).
MINIMUM_AGE = {"U": 0, "PG": 0, "12A": 12, "15": 15, "18": 18}
ACCOMPANIED_RATINGS = frozenset({"12A"})


def _percent_of(cents: int, basis_points: int) -> int:
    """cents × basis_points / 10000, rounded half up (both are never negative here)."""
    return (cents * basis_points + 5000) // 10000


def ticket_unit_price(base_price_cents: int, seat_modifier_cents: int, rule: str, value: int) -> int:
    """The price of one seat of one ticket type, before any promotion or fee."""
    if rule == PriceRule.ABSOLUTE:
        price = value
    elif rule == PriceRule.AMOUNT_OFF:
        price = base_price_cents - value
    elif rule == PriceRule.PERCENT_OFF:
        price = base_price_cents - _percent_of(base_price_cents, value)
    else:
        raise ValueError(f"unknown price rule {rule!r}")
    return max(0, price + seat_modifier_cents)


def spread_discount(unit_prices: list[int], kind: str, value: int) -> list[int]:
    """The promotion's discount on each seat, in the order given.

    A percentage is taken off each seat and rounded on that seat. A fixed amount (at most the
    order's value) is shared in proportion to the seats' prices; the cents left by rounding
    down go to the seats with the largest remainders, earliest first, so the shares add up to
    the amount exactly and no seat gets more off than it costs.
    """
    if kind == PromotionKind.PERCENT:
        return [_percent_of(price, value) for price in unit_prices]
    if kind != PromotionKind.AMOUNT:
        raise ValueError(f"unknown promotion kind {kind!r}")
    total = sum(unit_prices)
    amount = min(value, total)
    if amount <= 0:
        return [0] * len(unit_prices)
    shares = [price * amount // total for price in unit_prices]
    remainders = [price * amount % total for price in unit_prices]
    for index in sorted(range(len(unit_prices)), key=lambda i: -remainders[i])[: amount - sum(shares)]:
        shares[index] += 1
    return shares


@dataclass(frozen=True)
class SeatChoice:
    """One seat of an order with the ticket type chosen for it."""

    seat_id: int
    label: str
    seat_type: str
    seat_modifier_cents: int
    ticket_type_id: int | None  # None for the Standard ticket of a cinema without ticket types
    ticket_type_name: str
    rule: str
    value: int


@dataclass(frozen=True)
class PricedLine:
    seat_id: int
    label: str
    seat_type: str
    ticket_type_id: int | None  # None for the Standard ticket of a cinema without ticket types
    ticket_type_name: str
    unit_cents: int
    discount_cents: int
    fee_cents: int

    @property
    def price_cents(self) -> int:
        """What the seat itself sold for: its unit price less its share of the discount."""
        return self.unit_cents - self.discount_cents

    @property
    def total_cents(self) -> int:
        return self.price_cents + self.fee_cents


@dataclass(frozen=True)
class PricedOrder:
    lines: tuple[PricedLine, ...]

    @property
    def subtotal_cents(self) -> int:
        return sum(line.unit_cents for line in self.lines)

    @property
    def discount_cents(self) -> int:
        return sum(line.discount_cents for line in self.lines)

    @property
    def fee_cents(self) -> int:
        return sum(line.fee_cents for line in self.lines)

    @property
    def total_cents(self) -> int:
        return self.subtotal_cents - self.discount_cents + self.fee_cents


@dataclass(frozen=True)
class Discount:
    kind: str
    value: int


def price_order(
    base_price_cents: int, choices: list[SeatChoice], *, discount: Discount | None, fee_per_ticket_cents: int
) -> PricedOrder:
    """Every seat of an order priced, in the order given (the seat map's row order)."""
    units = [ticket_unit_price(base_price_cents, c.seat_modifier_cents, c.rule, c.value) for c in choices]
    offs = spread_discount(units, discount.kind, discount.value) if discount else [0] * len(units)
    return PricedOrder(
        tuple(
            PricedLine(
                c.seat_id,
                c.label,
                c.seat_type,
                c.ticket_type_id,
                c.ticket_type_name,
                unit,
                off,
                fee_per_ticket_cents if unit - off > 0 else 0,  # a free ticket carries no fee
            )
            for c, unit, off in zip(choices, units, offs, strict=True)
        )
    )


def age_refusal(ticket_type_name: str, max_age: int | None, age_rating: str) -> str | None:
    """Why this ticket type cannot be sold for a film of this rating, or None when it can."""
    minimum = MINIMUM_AGE.get(age_rating, 0)
    if max_age is None or age_rating in ACCOMPANIED_RATINGS or max_age >= minimum:
        return None
    return (
        f"{ticket_type_name} tickets are for ages up to {max_age}, and this film is rated {age_rating}: "
        f"nobody under {minimum} may see it."
    )


def accompanied_note(age_rating: str) -> str | None:
    """A reminder the checkout shows for films that admit younger children with an adult."""
    if age_rating in ACCOMPANIED_RATINGS:
        minimum = MINIMUM_AGE[age_rating]
        return f"Rated {age_rating}: children under {minimum} must be accompanied by an adult."
    return None


def net_of_vat(gross_cents: int, vat_rate_bp: int) -> int:
    """A VAT-inclusive amount without its VAT, rounded half up: 1200 at 20% -> 1000."""
    divisor = 10000 + vat_rate_bp
    return (gross_cents * 10000 * 2 + divisor) // (2 * divisor)
