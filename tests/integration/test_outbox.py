"""The outbox on real PostgreSQL, delivered to a real SMTP server (aiosmtpd): written with the
change or not at all, retried when refused, once per message with two senders, and sent again
with the same Message-ID when a sender dies between the server's "250" and its commit."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from datetime import date, timedelta

import icalendar
from sqlmodel import Session, select

from moviebook.config import PROJECT_ROOT
from moviebook.models import OutboxMessage, Seat
from moviebook.services import outbox
from moviebook.services.bookings import confirm_booking, hold_seats
from moviebook.services.checkout import SellingPolicy
from moviebook.services.holds import HoldPolicy, HoldStore
from moviebook.services.mail_sender import MAX_TRIES, deliver_due
from moviebook.services.payments import PaymentDeclined, SimulatedProvider, parse_card
from tests.factories import cinema_tz, make_auditorium, make_movie, make_showtime_ahead, make_user

CARD = parse_card(
    {"card_number": "4242424242424242", "expiry": "12/39", "cvc": "123", "card_name": "A"}, date(2030, 1, 1)
)
DECLINED = parse_card(
    {"card_number": "4000000000000002", "expiry": "12/39", "cvc": "123", "card_name": "A"}, date(2030, 1, 1)
)
POLICY = SellingPolicy(fee_per_ticket_cents=75, currency="GBP", tz=cinema_tz())


def _sessions(engine):
    return lambda: Session(engine, expire_on_commit=False)


def _sale(session, redis_client, *, card=CARD, key="k"):
    store = HoldStore(redis_client, HoldPolicy(ttl_seconds=600, max_seats=10))
    room = make_auditorium(session, rows=2, seats_per_row=4)
    show = make_showtime_ahead(session, make_movie(session, "Harbour Lights"), room, days=3, hour=19)
    user = make_user(session, "ticket.buyer@example.com")
    session.commit()
    seats = session.exec(select(Seat).where(Seat.auditorium_id == room.id).order_by(Seat.y, Seat.x)).all()[:2]
    hold_seats(session, store, showtime_id=show.id, user_id=user.id, seat_ids=[s.id for s in seats])
    booking = confirm_booking(
        session,
        store,
        SimulatedProvider(),
        showtime_id=show.id,
        user_id=user.id,
        idempotency_key=key,
        card=card,
        policy=POLICY,
    )
    return booking, show


def test_a_booking_queues_its_ticket_mail_in_the_same_transaction(pg_session, redis_client):
    booking, _ = _sale(pg_session, redis_client)
    rows = pg_session.exec(select(OutboxMessage)).all()
    assert [(r.kind, r.to_address, r.status) for r in rows] == [
        ("booking_confirmed", "ticket.buyer@example.com", "pending")
    ]
    assert booking.code in rows[0].subject


def test_a_sale_that_fails_queues_nothing(pg_session, redis_client):
    try:
        _sale(pg_session, redis_client, card=DECLINED)
    except PaymentDeclined:
        pass
    else:
        raise AssertionError("the declined card was charged")
    pg_session.rollback()
    assert pg_session.exec(select(OutboxMessage)).all() == []


def test_a_rolled_back_change_leaves_no_message(pg_engine, pg_session):
    with Session(pg_engine) as session:
        outbox.enqueue(session, "test", outbox.Mail("a@example.com", "Hello", "text", "<p>html</p>"))
        session.flush()
        session.rollback()
    assert pg_session.exec(select(OutboxMessage)).all() == []


def test_the_ticket_mail_arrives_with_its_qr_and_a_calendar_file_that_parses(
    pg_engine, pg_session, redis_client, smtp_server
):
    booking, show = _sale(pg_session, redis_client)
    report = deliver_due(_sessions(pg_engine), smtp_server.server, "Moviebook <tickets@example.com>")
    assert (report.sent, report.failed) == (1, 0)
    [mail] = smtp_server.received
    assert mail["To"] == "ticket.buyer@example.com" and booking.code in mail["Subject"]
    html = mail.get_body(("html",)).get_content()
    text = mail.get_body(("plain",)).get_content()
    assert booking.code in text and "Total paid: £21.50" in text  # 2 × £10.00 + 2 × £0.75 fee
    parts = {part.get_content_type(): part for part in mail.walk()}
    qr = parts["image/png"]
    assert qr.get_content()[:8] == b"\x89PNG\r\n\x1a\n" and f"cid:{qr['Content-ID'].strip('<>')}" in html
    calendar = icalendar.Calendar.from_ical(parts["text/calendar"].get_content())
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == show.starts_at  # the right start, in UTC
    assert booking.code in str(event.get("DESCRIPTION"))
    row = pg_session.exec(select(OutboxMessage)).one()
    pg_session.refresh(row)
    assert row.status == "sent" and row.tries == 1 and mail["Message-ID"] == row.message_id


def test_a_refusing_server_is_retried_with_backoff_then_the_message_is_dead(pg_engine, pg_session, smtp_server):
    outbox.enqueue(pg_session, "test", outbox.Mail("a@example.com", "Hello", "text", "<p>html</p>"))
    pg_session.commit()
    clock = {"now": pg_session.exec(select(OutboxMessage)).one().next_attempt_at}
    now = lambda: clock["now"]  # noqa: E731
    smtp_server.refuse(2)
    for expected_tries in (1, 2):
        report = deliver_due(_sessions(pg_engine), smtp_server.server, "m@example.com", now=now)
        assert report.failed == 1
        row = pg_session.exec(select(OutboxMessage)).one()
        pg_session.refresh(row)
        assert row.tries == expected_tries and row.status == "pending" and "451" in row.last_error
        assert deliver_due(_sessions(pg_engine), smtp_server.server, "m@example.com", now=now).sent == 0  # not yet due
        clock["now"] = row.next_attempt_at
    assert deliver_due(_sessions(pg_engine), smtp_server.server, "m@example.com", now=now).sent == 1
    assert len(smtp_server.received) == 1

    outbox.enqueue(pg_session, "test", outbox.Mail("b@example.com", "Never", "text", "<p>html</p>"))
    pg_session.commit()
    smtp_server.refuse(100)
    for _ in range(MAX_TRIES):
        deliver_due(_sessions(pg_engine), smtp_server.server, "m@example.com", now=now)
        clock["now"] += timedelta(hours=7)
    dead = pg_session.exec(select(OutboxMessage).where(OutboxMessage.to_address == "b@example.com")).one()
    pg_session.refresh(dead)
    assert dead.status == "dead" and dead.tries == MAX_TRIES


def test_two_senders_deliver_each_message_once(pg_engine, pg_session, smtp_server):
    for i in range(40):
        outbox.enqueue(pg_session, "test", outbox.Mail(f"p{i}@example.com", f"Message {i}", "text", "<p>html</p>"))
    pg_session.commit()
    gate = threading.Barrier(2)

    def sender():
        gate.wait()
        deliver_due(_sessions(pg_engine), smtp_server.server, "m@example.com", limit=100)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    ids = [mail["Message-ID"] for mail in smtp_server.received]
    assert len(ids) == 40 and len(set(ids)) == 40


KILLED_SENDER = textwrap.dedent(
    """
    import os, sys
    from sqlmodel import Session
    from moviebook.db import make_engine
    from moviebook.services import smtp
    from moviebook.services.mail_sender import deliver_due

    def send_then_die(server, message):
        smtp.send(server, message)  # the server has said 250 ...
        os._exit(9)                 # ... and the worker dies before its commit

    engine = make_engine(sys.argv[1])
    server = smtp.SmtpServer("127.0.0.1", int(sys.argv[2]))
    deliver_due(lambda: Session(engine), server, "m@example.com", send=send_then_die)
    """
)


def test_a_sender_killed_after_the_server_accepted_sends_again_with_the_same_message_id(
    pg_engine, pg_url, pg_session, smtp_server
):
    outbox.enqueue(pg_session, "test", outbox.Mail("a@example.com", "Ticket", "text", "<p>html</p>"))
    pg_session.commit()
    died = subprocess.run(
        [sys.executable, "-c", KILLED_SENDER, pg_url, str(smtp_server.port)],
        cwd=PROJECT_ROOT,
        env=os.environ,
        timeout=60,
    )
    assert died.returncode == 9 and len(smtp_server.received) == 1
    row = pg_session.exec(select(OutboxMessage)).one()
    pg_session.refresh(row)
    assert row.status == "pending"  # the commit never happened: nothing is lost
    assert deliver_due(_sessions(pg_engine), smtp_server.server, "m@example.com").sent == 1
    first, second = smtp_server.received
    # At-least-once: the copy carries the same Message-ID, so the receiver can drop it.
    assert first["Message-ID"] == second["Message-ID"] == row.message_id
    assert deliver_due(_sessions(pg_engine), smtp_server.server, "m@example.com").sent == 0  # and never a third
