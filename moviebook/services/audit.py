"""Writing the audit log: who did what to which record, when, and from where."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from moviebook.models import AuditEntry
from moviebook.models.base import row_values


def record(
    session: Session,
    action: str,
    *,
    actor_id: int | None,
    entity_type: str,
    entity_id: int | str | None = None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Add an entry to the caller's transaction: it is kept exactly when the change is."""
    entry = AuditEntry(
        **entry_values(action, actor_id=actor_id, entity_type=entity_type, entity_id=entity_id, old=old, new=new, ip=ip)
    )
    session.add(entry)
    return entry


def entry_values(
    action: str,
    *,
    actor_id: int | None,
    entity_type: str,
    entity_id: int | str | None = None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    ip: str | None = None,
) -> dict[str, Any]:
    """The column values of the entry ``record`` adds, for a caller that writes it together
    with other rows in one statement."""
    return row_values(
        AuditEntry,
        action=action,
        actor_id=actor_id,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        old_values=old,
        new_values=new,
        ip_address=(ip or None) and ip[:45],
    )
