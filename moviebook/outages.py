"""Which errors mean "a server we need is briefly unavailable", rather than a bug.

Redis down or restarting, PostgreSQL restarting, unreachable, read-only (a failover in
progress) or out of disk: nothing the person did is wrong, and the same request can be sent
again in a moment. The API answers these 503 with Retry-After (api/problems.py); the pages
show a "try again" toast (state/event_errors.py).
"""

from __future__ import annotations

import logging

import redis
import sqlalchemy as sa

BRIEFLY_UNAVAILABLE = "The box office is briefly unavailable. Please try again in a moment."

# SQLSTATE classes and codes of an unavailable database: 08 connection exception, 53
# insufficient resources (disk full, out of memory), 57 operator intervention (shutdown,
# restart), 25006 read-only transaction (a standby, or a database set read-only).
_UNAVAILABLE_CLASSES = ("08", "53", "57")
_UNAVAILABLE_CODES = {"25006"}


def is_outage(error: BaseException) -> bool:
    if isinstance(error, redis.ConnectionError | redis.TimeoutError | redis.BusyLoadingError):
        return True
    if isinstance(error, redis.ResponseError) and str(error).startswith(("READONLY", "LOADING", "MASTERDOWN")):
        return True
    if isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError):
        return True  # psycopg2 and SQLite raise these for lost connections, full disks, read-only files
    if isinstance(error, sa.exc.DBAPIError):
        code = getattr(error.orig, "pgcode", None) or ""
        return code in _UNAVAILABLE_CODES or code[:2] in _UNAVAILABLE_CLASSES
    return False


def log_failure(logger: logging.Logger, message: str, *args: object, error: BaseException) -> None:
    """A periodic job's failure: an outage (Redis or PostgreSQL away, which the job rides out
    by trying again) is one warning line; anything else is a bug, logged with its traceback."""
    if is_outage(error):
        logger.warning(message + " (%s: %s)", *args, type(error).__name__, error)
    else:
        logger.error(message, *args, exc_info=error)
