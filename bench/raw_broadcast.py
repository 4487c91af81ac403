"""The raw limit of a seat-map update: a bare python-socketio room broadcast, nothing else.

    with raw_server() as url:                       # python -m bench.raw_broadcast --port P
        clients = await connect_raw_clients(url, 500)
        samples = await broadcast_latencies(url, clients, payload, trials=5)

A plain ``socketio.AsyncServer`` (aiohttp, one process) on a free port; each client joins one
room; a control client asks the server to emit a payload to the room, and each client notes
when it has it. No Reflex, no Redis, no database: what is left is socket.io's own cost of
sending one message to N sockets and of N clients reading it, on the same machine and in the
same run as ``bench.live_sync`` measures Moviebook's path.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import socketio

from moviebook.config import PROJECT_ROOT
from tests.app_server import free_port

ROOM = "seats"


def serve(port: int) -> None:
    from aiohttp import web

    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
    app = web.Application()
    sio.attach(app)

    async def ping(_request):
        return web.Response(text="pong")

    app.router.add_get("/ping", ping)

    @sio.event
    async def join(sid):
        await sio.enter_room(sid, ROOM)
        return True

    @sio.event
    async def go(sid, data):  # one emit to the whole room, as the relay does per worker
        await sio.emit("update", data, room=ROOM)

    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


@contextmanager
def raw_server() -> Iterator[str]:
    """The bare server in a process of its own (as the app's workers are); yields its URL."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bench.raw_broadcast", "--port", str(port)], cwd=PROJECT_ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/ping", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the raw socket.io server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class RawClient:
    """A plain socket.io client in the room: notes when each trial's update arrives."""

    def __init__(self, url: str):
        self.url = url
        self.client = socketio.AsyncClient(reconnection=False)
        self.arrived: dict[int, float] = {}  # trial -> time.time()
        self.client.on("update", self._on_update)

    async def _on_update(self, data) -> None:
        self.arrived[data["trial"]] = time.time()

    async def connect(self) -> None:
        await self.client.connect(self.url, transports=["websocket"])
        await self.client.call("join", timeout=60)

    async def close(self) -> None:
        if self.client.connected:
            await self.client.disconnect()


async def connect_raw_clients(url: str, count: int, batch: int = 50) -> list[RawClient]:
    """``count`` clients joined to the room (those that connected)."""
    clients = [RawClient(url) for _ in range(count)]
    for start in range(0, count, batch):
        await asyncio.gather(*(c.connect() for c in clients[start : start + batch]), return_exceptions=True)
    return [c for c in clients if c.client.connected]


async def broadcast_latencies(
    url: str, clients: list[RawClient], payload: dict, trials: int, gap: float = 0.3, timeout: float = 60
) -> tuple[list[float], int]:
    """Ms from the control client's emit to each client having the update, over ``trials``
    emits; and how many (client, trial) updates never arrived within ``timeout``."""
    control = socketio.AsyncClient(reconnection=False)
    await control.connect(url, transports=["websocket"])
    samples: list[float] = []
    missing = 0
    try:
        for trial in range(trials):
            sent = time.time()
            await control.emit("go", {**payload, "trial": trial})
            deadline = time.monotonic() + timeout
            while not all(trial in c.arrived for c in clients) and time.monotonic() < deadline:
                await asyncio.sleep(0.005)
            got = [(c.arrived[trial] - sent) * 1000 for c in clients if trial in c.arrived]
            samples.extend(got)
            missing += len(clients) - len(got)
            await asyncio.sleep(gap)
    finally:
        await control.disconnect()
    return samples, missing


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    serve(parser.parse_args().port)
