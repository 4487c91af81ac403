"""How much a confirm costs in round trips (issue 15): on PostgreSQL one SELECT, the new id from
the bookings sequence and one INSERT of every row; two Redis calls; and the ticket mail queued
as an intent that the sender renders.

Counted, not timed: statements through SQLAlchemy's ``before_cursor_execute`` event (the
commit is not a statement), Redis calls through the client's ``execute_command``. Timings are
in ``bench/confirm.py``."""

from __future__ import annotations

import json
from datetime import date

import pytest
import redis
import sqlalchemy as sa
from sqlmodel import Session, select

from moviebook.models import AuditEntry, Booking, BookingSeat, OutboxMessage, Seat, WebhookDelivery, WebhookEndpoint
from moviebook.services import notifications
from moviebook.services.bookings import confirm_booking, confirm_sale, hold_seats
from moviebook.services.checkout import SellingPolicy
from moviebook.services.holds import HoldPolicy, HoldStore
from moviebook.services.mail_sender import deliver_due
from moviebook.services.payments import SimulatedProvider, parse_card
from tests.factories import cinema_tz, make_auditorium, make_movie, make_showtime_ahead, make_ticket_types, make_user

CARD = parse_card(
    {"card_number": "4242424242424242", "expiry": "12/39", "cvc": "123", "card_name": "A"}, date(2030, 1, 1)
)
POLICY = SellingPolicy(fee_per_ticket_cents=75, currency="GBP", tz=cinema_tz())
MAX_STATEMENTS = 3  # the goal; the audit entry is written in the same transaction


class CountingRedis(redis.Redis):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls: list[str] = []

    def execute_command(self, *args, **options):
        self.calls.append(str(args[0]))
        return super().execute_command(*args, **options)


@pytest.fixture
def redis_counter(redis_url):
    client = CountingRedis.from_url(redis_url, decode_responses=True)
    yield client
    client.close()


@pytest.fixture
def counting_store(redis_counter):
    store = HoldStore(redis_counter, HoldPolicy(ttl_seconds=600, max_seats=10))
    return store, redis_counter


@pytest.fixture
def cinema(session):
    make_ticket_types(session)
    room = make_auditorium(session, "Screen 1", rows=2, seats_per_row=6)
    show = make_showtime_ahead(session, make_movie(session, "Harbour Lights"), room, days=3, hour=19)
    buyers = [make_user(session, f"buyer{i}@example.com") for i in range(3)]
    session.commit()
    seats = session.exec(select(Seat).where(Seat.auditorium_id == room.id).order_by(Seat.y, Seat.x)).all()
    return {"show": show, "seats": seats, "buyers": buyers}


def _confirm_counted(engine, counting_store, show, user, seats, key="k"):
    """Hold ``seats``, then confirm, counting the confirm's SQL statements and Redis calls."""
    store, client = counting_store
    with Session(engine) as session:
        hold_seats(session, store, showtime_id=show.id, user_id=user.id, seat_ids=[s.id for s in seats])
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    client.calls.clear()
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        with Session(engine) as session:
            booking = confirm_booking(
                session,
                store,
                SimulatedProvider(),
                showtime_id=show.id,
                user_id=user.id,
                idempotency_key=key,
                card=CARD,
                policy=POLICY,
            )
            summary = (booking.id, booking.code, booking.total_cents, booking.seat_count)  # no reload needed
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return summary, statements, list(client.calls)


def test_a_confirm_is_one_read_the_new_id_and_one_insert_on_postgres_and_two_redis_calls(
    engine, session, cinema, counting_store
):
    show, seats, (first, second, _) = cinema["show"], cinema["seats"], cinema["buyers"]
    _confirm_counted(engine, counting_store, show, first, seats[:2], key="warm")  # loads the Lua scripts
    (booking_id, code, total, count), statements, redis_calls = _confirm_counted(
        engine, counting_store, show, second, seats[2:4]
    )
    assert redis_calls == ["EVALSHA", "EVALSHA"]  # read the holds, release them after the commit
    if engine.dialect.name == "postgresql":
        assert len(statements) <= MAX_STATEMENTS, statements
        assert [s.lstrip().split()[0] for s in statements] == ["SELECT", "SELECT", "WITH"]
        assert "nextval" in statements[1]
    assert (total, count) == (2 * 1000 + 2 * 75, 2)
    session.expire_all()
    # Everything a sale writes, all in the same transaction.
    booking = session.get(Booking, booking_id)
    assert booking.code == code and booking.user_id == second.id
    sold = session.exec(select(BookingSeat).where(BookingSeat.booking_id == booking_id).order_by(BookingSeat.id))
    assert [(s.seat_id, s.ticket_type_name, s.unit_price_cents, s.fee_cents) for s in sold] == [
        (seats[2].id, "Adult", 1000, 75),
        (seats[3].id, "Adult", 1000, 75),
    ]
    [entry] = session.exec(select(AuditEntry).where(AuditEntry.entity_id == str(booking_id))).all()
    assert entry.action == "booking.create" and entry.new_values["seats"] == ["A3 Adult", "A4 Adult"]
    mail = session.exec(select(OutboxMessage).where(OutboxMessage.booking_id == booking_id)).one()
    assert (mail.kind, mail.to_address, mail.status, mail.dedupe_key) == (
        "booking_confirmed",
        "buyer1@example.com",
        "pending",
        f"booking_confirmed:{booking_id}",
    )
    assert code in mail.subject


def test_the_sale_queues_an_intent_and_the_sender_renders_it_once_for_every_attempt(
    engine, session, cinema, counting_store, smtp_server
):
    show, seats, buyer = cinema["show"], cinema["seats"], cinema["buyers"][0]
    (booking_id, code, _, _), _, _ = _confirm_counted(engine, counting_store, show, buyer, seats[:2])
    row = session.exec(select(OutboxMessage).where(OutboxMessage.booking_id == booking_id)).one()
    assert (row.body_text, row.body_html, row.attachments) == ("", "", [])  # nothing rendered in the sale

    sessions = lambda: Session(engine, expire_on_commit=False)  # noqa: E731
    smtp_server.refuse(1)
    assert deliver_due(sessions, smtp_server.server, "m@example.com").failed == 1
    session.expire_all()
    row = session.get(OutboxMessage, row.id)
    assert code in row.body_text and [a["content_type"] for a in row.attachments] == ["image/png", "text/calendar"]
    rendered = (row.body_text, row.body_html, row.attachments)

    row.next_attempt_at = row.created_at  # due again now
    session.commit()
    assert deliver_due(sessions, smtp_server.server, "m@example.com").sent == 1
    session.expire_all()
    row = session.get(OutboxMessage, row.id)
    assert (row.body_text, row.body_html, row.attachments) == rendered  # the retry sent what was rendered
    [mail] = smtp_server.received
    assert mail["Message-ID"] == row.message_id and code in mail.get_body(("plain",)).get_content()
    assert deliver_due(sessions, smtp_server.server, "m@example.com").sent == 0  # once


def test_with_a_webhook_endpoint_the_confirm_still_takes_one_insert(engine, session, cinema, counting_store):
    show, seats, (first, second, _) = cinema["show"], cinema["seats"], cinema["buyers"]
    session.add_all(
        [
            WebhookEndpoint(url="https://a.example/hooks", events=["booking.confirmed"], secret="whsec_a"),
            WebhookEndpoint(url="https://b.example/hooks", events=["booking.cancelled"], secret="whsec_b"),
            WebhookEndpoint(url="https://c.example/hooks", events=["booking.confirmed"], secret="s", is_active=False),
        ]
    )
    session.commit()
    wanted = session.exec(select(WebhookEndpoint.id).where(WebhookEndpoint.url == "https://a.example/hooks")).one()
    _confirm_counted(engine, counting_store, show, first, seats[:2], key="warm")
    (booking_id, code, total, _), statements, _ = _confirm_counted(engine, counting_store, show, second, seats[6:8])
    if engine.dialect.name == "postgresql":
        assert len(statements) <= MAX_STATEMENTS, statements
    session.expire_all()
    [delivery] = session.exec(
        select(WebhookDelivery).where(WebhookDelivery.dedupe_key == f"booking.confirmed:{booking_id}")
    ).all()
    assert delivery.endpoint_id == wanted and delivery.event_type == "booking.confirmed"
    body = json.loads(delivery.body)
    assert body["id"] == delivery.webhook_id and body["type"] == "booking.confirmed"
    booking = session.get(Booking, booking_id)
    assert body["data"]["booking"] == {
        "id": booking_id,
        "code": code,
        "status": "confirmed",
        "channel": "online",
        "seats": ["B1", "B2"],
        "total_cents": total,
        "fee_cents": 150,
        "discount_cents": 0,
        "refund_cents": 0,
        "currency": "GBP",
        "created_at": booking.created_at.isoformat(),
        "cancelled_at": None,
    }
    assert body["data"]["showtime"] == {
        "id": show.id,
        "movie_id": show.movie_id,
        "movie_title": "Harbour Lights",
        "auditorium": "Screen 1",
        "starts_at": show.starts_at.isoformat(),
        "ends_at": show.ends_at.isoformat(),
        "is_cancelled": False,
    }


def test_a_retry_while_redis_is_down_still_gets_its_booking(engine, session, cinema, counting_store):
    """The holds are read first now; a retry of a confirm that went through does not need them."""
    show, seats, buyer = cinema["show"], cinema["seats"], cinema["buyers"][0]
    (booking_id, _, _, _), _, _ = _confirm_counted(engine, counting_store, show, buyer, seats[:2], key="once")
    unreachable = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5, decode_responses=True)
    down = HoldStore(unreachable, HoldPolicy(ttl_seconds=600, max_seats=10))
    order = dict(showtime_id=show.id, user_id=buyer.id, card=CARD, policy=POLICY)
    with Session(engine) as retry:
        again = confirm_sale(retry, down, SimulatedProvider(), idempotency_key="once", **order)
        assert (again.booking.id, again.created) == (booking_id, False)
    with Session(engine) as fresh, pytest.raises(redis.ConnectionError):
        confirm_sale(fresh, down, SimulatedProvider(), idempotency_key="another", **order)


def test_a_ticket_that_cannot_be_rendered_waits_and_the_other_mail_goes_on(
    engine, session, cinema, counting_store, smtp_server, monkeypatch
):
    show, seats, (first, second, _) = cinema["show"], cinema["seats"], cinema["buyers"]
    (broken_id, _, _, _), _, _ = _confirm_counted(engine, counting_store, show, first, seats[:2], key="a")
    (_, fine_code, _, _), _, _ = _confirm_counted(engine, counting_store, show, second, seats[2:4], key="b")
    real = notifications.ticket_mail

    def ticket_mail(session, booking, to):
        if booking.id == broken_id:
            raise RuntimeError("template bug")
        return real(session, booking, to)

    monkeypatch.setattr(notifications, "ticket_mail", ticket_mail)
    report = deliver_due(lambda: Session(engine, expire_on_commit=False), smtp_server.server, "m@example.com")
    assert (report.sent, report.failed) == (1, 1)
    [mail] = smtp_server.received
    assert fine_code in mail["Subject"]
    session.expire_all()
    broken = session.exec(select(OutboxMessage).where(OutboxMessage.booking_id == broken_id)).one()
    assert broken.status == "pending" and broken.tries == 1 and "RuntimeError: template bug" in broken.last_error
    assert broken.next_attempt_at > broken.created_at and broken.body_html == ""
