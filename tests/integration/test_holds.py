"""Seat holds on a real Redis server: atomic, owner-checked, limited, expiring, race-proof."""

import threading
import time

import pytest
import redis

from moviebook.services.holds import HoldPolicy, HoldStore, SeatTaken, TooManySeats, _seat_key


@pytest.fixture
def store(redis_client):
    return HoldStore(redis_client, HoldPolicy(ttl_seconds=600, max_seats=4))


def test_a_multi_seat_hold_is_all_or_nothing(store):
    store.hold(1, 100, [10, 11])
    with pytest.raises(SeatTaken) as taken:
        store.hold(1, 200, [12, 11, 13])  # 11 is taken: none of 12, 13 may be held either
    assert taken.value.seat_id == 11
    assert store.held_by(1, 200) == []
    assert store.holders(1, [10, 11, 12, 13]) == {10: 100, 11: 100}


def test_holding_again_is_harmless_and_holds_are_per_showtime(store):
    store.hold(1, 100, [10])
    store.hold(1, 100, [10, 11])
    store.hold(2, 200, [10])  # same seat id, another showtime
    assert store.held_by(1, 100) == [10, 11] and store.held_by(2, 200) == [10]


def test_the_seat_limit_counts_seats_already_held(store):
    store.hold(1, 100, [1, 2, 3])
    with pytest.raises(TooManySeats, match="at most 4"):
        store.hold(1, 100, [4, 5])
    store.hold(1, 100, [4])
    assert store.held_by(1, 100) == [1, 2, 3, 4]


def test_only_the_owner_releases(store):
    store.hold(1, 100, [10, 11])
    assert store.release(1, 200, [10, 11]) == []  # not theirs
    assert store.holders(1, [10, 11]) == {10: 100, 11: 100}
    assert store.release(1, 100, [11]) == [11]
    assert store.release_all(1, 100) == [10]
    assert store.holders(1, [10, 11]) == {}


def test_a_thousand_concurrent_attempts_on_one_seat_leave_exactly_one_holder(redis_url):
    # Every attempt has its own connection, opened before the start signal, so the 1,000 scripts really are in
    # flight together and no attempt can fail for want of a pooled connection (a pool timeout once did, on a
    # busy CI machine, which said nothing about holds).
    winners, losers, errors = [], [], []
    ready = threading.Barrier(1001)
    clients = []

    def attempt(user_id: int):
        client = redis.Redis.from_url(redis_url, decode_responses=True)
        clients.append(client)
        try:
            store = HoldStore(client, HoldPolicy(ttl_seconds=600, max_seats=10))
            client.ping()
            ready.wait()
            store.hold(9, user_id, [42])
            winners.append(user_id)
        except SeatTaken:
            losers.append(user_id)
        except Exception as unexpected:  # kept, so the assertion below names it instead of a thread warning
            errors.append(repr(unexpected))

    threads = [threading.Thread(target=attempt, args=(u,)) for u in range(1, 1001)]
    for t in threads:
        t.start()
    try:
        ready.wait(timeout=120)  # a thread that failed to connect breaks the barrier; its error is kept below
        for t in threads:
            t.join(timeout=120)
        assert not any(t.is_alive() for t in threads), "an attempt never finished"
        assert errors == []
        assert len(winners) == 1 and len(losers) == 999
        assert HoldStore(clients[0], HoldPolicy()).holders(9, [42]) == {42: winners[0]}
    finally:
        for client in clients:
            client.close()


def test_holds_expire_and_the_sweeper_reports_each_expiry_once(redis_client):
    store = HoldStore(redis_client, HoldPolicy(ttl_seconds=1, max_seats=4))
    store.hold(3, 100, [5, 6])
    assert store.seconds_left(3, 100) in (0, 1)
    time.sleep(1.3)
    assert store.held_by(3, 100) == []
    assert sorted(store.pop_expired()) == [(3, 5, 100), (3, 6, 100)]
    assert store.pop_expired() == []  # reported once, however many sweepers ask
    store.hold(3, 200, [5])  # free for anyone again
    assert store.holders(3, [5]) == {5: 200}


def test_a_rehold_before_expiry_is_not_reported_as_expired(redis_client):
    store = HoldStore(redis_client, HoldPolicy(ttl_seconds=1, max_seats=4))
    store.hold(4, 100, [5])
    time.sleep(0.6)
    store.hold(4, 100, [5])  # refreshed: the expiry moves on
    time.sleep(0.6)
    assert store.pop_expired() == [] and store.held_by(4, 100) == [5]


def test_a_hold_whose_key_outlives_its_expiry_time_is_reported_once_it_is_gone(redis_client):
    """The expiry time is the app's clock plus the TTL; the key's own TTL starts later, when Redis
    runs the script (a busy machine: tens of ms). A sweep between the two must not lose the
    expiry: it is reported once the key is gone (this lost "Your hold ran out" notices)."""
    store = HoldStore(redis_client, HoldPolicy(ttl_seconds=1, max_seats=4))
    store.hold(7, 100, [5])
    redis_client.pexpire(_seat_key(7, 5), 1_600)  # Redis expires the key 0.6 s after the app's time
    time.sleep(1.2)
    assert store.pop_expired() == [] and store.holders(7, [5]) == {5: 100}  # still held: not yet
    time.sleep(0.6)
    assert store.pop_expired() == [(7, 5, 100)]
    assert store.pop_expired() == []


def test_a_hold_that_ran_out_is_reported_even_if_someone_else_took_the_seat_first(redis_client):
    store = HoldStore(redis_client, HoldPolicy(ttl_seconds=1, max_seats=4))
    store.hold(8, 100, [5])
    time.sleep(1.2)
    store.hold(8, 200, [5])  # before the sweeper came round
    assert store.pop_expired() == [(8, 5, 100)]  # 100's hold ran out; 100 is told
    assert store.holders(8, [5]) == {5: 200}


def test_scripts_survive_redis_forgetting_them(store, redis_client):
    redis_client.script_flush()  # what a Redis restart does to loaded scripts
    store.hold(1, 100, [1])
    redis_client.script_flush()
    assert store.release(1, 100, [1]) == [1]


def test_release_everywhere_frees_every_showtime_of_one_user_only(store):
    store.hold(1, 100, [1, 2])
    store.hold(2, 100, [5])
    store.hold(2, 200, [6])
    assert sorted(store.release_everywhere(100)) == [1, 2]
    assert store.holders(1, [1, 2]) == {} and store.holders(2, [5, 6]) == {6: 200}
