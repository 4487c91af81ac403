"""The FastAPI app that Reflex mounts in front of its backend (``rx.App(api_transformer=...)``).

It answers ``/api/v1/...``, the docs at ``/api/docs`` and the schema at ``/api/v1/openapi.json``;
every other path falls through to Reflex. Same port, same run command.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi

from moviebook.api import docs, problems
from moviebook.api.deps import rate_limited
from moviebook.api.problems import PROBLEM_JSON, ApiProblem, Problem
from moviebook.api.routes import (
    admin_catalogue,
    admin_reports,
    admin_rooms,
    admin_schedule,
    admin_users,
    auth,
    catalogue,
    health,
    shop,
    staff,
    webhooks,
)

PREFIX = "/api/v1"

DESCRIPTION = """
Moviebook's JSON API, for kiosks, partner sites and mobile apps. It runs on the same services,
sessions and live seat maps as the website: a seat held here shows as held on every open
seat map, and a token from here works on the website and back.

**Auth.** `POST /api/v1/auth/login` gives an access token (send it as
`Authorization: Bearer <token>`) and a refresh token (`POST /api/v1/auth/refresh`, once each).

**Errors** are RFC 9457 problem documents (`application/problem+json`) with a stable `type`
such as `urn:moviebook:problem:seat-taken`; 422s list `errors` per field, 429s say
`Retry-After`.
"""


def _problem(description: str) -> dict:
    return {"model": Problem, "description": description}


# What any endpoint may answer besides its own outcomes; routes add their own (409, 402 ...).
COMMON_REFUSALS = {
    400: _problem("The body could not be read (not JSON, say)."),
    401: _problem("No valid access token (missing, expired, revoked)."),
    403: _problem("The token's account may not do this."),
    404: _problem("No such thing, or not yours."),
    422: _problem("The request is not valid; `errors` says which fields."),
    429: _problem("Too many requests; see Retry-After."),
}


def _openapi(api: FastAPI) -> dict:
    """The schema, generated once, with every error response typed as problem+json (FastAPI
    would say application/json, which is not what the error handlers send)."""
    if api.openapi_schema is None:
        schema = get_openapi(title=api.title, version=api.version, description=api.description, routes=api.routes)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if status[:1] in {"4", "5"} and "application/json" in content:
                        content[PROBLEM_JSON] = content.pop("application/json")
        api.openapi_schema = schema
    return api.openapi_schema


def create_api() -> FastAPI:
    api = FastAPI(
        title="Moviebook API",
        version="1.0.0",
        description=DESCRIPTION,
        docs_url=None,  # served by api/docs.py, without a CDN
        redoc_url=None,
        openapi_url=f"{PREFIX}/openapi.json",
    )
    problems.install(api)
    for module in (
        auth,
        catalogue,
        shop,
        admin_catalogue,
        admin_schedule,
        admin_rooms,
        admin_users,
        staff,
        admin_reports,
        webhooks,
    ):
        api.include_router(
            module.router, prefix=PREFIX, responses=COMMON_REFUSALS, dependencies=[Depends(rate_limited)]
        )
    # Outside /api/v1 and not rate limited: a load balancer asks every few seconds, and the
    # answer must not depend on Redis, which the rate limit needs.
    api.include_router(health.router)
    api.openapi = lambda: _openapi(api)
    docs.install(api, openapi_url=f"{PREFIX}/openapi.json")

    # Reflex is mounted behind every route here, so an unknown /api path would get the site's
    # HTML 404 page; an API client gets a problem document instead.
    @api.api_route(
        "/api/{rest:path}",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        include_in_schema=False,
        dependencies=[Depends(rate_limited)],
    )
    def _no_such_endpoint(rest: str):
        raise ApiProblem(404, "no-such-endpoint", f"There is no API endpoint at /api/{rest[:200]}.")

    return api
