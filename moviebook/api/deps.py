"""The caller, declared once and used by every route (as the state guard does for handlers).

``Caller`` resolves the bearer token against ``auth_sessions`` on every request, so a revoked
session, a deactivated account or a changed role applies at once, as in the browser. ``Staff``
and ``Admin`` add the role check; the services check it again themselves.
"""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from moviebook.api.problems import ApiProblem
from moviebook.api.rate_limits import check_rate
from moviebook.db import session_scope
from moviebook.models import Role
from moviebook.services.roles import has_role
from moviebook.services.session_policy import token_policy
from moviebook.services.tokens import Identity, TokenRejected, identity_from_access

_bearer = HTTPBearer(auto_error=False, description="An access token from POST /auth/login.")


def client_address(request: Request) -> str:
    """The caller's address, with X-Forwarded-For trusted exactly as far as Reflex trusts it."""
    from reflex.config import get_config  # the one Reflex setting the API honours: proxy hops

    address = request.client.host if request.client else "0.0.0.0"
    hops = get_config().trusted_proxy_hops
    if hops:
        forwarded = [ip.strip() for ip in request.headers.get("x-forwarded-for", "").split(",") if ip.strip()]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    return address


def _unauthenticated(detail: str) -> ApiProblem:
    return ApiProblem(401, "unauthenticated", detail, headers={"WWW-Authenticate": 'Bearer realm="moviebook"'})


def _resolve(token: str) -> Identity:
    with session_scope() as session:
        return identity_from_access(session, token, token_policy())


def rate_limited(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """Every request counts against its address, and one with a token against that token too
    (hashed: a token is never a Redis key in clear)."""
    token = credentials.credentials if credentials else ""
    check_rate(
        "api-address",
        client_address(request),
        extra=("api-token", hashlib.sha256(token.encode()).hexdigest()) if token else None,
    )


def optional_caller(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Identity | None:
    """The caller when a token is sent (a bad one is refused, never taken for a guest)."""
    token = credentials.credentials if credentials else ""
    if not token:
        return None
    try:
        return _resolve(token)
    except TokenRejected as refused:
        raise _unauthenticated(str(refused)) from refused


def caller(identity: Annotated[Identity | None, Depends(optional_caller)]) -> Identity:
    if identity is None:
        raise _unauthenticated("Log in first: send an access token as 'Authorization: Bearer <token>'.")
    return identity


def _at_least(role: Role):
    def check(identity: Annotated[Identity, Depends(caller)]) -> Identity:
        if not has_role(identity.role, role.value):
            raise ApiProblem(403, "forbidden", "Your account is not allowed to do that.")
        return identity

    check.required_role = role.value  # read by the tests that call every route as the wrong role
    return check


MaybeCaller = Annotated[Identity | None, Depends(optional_caller)]
Caller = Annotated[Identity, Depends(caller)]
Staff = Annotated[Identity, Depends(_at_least(Role.STAFF))]
Admin = Annotated[Identity, Depends(_at_least(Role.ADMIN))]
Address = Annotated[str, Depends(client_address)]
