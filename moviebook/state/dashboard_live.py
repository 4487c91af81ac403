"""Keeping open admin dashboards current when seats are held, sold or given back.

Every seat change already passes through ``live.broadcast``; it marks the dashboards stale
with one Redis key. A lifespan task on every worker checks that key once a second and takes
it atomically (GETDEL), so exactly one worker refreshes each open dashboard per burst of
changes, and a change made during a refresh marks them stale again: none is ever missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

import reflex as rx
from reflex_base.registry import RegistrationContext

from moviebook.redis_client import KEY_PREFIX, get_redis

logger = logging.getLogger(__name__)
STALE_KEY = f"{KEY_PREFIX}dashboards:stale"
OPEN_KEY = f"{KEY_PREFIX}dashboards:open"
OPEN_TTL_SECONDS = 12 * 3600


def mark_dashboards_stale() -> None:
    get_redis().set(STALE_KEY, "1")


def register_dashboard(client_token: str) -> None:
    client = get_redis()
    client.zadd(OPEN_KEY, {client_token: time.time()})
    client.zremrangebyscore(OPEN_KEY, "-inf", time.time() - OPEN_TTL_SECONDS)


def _open_dashboards() -> list[str]:
    return [str(t) for t in get_redis().zrange(OPEN_KEY, 0, -1)]


def _take_stale() -> bool:
    return get_redis().getdel(STALE_KEY) is not None


async def refresh_dashboards() -> int:
    """Re-run the figures of every open dashboard tab; tabs that have closed are forgotten."""
    from moviebook.state.admin_dashboard import AdminDashboardState

    app = RegistrationContext.get().app
    namespace = app.event_namespace
    refreshed, loaded = 0, {}  # figures per chart range, computed once for this whole pass
    for token in await asyncio.to_thread(_open_dashboards):
        if namespace is not None and not await namespace._token_manager.is_token_connected(token):
            await asyncio.to_thread(get_redis().zrem, OPEN_KEY, token)
            continue
        try:
            async with app.modify_state(rx.BaseStateToken(ident=token, cls=AdminDashboardState)) as root:
                dashboard = await root.get_state(AdminDashboardState)
                await dashboard._refresh_if_still_admin(loaded)
            refreshed += 1
        except Exception as problem:  # one broken tab must not stop the others
            logger.warning("dashboard refresh failed: %r", problem)
    return refreshed


async def dashboard_refresher():
    """Lifespan task: once a second, refresh open dashboards if seats changed since last time."""
    while True:
        with contextlib.suppress(Exception):
            if await asyncio.to_thread(_take_stale):
                await refresh_dashboards()
        await asyncio.sleep(1)
