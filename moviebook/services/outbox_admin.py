"""What admins see of the outbox (``/admin/outbox``), and their retry button."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from moviebook.models import OutboxMessage, OutboxStatus, Role
from moviebook.services import audit, mail_sender
from moviebook.services.errors import NotFound
from moviebook.services.paging import page_slice
from moviebook.services.roles import require_role
from moviebook.services.tokens import Identity


@dataclass(frozen=True)
class OutboxRow:
    id: int
    kind: str
    to: str
    subject: str
    status: str
    tries: int
    last_error: str
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None


@dataclass(frozen=True)
class OutboxPage:
    rows: list[OutboxRow]
    page: int
    pages: int
    total: int
    counts: dict[str, int]  # messages per status


def list_outbox(session: Session, me: Identity, *, status: str = "", page: int = 1, page_size: int = 25) -> OutboxPage:
    require_role(me, Role.ADMIN.value)
    condition = col(OutboxMessage.id).is_not(None)
    if status in tuple(OutboxStatus):
        condition = OutboxMessage.status == status
    total = session.exec(select(func.count()).select_from(OutboxMessage).where(condition)).one()
    at = page_slice(total, page, page_size)
    found = session.exec(
        select(OutboxMessage).where(condition).order_by(col(OutboxMessage.id).desc()).offset(at.offset).limit(at.limit)
    ).all()
    counts = dict(session.exec(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    return OutboxPage(
        [
            OutboxRow(
                m.id,
                m.kind,
                m.to_address,
                m.subject,
                m.status,
                m.tries,
                m.last_error or "",
                m.created_at,
                m.next_attempt_at,
                m.sent_at,
            )
            for m in found
        ],
        at.page,
        at.pages,
        total,
        {s.value: counts.get(s.value, 0) for s in OutboxStatus},
    )


def retry_message(session: Session, me: Identity, message_id: int, *, ip: str | None = None) -> None:
    """Send a waiting or dead message again at the next round, with a fresh count of tries."""
    require_role(me, Role.ADMIN.value)
    row = session.get(OutboxMessage, message_id)
    if row is None:
        raise NotFound("We could not find that message.")
    if row.status == OutboxStatus.SENT.value:
        raise NotFound("That message has already been sent.")
    old = {"status": row.status, "tries": row.tries}
    mail_sender.retry_now(session, message_id)
    audit.record(
        session,
        "outbox.retry",
        actor_id=me.user_id,
        entity_type="outbox",
        entity_id=row.id,
        old=old,
        new={"status": "pending"},
        ip=ip,
    )
