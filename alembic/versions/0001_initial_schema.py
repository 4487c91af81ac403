"""Initial schema: users, catalog, venues, showtimes, bookings and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 05:00:09.876101

"""

from typing import Sequence, Union

import sqlalchemy as sa

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "auditoriums",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auditoriums")),
        sa.UniqueConstraint("name", name=op.f("uq_auditoriums_name")),
    )
    op.create_table(
        "genres",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_genres")),
        sa.UniqueConstraint("name", name=op.f("uq_genres_name")),
    )
    op.create_table(
        "movies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("synopsis", sa.Text(), nullable=False),
        sa.Column("runtime_minutes", sa.Integer(), nullable=False),
        sa.Column("poster_path", sa.String(length=300), nullable=True),
        sa.Column("age_rating", sa.String(length=4), nullable=False),
        sa.Column("language", sa.String(length=40), nullable=False),
        sa.Column("release_date", sa.Date(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("age_rating IN ('U', 'PG', '12A', '15', '18')", name="ck_movies_age_rating"),
        sa.CheckConstraint("runtime_minutes > 0 AND runtime_minutes <= 600", name="ck_movies_runtime"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movies")),
    )
    op.create_index(op.f("ix_movies_title"), "movies", ["title"], unique=False)
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('user', 'staff', 'admin')", name="ck_users_role"),
        sa.CheckConstraint("email = lower(email)", name="ck_users_email_lower"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
    )
    op.create_index(op.f("ix_users_email"), "users", ["email"], unique=True)
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=40), nullable=True),
        sa.Column("old_values", sa.JSON(), nullable=True),
        sa.Column("new_values", sa.JSON(), nullable=True),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_log_actor_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_action"), "audit_log", ["action"], unique=False)
    op.create_index(op.f("ix_audit_log_actor_id"), "audit_log", ["actor_id"], unique=False)
    op.create_index("ix_audit_log_created_at", "audit_log", ["created_at"], unique=False)
    op.create_index("ix_audit_log_entity", "audit_log", ["entity_type", "entity_id"], unique=False)
    op.create_table(
        "movie_genres",
        sa.Column("movie_id", sa.Integer(), nullable=False),
        sa.Column("genre_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["genre_id"], ["genres.id"], name=op.f("fk_movie_genres_genre_id_genres"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["movie_id"], ["movies.id"], name=op.f("fk_movie_genres_movie_id_movies"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("movie_id", "genre_id", name=op.f("pk_movie_genres")),
    )
    op.create_index(op.f("ix_movie_genres_genre_id"), "movie_genres", ["genre_id"], unique=False)
    op.create_table(
        "seats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("auditorium_id", sa.Integer(), nullable=False),
        sa.Column("row_label", sa.String(length=3), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("seat_type", sa.String(length=12), nullable=False),
        sa.Column("x", sa.Integer(), nullable=False),
        sa.Column("y", sa.Integer(), nullable=False),
        sa.Column("price_modifier_cents", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "seat_type IN ('regular', 'premium', 'wheelchair', 'companion', 'couple', 'blocked')", name="ck_seats_type"
        ),
        sa.CheckConstraint("number > 0", name="ck_seats_number"),
        sa.CheckConstraint("x >= 0 AND y >= 0", name="ck_seats_position"),
        sa.ForeignKeyConstraint(
            ["auditorium_id"], ["auditoriums.id"], name=op.f("fk_seats_auditorium_id_auditoriums"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seats")),
        sa.UniqueConstraint("auditorium_id", "row_label", "number", name="uq_seats_row_number"),
        sa.UniqueConstraint("auditorium_id", "x", "y", name="uq_seats_position"),
    )
    op.create_table(
        "showtimes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("movie_id", sa.Integer(), nullable=False),
        sa.Column("auditorium_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("base_price_cents", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=4), nullable=False),
        sa.Column("language", sa.String(length=40), nullable=False),
        sa.Column("subtitles", sa.String(length=40), nullable=True),
        sa.Column("is_cancelled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("format IN ('2D', '3D', 'IMAX')", name="ck_showtimes_format"),
        sa.CheckConstraint("base_price_cents >= 0", name="ck_showtimes_price"),
        sa.CheckConstraint("ends_at > starts_at", name="ck_showtimes_ends_after_start"),
        sa.ForeignKeyConstraint(
            ["auditorium_id"], ["auditoriums.id"], name=op.f("fk_showtimes_auditorium_id_auditoriums")
        ),
        sa.ForeignKeyConstraint(["movie_id"], ["movies.id"], name=op.f("fk_showtimes_movie_id_movies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_showtimes")),
    )
    op.create_index("ix_showtimes_auditorium_start", "showtimes", ["auditorium_id", "starts_at"], unique=False)
    op.create_index(op.f("ix_showtimes_movie_id"), "showtimes", ["movie_id"], unique=False)
    op.create_index(op.f("ix_showtimes_starts_at"), "showtimes", ["starts_at"], unique=False)
    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("showtime_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("refund_cents", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_reason", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('confirmed', 'cancelled', 'completed')", name="ck_bookings_status"),
        sa.CheckConstraint("refund_cents >= 0 AND refund_cents <= total_cents", name="ck_bookings_refund"),
        sa.CheckConstraint("total_cents >= 0", name="ck_bookings_total"),
        sa.ForeignKeyConstraint(["showtime_id"], ["showtimes.id"], name=op.f("fk_bookings_showtime_id_showtimes")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_bookings_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookings")),
        sa.UniqueConstraint("code", name=op.f("uq_bookings_code")),
        sa.UniqueConstraint("user_id", "idempotency_key", name="uq_bookings_idempotency"),
    )
    op.create_index(op.f("ix_bookings_showtime_id"), "bookings", ["showtime_id"], unique=False)
    op.create_index(op.f("ix_bookings_user_id"), "bookings", ["user_id"], unique=False)
    op.create_table(
        "booking_seats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("showtime_id", sa.Integer(), nullable=False),
        sa.Column("seat_id", sa.Integer(), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("price_cents >= 0", name="ck_booking_seats_price"),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_booking_seats_booking_id_bookings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["seat_id"], ["seats.id"], name=op.f("fk_booking_seats_seat_id_seats")),
        sa.ForeignKeyConstraint(["showtime_id"], ["showtimes.id"], name=op.f("fk_booking_seats_showtime_id_showtimes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_seats")),
        sa.UniqueConstraint("booking_id", "seat_id", name="uq_booking_seats_booking_seat"),
    )
    op.create_index(op.f("ix_booking_seats_booking_id"), "booking_seats", ["booking_id"], unique=False)
    op.create_index(
        "uq_booking_seats_active_seat",
        "booking_seats",
        ["showtime_id", "seat_id"],
        unique=True,
        postgresql_where=sa.text("is_active"),
        sqlite_where=sa.text("is_active"),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(
        "uq_booking_seats_active_seat",
        table_name="booking_seats",
        postgresql_where=sa.text("is_active"),
        sqlite_where=sa.text("is_active"),
    )
    op.drop_index(op.f("ix_booking_seats_booking_id"), table_name="booking_seats")
    op.drop_table("booking_seats")
    op.drop_index(op.f("ix_bookings_user_id"), table_name="bookings")
    op.drop_index(op.f("ix_bookings_showtime_id"), table_name="bookings")
    op.drop_table("bookings")
    op.drop_index(op.f("ix_showtimes_starts_at"), table_name="showtimes")
    op.drop_index(op.f("ix_showtimes_movie_id"), table_name="showtimes")
    op.drop_index("ix_showtimes_auditorium_start", table_name="showtimes")
    op.drop_table("showtimes")
    op.drop_table("seats")
    op.drop_index(op.f("ix_movie_genres_genre_id"), table_name="movie_genres")
    op.drop_table("movie_genres")
    op.drop_index("ix_audit_log_entity", table_name="audit_log")
    op.drop_index("ix_audit_log_created_at", table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_actor_id"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_action"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index(op.f("ix_users_email"), table_name="users")
    op.drop_table("users")
    op.drop_index(op.f("ix_movies_title"), table_name="movies")
    op.drop_table("movies")
    op.drop_table("genres")
    op.drop_table("auditoriums")
