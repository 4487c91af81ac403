"""A pay whose answer never reached the tab (its app instance died under it, and the tab came
back on another instance, maybe with a fresh server-side state): the seat page settles it on load.

The dead instance's part is played here by what it leaves behind in Redis (the unanswered pay's
record; its lease, while it would still be running) and in PostgreSQL (a booking it committed
with the checkout reference, or none). The e2e test of the same (tests/e2e/test_cluster.py)
kills a real instance mid-sale.
"""

from __future__ import annotations

import secrets
import threading
import time

import pytest
from sqlmodel import Session, select

from moviebook.models import Booking, Seat
from moviebook.redis_client import get_redis
from moviebook.services.bookings import confirm_booking
from moviebook.services.holds import hold_store
from moviebook.services.leases import release_lease
from moviebook.services.payments import SimulatedProvider, parse_card
from moviebook.services.unfinished_pays import PAY_LEASE_SECONDS, answered, pay_lease, start_paying
from tests.factories import make_auditorium, make_showtime_ahead, make_user
from tests.state_driver import at_page, drive, run_handler, state_tree_for, substate

CARD = {"card_number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123", "card_name": "Lost Answer"}


@pytest.fixture
def paying_tab(app_environment, pg_only_engine):
    """A moviegoer holding one seat, whose pay started on an instance that then died: its record
    is in Redis and its lease has run out. The tab is a fresh one on that seat page, as the
    reconnected browser's may be."""
    import moviebook.moviebook  # noqa: F401  (registers the pages, so route arguments exist)
    from moviebook.services.session_policy import token_policy
    from moviebook.services.tokens import start_session
    from moviebook.state.seat_picker import SeatPickerState

    with Session(pg_only_engine, expire_on_commit=False) as session:
        user = make_user(session, name="Lost Answer", password="lost answer password")
        room = make_auditorium(session, rows=1, seats_per_row=4)
        show = make_showtime_ahead(session, room=room, days=2)
        session.commit()
        seat = session.exec(select(Seat).where(Seat.auditorium_id == room.id).order_by(Seat.x)).first()
        tokens = start_session(session, user, token_policy())
        session.commit()
    hold_store().hold(show.id, user.id, [seat.id])
    key = f"dead-pay-{secrets.token_hex(8)}"
    start_paying(get_redis(), user.id, show.id, key)
    release_lease(get_redis(), pay_lease(key))  # as it runs out, once nobody renews it
    root = state_tree_for(tokens)
    at_page(root, "/showtimes/[showtime_id]", f"/showtimes/{show.id}", {"showtime_id": str(show.id)})
    picker = substate(root, SeatPickerState)
    return {"picker": picker, "user": user, "show": show, "seat": seat, "key": key, "engine": pg_only_engine}


def call(picker, name: str, *args) -> list:
    from moviebook.state.seat_picker import SeatPickerState

    return run_handler(drive(SeatPickerState.event_handlers[name].fn(picker, *args)))


def _sold_on_the_dead_instance(tab) -> int:
    """The sale the dead instance committed before it could answer."""
    with Session(tab["engine"], expire_on_commit=False) as session:
        booking = confirm_booking(
            session,
            hold_store(),
            SimulatedProvider(),
            showtime_id=tab["show"].id,
            user_id=tab["user"].id,
            idempotency_key=tab["key"],
            card=parse_card(CARD, tab["show"].starts_at.date()),
        )
        return booking.id


def _bookings(tab) -> list[Booking]:
    with Session(tab["engine"]) as session:
        return session.exec(select(Booking).where(Booking.user_id == tab["user"].id)).all()


def test_a_pay_that_booked_before_its_instance_died_shows_the_ticket(paying_tab):
    tab = paying_tab
    booking_id = _sold_on_the_dead_instance(tab)

    events = " ".join(map(str, call(tab["picker"], "on_load")))

    assert f"/bookings/{booking_id}" in events and "Your payment went through" in events
    assert tab["picker"].paying is False
    assert tab["picker"]._checkout_key not in ("", tab["key"])  # the next purchase is a new one
    assert [b.id for b in _bookings(tab)] == [booking_id]
    call(tab["picker"], "on_load")  # settled once: opening the page again says nothing more
    assert tab["picker"].notice == ""


def test_a_pay_cut_off_before_its_commit_says_nothing_was_booked_and_the_seats_are_still_held(paying_tab):
    tab = paying_tab

    events = call(tab["picker"], "on_load")

    assert "/bookings/" not in " ".join(map(str, events))
    picker = tab["picker"]
    assert "did not go through" in picker.notice and "not been charged" in picker.notice
    assert "still held" in picker.notice
    assert picker.paying is False
    assert [line.label for line in picker.order] == ["Row A, seat 1"]
    # Paying again uses the dead pay's checkout reference: a late commit would be found, not doubled.
    assert picker._checkout_key == tab["key"]
    call(picker, "pay", CARD)
    assert [b.idempotency_key for b in _bookings(tab)] == [tab["key"]]


def test_seats_released_meanwhile_are_said_to_be_released(paying_tab):
    tab = paying_tab
    hold_store().release(tab["show"].id, tab["user"].id, [tab["seat"].id])

    call(tab["picker"], "on_load")

    assert "did not go through" in tab["picker"].notice and "released" in tab["picker"].notice
    assert tab["picker"].order == []


def test_the_page_waits_while_an_instance_still_runs_the_pay_then_shows_its_outcome(paying_tab):
    """The lease of a pay still running (on another instance, or in the same one before a
    reload) keeps the page busy; the pay's own outcome is then shown."""
    tab = paying_tab
    start_paying(get_redis(), tab["user"].id, tab["show"].id, tab["key"])  # still running after all
    answer: list = []
    settling = threading.Thread(target=lambda: answer.append(call(tab["picker"], "on_load")))
    settling.start()
    time.sleep(1.5)
    assert settling.is_alive() and tab["picker"].paying is True, "the page did not wait for the running pay"
    assert tab["picker"].notice == ""
    booking_id = _sold_on_the_dead_instance(tab)  # the running pay books ...
    answered(get_redis(), tab["user"].id, tab["show"].id, tab["key"])  # ... and ends
    settling.join(timeout=PAY_LEASE_SECONDS + 10)
    assert not settling.is_alive()
    assert f"/bookings/{booking_id}" in " ".join(map(str, answer[0]))


def test_a_pay_that_ends_normally_leaves_nothing_to_settle(paying_tab):
    from moviebook.services.unfinished_pays import unanswered_pay

    tab = paying_tab
    answered(get_redis(), tab["user"].id, tab["show"].id, tab["key"])  # (the fixture's dead pay)
    call(tab["picker"], "on_load")
    call(tab["picker"], "pay", CARD)
    assert len(_bookings(tab)) == 1
    assert unanswered_pay(get_redis(), tab["user"].id, tab["show"].id) is None
    call(tab["picker"], "on_load")
    assert tab["picker"].notice == "" and tab["picker"].paying is False


# --- the box office -------------------------------------------------------------------------


@pytest.fixture
def selling_till(app_environment, pg_only_engine):
    """A staff member's till whose cash sale started on an instance that then died (its record
    in Redis, its lease run out), the seats still held under the staff member's id; the till's
    tab is a fresh one on /staff/sell."""
    import moviebook.moviebook  # noqa: F401
    from moviebook.services.session_policy import token_policy
    from moviebook.services.tokens import start_session
    from moviebook.state.counter import CounterState

    with Session(pg_only_engine, expire_on_commit=False) as session:
        staff = make_user(session, name="Sam Till", role="staff", password="sam sells seats")
        room = make_auditorium(session, rows=1, seats_per_row=4)
        show = make_showtime_ahead(session, room=room, days=2, base_price_cents=1250)
        session.commit()
        seat = session.exec(select(Seat).where(Seat.auditorium_id == room.id).order_by(Seat.x)).first()
        tokens = start_session(session, staff, token_policy())
        session.commit()
    hold_store().hold(show.id, staff.id, [seat.id])
    key = f"dead-sale-{secrets.token_hex(8)}"
    start_paying(get_redis(), staff.id, show.id, key)
    release_lease(get_redis(), pay_lease(key))
    root = state_tree_for(tokens)
    at_page(root, "/staff/sell", "/staff/sell", {})
    till = substate(root, CounterState)
    till_call(till, "on_load")
    return {"till": till, "staff": staff, "show": show, "seat": seat, "key": key, "engine": pg_only_engine}


def till_call(till, name: str, *args) -> list:
    from moviebook.state.counter import CounterState

    return run_handler(drive(CounterState.event_handlers[name].fn(till, *args)))


def _staff_sales(till) -> list[Booking]:
    with Session(till["engine"]) as session:
        return session.exec(select(Booking).where(Booking.sold_by == till["staff"].id)).all()


def test_a_counter_sale_cut_off_tells_the_staff_to_hand_back_the_cash_or_sell_again(selling_till):
    till = selling_till

    events = till_call(till["till"], "open_showtime", till["show"].id)

    assert "/staff/tickets/" not in " ".join(map(str, events))
    notice = till["till"].notice
    assert "did not go through" in notice and "Hand back any cash" in notice and "still held" in notice
    assert till["till"].selling is False and till["till"]._checkout_key == till["key"]
    till_call(till["till"], "set_cash", "20")
    events = till_call(till["till"], "sell", {})
    assert "/staff/tickets/" in " ".join(map(str, events))
    assert [b.idempotency_key for b in _staff_sales(till)] == [till["key"]]


def test_a_counter_sale_that_booked_before_its_instance_died_opens_its_receipt(selling_till):
    from moviebook.services.counter import sell_at_counter
    from moviebook.services.tokens import Identity

    till = selling_till
    with Session(till["engine"], expire_on_commit=False) as session:  # what the dead instance did
        staff = till["staff"]
        booking = sell_at_counter(
            session,
            hold_store(),
            SimulatedProvider(),
            Identity(user_id=staff.id, name=staff.name, role=staff.role, session_id="dead-instance"),
            showtime_id=till["show"].id,
            idempotency_key=till["key"],
            method="cash",
            cash_text="20",
        )

    events = " ".join(map(str, till_call(till["till"], "open_showtime", till["show"].id)))

    assert f"/staff/tickets/{booking.code}" in events and "went through" in events
    assert len(_staff_sales(till)) == 1
