"""The API's auth over HTTP, on real PostgreSQL and Redis: the same sessions, rotation, throttle
and audit as the browser, and the JWT negative suite."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import jwt
from sqlmodel import select

from moviebook.models import AuditEntry, AuthSession, User
from tests.factories import make_user, tag
from tests.integration.api_support import PASSWORD, bearer, log_in_over_http, user_with_token
from tests.state_driver import drive, run_handler, state_tree_for, substate

PROBLEM = "application/problem+json"


def _problem(response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["type"] == f"urn:moviebook:problem:{kind}" and body["status"] == status and body["detail"]
    return body


def test_register_log_in_and_me(api, app_session):
    email = f"new-{tag()}@example.com"
    made = api.post("/api/v1/auth/register", json={"name": "Nora", "email": email, "password": PASSWORD})
    assert made.status_code == 201, made.text
    me = api.get("/api/v1/me", headers=bearer(made.json()["access_token"]))
    assert me.status_code == 200
    assert me.json() | {"id": 0} == {"id": 0, "name": "Nora", "email": email, "role": "user", "email_verified": False}
    again = log_in_over_http(api, email)
    assert again["token_type"] == "bearer" and again["expires_in"] == 15 * 60
    user_id = me.json()["id"]
    actions = app_session.exec(select(AuditEntry.action).where(AuditEntry.actor_id == user_id)).all()
    assert {"user.signup", "login.succeeded"} <= set(actions)


def test_register_refusals_name_each_field(api, app_session):
    taken = make_user(app_session, f"taken-{tag()}@example.com", password=PASSWORD)
    app_session.commit()
    body = _problem(
        api.post("/api/v1/auth/register", json={"name": "", "email": taken.email, "password": "short"}),
        422,
        "form-invalid",
    )
    assert {e["field"] for e in body["errors"]} == {"name", "email", "password"}
    shape = _problem(api.post("/api/v1/auth/register", json={"name": "X"}), 422, "invalid-request")
    assert {e["field"] for e in shape["errors"]} == {"email", "password"}


def test_wrong_password_is_401_and_the_throttle_is_the_browsers(api, app_session):
    user = make_user(app_session, f"locked-{tag()}@example.com", password=PASSWORD)
    app_session.commit()
    for _ in range(5):
        _problem(api.post("/api/v1/auth/login", json={"email": user.email, "password": "nope"}), 401, "login-refused")
    locked = _problem(
        api.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}), 429, "login-locked"
    )
    assert "paused" in locked["detail"]
    assert (
        int(api.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}).headers["Retry-After"]) > 0
    )
    failures = app_session.exec(
        select(AuditEntry).where(AuditEntry.action == "login.failed", AuditEntry.actor_id == user.id)
    ).all()
    assert len(failures) == 5


def test_refresh_rotates_once_and_a_replay_ends_the_session(api, app_session):
    _user_id, _headers = user_with_token(api, app_session)
    email = app_session.exec(select(User.email).where(User.id == _user_id)).one()
    first = log_in_over_http(api, email)
    rotated = api.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert rotated.status_code == 200 and rotated.json()["refresh_token"] != first["refresh_token"]
    fresh = rotated.json()
    # Replaying the old refresh token long after the grace window: the whole session ends.
    row = app_session.exec(select(AuthSession).where(AuthSession.id == _session_of(first))).one()
    row.rotated_at = datetime.now(timezone.utc) - timedelta(minutes=5)
    app_session.add(row)
    app_session.commit()
    _problem(api.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}), 401, "token-rejected")
    _problem(api.get("/api/v1/me", headers=bearer(fresh["access_token"])), 401, "unauthenticated")
    _problem(api.post("/api/v1/auth/refresh", json={"refresh_token": fresh["refresh_token"]}), 401, "token-rejected")


def _session_of(tokens: dict) -> str:
    return jwt.decode(tokens["access_token"], options={"verify_signature": False})["sid"]


def _forged(claims: dict, key: str, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def test_jwt_negative_suite_over_http(api, app_session):
    user_id, headers = user_with_token(api, app_session)
    good = headers["Authorization"].split(" ", 1)[1]
    claims = jwt.decode(good, options={"verify_signature": False})
    now = int(datetime.now(timezone.utc).timestamp())
    secret = "attacker-test-key-" + "x" * 32
    unsigned = jwt.encode(claims, None, algorithm="none")
    forged = {
        "alg none": unsigned,
        "wrong key": _forged(claims, "not-the-key-" + "y" * 32),
        "expired": _forged(claims | {"iat": now - 7200, "exp": now - 3600}, secret),
        "refresh as access": _forged(claims | {"typ": "refresh", "jti": "abc"}, secret),
        "someone else's sub": _forged(claims | {"sub": str(user_id + 1000)}, secret),
        "garbage": "not.a.token",
    }
    for name, token in forged.items():
        response = api.get("/api/v1/me", headers=bearer(token))
        assert response.status_code == 401, name
        assert response.headers["WWW-Authenticate"].startswith("Bearer"), name
    assert api.get("/api/v1/me", headers=headers).status_code == 200
    # Logged out: the same access token is refused from then on.
    assert api.post("/api/v1/auth/logout", headers=headers).status_code == 204
    _problem(api.get("/api/v1/me", headers=headers), 401, "unauthenticated")
    _problem(api.get("/api/v1/me"), 401, "unauthenticated")


def test_a_token_works_in_the_browser_too_and_revoking_ends_both(api, app_session):
    from moviebook.services.tokens import TokenPair
    from moviebook.state.auth import AuthState

    user = make_user(app_session, f"both-{tag()}@example.com", name="Both Ways", password=PASSWORD)
    app_session.commit()
    tokens = log_in_over_http(api, user.email)
    pair = TokenPair(tokens["access_token"], tokens["refresh_token"], "")
    root = state_tree_for(pair)
    auth = substate(root, AuthState)
    run_handler(drive(AuthState.event_handlers["sync_viewer"].fn(auth)))
    assert auth.viewer_name == "Both Ways"

    assert api.post("/api/v1/auth/logout", headers=bearer(tokens["access_token"])).status_code == 204
    later = substate(state_tree_for(pair), AuthState)
    run_handler(drive(AuthState.event_handlers["sync_viewer"].fn(later)))
    assert later.viewer_name == "" and later.access_token == ""


def test_rate_limits_per_token_and_per_address_answer_429_with_retry_after(api, app_session, monkeypatch):
    from moviebook.config import reset_settings

    monkeypatch.setenv("API_REQUESTS_PER_TOKEN", "3")
    monkeypatch.setenv("API_REQUESTS_PER_ADDRESS", "7")
    reset_settings()
    _user_id, headers = user_with_token(api, app_session)  # the login is request 1 of the address
    answers = [api.get("/api/v1/me", headers=headers).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]  # the token's budget of 3
    limited = api.get("/api/v1/me", headers=headers)
    body = _problem(limited, 429, "too-many-requests")
    assert 0 < int(limited.headers["Retry-After"]) <= 60 and "Try again in" in body["detail"]
    # The address has its own, larger budget: a guest from it is refused once that is spent too.
    guest = [api.get("/api/v1/me").status_code for _ in range(2)]
    assert guest == [401, 429]


def test_sign_ups_from_one_address_answer_429_with_retry_after_past_the_hourly_limit(api, monkeypatch):
    from moviebook.config import reset_settings

    monkeypatch.setenv("SIGNUPS_PER_ADDRESS_HOUR", "2")
    reset_settings()
    run = tag()
    answers = [
        api.post(
            "/api/v1/auth/register", json={"name": "Nat", "email": f"nat-{run}-{i}@example.com", "password": PASSWORD}
        )
        for i in range(3)
    ]
    assert [a.status_code for a in answers[:2]] == [201, 201]
    body = _problem(answers[2], 429, "signups-throttled")
    assert 3000 < int(answers[2].headers["Retry-After"]) <= 3600 and "try again in about" in body["detail"]


def test_a_busy_address_does_not_stop_a_right_password(api, app_session):
    """Five people at one address mistype five times each; a sixth still logs in (the API
    shares the browser's throttle)."""
    people = [make_user(app_session, f"office-{tag()}@example.com", password=PASSWORD) for _ in range(6)]
    app_session.commit()
    for person in people[:5]:
        for _ in range(5):
            _problem(
                api.post("/api/v1/auth/login", json={"email": person.email, "password": "not it at all"}),
                401,
                "login-refused",
            )
    assert api.post("/api/v1/auth/login", json={"email": people[5].email, "password": PASSWORD}).status_code == 200


def test_a_nul_or_control_character_in_any_field_is_a_422_naming_it_not_a_500(api, app_session):
    """PostgreSQL cannot store NUL: found by the fuzzer, as a 500 from POST /auth/login."""
    nul = "\x00"
    for path, body, field in (
        ("/api/v1/auth/login", {"email": nul, "password": "x"}, "email"),
        ("/api/v1/auth/register", {"name": "Nul" + nul, "email": "n@example.com", "password": PASSWORD}, "name"),
        ("/api/v1/auth/refresh", {"refresh_token": "a\x07b"}, "refresh_token"),
    ):
        body = _problem(api.post(path, json=body), 422, "invalid-request")
        assert [e["field"] for e in body["errors"]] == [field], body
