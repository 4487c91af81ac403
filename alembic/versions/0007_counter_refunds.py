"""Counter refunds: who gave the money back, so a cash-up counts a refund in the drawer that
paid it out (not necessarily the seller's).

Revision ID: 0007
Revises: 0006
"""

from typing import Sequence, Union

import sqlalchemy as sa

from alembic import op

revision: str = "0007"
down_revision: Union[str, Sequence[str], None] = "0006"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(sa.Column("refunded_by", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_bookings_refunded_by_users"), "users", ["refunded_by"], ["id"], ondelete="SET NULL"
        )
        batch.create_index(op.f("ix_bookings_refunded_by"), ["refunded_by"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("bookings") as batch:
        batch.drop_index(op.f("ix_bookings_refunded_by"))
        batch.drop_constraint(op.f("fk_bookings_refunded_by_users"), type_="foreignkey")
        batch.drop_column("refunded_by")
