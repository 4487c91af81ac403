"""Schemathesis fuzzes every operation of the live OpenAPI schema, as a guest and with a token of
each role, on real PostgreSQL and Redis: no answer is a 5xx, and every answer (error answers
included) has a status, content type and body that the schema declares.

Each operation is one test, sent as each role; the example count per test is kept small so that CI stays
within its time; the schema, not a list here, decides what is covered, so a new endpoint is
fuzzed without anyone remembering to add it.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from moviebook.api.app import create_api
from tests.integration.api_support import user_with_token

ROLES = ("guest", "user", "staff", "admin")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 12


def _limits_lifted(monkeypatch) -> None:
    from moviebook.config import reset_settings

    # The fuzzer sends hundreds of requests from one address in a minute: lift the budgets
    # (429s are still declared and checked, but they would hide every other answer).
    monkeypatch.setenv("API_REQUESTS_PER_TOKEN", "1000000")
    monkeypatch.setenv("API_REQUESTS_PER_ADDRESS", "1000000")
    reset_settings()


# Building the app reads no setting: requests do, when the fixtures have pointed them at this
# run's servers. So the schema can be loaded once, at import.
APP = create_api()
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)


@pytest.fixture
def role_headers(app_environment, app_session, monkeypatch):
    _limits_lifted(monkeypatch)
    with TestClient(APP) as client:
        headers = {role: user_with_token(client, app_session, role=role)[1] for role in ROLES if role != "guest"}
    headers["guest"] = {}
    return headers


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_5xx_and_no_schema_violation(case, role_headers):
    # The same generated request as each role in turn: a guest, a moviegoer, staff, an admin.
    for role in ROLES:
        response = case.call(headers=role_headers[role])
        case.validate_response(response, checks=CHECKS)
