"""A pay (online, or a sale at the box office) whose answer never reached the tab: what became of it.

An app instance can die (kill -9, a crash, a deploy) while it runs a buyer's pay. The buyer's
browser then reconnects to another instance, and Reflex may give the tab a fresh server-side
state (the dead instance's socket still looks connected), so the tab itself cannot be trusted
to remember that it was paying. What is remembered is in Redis, per buyer and showtime:

- an *unanswered pay* record, the checkout reference of a pay that started and has not yet
  ended (kept long after any hold has run out), and
- a short *pay lease* that the running pay renews as it goes (``PAY_LEASE_SECONDS``).

When the buyer opens that showtime's seat map again (the reconnect does), the page finds the
record, waits until no instance holds the lease (a dead pay's lease runs out by itself), and
reads the outcome from the database, where the checkout reference is the booking's
idempotency key: a booking made, or none. A sale cut off before its commit booked nothing,
and its card authorization is never captured, so the buyer was not charged.
"""

from __future__ import annotations

import logging

import redis
from sqlmodel import Session

from moviebook.redis_client import KEY_PREFIX
from moviebook.services.checkout import booking_of_key
from moviebook.services.leases import lease_taken, release_lease, renew_lease

log = logging.getLogger(__name__)

PAY_LEASE_SECONDS = 6  # renewed every third of this: a dead pay is known to be dead within it
UNANSWERED_SECONDS = 3600  # a record outlives any hold: the buyer may come back much later
GIVE_UP_SECONDS = 60  # no pay runs this long (the database and the provider time out first)

# Delete a key only while it still names this checkout: a later pay's record stays.
_FORGET_IF_SAME = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


def pay_lease(key: str) -> str:
    """The lease name of checkout ``key``'s running pay (see leases.py)."""
    return f"pay:{key}"


def _record(user_id: int, showtime_id: int) -> str:
    return f"{KEY_PREFIX}unanswered-pay:{user_id}:{showtime_id}"


def start_paying(client: redis.Redis, user_id: int, showtime_id: int, key: str) -> None:
    """The pay of checkout ``key`` starts. Best effort: with Redis unreachable the pay itself
    fails on the holds it must read, and says so."""
    try:
        renew_lease(client, pay_lease(key), PAY_LEASE_SECONDS)
        client.set(_record(user_id, showtime_id), key, ex=UNANSWERED_SECONDS)
    except redis.RedisError as error:
        log.warning("could not note checkout %s as paying: %s", key[:8], error)


def still_running(client: redis.Redis, key: str) -> None:
    """The pay of checkout ``key`` still runs: PAY_LEASE_SECONDS more."""
    try:
        renew_lease(client, pay_lease(key), PAY_LEASE_SECONDS)
    except redis.RedisError as error:
        log.warning("could not renew the pay lease of checkout %s: %s", key[:8], error)


def answered(client: redis.Redis, user_id: int, showtime_id: int, key: str) -> None:
    """The pay of checkout ``key`` ended and its outcome is the tab's to show (or was shown)."""
    try:
        release_lease(client, pay_lease(key))
        client.eval(_FORGET_IF_SAME, 1, _record(user_id, showtime_id), key)
    except redis.RedisError as error:  # the lease runs out by itself; the record is settled later
        log.warning("could not note checkout %s as answered: %s", key[:8], error)


def unanswered_pay(client: redis.Redis, user_id: int, showtime_id: int) -> str | None:
    """The checkout reference of this buyer's pay for this showtime that never answered, if any."""
    try:
        return client.get(_record(user_id, showtime_id))
    except redis.RedisError:
        return None


def is_running(client: redis.Redis, key: str) -> bool:
    """Some instance runs checkout ``key``'s pay now (an unreachable Redis says no: a pay on
    the other side of it cannot read the holds either)."""
    try:
        return lease_taken(client, pay_lease(key))
    except redis.RedisError:
        return False


def booking_of_checkout(session: Session, channel: str, holder_id: int, key: str) -> tuple[int, str] | None:
    """The id and code of the booking that checkout ``key`` made, if it made one."""
    booking = booking_of_key(session, channel, holder_id, key)
    return (booking.id, booking.code) if booking else None
