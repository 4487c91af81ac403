"""Reading the audit log: newest first, filtered by what happened, to what, and by whom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from moviebook.models import AuditEntry, Role, User
from moviebook.services.paging import Page, page_slice
from moviebook.services.roles import require_role
from moviebook.services.text_search import LIKE_ESCAPE, contains_pattern
from moviebook.services.tokens import Identity


@dataclass(frozen=True)
class AuditRow:
    id: int
    created_at: datetime
    actor: str
    action: str
    entity: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    ip: str | None


AuditPage = Page[AuditRow]


def audit_entity_types(session: Session) -> list[str]:
    return list(session.exec(select(AuditEntry.entity_type).distinct().order_by(AuditEntry.entity_type)))


def list_audit(
    session: Session,
    actor: Identity,
    *,
    action: str = "",
    entity_type: str = "",
    actor_query: str = "",
    page: int = 1,
    page_size: int = 25,
) -> AuditPage:
    require_role(actor, Role.ADMIN.value)
    condition = col(AuditEntry.id).is_not(None)
    if action:
        condition = condition & col(AuditEntry.action).startswith(action[:60])
    if entity_type:
        condition = condition & (AuditEntry.entity_type == entity_type[:40])
    if actor_query.strip():
        pattern = contains_pattern(actor_query.strip()[:100])
        condition = condition & col(AuditEntry.actor_id).in_(
            select(User.id).where(
                col(User.email).ilike(pattern, escape=LIKE_ESCAPE) | col(User.name).ilike(pattern, escape=LIKE_ESCAPE)
            )
        )
    total = session.exec(select(func.count()).select_from(AuditEntry).where(condition)).one()
    at = page_slice(total, page, page_size)
    rows = session.exec(
        select(AuditEntry, User.email)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(condition)
        .order_by(AuditEntry.id.desc())
        .offset(at.offset)
        .limit(at.limit)
    ).all()
    return AuditPage(
        rows=tuple(
            AuditRow(
                e.id,
                e.created_at,
                email or "system",
                e.action,
                f"{e.entity_type} #{e.entity_id}" if e.entity_id else e.entity_type,
                e.old_values,
                e.new_values,
                e.ip_address,
            )
            for e, email in rows
        ),
        total=total,
        page=at.page,
        pages=at.pages,
    )
