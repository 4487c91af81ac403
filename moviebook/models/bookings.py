"""Sold tickets: a booking and one row per seat in it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from moviebook.models.base import UTCDateTime, check_in, created_at_field, updated_at_field


class SalesChannel(StrEnum):
    ONLINE = "online"  # a moviegoer on the website, signed in
    COUNTER = "counter"  # staff at the box office, for a walk-in customer


class PaymentMethod(StrEnum):
    CARD = "card"
    CASH = "cash"


class BookingStatus(StrEnum):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class Booking(SQLModel, table=True):
    __tablename__ = "bookings"
    __table_args__ = (
        check_in("status", tuple(BookingStatus), "ck_bookings_status"),
        sa.CheckConstraint("total_cents >= 0", name="ck_bookings_total"),
        sa.CheckConstraint("seat_count >= 0", name="ck_bookings_seat_count"),
        sa.CheckConstraint("refund_cents >= 0 AND refund_cents <= total_cents", name="ck_bookings_refund"),
        sa.CheckConstraint("fee_cents >= 0 AND discount_cents >= 0", name="ck_bookings_fee_discount"),
        check_in("channel", tuple(SalesChannel), "ck_bookings_channel"),
        check_in("payment_method", tuple(PaymentMethod), "ck_bookings_payment_method"),
        # Online sales belong to a signed-in moviegoer; a counter sale may have no account, but
        # then it records the staff member who sold it.
        sa.CheckConstraint(
            "(channel = 'online' AND user_id IS NOT NULL) OR (channel = 'counter' AND sold_by IS NOT NULL)",
            name="ck_bookings_owner",
        ),
        sa.CheckConstraint(
            "cash_tendered_cents IS NULL OR cash_tendered_cents >= total_cents", name="ck_bookings_cash_tendered"
        ),
        # A retried or double-clicked confirm carries the same key and finds this row.
        sa.UniqueConstraint("user_id", "idempotency_key", name="uq_bookings_idempotency"),
        sa.UniqueConstraint("sold_by", "idempotency_key", name="uq_bookings_counter_idempotency"),
        # Reports group sales by the day they were made, and list a period's cancellations
        # (a few percent of bookings) without scanning the rest.
        sa.Index("ix_bookings_created_at", "created_at"),
        sa.Index(
            "ix_bookings_cancelled_showtime",
            "showtime_id",
            postgresql_where=sa.text("status = 'cancelled'"),
            sqlite_where=sa.text("status = 'cancelled'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    # None for a counter sale to someone without an account.
    user_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    showtime_id: int = Field(foreign_key="showtimes.id", nullable=False, index=True)
    status: str = Field(default=BookingStatus.CONFIRMED.value, max_length=10, nullable=False)
    # Short, unambiguous and human-readable: what a customer reads out at the door.
    code: str = Field(max_length=12, nullable=False, unique=True)
    # What the customer paid: the seats' prices after discount, plus the fee.
    total_cents: int = Field(nullable=False)
    fee_cents: int = Field(default=0, nullable=False, sa_column_kwargs={"server_default": "0"})
    discount_cents: int = Field(default=0, nullable=False, sa_column_kwargs={"server_default": "0"})
    promotion_id: int | None = Field(default=None, foreign_key="promotions.id")
    channel: str = Field(
        default=SalesChannel.ONLINE.value, max_length=8, nullable=False, sa_column_kwargs={"server_default": "online"}
    )
    payment_method: str = Field(
        default=PaymentMethod.CARD.value, max_length=8, nullable=False, sa_column_kwargs={"server_default": "card"}
    )
    # Counter cash sales: what the customer handed over (the change is this minus the total).
    cash_tendered_cents: int | None = Field(default=None)
    sold_by: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True),
    )
    # Given at the counter (optional); the booking then shows in that customer's My bookings.
    customer_email: str | None = Field(default=None, max_length=254, index=True)
    # How many seats the booking has (its booking_seats rows), so sales figures need not join them.
    # Set at confirm; seats are never added later and only switched off all together.
    seat_count: int = Field(default=0, nullable=False, sa_column_kwargs={"server_default": "0"})
    refund_cents: int = Field(default=0, nullable=False)
    idempotency_key: str = Field(max_length=64, nullable=False)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cancel_reason: str | None = Field(default=None, max_length=300)
    # A counter refund: the staff member who paid the money back (their cash-up counts it).
    refunded_by: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True),
    )
    # Set once at the door; the check-in service refuses a second time (see services/checkin.py).
    checked_in_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    checked_in_by: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    )
    # When the reminder mail was queued (once per booking).
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class BookingSeat(SQLModel, table=True):
    __tablename__ = "booking_seats"
    __table_args__ = (
        sa.UniqueConstraint("booking_id", "seat_id", name="uq_booking_seats_booking_seat"),
        sa.CheckConstraint("price_cents >= 0", name="ck_booking_seats_price"),
        sa.CheckConstraint(
            "unit_price_cents >= 0 AND discount_cents >= 0 AND fee_cents >= 0 "
            "AND price_cents = unit_price_cents - discount_cents",
            name="ck_booking_seats_amounts",
        ),
        # The last guard against selling a seat twice: whatever Redis holds say, the database
        # accepts at most one active (not cancelled) row per seat and showtime.
        sa.Index(
            "uq_booking_seats_active_seat",
            "showtime_id",
            "seat_id",
            unique=True,
            postgresql_where=sa.text("is_active"),
            sqlite_where=sa.text("is_active"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(
        sa_column=sa.Column(
            sa.Integer,
            sa.ForeignKey("bookings.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    # Copied from the booking so the unique index above can be expressed on this table.
    showtime_id: int = Field(foreign_key="showtimes.id", nullable=False)
    seat_id: int = Field(foreign_key="seats.id", nullable=False)
    # As sold, so later price changes never rewrite history: the ticket type's name and price
    # for this seat, the promotion's share taken off it, and what was paid (unit - discount).
    ticket_type_id: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("ticket_types.id", ondelete="SET NULL"), nullable=True),
    )
    ticket_type_name: str = Field(
        default="Standard", max_length=40, nullable=False, sa_column_kwargs={"server_default": "Standard"}
    )
    unit_price_cents: int = Field(nullable=False)
    discount_cents: int = Field(default=0, nullable=False, sa_column_kwargs={"server_default": "0"})
    fee_cents: int = Field(default=0, nullable=False, sa_column_kwargs={"server_default": "0"})
    price_cents: int = Field(nullable=False)
    # False once the booking is cancelled, which frees the seat for the index above.
    is_active: bool = Field(default=True, nullable=False)
