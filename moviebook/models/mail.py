"""Email: the transactional outbox, one-time account tokens and the waiting list."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from moviebook.models.base import UTCDateTime, check_in, created_at_field, utcnow


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for its next attempt
    SENT = "sent"  # the SMTP server accepted it
    DEAD = "dead"  # gave up after the last try; an admin may retry it


class OutboxMessage(SQLModel, table=True):
    """One email, written in the same transaction as the change that causes it, so a change that
    rolls back sends nothing. The sender loop (services/mail_sender.py) delivers it later (and
    renders it first when it was queued as an intent: ``booking_id`` set, ``body_html`` empty)."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        check_in("status", tuple(OutboxStatus), "ck_outbox_messages_status"),
        sa.CheckConstraint("tries >= 0", name="ck_outbox_messages_tries"),
        # The sender's query: due pending messages, oldest first.
        sa.Index(
            "ix_outbox_messages_due",
            "next_attempt_at",
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40, nullable=False, index=True)
    # The same event never queues two messages: "booking_confirmed:42".
    dedupe_key: str | None = Field(default=None, max_length=120, unique=True)
    to_address: str = Field(max_length=254, nullable=False)
    subject: str = Field(max_length=200, nullable=False)
    body_text: str = Field(sa_type=sa.Text, nullable=False)
    body_html: str = Field(sa_type=sa.Text, nullable=False)
    # [{"filename", "content_type", "data" (base64), "inline_id" or None}]
    attachments: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON, nullable=False)
    # A booking's ticket mail is queued as an intent (this id, the address and the subject, the
    # bodies empty) in the sale's transaction, and rendered by the sender when it first sends it,
    # so the sale never waits for the QR code and the calendar file.
    booking_id: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("bookings.id", ondelete="CASCADE"), nullable=True, index=True),
    )
    # Stable across retries, so a receiver can drop a duplicate (delivery is at-least-once).
    message_id: str = Field(max_length=200, nullable=False, unique=True)
    status: str = Field(default=OutboxStatus.PENDING.value, max_length=8, nullable=False)
    tries: int = Field(default=0, nullable=False)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    last_error: str | None = Field(default=None, max_length=500)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = created_at_field()


class TokenPurpose(StrEnum):
    RESET_PASSWORD = "reset_password"
    VERIFY_EMAIL = "verify_email"
    CHANGE_EMAIL = "change_email"


class UserToken(SQLModel, table=True):
    """A one-time link sent by email. Only a hash of the token is stored."""

    __tablename__ = "user_tokens"
    __table_args__ = (check_in("purpose", tuple(TokenPurpose), "ck_user_tokens_purpose"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    purpose: str = Field(max_length=16, nullable=False)
    token_hash: str = Field(max_length=64, nullable=False, unique=True)
    new_email: str | None = Field(default=None, max_length=254)  # for a change of email
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = created_at_field()


class WaitingListEntry(SQLModel, table=True):
    """Someone who asked to be told when seats of a full showtime come free."""

    __tablename__ = "waiting_list"
    __table_args__ = (
        sa.UniqueConstraint("showtime_id", "user_id", name="uq_waiting_list_showtime_user"),
        sa.CheckConstraint("seats_wanted >= 1", name="ck_waiting_list_seats"),
    )

    id: int | None = Field(default=None, primary_key=True)
    showtime_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("showtimes.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    user_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    seats_wanted: int = Field(default=1, nullable=False)
    # The showtime's seat_openings when this person was last emailed: once per opening.
    notified_opening: int = Field(default=0, nullable=False)
    created_at: datetime = created_at_field()
