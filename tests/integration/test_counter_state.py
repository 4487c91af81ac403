"""The box office's states driven directly, as the browser's events would: a staff member opens
a showtime, taps seats on the shared live map (held under their own id), sees no booking fee,
the change calculator follows the total, the sale goes to its receipt, the receipt refunds it,
and the cash-up shows the staff member's own till."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from moviebook.models import Booking, Seat
from moviebook.services.tokens import start_session
from tests.factories import make_auditorium, make_showtime_ahead, make_ticket_types, make_user
from tests.state_driver import at_page, drive, run_handler, state_tree_for, substate


@pytest.fixture
def counter(app_environment, pg_only_engine):
    import moviebook.moviebook  # noqa: F401  (registers the pages, so route arguments exist)
    from moviebook.services.session_policy import token_policy

    with Session(pg_only_engine, expire_on_commit=False) as session:
        make_ticket_types(session)
        staff = make_user(session, name="Sam Till", role="staff", password="sam sells seats")
        room = make_auditorium(session, rows=1, seats_per_row=4)
        show = make_showtime_ahead(session, room=room, days=2, base_price_cents=1250)
        session.commit()
        seats = session.exec(select(Seat).where(Seat.auditorium_id == room.id).order_by(Seat.x)).all()
        tokens = start_session(session, staff, token_policy())
        session.commit()
    return {"staff": staff, "show": show, "seats": seats, "tokens": tokens, "engine": pg_only_engine}


def _call(state, cls, name, *args):
    return run_handler(drive(cls.event_handlers[name].fn(state, *args)))


def test_a_counter_sale_from_the_map_to_the_receipt_and_back(counter):
    from moviebook.state.cashup import CashupState
    from moviebook.state.counter import CounterState, ReceiptState
    from moviebook.state.seat_picker import SeatPickerState

    root = state_tree_for(counter["tokens"])
    at_page(root, "/staff/sell", "/staff/sell", {})
    till = substate(root, CounterState)
    _call(till, CounterState, "on_load")
    assert till.days and till.showtime_key == 0
    _call(till, CounterState, "open_showtime", counter["show"].id)
    assert till.showtime_key == counter["show"].id and till.rows and till.problem == ""

    picker = substate(root, SeatPickerState)  # the seat taps are the seat picker's own handlers
    for seat in counter["seats"][:2]:
        _call(picker, SeatPickerState, "toggle_seat", seat.id)
    assert [line.label for line in till.order] == ["Row A, seat 1", "Row A, seat 2"]
    assert (till.total, till.fees) == ("£25.00", "")  # no booking fee at the counter

    _call(till, CounterState, "set_cash", "20")
    assert (till.till, till.cash_covers) == ("Short by £5.00", False)
    _call(till, CounterState, "set_cash", "£40")
    assert (till.till, till.cash_covers) == ("Change due £15.00", True)

    events = _call(till, CounterState, "sell", {"customer_email": "not an email"})
    assert "customer_email" in till.sale_errors and not any("redirect" in str(e) for e in events)
    events = _call(till, CounterState, "sell", {"customer_email": "walk.in@example.com"})
    text = " ".join(map(str, events))
    assert "Change due £15.00" in text and "/staff/tickets/" in text
    with Session(counter["engine"]) as session:
        booking = session.exec(select(Booking)).one()
    assert (booking.channel, booking.sold_by, booking.total_cents, booking.cash_tendered_cents) == (
        "counter",
        counter["staff"].id,
        2500,
        4000,
    )
    assert till.order == [] and till.cash_tendered == ""

    at_page(root, "/staff/tickets/[sale_ref]", f"/staff/tickets/{booking.code}", {"sale_ref": booking.code})
    receipt = substate(root, ReceiptState)
    _call(receipt, ReceiptState, "on_load")
    assert receipt.problem == "" and receipt.qr.startswith("data:image/svg+xml")
    assert (receipt.receipt.total, receipt.receipt.change, receipt.receipt.can_refund) == ("£25.00", "£15.00", True)
    assert [(line.seat, line.ticket_type, line.price) for line in receipt.receipt.lines] == [
        ("A1", "Adult", "£12.50"),
        ("A2", "Adult", "£12.50"),
    ]
    events = _call(receipt, ReceiptState, "refund")
    assert "Refunded £25.00" in " ".join(map(str, events))
    assert receipt.receipt.refunded and not receipt.receipt.can_refund

    at_page(root, "/staff/cashup", "/staff/cashup", {})
    cashup = substate(root, CashupState)
    _call(cashup, CashupState, "on_load")
    figures = cashup.figures
    assert (figures.member, figures.sales, figures.cash, figures.cash_refunds) == ("Sam Till", 1, "£25.00", "£25.00")
    assert figures.expected == figures.till_float  # sold and refunded in cash: the drawer is as it began
    assert [m.label for m in cashup.members] == ["Sam Till"]  # staff see their own till only
    events = _call(cashup, CashupState, "choose_member", str(counter["staff"].id + 1000))
    assert "your own cash-up only" in " ".join(map(str, events))


def test_bad_input_at_the_till_gets_a_message(counter):
    from moviebook.state.counter import CounterState

    root = state_tree_for(counter["tokens"])
    at_page(root, "/staff/sell", "/staff/sell", {})
    till = substate(root, CounterState)
    _call(till, CounterState, "on_load")
    assert "not in this week" in " ".join(map(str, _call(till, CounterState, "select_day", "1999-01-01")))
    _call(till, CounterState, "set_cash", "lots")
    assert till.till.startswith("Enter the cash handed over")
    assert "Enter the booking code" in " ".join(map(str, _call(till, CounterState, "find_sale", {"sale_code": " "})))
    _call(till, CounterState, "choose_method", "cheque")
    assert till.method == "cash"


def test_choosing_another_showtime_gives_the_held_seats_back(counter):
    from moviebook.services.holds import hold_store
    from moviebook.state.counter import CounterState
    from moviebook.state.seat_picker import SeatPickerState

    root = state_tree_for(counter["tokens"])
    at_page(root, "/staff/sell", "/staff/sell", {})
    till = substate(root, CounterState)
    _call(till, CounterState, "on_load")
    _call(till, CounterState, "open_showtime", counter["show"].id)
    _call(substate(root, SeatPickerState), SeatPickerState, "toggle_seat", counter["seats"][3].id)
    assert hold_store().held_by(counter["show"].id, counter["staff"].id) == [counter["seats"][3].id]
    _call(till, CounterState, "change_showtime")
    assert hold_store().held_by(counter["show"].id, counter["staff"].id) == []
    assert till.showtime_key == 0 and till.rows == []
    _call(till, CounterState, "on_load")  # and a reload shows the day's showtimes, not the old map
    assert till.showtime_key == 0
