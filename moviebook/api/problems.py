"""Errors as RFC 9457 problem details (``application/problem+json``).

Every domain error a service raises maps to a status and a stable ``type``: clients branch on
the ``type``, people read ``detail``. The ``type`` is a URN made from the error's class name
(``SeatTaken`` → ``urn:moviebook:problem:seat-taken``), so renaming an error class is a
breaking change of the API, and the table below says which status each family gets.
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from moviebook.outages import BRIEFLY_UNAVAILABLE, is_outage
from moviebook.services.accounts import LoginRefused
from moviebook.services.checkout import HoldLost
from moviebook.services.errors import Conflict, DomainError, FormInvalid, NotFound, TooManyRequests
from moviebook.services.holds import HoldRefused
from moviebook.services.payments import PaymentDeclined
from moviebook.services.roles import AccessDenied
from moviebook.services.scheduling import ShowtimeClash
from moviebook.services.seatmap import ShowtimeUnavailable
from moviebook.services.tokens import TokenRejected

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:moviebook:problem:"

# Checked in order: the first family an error belongs to gives its status.
_STATUS: list[tuple[type[BaseException], int]] = [
    (TokenRejected, 401),
    (LoginRefused, 401),
    (TooManyRequests, 429),  # a paused login, a slowed address, too many sign-ups
    (AccessDenied, 403),
    (NotFound, 404),
    (FormInvalid, 422),
    (PaymentDeclined, 402),
    (ShowtimeUnavailable, 409),
    (HoldLost, 409),
    (HoldRefused, 409),
    (Conflict, 409),
    (DomainError, 422),  # any other broken rule: the request was understood but is not allowed
]


class FieldError(BaseModel):
    field: str = Field(description="The request field, as a dotted path (`seat_ids.0`, `email`).")
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(examples=["urn:moviebook:problem:seat-taken"])
    title: str = Field(examples=["Seat taken"])
    status: int = Field(examples=[409])
    detail: str = Field(examples=["Seat C4 was just taken by someone else."])
    errors: list[FieldError] | None = Field(default=None, description="For 422: what is wrong with each field.")


class ShowtimeClashProblem(Problem):
    """A 409 from scheduling: the room is taken then. ``detail`` names the showtime in the way
    (film, room, time); ``clashing_showtime_id`` is its id when the clash is known (a lost race
    with another admin's save has none)."""

    clashing_showtime_id: int | None = Field(default=None, examples=[4711])


def slug(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


class ApiProblem(Exception):
    """Raised by a route for a refusal that is not a service's domain error."""

    def __init__(
        self,
        status: int,
        kind: str,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(detail)
        self.status, self.kind, self.detail, self.errors, self.headers = status, kind, detail, errors, headers or {}


def problem_response(
    status: int,
    kind: str,
    detail: str,
    *,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    extensions: dict | None = None,
) -> JSONResponse:
    """``extensions`` are RFC 9457 extension members, declared by a subclass of ``Problem``."""
    title = kind.replace("-", " ").capitalize()
    body = Problem(type=TYPE_PREFIX + kind, title=title, status=status, detail=detail, errors=errors)
    return JSONResponse(
        body.model_dump(exclude_none=True) | (extensions or {}),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def status_of(error: BaseException) -> int:
    return next(status for family, status in _STATUS if isinstance(error, family))


def domain_problem(error: DomainError | HoldRefused) -> JSONResponse:
    status = status_of(error)
    errors = None
    headers = {}
    if isinstance(error, FormInvalid):
        errors = [FieldError(field=name, message=text) for name, text in error.errors.items()]
    if isinstance(error, TooManyRequests):
        headers["Retry-After"] = str(max(1, int(error.seconds)))
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="moviebook"'
    extensions = {"clashing_showtime_id": error.showtime_id} if isinstance(error, ShowtimeClash) else None
    return problem_response(
        status, slug(type(error).__name__), str(error), errors=errors, headers=headers, extensions=extensions
    )


def _field(location: tuple) -> str:
    # ("body", "seat_ids", 0) → "seat_ids.0"; the "body"/"query"/"path" prefix says nothing useful.
    parts = [str(part) for part in location]
    if parts and parts[0] in {"body", "query", "path", "header"} and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts)


def install(app: FastAPI) -> None:
    """Every error leaves the API as a problem document; a bug is a 500 problem, logged."""

    @app.exception_handler(ApiProblem)
    async def _api_problem(_request: Request, error: ApiProblem):
        return problem_response(error.status, error.kind, error.detail, errors=error.errors, headers=error.headers)

    @app.exception_handler(DomainError)
    async def _domain(_request: Request, error: DomainError):
        return domain_problem(error)

    @app.exception_handler(HoldRefused)
    async def _hold(_request: Request, error: HoldRefused):
        return domain_problem(error)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError):
        errors = [
            FieldError(field=_field(tuple(e.get("loc", ()))), message=str(e.get("msg", ""))) for e in error.errors()
        ]
        return problem_response(422, "invalid-request", "Some fields are not right; see errors.", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException):
        phrase = HTTPStatus(error.status_code).phrase if error.status_code in HTTPStatus._value2member_map_ else "Error"
        detail = error.detail if isinstance(error.detail, str) else phrase
        return problem_response(error.status_code, slug(phrase.replace(" ", "")), detail, headers=error.headers)

    # A bug is a 500, logged with its traceback. An outage (Redis or PostgreSQL down, restarting
    # or read-only) is a 503: the request can be sent again as it is, and a confirm retried
    # with its Idempotency-Key never books twice.
    @app.exception_handler(Exception)
    async def _bug(_request: Request, error: Exception):
        if is_outage(error):
            log.warning("API request failed, a server is unavailable: %s: %s", type(error).__name__, error)
            return problem_response(503, "service-unavailable", BRIEFLY_UNAVAILABLE, headers={"Retry-After": "2"})
        log.exception("API request failed", exc_info=error)
        return problem_response(500, "internal-error", "Something went wrong on our side. Please try again.")
