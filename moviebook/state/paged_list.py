"""What every admin list page does alike: load, search and move between pages.

A Reflex state mixin, combined with AuthState: each handler is guarded with the combining
state's own ``required_role`` (``requires()``), then calls that state's ``_reload``.
"""

from __future__ import annotations

import reflex as rx

from moviebook.services.tokens import Identity
from moviebook.state.guard import requires

MAX_PAGE = 10**6  # beyond any list's last page; the service clamps to the real last one


class PagedList(rx.State, mixin=True):
    page: int = 1
    pages: int = 1
    total: int = 0

    async def _reload(self, me: Identity) -> None:
        raise NotImplementedError

    @requires()
    async def on_load(self, me: Identity):
        await self._reload(me)

    @requires()
    async def go_to_page(self, me: Identity, page: int):
        self.page = page if 1 <= page <= MAX_PAGE else 1
        await self._reload(me)


class SearchableList(PagedList, mixin=True):
    query: str = ""

    @requires()
    async def search(self, me: Identity, text: str):
        self.query, self.page = text[:100], 1
        await self._reload(me)
