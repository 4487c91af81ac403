"""``/unsubscribe?token=…``: the link in a reminder or waiting-list mail, followed without logging in."""

from __future__ import annotations

import asyncio

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.services.email_prefs import BadUnsubscribeLink, unsubscribe
from moviebook.state.auth import AuthState
from moviebook.state.guard import public


def _unsubscribe(token: str) -> str:
    with session_scope() as session:
        return unsubscribe(session, get_settings().secret_key, token).message


class UnsubscribeState(AuthState):
    done: bool = False
    message: str = ""
    working: bool = True

    @public
    async def on_load(self):
        self.working, self.done, self.message = True, False, ""
        yield
        token = str(self.router.url.query_parameters.get("token") or "")[:2048]
        try:
            self.message = await asyncio.to_thread(_unsubscribe, token)
            self.done = True
        except BadUnsubscribeLink as bad:
            self.message = str(bad)
        self.working = False
