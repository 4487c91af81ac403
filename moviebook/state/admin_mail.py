"""``/admin/outbox`` (every message, its tries and last error, a retry button) and
``/admin/mailbox`` (the development mail server's inbox, for reading reset links)."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import ClassVar

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import Role
from moviebook.services.dev_mailbox import MailboxMessage, list_mailbox, read_message
from moviebook.services.errors import DomainError
from moviebook.services.outbox_admin import OutboxPage, list_outbox, retry_message
from moviebook.services.tokens import Identity
from moviebook.state.auth import AuthState
from moviebook.state.guard import requires
from moviebook.state.paged_list import PagedList

STATUS_FILTERS = ("", "pending", "sent", "dead")
_LINK = re.compile(r"https?://[^\s<>\"')]+")


@dataclass
class OutboxRowView:
    id: int = 0
    kind: str = ""
    recipient: str = ""
    subject: str = ""
    status: str = ""
    tries: int = 0
    last_error: str = ""
    when: str = ""
    can_retry: bool = False


def _when(moment, tz) -> str:
    return moment.astimezone(tz).strftime("%d %b %H:%M:%S") if moment else ""


def _load_outbox(me: Identity, status: str, page: int) -> OutboxPage:
    with session_scope() as session:
        return list_outbox(session, me, status=status, page=page)


def _retry(me: Identity, message_id: int, ip: str) -> None:
    with session_scope() as session:
        retry_message(session, me, message_id, ip=ip)


class AdminOutboxState(PagedList, AuthState):
    required_role: ClassVar[str | None] = Role.ADMIN.value
    status: str = ""
    rows: list[OutboxRowView] = []
    counts: dict[str, int] = {}
    loading: bool = True

    async def _reload(self, me: Identity) -> None:
        result = await asyncio.to_thread(_load_outbox, me, self.status, self.page)
        tz = get_settings().timezone
        self.page, self.pages, self.total, self.counts = result.page, result.pages, result.total, result.counts
        self.rows = [
            OutboxRowView(
                r.id,
                r.kind.replace("_", " "),
                r.to,
                r.subject,
                r.status,
                r.tries,
                r.last_error,
                _when(r.sent_at or r.created_at, tz),
                r.status != "sent",
            )
            for r in result.rows
        ]
        self.loading = False

    @requires(Role.ADMIN)
    async def show_status(self, me: Identity, status: str):
        self.status, self.page = (status if status in STATUS_FILTERS else ""), 1
        await self._reload(me)

    @requires(Role.ADMIN)
    async def retry(self, me: Identity, message_id: int):
        try:
            await asyncio.to_thread(_retry, me, message_id, self._client_ip())
        except DomainError as refused:
            return rx.toast.error(str(refused))
        await self._reload(me)
        return rx.toast.success("The message will be sent again within seconds.")


@dataclass
class MailboxRowView:
    id: str = ""
    recipient: str = ""
    subject: str = ""
    when: str = ""


@dataclass
class OpenMessageView:
    id: str = ""
    sender: str = ""
    recipient: str = ""
    subject: str = ""
    when: str = ""
    text: str = ""
    html: str = ""
    links: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)


def _listing(count: int, to: str) -> str:
    noun = "message" if count == 1 else "messages"
    return f"{count} {noun} to {to.strip()}" if to.strip() else f"The newest {count} {noun}"


def _open_view(message: MailboxMessage, tz) -> OpenMessageView:
    return OpenMessageView(
        message.id,
        message.sender,
        message.to,
        message.subject,
        _when(message.received_at, tz),
        message.text,
        message.html,
        list(dict.fromkeys(_LINK.findall(message.text))),
        list(message.attachments),
    )


class DevMailboxState(AuthState):
    required_role: ClassVar[str | None] = Role.ADMIN.value
    enabled: bool = True  # False when SMTP_URL points at a real relay: nothing is kept here
    relay: str = ""
    to_filter: str = ""
    # What the list on screen answers ("3 messages to ann@"): set with the rows, so it also
    # tells whether the newest Filter has come back yet.
    listing: str = ""
    rows: list[MailboxRowView] = []
    open: OpenMessageView = OpenMessageView()
    loading: bool = True

    async def _reload(self, me: Identity) -> None:
        settings = get_settings()
        self.enabled = settings.uses_dev_mailbox
        self.relay = "" if self.enabled else settings.configured_smtp_url.split("@")[-1]
        found = await asyncio.to_thread(list_mailbox, settings.mail_dir, me, to=self.to_filter) if self.enabled else []
        tz = settings.timezone
        self.rows = [MailboxRowView(e.id, e.to, e.subject, _when(e.received_at, tz)) for e in found]
        self.listing = _listing(len(found), self.to_filter)
        self.loading = False

    @requires(Role.ADMIN)
    async def on_load(self, me: Identity):
        self.open = OpenMessageView()
        await self._reload(me)

    @requires(Role.ADMIN)
    async def filter(self, me: Identity, form: dict):
        self.to_filter = str(form.get("to", ""))[:254]
        await self._reload(me)

    @requires(Role.ADMIN)
    async def open_message(self, me: Identity, message_id: str):
        try:
            message = await asyncio.to_thread(read_message, get_settings().mail_dir, me, message_id)
        except DomainError as missing:
            return rx.toast.error(str(missing))
        self.open = _open_view(message, get_settings().timezone)

    @requires(Role.ADMIN)
    async def close_message(self, me: Identity):
        self.open = OpenMessageView()
