"""The API's pass of the attacker test: every endpoint that needs staff or admin is found by
walking the app's routes (so a new one is covered without being listed), then called without a
token, with a moviegoer's token and, for admin ones, with a staff token. Each is refused with a
problem document, and the database is exactly as it was.

The role an endpoint needs is read from its dependencies (``deps.Staff`` / ``deps.Admin`` carry
``required_role``), and a guard fails the run if an ``/admin`` or ``/staff`` path has none, so
forgetting the dependency on a new endpoint is caught here rather than by an attacker.
"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from moviebook.api.app import PREFIX, create_api
from moviebook.api.deps import caller
from moviebook.services.roles import RANK
from tests.integration.api_support import user_with_token
from tests.state_driver import database_fingerprint

APP = create_api()


def _calls(dependant) -> list:
    found = []
    for sub in dependant.dependencies:
        found.append(sub.call)
        found.extend(_calls(sub))
    return found


def required_role(route: APIRoute) -> str | None:
    roles = [getattr(call, "required_role", None) for call in _calls(route.dependant)]
    roles = [role for role in roles if role]
    return max(roles, key=RANK.__getitem__) if roles else None


def needs_caller(route: APIRoute) -> bool:
    return caller in _calls(route.dependant)


def _routes(app) -> list[tuple[str, APIRoute]]:
    """Every endpoint with its full path. FastAPI keeps an included router as one entry of
    ``app.routes`` (``original_router`` holds its own routes), so the walk goes one level down;
    every router is included under PREFIX."""
    found = []
    for entry in app.routes:
        if isinstance(entry, APIRoute):
            found.append((entry.path, entry))
        for route in getattr(getattr(entry, "original_router", None), "routes", []):
            if isinstance(route, APIRoute):
                found.append((PREFIX + route.path, route))
    return [(path, route) for path, route in found if route.include_in_schema]


ROUTES = _routes(APP)
PRIVILEGED = [
    (path, route, method) for path, route in ROUTES if required_role(route) for method in sorted(route.methods)
]


def _url(path: str) -> str:
    # Any id will do: the role check runs before the path is even looked at.
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_admin_and_staff_path_declares_its_role():
    unguarded = [
        path
        for path, route in ROUTES
        if path.startswith(("/api/v1/admin", "/api/v1/staff")) and required_role(route) is None
    ]
    assert unguarded == []
    # The walk itself must find something, or every test below would pass vacuously.
    assert len(PRIVILEGED) >= 20, [path for path, _, _ in PRIVILEGED]
    assert any(required_role(route) == "admin" for _, route, _ in PRIVILEGED)
    assert any(required_role(route) == "staff" for _, route, _ in PRIVILEGED)


def test_every_signed_in_endpoint_refuses_a_guest(api):
    guarded = 0
    for path, route in ROUTES:
        if not needs_caller(route):
            continue
        for method in route.methods:
            response = api.request(method, _url(path), json={})
            assert response.status_code == 401, f"{method} {path}: {response.status_code}"
            guarded += 1
    assert guarded >= 30  # the moviegoer's, staff's and admin's endpoints all need a caller


@pytest.fixture
def tokens(pg_only_engine, api, app_session):
    return {role: user_with_token(api, app_session, role=role)[1] for role in ("user", "staff")}


def test_every_privileged_endpoint_refuses_the_wrong_role_and_changes_nothing(api, tokens, pg_only_engine):
    before = database_fingerprint(pg_only_engine)
    refused = 0
    for path, route, method in PRIVILEGED:
        callers = {"no token": ({}, 401), "moviegoer": (tokens["user"], 403)}
        if required_role(route) == "admin":
            callers["staff"] = (tokens["staff"], 403)
        for who, (headers, status) in callers.items():
            for body in ({}, {"role": "admin", "is_active": True, "reason": "x"}):
                response = api.request(method, _url(path), json=body, headers=headers)
                assert response.status_code == status, f"{method} {path} as {who}: {response.text[:200]}"
                assert response.headers["content-type"].startswith("application/problem+json")
                refused += 1
    assert refused >= 2 * len(PRIVILEGED)
    assert database_fingerprint(pg_only_engine) == before
