"""Nobody reaches another moviegoer's bookings or holds, whichever handler they send.

User B (signed in) and a guest (not signed in) call the booking handlers directly, as crafted
websocket events would, aiming at user A's booking and held seats.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from moviebook.models import Booking, Seat, User
from moviebook.services.bookings import confirm_booking, hold_seats
from moviebook.services.payments import SimulatedProvider, parse_card
from moviebook.services.tokens import start_session
from tests.factories import make_auditorium, make_showtime_ahead, make_user
from tests.state_driver import (
    answer_as_a_browser,
    at_page,
    database_fingerprint,
    drive,
    run_handler,
    state_tree_for,
    substate,
)

CARD = {"card_number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123", "card_name": "B"}


@pytest.fixture
def scene(app_environment, pg_only_engine):
    import moviebook.moviebook  # noqa: F401  (registers the pages, so route arguments exist)
    from moviebook.services.holds import hold_store
    from moviebook.services.session_policy import token_policy

    store = hold_store()
    with Session(pg_only_engine, expire_on_commit=False) as session:
        a = make_user(session, "a@example.com", name="A", password="aaaa aaaa")
        b = make_user(session, "b@example.com", name="B", password="bbbb bbbb")
        room = make_auditorium(session, rows=1, seats_per_row=4)
        show = make_showtime_ahead(session, room=room, days=3)
        session.commit()
        seats = session.exec(select(Seat).where(Seat.auditorium_id == room.id).order_by(Seat.x)).all()
        hold_seats(session, store, showtime_id=show.id, user_id=a.id, seat_ids=[seats[0].id])
        booking = confirm_booking(
            session,
            store,
            SimulatedProvider(),
            showtime_id=show.id,
            user_id=a.id,
            idempotency_key="a-1",
            card=parse_card(CARD, date.today()),
        )
        hold_seats(session, store, showtime_id=show.id, user_id=a.id, seat_ids=[seats[1].id])
        b_tokens = start_session(session, b, token_policy())
        session.commit()
    return {
        "a": a,
        "b_tokens": b_tokens,
        "show": show,
        "seats": seats,
        "booking": booking,
        "store": store,
        "engine": pg_only_engine,
    }


def picker_for(tokens, scene):
    from moviebook.state.seat_picker import SeatPickerState

    picker = substate(state_tree_for(tokens), SeatPickerState)
    picker._showtime_id = scene["show"].id  # as after on_load of that showtime's page
    return picker


@pytest.mark.parametrize("who", ["other user", "guest"])
def test_someone_else_cannot_cancel_or_see_a_booking(scene, pg_only_engine, who):
    from moviebook.state.my_bookings import MyBookingsState

    tokens = scene["b_tokens"] if who == "other user" else None
    state = substate(state_tree_for(tokens), MyBookingsState)
    before = database_fingerprint(pg_only_engine)
    events = run_handler(drive(MyBookingsState.event_handlers["cancel"].fn(state, scene["booking"].id)))
    assert database_fingerprint(pg_only_engine) == before
    if who == "guest":  # asked which tokens the browser keeps (AuthState._refusal): none
        events = answer_as_a_browser(state, events, stored=["", ""])
    text = " ".join(map(str, events))
    assert ("could not find that booking" in text) if who == "other user" else ("/login" in text)
    run_handler(drive(MyBookingsState.event_handlers["on_load"].fn(state)))
    codes = [t.code for t in state.upcoming + state.past]
    assert scene["booking"].code not in codes


@pytest.mark.parametrize("who", ["other user", "guest"])
def test_someone_else_cannot_take_release_or_pay_for_held_seats(scene, pg_only_engine, who):
    from moviebook.state.seat_picker import SeatPickerState

    tokens = scene["b_tokens"] if who == "other user" else None
    picker = picker_for(tokens, scene)
    held_by_a = scene["seats"][1].id
    before = database_fingerprint(pg_only_engine)
    for name, args in (("toggle_seat", [held_by_a]), ("release_all", []), ("pay", [CARD])):
        run_handler(drive(SeatPickerState.event_handlers[name].fn(picker, *args)))
    assert scene["store"].holders(scene["show"].id, [held_by_a]) == {held_by_a: scene["a"].id}
    assert database_fingerprint(pg_only_engine) == before
    with Session(pg_only_engine) as session:
        assert [b.user_id for b in session.exec(select(Booking))] == [scene["a"].id]


@pytest.mark.parametrize("who", ["other user", "guest"])
def test_a_seat_map_never_says_who_holds_a_seat(scene, who):
    """Every viewer gets the same live seats; they say "held" or "sold", never whose."""
    from moviebook.live.seat_maps import load_live_seats
    from moviebook.state.seat_picker import SeatPickerState, live_vars

    a_id, show_id = scene["a"].id, scene["show"].id
    broadcast = live_vars(show_id, load_live_seats(show_id))  # what the room of every map is sent
    held, sold = str(scene["seats"][1].id), str(scene["seats"][0].id)
    assert broadcast["taken"][sold] == -1 and broadcast["taken"][held] > 0
    assert a_id not in broadcast["taken"].values()
    assert broadcast["seats_free"] > 0

    def opened(tokens):
        root = state_tree_for(tokens)
        at_page(root, "/showtimes/[showtime_id]", f"/showtimes/{show_id}", {"showtime_id": str(show_id)})
        picker = substate(root, SeatPickerState)
        run_handler(drive(SeatPickerState.event_handlers["on_load"].fn(picker)))
        return picker

    picker = opened(scene["b_tokens"] if who == "other user" else None)
    assert picker.me != broadcast["taken"][held]  # the tag is not the viewer's own
    assert picker.order == []  # and nothing on the page says whose seat it is

    # A's own map recognises A's seat as "mine" through the same tag.
    with Session(scene["engine"]) as session:
        from moviebook.services.session_policy import token_policy

        a_tokens = start_session(session, session.get(User, a_id), token_policy())
        session.commit()
    a_view = opened(a_tokens)
    assert broadcast["taken"][held] == a_view.me != a_id
    assert [line.label for line in a_view.order] == [f"Row A, seat {scene['seats'][1].number}"]


def test_logging_out_clears_what_the_tab_loaded_for_that_user(scene, pg_only_engine):
    """The next person on the same browser tab must not find the last one's tickets."""
    from moviebook.services.session_policy import token_policy
    from moviebook.state.auth import AuthState
    from moviebook.state.my_bookings import MyBookingsState, TicketState

    scene["store"].release_all(scene["show"].id, scene["a"].id)  # nothing to announce
    with Session(pg_only_engine) as session:
        a_tokens = start_session(session, session.get(User, scene["a"].id), token_policy())
        session.commit()
    root = state_tree_for(a_tokens)
    bookings, auth = substate(root, MyBookingsState), substate(root, AuthState)
    run_handler(drive(MyBookingsState.event_handlers["on_load"].fn(bookings)))
    assert [t.code for t in bookings.upcoming] == [scene["booking"].code]
    ticket = substate(root, TicketState)
    ticket.ticket.id = scene["booking"].id

    run_handler(drive(AuthState.event_handlers["log_out"].fn(auth)))
    assert bookings.upcoming == [] and bookings.loading is True
    assert ticket.ticket.id == 0
