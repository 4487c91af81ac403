"""Shared column types and helpers for every table."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from pydantic_core import PydanticUndefined
from sqlmodel import Field, SQLModel

# Deterministic constraint names, so migrations can name what they alter or drop on every
# database. CHECK constraints are always named by hand where they are declared.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware timestamp that always comes back as UTC.

    PostgreSQL keeps the offset (``timestamptz``); SQLite drops it, so values read back from
    SQLite are naive and are re-labelled as UTC here. Naive values are refused on the way in,
    because a naive time is a bug waiting to show a showtime an hour off.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store timezone-aware UTC times only")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def created_at_field() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def updated_at_field() -> Any:
    return Field(
        default_factory=utcnow,
        sa_type=UTCDateTime,
        nullable=False,
        sa_column_kwargs={"onupdate": utcnow},
    )


def row_values(model: type[SQLModel], **values: Any) -> dict[str, Any]:
    """A new row's column values as ``model(**values)`` would hold them (defaults filled in,
    default factories called, an unset primary key left to the database), without building the
    instance: for code that writes rows with one Core INSERT."""
    table = model.__table__
    unknown = set(values) - set(table.columns.keys())
    if unknown:
        raise TypeError(f"{model.__name__} has no column(s) {sorted(unknown)}")
    row: dict[str, Any] = {}
    for column in table.columns:
        if column.key in values:
            row[column.key] = values[column.key]
        elif not column.primary_key:
            default = model.model_fields[column.key].get_default(call_default_factory=True)
            if default is PydanticUndefined:
                raise TypeError(f"{model.__name__}.{column.key} needs a value")
            row[column.key] = default
    return row


def check_in(column: str, values: tuple[str, ...], name: str) -> sa.CheckConstraint:
    """A CHECK that a text column holds one of a fixed set of values (portable enum)."""
    allowed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=name)
