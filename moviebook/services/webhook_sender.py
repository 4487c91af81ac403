"""Delivering webhooks: due deliveries are POSTed to their endpoints, signed, with retries.

The same guarantees as the mail sender (``mail_sender``): **at least once, never lost, and a
repeat carries the same id.** Each delivery is POSTed while its row is locked (``FOR UPDATE
SKIP LOCKED`` on PostgreSQL; on SQLite the Redis lease in ``live.jobs`` keeps it to one sender)
and marked delivered in the same transaction, after the receiver answered 2xx. A sender that
dies in between leaves the row pending, so it is POSTed again with the same
``Moviebook-Webhook-Id`` and body: receivers drop repeats by that id.

Each attempt is signed afresh: ``Moviebook-Timestamp`` is the attempt's unix time and
``Moviebook-Signature`` is ``v1=`` + hex HMAC-SHA256 of "{timestamp}.{body}" with the
endpoint's secret. Anything but a 2xx within TIMEOUT seconds (a redirect included) is a failed
try, retried with exponential backoff (the mail sender's: 30 s, 1 min, 2 min …, at most 6 h
apart); after MAX_TRIES the delivery is ``dead``. An endpoint that fails is left alone for the
rest of the round, so one broken receiver does not hold up the others.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime

import httpx
from sqlmodel import Session, col, select

from moviebook.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, utcnow
from moviebook.services.mail_sender import backoff
from moviebook.services.webhooks import signature

MAX_TRIES = 8
TIMEOUT = 5.0  # seconds, for connecting and for the answer
USER_AGENT = "Moviebook-Webhooks/1"


@dataclass
class WebhookReport:
    delivered: int = 0
    failed: int = 0
    dead: int = 0


def headers_for(row: WebhookDelivery, secret: str, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Moviebook-Webhook-Id": row.webhook_id,
        "Moviebook-Timestamp": str(timestamp),
        "Moviebook-Signature": signature(secret, timestamp, row.body),
    }


def _next_due(session: Session, now: datetime, skip: set[int]) -> WebhookDelivery | None:
    query = (
        select(WebhookDelivery)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(
            WebhookDelivery.status == DeliveryStatus.PENDING.value,
            WebhookDelivery.next_attempt_at <= now,
            col(WebhookEndpoint.is_active).is_(True),
        )
    )
    if skip:
        query = query.where(col(WebhookDelivery.endpoint_id).not_in(skip))
    return session.exec(
        query.order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
        .limit(1)
        .with_for_update(skip_locked=True, of=WebhookDelivery)
    ).first()


def _post(client: httpx.Client, row: WebhookDelivery, endpoint: WebhookEndpoint, now: datetime) -> str | None:
    """POST one attempt; None when the receiver took it, else what went wrong."""
    try:
        answer = client.post(
            endpoint.url,
            content=row.body.encode(),
            headers=headers_for(row, endpoint.secret, int(now.timestamp())),
        )
    except httpx.HTTPError as error:
        return f"{type(error).__name__}: {error}"
    if 200 <= answer.status_code < 300:
        return None
    return f"HTTP {answer.status_code}: {answer.text[:200]}"


def deliver_due(
    sessions: Callable[[], AbstractContextManager[Session]],
    *,
    limit: int = 50,
    now: Callable[[], datetime] = utcnow,
    timeout: float = TIMEOUT,
) -> WebhookReport:
    """POST up to ``limit`` due deliveries, one transaction each (the row stays locked while it
    is sent). ``sessions`` makes a plain session (not committing by itself)."""
    report = WebhookReport()
    failing: set[int] = set()  # endpoints that failed this round: their next deliveries wait
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        for _ in range(limit):
            with sessions() as session:
                row = _next_due(session, now(), failing)
                if row is None:
                    break
                endpoint = session.get(WebhookEndpoint, row.endpoint_id)
                row.tries += 1
                error = _post(client, row, endpoint, now())
                if error is None:
                    row.status, row.delivered_at, row.last_error = DeliveryStatus.DELIVERED.value, now(), None
                    report.delivered += 1
                else:
                    row.last_error = error[:500]
                    failing.add(row.endpoint_id)
                    if row.tries >= MAX_TRIES:
                        row.status = DeliveryStatus.DEAD.value
                        report.dead += 1
                    else:
                        row.next_attempt_at = now() + backoff(row.tries)
                        report.failed += 1
                session.commit()
    return report
