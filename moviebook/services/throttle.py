"""Brute-force protection for logins, safe for people behind one address (a school, an office,
a phone carrier's NAT): failure counters in Redis.

- **(address, account)**: a person who mistypes their own password too often is paused, from
  that address only. The others at the address are not affected.
- **account**: failures from any addresses; over its ceiling the account itself is under attack
  and is paused everywhere.
- **address**: the number of *different* accounts that failed from it (credential stuffing).
  Over its ceiling the address is slowed, not locked: attempts from it must be spaced by a
  delay that doubles with every further account tried, up to a minute. A correct password
  still works once the delay has passed.
"""

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

# One failed login, in one round trip: KEYS = pair counter, account counter, the address's set
# of failed accounts; ARGV = window seconds, the account's digest.
_RECORD_FAILURE = """
for i = 1, 2 do
  if redis.call('INCR', KEYS[i]) == 1 then redis.call('EXPIRE', KEYS[i], ARGV[1]) end
end
if redis.call('SADD', KEYS[3], ARGV[2]) == 1 and redis.call('SCARD', KEYS[3]) == 1 then
  redis.call('EXPIRE', KEYS[3], ARGV[1])
end
return redis.call('SCARD', KEYS[3])
"""

MAX_SLOWDOWN_SECONDS = 60


@dataclass(frozen=True)
class LoginLimits:
    max_per_account: int = 5  # failures of one account from one address
    max_per_address: int = 20  # different accounts failing from one address, before it is slowed
    window_seconds: int = 900
    max_per_account_everywhere: int = 20  # failures of one account from all addresses


@dataclass(frozen=True)
class LoginWait:
    seconds: int
    slowed_address: bool  # True: the address is slowed (a short delay), not the account paused


def slowdown_seconds(accounts_failed: int, ceiling: int) -> int:
    """The gap an address over its ceiling must leave between attempts: 1 s for the first
    account over, doubling with each further one, at most a minute."""
    excess = accounts_failed - ceiling
    return 0 if excess < 0 else min(MAX_SLOWDOWN_SECONDS, 2 ** min(excess, 6))


class LoginThrottle:
    def __init__(self, client: redis.Redis, limits: LoginLimits):
        self._redis = client
        self._limits = limits
        # redis-py re-sends a script itself after NOSCRIPT (e.g. after a Redis restart).
        self._record = client.register_script(_RECORD_FAILURE)

    @staticmethod
    def _digest(text: str) -> str:
        # Hashed, so the addresses people type (right or wrong) are not readable in Redis.
        return hashlib.sha256(text.strip().lower().encode()).hexdigest()[:32]

    def _keys(self, email: str, ip: str) -> tuple[str, str, str, str]:
        account, address = self._digest(email), self._digest(ip or "unknown")
        return (
            f"{KEY_PREFIX}login-fail:pair:{address}:{account}",
            f"{KEY_PREFIX}login-fail:account:{account}",
            f"{KEY_PREFIX}login-fail:ip-accounts:{address}",
            f"{KEY_PREFIX}login-slow:ip:{address}",
        )

    def wait(self, email: str, ip: str) -> LoginWait | None:
        """None when this attempt may go ahead. An address over its ceiling is admitted once
        per delay: admitting it starts the next delay."""
        pair, account, failed_accounts, slow = self._keys(email, ip)
        with self._redis.pipeline(transaction=False) as pipe:
            pipe.get(pair).ttl(pair).get(account).ttl(account).scard(failed_accounts).pttl(slow)
            pair_n, pair_ttl, account_n, account_ttl, accounts_failed, slow_ms = pipe.execute()
        locked = [
            max(1, int(ttl))
            for count, ttl, limit in (
                (pair_n, pair_ttl, self._limits.max_per_account),
                (account_n, account_ttl, self._limits.max_per_account_everywhere),
            )
            if int(count or 0) >= limit
        ]
        if locked:
            return LoginWait(max(locked), slowed_address=False)
        delay = slowdown_seconds(int(accounts_failed), self._limits.max_per_address)
        if not delay:
            return None
        if int(slow_ms) > 0:
            return LoginWait(max(1, -(-int(slow_ms) // 1000)), slowed_address=True)
        # Admitted; the next attempt from here waits. SET NX: of two at once, one is admitted.
        if not self._redis.set(slow, 1, px=delay * 1000, nx=True):
            return LoginWait(delay, slowed_address=True)
        return None

    def seconds_locked(self, email: str, ip: str) -> int:
        """0 when a login attempt may go ahead; otherwise how long until it may."""
        wait = self.wait(email, ip)
        return wait.seconds if wait else 0

    def record_failure(self, email: str, ip: str) -> None:
        pair, account, failed_accounts, _slow = self._keys(email, ip)
        self._record(keys=[pair, account, failed_accounts], args=[self._limits.window_seconds, self._digest(email)])

    def clear_account(self, email: str, ip: str = "") -> None:
        """A successful login forgives the account's mistakes: its count everywhere, and this
        address's count for it. The address's tally of failed accounts stays."""
        pair, account, _failed, _slow = self._keys(email, ip)
        self._redis.delete(pair, account)


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
