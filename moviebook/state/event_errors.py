"""What happens when an event fails outside every handler's own care (Reflex's backend
exception handler for this app, set in ``moviebook/moviebook.py``).

Two kinds of failure reach here, and they deserve different treatment:
- an exception raised by Moviebook's own code is a bug: it is logged with its whole traceback,
  and the person is told something went wrong on our side;
- an exception raised inside Reflex before any of our code ran comes from a crafted event (a
  payload that is not an object, Reflex's generic ``setvar`` sent a var name, a malformed form
  marker): no browser of ours sends those. It gets one warning line, not a traceback that
  would bury real bugs, and a clear message.
"""

from __future__ import annotations

import logging
from pathlib import Path

import reflex as rx

from moviebook.outages import BRIEFLY_UNAVAILABLE, is_outage

logger = logging.getLogger("moviebook.events")
_OURS = str(Path(__file__).resolve().parent.parent)  # the moviebook package


def _raised_by_moviebook(exception: BaseException) -> bool:
    """Whether any frame of the exception, or of what caused it, is Moviebook's own code."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exception]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        tb = current.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename.startswith(_OURS):
                return True
            tb = tb.tb_next
        pending.extend([current.__cause__, current.__context__])
    return False


def backend_exception_handler(exception: Exception):
    if is_outage(exception):  # Redis or the database restarting: not a bug, and it passes
        logger.warning("An event handler met an outage: %s: %s", type(exception).__name__, exception)
        return rx.toast.error(BRIEFLY_UNAVAILABLE)
    if _raised_by_moviebook(exception):
        logger.error("An event handler failed", exc_info=exception)
        return rx.toast.error("Something went wrong on our side. Please try again in a moment.")
    logger.warning("Refused a malformed event (%s: %s)", type(exception).__name__, str(exception)[:300])
    logger.debug("The malformed event's traceback", exc_info=exception)
    return rx.toast.error("That request could not be understood. Please reload the page.")
