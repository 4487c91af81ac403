"""The browse state, driven directly: an empty day says so and names the day with showtimes.

Every film here is scheduled at 19:00 on a day after today, so today is empty at any hour of
the day the test runs.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import reflex as rx

from moviebook.config import get_settings
from moviebook.services.clock import at_local, local_today
from moviebook.state.views import long_day_label
from tests.factories import make_auditorium, make_movie, make_showtime
from tests.state_driver import drive, run_handler, substate


@pytest.fixture
def week(app_environment, pg_session):
    """Drama in 3 days, a western in 5; nothing today, tomorrow or on the strip's last day."""
    tz = get_settings().timezone
    today = local_today(tz)
    room = make_auditorium(pg_session)
    drama = make_movie(pg_session, "Quiet Harbour", genres=("Drama",))
    western = make_movie(pg_session, "Dust Road", genres=("Western",))
    make_showtime(pg_session, drama, room, at_local(today + timedelta(days=3), 19, 0, tz))
    make_showtime(pg_session, western, room, at_local(today + timedelta(days=5), 19, 0, tz))
    pg_session.commit()
    return {"today": today, "room": room, "session": pg_session, "tz": tz}


def _browse():
    from moviebook.state.browse import BrowseState

    state = substate(rx.State(_reflex_internal_init=True), BrowseState)
    run_handler(drive(state.on_load()))
    return state


def _call(state, name, *args):
    return run_handler(drive(type(state).event_handlers[name].fn(state, *args)))


def _iso(week, offset):
    return (week["today"] + timedelta(days=offset)).isoformat()


def _label(week, offset):
    return long_day_label(week["today"] + timedelta(days=offset))


def test_an_empty_today_names_the_next_day_and_going_there_shows_its_films(week):
    state = _browse()
    assert state.selected_day == _iso(week, 0) and state.listings == []
    assert state.empty_heading == "Nothing left to see today"
    assert state.empty_text == (
        f"All of today's shows have started or none are scheduled. The next showtimes are on {_label(week, 3)}."
    )
    assert (state.next_day, state.next_day_label) == (_iso(week, 3), _label(week, 3))

    _call(state, "select_day", state.next_day)
    assert state.selected_day == _iso(week, 3)
    assert [item.movie.title for item in state.listings] == ["Quiet Harbour"]
    assert (state.next_day, state.empty_heading) == ("", "")


def test_with_a_genre_the_next_day_is_the_next_with_that_genre(week):
    state = _browse()
    _call(state, "choose_genre", "Western")
    assert state.selected_day == _iso(week, 0), "choosing a genre never moves the chosen day"
    assert state.empty_heading == "No films match"
    assert state.empty_text == (
        f"Nothing today matches your genre or search. The next showtimes that do are on {_label(week, 5)}."
    )
    assert state.next_day == _iso(week, 5)
    _call(state, "search_titles", "harbour")
    assert state.empty_text == "Nothing today matches your genre or search. Nothing else this week does either."
    assert state.next_day == ""


def test_tomorrow_is_named_as_tomorrow(week):
    film = make_movie(week["session"], "Early Bird")
    make_showtime(week["session"], film, week["room"], at_local(week["today"] + timedelta(days=1), 19, 0, week["tz"]))
    week["session"].commit()
    state = _browse()
    assert state.empty_text.endswith(f"The next showtimes are tomorrow, {_label(week, 1)}.")
    assert state.next_day_label == _label(week, 1)


def test_after_the_last_day_with_showtimes_the_nearest_earlier_one_is_offered(week):
    state = _browse()
    _call(state, "select_day", _iso(week, 6))
    assert state.empty_heading == f"Nothing scheduled on {_label(week, 6)} yet"
    assert state.empty_text == f"The nearest showtimes are on {_label(week, 3)}."
    assert state.next_day == _iso(week, 3)


def test_a_week_with_nothing_at_all_says_so_and_offers_no_day(app_environment, pg_session):
    state = _browse()
    assert (
        state.empty_text
        == "All of today's shows have started or none are scheduled. No other day this week has showtimes yet."
    )
    assert state.next_day == "" and state.next_day_label == ""
