"""Logins and sign-ups from many people behind one address (a school, an office, a phone
carrier's NAT), against real PostgreSQL and Redis: one person's mistakes, or an attack on one
account, must not lock the others out; an address trying many accounts is slowed, not locked."""

from __future__ import annotations

import threading
import time

import pytest

from moviebook.services.account_mail import SignupsThrottled, sign_up
from moviebook.services.accounts import LoginAttempt, LoginLocked, LoginRefused, LoginSlowed, log_in
from moviebook.services.throttle import MAX_SLOWDOWN_SECONDS, LoginLimits, LoginThrottle, slowdown_seconds
from tests.factories import make_user, tag

PASSWORD = "popcorn and cola"
NAT = "198.51.100.77"


@pytest.fixture
def throttle(redis_client):
    return LoginThrottle(redis_client, LoginLimits())  # the defaults the app runs with


def _people(session, count: int) -> list[str]:
    run = tag()
    emails = [make_user(session, f"nat-{run}-{i}@example.com", password=PASSWORD).email for i in range(count)]
    session.commit()
    return emails


def _log_in(session, throttle, email: str, password: str = PASSWORD, ip: str = NAT):
    return log_in(session, throttle, LoginAttempt(email=email, password=password, ip=ip))


def test_five_people_mistyping_at_one_address_do_not_lock_out_a_sixth(pg_session, throttle):
    """The reported bug: the per-address count ran before the password check."""
    *mistypers, sixth = _people(pg_session, 6)
    for email in mistypers:
        for _ in range(5):
            with pytest.raises(LoginRefused):
                _log_in(pg_session, throttle, email, "not my password")
    assert _log_in(pg_session, throttle, sixth).email == sixth


def test_thirty_people_behind_one_address_while_one_mistypes_25_times(pg_session, throttle):
    mistyper, *others = _people(pg_session, 30)
    outcomes = []
    for _ in range(25):
        try:
            _log_in(pg_session, throttle, mistyper, "wrong wrong")
            outcomes.append("in")
        except LoginSlowed:
            outcomes.append("slowed")
        except LoginLocked:
            outcomes.append("paused")
        except LoginRefused:
            outcomes.append("refused")
    print(f"\nthe mistyper's 25 tries: {outcomes.count('refused')} refused, {outcomes.count('paused')} paused")
    assert outcomes == ["refused"] * 5 + ["paused"] * 20  # their own account, from here only
    logged_in = [_log_in(pg_session, throttle, email).email for email in others]
    print(f"the other 29 at the same address: {len(logged_in)} logged in with their passwords")
    assert logged_in == others
    with pytest.raises(LoginLocked):  # the mistyper, even with the right password, from here
        _log_in(pg_session, throttle, mistyper)
    assert _log_in(pg_session, throttle, mistyper, ip="203.0.113.200").email == mistyper  # from home


def test_an_account_attacked_from_many_addresses_is_paused_everywhere(pg_session, throttle):
    (victim,) = _people(pg_session, 1)
    for i in range(20):  # one guess from each of 20 addresses: no single address stands out
        with pytest.raises(LoginRefused):
            _log_in(pg_session, throttle, victim, f"guess {i}", ip=f"192.0.2.{i + 1}")
    with pytest.raises(LoginLocked, match="paused"):
        _log_in(pg_session, throttle, victim, ip="203.0.113.9")
    # The attack is on that account: the others at those addresses still log in.
    (bystander,) = _people(pg_session, 1)
    assert _log_in(pg_session, throttle, bystander, ip="192.0.2.1").email == bystander


def test_an_address_trying_many_accounts_waits_longer_each_time_but_is_never_locked(pg_session, throttle):
    limits = LoginLimits(max_per_address=3)
    throttle = LoginThrottle(throttle._redis, limits)
    (member,) = _people(pg_session, 1)
    for i in range(3):
        with pytest.raises(LoginRefused):
            _log_in(pg_session, throttle, f"stuffed-{i}-{tag()}@example.com", "leaked password")
    with pytest.raises(LoginRefused):  # admitted (the first over the ceiling), and wrong: 4 accounts
        _log_in(pg_session, throttle, f"stuffed-3-{tag()}@example.com", "leaked password")
    with pytest.raises(LoginSlowed) as slowed:  # straight after: wait
        _log_in(pg_session, throttle, member)
    assert slowed.value.seconds == 1
    time.sleep(1.1)
    with pytest.raises(LoginRefused):  # admitted again; a fifth account fails
        _log_in(pg_session, throttle, f"stuffed-4-{tag()}@example.com", "leaked password")
    with pytest.raises(LoginSlowed) as slowed:
        _log_in(pg_session, throttle, member)
    assert slowed.value.seconds == 2  # admitted with 4 accounts failed, 1 over the ceiling
    time.sleep(2.1)
    assert _log_in(pg_session, throttle, member).email == member  # a right password gets in
    with pytest.raises(LoginSlowed) as slowed:
        _log_in(pg_session, throttle, member)
    assert slowed.value.seconds == 4  # admitted with 5 accounts failed, 2 over the ceiling


def test_the_gap_doubles_and_stops_at_a_minute():
    assert [slowdown_seconds(n, 20) for n in (0, 19, 20, 21, 22, 25, 26, 27, 500)] == [0, 0, 1, 2, 4, 32, 60, 60, 60]
    assert MAX_SLOWDOWN_SECONDS == 60


def test_of_many_attempts_at_once_from_a_slowed_address_one_is_admitted(pg_session, throttle, redis_client):
    limits = LoginLimits(max_per_address=2)
    throttle = LoginThrottle(redis_client, limits)
    for i in range(2):
        throttle.record_failure(f"stuffed-{i}@example.com", NAT)
    answers: list[object] = []
    start = threading.Barrier(10)

    def ask():
        start.wait()
        answers.append(throttle.wait(f"someone-{threading.get_ident()}@example.com", NAT))

    threads = [threading.Thread(target=ask) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers.count(None) == 1
    assert all(a.slowed_address for a in answers if a is not None)


def test_sign_ups_from_one_address_are_limited_per_hour(pg_session, redis_client):
    run = tag()

    def join(i: int, ip: str = NAT):
        email = f"joiner-{run}-{i}@example.com"
        return sign_up(
            pg_session,
            redis_client,
            name="Joiner",
            email=email,
            password=PASSWORD,
            confirm=PASSWORD,
            ip=ip,
            per_address_hour=3,
        )

    made = [join(i).email for i in range(3)]
    pg_session.commit()
    with pytest.raises(SignupsThrottled, match="try again in about") as throttled:
        join(3)
    assert 3000 < throttled.value.seconds <= 3600
    assert join(4, ip="203.0.113.50").email.endswith("@example.com")  # another address may
    assert len(made) == 3
