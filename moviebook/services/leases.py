"""Leases in Redis: one worker at a time does a periodic job, across workers and instances."""

from __future__ import annotations

import redis

from moviebook.redis_client import KEY_PREFIX


def take_lease(client: redis.Redis, name: str, seconds: int) -> bool:
    """True for the one caller that gets the lease; it expires by itself after ``seconds``, so a
    worker that dies holding it blocks nobody for long."""
    return bool(client.set(f"{KEY_PREFIX}lock:{name}", "1", nx=True, ex=seconds))


def release_lease(client: redis.Redis, name: str) -> None:
    """Give a lease back before it expires, when the job is done."""
    client.delete(f"{KEY_PREFIX}lock:{name}")


def renew_lease(client: redis.Redis, name: str, seconds: int) -> None:
    """Take a lease, or keep it ``seconds`` longer: a job that runs on renews it as it goes,
    so its lease outlives it by at most ``seconds`` if it dies."""
    client.set(f"{KEY_PREFIX}lock:{name}", "1", ex=seconds)


def lease_taken(client: redis.Redis, name: str) -> bool:
    """Whether some worker holds the lease now."""
    return bool(client.exists(f"{KEY_PREFIX}lock:{name}"))
