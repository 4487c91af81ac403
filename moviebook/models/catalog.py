"""What is showing: movies and their genres."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from moviebook.models.base import UTCDateTime, check_in, created_at_field, updated_at_field

AGE_RATINGS = ("U", "PG", "12A", "15", "18")


class Genre(SQLModel, table=True):
    __tablename__ = "genres"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=40, nullable=False, unique=True)


class MovieGenre(SQLModel, table=True):
    __tablename__ = "movie_genres"

    movie_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("movies.id", ondelete="CASCADE"), primary_key=True)
    )
    genre_id: int = Field(
        sa_column=sa.Column(
            sa.Integer,
            sa.ForeignKey("genres.id", ondelete="CASCADE"),
            primary_key=True,
            index=True,
        )
    )


class Movie(SQLModel, table=True):
    __tablename__ = "movies"
    __table_args__ = (
        sa.CheckConstraint("runtime_minutes > 0 AND runtime_minutes <= 600", name="ck_movies_runtime"),
        check_in("age_rating", AGE_RATINGS, "ck_movies_age_rating"),
        sa.CheckConstraint("rental_percent_bp >= 0 AND rental_percent_bp <= 10000", name="ck_movies_rental"),
    )

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200, nullable=False, index=True)
    synopsis: str = Field(default="", sa_type=sa.Text, nullable=False)
    runtime_minutes: int = Field(nullable=False)
    # A path below the app's assets or upload folder, e.g. "/posters/neon-harbor.jpg".
    poster_path: str | None = Field(default=None, max_length=300)
    age_rating: str = Field(max_length=4, nullable=False)
    language: str = Field(default="English", max_length=40, nullable=False)
    release_date: date | None = Field(default=None)
    # The distributor's share of the film's net box office, in basis points (3500 = 35%).
    rental_percent_bp: int = Field(default=3500, nullable=False, sa_column_kwargs={"server_default": "3500"})
    # Soft delete: bookings and reports keep pointing at the movie after it leaves the catalog.
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()
