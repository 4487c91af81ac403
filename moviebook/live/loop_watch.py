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
import os
import sys
import threading
import time
import traceback

logger = logging.getLogger(__name__)

_TICK_SECONDS = 0.05


def _threshold_seconds() -> float:
    raw = os.environ.get("LOOP_STALL_WARN_MS", "").strip()
    return int(raw) / 1000 if raw.isdigit() and int(raw) > 0 else 0.0


def _watch(loop_thread_id: int, beat: list[float], threshold: float) -> None:
    reported = 0.0
    while True:
        time.sleep(_TICK_SECONDS)
        last = beat[0]
        stalled = time.monotonic() - last
        if stalled >= threshold and reported != last:
            reported = last  # one report per stall
            frame = sys._current_frames().get(loop_thread_id)
            stack = "".join(traceback.format_stack(frame)) if frame is not None else "(no frame)"
            logger.warning("event loop stalled for %.0f ms so far; it is running:\n%s", stalled * 1000, stack)


async def loop_watch():
    """Lifespan task: beat every tick; a daemon thread reports the stack of a late beat."""
    threshold = _threshold_seconds()
    if not threshold:
        return
    beat = [time.monotonic()]
    threading.Thread(
        target=_watch, args=(threading.get_ident(), beat, threshold), name="loop-watch", daemon=True
    ).start()
    while True:
        beat[0] = time.monotonic()
        await asyncio.sleep(_TICK_SECONDS)
