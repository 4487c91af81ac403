"""A browser tab without a browser: Reflex's own socket.io protocol, spoken from Python.

It connects the way the built frontend does (the hydrate event rides in the CONNECT packet,
with the tab's localStorage values), then sends events by state and handler name with any
payload it likes: exactly what a crafted websocket client can do. Hundreds fit in one
process, where Chromium tabs stop at a few dozen on this machine.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from pathlib import Path
from typing import Any

import socketio
from reflex_base.constants.state import FIELD_MARKER

from moviebook.config import PROJECT_ROOT
from moviebook.state.auth import STORED_TOKENS_JS

ROOT_STATE = "reflex___state____state"


def built_state_schema(root: Path = PROJECT_ROOT) -> str:
    """The frontend build's state schema; the backend refuses a hydrate that does not match."""
    text = (root / ".web" / "utils" / "context.jsx").read_text()
    return re.search(r'stateSchema = "([0-9a-f]+)"', text).group(1)


class ReflexClient:
    """One tab. ``storage`` is its localStorage, by fully qualified var name (for example the
    session tokens: ``{f"{AuthState.get_full_name()}.access_token": token}``)."""

    def __init__(self, url: str, schema: str, storage: dict[str, Any] | None = None):
        self.url, self.schema, self.storage = url, schema, storage or {}
        self.token = str(uuid.uuid4())
        self.client = socketio.AsyncClient(reconnection=False)
        self.updates: list[dict] = []  # every StateUpdate the server sent, in order
        self.last_message = time.monotonic()
        self.path, self.query = "/", {}
        self.client.on("event", self._on_event, namespace="/_event")

    async def _on_event(self, message) -> None:
        self.last_message = time.monotonic()
        if isinstance(message, dict):
            self.updates.append(message)
            for event in message.get("events") or []:
                self._answer_script(event)

    def _answer_script(self, event: dict) -> None:
        """A browser runs the JavaScript ``rx.call_script`` sends. This tab answers the one
        question Moviebook's server asks of a browser, which session tokens its localStorage
        keeps (``AuthState._refusal``), from ``storage``, as the browser would."""
        payload = event.get("payload") or {}
        if event.get("name") != "_call_script" or payload.get("javascript_code") != STORED_TOKENS_JS:
            return
        asked = re.search(r'ReflexEvent\("([^"]+)\.(\w+)", \{(\w+):_result\}', str(payload.get("callback")))
        if asked is None:
            return
        state, handler, argument = asked.groups()
        stored = [self._stored(state, "access_token"), self._stored(state, "refresh_token")]
        asyncio.get_running_loop().create_task(self.send(state, handler, {argument: stored}))

    def _stored(self, state: str, var: str) -> str:
        for key in (f"{state}.{var}", f"{state}.{var}{FIELD_MARKER}"):
            if key in self.storage:
                return str(self.storage[key])
        return ""

    def _router_data(self) -> dict:
        return {"pathname": self.path, "asPath": self.path, "query": dict(self.query)}

    async def open(self, path: str = "/", query: dict[str, str] | None = None, timeout: float = 60) -> None:
        """Connect on a page and wait for the first state to arrive."""
        self.path, self.query = path, query or {}
        event = {
            "name": f"{ROOT_STATE}.hydrate_and_load",
            "payload": {"vars": self.storage} if self.storage else {},
            "router_data": self._router_data(),
        }
        await self.client.connect(
            f"{self.url}?token={self.token}",
            socketio_path="_event",
            namespaces=["/_event"],
            transports=["websocket"],
            auth={"event": event, "state_schema": self.schema},
        )
        deadline = time.monotonic() + timeout
        while not self.updates:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no state arrived for {path} within {timeout}s")
            await asyncio.sleep(0.02)

    async def send(self, state_full_name: str, handler: str, payload: Any) -> None:
        """Send one event, as a crafted client would: any handler, any payload."""
        await self.client.emit(
            "event",
            {"name": f"{state_full_name}.{handler}", "payload": payload, "router_data": self._router_data()},
            namespace="/_event",
        )

    async def settle(self, quiet: float = 0.5, timeout: float = 60) -> None:
        """Wait until the server has said nothing for ``quiet`` seconds (counted from now at
        the earliest, so an answer still on its way is waited for)."""
        started = time.monotonic()
        deadline = started + timeout
        while time.monotonic() - max(self.last_message, started) < quiet and time.monotonic() < deadline:
            await asyncio.sleep(0.02)

    def texts(self) -> str:
        """Everything the server sent, as text (toasts and redirects are in there)."""
        return " ".join(map(str, self.updates))

    @property
    def connected(self) -> bool:
        return self.client.connected

    async def close(self) -> None:
        if self.client.connected:
            await self.client.disconnect()
