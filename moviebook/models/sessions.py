"""Sign-in sessions: what makes a token revocable.

Every access and refresh token names its session. A token is honoured only while its session
is not revoked, so logout, a password change or deactivation take effect at once. The session
remembers which refresh token is current: presenting an older one means it was stolen and
replayed, and the whole session is revoked.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from moviebook.models.base import UTCDateTime, created_at_field


class AuthSession(SQLModel, table=True):
    __tablename__ = "auth_sessions"

    id: str = Field(primary_key=True, max_length=32)
    user_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    refresh_jti: str = Field(max_length=32, nullable=False)
    # The refresh token just replaced, honoured for a few seconds: two tabs refreshing at the
    # same moment is not an attack.
    previous_refresh_jti: str | None = Field(default=None, max_length=32)
    rotated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_reason: str | None = Field(default=None, max_length=40)
    ip_address: str | None = Field(default=None, max_length=45)
    created_at: datetime = created_at_field()
