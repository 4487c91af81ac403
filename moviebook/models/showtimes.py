"""When a movie plays in an auditorium, and at what base price."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from moviebook.models.base import UTCDateTime, check_in, created_at_field, updated_at_field

FORMATS = ("2D", "3D", "IMAX")


class Showtime(SQLModel, table=True):
    __tablename__ = "showtimes"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ck_showtimes_ends_after_start"),
        sa.CheckConstraint("base_price_cents >= 0", name="ck_showtimes_price"),
        check_in("format", FORMATS, "ck_showtimes_format"),
        # No overlap in a room is also enforced by PostgreSQL: see migration 0003 (an
        # exclusion constraint, which SQLModel metadata cannot express portably).
        # The browse page and the overlap check both look showtimes up by room and time.
        sa.Index("ix_showtimes_auditorium_start", "auditorium_id", "starts_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    movie_id: int = Field(foreign_key="movies.id", nullable=False, index=True)
    auditorium_id: int = Field(foreign_key="auditoriums.id", nullable=False)
    starts_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    base_price_cents: int = Field(nullable=False)
    format: str = Field(default="2D", max_length=4, nullable=False)
    language: str = Field(default="English", max_length=40, nullable=False)
    subtitles: str | None = Field(default=None, max_length=40)
    is_cancelled: bool = Field(default=False, nullable=False)
    # Counts the times seats came free after the room had been too full for someone waiting;
    # the waiting list emails each person once per opening.
    seat_openings: int = Field(default=0, nullable=False, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()
