"""The one guard every event handler passes: who may call it, and what it may be sent.

Any browser can send any event to any handler, by name, with any arguments. So every event
handler of Moviebook is declared with one of two decorators, and nothing else:

    @requires(Role.ADMIN)              # the caller must be signed in with at least this role
    async def cancel(self, me: Identity, showtime_id: int): ...

    @public                            # anyone may call it (browse, log in, sign up)
    async def select_day(self, iso: str): ...

Both check the arguments against the handler's annotations before it runs: an ``int`` is a
whole number that fits the database's integer column, a ``str`` is text of sane length, a
``bool`` is true or false, a ``dict`` is a form. A wrong argument gets a clear message and
the handler never sees it, so no hostile payload reaches a service as a traceback.

``requires`` then resolves the caller from the server-side session (``AuthState._require_role``)
and refuses anyone without the role; the handler receives the verified ``Identity`` as its
``me`` argument, which is not part of what the browser sends. ``requires()`` without a role
means "the role of the state this handler ends up on" (``required_role``), for mixins shared
by states of different roles. ``tests/integration/test_guards.py`` fails when a handler of a
role-gated state lacks the guard.
"""

from __future__ import annotations

import functools
import inspect
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import reflex as rx

from moviebook.models import Role
from moviebook.services.roles import RANK

# PostgreSQL INTEGER: every id column. Larger numbers cannot name anything.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
MAX_TEXT = 5_000  # longer than any field of any form; handlers cut further where they need to
OWN_ROLE = None  # requires(): the required_role of the state the handler is called on

# What an id argument names, for a message a person can read.
_ID_NOUNS = {
    "booking_id": "booking",
    "showtime_id": "showtime",
    "seat_id": "seat",
    "movie_id": "film",
    "user_id": "account",
    "room_id": "room",
}


_WHOLE = re.compile(r"-?\d{1,11}")
# Control characters but tab and line breaks, and lone surrogates: no key types them, and
# PostgreSQL cannot store NUL (the API refuses the same: api/schemas.text).
_UNKEEPABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
UNKEEPABLE = "That text has a character in it we cannot keep. Please type it again."


class BadArgument(Exception):
    """An argument the handler cannot have been sent by its own page."""


@dataclass(frozen=True)
class Guard:
    """What a decorated handler demands; read by the guard test."""

    role: str | None  # None: public, or (with own_role) the state's required_role
    own_role: bool = False

    def role_on(self, state_cls: type) -> str | None:
        if self.own_role:
            return getattr(state_cls, "required_role", None) or Role.USER.value
        return self.role

    def rank_on(self, state_cls: type) -> int:
        role = self.role_on(state_cls)
        return RANK[role] if role else 0


def _whole_number(name: str, value: Any) -> int:
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        number = int(value)
    elif isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        number = int(value)
    if number is None or not INT_MIN <= number <= INT_MAX:
        if name in _ID_NOUNS:
            raise BadArgument(f"We could not find that {_ID_NOUNS[name]}.")
        raise BadArgument("Please enter a whole number.")
    return number


def _text(value: Any) -> str:
    # A page only ever sends text here (an input's value, a select's choice): a number, a list
    # or an object was crafted, so it is refused rather than turned into text.
    if not isinstance(value, str):
        raise BadArgument("That request could not be understood. Please reload the page.")
    if len(value) > MAX_TEXT:
        raise BadArgument("That text is too long.")
    if _UNKEEPABLE.search(value):
        raise BadArgument(UNKEEPABLE)
    return value


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise BadArgument("That request could not be understood. Please reload the page.")


def _checked(name: str, annotation: Any, value: Any) -> Any:
    """The argument as the handler expects it, or BadArgument saying what is wrong."""
    kind = typing.get_origin(annotation) or annotation
    if kind is int:
        return _whole_number(name, value)
    if kind is str:
        return _text(value)
    if kind is bool:
        return _flag(value)
    if kind is dict:
        if not isinstance(value, dict) or any(not isinstance(key, str) for key in value):
            raise BadArgument("That form could not be read. Please reload the page and try again.")
        if any(isinstance(field, str) and _UNKEEPABLE.search(field) for field in value.values()):
            raise BadArgument(UNKEEPABLE)
        return value
    if kind is list:
        item_type = next(iter(typing.get_args(annotation)), None)
        if not isinstance(value, list) or (
            isinstance(item_type, type) and any(not isinstance(item, item_type) for item in value)
        ):
            raise BadArgument("That request could not be understood. Please reload the page.")
        return value
    return value


def _strip_me(fn: Callable) -> tuple[inspect.Signature, bool]:
    """The handler's signature as the browser sees it: without the injected ``me``."""
    signature = inspect.signature(fn)
    params = list(signature.parameters.values())
    takes_me = len(params) > 1 and params[1].name == "me"
    shown = [params[0], *params[2:]] if takes_me else params
    return signature.replace(parameters=shown), takes_me


def _guarded(fn: Callable, guard: Guard, event_options: dict) -> Any:
    shown, takes_me = _strip_me(fn)
    hints: dict[str, Any] = {}

    def admit_arguments(args: tuple, kwargs: dict) -> dict[str, Any]:
        if not hints:  # resolved on first use: the module's names all exist by then
            hints.update(typing.get_type_hints(fn))
        try:
            bound = shown.bind(None, *args, **kwargs)
        except TypeError as wrong:
            raise BadArgument("That request could not be understood. Please reload the page.") from wrong
        arguments = dict(list(bound.arguments.items())[1:])
        return {name: _checked(name, hints.get(name, Any), value) for name, value in arguments.items()}

    async def admit(state, args: tuple, kwargs: dict) -> tuple[dict | None, Any]:
        """(arguments for the handler, None) or (None, what to answer instead). The caller is
        checked first: someone without the role learns nothing, not even what was wrong."""
        me = None
        if (role := guard.role_on(type(state))) is not None:
            if event_options.get("background"):  # the tab's lock only around reading and writing
                me = await state._require_role(role, unlocked=True)
                refusal = None if me is not None else state._refusal()  # reads only: no lock
            else:
                me = await state._require_role(role)
                refusal = state._refusal() if me is None else None
            if me is None:
                return None, refusal
        try:
            arguments = admit_arguments(args, kwargs)
        except BadArgument as bad:
            return None, rx.toast.error(str(bad))
        return ({"me": me, **arguments} if takes_me else arguments), None

    # The state arrives as the first positional argument; everything else is what the browser
    # sent, so even a payload naming "self" is only an argument to check (and refuse).
    if inspect.isasyncgenfunction(fn):

        async def handler(state, /, *args, **kwargs):
            arguments, answer = await admit(state, args, kwargs)
            if arguments is None:
                yield answer
                return
            async for item in fn(state, **arguments):
                yield item

    else:

        async def handler(state, /, *args, **kwargs):
            arguments, answer = await admit(state, args, kwargs)
            if arguments is None:
                return answer
            result = fn(state, **arguments)
            return await result if inspect.isawaitable(result) else result

    functools.update_wrapper(handler, fn)
    handler.__signature__ = shown  # what Reflex and the pages see: no ``me``
    handler.__annotations__ = {k: v for k, v in fn.__annotations__.items() if k != "me"}
    handler.__moviebook_guard__ = guard
    return rx.event(handler, **event_options)


def requires(role: Role | str | None = OWN_ROLE, **event_options) -> Callable[[Callable], Any]:
    """The handler runs only for a caller signed in with at least ``role``; it gets them as ``me``.

    ``event_options`` go to ``rx.event`` (for example ``background=True``).
    """
    guard = Guard(role=None, own_role=True) if role is OWN_ROLE else Guard(role=Role(role).value)
    return lambda fn: _guarded(fn, guard, event_options)


def public(fn: Callable | None = None, **event_options) -> Any:
    """A handler anyone may call, guests included; its arguments are still checked."""
    if fn is None:
        return lambda inner: _guarded(inner, Guard(role=None), event_options)
    return _guarded(fn, Guard(role=None), event_options)


_ROUTE_ID = re.compile(r"[0-9]{1,9}")


def route_id(raw: object) -> int | None:
    """The id in a dynamic route (``/movies/<id>``), or None for anything that cannot be one.

    Route arguments come from the browser's router data, so they may be any JSON value. Only
    ASCII digits count (``str.isdigit()`` also accepts "²", which ``int()`` refuses), and at most
    9 of them, since larger ids overflow an INTEGER column.
    """
    return int(raw) if isinstance(raw, str) and _ROUTE_ID.fullmatch(raw) else None


def guard_of(handler_fn: Callable) -> Guard | None:
    """The guard a handler function was declared with, or None for an unguarded one."""
    return getattr(handler_fn, "__moviebook_guard__", None)
