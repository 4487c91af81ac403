"""Every event handler, sent hostile arguments over the real websocket, answers calmly.

A crafted client can send any handler any payload. Each handler of every Moviebook state gets
huge and negative integers, floats, long strings, nested objects, lists, None, missing and
unexpected arguments, as a guest, as a moviegoer and as an admin, against the production
build. The server must keep serving, say something a person can read, and leave no traceback
in its log. The handlers are enumerated from the states, so a new one is covered by itself.
"""

from __future__ import annotations

import inspect

import pytest

from moviebook.services.roles import RANK
from moviebook.state.guard import guard_of
from tests.factories import make_user
from tests.reflex_protocol import ReflexClient, built_state_schema
from tests.state_driver import run_handler

HOSTILE = [
    2**63,
    -(2**63),
    2**31,
    1.5,
    1e308,
    "9" * 20_000,
    "²",  # a digit to str.isdigit(), not to int()
    {"nested": {"deeper": [1, {"deepest": None}]}},
    [[["list"]]],
    None,
    True,
    "",
    "nul\x00",  # PostgreSQL cannot store NUL: a traceback if it reached a query
    {"email": "\x00", "name": "\x00", "password": "\x00", "promo_code": "\x00"},  # a form carrying NUL
]
# Reflex's own generic setter: auto setters are off, so it can set nothing (the attacker test
# checks that); a crafted call fails inside Reflex, and the app's exception handler answers it.
FRAMEWORK_HANDLERS = {"setvar"}
SETVAR_PAYLOADS = [
    {"var_name": "viewer_role", "value": "admin"},
    {"var_name": "_session_message", "value": "x"},
    {"var_name": "no_such_var", "value": None},
    {"var_name": {"nested": 1}, "value": [1]},
]
# Not an object at all, or Reflex's own form-data marker filled with junk.
ODD_PAYLOADS = [[1, 2], "payload", 5, None]
# Ends the client's own session: sent last, after everything else.
LAST = ("AuthState", "log_out")


def _handlers():
    """(state full name, class name, handler name, its parameters, the role its guard needs)."""
    import reflex as rx

    import moviebook.moviebook  # noqa: F401  (every page, hence every state)

    found, pending = [], list(rx.State.get_substates())
    while pending:
        cls = pending.pop()
        pending.extend(cls.get_substates())
        if not cls.__module__.startswith("moviebook."):
            continue
        for name, handler in cls.event_handlers.items():
            if name in FRAMEWORK_HANDLERS:
                continue
            params = [p for p in inspect.signature(handler.fn).parameters if p != "self"]
            guard = guard_of(handler.fn)
            role = guard.role_on(cls) if guard else None
            found.append((cls.get_full_name(), cls.__name__, name, params, role))
    found.sort(key=lambda h: (h[1], h[2]) == LAST)
    return found


def _payloads(params: list[str]) -> list:
    payloads = [{}, {"unexpected": 1}, {"self": 1}, *ODD_PAYLOADS]
    for value in HOSTILE:
        payloads.append({p: value for p in params})
        payloads.extend({p: value} for p in params[:1])  # the others missing
    payloads.extend({p: {"__reflex_form_data__": junk} for p in params} for junk in (5, [[1, 2, 3]], "x"))
    return payloads


async def _attack(url: str, schema: str, who: str, login: dict | None, handlers) -> tuple[int, str]:
    client = ReflexClient(url, schema)
    await client.open("/")
    if login:
        login_state = next(h[0] for h in handlers if h[1] == "LoginState")
        await client.send(login_state, "log_in", {"form": login})
        await client.settle(quiet=1.0)
        assert "Welcome back" in client.texts(), f"{who} could not log in: {client.texts()[-500:]}"
    sent = 0
    for full_name, _cls, handler, params, role in handlers:
        if login and role is None:
            continue  # public handlers answer everyone alike: the guest covers them
        for payload in _payloads(params):
            await client.send(full_name, handler, payload)
            sent += 1
        await client.settle(quiet=0.05, timeout=10)
    for full_name in {h[0] for h in handlers}:
        for payload in SETVAR_PAYLOADS + ODD_PAYLOADS:
            await client.send(full_name, "setvar", payload)
            sent += 1
        await client.settle(quiet=0.05, timeout=10)
    await client.settle(quiet=1.5)
    still_there = client.connected
    text = client.texts()
    await client.close()
    assert still_there, f"the server dropped the {who}'s connection"
    return sent, text


@pytest.fixture
def moviegoer(app_db) -> dict:
    password = "a long enough password"
    user = make_user(app_db, name="Hostile Hal", password=password)
    app_db.commit()
    return {"email": user.email, "password": password}


def test_every_handler_survives_hostile_arguments_without_a_traceback(app_url, app_log, app_env, moviegoer):
    handlers = _handlers()
    gated = [h for h in handlers if h[4] and RANK[h[4]] > RANK["user"]]
    assert len(handlers) >= 60 and len(gated) >= 40, "the enumeration found too little to mean anything"
    schema = built_state_schema()
    before = app_log.read_text()
    admin = {"email": app_env["ADMIN_EMAIL"], "password": app_env["ADMIN_PASSWORD"]}
    results = {}
    for who, login in (("guest", None), ("moviegoer", moviegoer), ("admin", admin)):
        results[who] = run_handler(_attack(app_url, schema, who, login, handlers))
    new_log = app_log.read_text()[len(before) :]

    assert "Traceback (most recent call last)" not in new_log, new_log[-6000:]
    assert sum(sent for sent, _ in results.values()) > 1_500
    guest_text, admin_text = results["guest"][1], results["admin"][1]
    # Refusals and bad arguments were answered in words a person can read.
    assert "Please log in to continue." in guest_text
    assert "We could not find that" in admin_text and "could not be understood" in admin_text
    assert "An error occurred" not in guest_text + results["moviegoer"][1] + admin_text
