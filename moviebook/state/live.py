"""Live seat maps: every open browser on a showtime sees holds, releases, expiries, bookings
and cancellations at once.

How: each seat-picker tab registers its client token under the showtime in Redis. After any
change, the worker that made it computes one snapshot of the showtime's taken seats and pushes
it into every registered tab's state with ``app.modify_state``; Reflex delivers the delta
through whichever worker holds that tab's websocket. Expiries are noticed by a sweeper that
every worker runs once a second; each expiry is popped atomically from Redis, so exactly one
worker announces it. Nothing depends on Redis keyspace notifications.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict

import reflex as rx
from reflex.state import StateUpdate
from reflex_base.registry import RegistrationContext

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.redis_client import KEY_PREFIX, get_redis
from moviebook.services.bookings import LiveSeats, complete_past_bookings, live_seats
from moviebook.services.holds import HoldPolicy, HoldStore
from moviebook.state.dashboard_live import mark_dashboards_stale

logger = logging.getLogger(__name__)
VIEWER_TTL_SECONDS = 3 * 3600


def _viewers_key(showtime_id: int) -> str:
    return f"{KEY_PREFIX}viewers:{showtime_id}"


def hold_store() -> HoldStore:
    settings = get_settings()
    return HoldStore(
        get_redis(), HoldPolicy(ttl_seconds=settings.hold_ttl_seconds, max_seats=settings.max_seats_per_user)
    )


def _users_key(showtime_id: int) -> str:
    return f"{KEY_PREFIX}viewer-users:{showtime_id}"


def register_viewer(showtime_id: int, client_token: str, user_id: int = 0) -> None:
    """Remember an open seat map (and whose it is: expiry notices go to the holder only)."""
    client = get_redis()
    pipe = client.pipeline()
    pipe.zadd(_viewers_key(showtime_id), {client_token: time.time()})
    pipe.hset(_users_key(showtime_id), client_token, user_id)
    pipe.expire(_viewers_key(showtime_id), VIEWER_TTL_SECONDS)
    pipe.expire(_users_key(showtime_id), VIEWER_TTL_SECONDS)
    pipe.execute()


def unregister_viewer(showtime_id: int, client_token: str) -> None:
    get_redis().zrem(_viewers_key(showtime_id), client_token)
    get_redis().hdel(_users_key(showtime_id), client_token)


def _viewers(showtime_id: int) -> dict[str, int]:
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
    task = asyncio.create_task(broadcast(showtime_id, skip_token=skip_token, cancelled=cancelled))
    _PENDING.add(task)
    task.add_done_callback(_PENDING.discard)


async def broadcast(
    showtime_id: int,
    *,
    expired_users: frozenset[int] = frozenset(),
    cancelled: bool = False,
    skip_token: str | None = None,
) -> int:
    """Push the showtime's current seats to every open picker on it; returns how many.

    The snapshot is the same for every viewer, so it goes out as one small delta per socket
    (``emit_update``: no state lock, no state load). Only what differs per tab takes the slow
    path through ``app.modify_state``: a cancelled showtime, and the holders whose hold expired.
    """
    from moviebook.state.seat_picker import SeatPickerState, live_delta

    app = RegistrationContext.get().app
    namespace = app.event_namespace
    await asyncio.to_thread(mark_dashboards_stale)  # held and sold counts changed too
    seats = await asyncio.to_thread(load_live_seats, showtime_id)
    viewers = {t: u for t, u in (await asyncio.to_thread(_viewers, showtime_id)).items() if t != skip_token}
    if namespace is None or not viewers:
        return 0
    update = StateUpdate(delta={SeatPickerState.get_full_name(): live_delta(showtime_id, seats)})

    async def push(token: str, user_id: int) -> None:
        if cancelled or (user_id and user_id in expired_users):
            async with app.modify_state(rx.BaseStateToken(ident=token, cls=SeatPickerState)) as root:
                picker = await root.get_state(SeatPickerState)
                picker._apply_live(showtime_id, seats.taken, expired_users, cancelled)
            return
        await namespace.emit_update(update, token)

    results = await asyncio.gather(*(push(t, u) for t, u in viewers.items()), return_exceptions=True)
    for result in results:
        if isinstance(result, Exception):
            logger.warning("live seat update failed: %r", result)
    return len(viewers)


def _viewer_keys() -> list[str]:
    return list(get_redis().scan_iter(f"{KEY_PREFIX}viewers:*", count=500))


async def prune_viewers() -> int:
    """Forget seat maps whose tab has closed, so broadcasts stop addressing them.

    Run by one worker at a time, off the hot path: broadcasts themselves never check.
    """
    if not await asyncio.to_thread(get_redis().set, f"{KEY_PREFIX}lock:prune-viewers", "1", nx=True, ex=25):
        return 0
    namespace = RegistrationContext.get().app.event_namespace
    if namespace is None:
        return 0
    removed = 0
    for key in await asyncio.to_thread(_viewer_keys):
        showtime_id = int(str(key).rsplit(":", 1)[1])
        for token in await asyncio.to_thread(_viewers, showtime_id):
            if not await namespace._token_manager.is_token_connected(token):
                await asyncio.to_thread(unregister_viewer, showtime_id, token)
                removed += 1
    return removed


async def expiry_sweeper():
    """Lifespan task: once a second, announce holds whose time has run out (and, every half
    minute, forget closed tabs)."""
    ticks = 0
    while True:
        ticks += 1
        if ticks % 30 == 0:
            with contextlib.suppress(Exception):
                await prune_viewers()
        try:
            expired = await asyncio.to_thread(hold_store().pop_expired)
            by_showtime: dict[int, set[int]] = defaultdict(set)
            for showtime_id, _seat, user_id in expired:
                by_showtime[showtime_id].add(user_id)
            for showtime_id, users in by_showtime.items():
                await broadcast(showtime_id, expired_users=frozenset(users))
        except asyncio.CancelledError:
            raise
        except Exception:  # a Redis restart or a DB blip must not end the sweeper
            logger.exception("hold expiry sweep failed; retrying")
        await asyncio.sleep(1)


def _complete_once() -> int:
    # One worker at a time: the lock expires on its own if a worker dies mid-run.
    if not get_redis().set(f"{KEY_PREFIX}lock:complete-bookings", "1", nx=True, ex=50):
        return 0
    with session_scope() as session:
        return complete_past_bookings(session)


async def booking_completer():
    """Lifespan task: once a minute, bookings of showtimes that have ended become completed."""
    while True:
        with contextlib.suppress(Exception):
            await asyncio.to_thread(_complete_once)
        await asyncio.sleep(60)
