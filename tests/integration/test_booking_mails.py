"""Cancellation, refund and reminder mails on real PostgreSQL: queued in the change's own
transaction (nothing when it rolls back), once per event; reminders once, only for those who
want them, and switched off by a signed unsubscribe link that needs no login."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlparse

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from moviebook.config import get_settings
from moviebook.models import AuditEntry, Booking, OutboxMessage, User, utcnow
from moviebook.services.bookings import cancel_booking
from moviebook.services.counter import refund_counter_sale
from moviebook.services.email_prefs import (
    BadUnsubscribeLink,
    set_email_reminders,
    unsubscribe,
    unsubscribe_token,
)
from moviebook.services.reminders import send_due_reminders
from moviebook.services.reservations import admin_cancel_booking
from moviebook.services.schedule_admin import cancel_showtime
from moviebook.services.tokens import TokenPolicy, start_session
from tests.factories import (
    identity_for,
    make_auditorium,
    make_booking,
    make_movie,
    make_showtime,
    make_showtime_ahead,
    make_user,
    tag,
)

pytestmark = pytest.mark.usefixtures("app_environment")


def _messages(session: Session, kind: str | None = None) -> list[OutboxMessage]:
    session.expire_all()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(session.exec(query))


def _booked(session, email="fan@example.com", *, hours_ahead=None, fee=75):
    room = make_auditorium(session, f"Room {tag()}", rows=1, seats_per_row=4)
    movie = make_movie(session, "Harbour Lights")
    if hours_ahead is None:
        show = make_showtime_ahead(session, movie, room, days=3, hour=19)
    else:
        show = make_showtime(session, movie, room, utcnow() + timedelta(hours=hours_ahead))
    user = make_user(session, email)
    booking = make_booking(session, user, show, {"A1": 1000 + fee, "A2": 1000 + fee})
    booking.fee_cents = 2 * fee
    session.commit()
    return booking, show, user


# --- cancellations ----------------------------------------------------------------------------


def test_a_customers_cancel_queues_its_refund_mail_noting_the_kept_fee(pg_session):
    booking, _, _ = _booked(pg_session)
    cancel_booking(pg_session, user_id=booking.user_id, booking_id=booking.id, cutoff=timedelta(minutes=30))
    pg_session.commit()
    [mail] = _messages(pg_session)
    assert (mail.kind, mail.to_address) == ("booking_cancelled", "fan@example.com")
    assert mail.dedupe_key == f"booking_cancelled:{booking.id}"
    assert "£20.00 refunded" in mail.subject and booking.code in mail.subject
    assert "We are refunding £20.00" in mail.body_text
    assert "The booking fee of £1.50 is not refunded." in mail.body_text
    assert "Unsubscribe" not in mail.body_text  # not an optional mail


def test_with_fees_refunded_the_mail_says_nothing_of_a_kept_fee(pg_session):
    booking, _, _ = _booked(pg_session)
    cancel_booking(
        pg_session, user_id=booking.user_id, booking_id=booking.id, cutoff=timedelta(minutes=30), refund_fee=True
    )
    pg_session.commit()
    [mail] = _messages(pg_session)
    assert "We are refunding £21.50" in mail.body_text and "not refunded" not in mail.body_text


def test_a_cancel_that_rolls_back_sends_nothing(pg_session):
    booking, _, _ = _booked(pg_session)
    cancel_booking(pg_session, user_id=booking.user_id, booking_id=booking.id, cutoff=timedelta(minutes=30))
    pg_session.flush()
    assert len(_messages(pg_session)) == 1  # there, inside the transaction
    pg_session.rollback()
    assert _messages(pg_session) == []
    assert pg_session.get(Booking, booking.id).status == "confirmed"


def test_an_admins_cancel_mail_gives_the_reason_and_the_full_refund(pg_session):
    booking, _, _ = _booked(pg_session)
    admin = make_user(pg_session, "boss@example.com", role="admin")
    pg_session.commit()
    admin_cancel_booking(
        pg_session, identity_for(admin), booking_id=booking.id, reason="The projector broke  down.", now=utcnow()
    )
    pg_session.commit()
    [mail] = _messages(pg_session)
    assert (mail.kind, mail.to_address) == ("booking_cancelled_by_cinema", "fan@example.com")
    assert "The reason: The projector broke down." in mail.body_text
    assert "full refund of £21.50" in mail.body_text
    assert "The projector broke down." in mail.body_html


def test_a_refused_admin_cancel_queues_nothing(pg_session):
    booking, _, _ = _booked(pg_session)
    admin = make_user(pg_session, "boss@example.com", role="admin")
    pg_session.commit()
    with pytest.raises(Exception, match="reason"):
        admin_cancel_booking(pg_session, identity_for(admin), booking_id=booking.id, reason="", now=utcnow())
    pg_session.rollback()
    assert _messages(pg_session) == []


def test_a_showtime_cancelled_by_the_cinema_tells_each_customer_once(pg_session):
    booking, show, _ = _booked(pg_session)
    other = make_user(pg_session, "second@example.com")
    second = make_booking(pg_session, other, show, {"A3": 1075})
    make_booking(pg_session, other, show, {"A4": 1075}, status="cancelled")  # already cancelled: no mail
    admin = make_user(pg_session, "boss@example.com", role="admin")
    pg_session.commit()
    assert cancel_showtime(pg_session, identity_for(admin), show.id) == 2
    pg_session.commit()
    mails = _messages(pg_session)
    assert sorted((m.kind, m.to_address) for m in mails) == [
        ("showtime_cancelled", "fan@example.com"),
        ("showtime_cancelled", "second@example.com"),
    ]
    by_to = {m.to_address: m for m in mails}
    assert "full refund of £21.50" in by_to["fan@example.com"].body_text
    assert second.code in by_to["second@example.com"].body_text
    assert cancel_showtime(pg_session, identity_for(admin), show.id) == 0  # again: nothing more
    pg_session.commit()
    assert len(_messages(pg_session)) == 2


# --- reminders --------------------------------------------------------------------------------


def test_a_reminder_is_queued_once_and_marks_the_booking_in_the_same_transaction(pg_session):
    booking, _, _ = _booked(pg_session, hours_ahead=2)
    later, _, _ = _booked(pg_session, "later@example.com", hours_ahead=5)  # not due yet
    assert send_due_reminders(pg_session, hours=3) == 1
    pg_session.commit()
    assert send_due_reminders(pg_session, hours=3) == 0  # sent once
    pg_session.commit()
    [mail] = _messages(pg_session, "reminder")
    assert mail.to_address == "fan@example.com" and mail.dedupe_key == f"reminder:{booking.id}"
    assert "See you soon: Harbour Lights" in mail.body_text and booking.code in mail.body_text
    assert "3 hours before" in mail.body_text
    pg_session.expire_all()
    assert pg_session.get(Booking, booking.id).reminded_at is not None
    assert pg_session.get(Booking, later.id).reminded_at is None


def test_a_reminder_run_that_rolls_back_leaves_the_booking_to_remind_later(pg_session):
    booking, _, _ = _booked(pg_session, hours_ahead=2)
    assert send_due_reminders(pg_session, hours=3) == 1
    pg_session.rollback()
    assert _messages(pg_session) == []
    assert pg_session.get(Booking, booking.id).reminded_at is None
    assert send_due_reminders(pg_session, hours=3) == 1


def test_no_reminder_when_the_customer_turned_them_off_or_the_booking_is_cancelled(pg_session):
    booking, show, user = _booked(pg_session, hours_ahead=2)
    set_email_reminders(pg_session, user.id, False)
    other = make_user(pg_session, "gone@example.com")
    make_booking(pg_session, other, show, {"A3": 1000}, status="cancelled")
    started, _, _ = _booked(pg_session, "late@example.com", hours_ahead=-0.1)  # already started
    pg_session.commit()
    assert send_due_reminders(pg_session, hours=3) == 0
    assert send_due_reminders(pg_session, hours=0) == 0  # REMINDER_HOURS=0: none at all
    pg_session.commit()
    assert _messages(pg_session) == []
    assert pg_session.exec(select(AuditEntry).where(AuditEntry.action == "user.email_reminders")).all()


def test_two_workers_reminding_at_once_queue_one_mail(pg_engine, pg_session):
    _booked(pg_session, hours_ahead=2)
    with Session(pg_engine) as first, Session(pg_engine) as second:
        assert send_due_reminders(first, hours=3) == 1  # holds the booking's row lock
        assert send_due_reminders(second, hours=3) == 0  # SKIP LOCKED: not twice
        first.commit()
        second.commit()
    assert len(_messages(pg_session, "reminder")) == 1


# --- unsubscribe ------------------------------------------------------------------------------


def _link_token(mail: OutboxMessage) -> str:
    url = re.search(r"Unsubscribe from these emails: (\S+)", mail.body_text).group(1)
    assert url.startswith(get_settings().site_url + "/unsubscribe?token=")
    assert url in mail.body_html
    return parse_qs(urlparse(url).query)["token"][0]


def test_the_reminders_unsubscribe_link_turns_them_off_without_logging_in(pg_session):
    _, _, user = _booked(pg_session, hours_ahead=2)
    send_due_reminders(pg_session, hours=3)
    pg_session.commit()
    token = _link_token(_messages(pg_session, "reminder")[0])
    result = unsubscribe(pg_session, get_settings().secret_key, token)
    pg_session.commit()
    assert "Reminders are off" in result.message
    pg_session.expire_all()
    assert pg_session.get(User, user.id).email_reminders is False
    assert unsubscribe(pg_session, get_settings().secret_key, token).what == "reminders"  # twice is fine
    pg_session.commit()
    _booked(pg_session, "fan@example.org", hours_ahead=2)
    pg_session.execute(sa.update(Booking).values(reminded_at=None))  # every booking due again
    pg_session.commit()
    assert send_due_reminders(pg_session, hours=3) == 1  # the other customer only
    pg_session.commit()
    assert [m.to_address for m in _messages(pg_session, "reminder")] == ["fan@example.com", "fan@example.org"]


def test_bad_unsubscribe_links_get_a_clear_message(pg_session):
    user = make_user(pg_session, "fan@example.com")
    pg_session.commit()
    secret = get_settings().secret_key
    good = unsubscribe_token(secret, user.id)
    old = unsubscribe_token(secret, user.id, now=datetime.now(timezone.utc) - timedelta(days=400))
    forged = unsubscribe_token("another-secret-" + "y" * 32, user.id)
    session_token = start_session(pg_session, user, TokenPolicy(secret)).access  # a login token is not one
    for token, says in [
        (old, "expired"),
        (forged, "not valid"),
        (good[:-4], "not valid"),
        ("", "not valid"),
        ("garbage", "not valid"),
        (session_token, "not valid"),
        ("x" * 5000, "not valid"),
    ]:
        with pytest.raises(BadUnsubscribeLink, match=says):
            unsubscribe(pg_session, secret, token)
    pg_session.expire_all()
    assert pg_session.get(User, user.id).email_reminders is True


def test_a_cash_sale_at_the_counter_cancelled_by_an_admin_is_refunded_in_cash_to_its_email(pg_session):
    booking, _, _ = _booked(pg_session, fee=0)
    admin = make_user(pg_session, "boss@example.com", role="admin")
    booking.channel, booking.payment_method, booking.sold_by = "counter", "cash", admin.id
    booking.user_id, booking.customer_email = None, "walk-in@example.com"
    pg_session.commit()
    admin_cancel_booking(pg_session, identity_for(admin), booking_id=booking.id, reason="Show moved", now=utcnow())
    pg_session.commit()
    [mail] = _messages(pg_session)
    assert mail.to_address == "walk-in@example.com"
    assert "full refund of £20.00 in cash at the box office" in mail.body_text
    assert "booking fee" not in mail.body_text


def test_a_refund_at_the_counter_mails_the_sales_email_that_the_cash_was_paid_out(pg_session):
    booking, _, _ = _booked(pg_session, fee=0)
    clerk = make_user(pg_session, "till@example.com", role="staff")
    booking.channel, booking.payment_method, booking.sold_by = "counter", "cash", clerk.id
    booking.user_id, booking.customer_email = None, "walk-in@example.com"
    pg_session.commit()
    refund_counter_sale(pg_session, identity_for(clerk), booking_id=booking.id)
    pg_session.commit()
    [mail] = _messages(pg_session)
    assert (mail.kind, mail.to_address) == ("booking_cancelled", "walk-in@example.com")
    # Handed over at the till just now: not "bring your booking code" to collect it.
    assert "£20.00 in cash, paid out at the box office" in mail.body_text
    assert "bring your booking code" not in mail.body_text


def test_a_counter_refund_without_an_email_queues_no_mail(pg_session):
    booking, _, _ = _booked(pg_session, fee=0)
    clerk = make_user(pg_session, "till@example.com", role="staff")
    booking.channel, booking.payment_method, booking.sold_by = "counter", "cash", clerk.id
    booking.user_id, booking.customer_email = None, None
    pg_session.commit()
    refund_counter_sale(pg_session, identity_for(clerk), booking_id=booking.id)
    pg_session.commit()
    assert _messages(pg_session) == []
