"""Seat holds in Redis: short-lived, owner-checked, all-or-nothing.

Keys (all under the app's ``mb:`` prefix):
- ``hold:{showtime}:{seat}`` → the owner's user id, with a TTL: the hold itself.
- ``holds:{showtime}:{user}`` → a set of the seat ids a user holds there (for limits and lists).
- ``hold-expiries`` → a sorted set of ``{showtime}:{seat}:{user}`` by expiry time, read by the
  sweeper that tells open browsers about expiries. Redis expires the hold keys on its own; the
  sorted set only exists so that we *notice*, on a schedule we control, without relying on
  keyspace notifications (they fire late).
- ``seatver:{showtime}`` → the version of the showtime's seat state. It only grows: every hold,
  release and noticed expiry bumps it inside its own script, atomically with the change, and
  sales and cancellations bump it after their commit (``bump_version``). A missing key starts
  at the current time in microseconds, so even after a Redis restart it never goes back.
  Open seat maps compare it with what they last showed to know when to re-read the truth.

Every multi-key change is one Lua script, so a hold of several seats is atomic and a release
or extension only ever touches the caller's own holds. Scripts are re-sent by redis-py after
NOSCRIPT, so a Redis restart is survived (the holds themselves are lost then, by design:
bookings live in PostgreSQL).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import redis

from moviebook.config import get_settings
from moviebook.redis_client import KEY_PREFIX, get_redis

EXPIRIES = f"{KEY_PREFIX}hold-expiries"
HOLD_KEY_PREFIX = f"{KEY_PREFIX}hold:"  # + "<showtime>:<seat>", whose value is the holder
VERSION_PREFIX = f"{KEY_PREFIX}seatver:"
VERSION_TTL_MS = 30 * 24 * 3600 * 1000  # a showtime untouched for a month starts afresh (higher)

# Bump a seat-state version (first argument: its key; second: where a new one starts).
_BUMP = (
    """
local function bump(key, start)
  if not redis.call('SET', key, start, 'NX', 'PX', %d) then return redis.call('INCR', key) end
  return tonumber(start)
end
"""
    % VERSION_TTL_MS
)

# KEYS: user-set, expiries, version, seat keys...
# ARGV: owner, ttl_ms, max_seats, now_ms, showtime, seat-key prefix of this showtime, version start, seat ids...
_HOLD = (
    _BUMP
    + """
local owner, ttl, max_seats, now, showtime = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local seat_key_prefix = ARGV[6]
local user_set, expiries = KEYS[1], KEYS[2]
-- Forget seats of this user whose hold has already expired.
for _, seat in ipairs(redis.call('SMEMBERS', user_set)) do
  if redis.call('GET', seat_key_prefix .. seat) ~= owner then redis.call('SREM', user_set, seat) end
end
local new = 0
for i = 4, #KEYS do
  local holder = redis.call('GET', KEYS[i])
  if holder and holder ~= owner then return {0, ARGV[4 + i]} end
  if not holder then new = new + 1 end
end
if redis.call('SCARD', user_set) + new > max_seats then return {-1, redis.call('SCARD', user_set)} end
for i = 4, #KEYS do
  local seat = ARGV[4 + i]
  redis.call('SET', KEYS[i], owner, 'PX', ttl)
  redis.call('SADD', user_set, seat)
  redis.call('ZADD', expiries, now + ttl, showtime .. ':' .. seat .. ':' .. owner)
end
redis.call('PEXPIRE', user_set, ttl)
return {1, bump(KEYS[3], ARGV[7])}
"""
)

# KEYS: user-set   ARGV: owner, seat-key prefix of the showtime -> the seats of the set whose hold
# is still the owner's: one round trip where SMEMBERS then MGET took two (a confirm asks this).
_HELD_BY = """
local mine = {}
for _, seat in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('GET', ARGV[2] .. seat) == ARGV[1] then table.insert(mine, seat) end
end
return mine
"""

# KEYS: user-set, expiries, version, seat keys...   ARGV: owner, showtime, version start, seat ids...
_RELEASE = (
    _BUMP
    + """
local owner, showtime = ARGV[1], ARGV[2]
local released = {}
for i = 4, #KEYS do
  local seat = ARGV[i]
  if redis.call('GET', KEYS[i]) == owner then
    redis.call('DEL', KEYS[i])
    table.insert(released, seat)
  end
  redis.call('SREM', KEYS[1], seat)
  redis.call('ZREM', KEYS[2], showtime .. ':' .. seat .. ':' .. owner)
end
if #released > 0 then bump(KEYS[3], ARGV[3]) end
return released
"""
)

# KEYS: expiries   ARGV: now_ms, limit, version-key prefix, version start, hold-key prefix ->
# members whose time has come and whose hold is gone, removed atomically so that exactly one
# sweeper (of however many workers) reports each expiry; each of their showtimes' versions is
# bumped once. A member's time is the app's clock plus the TTL, but the key's TTL starts when
# Redis runs the hold script, a little later: a member that is due while its key is still the
# owner's is moved on to when the key really expires, not dropped (that lost expiry notices).
_POP_EXPIRED = (
    _BUMP
    + """
local now = tonumber(ARGV[1])
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local gone, bumped = {}, {}
for _, member in ipairs(due) do
  local showtime, seat, owner = string.match(member, '^(%d+):(%d+):(%d+)$')
  local key = ARGV[5] .. (showtime or '') .. ':' .. (seat or '')
  local left = redis.call('PTTL', key)
  if showtime and left > 0 and redis.call('GET', key) == owner then
    redis.call('ZADD', KEYS[1], now + left, member)
  else
    redis.call('ZREM', KEYS[1], member)
    if showtime then
      table.insert(gone, member)
      if not bumped[showtime] then
        bumped[showtime] = true
        bump(ARGV[3] .. showtime, ARGV[4])
      end
    end
  end
end
return gone
"""
)

# KEYS: version   ARGV: version start -> the version, created if it is missing (after a restart).
_READ_VERSION = (
    """
local v = redis.call('GET', KEYS[1])
if v then return tonumber(v) end
redis.call('SET', KEYS[1], ARGV[1], 'PX', %d)
return tonumber(ARGV[1])
"""
    % VERSION_TTL_MS
)

_BUMP_ONE = _BUMP + "return bump(KEYS[1], ARGV[1])"


class HoldRefused(Exception):
    """The hold was not placed; ``str()`` says why, for the user."""


class SeatTaken(HoldRefused):
    def __init__(self, seat_id: int):
        super().__init__("Someone else has just taken that seat.")
        self.seat_id = seat_id


class TooManySeats(HoldRefused):
    def __init__(self, limit: int):
        super().__init__(f"You can hold at most {limit} seats for one showtime.")


@dataclass(frozen=True)
class HoldPolicy:
    ttl_seconds: int = 600
    max_seats: int = 10


def _seat_key(showtime_id: int, seat_id: int | str = "") -> str:
    """A seat's hold key; without a seat, the prefix the hold script completes itself."""
    return f"{HOLD_KEY_PREFIX}{showtime_id}:{seat_id}"


def _user_key(showtime_id: int, user_id: int) -> str:
    return f"{KEY_PREFIX}holds:{showtime_id}:{user_id}"


def _now_ms() -> int:
    return int(time.time() * 1000)


def version_key(showtime_id: int) -> str:
    return f"{VERSION_PREFIX}{showtime_id}"


def _version_start() -> str:
    """Where a new version key starts: now, in microseconds (above any version of the past)."""
    return str(int(time.time() * 1_000_000))


class HoldStore:
    def __init__(self, client: redis.Redis, policy: HoldPolicy):
        self._redis = client
        self.policy = policy
        self._hold = client.register_script(_HOLD)
        self._release = client.register_script(_RELEASE)
        self._held_by = client.register_script(_HELD_BY)
        self._pop = client.register_script(_POP_EXPIRED)
        self._read_version = client.register_script(_READ_VERSION)
        self._bump_one = client.register_script(_BUMP_ONE)

    def hold(self, showtime_id: int, user_id: int, seat_ids: list[int]) -> None:
        """Hold every seat for the user, or none of them (SeatTaken / TooManySeats)."""
        seats = sorted(set(int(s) for s in seat_ids))
        if not seats:
            return
        keys = [_user_key(showtime_id, user_id), EXPIRIES, version_key(showtime_id)]
        keys += [_seat_key(showtime_id, s) for s in seats]
        args = [
            str(user_id),
            self.policy.ttl_seconds * 1000,
            self.policy.max_seats,
            _now_ms(),
            showtime_id,
            _seat_key(showtime_id),
            _version_start(),
            *seats,
        ]
        status, detail = self._hold(keys=keys, args=args)
        if int(status) == 0:
            raise SeatTaken(int(detail))
        if int(status) == -1:
            raise TooManySeats(self.policy.max_seats)

    def release(self, showtime_id: int, user_id: int, seat_ids: list[int]) -> list[int]:
        """Release the user's own holds among ``seat_ids``; returns the seats actually released."""
        seats = sorted(set(int(s) for s in seat_ids))
        if not seats:
            return []
        keys = [_user_key(showtime_id, user_id), EXPIRIES, version_key(showtime_id)]
        keys += [_seat_key(showtime_id, s) for s in seats]
        args = [str(user_id), showtime_id, _version_start(), *seats]
        return [int(s) for s in self._release(keys=keys, args=args)]

    def release_all(self, showtime_id: int, user_id: int) -> list[int]:
        return self.release(showtime_id, user_id, self.held_by(showtime_id, user_id))

    def release_everywhere(self, user_id: int) -> list[int]:
        """Release all the user's holds on every showtime (at logout); returns those showtimes."""
        showtimes = []
        for key in self._redis.scan_iter(match=f"{KEY_PREFIX}holds:*:{int(user_id)}", count=500):
            showtime_id = int(str(key).split(":")[2])
            if self.release_all(showtime_id, user_id):
                showtimes.append(showtime_id)
        return showtimes

    def held_by(self, showtime_id: int, user_id: int) -> list[int]:
        """The seats the user holds right now (expired ones are not returned)."""
        mine = self._held_by(keys=[_user_key(showtime_id, user_id)], args=[str(user_id), _seat_key(showtime_id)])
        return sorted(int(s) for s in mine)

    def holders(self, showtime_id: int, seat_ids: list[int]) -> dict[int, int]:
        """Who holds each of these seats now: {seat_id: user_id} for the held ones."""
        if not seat_ids:
            return {}
        owners = self._redis.mget([_seat_key(showtime_id, s) for s in seat_ids])
        return {s: int(owner) for s, owner in zip(seat_ids, owners, strict=True) if owner is not None}

    def seconds_left(self, showtime_id: int, user_id: int) -> int:
        """How long the user's earliest-expiring hold on this showtime has left (0: none)."""
        seats = self.held_by(showtime_id, user_id)
        pipe = self._redis.pipeline(transaction=False)  # one round trip for all of them, not one per seat
        for seat in seats:
            pipe.pttl(_seat_key(showtime_id, seat))
        ttls = pipe.execute() if seats else []
        live = [t for t in ttls if t and t > 0]
        return max(0, min(live) // 1000) if live else 0

    def count_held(self) -> int:
        """Seats held right now, across every showtime (the expiry index has one entry per hold)."""
        return int(self._redis.zcount(EXPIRIES, _now_ms(), "+inf"))

    def pop_expired(self, limit: int = 500) -> list[tuple[int, int, int]]:
        """(showtime, seat, user) of holds that ran out; each is returned once, ever. A hold the
        user renewed is not due (renewing moves its time on); a seat someone else took after the
        user's hold ran out is, since the user's hold did run out."""
        gone = self._pop(keys=[EXPIRIES], args=[_now_ms(), limit, VERSION_PREFIX, _version_start(), HOLD_KEY_PREFIX])
        return [tuple(int(part) for part in str(member).split(":")) for member in gone]

    def version(self, showtime_id: int) -> int:
        """The showtime's seat-state version now (created, higher than ever, if Redis lost it)."""
        return int(self._read_version(keys=[version_key(showtime_id)], args=[_version_start()]))

    def versions(self, showtime_ids: list[int]) -> dict[int, int]:
        """Several showtimes' versions in one round trip; a missing one reads as 0 (changed)."""
        if not showtime_ids:
            return {}
        found = self._redis.mget([version_key(s) for s in showtime_ids])
        return {s: int(v or 0) for s, v in zip(showtime_ids, found, strict=True)}

    def bump_version(self, showtime_id: int) -> int:
        """Say the showtime's seats changed outside a hold script (a sale, a cancellation)."""
        return int(self._bump_one(keys=[version_key(showtime_id)], args=[_version_start()]))


def hold_store() -> HoldStore:
    """The hold store of this installation: its Redis and its configured limits."""
    settings = get_settings()
    policy = HoldPolicy(ttl_seconds=settings.hold_ttl_seconds, max_seats=settings.max_seats_per_user)
    return HoldStore(get_redis(), policy)
