"""Every event handler of Moviebook passes the one guard (``state/guard.py``), and the guard
checks what a browser may send before any handler sees it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import reflex as rx

from moviebook.models import Role
from moviebook.services.roles import RANK
from moviebook.state.guard import INT_MAX, BadArgument, _checked, guard_of, public, requires
from tests.state_driver import run_handler

# Reflex adds this generic setter to every state; with state_auto_setters off it sets nothing
# (the attacker test checks that), and it is not ours to decorate.
REFLEX_OWN_HANDLERS = {"setvar"}


def _moviebook_states() -> list[type[rx.State]]:
    import moviebook.moviebook  # noqa: F401  (imports every page, hence every State class)

    found, pending = [], list(rx.State.get_substates())
    while pending:
        cls = pending.pop()
        pending.extend(cls.get_substates())
        if cls.__module__.startswith("moviebook."):
            found.append(cls)
    return found


def unguarded_handlers(states) -> list[str]:
    """Handlers without the guard, or with a weaker one than their state's ``required_role``."""
    problems = []
    for cls in states:
        needed = RANK.get(getattr(cls, "required_role", None) or "", 0)
        for name, handler in cls.event_handlers.items():
            if name in REFLEX_OWN_HANDLERS:
                continue
            guard = guard_of(handler.fn)
            if guard is None:
                problems.append(f"{cls.__name__}.{name} has no guard")
            elif guard.rank_on(cls) < needed:
                problems.append(f"{cls.__name__}.{name} lets in less than {cls.required_role}")
    return problems


def test_every_handler_of_every_state_is_guarded():
    states = _moviebook_states()
    handlers = [name for cls in states for name in cls.event_handlers if name not in REFLEX_OWN_HANDLERS]
    assert len(states) >= 20 and len(handlers) >= 60, "the enumeration found too little to mean anything"
    assert unguarded_handlers(states) == []


def test_the_check_finds_a_handler_without_the_guard_and_one_too_weak():
    async def bare(self):
        return None

    @requires(Role.USER)
    async def weak(self):
        return None

    fake = SimpleNamespace(
        __name__="FakeAdminState",
        required_role=Role.ADMIN.value,
        event_handlers={"bare": SimpleNamespace(fn=bare), "weak": SimpleNamespace(fn=weak)},
    )
    assert unguarded_handlers([fake]) == [
        "FakeAdminState.bare has no guard",
        "FakeAdminState.weak lets in less than admin",
    ]


@pytest.mark.parametrize(
    "name, annotation, value, expected",
    [
        ("booking_id", int, 42, 42),
        ("booking_id", int, "42", 42),
        ("booking_id", int, 7.0, 7),
        ("days", int, -3, -3),
        ("text", str, "hello", "hello"),
        ("is_open", bool, True, True),
        ("is_open", bool, "false", False),
        ("form", dict, {"a": "b"}, {"a": "b"}),
        ("text", str, "two\nlines\tand a tab, née Müller 🎬", "two\nlines\tand a tab, née Müller 🎬"),
        ("form", dict, {"reason": "Moved\r\nto Friday", "seats": 2}, {"reason": "Moved\r\nto Friday", "seats": 2}),
    ],
)
def test_sane_arguments_pass(name, annotation, value, expected):
    assert _checked(name, annotation, value) == expected


@pytest.mark.parametrize(
    "name, annotation, value, message",
    [
        ("booking_id", int, 2**63, "We could not find that booking."),
        ("showtime_id", int, INT_MAX + 1, "We could not find that showtime."),
        ("seat_id", int, 1.5, "We could not find that seat."),
        ("seat_id", int, None, "We could not find that seat."),
        ("seat_id", int, True, "We could not find that seat."),
        ("seat_id", int, {"$gt": 0}, "We could not find that seat."),
        ("days", int, "--5", "Please enter a whole number."),
        ("days", int, float("inf"), "Please enter a whole number."),
        ("text", str, "x" * 100_000, "That text is too long."),
        ("text", str, None, "That request could not be understood. Please reload the page."),
        ("text", str, 12, "That request could not be understood. Please reload the page."),
        ("text", str, ["a"], "That request could not be understood. Please reload the page."),
        ("is_open", bool, "yes", "That request could not be understood. Please reload the page."),
        ("form", dict, "name=x", "That form could not be read. Please reload the page and try again."),
        ("form", dict, [1, 2], "That form could not be read. Please reload the page and try again."),
        # PostgreSQL cannot store NUL, and no field of any form holds a control character.
        ("text", str, "Rita\x00", "That text has a character in it we cannot keep. Please type it again."),
        ("form", dict, {"email": "\x00"}, "That text has a character in it we cannot keep. Please type it again."),
        ("form", dict, {"name": "a\x1bb"}, "That text has a character in it we cannot keep. Please type it again."),
    ],
)
def test_hostile_arguments_get_a_clear_message(name, annotation, value, message):
    with pytest.raises(BadArgument, match=f"^{message}$"):
        _checked(name, annotation, value)


def test_a_guarded_handler_never_sees_a_bad_argument_and_the_page_never_sees_me():
    seen = []

    async def cancel(self, booking_id: int):
        seen.append(booking_id)

    handler = public(cancel)
    answer = run_handler(handler(object(), 2**63))
    assert seen == [] and "We could not find that booking." in str(answer)
    assert run_handler(handler(object(), booking_id="17")) is None and seen == [17]
    assert "could not be understood" in str(run_handler(handler(object(), 1, 2)))  # too many arguments
    assert "could not be understood" in str(run_handler(handler(object(), wrong=1)))

    async def admin_only(self, me, booking_id: int):
        return me

    import inspect

    assert list(inspect.signature(requires(Role.ADMIN)(admin_only)).parameters) == ["self", "booking_id"]


def test_a_list_of_files_must_hold_files():
    assert _checked("files", list[rx.UploadFile], []) == []
    with pytest.raises(BadArgument):
        _checked("files", list[rx.UploadFile], [["not", "a", "file"]])
    with pytest.raises(BadArgument):
        _checked("files", list[rx.UploadFile], 5)
