"""Check-in at the door on real PostgreSQL: every verdict, one check-in per code, and a race.

The cinema-local day and "now" are fixed (an evening in 2031), so verdicts never depend on
when the suite runs. The State test at the end uses the real clock with a show running now.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from moviebook.models import AuditEntry, Booking
from moviebook.services.checkin import (
    ALREADY,
    CANCELLED,
    CHECKED_IN,
    UNKNOWN,
    VALID,
    WRONG_DAY,
    WRONG_SHOWTIME,
    check_in,
    inspect_code,
    todays_showtimes,
)
from moviebook.services.clock import at_local
from moviebook.services.roles import AccessDenied
from moviebook.services.tokens import Identity
from tests.factories import (
    identity_for,
    make_auditorium,
    make_booking,
    make_movie,
    make_showtime,
    make_user,
    started_minutes_ago,
)
from tests.state_driver import database_fingerprint, drive, run_handler, state_tree_for, substate

TZ = ZoneInfo("Europe/London")
DAY = date(2031, 3, 10)  # a Monday
NOW = at_local(DAY, 18, 0, TZ)


@pytest.fixture
def door(pg_session):
    s = pg_session
    dune, alien = make_movie(s, "Dune"), make_movie(s, "Alien")
    one, two = make_auditorium(s, "Screen 1", rows=3, seats_per_row=4), make_auditorium(s, "Screen 2")
    shows = {
        "evening": make_showtime(s, dune, one, at_local(DAY, 19, 30, TZ)),
        "late": make_showtime(s, alien, two, at_local(DAY, 21, 0, TZ)),
        "tomorrow": make_showtime(s, dune, one, at_local(DAY + timedelta(days=1), 19, 30, TZ)),
        "matinee": make_showtime(s, alien, two, at_local(DAY, 14, 0, TZ)),
    }
    ann = make_user(s, "ann@example.com", name="Ann Lee")
    people = {
        "ann": ann,
        "sam": make_user(s, "sam@example.com", name="Sam", role="staff"),
        "kim": make_user(s, "kim@example.com", name="Kim", role="staff"),
        "root": make_user(s, "root@example.com", name="Root", role="admin"),
        "mallory": make_user(s, "mallory@example.com", name="Mallory"),
    }
    bookings = {
        "evening": make_booking(s, ann, shows["evening"], {"A1": 1000, "A2": 1000}),
        "late": make_booking(s, ann, shows["late"], {"B1": 1200}),
        "tomorrow": make_booking(s, ann, shows["tomorrow"], {"A1": 1000}),
        "ended": make_booking(s, ann, shows["matinee"], {"A1": 900}),
        "completed": make_booking(s, ann, shows["matinee"], {"A2": 900}, status="completed"),
        "cancelled": make_booking(s, ann, shows["evening"], {"B4": 1000}, status="cancelled"),
    }
    s.commit()
    return {"shows": shows, "people": people, "bookings": bookings}


def look(session, door, code, showtime=None, who="sam", now=NOW):
    return inspect_code(
        session,
        identity_for(door["people"][who]),
        code,
        showtime_id=door["shows"][showtime].id if showtime else None,
        today=DAY,
        tz=TZ,
        now=now,
    )


def admit(session, door, code, showtime=None, who="sam", now=NOW):
    verdict = check_in(
        session,
        identity_for(door["people"][who]),
        code=code,
        showtime_id=door["shows"][showtime].id if showtime else None,
        today=DAY,
        tz=TZ,
        now=now,
        ip="10.0.0.9",
    )
    session.commit()
    return verdict


def test_a_valid_code_names_who_which_show_and_seats(pg_session, door):
    code = door["bookings"]["evening"].code
    for showtime in ("evening", None):  # the door for this show, or any show today
        verdict = look(pg_session, door, code, showtime)
        assert verdict.kind == VALID, verdict
        assert (verdict.customer, verdict.movie, verdict.room, verdict.seats) == (
            "Ann Lee",
            "Dune",
            "Screen 1",
            ("A1", "A2"),
        )
        assert verdict.when == "Mon 10 Mar, 19:30"


@pytest.mark.parametrize("typed", ["{code}", "{lower}", "  {lower_spaced}  ", "{nodash}", "{code}\n"])
def test_codes_typed_by_a_person_are_forgiven(pg_session, door, typed):
    code = door["bookings"]["evening"].code
    text = typed.format(
        code=code, lower=code.lower(), lower_spaced=code.lower().replace("-", " "), nodash=code.replace("-", "")
    )
    assert look(pg_session, door, text).kind == VALID


def test_a_ticket_for_another_show_today_names_that_show(pg_session, door):
    verdict = look(pg_session, door, door["bookings"]["evening"].code, "late")
    assert verdict.kind == WRONG_SHOWTIME
    assert verdict.detail == "This ticket is for Dune, Mon 10 Mar, 19:30, Screen 1."


def test_a_ticket_for_another_day(pg_session, door):
    verdict = look(pg_session, door, door["bookings"]["tomorrow"].code, "evening")
    assert (verdict.kind, verdict.headline) == (WRONG_DAY, "Wrong day")
    assert verdict.detail == "This ticket is for Dune, Tue 11 Mar, 19:30, Screen 1."


@pytest.mark.parametrize("which", ["ended", "completed"])
def test_a_ticket_for_a_show_that_has_ended(pg_session, door, which):
    verdict = look(pg_session, door, door["bookings"][which].code)
    assert (verdict.kind, verdict.headline) == (WRONG_DAY, "Showtime has ended")
    assert "ended at Mon 10 Mar, 15:55" in verdict.detail


def test_a_show_running_past_midnight_still_admits_tonight(pg_session, door):
    after_midnight = at_local(DAY + timedelta(days=1), 0, 10, TZ)
    show = make_showtime(
        pg_session, make_movie(pg_session, "Night"), make_auditorium(pg_session, "Screen 3"), at_local(DAY, 23, 0, TZ)
    )
    booking = make_booking(pg_session, door["people"]["ann"], show, {"A1": 800})
    pg_session.commit()
    verdict = inspect_code(
        pg_session,
        identity_for(door["people"]["sam"]),
        booking.code,
        showtime_id=None,
        today=DAY + timedelta(days=1),
        tz=TZ,
        now=after_midnight,
    )
    assert verdict.kind == VALID


def test_a_cancelled_booking_says_so_with_the_reason(pg_session, door):
    verdict = look(pg_session, door, door["bookings"]["cancelled"].code, "evening")
    assert (verdict.kind, verdict.detail) == (CANCELLED, "This booking was cancelled. Cancelled by you.")


@pytest.mark.parametrize("typed", ["ZZZZ-ZZZZ", "hello", "'; DROP TABLE bookings; --", "x" * 500])
def test_an_unknown_code(pg_session, door, typed):
    verdict = look(pg_session, door, typed)
    assert (verdict.kind, verdict.headline) == (UNKNOWN, "Unknown code")
    assert verdict.customer == "" and verdict.seats == ()


def test_an_empty_code_asks_for_one(pg_session, door):
    for typed in ("", "   ", " - "):
        verdict = look(pg_session, door, typed)
        assert (verdict.kind, verdict.headline) == (UNKNOWN, "Enter a booking code")


def test_check_in_records_who_and_when_and_a_second_time_is_refused(pg_session, door):
    booking = door["bookings"]["evening"]
    done = admit(pg_session, door, booking.code.lower(), "evening")
    assert (done.kind, done.checked_in_by, done.checked_in_at) == (CHECKED_IN, "Sam", NOW)

    pg_session.expire_all()
    stored = pg_session.get(Booking, booking.id)
    assert (stored.checked_in_at, stored.checked_in_by, stored.status) == (NOW, door["people"]["sam"].id, "confirmed")
    entry = pg_session.exec(select(AuditEntry).where(AuditEntry.action == "booking.checkin")).one()
    assert (entry.actor_id, entry.entity_id, entry.ip_address) == (
        door["people"]["sam"].id,
        str(booking.id),
        "10.0.0.9",
    )

    again = admit(pg_session, door, booking.code, "evening", who="kim", now=NOW + timedelta(minutes=7))
    assert (again.kind, again.detail) == (ALREADY, "Checked in at 18:00 by Sam.")
    pg_session.expire_all()
    assert pg_session.get(Booking, booking.id).checked_in_by == door["people"]["sam"].id
    assert len(pg_session.exec(select(AuditEntry).where(AuditEntry.action == "booking.checkin")).all()) == 1
    # Inspecting shows the same, so the door sees it before pressing anything.
    assert look(pg_session, door, booking.code).kind == ALREADY


@pytest.mark.parametrize(
    "which, showtime, kind",
    [
        ("cancelled", None, CANCELLED),
        ("tomorrow", None, WRONG_DAY),
        ("late", "evening", WRONG_SHOWTIME),
        ("ended", None, WRONG_DAY),
    ],
)
def test_check_in_refuses_what_is_not_valid_and_records_nothing(pg_session, door, which, showtime, kind):
    assert admit(pg_session, door, door["bookings"][which].code, showtime).kind == kind
    pg_session.expire_all()
    assert pg_session.get(Booking, door["bookings"][which].id).checked_in_at is None
    assert pg_session.exec(select(AuditEntry)).all() == []


def test_admins_may_check_in_and_moviegoers_may_not(pg_session, door):
    with pytest.raises(AccessDenied):
        admit(pg_session, door, door["bookings"]["late"].code, who="mallory")
    with pytest.raises(AccessDenied):
        look(pg_session, door, door["bookings"]["late"].code, who="ann")
    pg_session.rollback()
    assert pg_session.get(Booking, door["bookings"]["late"].id).checked_in_at is None
    assert admit(pg_session, door, door["bookings"]["late"].code, who="root").kind == CHECKED_IN


def test_todays_showtimes_for_the_door_select(pg_session, door):
    door["shows"]["late"].is_cancelled = True
    pg_session.commit()
    choices = todays_showtimes(pg_session, identity_for(door["people"]["sam"]), today=DAY, tz=TZ)
    assert choices == [
        (door["shows"]["matinee"].id, "14:00 · Alien · Screen 2"),
        (door["shows"]["evening"].id, "19:30 · Dune · Screen 1"),
    ]


def test_two_staff_checking_in_the_same_code_at_once_exactly_one_wins(pg_only_engine, pg_session, door):
    staff = [identity_for(door["people"]["sam"]), identity_for(door["people"]["kim"])]
    show, ann = door["shows"]["evening"], door["people"]["ann"]
    for seat in ("A3", "A4", "B1", "B2", "B3"):  # five rounds, each on a fresh booking
        code = make_booking(pg_session, ann, show, {seat: 1000}).code
        pg_session.commit()
        barrier = threading.Barrier(2)
        results: dict[str, str] = {}

        def door_person(me: Identity, barrier=barrier, code=code, results=results) -> None:
            with Session(pg_only_engine, expire_on_commit=False) as session:
                barrier.wait()
                verdict = check_in(session, me, code=code, showtime_id=show.id, today=DAY, tz=TZ, now=NOW)
                session.commit()
                results[me.name] = verdict.kind if verdict.kind == CHECKED_IN else verdict.detail

        threads = [threading.Thread(target=door_person, args=(me,)) for me in staff]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        winners = [name for name, outcome in results.items() if outcome == CHECKED_IN]
        assert len(results) == 2 and len(winners) == 1, results
        loser = next(name for name in results if name not in winners)
        assert results[loser] == f"Checked in at 18:00 by {winners[0]}."
        with Session(pg_only_engine) as session:
            stored = session.exec(select(Booking).where(Booking.code == code)).one()
            assert stored.checked_in_by == door["people"][winners[0].lower()].id
            entries = session.exec(
                select(AuditEntry).where(AuditEntry.action == "booking.checkin", AuditEntry.entity_id == str(stored.id))
            ).all()
            assert len(entries) == 1


@pytest.fixture
def staff_at_the_door(app_environment, pg_only_engine):
    """A show running right now (real clock), a booking for it, and a signed-in staff member."""
    from moviebook.services.session_policy import token_policy
    from moviebook.services.tokens import start_session

    with Session(pg_only_engine, expire_on_commit=False) as session:
        show = make_showtime(
            session, make_movie(session, "Now Showing"), make_auditorium(session, "Screen 9"), started_minutes_ago(10)
        )
        booking = make_booking(session, make_user(session, "ann@example.com", name="Ann Lee"), show, {"B2": 1000})
        staff = make_user(session, "sam@example.com", name="Sam", role="staff")
        session.commit()
        tokens = start_session(session, staff, token_policy())
        session.commit()
    return {"booking": booking, "staff": staff, "tokens": tokens}


def test_the_door_page_state_looks_up_checks_in_and_then_says_already(staff_at_the_door, pg_only_engine):
    import moviebook.moviebook  # noqa: F401  (registers the pages and states)
    from moviebook.state.checkin import CheckinState

    state = substate(state_tree_for(staff_at_the_door["tokens"]), CheckinState)
    call = lambda name, *args: run_handler(drive(CheckinState.event_handlers[name].fn(state, *args)))  # noqa: E731
    code = staff_at_the_door["booking"].code

    call("on_load")
    assert call("choose_showtime", "999999") and state.showtime == ""  # not one of today's: any show
    before = database_fingerprint(pg_only_engine)
    call("look_up", {"code": "nonsense"})
    assert state.verdict.kind == UNKNOWN
    call("admit", "nonsense")
    assert state.verdict.kind == UNKNOWN and database_fingerprint(pg_only_engine) == before

    call("look_up", {"code": code.lower()})
    assert (state.verdict.kind, state.verdict.customer, state.verdict.seats) == (VALID, "Ann Lee", "B2")
    call("admit", state.verdict.code)
    assert state.verdict.kind == CHECKED_IN
    call("look_up", {"code": code})
    assert state.verdict.kind == ALREADY and "by Sam" in state.verdict.detail
    with Session(pg_only_engine) as session:
        assert session.get(Booking, staff_at_the_door["booking"].id).checked_in_by == staff_at_the_door["staff"].id
