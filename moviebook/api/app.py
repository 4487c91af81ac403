"""The FastAPI app that Reflex mounts in front of its backend (``rx.App(api_transformer=...)``).

It answers ``/api/v1/...``, the docs at ``/api/docs`` and the schema at ``/api/v1/openapi.json``;
every other path falls through to Reflex. Same port, same run command.
"""

from __future__ import annotations

from fastapi import FastAPI

from moviebook.api import problems
from moviebook.api.problems import ApiProblem
from moviebook.api.routes import auth, webhooks

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


def create_api() -> FastAPI:
    api = FastAPI(
        title="Moviebook API",
        version="1.0.0",
        description=DESCRIPTION,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url=f"{PREFIX}/openapi.json",
    )
    problems.install(api)
    for module in (auth, webhooks):
        api.include_router(module.router, prefix=PREFIX)

    # Reflex is mounted behind every route here, so an unknown /api path would get the site's
    # HTML 404 page; an API client gets a problem document instead.
    @api.api_route(
        "/api/{rest:path}",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        include_in_schema=False,
    )
    def _no_such_endpoint(rest: str):
        raise ApiProblem(404, "no-such-endpoint", f"There is no API endpoint at /api/{rest[:200]}.")

    return api
