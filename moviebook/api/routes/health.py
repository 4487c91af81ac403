"""``GET /ready`` for load balancers: 200 when the database and Redis answer, else 503."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from moviebook.config import get_settings
from moviebook.db import get_engine
from moviebook.services.readiness import readiness

router = APIRouter(tags=["health"])


@router.get("/ready", responses={503: {"description": "The database or Redis does not answer."}})
def ready() -> JSONResponse:
    """Whether this instance can serve: `{"ready": true, "database": "ok", "redis": "ok"}`, or
    503 with what does not answer. Unlike `/ping`, it asks both servers."""
    state = readiness(get_engine(), get_settings().redis_url)
    body = {"ready": state.ready, "database": state.database, "redis": state.redis}
    return JSONResponse(body, status_code=200 if state.ready else 503, headers={"Cache-Control": "no-store"})
