"""Couple seats pair up in one place (services.layouts.couple_pairs), whoever asks: holding,
releasing from the seat map, and the layout rules agree, even with a long run of couple seats."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from moviebook.models import Seat, SeatType
from moviebook.services.tokens import start_session
from tests.factories import make_auditorium, make_movie, make_showtime_ahead, make_user
from tests.state_driver import at_page, drive, run_handler, state_tree_for, substate


@pytest.fixture
def four_couple_seats(app_environment, pg_only_engine):
    """A row of four side-by-side couple seats (A1-A4): they pair as A1+A2 and A3+A4."""
    import moviebook.moviebook  # noqa: F401  (registers the pages, so route arguments exist)
    from moviebook.services.session_policy import token_policy

    with Session(pg_only_engine, expire_on_commit=False) as session:
        user = make_user(session, "cleo@example.com")
        room = make_auditorium(session, rows=1, seats_per_row=4)
        seats = session.exec(select(Seat).where(Seat.auditorium_id == room.id).order_by(Seat.x)).all()
        for seat in seats:
            seat.seat_type = SeatType.COUPLE.value
            session.add(seat)
        show = make_showtime_ahead(session, make_movie(session), room, days=3)
        session.commit()
        tokens = start_session(session, user, token_policy())
        session.commit()
    return {"user": user, "show": show, "seats": {f"A{s.number}": s.id for s in seats}, "tokens": tokens}


def _click(picker, seat_id: int) -> list:
    from moviebook.state.seat_picker import SeatPickerState

    return run_handler(drive(SeatPickerState.event_handlers["toggle_seat"].fn(picker, seat_id)))


def _held(scene) -> set[str]:
    from moviebook.services.holds import hold_store

    by_id = {seat_id: label for label, seat_id in scene["seats"].items()}
    return {by_id[s] for s in hold_store().held_by(scene["show"].id, scene["user"].id)}


def test_releasing_one_couple_seat_releases_only_its_own_partner(four_couple_seats):
    scene = four_couple_seats
    from moviebook.state.seat_picker import SeatPickerState

    root = state_tree_for(scene["tokens"])
    show_id = scene["show"].id
    at_page(root, "/showtimes/[showtime_id]", f"/showtimes/{show_id}", {"showtime_id": str(show_id)})
    picker = substate(root, SeatPickerState)
    run_handler(drive(SeatPickerState.event_handlers["on_load"].fn(picker)))
    assert picker.problem == "" and len(picker.rows) == 1
    _click(picker, scene["seats"]["A1"])
    _click(picker, scene["seats"]["A3"])
    assert _held(scene) == {"A1", "A2", "A3", "A4"}  # each click holds a seat with its partner

    _click(picker, scene["seats"]["A2"])  # A2 belongs with A1, not with A3 next to it

    assert _held(scene) == {"A3", "A4"}
