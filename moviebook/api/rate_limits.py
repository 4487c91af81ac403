"""Request rate limits for the API, per client address and per token (Redis fixed windows).

A busy kiosk and a partner site each get their own budget per token; the per-address budget
is larger, because one address may be a whole office behind NAT.
"""

from __future__ import annotations

from moviebook.api.problems import ApiProblem
from moviebook.config import get_settings
from moviebook.redis_client import get_redis
from moviebook.services.throttle import RateLimit

WINDOW_SECONDS = 60


def _limit(name: str) -> int:
    settings = get_settings()
    return settings.api_requests_per_token if name == "api-token" else settings.api_requests_per_address


def check_rate(name: str, key: str, *, extra: tuple[str, str] | None = None) -> None:
    """Count one request; over a budget, a 429 problem that says when to try again."""
    for bucket, value in ((name, key), extra) if extra else ((name, key),):
        limit = RateLimit(get_redis(), bucket, _limit(bucket), WINDOW_SECONDS)
        wait = limit.wait_seconds(value)
        if wait:
            raise ApiProblem(
                429,
                "too-many-requests",
                f"Too many requests. Try again in {wait} second{'s' if wait != 1 else ''}.",
                headers={"Retry-After": str(wait)},
            )
