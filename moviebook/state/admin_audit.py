"""``/admin/audit``: who changed what, newest first, with filters."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import ClassVar

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import Role
from moviebook.services.audit_log import AuditPage, audit_entity_types, list_audit
from moviebook.services.tokens import Identity
from moviebook.state.auth import AuthState
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

    @rx.event
    async def filter(self, form: dict):
        if (me := await self._require_role(Role.ADMIN.value)) is None:
            return self._refusal()
        raw = form if isinstance(form, dict) else {}
        self.action = str(raw.get("action", ""))[:60]
        self.entity = "" if raw.get("entity") in (None, "", "all") else str(raw.get("entity"))[:40]
        self.who = str(raw.get("who", ""))[:100]
        self.page = 1
        await self._reload(me)
