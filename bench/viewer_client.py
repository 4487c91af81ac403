"""A seat-map viewer without a browser (``tests.reflex_protocol.ReflexClient``) that watches
the deltas for seats turning taken. Hundreds fit in one process."""

from __future__ import annotations

import asyncio
import time

from tests.reflex_protocol import ReflexClient, built_state_schema

__all__ = ["Viewer", "built_state_schema"]


def _picker_name() -> str:
    from moviebook.state.seat_picker import SeatPickerState

    return SeatPickerState.get_full_name()


class Viewer(ReflexClient):
    def __init__(self, url: str, showtime_id: int, schema: str):
        super().__init__(url, schema)
        self.showtime_id = showtime_id
        self.picker = _picker_name()
        self.flips: dict[str, float] = {}  # label -> time.time() when it became taken
        self.labels: dict[str, str] = {}  # seat id (text) -> "Row A, seat 3"

    async def _on_event(self, message) -> None:
        await super()._on_event(message)
        delta = message.get("delta", {}) if isinstance(message, dict) else {}
        picker = delta.get(self.picker, {})
        if "rows_rx_state_" in picker:  # the static grid: learn which seat id is which label
            for row in picker["rows_rx_state_"]:
                for cell in row["cells"]:
                    if cell.get("is_seat"):
                        self.labels[cell["key"]] = ", ".join(cell["label"].split(", ")[:2])
        now = time.time()
        for key in picker.get("taken_rx_state_") or {}:  # a viewer holding nothing sees every taken seat
            label = self.labels.get(key)
            if label and label not in self.flips:
                self.flips[label] = now

    async def connect(self) -> None:
        path = f"/showtimes/{self.showtime_id}"
        await self.open(path, {"showtime_id": str(self.showtime_id)})
        deadline = time.monotonic() + 60
        while not self.labels:  # the grid arrives with the page's on_load
            if time.monotonic() > deadline:
                raise TimeoutError(f"the seat map of showtime {self.showtime_id} never arrived")
            await asyncio.sleep(0.02)
