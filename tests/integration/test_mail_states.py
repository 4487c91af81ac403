"""The states behind the new switches, driven without a browser: the waiting list on a sold-out
seat map, the reminder switch on /account, and the public /unsubscribe page."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from moviebook.models import User, WaitingListEntry
from moviebook.services.tokens import start_session
from tests.factories import make_auditorium, make_booking, make_movie, make_showtime_ahead, make_user, tag
from tests.state_driver import at_page, drive, run_handler, state_tree_for, substate


@pytest.fixture
def sold_out(app_environment, pg_only_engine):
    import moviebook.moviebook  # noqa: F401  (registers the pages, so route arguments exist)
    from moviebook.services.session_policy import token_policy

    with Session(pg_only_engine, expire_on_commit=False) as session:
        room = make_auditorium(session, f"Room {tag()}", rows=1, seats_per_row=2)
        show = make_showtime_ahead(session, make_movie(session), room, days=3)
        make_booking(session, make_user(session), show, {"A1": 1000, "A2": 1000})
        user = make_user(session, "hopeful@example.com")
        session.commit()
        tokens = start_session(session, user, token_policy())
        session.commit()
    return {"show": show, "user": user, "tokens": tokens, "engine": pg_only_engine}


def _call(state, name, *args) -> list:
    return run_handler(drive(type(state).event_handlers[name].fn(state, *args)))


def _picker(scene):
    from moviebook.state.seat_picker import SeatPickerState

    root = state_tree_for(scene["tokens"])
    show_id = scene["show"].id
    at_page(root, "/showtimes/[showtime_id]", f"/showtimes/{show_id}", {"showtime_id": str(show_id)})
    picker = substate(root, SeatPickerState)
    _call(picker, "on_load")
    return picker


def _entries(scene):
    with Session(scene["engine"]) as session:
        return [(e.user_id, e.seats_wanted) for e in session.exec(select(WaitingListEntry))]


def test_a_sold_out_map_offers_the_waiting_list_and_one_can_join_and_leave(sold_out):
    picker = _picker(sold_out)
    picker.seats_free = 0  # what the showtime's relay sends every viewer
    assert picker.problem == "" and picker.waiting_seats == 0
    assert picker.offer_waiting_list and picker.waiting_choices == [str(n) for n in range(1, 11)]
    events = _call(picker, "join_waiting_list", {"seats": "2"})
    assert "waiting list for 2 seats" in str(events)
    assert picker.waiting_seats == 2 and _entries(sold_out) == [(sold_out["user"].id, 2)]
    assert _picker(sold_out).waiting_seats == 2  # a new tab sees it too
    events = _call(picker, "leave_waiting_list")
    assert "left the waiting list" in str(events) and picker.waiting_seats == 0 and _entries(sold_out) == []


@pytest.mark.parametrize(("seats", "says"), [("abc", "how many seats"), ("", "how many seats"), ("99", "1 to 10")])
def test_a_bad_number_of_seats_gets_a_clear_message(sold_out, seats, says):
    picker = _picker(sold_out)
    events = _call(picker, "join_waiting_list", {"seats": seats})
    assert says in str(events) and picker.waiting_seats == 0 and _entries(sold_out) == []


def test_the_account_switch_turns_reminders_off_and_on(sold_out):
    from moviebook.state.account_forms import AccountState

    account = substate(state_tree_for(sold_out["tokens"]), AccountState)
    _call(account, "on_load")
    assert account.email_reminders is True and account.reminder_hours == 3
    assert "Reminders are off" in str(_call(account, "save_reminders", False))
    with Session(sold_out["engine"]) as session:
        assert session.get(User, sold_out["user"].id).email_reminders is False
    _call(account, "on_load")
    assert account.email_reminders is False
    _call(account, "save_reminders", True)
    assert account.email_reminders is True


def _unsubscribe_page(token: str):
    from moviebook.state.unsubscribe import UnsubscribeState

    root = state_tree_for(None)  # no login needed
    at_page(root, "/unsubscribe", f"/unsubscribe?token={token}", {"token": token})
    page = substate(root, UnsubscribeState)
    _call(page, "on_load")
    return page


def test_the_unsubscribe_page_works_signed_out_and_explains_a_bad_link(sold_out):
    from moviebook.config import get_settings
    from moviebook.services.email_prefs import unsubscribe_token

    page = _unsubscribe_page(unsubscribe_token(get_settings().secret_key, sold_out["user"].id))
    assert page.done and "Reminders are off" in page.message and not page.working
    with Session(sold_out["engine"]) as session:
        assert session.get(User, sold_out["user"].id).email_reminders is False
    page = _unsubscribe_page("not-a-token")
    assert not page.done and "not valid" in page.message


def test_a_guest_can_neither_join_a_waiting_list_nor_switch_anyones_reminders(sold_out):
    from moviebook.state.account_forms import AccountState
    from moviebook.state.seat_picker import SeatPickerState

    guest = state_tree_for(None)
    show_id = sold_out["show"].id
    at_page(guest, "/showtimes/[showtime_id]", f"/showtimes/{show_id}", {"showtime_id": str(show_id)})
    picker = substate(guest, SeatPickerState)
    _call(picker, "on_load")
    _call(picker, "join_waiting_list", {"seats": "2", "user_id": sold_out["user"].id})
    assert picker.waiting_seats == 0 and _entries(sold_out) == []
    _call(substate(guest, AccountState), "save_reminders", False)
    with Session(sold_out["engine"]) as session:
        assert session.get(User, sold_out["user"].id).email_reminders is True


def test_my_bookings_reminds_an_unconfirmed_address_gently(app_environment, pg_only_engine):
    from moviebook.models import utcnow
    from moviebook.services.session_policy import token_policy
    from moviebook.state.my_bookings import MyBookingsState

    with Session(pg_only_engine, expire_on_commit=False) as session:
        user = make_user(session, f"new-{tag()}@example.com")
        user.email_verified_at = None
        session.commit()
        tokens = start_session(session, user, token_policy())
        session.commit()

    def bookings_state():
        root = state_tree_for(tokens)
        at_page(root, "/bookings", "/bookings", {})
        state = substate(root, MyBookingsState)
        _call(state, "on_load")
        return state

    assert bookings_state().unverified is True
    with Session(pg_only_engine) as session:
        session.get(User, user.id).email_verified_at = utcnow()
        session.commit()
    assert bookings_state().unverified is False
