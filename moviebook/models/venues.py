"""Where films are shown: auditoriums and their seats."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from moviebook.models.base import check_in, created_at_field, updated_at_field


class SeatType(StrEnum):
    REGULAR = "regular"
    PREMIUM = "premium"
    WHEELCHAIR = "wheelchair"
    COMPANION = "companion"
    COUPLE = "couple"
    BLOCKED = "blocked"


class Auditorium(SQLModel, table=True):
    __tablename__ = "auditoriums"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, nullable=False, unique=True)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class Seat(SQLModel, table=True):
    __tablename__ = "seats"
    __table_args__ = (
        sa.UniqueConstraint("auditorium_id", "row_label", "number", name="uq_seats_row_number"),
        # Two seats can never be drawn on the same spot of the map.
        sa.UniqueConstraint("auditorium_id", "x", "y", name="uq_seats_position"),
        check_in("seat_type", tuple(SeatType), "ck_seats_type"),
        sa.CheckConstraint("number > 0", name="ck_seats_number"),
        sa.CheckConstraint("x >= 0 AND y >= 0", name="ck_seats_position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    auditorium_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("auditoriums.id", ondelete="CASCADE"), nullable=False)
    )
    row_label: str = Field(max_length=3, nullable=False)
    number: int = Field(nullable=False)
    seat_type: str = Field(default=SeatType.REGULAR.value, max_length=12, nullable=False)
    # Grid position on the seat map; gaps in x or y draw aisles.
    x: int = Field(nullable=False)
    y: int = Field(nullable=False)
    # Added to the showtime's base price (may be negative for a discount), in cents.
    price_modifier_cents: int = Field(default=0, nullable=False)
