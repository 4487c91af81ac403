"""Reading the development mail server's messages (``<data>/mail/*.eml``) for the admin "Dev
mailbox" page. Only file names the server itself writes are accepted, so no path can escape
the folder."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from pathlib import Path

from moviebook.models import Role
from moviebook.services.errors import NotFound
from moviebook.services.roles import require_role
from moviebook.services.tokens import Identity

_NAME = re.compile(r"[0-9]{10,20}-[0-9a-f]{8}\.eml")


@dataclass(frozen=True)
class MailboxEntry:
    id: str  # the file name
    received_at: datetime
    to: str
    subject: str


@dataclass(frozen=True)
class MailboxMessage:
    id: str
    received_at: datetime
    sender: str
    to: str
    subject: str
    text: str
    html: str
    attachments: tuple[str, ...]


def _received(name: str) -> datetime:
    return datetime.fromtimestamp(int(name.split("-", 1)[0]) / 1e9, tz=timezone.utc)


def list_mailbox(folder: Path, me: Identity, *, to: str = "", limit: int = 100) -> list[MailboxEntry]:
    """The newest messages first; ``to`` narrows to one recipient (part of the address)."""
    require_role(me, Role.ADMIN.value)
    if not folder.is_dir():
        return []
    entries = []
    for path in sorted((p for p in folder.iterdir() if _NAME.fullmatch(p.name)), reverse=True):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        if to and to.strip().lower() not in str(message["To"] or "").lower():
            continue
        entries.append(
            MailboxEntry(path.name, _received(path.name), str(message["To"] or ""), str(message["Subject"] or ""))
        )
        if len(entries) >= limit:
            break
    return entries


def read_message(folder: Path, me: Identity, message_id: str) -> MailboxMessage:
    require_role(me, Role.ADMIN.value)
    if not isinstance(message_id, str) or not _NAME.fullmatch(message_id) or not (folder / message_id).is_file():
        raise NotFound("We could not find that message.")
    message = message_from_bytes((folder / message_id).read_bytes(), policy=policy.default)
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    names = tuple(
        part.get_filename()
        for part in message.walk()
        if part.get_filename() and part.get_content_disposition() == "attachment"
    )
    try:
        received = parsedate_to_datetime(str(message["Date"])) if message["Date"] else _received(message_id)
    except (TypeError, ValueError):
        received = _received(message_id)
    return MailboxMessage(
        message_id,
        received,
        str(message["From"] or ""),
        str(message["To"] or ""),
        str(message["Subject"] or ""),
        text.get_content() if text else "",
        html.get_content() if html else "",
        names,
    )
