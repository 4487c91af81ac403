"""A tab whose server-side state was lost (Redis restarted, or an idle tab's state expired)
still has its session tokens in the browser. A refusal for a tab with no tokens asks the
browser for them (``AuthState._refusal``) before sending anyone to log in, and the browser's
answer (``AuthState.resume_session``) signs the tab in again, verified like any page load."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from moviebook.services.tokens import start_session
from tests.factories import make_user
from tests.state_driver import at_page, drive, run_handler, state_tree_for, substate


@pytest.fixture
def tokens(app_environment, pg_only_engine):
    from moviebook.services.session_policy import token_policy

    with Session(pg_only_engine, expire_on_commit=False) as session:
        user = make_user(session, name="Returning Rita", password="rita's long password")
        pair = start_session(session, user, token_policy())
        session.commit()
    return pair


def _my_bookings_tab(tokens=None):
    import moviebook.moviebook  # noqa: F401  (registers the pages)
    from moviebook.state.my_bookings import MyBookingsState

    root = state_tree_for(tokens)
    at_page(root, "/bookings", "/bookings", {})
    return root, substate(root, MyBookingsState)


def _text(events) -> str:
    return " ".join(map(str, events))


def test_a_tab_with_no_tokens_asks_the_browser_before_sending_anyone_to_log_in(app_environment):
    from moviebook.state.my_bookings import MyBookingsState

    _, page = _my_bookings_tab()
    events = run_handler(drive(MyBookingsState.event_handlers["on_load"].fn(page)))
    assert "localStorage.getItem('mb_access')" in _text(events) and "resume_session" in _text(events)
    assert "/login" not in _text(events)


def test_a_browser_without_tokens_is_sent_to_log_in(app_environment):
    from moviebook.state.auth import AuthState

    root, _ = _my_bookings_tab()
    auth = substate(root, AuthState)
    events = run_handler(drive(AuthState.event_handlers["resume_session"].fn(auth, ["", ""])))
    assert "Please log in to continue." in _text(events) and "/login?next=/bookings" in _text(events)
    assert auth.viewer_name == ""


def test_the_browsers_tokens_sign_the_tab_in_again_and_reload_the_page(tokens):
    from moviebook.state.auth import AuthState

    root, _ = _my_bookings_tab()
    auth = substate(root, AuthState)
    events = run_handler(drive(AuthState.event_handlers["resume_session"].fn(auth, [tokens.access, tokens.refresh])))
    assert auth.viewer_name == "Returning Rita" and auth.access_token
    assert "lost touch with the server" in _text(events) and "on_load_internal" in _text(events)
    assert "/login" not in _text(events)


def test_forged_tokens_from_the_browser_are_refused_like_any_others(tokens):
    from moviebook.state.auth import AuthState

    root, _ = _my_bookings_tab()
    auth = substate(root, AuthState)
    forged = tokens.access[:-4] + "AAAA"
    events = run_handler(drive(AuthState.event_handlers["resume_session"].fn(auth, [forged, ""])))
    assert auth.viewer_name == "" and auth.access_token == ""
    assert "/login?next=/bookings" in _text(events)


def test_a_tab_that_has_tokens_is_not_given_others(tokens):
    from moviebook.state.auth import AuthState

    root, _ = _my_bookings_tab()
    auth = substate(root, AuthState)
    auth.access_token = "the tab's own"
    events = run_handler(drive(AuthState.event_handlers["resume_session"].fn(auth, [tokens.access, tokens.refresh])))
    assert auth.access_token == "the tab's own" and auth.viewer_name == ""
    assert "/login?next=/bookings" in _text(events)
