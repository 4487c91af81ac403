"""Accounts: signing up, logging in, and changing one's own name and password."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from moviebook.models import Role, User, utcnow
from moviebook.services import audit
from moviebook.services.errors import DomainError, FormInvalid, TooManyRequests
from moviebook.services.holds import HoldStore
from moviebook.services.passwords import (
    hash_password,
    password_context,
    password_problem,
    verify_and_rehash,
)
from moviebook.services.throttle import LoginThrottle
from moviebook.services.tokens import revoke_session, revoke_user_sessions
from moviebook.services.waiting_list import seats_came_free

MAX_NAME_LENGTH = 120
MAX_EMAIL_LENGTH = 254
# Deliberately loose: something@something.tld. The only real test of an address is mail.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")

# One message for an unknown email and a wrong password, so the form does not reveal which
# addresses have accounts.
WRONG_CREDENTIALS = "Wrong email or password."


class LoginRefused(DomainError):
    pass


class LoginLocked(TooManyRequests):
    def __init__(self, seconds: int):
        minutes = max(1, round(seconds / 60))
        super().__init__(
            f"Too many failed attempts. For your safety, logging in is paused for about "
            f"{minutes} minute{'s' if minutes != 1 else ''}.",
            seconds,
        )


class LoginSlowed(TooManyRequests):
    """Many accounts failed from this address: it must wait a few seconds between attempts."""

    def __init__(self, seconds: int):
        super().__init__(
            f"Many sign-in attempts are coming from your network. Please wait {seconds} "
            f"second{'s' if seconds != 1 else ''} and try again.",
            seconds,
        )


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _name_problem(name: str) -> str | None:
    if not name:
        return "Enter your name."
    if len(name) > MAX_NAME_LENGTH:
        return f"Use at most {MAX_NAME_LENGTH} characters."
    return None


def is_valid_email(email: str) -> bool:
    """An address of the usual shape (name@example.com), no longer than the column holds."""
    return len(email) <= MAX_EMAIL_LENGTH and bool(_EMAIL.match(email))


def email_problem(email: str) -> str | None:
    if not email:
        return "Enter your email address."
    if not is_valid_email(email):
        return "Enter a valid email address, like name@example.com."
    return None


def email_taken(session: Session, email: str) -> bool:
    return session.exec(select(User.id).where(User.email == email)).first() is not None


def register_user(
    session: Session, *, name: str, email: str, password: str, confirm: str, ip: str | None = None
) -> User:
    name, email = (name or "").strip(), normalise_email(email)
    errors = {
        field: problem
        for field, problem in (
            ("name", _name_problem(name)),
            ("email", email_problem(email)),
            ("password", password_problem(password or "")),
            ("confirm", None if password == confirm else "The passwords do not match."),
        )
        if problem
    }
    if "email" not in errors and email_taken(session, email):
        errors["email"] = "An account with this email already exists. Log in instead?"
    if errors:
        raise FormInvalid(errors)
    user = User(name=name, email=email, password_hash=hash_password(password), role=Role.USER.value)
    session.add(user)
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:  # someone registered the same email a moment ago
        session.rollback()
        raise FormInvalid({"email": "An account with this email already exists. Log in instead?"}) from exc
    audit.record(
        session, "user.signup", actor_id=user.id, entity_type="user", entity_id=user.id, new={"email": email}, ip=ip
    )
    return user


@dataclass(frozen=True)
class LoginAttempt:
    email: str
    password: str
    ip: str


def log_in(session: Session, throttle: LoginThrottle, attempt: LoginAttempt) -> User:
    """The user behind the credentials, or LoginRefused / LoginLocked. Every attempt is audited."""
    email = normalise_email(attempt.email)
    wait = throttle.wait(email, attempt.ip)
    if wait is not None:
        action = "login.slowed" if wait.slowed_address else "login.locked"
        audit.record(session, action, actor_id=None, entity_type="user", new={"email": email[:254]}, ip=attempt.ip)
        session.commit()
        raise (LoginSlowed if wait.slowed_address else LoginLocked)(wait.seconds)
    user = session.exec(select(User).where(User.email == email)).first() if email else None
    valid, new_hash = (False, None)
    if user is not None and attempt.password:
        valid, new_hash = verify_and_rehash(attempt.password[:1024], user.password_hash)
    else:
        password_context.dummy_verify()  # same work as a real check: timing reveals no accounts
    if not valid or not user.is_active:
        throttle.record_failure(email, attempt.ip)
        audit.record(
            session,
            "login.failed",
            actor_id=user.id if user else None,
            entity_type="user",
            entity_id=user.id if user else None,
            new={"email": email[:254]},
            ip=attempt.ip,
        )
        # Committed here because the caller's transaction rolls back on the error we raise,
        # and a failed attempt must stay on the record.
        session.commit()
        if not valid:
            raise LoginRefused(WRONG_CREDENTIALS)
        raise LoginRefused("This account has been deactivated. Contact the cinema if this is a mistake.")
    if new_hash:  # the hashing parameters went up since this hash was made
        user.password_hash = new_hash
    throttle.clear_account(email, attempt.ip)
    audit.record(session, "login.succeeded", actor_id=user.id, entity_type="user", entity_id=user.id, ip=attempt.ip)
    session.flush()
    return user


def log_out(session: Session, store: HoldStore, *, user_id: int, session_id: str) -> list[int]:
    """End this session and put every seat the user holds back on sale.

    Returns the showtimes whose seats changed, so their open seat maps can be told."""
    revoke_session(session, session_id, "logout")
    showtimes = store.release_everywhere(user_id)
    for showtime_id in showtimes:  # seats come free: the waiting lists hear of it
        seats_came_free(session, showtime_id, store=store)
    return showtimes


def account_email(session: Session, user_id: int) -> str:
    """The user's own email address, for their account page."""
    user = session.get(User, user_id)
    return user.email if user is not None else ""


def change_name(session: Session, user_id: int, name: str) -> User:
    name = (name or "").strip()
    problem = _name_problem(name)
    if problem:
        raise FormInvalid({"name": problem})
    user = session.get(User, user_id)
    user.name, user.updated_at = name, utcnow()
    session.flush()
    return user


def change_password(
    session: Session,
    user_id: int,
    *,
    current: str,
    new: str,
    confirm: str,
    keep_session: str | None = None,
    ip: str | None = None,
) -> None:
    """Change the password and sign out every other session of the user."""
    user = session.get(User, user_id)
    errors = {}
    valid, _ = verify_and_rehash((current or "")[:1024], user.password_hash) if current else (False, None)
    if not valid:
        errors["current"] = "That is not your current password."
    problem = password_problem(new or "")
    if problem:
        errors["new"] = problem
    elif new != confirm:
        errors["confirm"] = "The passwords do not match."
    if errors:
        raise FormInvalid(errors)
    user.password_hash, user.updated_at = hash_password(new), utcnow()
    revoke_user_sessions(session, user.id, "password_changed", keep=keep_session)
    audit.record(session, "user.password_changed", actor_id=user.id, entity_type="user", entity_id=user.id, ip=ip)
    session.flush()


def create_admin_user(session: Session, *, email: str, name: str, password: str, via: str = "cli") -> User:
    """For the ``create-admin`` command and the first seed: a new admin, or an existing account promoted.
    The same checks as sign-up, so ``ADMIN_PASSWORD=admin`` is refused rather than quietly accepted."""
    email = normalise_email(email)
    problem = email_problem(email) or password_problem(password or "") or _name_problem(name.strip())
    if problem:
        raise DomainError(problem)
    user = session.exec(select(User).where(User.email == email)).first()
    old = None
    if user is None:
        user = User(name=name.strip(), email=email, password_hash=hash_password(password), role=Role.ADMIN.value)
        session.add(user)
    else:
        old = {"role": user.role, "is_active": user.is_active}
        user.role, user.is_active, user.password_hash = Role.ADMIN.value, True, hash_password(password)
    session.flush()
    audit.record(
        session,
        "user.create_admin",
        actor_id=None,
        entity_type="user",
        entity_id=user.id,
        old=old,
        new={"email": email, "role": Role.ADMIN.value, "via": via},
    )
    return user
