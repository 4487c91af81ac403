"""The one Redis client of the process: a real server from ``REDIS_URL`` or the embedded one."""

from __future__ import annotations

from functools import lru_cache

import redis

from moviebook.config import get_settings

# Every key the app writes starts with this, so it never collides with Reflex's own keys
# in the same Redis database.
KEY_PREFIX = "mb:"


@lru_cache(maxsize=1)
def get_redis() -> redis.Redis:
    return redis.Redis.from_url(get_settings().redis_url, decode_responses=True)
