"""Account recovery and email verification on real PostgreSQL and Redis: the reset link (single
use, 30 minutes, hashed, throttled, the same answer and time for unknown emails), the
verification link at sign-up, and a change of email confirmed at the new address."""

from __future__ import annotations

import re
import statistics
import time
from datetime import timedelta

import pytest
from sqlmodel import select

from moviebook.models import AuditEntry, AuthSession, OutboxMessage, User, UserToken, utcnow
from moviebook.services.account_mail import (
    BAD_LINK,
    RESET_ANSWER,
    ResetLimits,
    request_email_change,
    request_password_reset,
    reset_password,
    sign_up,
    verify_email,
)
from moviebook.services.errors import DomainError, FormInvalid
from moviebook.services.passwords import verify_password
from moviebook.services.session_policy import token_policy
from moviebook.services.tokens import start_session
from tests.factories import make_user

NEW_PASSWORD = "a brand new passphrase"


def _link_in(session, kind: str, to: str) -> str:
    row = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.kind == kind, OutboxMessage.to_address == to)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert row is not None, f"no {kind} mail to {to}"
    return re.search(r"token=([\w-]+)", row.body_text).group(1)


def _ask(session, redis_client, email, ip="198.51.100.7", **kw):
    answer = request_password_reset(session, redis_client, email=email, ip=ip, floor_seconds=kw.pop("floor", 0), **kw)
    session.commit()
    return answer


def test_a_reset_link_works_once_and_ends_every_session(pg_session, redis_client):
    user = make_user(pg_session, "lost@example.com", password="the old password")
    pg_session.commit()
    for _ in range(2):
        start_session(pg_session, user, token_policy(), ip="1.2.3.4")
    pg_session.commit()
    assert _ask(pg_session, redis_client, " Lost@Example.com ") == RESET_ANSWER
    token = _link_in(pg_session, "password_reset", "lost@example.com")
    stored = pg_session.exec(select(UserToken)).one()
    assert stored.token_hash != token and len(stored.token_hash) == 64  # only the hash is kept
    with pytest.raises(FormInvalid):
        reset_password(pg_session, token=token, new="short", confirm="short")
    reset_password(pg_session, token=token, new=NEW_PASSWORD, confirm=NEW_PASSWORD)
    pg_session.commit()
    pg_session.refresh(user)
    assert verify_password(NEW_PASSWORD, user.password_hash)
    assert all(s.revoked_at is not None for s in pg_session.exec(select(AuthSession)).all())
    assert "user.password_reset" in pg_session.exec(select(AuditEntry.action)).all()
    with pytest.raises(DomainError, match=re.escape(BAD_LINK)):
        reset_password(pg_session, token=token, new="another fine phrase", confirm="another fine phrase")


def test_wrong_expired_and_superseded_tokens_are_refused(pg_session, redis_client):
    make_user(pg_session, "who@example.com")
    pg_session.commit()
    for bad in ("", "x" * 40, None, 12345, "../../etc"):
        with pytest.raises(DomainError, match=re.escape(BAD_LINK)):
            reset_password(pg_session, token=bad, new=NEW_PASSWORD, confirm=NEW_PASSWORD)
    _ask(pg_session, redis_client, "who@example.com")
    first = _link_in(pg_session, "password_reset", "who@example.com")
    _ask(pg_session, redis_client, "who@example.com")
    second = _link_in(pg_session, "password_reset", "who@example.com")
    with pytest.raises(DomainError):  # a newer link replaces the older one
        reset_password(pg_session, token=first, new=NEW_PASSWORD, confirm=NEW_PASSWORD)
    pg_session.rollback()
    with pytest.raises(DomainError):  # 31 minutes later it has expired
        reset_password(
            pg_session, token=second, new=NEW_PASSWORD, confirm=NEW_PASSWORD, now=utcnow() + timedelta(minutes=31)
        )
    pg_session.rollback()
    reset_password(
        pg_session, token=second, new=NEW_PASSWORD, confirm=NEW_PASSWORD, now=utcnow() + timedelta(minutes=29)
    )


def test_unknown_emails_get_the_same_answer_and_no_mail(pg_session, redis_client):
    assert _ask(pg_session, redis_client, "nobody@example.com") == RESET_ANSWER
    assert pg_session.exec(select(OutboxMessage)).all() == []


def test_asking_is_throttled_per_account_and_per_address(pg_session, redis_client):
    make_user(pg_session, "popular@example.com")
    pg_session.commit()
    limits = ResetLimits(per_account=3, per_address=5, window_seconds=60)
    for i in range(6):  # six addresses, one account: only three mails
        assert _ask(pg_session, redis_client, "popular@example.com", ip=f"203.0.113.{i}", limits=limits) == RESET_ANSWER
    assert len(pg_session.exec(select(OutboxMessage)).all()) == 3
    other = make_user(pg_session, "quiet@example.com")
    pg_session.commit()
    for i in range(5):  # one address asking about many accounts is stopped after five
        _ask(pg_session, redis_client, f"probe{i}@example.com", ip="192.0.2.9", limits=limits)
    _ask(pg_session, redis_client, other.email, ip="192.0.2.9", limits=limits)
    assert pg_session.exec(select(OutboxMessage).where(OutboxMessage.to_address == other.email)).all() == []
    _ask(pg_session, redis_client, other.email, ip="192.0.2.10", limits=limits)  # from elsewhere it still works
    assert len(pg_session.exec(select(OutboxMessage).where(OutboxMessage.to_address == other.email)).all()) == 1


def test_known_and_unknown_emails_take_the_same_time(pg_session, redis_client):
    make_user(pg_session, "timed@example.com")
    pg_session.commit()
    limits = ResetLimits(per_account=1000, per_address=1000, window_seconds=60)

    def timed(email):
        started = time.perf_counter()
        request_password_reset(pg_session, redis_client, email=email, ip="10.9.8.7", limits=limits, floor_seconds=0.2)
        pg_session.commit()
        return time.perf_counter() - started

    known = [timed("timed@example.com") for _ in range(15)]
    unknown = [timed(f"ghost{i}@example.com") for i in range(15)]
    # Both paths are padded to the same floor; what is left is noise, far below what a
    # remote guesser could see through a network.
    assert abs(statistics.median(known) - statistics.median(unknown)) < 0.05, (known, unknown)


def test_sign_up_sends_a_verification_link_and_opening_it_verifies(pg_session, redis_client):
    user = sign_up(
        pg_session, redis_client, name="New", email="new@example.com", password=NEW_PASSWORD, confirm=NEW_PASSWORD
    )
    pg_session.commit()
    assert user.email_verified_at is None
    token = _link_in(pg_session, "verify_email", "new@example.com")
    assert "confirmed" in verify_email(pg_session, token=token)
    pg_session.commit()
    pg_session.refresh(user)
    assert user.email_verified_at is not None
    with pytest.raises(DomainError):
        verify_email(pg_session, token=token)


def test_a_change_of_email_takes_effect_at_the_new_address_and_the_old_one_is_told(pg_session):
    user = make_user(pg_session, "old@example.com", password="the old password")
    make_user(pg_session, "taken@example.com")
    pg_session.commit()
    with pytest.raises(FormInvalid) as refused:
        request_email_change(pg_session, user_id=user.id, new_email="taken@example.com", password="wrong")
    assert set(refused.value.errors) == {"new_email", "password"}
    request_email_change(pg_session, user_id=user.id, new_email="New@Example.com", password="the old password")
    pg_session.commit()
    assert pg_session.get(User, user.id).email == "old@example.com"  # not yet
    notice = pg_session.exec(select(OutboxMessage).where(OutboxMessage.kind == "email_change_requested")).one()
    assert notice.to_address == "old@example.com" and "new@example.com" in notice.body_text
    token = _link_in(pg_session, "change_email", "new@example.com")
    assert verify_email(pg_session, token=token) == "Your email is now new@example.com."
    pg_session.commit()
    pg_session.refresh(user)
    assert user.email == "new@example.com" and user.email_verified_at is not None
    changed = pg_session.exec(select(OutboxMessage).where(OutboxMessage.kind == "email_changed")).one()
    assert changed.to_address == "old@example.com"
