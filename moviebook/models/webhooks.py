"""Webhooks: the endpoints admins register, and one delivery row per event and endpoint."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from moviebook.models.base import UTCDateTime, check_in, created_at_field, utcnow


class WebhookEvent(StrEnum):
    BOOKING_CONFIRMED = "booking.confirmed"
    BOOKING_CANCELLED = "booking.cancelled"
    SHOWTIME_CANCELLED = "showtime.cancelled"


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for its next attempt
    DELIVERED = "delivered"  # the receiver answered 2xx
    DEAD = "dead"  # gave up after the last try


class WebhookEndpoint(SQLModel, table=True):
    """A URL that wants some of the events. The secret is a shared HMAC key: it is kept (the
    sender signs with it) and shown to the admin once, when the endpoint is made."""

    __tablename__ = "webhook_endpoints"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000, nullable=False)
    events: list[str] = Field(default_factory=list, sa_type=sa.JSON, nullable=False)
    secret: str = Field(max_length=100, nullable=False)
    is_active: bool = Field(default=True, nullable=False)
    created_by: int | None = Field(
        default=None, sa_column=sa.Column(sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )
    created_at: datetime = created_at_field()


class WebhookDelivery(SQLModel, table=True):
    """One event for one endpoint, written in the same transaction as the change, so a change
    that rolls back sends nothing (the outbox pattern, as for email). ``services/webhook_sender``
    delivers it later, at least once, always with the same ``webhook_id`` and ``body``."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        check_in("status", tuple(DeliveryStatus), "ck_webhook_deliveries_status"),
        check_in("event_type", tuple(WebhookEvent), "ck_webhook_deliveries_event_type"),
        sa.CheckConstraint("tries >= 0", name="ck_webhook_deliveries_tries"),
        # The same event reaches an endpoint once: "booking.confirmed:42".
        sa.UniqueConstraint("endpoint_id", "dedupe_key", name="uq_webhook_deliveries_endpoint_event"),
        # The sender's query: due pending deliveries, oldest first.
        sa.Index(
            "ix_webhook_deliveries_due",
            "next_attempt_at",
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    endpoint_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    # The Moviebook-Webhook-Id header and the body's "id": stable across retries, for dedupe.
    webhook_id: str = Field(max_length=40, nullable=False, unique=True)
    event_type: str = Field(max_length=40, nullable=False)
    dedupe_key: str = Field(max_length=120, nullable=False)
    body: str = Field(sa_type=sa.Text, nullable=False)  # the exact JSON sent (and signed) every time
    status: str = Field(default=DeliveryStatus.PENDING.value, max_length=9, nullable=False)
    tries: int = Field(default=0, nullable=False)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    last_error: str | None = Field(default=None, max_length=500)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = created_at_field()
