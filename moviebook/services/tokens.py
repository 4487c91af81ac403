"""Session tokens (PyJWT): a short-lived access token and a rotating refresh token.

Both name a row of ``auth_sessions``; the row, not the signature alone, decides whether a token
is honoured. So a token stops working the moment its session is revoked (logout, password
change, deactivation), and a refresh token presented twice revokes its whole session.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import jwt
from sqlmodel import Session, col, select

from moviebook.models import AuthSession, User
from moviebook.services.errors import DomainError

ALGORITHM = "HS256"  # the only algorithm accepted on decode: no "none", no key confusion
ACCESS = "access"
REFRESH = "refresh"
ISSUER = "moviebook"
# Two tabs may refresh with the same token at once; the loser gets the current pair back.
REFRESH_GRACE = timedelta(seconds=15)


class TokenRejected(DomainError):
    """The token cannot be honoured; the visitor is treated as signed out."""


@dataclass(frozen=True)
class TokenPolicy:
    secret_key: str
    access_ttl: timedelta = timedelta(minutes=15)
    refresh_ttl: timedelta = timedelta(days=14)


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    session_id: str


@dataclass(frozen=True)
class Identity:
    """Who is calling, as the server knows it right now (role read from the database)."""

    user_id: int
    name: str
    role: str
    session_id: str


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)


def _encode(
    policy: TokenPolicy,
    *,
    kind: str,
    user_id: int,
    session_id: str,
    ttl: timedelta,
    now: datetime,
    jti: str | None = None,
) -> str:
    claims = {
        "iss": ISSUER,
        "sub": str(user_id),
        "sid": session_id,
        "typ": kind,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
    }
    if jti:
        claims["jti"] = jti
    return jwt.encode(claims, policy.secret_key, algorithm=ALGORITHM)


def decode_token(token: str, policy: TokenPolicy, expected_type: str) -> dict:
    """The verified claims of a token of the expected type, or TokenRejected.

    Expiry is checked against the real clock; tests make expired tokens by minting them with
    an earlier ``now``.
    """
    if not token or not isinstance(token, str) or len(token) > 4096:
        raise TokenRejected("No valid session.")
    try:
        claims = jwt.decode(
            token,
            policy.secret_key,
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "sid", "typ", "iss"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenRejected("Your session has expired. Please sign in again.") from exc
    except jwt.PyJWTError as exc:
        raise TokenRejected("Your session is not valid. Please sign in again.") from exc
    if claims["typ"] != expected_type or not str(claims["sub"]).isdecimal():
        raise TokenRejected("Your session is not valid. Please sign in again.")
    if expected_type == REFRESH and not claims.get("jti"):
        raise TokenRejected("Your session is not valid. Please sign in again.")
    return claims


def _pair(policy: TokenPolicy, row: AuthSession, now: datetime) -> TokenPair:
    return TokenPair(
        access=_encode(policy, kind=ACCESS, user_id=row.user_id, session_id=row.id, ttl=policy.access_ttl, now=now),
        refresh=_encode(
            policy,
            kind=REFRESH,
            user_id=row.user_id,
            session_id=row.id,
            ttl=min(policy.refresh_ttl, row.expires_at - now),
            now=now,
            jti=row.refresh_jti,
        ),
        session_id=row.id,
    )


def start_session(
    session: Session, user: User, policy: TokenPolicy, *, ip: str | None = None, now: datetime | None = None
) -> TokenPair:
    now = _now(now)
    row = AuthSession(
        id=secrets.token_hex(16),
        user_id=user.id,
        refresh_jti=secrets.token_hex(16),
        expires_at=now + policy.refresh_ttl,
        ip_address=(ip or None) and ip[:45],
    )
    session.add(row)
    session.flush()
    return _pair(policy, row, now)


def _live_session(session: Session, claims: dict, now: datetime) -> tuple[AuthSession, User]:
    row = session.get(AuthSession, claims["sid"])
    if row is None or row.user_id != int(claims["sub"]):
        raise TokenRejected("Your session is not valid. Please sign in again.")
    if row.revoked_at is not None:
        raise TokenRejected("You have been signed out. Please sign in again.")
    if row.expires_at <= now:
        raise TokenRejected("Your session has expired. Please sign in again.")
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise TokenRejected("This account is not active.")
    return row, user


def identity_from_access(session: Session, token: str, policy: TokenPolicy, now: datetime | None = None) -> Identity:
    claims = decode_token(token, policy, ACCESS)
    row, user = _live_session(session, claims, _now(now))
    return Identity(user_id=user.id, name=user.name, role=user.role, session_id=row.id)


def refresh_session(
    session: Session, token: str, policy: TokenPolicy, now: datetime | None = None
) -> tuple[TokenPair, Identity]:
    """Rotate: a new pair for a current refresh token; a replayed one revokes the session."""
    now = _now(now)
    claims = decode_token(token, policy, REFRESH)
    row, user = _live_session(session, claims, now)
    # Lock the row so two concurrent refreshes cannot both rotate (PostgreSQL; SQLite
    # serialises writers anyway).
    row = session.exec(select(AuthSession).where(AuthSession.id == row.id).with_for_update()).one()
    if claims["jti"] == row.refresh_jti:
        row.previous_refresh_jti, row.refresh_jti, row.rotated_at = row.refresh_jti, secrets.token_hex(16), now
    elif not (claims["jti"] == row.previous_refresh_jti and row.rotated_at and now - row.rotated_at <= REFRESH_GRACE):
        revoke_session(session, row.id, "refresh_reuse", now=now)
        session.commit()  # the revocation must stick even though the caller sees an error
        raise TokenRejected("This session was signed out for your safety. Please sign in again.")
    session.flush()
    identity = Identity(user_id=user.id, name=user.name, role=user.role, session_id=row.id)
    return _pair(policy, row, now), identity


def revoke_session(session: Session, session_id: str, reason: str, now: datetime | None = None) -> None:
    row = session.get(AuthSession, session_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at, row.revoked_reason = _now(now), reason
        session.flush()


def revoke_user_sessions(
    session: Session, user_id: int, reason: str, *, keep: str | None = None, now: datetime | None = None
) -> int:
    """End every live session of a user (but ``keep``); returns how many were ended."""
    query = select(AuthSession).where(AuthSession.user_id == user_id, col(AuthSession.revoked_at).is_(None))
    if keep:
        query = query.where(AuthSession.id != keep)
    rows = session.exec(query).all()
    for row in rows:
        row.revoked_at, row.revoked_reason = _now(now), reason
    session.flush()
    return len(rows)
