"""A seat-map viewer without a browser: Reflex's own socket.io protocol, spoken from Python.

It connects the way the built frontend does (the hydrate event rides in the CONNECT packet)
and watches the deltas for one seat's state. Hundreds fit in one process, where Chromium tabs
stop at a few dozen on this machine.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid

import socketio

from moviebook.config import PROJECT_ROOT

PICKER = (
    "reflex___state____state.moviebook___state___auth____auth_state."
    "moviebook___state___seat_picker____seat_picker_state"
)


def built_state_schema() -> str:
    """The frontend build's state schema; the backend refuses a hydrate that does not match."""
    text = (PROJECT_ROOT / ".web" / "utils" / "context.jsx").read_text()
    return re.search(r'stateSchema = "([0-9a-f]+)"', text).group(1)


class Viewer:
    def __init__(self, url: str, showtime_id: int, schema: str):
        self.url, self.showtime_id, self.schema = url, showtime_id, schema
        self.client = socketio.AsyncClient(reconnection=False)
        self.watching: str | None = None  # the seat label whose state we wait for
        self.flips: dict[str, float] = {}  # label -> time.time() when it became taken
        self.labels: dict[str, str] = {}  # seat id (text) -> "Row A, seat 3"
        self.ready = asyncio.Event()
        self.client.on("event", self._on_event, namespace="/_event")

    async def _on_event(self, message) -> None:
        delta = message.get("delta", {}) if isinstance(message, dict) else {}
        picker = delta.get(PICKER, {})
        if "rows_rx_state_" in picker:  # the static grid: learn which seat id is which label
            for row in picker["rows_rx_state_"]:
                for cell in row["cells"]:
                    if cell.get("is_seat"):
                        self.labels[cell["key"]] = ", ".join(cell["label"].split(", ")[:2])
        taken = picker.get("taken_rx_state_")
        if taken is None:
            return
        self.ready.set()
        now = time.time()
        for key in taken:  # a viewer who holds nothing sees every taken seat as someone else's
            label = self.labels.get(key)
            if label and label not in self.flips:
                self.flips[label] = now

    async def connect(self) -> None:
        path = f"/showtimes/{self.showtime_id}"
        event = {
            "name": "reflex___state____state.hydrate_and_load",
            "payload": {},
            "router_data": {"pathname": path, "asPath": path, "query": {"showtime_id": str(self.showtime_id)}},
        }
        await self.client.connect(
            f"{self.url}?token={uuid.uuid4()}",
            socketio_path="_event",
            namespaces=["/_event"],
            transports=["websocket"],
            auth={"event": event, "state_schema": self.schema},
        )
        await asyncio.wait_for(self.ready.wait(), timeout=60)

    async def close(self) -> None:
        await self.client.disconnect()
