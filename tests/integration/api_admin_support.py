"""Helpers for the staff and admin API tests: problem documents, and the refusals every one of
those endpoints owes a moviegoer and a caller without a token."""

from __future__ import annotations

PROBLEM = "application/problem+json"


def problem(response, status: int, kind: str | None = None) -> dict:
    """The response is an RFC 9457 problem of ``status`` (and ``kind``); its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["detail"]
    if kind:
        assert body["type"] == f"urn:moviebook:problem:{kind}", body
    return body


def field_errors(response) -> set[str]:
    """A 422's fields, from its ``errors``."""
    body = problem(response, 422)
    return {e["field"] for e in body.get("errors") or []}


def assert_refused(api, moviegoer: dict, method: str, url: str, **request) -> None:
    """A moviegoer's token is a 403 and no token a 401 (the caller checks nothing changed)."""
    problem(api.request(method, url, headers=moviegoer, **request), 403, "forbidden")
    problem(api.request(method, url, **request), 401, "unauthenticated")
