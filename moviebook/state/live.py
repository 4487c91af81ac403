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
from reflex_base.registry import RegistrationContext

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.redis_client import KEY_PREFIX, get_redis
from moviebook.services.bookings import complete_past_bookings, live_snapshot
from moviebook.services.holds import HoldPolicy, HoldStore

logger = logging.getLogger(__name__)
VIEWER_TTL_SECONDS = 3 * 3600


def _viewers_key(showtime_id: int) -> str:
    return f"{KEY_PREFIX}viewers:{showtime_id}"


def hold_store() -> HoldStore:
    settings = get_settings()
    return HoldStore(get_redis(), HoldPolicy(ttl_seconds=settings.hold_ttl_seconds, max_seats=settings.max_seats_per_user))


def register_viewer(showtime_id: int, client_token: str) -> None:
    client = get_redis()
    key = _viewers_key(showtime_id)
    client.zadd(key, {client_token: time.time()})
    client.expire(key, VIEWER_TTL_SECONDS)


def unregister_viewer(showtime_id: int, client_token: str) -> None:
    get_redis().zrem(_viewers_key(showtime_id), client_token)


def _viewers(showtime_id: int) -> list[str]:
    client = get_redis()
    key = _viewers_key(showtime_id)
    client.zremrangebyscore(key, "-inf", time.time() - VIEWER_TTL_SECONDS)
    return list(client.zrange(key, 0, -1))


def _snapshot(showtime_id: int) -> dict[int, int]:
    with session_scope() as session:
        return live_snapshot(session, hold_store(), showtime_id)


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


async def broadcast(showtime_id: int, *, expired_users: frozenset[int] = frozenset(), cancelled: bool = False,
                    skip_token: str | None = None) -> int:
    """Push the showtime's current seats to every open picker on it; returns how many."""
    from moviebook.state.seat_picker import SeatPickerState  # the one state this feeds

    app = RegistrationContext.get().app
    snapshot = await asyncio.to_thread(_snapshot, showtime_id)
    tokens = [t for t in await asyncio.to_thread(_viewers, showtime_id) if t != skip_token]
    token_manager = app.event_namespace._token_manager if app.event_namespace else None

    async def push(token: str) -> None:
        if token_manager is not None and not await token_manager.is_token_connected(token):
            await asyncio.to_thread(unregister_viewer, showtime_id, token)
            return
        async with app.modify_state(rx.BaseStateToken(ident=token, cls=SeatPickerState)) as root:
            picker = await root.get_state(SeatPickerState)
            picker._apply_live(showtime_id, snapshot, expired_users, cancelled)

    results = await asyncio.gather(*(push(t) for t in tokens), return_exceptions=True)
    for result in results:
        if isinstance(result, Exception):
            logger.warning("live seat update failed: %r", result)
    return len(tokens)


async def expiry_sweeper():
    """Lifespan task: once a second, announce holds whose time has run out."""
    while True:
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
