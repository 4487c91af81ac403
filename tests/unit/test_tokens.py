"""Every way a session token can be refused, on SQLite and PostgreSQL."""

from datetime import datetime, timedelta, timezone

import jwt
import pytest
from sqlmodel import select

from moviebook.models import AuthSession, User
from moviebook.services.tokens import (
    ALGORITHM,
    TokenPolicy,
    TokenRejected,
    decode_token,
    identity_from_access,
    refresh_session,
    revoke_session,
    revoke_user_sessions,
    start_session,
)

POLICY = TokenPolicy(secret_key="k" * 48)


@pytest.fixture
def user(session):
    user = User(name="Ada", email="ada@example.com", password_hash="x")
    session.add(user)
    session.commit()
    return user


def test_access_token_names_the_user_with_the_role_from_the_database(session, user):
    pair = start_session(session, user, POLICY)
    session.commit()
    identity = identity_from_access(session, pair.access, POLICY)
    assert (identity.user_id, identity.name, identity.role) == (user.id, "Ada", "user")
    user.role = "staff"  # a promotion shows at the next event, without a new token
    session.commit()
    assert identity_from_access(session, pair.access, POLICY).role == "staff"


def test_claims_are_pinned(session, user):
    pair = start_session(session, user, POLICY)
    claims = jwt.decode(pair.access, POLICY.secret_key, algorithms=[ALGORITHM])
    assert {"exp", "iat", "sub", "sid", "typ", "iss"} <= set(claims)
    assert claims["typ"] == "access" and claims["sub"] == str(user.id)


def _forge(claims: dict, key: str = POLICY.secret_key, algorithm: str = ALGORITHM) -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def test_alg_none_is_refused(session, user):
    pair = start_session(session, user, POLICY)
    claims = jwt.decode(pair.access, POLICY.secret_key, algorithms=[ALGORITHM])
    unsigned = jwt.encode(claims, None, algorithm="none")
    with pytest.raises(TokenRejected):
        decode_token(unsigned, POLICY, "access")


def test_a_token_signed_with_another_key_is_refused(session, user):
    other = start_session(session, user, TokenPolicy(secret_key="z" * 48))
    with pytest.raises(TokenRejected, match="not valid"):
        identity_from_access(session, other.access, POLICY)


def test_an_expired_token_is_refused(session, user):
    old = start_session(session, user, POLICY, now=datetime.now(timezone.utc) - timedelta(hours=1))
    with pytest.raises(TokenRejected, match="expired"):
        identity_from_access(session, old.access, POLICY)


def test_the_wrong_type_is_refused_both_ways(session, user):
    pair = start_session(session, user, POLICY)
    session.commit()
    with pytest.raises(TokenRejected):
        identity_from_access(session, pair.refresh, POLICY)
    with pytest.raises(TokenRejected):
        refresh_session(session, pair.access, POLICY)


def test_missing_claims_and_garbage_are_refused(session, user):
    now = int(datetime.now(timezone.utc).timestamp())
    without_sid = _forge({"iss": "moviebook", "sub": str(user.id), "typ": "access", "iat": now, "exp": now + 60})
    for token in (without_sid, "", "not.a.token", "x" * 5000, None):
        with pytest.raises(TokenRejected):
            identity_from_access(session, token, POLICY)


def test_a_token_for_a_session_of_someone_else_is_refused(session, user):
    pair = start_session(session, user, POLICY)
    session.commit()
    claims = jwt.decode(pair.access, POLICY.secret_key, algorithms=[ALGORITHM])
    claims["sub"] = str(user.id + 1)  # right key, but the session belongs to another user
    with pytest.raises(TokenRejected):
        identity_from_access(session, _forge(claims), POLICY)


def test_a_revoked_session_refuses_its_tokens(session, user):
    pair = start_session(session, user, POLICY)
    session.commit()
    sid = jwt.decode(pair.access, POLICY.secret_key, algorithms=[ALGORITHM])["sid"]
    revoke_session(session, sid, "logout")
    session.commit()
    with pytest.raises(TokenRejected, match="signed out"):
        identity_from_access(session, pair.access, POLICY)
    with pytest.raises(TokenRejected):
        refresh_session(session, pair.refresh, POLICY)


def test_a_deactivated_user_is_refused(session, user):
    pair = start_session(session, user, POLICY)
    user.is_active = False
    session.commit()
    with pytest.raises(TokenRejected, match="not active"):
        identity_from_access(session, pair.access, POLICY)


def test_refresh_rotates_and_a_replayed_refresh_token_revokes_the_session(session, user):
    first = start_session(session, user, POLICY)
    session.commit()
    second, identity = refresh_session(session, first.refresh, POLICY)
    session.commit()
    assert second.refresh != first.refresh and identity.user_id == user.id
    later = datetime.now(timezone.utc) + timedelta(minutes=1)  # past the two-tabs grace window
    with pytest.raises(TokenRejected, match="for your safety"):
        refresh_session(session, first.refresh, POLICY, now=later)
    row = session.exec(select(AuthSession)).one()
    assert row.revoked_reason == "refresh_reuse"
    with pytest.raises(TokenRejected):  # the thief's fresh pair dies with the session too
        identity_from_access(session, second.access, POLICY)


def test_two_tabs_refreshing_together_are_not_taken_for_an_attack(session, user):
    first = start_session(session, user, POLICY)
    session.commit()
    winner, _ = refresh_session(session, first.refresh, POLICY)
    session.commit()
    loser, _ = refresh_session(session, first.refresh, POLICY)  # same token, seconds later
    session.commit()
    assert identity_from_access(session, loser.access, POLICY).user_id == user.id
    assert identity_from_access(session, winner.access, POLICY).user_id == user.id


def test_revoke_user_sessions_can_keep_the_current_one(session, user):
    keep = start_session(session, user, POLICY)
    other = start_session(session, user, POLICY)
    session.commit()
    keep_sid = jwt.decode(keep.access, POLICY.secret_key, algorithms=[ALGORITHM])["sid"]
    assert revoke_user_sessions(session, user.id, "password_changed", keep=keep_sid) == 1
    session.commit()
    assert identity_from_access(session, keep.access, POLICY)
    with pytest.raises(TokenRejected):
        identity_from_access(session, other.access, POLICY)
