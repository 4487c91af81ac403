"""``/admin`` and ``/admin/users``: admins find accounts, change roles, (de)activate them."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import ClassVar

import reflex as rx

from moviebook.db import session_scope
from moviebook.models import Role
from moviebook.services.errors import DomainError
from moviebook.services.roles import RANK, UserPage, change_role, search_users, set_active
from moviebook.services.tokens import Identity
from moviebook.state.auth import ROLE_LABELS, AuthState
from moviebook.state.guard import requires
from moviebook.state.paged_list import SearchableList

PAGE_SIZE = 20


@dataclass
class UserRowView:
    id: int = 0
    name: str = ""
    email: str = ""
    role: str = ""
    role_label: str = ""
    active: bool = True
    is_me: bool = False


def _search(me: Identity, query: str, page: int) -> UserPage:
    with session_scope() as session:
        return search_users(session, me, query=query, page=page, page_size=PAGE_SIZE)


def _change_role(me: Identity, user_id: int, role: str, ip: str) -> None:
    with session_scope() as session:
        change_role(session, me, user_id, role, ip=ip)


def _set_active(me: Identity, user_id: int, active: bool, ip: str) -> None:
    with session_scope() as session:
        set_active(session, me, user_id, active, ip=ip)


class AdminUsersState(SearchableList, AuthState):
    required_role: ClassVar[str | None] = Role.ADMIN.value
    rows: list[UserRowView] = []
    loading: bool = False

    async def _reload(self, me: Identity) -> None:
        self.loading = True
        result = await asyncio.to_thread(_search, me, self.query, self.page)
        self.page, self.pages, self.total = result.page, result.pages, result.total
        self.rows = [
            UserRowView(
                id=r.id,
                name=r.name,
                email=r.email,
                role=r.role,
                role_label=ROLE_LABELS[r.role],
                active=r.is_active,
                is_me=r.id == me.user_id,
            )
            for r in result.rows
        ]
        self.loading = False

    @requires(Role.ADMIN)
    async def set_role(self, me: Identity, user_id: int, role: str):
        if role not in RANK:
            return rx.toast.error("Unknown role.")
        try:
            await asyncio.to_thread(_change_role, me, user_id, role, self._client_ip())
        except DomainError as problem:
            await self._reload(me)  # put the select back to what is really stored
            return rx.toast.error(str(problem))
        await self._reload(me)
        return rx.toast.success(f"Role changed to {ROLE_LABELS[role]}.")

    @requires(Role.ADMIN)
    async def set_active(self, me: Identity, user_id: int, active: bool):
        try:
            await asyncio.to_thread(_set_active, me, user_id, active, self._client_ip())
        except DomainError as problem:
            return rx.toast.error(str(problem))
        await self._reload(me)
        return rx.toast.success("Account reactivated." if active else "Account deactivated; its sessions have ended.")
