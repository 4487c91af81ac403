"""The Reflex internals Moviebook relies on, wrapped in one place.

Reflex offers no public API for these (pushing one prepared delta to many tabs without
loading their state, asking whether a tab is still connected). Each wrapper names the Reflex
version it was checked against; ``tests/unit/test_reflex_adapter.py`` fails when an upgrade
moves or changes any of them, so the break shows in CI and not in production.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import reflex as rx

# Checked against Reflex 0.10.1 (reflex 0.10.1, reflex-base 0.10.1).
CHECKED_REFLEX_VERSION = "0.10.1"


def _app():
    # reflex_base.registry.RegistrationContext holds the running App (0.10.1: ``.get().app``).
    from reflex_base.registry import RegistrationContext

    return RegistrationContext.get().app


def has_running_app() -> bool:
    """Whether an App serves this process (false in a plain script or a test without a server)."""
    from reflex_base.registry import RegistrationContext

    try:
        return RegistrationContext.get()._app is not None
    except LookupError:
        return False


def _namespace():
    # App.event_namespace: the socket.io namespace that owns every tab's socket (0.10.1). None
    # until the app has started serving.
    return _app().event_namespace


def field_key(var_name: str) -> str:
    """How a base var is named inside a delta (0.10.1: ``<name>`` + ``FIELD_MARKER``, "_rx_state_")."""
    from reflex_base.constants.state import FIELD_MARKER

    return f"{var_name}{FIELD_MARKER}"


def delta_for(state_cls: type[rx.State], values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A delta that sets these base vars of ``state_cls`` in the browser, as Reflex would send it."""
    return {state_cls.get_full_name(): {field_key(name): value for name, value in values.items()}}


async def push_delta(client_token: str, delta: dict[str, dict[str, Any]]) -> bool:
    """Send a prepared delta to one tab without loading or locking its state.

    0.10.1: ``EventNamespace.emit_update(StateUpdate, token)`` delivers to the socket on this
    process, or through Redis ("lost and found") to the worker that holds it. Returns False
    when the app is not serving yet.
    """
    from reflex.state import StateUpdate

    namespace = _namespace()
    if namespace is None:
        return False
    await namespace.emit_update(StateUpdate(delta=delta), client_token)
    return True


def page_load_event():
    """The event that runs the current page's on_load handlers again, as a page load does
    (0.10.1: ``OnLoadInternalState.on_load_internal``, which the frontend sends with each page
    load and Reflex itself queues when it rehydrates a tab whose state it lost)."""
    from reflex.state import OnLoadInternalState

    return OnLoadInternalState.on_load_internal


async def is_connected(client_token: str) -> bool:
    """Whether the tab still has a socket on any worker (0.10.1: the namespace's private
    ``_token_manager.is_token_connected``). Unknown (no app serving) counts as connected, so
    nothing is forgotten by mistake."""
    namespace = _namespace()
    if namespace is None:
        return True
    return await namespace._token_manager.is_token_connected(client_token)


@contextlib.asynccontextmanager
async def tab_state(client_token: str, state_cls: type[rx.State]) -> AsyncIterator[rx.State]:
    """One tab's instance of ``state_cls``, locked, saved and sent on exit (public API:
    ``App.modify_state`` with ``rx.BaseStateToken``; the slow path, for per-tab changes)."""
    async with _app().modify_state(rx.BaseStateToken(ident=client_token, cls=state_cls)) as root:
        yield await root.get_state(state_cls)


# Socket.io rooms of this worker. Reflex 0.10.1 runs one python-socketio ``AsyncServer`` per
# worker process (``App.sio``, in-memory manager, no cross-process rooms) and serves its events
# on ``App.event_namespace.namespace`` ("/_event"); a tab's socket id is
# ``router.session.session_id``. Rooms are python-socketio's public API on that server.


def _sio_and_namespace():
    if not has_running_app():  # a script or a test without a server: no sockets to reach
        return None, None
    app = _app()
    namespace = app.event_namespace
    if app.sio is None or namespace is None:
        return None, None
    return app.sio, namespace.namespace


async def join_room(sid: str, room: str) -> None:
    sio, namespace = _sio_and_namespace()
    if sio is not None:
        await sio.enter_room(sid, room, namespace=namespace)


async def leave_room(sid: str, room: str) -> None:
    sio, namespace = _sio_and_namespace()
    if sio is not None:
        await sio.leave_room(sid, room, namespace=namespace)


async def room_has_members(room: str) -> bool:
    sio, namespace = _sio_and_namespace()
    if sio is None:
        return False
    return next(iter(sio.manager.get_participants(namespace, room)), None) is not None


def _update(delta: dict):
    # What Reflex sends a tab as its "event" message (0.10.1: a ``StateUpdate``, serialised by
    # the server's own JSON encoder, the same for ``emit_update``).
    from reflex.state import StateUpdate

    return StateUpdate(delta=delta)


def _event_name() -> str:
    from reflex_base.constants.event import SocketEvent

    return str(SocketEvent.EVENT)


async def emit_delta_to_room(room: str, delta: dict) -> None:
    """One serialisation, sent to every socket of the room on this worker."""
    sio, namespace = _sio_and_namespace()
    if sio is not None:
        await sio.emit(_event_name(), _update(delta), room=room, namespace=namespace)


async def emit_delta_to_sid(sid: str, delta: dict) -> None:
    sio, namespace = _sio_and_namespace()
    if sio is not None:
        await sio.emit(_event_name(), _update(delta), to=sid, namespace=namespace)
