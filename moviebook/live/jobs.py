"""The periodic jobs every worker runs (registered as lifespan tasks in ``moviebook.moviebook``).

Each acts exactly once across workers and instances: hold expiries are popped atomically from
Redis, and the other jobs take a Redis lease (``services.leases``) that expires by itself if
its worker dies. A failure is logged and the loop goes on: a Redis restart or a database blip
must not end a job for the life of the worker.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict

from sqlmodel import Session

from moviebook.config import get_settings
from moviebook.db import get_engine, session_scope
from moviebook.live.dashboards import refresh_dashboards, take_stale
from moviebook.live.seat_maps import announce_expiries, prune_viewers
from moviebook.outages import log_failure
from moviebook.redis_client import get_redis
from moviebook.services.bookings import complete_past_bookings
from moviebook.services.holds import hold_store
from moviebook.services.leases import release_lease, take_lease
from moviebook.services.mail_sender import DeliveryReport, deliver_due
from moviebook.services.reminders import send_due_reminders
from moviebook.services.smtp import parse_smtp_url
from moviebook.services.waiting_list import seats_came_free
from moviebook.services.webhook_sender import WebhookReport
from moviebook.services.webhook_sender import deliver_due as deliver_webhooks

logger = logging.getLogger(__name__)


def _tell_waiting_list(showtime_id: int) -> None:
    """Expired holds are seats come free: the showtime's waiting list hears of it (once; the
    expiry was popped by this worker alone)."""
    with session_scope() as session:
        seats_came_free(session, showtime_id, store=hold_store())


async def _announce_expiries() -> None:
    by_showtime: dict[int, set[int]] = defaultdict(set)
    for showtime_id, _seat, user_id in await asyncio.to_thread(hold_store().pop_expired):
        by_showtime[showtime_id].add(user_id)
    for showtime_id, users in by_showtime.items():
        await announce_expiries(showtime_id, frozenset(users))
        try:
            await asyncio.to_thread(_tell_waiting_list, showtime_id)
        except Exception as problem:  # the seat maps are told already; a database blip must not stop the sweep
            log_failure(logger, "telling the waiting list of showtime %s failed", showtime_id, error=problem)


async def _prune_once() -> None:
    if await asyncio.to_thread(take_lease, get_redis(), "prune-viewers", 25):
        await prune_viewers()


async def expiry_sweeper():
    """Once a second, announce holds whose time has run out; every half minute, forget the
    seat maps of closed tabs."""
    ticks = 0
    while True:
        ticks += 1
        try:
            await _announce_expiries()
            if ticks % 30 == 0:
                await _prune_once()
        except asyncio.CancelledError:
            raise
        except Exception as problem:
            log_failure(logger, "hold expiry sweep failed; retrying in a second", error=problem)
        await asyncio.sleep(1)


def _complete_once() -> int:
    if not take_lease(get_redis(), "complete-bookings", 50):
        return 0
    with session_scope() as session:
        return complete_past_bookings(session)


async def booking_completer():
    """Once a minute, bookings of showtimes that have ended become completed."""
    while True:
        try:
            await asyncio.to_thread(_complete_once)
        except asyncio.CancelledError:
            raise
        except Exception as problem:
            log_failure(logger, "completing past bookings failed; retrying in a minute", error=problem)
        await asyncio.sleep(60)


async def dashboard_refresher():
    """Once a second, refresh open dashboards if seats changed since last time."""
    while True:
        try:
            if await asyncio.to_thread(take_stale):
                await refresh_dashboards()
        except asyncio.CancelledError:
            raise
        except Exception as problem:
            log_failure(logger, "refreshing dashboards failed; retrying in a second", error=problem)
        await asyncio.sleep(1)


def _send_mail_once() -> DeliveryReport | None:
    """One round of the outbox, by one worker of all instances at a time (PostgreSQL's row
    locks would keep two apart anyway; SQLite has none, so the lease is what does it there)."""
    client = get_redis()
    if not take_lease(client, "mail-sender", 120):
        return None
    try:
        settings = get_settings()
        return deliver_due(
            lambda: Session(get_engine(), expire_on_commit=False), parse_smtp_url(settings.smtp_url), settings.mail_from
        )
    finally:
        release_lease(client, "mail-sender")


async def embedded_redis_keeper():
    """With no REDIS_URL, the quick start runs its own Redis; if it dies (killed, out of
    memory), start it again within a second, rather than serve with no seat holds or logins.
    Every worker watches; a file lock lets one of them start it."""
    settings = get_settings()
    if not settings.uses_embedded_redis:
        return
    from moviebook.embedded_redis import revive_embedded_redis  # never touched with a real Redis

    while True:
        try:
            if await asyncio.to_thread(revive_embedded_redis, settings.data_dir):
                logger.warning("the embedded Redis had stopped; started it again (seat holds were lost)")
        except asyncio.CancelledError:
            raise
        except Exception as problem:
            log_failure(logger, "could not restart the embedded Redis; trying again in a second", error=problem)
        await asyncio.sleep(1)


async def mail_sender():
    """Every two seconds, send the outbox's due messages (see services/mail_sender.py)."""
    while True:
        try:
            report = await asyncio.to_thread(_send_mail_once)
            if report and (report.failed or report.dead):
                logger.warning("mail: %s sent, %s to retry, %s dead", report.sent, report.failed, report.dead)
        except asyncio.CancelledError:
            raise
        except Exception as problem:
            log_failure(logger, "sending mail failed; retrying in two seconds", error=problem)
        await asyncio.sleep(2)


def _send_webhooks_once() -> WebhookReport | None:
    """One round of webhook deliveries, by one worker of all instances at a time (as for mail)."""
    client = get_redis()
    if not take_lease(client, "webhook-sender", 120):
        return None
    try:
        return deliver_webhooks(lambda: Session(get_engine(), expire_on_commit=False))
    finally:
        release_lease(client, "webhook-sender")


async def webhook_sender():
    """Every two seconds, POST the due webhook deliveries (see services/webhook_sender.py)."""
    while True:
        try:
            report = await asyncio.to_thread(_send_webhooks_once)
            if report and (report.failed or report.dead):
                logger.warning(
                    "webhooks: %s delivered, %s to retry, %s dead", report.delivered, report.failed, report.dead
                )
        except asyncio.CancelledError:
            raise
        except Exception as problem:
            log_failure(logger, "sending webhooks failed; retrying in two seconds", error=problem)
        await asyncio.sleep(2)


def _remind_once() -> int:
    """One round of reminders, by one worker of all instances at a time."""
    client = get_redis()
    if not take_lease(client, "send-reminders", 120):
        return 0
    try:
        with session_scope() as session:
            return send_due_reminders(session, hours=get_settings().reminder_hours)
    finally:
        release_lease(client, "send-reminders")


async def reminder_sender():
    """Once a minute, queue the reminders of shows starting within REMINDER_HOURS (services/reminders.py)."""
    while True:
        try:
            await asyncio.to_thread(_remind_once)
        except asyncio.CancelledError:
            raise
        except Exception as problem:
            log_failure(logger, "queueing reminders failed; retrying in a minute", error=problem)
        await asyncio.sleep(60)
