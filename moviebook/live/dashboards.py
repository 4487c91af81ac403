"""Keeping open admin dashboards current when seats are held, sold or given back.

Every seat change passes through ``services.seat_changes.tell_seat_maps``, which marks them stale
with one Redis key. A lifespan task on every worker (``jobs.dashboard_refresher``) checks that
key once a second and takes it atomically (GETDEL), so exactly one worker refreshes each open
dashboard per burst of changes, and a change made during a refresh marks them stale again:
none is ever missed.

The dashboard state registers itself with ``register_dashboard_view``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import reflex as rx

from moviebook.live import reflex_adapter
from moviebook.redis_client import KEY_PREFIX, get_redis
from moviebook.services.seat_changes import DASHBOARDS_STALE_KEY

logger = logging.getLogger(__name__)
STALE_KEY = DASHBOARDS_STALE_KEY
OPEN_KEY = f"{KEY_PREFIX}dashboards:open"
OPEN_TTL_SECONDS = 12 * 3600


@dataclass(frozen=True)
class DashboardView:
    """A state that shows live figures. ``refresh(state, shared)`` reloads one tab's figures;
    ``shared`` is one dict per refresh pass, so tabs showing the same figures compute them once."""

    state: type[rx.State]
    refresh: Callable[[Any, dict], Awaitable[None]]


_views: list[DashboardView] = []


def register_dashboard_view(view: DashboardView) -> None:
    if view not in _views:
        _views.append(view)


def register_dashboard(client_token: str) -> None:
    pipe = get_redis().pipeline()
    pipe.zadd(OPEN_KEY, {client_token: time.time()})
    pipe.zremrangebyscore(OPEN_KEY, "-inf", time.time() - OPEN_TTL_SECONDS)
    pipe.execute()


def _open_dashboards() -> list[str]:
    return [str(t) for t in get_redis().zrange(OPEN_KEY, 0, -1)]


def take_stale() -> bool:
    return get_redis().getdel(STALE_KEY) is not None


async def refresh_dashboards() -> int:
    """Re-run the figures of every open dashboard tab; tabs that have closed are forgotten."""
    refreshed, shared = 0, {}
    for token in await asyncio.to_thread(_open_dashboards):
        if not await reflex_adapter.is_connected(token):
            await asyncio.to_thread(get_redis().zrem, OPEN_KEY, token)
            continue
        for view in _views:
            try:
                async with reflex_adapter.tab_state(token, view.state) as state:
                    await view.refresh(state, shared)
                refreshed += 1
            except Exception as problem:  # one broken tab must not stop the others
                logger.warning("dashboard refresh failed: %r", problem)
    return refreshed
