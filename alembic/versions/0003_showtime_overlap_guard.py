"""No two live showtimes overlap in one auditorium, enforced by PostgreSQL itself.

The scheduling service checks first and names the clash; this exclusion constraint is what
stops two admins who save at the same moment from both succeeding. SQLite (the quick-start
database) has no exclusion constraints and relies on the service check alone.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.execute(
        """
        ALTER TABLE showtimes ADD CONSTRAINT ex_showtimes_no_overlap
        EXCLUDE USING gist (auditorium_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
        WHERE (NOT is_cancelled)
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE showtimes DROP CONSTRAINT IF EXISTS ex_showtimes_no_overlap")
