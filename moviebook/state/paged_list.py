"""What every admin list page does alike: load, search and move between pages.

A Reflex state mixin, combined with AuthState: each handler checks the combining state's own
``required_role`` on the server before anything else, then calls that state's ``_reload``.
"""

from __future__ import annotations

import reflex as rx

from moviebook.models import Role
from moviebook.services.tokens import Identity


class PagedList(rx.State, mixin=True):
    page: int = 1
    pages: int = 1
    total: int = 0

    async def _reload(self, me: Identity) -> None:
        raise NotImplementedError

    async def _caller(self) -> Identity | None:
        """The caller, if they have the combining state's role (a list is never public)."""
        return await self._require_role(self.required_role or Role.USER.value)

    @rx.event
    async def on_load(self):
        if (me := await self._caller()) is None:
            return self._refusal()
        await self._reload(me)

    @rx.event
    async def go_to_page(self, page: int):
        if (me := await self._caller()) is None:
            return self._refusal()
        self.page = int(page) if str(page).isdigit() and len(str(page)) <= 9 else 1
        await self._reload(me)


class SearchableList(PagedList, mixin=True):
    query: str = ""

    @rx.event
    async def search(self, text: str):
        if (me := await self._caller()) is None:
            return self._refusal()
        self.query, self.page = str(text)[:100], 1
        await self._reload(me)
