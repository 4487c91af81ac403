"""Is this instance fit to serve? Its database and Redis must both answer.

A load balancer asks ``GET /ready`` (api/routes/health.py): an instance that cannot reach either
answers 503, so traffic goes to one that can, instead of to an instance whose ``/ping`` says 200
while no one can hold a seat or log in.
"""

from __future__ import annotations

from dataclasses import dataclass

import redis
import sqlalchemy as sa
from redis.backoff import NoBackoff
from redis.retry import Retry

CHECK_TIMEOUT_SECONDS = 2


@dataclass(frozen=True)
class Readiness:
    database: str  # "ok", or what went wrong
    redis: str

    @property
    def ready(self) -> bool:
        return self.database == "ok" and self.redis == "ok"


def _problem(error: Exception) -> str:
    return f"unreachable: {type(error).__name__}"  # no addresses or credentials in a public answer


def check_database(engine: sa.Engine) -> str:
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        return "ok"
    except Exception as error:  # any failure means not ready; its kind is reported
        return _problem(error)


def check_redis(url: str) -> str:
    # A client of its own, with a short timeout and no retries: the app's shared client backs
    # off for seconds before it gives up, and a load balancer wants its answer now.
    client = redis.Redis.from_url(
        url,
        socket_timeout=CHECK_TIMEOUT_SECONDS,
        socket_connect_timeout=CHECK_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 0),
    )
    try:
        return "ok" if client.ping() else "unreachable: no PONG"
    except Exception as error:
        return _problem(error)
    finally:
        client.close()


def readiness(engine: sa.Engine, redis_url: str) -> Readiness:
    return Readiness(database=check_database(engine), redis=check_redis(redis_url))
