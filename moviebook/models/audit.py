"""An append-only record of who changed what, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from moviebook.models.base import created_at_field


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (
        sa.Index("ix_audit_log_entity", "entity_type", "entity_id"),
        sa.Index("ix_audit_log_created_at", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Null for the system itself (seed, scheduled tasks) and for anonymous failed logins.
    actor_id: int | None = Field(
        default=None,
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), index=True),
    )
    action: str = Field(max_length=60, nullable=False, index=True)
    entity_type: str = Field(max_length=40, nullable=False)
    entity_id: str | None = Field(default=None, max_length=40)
    old_values: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    new_values: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    ip_address: str | None = Field(default=None, max_length=45)
    created_at: datetime = created_at_field()
