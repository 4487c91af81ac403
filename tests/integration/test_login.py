"""Logging in against real PostgreSQL and real Redis: the brute-force limits and the audit."""

import threading

import pytest
from passlib.context import CryptContext
from sqlmodel import Session, select

from moviebook.models import AuditEntry, User
from moviebook.services.accounts import (
    WRONG_CREDENTIALS,
    LoginAttempt,
    LoginLocked,
    LoginRefused,
    LoginSlowed,
    log_in,
    register_user,
)
from moviebook.services.errors import DomainError
from moviebook.services.roles import change_role
from moviebook.services.throttle import LoginLimits, LoginThrottle
from tests.factories import identity_for, make_user

PASSWORD = "popcorn and cola"


@pytest.fixture
def account(pg_session):
    user = register_user(pg_session, name="Lin", email="lin@example.com", password=PASSWORD, confirm=PASSWORD)
    pg_session.commit()
    return user


@pytest.fixture
def throttle(redis_client):
    return LoginThrottle(redis_client, LoginLimits(max_per_account=5, max_per_address=8, window_seconds=900))


def attempt(password, email="lin@example.com", ip="203.0.113.7"):
    return LoginAttempt(email=email, password=password, ip=ip)


def test_right_credentials_log_in_and_are_audited(pg_session, throttle, account):
    assert log_in(pg_session, throttle, attempt(PASSWORD, email=" LIN@example.com ")).id == account.id
    pg_session.commit()
    entry = pg_session.exec(select(AuditEntry).where(AuditEntry.action == "login.succeeded")).one()
    assert (entry.actor_id, entry.ip_address) == (account.id, "203.0.113.7")


def test_wrong_password_and_unknown_email_get_the_same_message(pg_session, throttle, account):
    with pytest.raises(LoginRefused) as wrong_password:
        log_in(pg_session, throttle, attempt("not my password"))
    with pytest.raises(LoginRefused) as unknown_email:
        log_in(pg_session, throttle, attempt(PASSWORD, email="nobody@example.com"))
    assert str(wrong_password.value) == str(unknown_email.value) == WRONG_CREDENTIALS
    failed = pg_session.exec(select(AuditEntry).where(AuditEntry.action == "login.failed")).all()
    assert len(failed) == 2 and failed[0].actor_id == account.id and failed[1].actor_id is None


def test_the_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(
    pg_session, throttle, account, redis_client
):
    for _ in range(5):
        with pytest.raises(LoginRefused):
            log_in(pg_session, throttle, attempt("guess guess"))
    with pytest.raises(LoginLocked, match="Too many failed attempts") as locked:
        log_in(pg_session, throttle, attempt(PASSWORD))
    assert 0 < locked.value.seconds <= 900
    assert pg_session.exec(select(AuditEntry).where(AuditEntry.action == "login.locked")).first()
    # Another account from another address is unaffected.
    register_user(pg_session, name="Other", email="other@example.com", password=PASSWORD, confirm=PASSWORD)
    pg_session.commit()
    assert log_in(pg_session, throttle, attempt(PASSWORD, email="other@example.com", ip="198.51.100.1"))


def test_one_address_guessing_many_accounts_is_slowed_not_locked(pg_session, throttle, account):
    for i in range(8):  # credential stuffing: one guess each at 8 different accounts
        with pytest.raises(LoginRefused):
            log_in(pg_session, throttle, attempt("x" * 9, email=f"victim{i}@example.com"))
    # Over the ceiling the address is admitted once a second: right credentials still work ...
    assert log_in(pg_session, throttle, attempt(PASSWORD)).id == account.id
    # ... but the next attempt straight after must wait, whoever it is for.
    with pytest.raises(LoginSlowed, match="Please wait 1 second") as slowed:
        log_in(pg_session, throttle, attempt(PASSWORD))
    assert slowed.value.seconds == 1
    assert pg_session.exec(select(AuditEntry).where(AuditEntry.action == "login.slowed")).first()
    # Another address is not slowed.
    assert log_in(pg_session, throttle, attempt(PASSWORD, ip="192.0.2.50")).id == account.id


def test_a_success_forgives_earlier_failures_of_the_account(pg_session, throttle, account):
    for _ in range(4):
        with pytest.raises(LoginRefused):
            log_in(pg_session, throttle, attempt("guess guess", ip="192.0.2.1"))
    log_in(pg_session, throttle, attempt(PASSWORD, ip="192.0.2.2"))
    for _ in range(4):
        with pytest.raises(LoginRefused):
            log_in(pg_session, throttle, attempt("guess guess", ip="192.0.2.3"))
    assert log_in(pg_session, throttle, attempt(PASSWORD, ip="192.0.2.4"))


def test_the_throttle_survives_redis_forgetting_its_script(pg_session, throttle, account, redis_client):
    redis_client.script_flush()  # what a Redis restart does to loaded scripts
    with pytest.raises(LoginRefused):
        log_in(pg_session, throttle, attempt("guess guess"))


def test_login_upgrades_an_outdated_hash(pg_session, throttle, account):
    weak = CryptContext(
        schemes=["argon2"], argon2__type="ID", argon2__memory_cost=8192, argon2__time_cost=1, argon2__parallelism=1
    ).hash(PASSWORD)
    account.password_hash = weak
    pg_session.commit()
    log_in(pg_session, throttle, attempt(PASSWORD))
    pg_session.commit()
    assert pg_session.get(User, account.id).password_hash != weak
    assert "m=19456" in pg_session.get(User, account.id).password_hash


def test_a_deactivated_account_cannot_log_in(pg_session, throttle, account):
    account.is_active = False
    pg_session.commit()
    with pytest.raises(LoginRefused, match="deactivated"):
        log_in(pg_session, throttle, attempt(PASSWORD))


def test_two_admins_demoting_each_other_at_once_leave_one_admin(pg_only_engine):
    with Session(pg_only_engine) as session:
        a = make_user(session, "a@example.com", name="A", role="admin")
        b = make_user(session, "b@example.com", name="B", role="admin")
        session.commit()
        admins = (identity_for(a), identity_for(b))
    barrier = threading.Barrier(2)
    outcomes = []

    def demote(actor, target):
        with Session(pg_only_engine) as session:
            barrier.wait()
            try:
                change_role(session, actor, target.user_id, "user")
                session.commit()
                outcomes.append("demoted")
            except DomainError:
                session.rollback()
                outcomes.append("refused")
            except Exception as unexpected:  # a deadlock or any other crash must show in the assert
                session.rollback()
                outcomes.append(f"crashed: {unexpected!r}")

    threads = [
        threading.Thread(target=demote, args=(admins[0], admins[1])),
        threading.Thread(target=demote, args=(admins[1], admins[0])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["demoted", "refused"]
    with Session(pg_only_engine) as session:
        assert len(session.exec(select(User).where(User.role == "admin")).all()) == 1
