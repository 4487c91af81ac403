"""The rules for sessions that every transport shares (browser state and the HTTP API): how
long tokens live, how many failed logins are allowed, and opening a session for a user."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from moviebook.config import get_settings
from moviebook.models import User
from moviebook.services.throttle import LoginLimits
from moviebook.services.tokens import Identity, TokenPair, TokenPolicy, start_session


def token_policy() -> TokenPolicy:
    settings = get_settings()
    return TokenPolicy(
        secret_key=settings.secret_key,
        access_ttl=timedelta(minutes=settings.access_token_minutes),
        refresh_ttl=timedelta(days=settings.refresh_token_days),
    )


def login_limits() -> LoginLimits:
    settings = get_settings()
    return LoginLimits(
        max_per_account=settings.login_max_failures,
        max_per_address=settings.login_max_failures_per_ip,
        max_per_account_everywhere=settings.login_max_failures_per_account,
        window_seconds=settings.login_window_seconds,
    )


def open_session(session: Session, user: User, ip: str) -> tuple[TokenPair, Identity]:
    """A new session (an ``auth_sessions`` row) for a user who just logged in or signed up."""
    pair = start_session(session, user, token_policy(), ip=ip)
    return pair, Identity(user_id=user.id, name=user.name, role=user.role, session_id=pair.session_id)
