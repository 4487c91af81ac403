"""The ticket mail is queued as an intent: outbox messages may name their booking and be
rendered by the sender (issue 15, faster confirms).

Revision ID: 0010
Revises: 0009
"""

from typing import Sequence, Union

import sqlalchemy as sa

from alembic import op

revision: str = "0010"
down_revision: Union[str, Sequence[str], None] = "0009"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_messages") as batch:
        batch.add_column(sa.Column("booking_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_outbox_messages_booking_id_bookings"), "bookings", ["booking_id"], ["id"], ondelete="CASCADE"
        )
    op.create_index(op.f("ix_outbox_messages_booking_id"), "outbox_messages", ["booking_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_outbox_messages_booking_id"), table_name="outbox_messages")
    with op.batch_alter_table("outbox_messages") as batch:
        batch.drop_constraint(op.f("fk_outbox_messages_booking_id_bookings"), type_="foreignkey")
        batch.drop_column("booking_id")
