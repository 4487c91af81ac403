"""Selling the way cinemas sell: ticket types, promotion codes, booking fees, counter sales and
the film's rental share.

Existing booking seats become "Standard" tickets sold at their price with no discount or fee,
and every existing booking an online card sale, which is what they were.

Revision ID: 0006
Revises: 0005
"""

from typing import Sequence, Union

import sqlalchemy as sa

from alembic import op

revision: str = "0006"
down_revision: Union[str, Sequence[str], None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "ticket_types",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("rule", sa.String(length=12), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("max_age", sa.Integer(), nullable=True),
        sa.Column("door_note", sa.String(length=120), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint("rule IN ('absolute', 'amount_off', 'percent_off')", name="ck_ticket_types_rule"),
        sa.CheckConstraint("value >= 0", name="ck_ticket_types_value"),
        sa.CheckConstraint("rule != 'percent_off' OR value <= 10000", name="ck_ticket_types_percent"),
        sa.CheckConstraint("max_age IS NULL OR max_age >= 0", name="ck_ticket_types_max_age"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_types")),
        sa.UniqueConstraint("name", name=op.f("uq_ticket_types_name")),
    )
    op.create_table(
        "promotions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("valid_from", TS, nullable=False),
        sa.Column("valid_to", TS, nullable=False),
        sa.Column("formats", sa.String(length=40), nullable=False),
        sa.Column("weekdays", sa.String(length=20), nullable=False),
        sa.Column("min_tickets", sa.Integer(), nullable=False),
        sa.Column("max_redemptions", sa.Integer(), nullable=True),
        sa.Column("max_per_customer", sa.Integer(), nullable=True),
        sa.Column("redemption_count", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint("kind IN ('percent', 'amount')", name="ck_promotions_kind"),
        sa.CheckConstraint("value > 0", name="ck_promotions_value"),
        sa.CheckConstraint("kind != 'percent' OR value <= 10000", name="ck_promotions_percent"),
        sa.CheckConstraint("valid_to > valid_from", name="ck_promotions_period"),
        sa.CheckConstraint("min_tickets >= 1", name="ck_promotions_min_tickets"),
        sa.CheckConstraint(
            "redemption_count >= 0 AND (max_redemptions IS NULL OR redemption_count <= max_redemptions)",
            name="ck_promotions_redemptions",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promotions")),
        sa.UniqueConstraint("code", name=op.f("uq_promotions_code")),
    )
    op.create_table(
        "promotion_movies",
        sa.Column("promotion_id", sa.Integer(), nullable=False),
        sa.Column("movie_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["promotion_id"],
            ["promotions.id"],
            name=op.f("fk_promotion_movies_promotion_id_promotions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["movie_id"], ["movies.id"], name=op.f("fk_promotion_movies_movie_id_movies"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("promotion_id", "movie_id", name=op.f("pk_promotion_movies")),
    )
    op.create_index(op.f("ix_promotion_movies_movie_id"), "promotion_movies", ["movie_id"], unique=False)

    with op.batch_alter_table("movies") as batch:
        batch.add_column(sa.Column("rental_percent_bp", sa.Integer(), server_default="3500", nullable=False))
        batch.create_check_constraint("ck_movies_rental", "rental_percent_bp >= 0 AND rental_percent_bp <= 10000")

    with op.batch_alter_table("bookings") as batch:
        batch.alter_column("user_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("fee_cents", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("discount_cents", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("promotion_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("channel", sa.String(length=8), server_default="online", nullable=False))
        batch.add_column(sa.Column("payment_method", sa.String(length=8), server_default="card", nullable=False))
        batch.add_column(sa.Column("cash_tendered_cents", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("sold_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("customer_email", sa.String(length=254), nullable=True))
        batch.create_foreign_key(op.f("fk_bookings_promotion_id_promotions"), "promotions", ["promotion_id"], ["id"])
        batch.create_foreign_key(op.f("fk_bookings_sold_by_users"), "users", ["sold_by"], ["id"], ondelete="SET NULL")
        batch.create_index(op.f("ix_bookings_sold_by"), ["sold_by"], unique=False)
        batch.create_index(op.f("ix_bookings_customer_email"), ["customer_email"], unique=False)
        batch.create_unique_constraint("uq_bookings_counter_idempotency", ["sold_by", "idempotency_key"])
        batch.create_check_constraint("ck_bookings_fee_discount", "fee_cents >= 0 AND discount_cents >= 0")
        batch.create_check_constraint("ck_bookings_channel", "channel IN ('online', 'counter')")
        batch.create_check_constraint("ck_bookings_payment_method", "payment_method IN ('card', 'cash')")
        batch.create_check_constraint(
            "ck_bookings_owner",
            "(channel = 'online' AND user_id IS NOT NULL) OR (channel = 'counter' AND sold_by IS NOT NULL)",
        )
        batch.create_check_constraint(
            "ck_bookings_cash_tendered", "cash_tendered_cents IS NULL OR cash_tendered_cents >= total_cents"
        )

    op.create_table(
        "promotion_redemptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("promotion_id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("customer_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["promotion_id"], ["promotions.id"], name=op.f("fk_promotion_redemptions_promotion_id_promotions")
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_promotion_redemptions_booking_id_bookings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promotion_redemptions")),
        sa.UniqueConstraint("booking_id", name=op.f("uq_promotion_redemptions_booking_id")),
    )
    op.create_index(
        op.f("ix_promotion_redemptions_promotion_id"), "promotion_redemptions", ["promotion_id"], unique=False
    )
    op.create_index(
        op.f("ix_promotion_redemptions_customer_key"), "promotion_redemptions", ["customer_key"], unique=False
    )

    with op.batch_alter_table("booking_seats") as batch:
        batch.add_column(sa.Column("ticket_type_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("ticket_type_name", sa.String(length=40), server_default="Standard", nullable=False))
        batch.add_column(sa.Column("unit_price_cents", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("discount_cents", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("fee_cents", sa.Integer(), server_default="0", nullable=False))
        batch.create_foreign_key(
            op.f("fk_booking_seats_ticket_type_id_ticket_types"),
            "ticket_types",
            ["ticket_type_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.execute("UPDATE booking_seats SET unit_price_cents = price_cents")
    with op.batch_alter_table("booking_seats") as batch:
        batch.alter_column("unit_price_cents", existing_type=sa.Integer(), nullable=False)
        batch.create_check_constraint(
            "ck_booking_seats_amounts",
            "unit_price_cents >= 0 AND discount_cents >= 0 AND fee_cents >= 0 "
            "AND price_cents = unit_price_cents - discount_cents",
        )


def downgrade() -> None:
    with op.batch_alter_table("booking_seats") as batch:
        batch.drop_constraint("ck_booking_seats_amounts", type_="check")
        batch.drop_constraint(op.f("fk_booking_seats_ticket_type_id_ticket_types"), type_="foreignkey")
        for column in ("fee_cents", "discount_cents", "unit_price_cents", "ticket_type_name", "ticket_type_id"):
            batch.drop_column(column)
    op.drop_table("promotion_redemptions")
    # Counter sales without an account cannot survive a schema that needs a user on every booking.
    op.execute("DELETE FROM bookings WHERE user_id IS NULL")
    with op.batch_alter_table("bookings") as batch:
        for name in (
            "ck_bookings_cash_tendered",
            "ck_bookings_owner",
            "ck_bookings_payment_method",
            "ck_bookings_channel",
            "ck_bookings_fee_discount",
        ):
            batch.drop_constraint(name, type_="check")
        batch.drop_constraint("uq_bookings_counter_idempotency", type_="unique")
        batch.drop_index(op.f("ix_bookings_customer_email"))
        batch.drop_index(op.f("ix_bookings_sold_by"))
        batch.drop_constraint(op.f("fk_bookings_sold_by_users"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_bookings_promotion_id_promotions"), type_="foreignkey")
        for column in (
            "customer_email",
            "sold_by",
            "cash_tendered_cents",
            "payment_method",
            "channel",
            "promotion_id",
            "discount_cents",
            "fee_cents",
        ):
            batch.drop_column(column)
        batch.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("movies") as batch:
        batch.drop_constraint("ck_movies_rental", type_="check")
        batch.drop_column("rental_percent_bp")
    op.drop_index(op.f("ix_promotion_movies_movie_id"), table_name="promotion_movies")
    op.drop_table("promotion_movies")
    op.drop_table("promotions")
    op.drop_table("ticket_types")
