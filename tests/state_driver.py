"""Calling State handlers the way Reflex's event processor does, without a browser.

Used by the security tests: a handler is looked up by name and called with whatever arguments
an attacker chooses, exactly what a crafted websocket event can do.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import inspect
import json

import reflex as rx
import sqlalchemy as sa
from sqlmodel import SQLModel


def state_tree_for(tokens) -> rx.State:
    """A fresh state tree whose AuthState holds the given session tokens (None: a guest)."""
    from moviebook.state.auth import AuthState

    root = rx.State(_reflex_internal_init=True)
    if tokens is not None:
        auth = root.get_substate(AuthState.get_full_name().split(".")[1:])
        auth.access_token, auth.refresh_token = tokens.access, tokens.refresh
    return root


def at_page(root: rx.State, route: str, path: str, params: dict[str, str], client_token: str = "tab-1") -> None:
    """Put the tree on a page, as the browser's navigation does: the route's arguments (e.g.
    ``showtime_id`` of ``/showtimes/[showtime_id]``) and the tab's client token."""
    data = {"pathname": route, "asPath": path, "query": params, "token": client_token, "sid": f"sid-{client_token}"}
    root.router_data = root._update_router_vars(data, {})


def substate(root: rx.State, cls):
    return root.get_substate(cls.get_full_name().split(".")[1:])


async def drive(result) -> list:
    """Run a handler the way Reflex does: await it, or iterate what it yields."""
    events: list = []
    if inspect.isasyncgen(result):
        async for item in result:
            events.append(item)
        return events
    if inspect.isgenerator(result):
        return list(result)
    if inspect.isawaitable(result):
        result = await result
    if result is not None:
        events.extend(result if isinstance(result, list) else [result])
    return events


def answer_as_a_browser(state: rx.State, events: list, stored: list[str]) -> list:
    """A refusal for a tab with no tokens asks the browser which ones it keeps
    (``AuthState._refusal``); what the tab is sent once a browser keeping ``stored`` answers."""
    from moviebook.state.auth import AuthState

    assert "resume_session" in " ".join(map(str, events)), f"the browser was not asked: {events}"
    auth = substate(state._get_root_state(), AuthState)
    return run_handler(drive(AuthState.event_handlers["resume_session"].fn(auth, stored)))


def run_handler(coroutine):
    """asyncio.run on a thread of its own: the Playwright tests of the same run leave an event
    loop in the main thread, where asyncio.run refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def database_fingerprint(engine: sa.Engine) -> str:
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
            digest.update(json.dumps([list(map(str, row)) for row in rows]).encode())
    return digest.hexdigest()
