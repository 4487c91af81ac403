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
