"""The transactional outbox: a message is a row added in the same transaction as the change
that causes it. Nothing is sent here; ``mail_sender`` delivers committed rows later, so a change
that rolls back sends nothing, and a crash between commit and send loses nothing."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass, field

from sqlmodel import Session, select

from moviebook.models import OutboxMessage


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # "text/calendar", "image/png"
    data: bytes
    inline_id: str | None = None  # set for an image the HTML shows as cid:<inline_id>


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)


def new_message_id(domain: str = "moviebook.local") -> str:
    return f"<{uuid.uuid4().hex}@{domain}>"


def attachment_rows(attachments: tuple[Attachment, ...]) -> list[dict]:
    """Attachments as the row's JSON keeps them (the data in base64)."""
    return [
        {
            "filename": a.filename,
            "content_type": a.content_type,
            "data": base64.b64encode(a.data).decode(),
            "inline_id": a.inline_id,
        }
        for a in attachments
    ]


def enqueue(session: Session, kind: str, mail: Mail, *, dedupe_key: str | None = None) -> OutboxMessage | None:
    """Queue ``mail`` in the caller's transaction (not committed here). With a ``dedupe_key``,
    the same event queues at most one message: a second call returns None."""
    if dedupe_key and session.exec(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)).first():
        return None
    row = OutboxMessage(
        kind=kind,
        dedupe_key=dedupe_key,
        to_address=mail.to,
        subject=mail.subject[:200],
        body_text=mail.text,
        body_html=mail.html,
        attachments=attachment_rows(mail.attachments),
        message_id=new_message_id(),
    )
    session.add(row)
    return row
