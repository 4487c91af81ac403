"""Live seat maps: every open browser on a showtime sees holds, releases, expiries, bookings
and cancellations at once.

How: each seat-map tab registers its client token under the showtime in Redis. After any
change, the worker that made it computes one snapshot of the showtime's taken seats and
pushes the same small delta to every registered tab (``reflex_adapter.push_delta``: no state
lock, no state load); Reflex delivers it through whichever worker holds that tab's socket.
Only what differs per tab (a cancelled showtime; the holder whose hold expired) takes the
slow path through the tab's own state.

The state that shows seat maps registers itself with ``register_seat_map_view``: this module
knows what to compute and whom to tell, never which page shows it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import reflex as rx

from moviebook.db import session_scope
from moviebook.live import reflex_adapter
from moviebook.live.dashboards import mark_dashboards_stale
from moviebook.redis_client import KEY_PREFIX, get_redis
from moviebook.services.bookings import LiveSeats, live_seats
from moviebook.services.holds import hold_store

logger = logging.getLogger(__name__)
VIEWER_TTL_SECONDS = 3 * 3600


@dataclass(frozen=True)
class SeatMapView:
    """How a state shows live seats, registered by that state.

    ``public_vars(showtime_id, seats)`` gives the base vars that are the same for every viewer
    (sent as one delta to all); ``apply(state, showtime_id, taken, expired_users, cancelled)``
    updates one tab's own state, for the changes that differ per tab.
    """

    state: type[rx.State]
    public_vars: Callable[[int, LiveSeats], dict[str, Any]]
    apply: Callable[[Any, int, dict[int, int], frozenset[int], bool], None]


_views: list[SeatMapView] = []


def register_seat_map_view(view: SeatMapView) -> None:
    if view not in _views:
        _views.append(view)


def _viewers_key(showtime_id: int) -> str:
    return f"{KEY_PREFIX}viewers:{showtime_id}"


def _users_key(showtime_id: int) -> str:
    return f"{KEY_PREFIX}viewer-users:{showtime_id}"


def register_viewer(showtime_id: int, client_token: str, user_id: int = 0) -> None:
    """Remember an open seat map (and whose it is: expiry notices go to the holder only)."""
    pipe = get_redis().pipeline()
    pipe.zadd(_viewers_key(showtime_id), {client_token: time.time()})
    pipe.hset(_users_key(showtime_id), client_token, user_id)
    pipe.expire(_viewers_key(showtime_id), VIEWER_TTL_SECONDS)
    pipe.expire(_users_key(showtime_id), VIEWER_TTL_SECONDS)
    pipe.execute()


def unregister_viewer(showtime_id: int, client_token: str) -> None:
    pipe = get_redis().pipeline()
    pipe.zrem(_viewers_key(showtime_id), client_token)
    pipe.hdel(_users_key(showtime_id), client_token)
    pipe.execute()


def viewers(showtime_id: int) -> dict[str, int]:
    """Open seat maps of the showtime: {client token: user id (0 for a guest)}."""
    client = get_redis()
    key = _viewers_key(showtime_id)
    client.zremrangebyscore(key, "-inf", time.time() - VIEWER_TTL_SECONDS)
    tokens = client.zrange(key, 0, -1)
    users = client.hmget(_users_key(showtime_id), tokens) if tokens else []
    return {token: int(user or 0) for token, user in zip(tokens, users, strict=True)}


def load_live_seats(showtime_id: int) -> LiveSeats:
    """The showtime's taken and free seats now (holds from Redis, sales from the database)."""
    with session_scope() as session:
        return live_seats(session, hold_store(), showtime_id)


_PENDING: set[asyncio.Task] = set()


def announce(showtime_id: int, *, skip_token: str | None = None, cancelled: bool = False) -> None:
    """Broadcast from inside an event handler, without waiting for it.

    The handler holds its own tab's state lock until it returns; awaiting a broadcast that
    needs other tabs' locks (or its own) there would deadlock. So the broadcast runs as a task
    that starts once the handler is done, and skips the caller's tab, which is already current.
    """
    if not reflex_adapter.has_running_app():
        return  # a script or a test without a server: there is nobody to tell
    task = asyncio.create_task(broadcast(showtime_id, skip_token=skip_token, cancelled=cancelled))
    _PENDING.add(task)
    task.add_done_callback(_finished)


def _finished(task: asyncio.Task) -> None:
    _PENDING.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logger.error("live seat broadcast failed", exc_info=task.exception())


async def broadcast(
    showtime_id: int,
    *,
    expired_users: frozenset[int] = frozenset(),
    cancelled: bool = False,
    skip_token: str | None = None,
) -> int:
    """Push the showtime's current seats to every open seat map of it; returns how many."""
    await asyncio.to_thread(mark_dashboards_stale)  # held and sold counts changed too
    if not _views:
        return 0
    seats = await asyncio.to_thread(load_live_seats, showtime_id)
    open_maps = {t: u for t, u in (await asyncio.to_thread(viewers, showtime_id)).items() if t != skip_token}
    if not open_maps:
        return 0

    async def push(view: SeatMapView, delta: dict, token: str, user_id: int) -> None:
        if cancelled or (user_id and user_id in expired_users):
            async with reflex_adapter.tab_state(token, view.state) as state:
                view.apply(state, showtime_id, seats.taken, expired_users, cancelled)
            return
        await reflex_adapter.push_delta(token, delta)

    pushes = []
    for view in _views:
        delta = reflex_adapter.delta_for(view.state, view.public_vars(showtime_id, seats))
        pushes.extend(push(view, delta, token, user) for token, user in open_maps.items())
    results = await asyncio.gather(*pushes, return_exceptions=True)
    for result in results:
        if isinstance(result, Exception):
            logger.warning("live seat update failed: %r", result)
    return len(open_maps)


def _viewer_keys() -> list[str]:
    return list(get_redis().scan_iter(f"{KEY_PREFIX}viewers:*", count=500))


async def prune_viewers() -> int:
    """Forget seat maps whose tab has closed, so broadcasts stop addressing them."""
    removed = 0
    for key in await asyncio.to_thread(_viewer_keys):
        showtime_id = int(str(key).rsplit(":", 1)[1])
        for token in await asyncio.to_thread(viewers, showtime_id):
            if not await reflex_adapter.is_connected(token):
                await asyncio.to_thread(unregister_viewer, showtime_id, token)
                removed += 1
    return removed
