"""The outbox list and retry, and the dev mailbox: admins only, decided in the service."""

from __future__ import annotations

import smtplib
import time

import pytest
from sqlmodel import select

from moviebook.embedded_smtp import ensure_embedded_smtp, stop_embedded_smtp
from moviebook.models import AuditEntry, OutboxMessage
from moviebook.services import outbox
from moviebook.services.dev_mailbox import list_mailbox, read_message
from moviebook.services.errors import NotFound
from moviebook.services.outbox_admin import list_outbox, retry_message
from moviebook.services.roles import AccessDenied
from tests.factories import identity_for, make_user


def _people(session):
    admin = make_user(session, "chief@example.com", role="admin")
    staff = make_user(session, "desk@example.com", role="staff")
    goer = make_user(session, "fan@example.com")
    session.commit()
    return identity_for(admin), identity_for(staff), identity_for(goer)


def test_admins_list_and_retry_dead_messages_and_nobody_else_can(pg_session):
    admin, staff, goer = _people(pg_session)
    row = outbox.enqueue(pg_session, "test", outbox.Mail("a@example.com", "Hi", "text", "<p>x</p>"))
    row.status, row.tries, row.last_error = "dead", 8, "451 Try again later"
    pg_session.commit()
    page = list_outbox(pg_session, admin, status="dead")
    assert [(r.to, r.status, r.tries, r.last_error) for r in page.rows] == [
        ("a@example.com", "dead", 8, "451 Try again later")
    ]
    assert page.counts == {"pending": 0, "sent": 0, "dead": 1}
    for caller in (staff, goer, None):
        with pytest.raises(AccessDenied):
            list_outbox(pg_session, caller)
        with pytest.raises(AccessDenied):
            retry_message(pg_session, caller, row.id)
    retry_message(pg_session, admin, row.id)
    pg_session.commit()
    pg_session.refresh(row)
    assert (row.status, row.tries) == ("pending", 0)
    assert pg_session.exec(select(AuditEntry.action)).all() == ["outbox.retry"]
    with pytest.raises(NotFound):
        retry_message(pg_session, admin, 999_999)
    assert pg_session.exec(select(OutboxMessage)).one().status == "pending"


def test_the_dev_mailbox_shows_what_the_embedded_server_received(pg_session, tmp_path):
    admin, staff, _ = _people(pg_session)
    port = int(ensure_embedded_smtp(tmp_path).rsplit(":", 1)[1])
    try:
        with smtplib.SMTP("127.0.0.1", port) as client:
            client.sendmail(
                "m@example.com",
                ["reader@example.com"],
                "From: m@example.com\r\nTo: reader@example.com\r\nSubject: Reset your password\r\n\r\n"
                "Open http://localhost:3000/reset-password?token=abc to choose a new password.\r\n",
            )
        deadline = time.monotonic() + 5
        while not list_mailbox(tmp_path / "mail", admin) and time.monotonic() < deadline:
            time.sleep(0.05)
        [entry] = list_mailbox(tmp_path / "mail", admin)
        assert (entry.to, entry.subject) == ("reader@example.com", "Reset your password")
        assert list_mailbox(tmp_path / "mail", admin, to="nobody") == []
        message = read_message(tmp_path / "mail", admin, entry.id)
        assert "reset-password?token=abc" in message.text
        with pytest.raises(AccessDenied):
            list_mailbox(tmp_path / "mail", staff)
        for hostile in ("../secret_key", "/etc/passwd", entry.id + "/..", "", "1-deadbeef.eml"):
            with pytest.raises(NotFound):
                read_message(tmp_path / "mail", admin, hostile)
    finally:
        stop_embedded_smtp(tmp_path)
