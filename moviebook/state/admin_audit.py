"""``/admin/audit``: who changed what, newest first, with filters."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import ClassVar

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import Role
from moviebook.services.audit_log import AuditPage, audit_entity_types, list_audit
from moviebook.services.tokens import Identity
from moviebook.state.auth import AuthState
from moviebook.state.guard import requires
from moviebook.state.paged_list import PagedList


@dataclass
class AuditRowView:
    id: int = 0
    when: str = ""
    actor: str = ""
    action: str = ""
    entity: str = ""
    change: str = ""


def _change(old, new) -> str:
    def short(values) -> str:
        return json.dumps(values, ensure_ascii=False, sort_keys=True)[:160] if values else "—"

    return f"{short(old)} → {short(new)}" if old else short(new)


def _load(me: Identity, action: str, entity: str, who: str, page: int) -> tuple[AuditPage, list[str]]:
    with session_scope() as session:
        return list_audit(
            session, me, action=action, entity_type=entity, actor_query=who, page=page
        ), audit_entity_types(session)


class AdminAuditState(PagedList, AuthState):
    required_role: ClassVar[str | None] = Role.ADMIN.value
    action: str = ""
    entity: str = ""
    who: str = ""
    entities: list[str] = []
    rows: list[AuditRowView] = []

    async def _reload(self, me: Identity) -> None:
        result, self.entities = await asyncio.to_thread(_load, me, self.action, self.entity, self.who, self.page)
        tz = get_settings().timezone
        self.page, self.pages, self.total = result.page, result.pages, result.total
        self.rows = [
            AuditRowView(
                r.id,
                r.created_at.astimezone(tz).strftime("%d %b %Y %H:%M:%S"),
                r.actor,
                r.action,
                r.entity,
                _change(r.old, r.new),
            )
            for r in result.rows
        ]

    @requires(Role.ADMIN)
    async def filter(self, me: Identity, form: dict):
        self.action = str(form.get("action", ""))[:60]
        self.entity = "" if form.get("entity") in (None, "", "all") else str(form.get("entity"))[:40]
        self.who = str(form.get("who", ""))[:100]
        self.page = 1
        await self._reload(me)
