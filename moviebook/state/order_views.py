"""Display rows for an order being bought: seats with their ticket types, the totals, the code.

Shared by the online checkout (``seat_picker``) and the box office (``counter``): both quote
through ``services.checkout.quote_held`` and show the result with ``order_view``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from moviebook.services.checkout import Checkout, TicketOption
from moviebook.services.money import format_cents
from moviebook.state.seatmap_views import SEAT_TYPE_LABELS


@dataclass
class OrderLine:
    seat_key: str = ""  # the seat id as text (the value the ticket select sends back)
    label: str = ""  # "Row C, seat 7"
    kind: str = ""  # the seat type, "Premium"
    ticket_key: str = ""  # the chosen ticket type's id as text
    ticket: str = ""  # its name, "Child"
    unit: str = ""
    discount: str = ""  # "" when none
    fee: str = ""  # "" when none
    price: str = ""  # what this seat costs in all: unit - discount + fee


@dataclass
class TicketCount:
    """A quick counter: how many of the order's seats have this ticket type."""

    key: str = ""
    name: str = ""
    note: str = ""
    count: int = 0
    refusal: str = ""  # why this film cannot sell it; "" when it can


@dataclass
class OrderView:
    lines: list[OrderLine] = field(default_factory=list)
    counts: list[TicketCount] = field(default_factory=list)
    subtotal: str = ""
    discount: str = ""
    fees: str = ""
    total: str = ""
    total_cents: int = 0
    promo_applied: str = ""
    promo_problem: str = ""
    age_note: str = ""


def _label(line_label: str) -> str:
    row = line_label.rstrip("0123456789")
    return f"Row {row}, seat {line_label[len(row) :]}"


def order_view(checkout: Checkout, options: list[TicketOption], currency: str) -> OrderView:
    order = checkout.order
    if not order.lines:
        return OrderView(counts=[TicketCount(str(o.id), o.name, o.door_note, 0, o.refusal or "") for o in options])
    money = lambda cents: format_cents(cents, currency)  # noqa: E731
    lines = [
        OrderLine(
            str(line.seat_id),
            _label(line.label),
            SEAT_TYPE_LABELS.get(line.seat_type, line.seat_type),
            str(line.ticket_type_id or ""),
            line.ticket_type_name,
            money(line.unit_cents),
            money(line.discount_cents) if line.discount_cents else "",
            money(line.fee_cents) if line.fee_cents else "",
            money(line.total_cents),
        )
        for line in order.lines
    ]
    per_type: dict[int | None, int] = {}
    for line in order.lines:
        per_type[line.ticket_type_id] = per_type.get(line.ticket_type_id, 0) + 1
    return OrderView(
        lines=lines,
        counts=[TicketCount(str(o.id), o.name, o.door_note, per_type.get(o.id, 0), o.refusal or "") for o in options],
        subtotal=money(order.subtotal_cents),
        discount=money(order.discount_cents) if order.discount_cents else "",
        fees=money(order.fee_cents) if order.fee_cents else "",
        total=money(order.total_cents),
        total_cents=order.total_cents,
        promo_applied=checkout.promotion_code,
        promo_problem=checkout.promotion_problem or "",
        age_note=checkout.age_note or "",
    )


def recount(chosen: dict[int, int], seats: list[int], type_id: int, delta: int, default_id: int) -> dict[int, int]:
    """A quick counter pressed: +1 turns the first seat of the default type into ``type_id``,
    -1 turns the last seat of ``type_id`` back into the default. Seats in map order."""
    result = {seat: chosen.get(seat, default_id) for seat in seats}
    if delta > 0:
        candidates = [seat for seat in seats if result[seat] == default_id]
        if candidates and type_id != default_id:
            result[candidates[0]] = type_id
    elif delta < 0:
        candidates = [seat for seat in seats if result[seat] == type_id]
        if candidates and type_id != default_id:
            result[candidates[-1]] = default_id
    return result
