"""``/auth/*`` and ``/me``: the same sessions, throttle and audit as the browser's forms.

A token pair from here works in the browser and the browser's in here: both are rows of
``auth_sessions``, so logging out (or a refresh token presented twice) ends the session in
both places.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from moviebook.api.deps import Address, Caller
from moviebook.api.problems import Problem
from moviebook.api.schemas import MeOut, Message, TokenPairOut, text
from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import User
from moviebook.redis_client import get_redis
from moviebook.services.account_mail import sign_up
from moviebook.services.accounts import LoginAttempt, log_in, log_out
from moviebook.services.holds import hold_store
from moviebook.services.session_policy import login_limits, open_session, token_policy
from moviebook.services.throttle import LoginThrottle
from moviebook.services.tokens import TokenPair, refresh_session, revoke_session

router = APIRouter(tags=["auth"])

REFUSALS = {401: {"model": Problem}, 422: {"model": Problem}, 429: {"model": Problem}}


class RegisterIn(BaseModel):
    name: text(200)
    email: text(300)
    password: str = Field(max_length=1024)  # hashed, never stored: any character may be in it


class LoginIn(BaseModel):
    email: text(300)
    password: str = Field(max_length=1024)


class RefreshIn(BaseModel):
    refresh_token: text(2048)


def _pair_out(pair: TokenPair) -> TokenPairOut:
    return TokenPairOut(
        access_token=pair.access,
        refresh_token=pair.refresh,
        expires_in=get_settings().access_token_minutes * 60,
    )


@router.post("/auth/register", status_code=201, response_model=TokenPairOut, responses=REFUSALS)
def register(body: RegisterIn, address: Address) -> TokenPairOut:
    """Create a moviegoer account (a verification email is sent) and log it in. At most
    `SIGNUPS_PER_ADDRESS_HOUR` per client address per hour (then 429 with Retry-After)."""
    with session_scope() as session:
        user = sign_up(
            session,
            get_redis(),
            name=body.name,
            email=body.email,
            password=body.password,
            confirm=body.password,
            ip=address,
        )
        pair, _identity = open_session(session, user, address)
    return _pair_out(pair)


@router.post("/auth/login", response_model=TokenPairOut, responses=REFUSALS)
def login(body: LoginIn, address: Address) -> TokenPairOut:
    """Exchange an email and password for tokens. Failures count against the account and the
    address, as on the login page; too many give 429 with Retry-After."""
    with session_scope() as session:
        user = log_in(
            session, LoginThrottle(get_redis(), login_limits()), LoginAttempt(body.email, body.password, address)
        )
        pair, _identity = open_session(session, user, address)
    return _pair_out(pair)


@router.post("/auth/refresh", response_model=TokenPairOut, responses=REFUSALS)
def refresh(body: RefreshIn) -> TokenPairOut:
    """Rotate the pair. A refresh token works once: presented again, it ends the session."""
    with session_scope() as session:
        pair, _identity = refresh_session(session, body.refresh_token, token_policy())
    return _pair_out(pair)


def _log_out(me) -> list[int]:
    with session_scope() as session:
        return log_out(session, hold_store(), user_id=me.user_id, session_id=me.session_id)


@router.post("/auth/logout", status_code=204, response_class=Response, responses=REFUSALS)
def logout(me: Caller) -> Response:
    """End this session everywhere it is used; seats it held go back on sale."""
    _log_out(me)
    return Response(status_code=204)


@router.get("/me", response_model=MeOut, responses=REFUSALS)
def who_am_i(me: Caller) -> MeOut:
    with session_scope() as session:
        user = session.get(User, me.user_id)
        return MeOut(
            id=user.id,
            name=user.name,
            email=user.email,
            role=user.role,
            email_verified=user.email_verified_at is not None,
        )


__all__ = ["router", "Message", "revoke_session"]
