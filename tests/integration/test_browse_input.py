"""Hostile input to the public browse states, sent the way a crafted websocket event can.

Anyone may call BrowseState's and MovieDetailState's handlers with any JSON value. Every handler
that takes a value is called with huge integers, floats, long strings, nested objects, None and
characters PostgreSQL refuses, for every argument. Each must answer with a toast that says what
was wrong, change nothing, and never raise (a raise is a traceback in the server log and the
generic "An error occurred" for the person).

The handlers are enumerated from the State classes, so a handler added later is covered too.
"""

from __future__ import annotations

import inspect
import re
from datetime import timedelta

import pytest
import reflex as rx
from reflex.istate.data import PageData

from moviebook.config import get_settings
from moviebook.services.clock import at_local, local_today
from tests.factories import make_auditorium, make_movie, make_showtime
from tests.state_driver import drive, run_handler, substate

HOSTILE = [
    2**63,
    -(2**63) - 1,
    10**100,
    1.5,
    -0.0,
    float("inf"),
    float("nan"),
    True,
    None,
    "x" * 100_000,
    "\x00",
    "Drama\x00",
    "\ud800",  # a lone surrogate: valid JSON, not encodable as UTF-8
    {"a": {"b": [1, {"c": None}]}},
    {"iso": "2030-01-01", "__proto__": {}},
    [[1, [2, [3]]]],
    ["all"],
    [],
    {},
]


def _browse_state():
    from moviebook.state.browse import BrowseState

    return BrowseState


def _value_handlers(state_cls) -> list[tuple[str, list[str]]]:
    """(handler name, its argument names) for each handler that takes a value."""
    found = []
    for name, handler in state_cls.event_handlers.items():
        if name == "setvar":
            continue  # Reflex's generic setter; with auto setters off it sets nothing (test_attacker)
        params = [p for p in inspect.signature(handler.fn).parameters.values() if p.name != "self"]
        if params:
            found.append((name, [p.name for p in params]))
    return found


def _toast_errors(events: list) -> list[str]:
    """The messages of the error toasts among the events (each event's text repeats its message)."""
    found = (re.search(r'\["error"\]\("(.*?)"\)', str(event)) for event in events)
    return [match.group(1).replace("\\'", "'") for match in found if match]


def _public_vars(state) -> dict:
    return {name: repr(getattr(state, name)) for name in type(state).base_vars if not name.startswith("_")}


@pytest.fixture
def programme(app_environment, pg_session):
    """A film on tomorrow evening, so the state has days, a genre and listings to lose."""
    tz = get_settings().timezone
    film = make_movie(pg_session, "Steady Hand", genres=("Drama",))
    make_showtime(
        pg_session, film, make_auditorium(pg_session), at_local(local_today(tz) + timedelta(days=1), 19, 0, tz)
    )
    pg_session.commit()
    return film


def _loaded_browse():
    root = rx.State(_reflex_internal_init=True)
    state = substate(root, _browse_state())
    run_handler(drive(state.on_load()))
    tomorrow = state.days[1].iso
    run_handler(drive(_browse_state().event_handlers["select_day"].fn(state, tomorrow)))
    run_handler(drive(_browse_state().event_handlers["choose_genre"].fn(state, "Drama")))
    assert [item.movie.title for item in state.listings] == ["Steady Hand"], "nothing to lose: vacuous"
    return state


def test_every_browse_handler_that_takes_a_value_is_covered():
    names = {name for name, _ in _value_handlers(_browse_state())}
    # If this shrinks, the enumeration broke, not the app: the test would pass vacuously.
    assert {"select_day", "choose_genre", "search_titles"} <= names


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: type(v).__name__ + ":" + repr(v)[:20])
@pytest.mark.parametrize("handler_name", [name for name, _ in _value_handlers(_browse_state())])
def test_a_browse_handler_refuses_a_bad_value_with_a_toast(handler_name, value, programme):
    state = _loaded_browse()
    before = _public_vars(state)
    handler = _browse_state().event_handlers[handler_name]
    arity = len(dict(_value_handlers(_browse_state()))[handler_name])
    for position in range(arity):  # the bad value in each argument in turn, the others plausible
        args = ["" for _ in range(arity)]
        args[position] = value
        events = run_handler(drive(handler.fn(state, *args)))
        assert _toast_errors(events), f"{handler_name}({args!r:.80}) gave no error toast: {events!r:.300}"
        assert _public_vars(state) == before, f"{handler_name} changed the state on a bad value"


@pytest.mark.parametrize(
    "handler_name, value",
    [
        ("select_day", "2099-01-01"),
        ("select_day", "yesterday"),
        ("choose_genre", "Western"),
        ("choose_genre", "drama"),
        ("search_titles", "x" * 101),
        ("search_titles", "tab\there"),
    ],
)
def test_a_plausible_but_wrong_value_is_refused_with_a_clear_message(handler_name, value, programme):
    state = _loaded_browse()
    before = _public_vars(state)
    events = run_handler(drive(_browse_state().event_handlers[handler_name].fn(state, value)))
    [message] = _toast_errors(events)
    assert message in {
        "That day is not in this week's programme.",
        "Unknown genre.",
        "A search can be at most 100 characters.",
        "A search can only contain letters, digits, spaces and punctuation.",
    }
    assert _public_vars(state) == before


@pytest.mark.parametrize("text", ["%", "_", "\\", "'; DROP TABLE movies; --", "ünïcødé 🎬", "x" * 100])
def test_odd_but_harmless_searches_run_and_find_nothing(text, programme):
    state = _loaded_browse()
    events = run_handler(drive(_browse_state().event_handlers["search_titles"].fn(state, text)))
    assert _toast_errors(events) == []
    assert state.search == text and state.listings == [] and state.empty_heading == "No films match"


ROUTE_ARGS = ["²", "١٢", "1e3", " 1", "1\n", "-1", "+1", "0x1", "1.0", "9" * 10, "", 2**63, 1, 1.5, None, True]
ROUTE_ARGS += [{"movie_id": "1"}, ["1"], "x" * 100_000, "1\x00", "\ud800"]


@pytest.mark.parametrize("raw", ROUTE_ARGS, ids=lambda v: type(v).__name__ + ":" + repr(v)[:20])
def test_the_film_page_says_not_found_for_any_route_argument_that_is_not_an_id(raw, programme):
    import moviebook.moviebook  # noqa: F401  (registers /movies/[movie_id], which defines movie_id)
    from moviebook.state.movie_detail import MovieDetailState

    root = rx.State(_reflex_internal_init=True)
    root.rx_router_page = PageData(params={"movie_id": raw})
    state = substate(root, MovieDetailState)
    run_handler(drive(state.on_load()))
    assert state.not_found and not state.loading and state.movie.title == ""


def test_the_film_page_still_finds_a_real_film(programme):
    import moviebook.moviebook  # noqa: F401
    from moviebook.state.movie_detail import MovieDetailState

    root = rx.State(_reflex_internal_init=True)
    root.rx_router_page = PageData(params={"movie_id": str(programme.id)})
    state = substate(root, MovieDetailState)
    run_handler(drive(state.on_load()))
    assert not state.not_found and state.movie.title == "Steady Hand" and len(state.schedule) == 1
