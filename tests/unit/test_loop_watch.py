"""The event-loop watchdog names what blocked the loop, and is silent when off or idle."""

import asyncio
import logging
import time

from moviebook.config import reset_settings
from moviebook.live.loop_watch import loop_watch
from tests.state_driver import run_handler


def _block_the_loop_for(seconds: float) -> None:
    time.sleep(seconds)  # synchronous work on the event loop's thread


async def _watched(block: float) -> None:
    watch = asyncio.create_task(loop_watch())
    await asyncio.sleep(0.2)
    if block:
        _block_the_loop_for(block)
    await asyncio.sleep(0.2)
    watch.cancel()
    await asyncio.gather(watch, return_exceptions=True)
    await asyncio.sleep(0.3)  # a watcher left running would report the ended loop as a stall


def _stall_reports(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "moviebook.live.loop_watch"]


def test_a_blocked_loop_is_reported_once_with_the_blocking_call(monkeypatch, caplog):
    monkeypatch.setenv("LOOP_STALL_WARN_MS", "100")
    reset_settings()
    try:
        with caplog.at_level(logging.WARNING, logger="moviebook.live.loop_watch"):
            run_handler(_watched(block=0.5))
    finally:
        reset_settings()
    reports = _stall_reports(caplog)
    assert len(reports) == 1, reports
    assert "_block_the_loop_for" in reports[0]


def test_an_idle_loop_and_a_watch_turned_off_report_nothing(monkeypatch, caplog):
    monkeypatch.setenv("LOOP_STALL_WARN_MS", "100")
    reset_settings()
    try:
        with caplog.at_level(logging.WARNING, logger="moviebook.live.loop_watch"):
            run_handler(_watched(block=0))
            monkeypatch.delenv("LOOP_STALL_WARN_MS")
            reset_settings()
            run_handler(_watched(block=0.5))
    finally:
        reset_settings()
    assert _stall_reports(caplog) == []
