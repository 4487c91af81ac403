"""Brute-force protection for logins: failure counters in Redis, per account and per address."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import redis

from moviebook.redis_client import KEY_PREFIX

# INCR and set the window on the first failure, atomically. (EXPIRE ... NX would do, but only
# from Redis 7, and the embedded server is 6.2.)
_COUNT_FAILURE = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""


@dataclass(frozen=True)
class LoginLimits:
    max_per_account: int = 5
    max_per_address: int = 20
    window_seconds: int = 900


class LoginThrottle:
    def __init__(self, client: redis.Redis, limits: LoginLimits):
        self._redis = client
        self._limits = limits
        # redis-py re-sends the script itself after NOSCRIPT (e.g. after a Redis restart).
        self._count = client.register_script(_COUNT_FAILURE)

    @staticmethod
    def _account_key(email: str) -> str:
        # Hashed, so the addresses people type (right or wrong) are not readable in Redis.
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
        return f"{KEY_PREFIX}login-fail:account:{digest}"

    @staticmethod
    def _address_key(ip: str) -> str:
        return f"{KEY_PREFIX}login-fail:ip:{ip or 'unknown'}"

    def seconds_locked(self, email: str, ip: str) -> int:
        """0 when a login attempt may go ahead; otherwise how long until it may."""
        checks = (
            (self._account_key(email), self._limits.max_per_account),
            (self._address_key(ip), self._limits.max_per_address),
        )
        waits = []
        for key, limit in checks:
            count = int(self._redis.get(key) or 0)
            if count >= limit:
                waits.append(max(1, int(self._redis.ttl(key))))
        return max(waits, default=0)

    def record_failure(self, email: str, ip: str) -> None:
        window = self._limits.window_seconds
        self._count(keys=[self._account_key(email)], args=[window])
        self._count(keys=[self._address_key(ip)], args=[window])

    def clear_account(self, email: str) -> None:
        """A successful login forgives the account's earlier mistakes (not the address's)."""
        self._redis.delete(self._account_key(email))


class RateLimit:
    """Fixed-window counters in Redis: at most ``limit`` events per key in ``window_seconds``."""

    def __init__(self, client: redis.Redis, name: str, limit: int, window_seconds: int):
        self._redis, self._name, self._limit, self._window = client, name, limit, window_seconds
        self._count = client.register_script(_COUNT_FAILURE)

    def _key(self, key: str) -> str:
        # Hashed, so addresses and tokens are not readable in Redis.
        return f"{KEY_PREFIX}rate:{self._name}:{hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]}"

    def allow(self, key: str) -> bool:
        """Count one event for ``key`` and say whether it is within the limit."""
        return int(self._count(keys=[self._key(key)], args=[self._window])) <= self._limit

    def wait_seconds(self, key: str) -> int:
        """Count one event for ``key``; 0 when within the limit, else the seconds until the
        window ends (what a 429's Retry-After says)."""
        if self.allow(key):
            return 0
        return max(1, int(self._redis.ttl(self._key(key))))
