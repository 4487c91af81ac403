"""A watchdog for the worker's event loop: when the loop stops turning for longer than
``LOOP_STALL_WARN_MS`` (off when unset), the log gets what the loop thread was running.

Every tab of a worker shares one event loop, so any synchronous work on it (a blocking call,
a big serialisation, a long garbage collection) holds every tab's state lock at once; Reflex
then reports "Lock ... held too long" for all of them, which names the victims, not the cause.
This names the cause.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import time
import traceback

from moviebook.config import get_settings

logger = logging.getLogger(__name__)

_TICK_SECONDS = 0.05


def _watch(loop_thread_id: int, beat: list[float], threshold: float, done: threading.Event) -> None:
    reported = 0.0
    while not done.wait(_TICK_SECONDS):
        last = beat[0]
        stalled = time.monotonic() - last
        if stalled >= threshold and reported != last:
            reported = last  # one report per stall
            frame = sys._current_frames().get(loop_thread_id)
            stack = "".join(traceback.format_stack(frame)) if frame is not None else "(no frame)"
            logger.warning("event loop stalled for %.0f ms so far; it is running:\n%s", stalled * 1000, stack)


async def loop_watch():
    """Lifespan task: beat every tick; a daemon thread reports the stack of a late beat."""
    threshold = get_settings().loop_stall_warn_ms / 1000
    if threshold <= 0:
        return
    beat, done = [time.monotonic()], threading.Event()
    watcher = threading.Thread(
        target=_watch, args=(threading.get_ident(), beat, threshold, done), name="loop-watch", daemon=True
    )
    watcher.start()
    try:
        while True:
            beat[0] = time.monotonic()
            await asyncio.sleep(_TICK_SECONDS)
    finally:  # a worker shutting down is not a stall
        done.set()
