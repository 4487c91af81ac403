"""Webhooks: the endpoints admins register, and the events a change queues for them.

An event is queued as one ``WebhookDelivery`` row per subscribed active endpoint, in the same
transaction as the booking or showtime change (like email in ``outbox``): a change that rolls
back sends nothing, and one that commits is delivered later by ``webhook_sender``, at least
once. Receivers drop a repeat by its ``id`` (the ``Moviebook-Webhook-Id`` header).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import Session, col, func, select

from moviebook.config import get_settings
from moviebook.models import (
    Auditorium,
    Booking,
    BookingSeat,
    DeliveryStatus,
    Movie,
    Role,
    Seat,
    Showtime,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    utcnow,
)
from moviebook.models.base import row_values
from moviebook.services import audit
from moviebook.services.errors import Conflict, FormInvalid, NotFound
from moviebook.services.paging import Page, page_slice
from moviebook.services.roles import require_role
from moviebook.services.tokens import Identity

EVENTS: tuple[str, ...] = tuple(WebhookEvent)
MAX_URL_LENGTH = 2000
MAX_ENDPOINTS = 50  # a partner or two, a monitor: more is a mistake (or a script gone wrong)
SECRET_PREFIX = "whsec_"

# Who cancelled a booking, as a receiver reads it in ``data.cancelled_by``.
BY_CUSTOMER = "customer"
BY_CINEMA = "cinema"  # an admin cancelled the booking, or the whole showtime


# --- signing -----------------------------------------------------------------------------


def signature(secret: str, timestamp: int, body: str) -> str:
    """The ``Moviebook-Signature`` header: ``v1=`` and the hex HMAC-SHA256 of "{timestamp}.{body}"."""
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"v1={digest}"


def signature_matches(secret: str, timestamp: int, body: str, header: str) -> bool:
    """What a receiver checks (constant time). Receivers should also refuse an old timestamp."""
    return hmac.compare_digest(signature(secret, timestamp, body), header)


# --- the endpoints, for admins -----------------------------------------------------------


def check_url(url: str) -> str:
    """An absolute http(s) URL with a host, at most MAX_URL_LENGTH characters."""
    url = (url or "").strip()
    if not url:
        raise FormInvalid({"url": "Give the URL that should receive the events."})
    if len(url) > MAX_URL_LENGTH:
        raise FormInvalid({"url": f"The URL is too long (at most {MAX_URL_LENGTH} characters)."})
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise FormInvalid({"url": "A URL cannot contain spaces or control characters."})
    try:
        parts = urlsplit(url)
        port = parts.port  # a malformed port raises here
    except ValueError:
        raise FormInvalid({"url": "That is not a valid URL."}) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FormInvalid({"url": "The URL must start with https:// (or http://)."})
    if not parts.hostname or port == 0:
        raise FormInvalid({"url": "The URL needs a host name, such as https://partner.example/hooks."})
    return url


def check_events(events: list[str]) -> list[str]:
    """At least one known event, each once, in the order of EVENTS."""
    unknown = [e for e in events if e not in EVENTS]
    if unknown:
        raise FormInvalid({"events": f"Unknown event {unknown[0][:60]!r}: choose from {', '.join(EVENTS)}."})
    if not events:
        raise FormInvalid({"events": "Choose at least one event."})
    return [e for e in EVENTS if e in events]


@dataclass(frozen=True)
class EndpointRow:
    id: int
    url: str
    events: tuple[str, ...]
    is_active: bool
    created_at: datetime
    deliveries: dict[str, int]  # how many deliveries per status


@dataclass(frozen=True)
class NewEndpoint:
    endpoint: EndpointRow
    secret: str  # shown once, to the admin who made it


def _row(endpoint: WebhookEndpoint, counts: dict[str, int] | None = None) -> EndpointRow:
    counts = counts or {}
    return EndpointRow(
        endpoint.id,
        endpoint.url,
        tuple(endpoint.events),
        endpoint.is_active,
        endpoint.created_at,
        {s.value: counts.get(s.value, 0) for s in DeliveryStatus},
    )


def create_endpoint(
    session: Session, me: Identity, *, url: str, events: list[str], active: bool = True, ip: str | None = None
) -> NewEndpoint:
    require_role(me, Role.ADMIN.value)
    problems: dict[str, str] = {}
    for check, value in ((check_url, url), (check_events, events)):
        try:
            check(value)
        except FormInvalid as invalid:
            problems.update(invalid.errors)
    if problems:
        raise FormInvalid(problems)
    if session.exec(select(func.count()).select_from(WebhookEndpoint)).one() >= MAX_ENDPOINTS:
        raise Conflict(f"There are {MAX_ENDPOINTS} webhook endpoints already: delete one first.")
    secret = SECRET_PREFIX + secrets.token_hex(32)
    endpoint = WebhookEndpoint(
        url=check_url(url), events=check_events(events), secret=secret, is_active=active, created_by=me.user_id
    )
    session.add(endpoint)
    session.flush()
    audit.record(
        session,
        "webhook.create",
        actor_id=me.user_id,
        entity_type="webhook_endpoint",
        entity_id=endpoint.id,
        new={"url": endpoint.url, "events": endpoint.events, "active": endpoint.is_active},  # never the secret
        ip=ip,
    )
    return NewEndpoint(_row(endpoint), secret)


def list_endpoints(session: Session, me: Identity) -> list[EndpointRow]:
    require_role(me, Role.ADMIN.value)
    endpoints = session.exec(select(WebhookEndpoint).order_by(col(WebhookEndpoint.id))).all()
    counts: dict[int, dict[str, int]] = {}
    for endpoint_id, status, n in session.exec(
        select(WebhookDelivery.endpoint_id, WebhookDelivery.status, func.count()).group_by(
            WebhookDelivery.endpoint_id, WebhookDelivery.status
        )
    ).all():
        counts.setdefault(endpoint_id, {})[status] = n
    return [_row(e, counts.get(e.id)) for e in endpoints]


def delete_endpoint(session: Session, me: Identity, endpoint_id: int, *, ip: str | None = None) -> None:
    """Remove an endpoint and its deliveries (pending ones are not sent)."""
    require_role(me, Role.ADMIN.value)
    endpoint = session.exec(select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id).with_for_update()).first()
    if endpoint is None:
        raise NotFound("We could not find that webhook endpoint.")
    audit.record(
        session,
        "webhook.delete",
        actor_id=me.user_id,
        entity_type="webhook_endpoint",
        entity_id=endpoint.id,
        old={"url": endpoint.url, "events": endpoint.events, "active": endpoint.is_active},
        ip=ip,
    )
    session.delete(endpoint)  # its deliveries go with it (ON DELETE CASCADE)
    session.flush()


@dataclass(frozen=True)
class DeliveryRow:
    id: int
    webhook_id: str
    event_type: str
    status: str
    tries: int
    last_error: str
    created_at: datetime
    next_attempt_at: datetime
    delivered_at: datetime | None


def list_deliveries(
    session: Session, me: Identity, endpoint_id: int, *, page: int = 1, page_size: int = 25
) -> Page[DeliveryRow]:
    """An endpoint's deliveries, newest first."""
    require_role(me, Role.ADMIN.value)
    if session.get(WebhookEndpoint, endpoint_id) is None:
        raise NotFound("We could not find that webhook endpoint.")
    mine = WebhookDelivery.endpoint_id == endpoint_id
    total = session.exec(select(func.count()).select_from(WebhookDelivery).where(mine)).one()
    at = page_slice(total, page, page_size)
    found = session.exec(
        select(WebhookDelivery).where(mine).order_by(col(WebhookDelivery.id).desc()).offset(at.offset).limit(at.limit)
    ).all()
    rows = tuple(
        DeliveryRow(
            d.id,
            d.webhook_id,
            d.event_type,
            d.status,
            d.tries,
            d.last_error or "",
            d.created_at,
            d.next_attempt_at,
            d.delivered_at,
        )
        for d in found
    )
    return Page(rows, total, at.page, at.pages)


# --- the events, queued with the change ---------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def showtime_payload(showtime: Showtime, movie_title: str | None, room_name: str | None) -> dict[str, Any]:
    return {
        "id": showtime.id,
        "movie_id": showtime.movie_id,
        "movie_title": movie_title,
        "auditorium": room_name,
        "starts_at": _iso(showtime.starts_at),
        "ends_at": _iso(showtime.ends_at),
        "is_cancelled": showtime.is_cancelled,
    }


def _showtime_data(session: Session, showtime: Showtime) -> dict[str, Any]:
    movie = session.get(Movie, showtime.movie_id)
    room = session.get(Auditorium, showtime.auditorium_id)
    return showtime_payload(showtime, movie.title if movie else None, room.name if room else None)


def booking_payload(booking: Booking, seat_labels: list[str]) -> dict[str, Any]:
    """``seat_labels`` in the room's order (row, then column): "A1", "A2"."""
    return {
        "id": booking.id,
        "code": booking.code,
        "status": booking.status,
        "channel": booking.channel,
        "seats": seat_labels,
        "total_cents": booking.total_cents,
        "fee_cents": booking.fee_cents,
        "discount_cents": booking.discount_cents,
        "refund_cents": booking.refund_cents,
        "currency": get_settings().currency,
        "created_at": _iso(booking.created_at),
        "cancelled_at": _iso(booking.cancelled_at),
    }


def _booking_data(session: Session, booking: Booking) -> dict[str, Any]:
    seats = session.exec(
        select(Seat.row_label, Seat.number)
        .join(BookingSeat, BookingSeat.seat_id == Seat.id)
        .where(BookingSeat.booking_id == booking.id)
        .order_by(col(Seat.y), col(Seat.x))
    ).all()
    return booking_payload(booking, [f"{row}{number}" for row, number in seats])


def wanted_by(endpoints: list[tuple[int, list[str]]], event: str) -> list[int]:
    """The ids of the (active) endpoints, given as (id, events), that want ``event``."""
    return sorted(endpoint_id for endpoint_id, events in endpoints if event in events)


def _subscribers(session: Session, event: str) -> list[WebhookEndpoint]:
    active = session.exec(
        select(WebhookEndpoint).where(col(WebhookEndpoint.is_active).is_(True)).order_by(col(WebhookEndpoint.id))
    ).all()
    return [e for e in active if event in e.events]


def delivery_values(endpoint_id: int, event: str, key: str, data: dict[str, Any], now: datetime) -> dict[str, Any]:
    """One event's webhook_deliveries row for one endpoint, as column values."""
    webhook_id = f"wh_{uuid.uuid4().hex}"
    body = json.dumps(
        {"id": webhook_id, "type": event, "created_at": now.isoformat(), "data": data}, separators=(",", ":")
    )
    return row_values(
        WebhookDelivery, endpoint_id=endpoint_id, webhook_id=webhook_id, event_type=event, dedupe_key=key, body=body
    )


def enqueue(
    session: Session, event: str, key: str, data: dict[str, Any] | Callable[[], dict[str, Any]]
) -> list[WebhookDelivery]:
    """Queue ``event`` for every active endpoint that wants it, in the caller's transaction (not
    committed here). ``key`` names the happening ("booking.confirmed:42"): it reaches an
    endpoint at most once however often this is called. ``data`` may be a function: it is then
    only called (and its queries only run) when some endpoint wants the event, which on most
    sales none does."""
    rows = []
    now = utcnow()
    subscribers = _subscribers(session, event)
    if subscribers and callable(data):
        data = data()
    for endpoint in subscribers:
        seen = select(WebhookDelivery.id).where(
            WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.dedupe_key == key
        )
        if session.exec(seen).first():
            continue
        row = WebhookDelivery(**delivery_values(endpoint.id, event, key, data, now))
        session.add(row)
        rows.append(row)
    return rows


def booking_confirmed_key(booking_id: int) -> str:
    return f"booking.confirmed:{booking_id}"


def booking_cancelled(session: Session, booking: Booking, *, by: str) -> None:
    """Call in the cancel's transaction, after the refund. ``by`` is BY_CUSTOMER or BY_CINEMA."""

    def data() -> dict[str, Any]:
        showtime = session.get(Showtime, booking.showtime_id)
        return {
            "booking": _booking_data(session, booking),
            "showtime": _showtime_data(session, showtime),
            "cancelled_by": by,
            "reason": (booking.cancel_reason or "") if by == BY_CINEMA else "",
        }

    enqueue(session, WebhookEvent.BOOKING_CANCELLED.value, f"booking.cancelled:{booking.id}", data)


def showtime_cancelled(session: Session, showtime: Showtime, *, bookings_cancelled: int) -> None:
    """Call in the showtime cancel's transaction (each of its bookings gets booking.cancelled too)."""

    def data() -> dict[str, Any]:
        return {"showtime": _showtime_data(session, showtime), "bookings_cancelled": bookings_cancelled}

    enqueue(session, WebhookEvent.SHOWTIME_CANCELLED.value, f"showtime.cancelled:{showtime.id}", data)
