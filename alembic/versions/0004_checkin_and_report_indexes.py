"""Check-in at the door, and the indexes the reports need.

Revision ID: 0004
Revises: 0003
"""

from typing import Sequence, Union

import sqlalchemy as sa

from alembic import op

revision: str = "0004"
down_revision: Union[str, Sequence[str], None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("checked_in_by", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_bookings_checked_in_by_users"), "users", ["checked_in_by"], ["id"], ondelete="SET NULL"
        )
    op.create_index("ix_bookings_created_at", "bookings", ["created_at"], unique=False)
    op.create_index(
        "ix_bookings_cancelled_showtime",
        "bookings",
        ["showtime_id"],
        unique=False,
        postgresql_where=sa.text("status = 'cancelled'"),
        sqlite_where=sa.text("status = 'cancelled'"),
    )


def downgrade() -> None:
    op.drop_index("ix_bookings_cancelled_showtime", table_name="bookings")
    op.drop_index("ix_bookings_created_at", table_name="bookings")
    with op.batch_alter_table("bookings") as batch:
        batch.drop_constraint(op.f("fk_bookings_checked_in_by_users"), type_="foreignkey")
        batch.drop_column("checked_in_by")
        batch.drop_column("checked_in_at")
