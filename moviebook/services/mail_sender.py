"""Delivering the outbox: due messages go to the SMTP server, with retries and a dead end.

**Delivery is at-least-once, never lost, and duplicates carry the same Message-ID.** Each
message is sent while its row is locked (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), and marked
sent in the same transaction, after the server accepted it:

- two senders never send the same row: the second skips the locked one (on SQLite, which has
  no row locks, the Redis lease in ``live.jobs`` keeps it to one sender at a time);
- a worker that dies after the server accepted a message but before the commit leaves the row
  pending, so it is sent again: once more, with the same Message-ID, which mail clients and
  relays use to drop the copy. Exactly-once is impossible over SMTP without the receiver's
  help, and losing a ticket is worse than a duplicate.

A ticket mail queued as an intent (``notifications.ticket_intent``: the sale only names the
booking) is rendered here, in the row's own transaction, just before its first attempt; the
rendered bodies are kept with the row, so a retry sends the same message. A message that cannot
be rendered is retried and given up like a refused one, without holding up the others.

A refused or unreachable server is retried with exponential backoff (30 s, 1 min, 2 min …, at
most 6 h apart); after MAX_TRIES the message is ``dead`` and an admin may retry it.
"""

from __future__ import annotations

import base64
import smtplib
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from moviebook.models import OutboxMessage, OutboxStatus, utcnow
from moviebook.services import notifications, smtp

MAX_TRIES = 8


def backoff(tries: int) -> timedelta:
    """How long to wait after the ``tries``-th failed attempt."""
    return min(timedelta(seconds=15 * 2**tries), timedelta(hours=6))


def build_message(row: OutboxMessage, mail_from: str) -> EmailMessage:
    message = EmailMessage()
    message["Message-ID"] = row.message_id
    message["From"] = mail_from
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Date"] = format_datetime(row.created_at)
    message.set_content(row.body_text)
    message.add_alternative(row.body_html, subtype="html")
    html_part = message.get_payload()[-1]
    for item in row.attachments:
        maintype, subtype = item["content_type"].split("/", 1)
        data = base64.b64decode(item["data"])
        if item.get("inline_id"):  # an image the HTML shows as cid:...
            html_part.add_related(data, maintype, subtype, cid=f"<{item['inline_id']}>", filename=item["filename"])
        else:
            message.add_attachment(data, maintype, subtype, filename=item["filename"])
    return message


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    dead: int = 0


def _next_due(session: Session, now: datetime) -> OutboxMessage | None:
    return session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING.value, OutboxMessage.next_attempt_at <= now)
        .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()


def deliver_due(
    sessions: Callable[[], AbstractContextManager[Session]],
    server: smtp.SmtpServer,
    mail_from: str,
    *,
    limit: int = 50,
    now: Callable[[], datetime] = utcnow,
    send: Callable[[smtp.SmtpServer, EmailMessage], None] = smtp.send,
) -> DeliveryReport:
    """Send up to ``limit`` due messages, one transaction each (the row stays locked while it is
    sent). ``sessions`` makes a plain session (not committing by itself)."""
    report = DeliveryReport()
    for _ in range(limit):
        with sessions() as session:
            row = _next_due(session, now())
            if row is None:
                break
            row.tries += 1
            failure, refused = None, False
            try:
                if notifications.needs_rendering(row):  # a ticket queued as an intent by the sale
                    notifications.render_queued(session, row)
            except sa.exc.DBAPIError:
                raise  # the database is away: the row stays as it was, the next round tries again
            except Exception as error:  # its booking is gone, or a bug: it waits (or dies), the rest go on
                failure = error
            if failure is None:
                try:
                    send(server, build_message(row, mail_from))
                except (smtplib.SMTPException, OSError) as error:
                    failure, refused = error, True
            if failure is not None:
                row.last_error = f"{type(failure).__name__}: {failure}"[:500]
                if row.tries >= MAX_TRIES:
                    row.status = OutboxStatus.DEAD.value
                    report.dead += 1
                else:
                    row.next_attempt_at = now() + backoff(row.tries)
                    report.failed += 1
            else:
                row.status, row.sent_at, row.last_error = OutboxStatus.SENT.value, now(), None
                report.sent += 1
            session.commit()
            if refused and row.status == OutboxStatus.PENDING.value:
                break  # the server is refusing: wait for the next round rather than hammer it
    return report


def retry_now(session: Session, message_id: int) -> bool:
    """An admin's retry: a dead or waiting message is due again at once, with fresh tries."""
    row = session.get(OutboxMessage, message_id)
    if row is None or row.status == OutboxStatus.SENT.value:
        return False
    row.status, row.tries, row.next_attempt_at = OutboxStatus.PENDING.value, 0, utcnow()
    return True
