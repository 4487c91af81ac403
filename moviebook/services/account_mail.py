"""Accounts by email: password reset, email verification and changing the email address.

Every link carries a random token (256 bits) that is stored only as its SHA-256, works once,
and expires: a reset after 30 minutes, a verification after 2 days, a change of email after a
day. Asking for a reset gives the same answer, and takes the same time, whether or not the
email has an account, and it is throttled per address and per account.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from moviebook.config import get_settings
from moviebook.models import TokenPurpose, User, UserToken, utcnow
from moviebook.services import audit, outbox
from moviebook.services.accounts import email_problem, email_taken, normalise_email, register_user
from moviebook.services.errors import DomainError, FormInvalid, TooManyRequests
from moviebook.services.mail_render import render
from moviebook.services.passwords import hash_password, password_problem, verify_and_rehash
from moviebook.services.throttle import RateLimit
from moviebook.services.tokens import revoke_user_sessions

LIFETIMES = {
    TokenPurpose.RESET_PASSWORD: timedelta(minutes=30),
    TokenPurpose.VERIFY_EMAIL: timedelta(days=2),
    TokenPurpose.CHANGE_EMAIL: timedelta(days=1),
}
RESET_ANSWER = (
    "If an account uses that email, we have sent it a link to choose a new password. It works for 30 minutes."
)
BAD_LINK = "This link is invalid, used or expired. Ask for a new one."
# Every reset request takes at least this long, so the known and unknown paths look alike.
RESET_FLOOR_SECONDS = 0.35


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _issue(session: Session, user_id: int, purpose: TokenPurpose, now: datetime, new_email: str | None = None) -> str:
    """A new token of this purpose; earlier unused ones of the same purpose stop working."""
    session.exec(
        sa.update(UserToken)
        .where(UserToken.user_id == user_id, UserToken.purpose == purpose.value, col(UserToken.used_at).is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    session.add(
        UserToken(
            user_id=user_id,
            purpose=purpose.value,
            token_hash=_digest(token),
            new_email=new_email,
            expires_at=now + LIFETIMES[purpose],
        )
    )
    return token


def _redeem(session: Session, token: object, purpose: TokenPurpose, now: datetime) -> UserToken:
    """The live token row (locked, then marked used), or DomainError(BAD_LINK)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        raise DomainError(BAD_LINK)
    row = session.exec(
        select(UserToken)
        .where(UserToken.token_hash == _digest(token), UserToken.purpose == purpose.value)
        .with_for_update()
    ).first()
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise DomainError(BAD_LINK)
    row.used_at = now
    return row


def _link(path: str, token: str) -> str:
    return f"{get_settings().site_url}{path}?token={token}"


@dataclass(frozen=True)
class ResetLimits:
    per_account: int = 3
    per_address: int = 10
    window_seconds: int = 900


def request_password_reset(
    session: Session,
    redis_client,
    *,
    email: str,
    ip: str,
    limits: ResetLimits = ResetLimits(),
    now: datetime | None = None,
    floor_seconds: float = RESET_FLOOR_SECONDS,
) -> str:
    """Mail a reset link if the email has an active account; the answer is always the same."""
    started = time.monotonic()
    now = now or utcnow()
    email = normalise_email(email)[:254]
    by_address = RateLimit(redis_client, "reset-ip", limits.per_address, limits.window_seconds)
    by_account = RateLimit(redis_client, "reset-account", limits.per_account, limits.window_seconds)
    allowed = by_address.allow(ip or "unknown") & by_account.allow(email)  # both counted, always
    user = session.exec(select(User).where(User.email == email)).first() if email and allowed else None
    token = secrets.token_urlsafe(32)  # made on both paths: the same work whatever the email
    if user is not None and user.is_active:
        token = _issue(session, user.id, TokenPurpose.RESET_PASSWORD, now)
        mail = render(
            "password_reset", user.email, "Choose a new password", name=user.name, link=_link("/reset-password", token)
        )
        outbox.enqueue(session, "password_reset", mail)
        audit.record(session, "user.reset_requested", actor_id=None, entity_type="user", entity_id=user.id, ip=ip)
    elif not allowed:
        audit.record(session, "user.reset_throttled", actor_id=None, entity_type="user", new={"email": email}, ip=ip)
    session.flush()
    time.sleep(max(0.0, floor_seconds - (time.monotonic() - started)))
    return RESET_ANSWER


def reset_password(
    session: Session, *, token: object, new: str, confirm: str, ip: str | None = None, now: datetime | None = None
) -> User:
    """Set a new password from a reset link, and end every session of the account."""
    now = now or utcnow()
    problem = password_problem(new or "")
    errors = {"new": problem} if problem else {"confirm": "The passwords do not match."} if new != confirm else {}
    if errors:
        raise FormInvalid(errors)
    row = _redeem(session, token, TokenPurpose.RESET_PASSWORD, now)
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise DomainError(BAD_LINK)
    user.password_hash, user.updated_at = hash_password(new), now
    ended = revoke_user_sessions(session, user.id, "password_reset", now=now)
    # The link came to this inbox, so the address is proven too.
    user.email_verified_at = user.email_verified_at or now
    audit.record(
        session,
        "user.password_reset",
        actor_id=user.id,
        entity_type="user",
        entity_id=user.id,
        new={"sessions_ended": ended},
        ip=ip,
    )
    session.flush()
    return user


def send_verification(session: Session, user: User, *, now: datetime | None = None) -> None:
    token = _issue(session, user.id, TokenPurpose.VERIFY_EMAIL, now or utcnow())
    mail = render(
        "verify_email", user.email, "Confirm your email address", name=user.name, link=_link("/verify-email", token)
    )
    outbox.enqueue(session, "verify_email", mail)


SIGNUP_WINDOW_SECONDS = 3600


class SignupsThrottled(TooManyRequests):
    pass


def sign_up(
    session: Session,
    redis_client,
    *,
    name: str,
    email: str,
    password: str,
    confirm: str,
    ip: str | None = None,
    per_address_hour: int | None = None,
) -> User:
    """A new account, with its verification link on the way (booking works before it is used).

    At most ``per_address_hour`` (the ``SIGNUPS_PER_ADDRESS_HOUR`` setting) new accounts per
    client address per hour, so one machine cannot mint accounts to get round per-customer
    limits or to fill the database. Every attempt counts, made or refused."""
    limit = per_address_hour if per_address_hour is not None else get_settings().signups_per_address_hour
    by_address = RateLimit(redis_client, "signup-ip", limit, SIGNUP_WINDOW_SECONDS)
    if wait := by_address.wait_seconds(ip or "unknown"):
        minutes = max(1, round(wait / 60))
        raise SignupsThrottled(
            f"Many accounts have been created from your network in the last hour. Please try again "
            f"in about {minutes} minute{'s' if minutes != 1 else ''}, or log in if you already have one.",
            wait,
        )
    user = register_user(session, name=name, email=email, password=password, confirm=confirm, ip=ip)
    send_verification(session, user)
    return user


def is_verified(session: Session, user_id: int) -> bool:
    return session.exec(select(User.email_verified_at).where(User.id == user_id)).first() is not None


def resend_verification(session: Session, redis_client, user_id: int) -> str:
    user = session.get(User, user_id)
    if user.email_verified_at is not None:
        return "Your email address is already confirmed."
    if not RateLimit(redis_client, "verify-resend", 3, 900).allow(str(user_id)):
        raise DomainError("We have sent several links already. Please check your inbox, or try again in 15 minutes.")
    send_verification(session, user)
    return f"We sent a new link to {user.email}."


def request_email_change(
    session: Session, *, user_id: int, new_email: str, password: str, ip: str | None = None, now: datetime | None = None
) -> str:
    """A change of email takes effect only when the link sent to the new address is opened; the
    old address is told at once, so a stolen session cannot move the account quietly."""
    now = now or utcnow()
    user = session.get(User, user_id)
    new_email = normalise_email(new_email)[:254]
    errors: dict[str, str] = {}
    valid, _ = verify_and_rehash((password or "")[:1024], user.password_hash) if password else (False, None)
    if not valid:
        errors["password"] = "That is not your current password."
    if problem := email_problem(new_email):
        errors["new_email"] = problem
    elif new_email == user.email:
        errors["new_email"] = "That is already your email address."
    elif email_taken(session, new_email):
        errors["new_email"] = "Another account uses that email."
    if errors:
        raise FormInvalid(errors)
    token = _issue(session, user.id, TokenPurpose.CHANGE_EMAIL, now, new_email=new_email)
    outbox.enqueue(
        session,
        "change_email",
        render(
            "change_email",
            new_email,
            "Confirm your new email address",
            name=user.name,
            link=_link("/verify-email", token),
        ),
    )
    outbox.enqueue(
        session,
        "email_change_requested",
        render(
            "email_change_requested",
            user.email,
            "Your email address is being changed",
            name=user.name,
            new_email=new_email,
        ),
    )
    audit.record(
        session,
        "user.email_change_requested",
        actor_id=user.id,
        entity_type="user",
        entity_id=user.id,
        new={"email": new_email},
        ip=ip,
    )
    session.flush()
    return f"We sent a link to {new_email}. Your email changes when you open it."


def verify_email(session: Session, *, token: object, ip: str | None = None, now: datetime | None = None) -> str:
    """Open a link from a verification or change-of-email mail; returns what happened, in words."""
    now = now or utcnow()
    digest = _digest(token) if isinstance(token, str) else ""
    purpose = session.exec(select(UserToken.purpose).where(UserToken.token_hash == digest)).first()
    if purpose == TokenPurpose.CHANGE_EMAIL:
        row = _redeem(session, token, TokenPurpose.CHANGE_EMAIL, now)
        user = session.get(User, row.user_id)
        if email_taken(session, row.new_email):
            raise DomainError("Another account has taken that email meanwhile. Your email is unchanged.")
        old = user.email
        user.email, user.email_verified_at, user.updated_at = row.new_email, now, now
        outbox.enqueue(
            session,
            "email_changed",
            render("email_changed", old, "Your email address was changed", name=user.name, new_email=row.new_email),
        )
        audit.record(
            session,
            "user.email_changed",
            actor_id=user.id,
            entity_type="user",
            entity_id=user.id,
            old={"email": old},
            new={"email": row.new_email},
            ip=ip,
        )
        session.flush()
        return f"Your email is now {row.new_email}."
    row = _redeem(session, token, TokenPurpose.VERIFY_EMAIL, now)
    user = session.get(User, row.user_id)
    user.email_verified_at = user.email_verified_at or now
    audit.record(session, "user.email_verified", actor_id=user.id, entity_type="user", entity_id=user.id, ip=ip)
    session.flush()
    return "Thank you: your email address is confirmed."
