"""People who use the box office: moviegoers, staff and admins."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from moviebook.models.base import UTCDateTime, check_in, created_at_field, updated_at_field


class Role(StrEnum):
    USER = "user"
    STAFF = "staff"
    ADMIN = "admin"


class User(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (
        check_in("role", tuple(Role), "ck_users_role"),
        # Emails are stored normalised; the CHECK stops a code path that forgets to.
        sa.CheckConstraint("email = lower(email)", name="ck_users_email_lower"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, nullable=False)
    email: str = Field(max_length=254, nullable=False, unique=True, index=True)
    password_hash: str = Field(max_length=255, nullable=False)
    role: str = Field(default=Role.USER.value, max_length=10, nullable=False)
    is_active: bool = Field(default=True, nullable=False)
    email_verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Optional mails (reminders before a show); transactional ones always go.
    email_reminders: bool = Field(default=True, nullable=False, sa_column_kwargs={"server_default": sa.true()})
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()
