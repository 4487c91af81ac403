"""Live seat maps: every open map of a showtime shows the truth (holds from Redis, sales from the
database) within moments of a change, on every worker and every app instance.

How it stays right:
- Each showtime's seat state has a version in Redis that only grows (``services.holds``): the
  hold and release scripts bump it atomically with their change; sales and cancellations bump
  it after their commit (``announce``).
- A change is announced on one Redis channel. Every worker runs a relay (``SeatMapRelay``)
  that listens to it and keeps one socket.io room per showtime for its own sockets. For each
  burst of changes (coalesced over ~25 ms) it reads the version and then the seats once, and
  sends the same prepared delta to the whole room in one emit: one read and one serialisation
  per change per worker, however many maps are open, and no tab's state is loaded or saved.
- The relay is the only sender of a map's live seats, and it sends one showtime's updates one
  after another, each read after its version: a socket never receives an older snapshot after
  a newer one, and every update carries its version (``seat_version``).
- Twice a second the relay compares each of its showtimes' versions with the one it last sent,
  and re-reads any that moved without a message reaching it (a lost Pub/Sub message, a Redis
  restart). A tab that reconnects, to this worker or another, runs its page's ``on_load``
  again and is sent the truth when it joins its room.

What differs per tab (the holder's expiry notice and order summary) takes the slow path
through that tab's own state, found through the viewer registry below.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio as aioredis
import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.live import reflex_adapter
from moviebook.outages import log_failure
from moviebook.redis_client import KEY_PREFIX, get_redis
from moviebook.services.bookings import LiveSeats, live_seats
from moviebook.services.holds import hold_store
from moviebook.services.seat_changes import CHANNEL, tell_seat_maps

logger = logging.getLogger(__name__)
VIEWER_TTL_SECONDS = 3 * 3600
COALESCE_SECONDS = 0.025  # changes this close together go out as one update
REPAIR_SECONDS = 0.5  # how often a relay checks that nothing moved behind its back


@dataclass(frozen=True)
class SeatMapView:
    """How a state shows live seats, registered by that state.

    ``public_vars(showtime_id, seats)`` gives the base vars that are the same for every viewer
    (sent as one delta to the showtime's room; the relay adds ``seat_version`` and
    ``seat_showtime``); ``apply(state, showtime_id, expired_users)`` updates one tab's own
    state after some of its holds expired.
    """

    state: type[rx.State]
    public_vars: Callable[[int, LiveSeats], dict[str, Any]]
    apply: Callable[[Any, int, frozenset[int]], None]


_views: list[SeatMapView] = []


def register_seat_map_view(view: SeatMapView) -> None:
    if view not in _views:
        _views.append(view)


def room_of(showtime_id: int) -> str:
    return f"seats:{showtime_id}"


# --- Who looks at what: the holders' tabs, for the per-tab slow path -------------------------


def _viewers_key(showtime_id: int) -> str:
    return f"{KEY_PREFIX}viewers:{showtime_id}"


def _users_key(showtime_id: int) -> str:
    return f"{KEY_PREFIX}viewer-users:{showtime_id}"


def register_viewer(showtime_id: int, client_token: str, user_id: int = 0) -> None:
    """Remember an open seat map and whose it is (expiry notices go to the holder only)."""
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


# --- Telling everyone ------------------------------------------------------------------------

_PENDING: set[asyncio.Task] = set()


def _spawn(coroutine) -> None:
    task = asyncio.create_task(coroutine)
    _PENDING.add(task)
    task.add_done_callback(_finished)


def _finished(task: asyncio.Task) -> None:
    _PENDING.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logger.error("live seat announcement failed", exc_info=task.exception())


def _publish(showtime_id: int, *, bump: bool) -> None:
    tell_seat_maps(showtime_id, bump=bump)


async def publish_change(showtime_id: int, *, bump: bool = True) -> None:
    """Bump the showtime's version (unless the change's own script did) and tell every relay."""
    await asyncio.to_thread(_publish, showtime_id, bump=bump)


def announce(showtime_id: int) -> None:
    """From an event handler, after a change is committed: every open map of the showtime, on
    every worker, re-reads it. Returns at once; the work runs as a task."""
    if reflex_adapter.has_running_app():
        _spawn(publish_change(showtime_id))
    else:  # a script or a test without a server: the version still moves, for the maps to see
        _publish(showtime_id, bump=True)


async def announce_expiries(showtime_id: int, expired_users: frozenset[int]) -> None:
    """Holds ran out (the sweeper's pop bumped the version): tell the maps, then the holders."""
    await publish_change(showtime_id, bump=False)
    holders = {t: u for t, u in (await asyncio.to_thread(viewers, showtime_id)).items() if u in expired_users}
    for token in holders:
        for view in _views:
            try:
                async with reflex_adapter.tab_state(token, view.state) as state:
                    view.apply(state, showtime_id, expired_users)
            except Exception as problem:  # one broken tab must not stop the others
                logger.warning("expiry notice to a tab failed: %r", problem)


def _viewer_keys() -> list[str]:
    return list(get_redis().scan_iter(f"{KEY_PREFIX}viewers:*", count=500))


async def prune_viewers() -> int:
    """Forget seat maps whose tab has closed, so expiry notices stop addressing them."""
    removed = 0
    for key in await asyncio.to_thread(_viewer_keys):
        showtime_id = int(str(key).rsplit(":", 1)[1])
        for token in await asyncio.to_thread(viewers, showtime_id):
            if not await reflex_adapter.is_connected(token):
                await asyncio.to_thread(unregister_viewer, showtime_id, token)
                removed += 1
    return removed


# --- The relay of one worker -----------------------------------------------------------------


@dataclass
class _Sent:
    version: int = -1
    delta: dict | None = None


@dataclass
class SeatMapRelay:
    """One per worker process: its sockets' rooms, and the one ordered sender of their seats."""

    watched: dict[int, set[str]] = field(default_factory=dict)  # showtime -> sids on this worker
    sent: dict[int, _Sent] = field(default_factory=dict)
    locks: dict[int, asyncio.Lock] = field(default_factory=dict)
    due: set[int] = field(default_factory=set)  # flush scheduled
    updates_sent: int = 0  # room emits, for tests and benchmarks

    def _lock(self, showtime_id: int) -> asyncio.Lock:
        return self.locks.setdefault(showtime_id, asyncio.Lock())

    async def watch(self, sid: str, showtime_id: int, previous: int = 0) -> None:
        """This socket now shows ``showtime_id`` (and no longer ``previous``): join its room and
        send it the seats as they are now."""
        if previous and previous != showtime_id:
            await self.unwatch(sid, previous)
        await reflex_adapter.join_room(sid, room_of(showtime_id))
        self.watched.setdefault(showtime_id, set()).add(sid)
        await self._send_latest(sid, showtime_id)

    async def unwatch(self, sid: str, showtime_id: int) -> None:
        await reflex_adapter.leave_room(sid, room_of(showtime_id))
        sids = self.watched.get(showtime_id, set())
        sids.discard(sid)
        if not sids:
            self._forget(showtime_id)

    def _forget(self, showtime_id: int) -> None:
        self.watched.pop(showtime_id, None)
        self.sent.pop(showtime_id, None)

    def changed(self, showtime_id: int) -> None:
        """A change was announced: flush it soon, together with whatever else comes meanwhile."""
        if showtime_id in self.watched and showtime_id not in self.due:
            self.due.add(showtime_id)
            asyncio.get_running_loop().call_later(COALESCE_SECONDS, lambda: _spawn(self._flush_due(showtime_id)))

    async def _flush_due(self, showtime_id: int) -> None:
        self.due.discard(showtime_id)
        await self.flush(showtime_id)

    async def _read(self, showtime_id: int) -> tuple[int, dict]:
        """The version, then the seats: the seats are at least as new as the version says."""

        def read() -> tuple[int, LiveSeats]:
            version = hold_store().version(showtime_id)
            return version, load_live_seats(showtime_id)

        version, seats = await asyncio.to_thread(read)
        deltas: dict = {}
        for view in _views:
            values = {**view.public_vars(showtime_id, seats), "seat_version": version, "seat_showtime": showtime_id}
            deltas.update(reflex_adapter.delta_for(view.state, values))
        return version, deltas

    async def flush(self, showtime_id: int, *, force: bool = False) -> bool:
        """Send the room the seats now, if they moved since the last send. True if it sent."""
        async with self._lock(showtime_id):
            if showtime_id not in self.watched:
                return False
            last = self.sent.setdefault(showtime_id, _Sent())
            if not force:
                current = await asyncio.to_thread(hold_store().version, showtime_id)
                if current == last.version:
                    return False
            version, delta = await self._read(showtime_id)
            await reflex_adapter.emit_delta_to_room(room_of(showtime_id), delta)
            last.version, last.delta = version, delta
            self.updates_sent += 1
            return True

    async def _send_latest(self, sid: str, showtime_id: int) -> None:
        async with self._lock(showtime_id):
            last = self.sent.setdefault(showtime_id, _Sent())
            current = await asyncio.to_thread(hold_store().version, showtime_id)
            if last.delta is not None and current == last.version:
                await reflex_adapter.emit_delta_to_sid(sid, last.delta)
                return
            version, delta = await self._read(showtime_id)
            await reflex_adapter.emit_delta_to_room(room_of(showtime_id), delta)  # newer for all
            last.version, last.delta = version, delta
            self.updates_sent += 1

    async def repair(self) -> None:
        """Re-read every showtime whose version moved without a message reaching this relay;
        forget showtimes whose room has emptied (tabs closed or moved on)."""
        for showtime_id in list(self.watched):
            if not await reflex_adapter.room_has_members(room_of(showtime_id)):
                self._forget(showtime_id)
        watched = list(self.watched)
        versions = await asyncio.to_thread(hold_store().versions, watched)
        for showtime_id in watched:
            if versions.get(showtime_id) != self.sent.get(showtime_id, _Sent()).version:
                await self.flush(showtime_id)

    async def listen(self) -> None:
        """Follow the change channel for the life of the worker; reconnect after a Redis outage,
        and then re-read everything, since messages may have been lost meanwhile."""
        while True:
            client = aioredis.Redis.from_url(get_settings().redis_url, decode_responses=True)
            pubsub = client.pubsub()
            try:
                await pubsub.subscribe(CHANNEL)
                for showtime_id in list(self.watched):
                    self.changed(showtime_id)
                async for message in pubsub.listen():
                    if message.get("type") == "message" and str(message.get("data", "")).isdecimal():
                        self.changed(int(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception as problem:  # Redis went away: an outage to ride out, not a bug to trace
                logger.warning("seat change channel lost (%r); reconnecting", problem)
                await asyncio.sleep(0.5)
            finally:
                await _close_quietly(pubsub, client)


async def _close_quietly(*connections) -> None:
    for connection in connections:
        try:
            await connection.aclose()
        except Exception as problem:  # the connection is usually gone already: say so, go on
            logger.debug("closing a lost Redis connection: %r", problem)


_relay: SeatMapRelay | None = None


def relay() -> SeatMapRelay:
    """This worker's relay (created on first use, on the worker's event loop)."""
    global _relay
    if _relay is None:
        _relay = SeatMapRelay()
    return _relay


async def seat_map_relay():
    """Lifespan task: this worker's relay listens for changes and repairs what it missed."""
    the_relay = relay()
    listener = asyncio.create_task(the_relay.listen())
    try:
        while True:
            await asyncio.sleep(REPAIR_SECONDS)
            try:
                await the_relay.repair()
            except Exception as problem:
                log_failure(logger, "seat map repair failed; retrying", error=problem)
    finally:
        listener.cancel()
