"""Telling every open seat map and dashboard that a showtime's seats changed.

One Redis channel carries the showtime id; each worker's relay (``live/seat_maps``) listens
and re-reads. Any transport calls this after its change is committed: the browser's states
through ``live.seat_maps.announce``, the HTTP API directly. The dashboards' stale flag is set
here too, because held and sold counts changed with the seats.
"""

from __future__ import annotations

from moviebook.redis_client import KEY_PREFIX, get_redis
from moviebook.services.holds import hold_store

CHANNEL = f"{KEY_PREFIX}seat-changes"
DASHBOARDS_STALE_KEY = f"{KEY_PREFIX}dashboards:stale"


def mark_dashboards_stale() -> None:
    get_redis().set(DASHBOARDS_STALE_KEY, "1")


def tell_seat_maps(showtime_id: int, *, bump: bool = True) -> None:
    """Bump the showtime's version (unless the change's own Lua script did) and tell every relay."""
    if bump:
        hold_store().bump_version(showtime_id)
    get_redis().publish(CHANNEL, str(showtime_id))
    mark_dashboards_stale()
