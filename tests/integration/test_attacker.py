"""The attacker test: a signed-in plain user sends every privileged event handler directly.

A browser can send any event to any State handler by name, with any arguments, whether or not
a page shows the button. Here each handler of every role-gated State class (``required_role``
of staff or admin) is called exactly as the event processor would call it, with a valid *user*
session and hostile arguments. Each must answer with a refusal and change nothing: no row in
the database, no private data in the state that would be sent to the browser.

The handlers are enumerated from the State classes, so a handler added later is covered
without touching this file.
"""

from __future__ import annotations

import inspect
import typing
from datetime import timedelta

import pytest
import reflex as rx
from sqlmodel import Session

from moviebook.models import Role, User, utcnow
from moviebook.services.passwords import hash_password
from moviebook.services.roles import RANK
from moviebook.services.tokens import start_session
from tests.factories import make_auditorium, make_booking, make_movie, make_showtime
from tests.state_driver import database_fingerprint, drive, run_handler


def _all_state_classes(root: type[rx.State]) -> list[type[rx.State]]:
    found = []
    for cls in root.get_substates():
        found.append(cls)
        found.extend(_all_state_classes(cls))
    return found


def _gated_states() -> list[type[rx.State]]:
    import moviebook.moviebook  # noqa: F401  (imports every page, hence every State class)

    return [
        cls
        for cls in _all_state_classes(rx.State)
        if RANK.get(getattr(cls, "required_role", None) or "", 0) > RANK[Role.USER.value]
    ]


def _hostile_value(name: str, annotation, victim_id: int, victim_code: str):
    """Arguments an attacker would pick: the admin's own id (also the id of the admin's booking),
    that booking's code, the highest role, junk forms."""
    annotation = typing.get_origin(annotation) or annotation
    if annotation is int:
        return victim_id
    if annotation is bool:
        return False
    if annotation is dict:
        return {
            "role": "admin",
            "user_id": victim_id,
            "name": "pwned",
            "email": "x@example.com",
            "code": victim_code,
            "reason": "pwned by mallory",
            "booking_id": victim_id,
        }
    if annotation is list:
        return [victim_id]
    return victim_code if name == "code" else "admin"


def _arguments(handler, victim_id: int, victim_code: str) -> list:
    signature = inspect.signature(handler.fn)
    hints = typing.get_type_hints(handler.fn)
    return [
        _hostile_value(name, hints.get(name, str), victim_id, victim_code)
        for name, param in signature.parameters.items()
        if name != "self" and param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD)
    ]


def _public_vars(state: rx.State) -> dict:
    return {name: repr(getattr(state, name)) for name in type(state).base_vars if not name.startswith("_")}


def _is_refusal(events: list) -> bool:
    text = " ".join(str(event) for event in events)
    return "redirect" in text and "not available to your account" in text


@pytest.fixture
def people(app_environment, pg_only_engine):
    from moviebook.services.session_policy import token_policy

    with Session(pg_only_engine, expire_on_commit=False) as session:
        admin = User(name="Root", email="root@example.com", password_hash=hash_password("root password"), role="admin")
        plain = User(name="Mallory", email="mallory@example.com", password_hash=hash_password("mallory pass"))
        session.add_all([admin, plain])
        session.commit()
        # A booking for a show running now, so a handler that wrongly let the attacker check in
        # or cancel would change a row the fingerprint sees.
        show = make_showtime(session, make_movie(session), make_auditorium(session), utcnow() - timedelta(minutes=5))
        booking = make_booking(session, admin, show, {"A1": 1000})
        session.commit()
        assert booking.id == admin.id, "hostile ids aim at the admin and the admin's booking at once"
        staff = User(name="Stan", email="stan@example.com", password_hash=hash_password("stan's pass"), role="staff")
        session.add(staff)
        session.commit()
        pair = start_session(session, plain, token_policy())
        staff_pair = start_session(session, staff, token_policy())
        session.commit()
    return {"admin": admin, "attacker": plain, "tokens": pair, "staff_tokens": staff_pair, "code": booking.code}


def _gated_handlers(role: str = Role.STAFF.value):
    """Handlers of the states that need at least ``role``."""
    return [
        pytest.param(cls, name, id=f"{cls.__name__}.{name}")
        for cls in _gated_states()
        if RANK[cls.required_role] >= RANK[role]
        for name in cls.event_handlers
    ]


def test_there_are_privileged_handlers_to_attack():
    names = {param.id for param in _gated_handlers()}
    # If this shrinks, the enumeration broke, not the app: the test would pass vacuously.
    assert {
        "AdminUsersState.set_role",
        "AdminUsersState.set_active",
        "AdminUsersState.on_load",
        "ReservationsState.cancel_booking",
        "ReservationsState.open_detail",
        "CheckinState.admit",
        "CheckinState.look_up",
        "CounterState.sell",
        "CounterState.open_showtime",
        "ReceiptState.refund",
        "CashupState.choose_member",
        "AdminPricingState.save",
        "AdminPricingState.set_active",
        "AdminPricingState.move",
        "AdminPromotionsState.save",
        "AdminPromotionsState.set_active",
        "AdminPromotionsState.edit",
        "MovieFormState.save",
        "AdminReturnsState.on_load",
        "AdminReturnsState.choose_week",
        "AdminReturnsState.download",
    } <= names


@pytest.mark.parametrize("state_cls, handler_name", _gated_handlers())
def test_a_plain_user_is_refused_by_every_privileged_handler(state_cls, handler_name, people, pg_only_engine):
    _attack(state_cls, handler_name, people["tokens"], people, pg_only_engine)


@pytest.mark.parametrize("state_cls, handler_name", _gated_handlers(Role.ADMIN.value))
def test_staff_are_refused_by_every_admin_handler(state_cls, handler_name, people, pg_only_engine):
    """Staff run the door; the catalog, roles, reports and money stay with admins."""
    _attack(state_cls, handler_name, people["staff_tokens"], people, pg_only_engine)


def _attack(state_cls, handler_name, tokens, people, pg_only_engine) -> None:
    from moviebook.state.auth import AuthState

    root = rx.State(_reflex_internal_init=True)
    auth = root.get_substate(AuthState.get_full_name().split(".")[1:])
    auth.access_token = tokens.access  # a valid session, of someone without the role
    auth.refresh_token = tokens.refresh
    state = root.get_substate(state_cls.get_full_name().split(".")[1:])

    handler = state_cls.event_handlers[handler_name]
    before_db = database_fingerprint(pg_only_engine)
    before_vars = _public_vars(state)

    if handler_name == "setvar":
        # Reflex's generic setter: with auto setters off there is nothing it may set.
        for var in before_vars:
            with pytest.raises(AttributeError):
                run_handler(drive(handler.fn(state, var, "admin")))
        events = None
    else:
        events = run_handler(drive(handler.fn(state, *_arguments(handler, people["admin"].id, people["code"]))))

    assert database_fingerprint(pg_only_engine) == before_db, "the handler changed the database"
    after_vars = _public_vars(state)
    after_vars.pop("viewer_name", None), before_vars.pop("viewer_name", None)  # the attacker's own name
    after_vars.pop("viewer_role", None), before_vars.pop("viewer_role", None)
    assert after_vars == before_vars, "the handler put data into the attacker's state"
    if events is not None:
        assert _is_refusal(events), f"{handler_name} did not refuse: {events}"
