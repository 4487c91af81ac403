"""One 100-seat grid per "showtime" (the dynamic route argument), kept live two ways.

- ``/shared/<hall>``: ``SharedSeats``, an ``rx.SharedState`` linked to ``hall-<hall>`` in its
  on_load. A click changes the linked state; Reflex itself re-sends it to every linked tab
  (``app.modify_state`` per linked token).
- ``/fanout/<hall>``: ``FanoutSeats``, a private state per tab plus the fan-out of
  moviebook/state/live.py in a few lines: each tab registers its client token under the hall
  in Redis; after a click the worker reads the taken seats once and ``emit_update``s the same
  small delta to every registered token (relayed to whichever worker holds the socket).

Both keep the taken seats in Redis (the shared state through the Redis state manager, the
fan-out in a hash), so a click costs one Redis write in each.
"""

from __future__ import annotations

import asyncio
import os

import redis
import reflex as rx
from reflex.state import StateUpdate
from reflex_base.constants.state import FIELD_MARKER
from reflex_base.registry import RegistrationContext

SEATS = [f"{row}{n}" for row in "ABCDEFGHIJ" for n in range(1, 11)]
_redis = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"), decode_responses=True)
_PENDING: set[asyncio.Task] = set()


class SharedSeats(rx.SharedState):
    taken: dict[str, int] = {}
    ready: bool = False  # True only in the linked copy: the private one never sets it

    @rx.event
    async def on_load(self):
        linked = await self._link_to(f"hall-{self.hall}")
        linked.ready = True

    @rx.event
    def take(self, seat: str):
        if seat in SEATS:
            self.taken = {**self.taken, seat: 1}


def _taken(hall: str) -> dict[str, int]:
    return {seat: int(v) for seat, v in _redis.hgetall(f"taken:{hall}").items()}


def _register(hall: str, token: str) -> dict[str, int]:
    _redis.sadd(f"viewers:{hall}", token)
    return _taken(hall)


def _take(hall: str, seat: str) -> tuple[dict[str, int], list[str]]:
    pipe = _redis.pipeline()
    pipe.hset(f"taken:{hall}", seat, 1)
    pipe.hgetall(f"taken:{hall}")
    pipe.smembers(f"viewers:{hall}")
    _, taken, viewers = pipe.execute()
    return {s: int(v) for s, v in taken.items()}, list(viewers)


async def _broadcast(taken: dict[str, int], tokens: list[str]) -> None:
    namespace = RegistrationContext.get().app.event_namespace
    update = StateUpdate(delta={FanoutSeats.get_full_name(): {f"taken{FIELD_MARKER}": taken}})
    await asyncio.gather(*(namespace.emit_update(update, t) for t in tokens), return_exceptions=True)


class FanoutSeats(rx.State):
    taken: dict[str, int] = {}
    ready: bool = False

    @rx.event
    async def on_load(self):
        self.taken = await asyncio.to_thread(_register, self.hall, self.router.session.client_token)
        self.ready = True

    @rx.event
    async def take(self, seat: str):
        if seat not in SEATS:
            return
        self.taken, viewers = await asyncio.to_thread(_take, self.hall, seat)
        me = self.router.session.client_token
        # After the handler returns (as live.announce does): this tab gets its own delta.
        task = asyncio.create_task(_broadcast(self.taken, [t for t in viewers if t != me]))
        _PENDING.add(task)
        task.add_done_callback(_PENDING.discard)


def grid(state) -> rx.Component:
    return rx.el.div(
        rx.foreach(
            SEATS,
            lambda seat: rx.el.button(
                seat,
                on_click=state.take(seat),
                data_taken=state.taken.contains(seat).to_string(),
            ),
        ),
        style={"display": "grid", "grid_template_columns": "repeat(10, 3em)"},
    )


def shared_page() -> rx.Component:
    return rx.el.main(rx.el.h1("SharedState"), grid(SharedSeats))


def fanout_page() -> rx.Component:
    return rx.el.main(rx.el.h1("Fan-out"), grid(FanoutSeats))


app = rx.App()
app.add_page(shared_page, route="/shared/[hall]", on_load=SharedSeats.on_load)
app.add_page(fanout_page, route="/fanout/[hall]", on_load=FanoutSeats.on_load)
