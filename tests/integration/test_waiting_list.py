"""The waiting list on real PostgreSQL and Redis: who may join, the order people are told in, once
per opening, every way seats come free (a cancel, an admin's cancel, a hold given back or run
out), nothing for a change that rolls back, and nothing once the show has started."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from moviebook.config import get_settings
from moviebook.models import OutboxMessage, Seat, Showtime, WaitingListEntry, utcnow
from moviebook.services import waiting_list
from moviebook.services.bookings import cancel_booking, hold_seats, release_seats
from moviebook.services.email_prefs import unsubscribe
from moviebook.services.errors import DomainError
from moviebook.services.holds import HoldPolicy, HoldStore
from moviebook.services.reservations import admin_cancel_booking
from tests.factories import identity_for, make_auditorium, make_booking, make_movie, make_showtime_ahead, make_user, tag

pytestmark = pytest.mark.usefixtures("app_environment")


@pytest.fixture
def store(redis_client):
    return HoldStore(redis_client, HoldPolicy(ttl_seconds=600, max_seats=10))


def _full_show(session, seats=4):
    """A showtime of one row of ``seats`` seats, sold out: A1 and A2 to one customer (two
    bookings), the rest to another."""
    room = make_auditorium(session, f"Room {tag()}", rows=1, seats_per_row=seats)
    show = make_showtime_ahead(session, make_movie(session, "Harbour Lights"), room, days=3, hour=19)
    buyer = make_user(session, "buyer@example.com")
    first = make_booking(session, buyer, show, {"A1": 1000})
    second = make_booking(session, buyer, show, {"A2": 1000})
    rest = make_booking(session, make_user(session), show, {f"A{n}": 1000 for n in range(3, seats + 1)})
    session.commit()
    return show, buyer, (first, second, rest)


def _waiting(session, store, show, *wants):
    people = []
    for n, seats in enumerate(wants):
        user = make_user(session, f"waiter{n}@example.com")
        waiting_list.join(session, store, user_id=user.id, showtime_id=show.id, seats_wanted=seats, max_seats=10)
        session.commit()
        people.append(user)
    return people


def _told(session) -> list[str]:
    session.expire_all()
    rows = session.exec(
        select(OutboxMessage).where(OutboxMessage.kind == "waiting_list_opening").order_by(OutboxMessage.id)
    )
    return [row.to_address for row in rows]


def _cancel(session, booking):
    cancel_booking(session, user_id=booking.user_id, booking_id=booking.id, cutoff=timedelta(minutes=30))
    session.commit()


def test_only_a_full_enough_upcoming_showtime_can_be_joined_once_per_person(pg_session, store):
    show, _, (first, _, _) = _full_show(pg_session)
    user = make_user(pg_session, "fan@example.com")
    pg_session.commit()
    for wanted, says in [(0, "1 to 10"), (11, "1 to 10")]:
        with pytest.raises(DomainError, match=says):
            waiting_list.join(
                pg_session, store, user_id=user.id, showtime_id=show.id, seats_wanted=wanted, max_seats=10
            )
    waiting_list.join(pg_session, store, user_id=user.id, showtime_id=show.id, seats_wanted=1, max_seats=10)
    waiting_list.join(pg_session, store, user_id=user.id, showtime_id=show.id, seats_wanted=3, max_seats=10)
    pg_session.commit()
    entries = pg_session.exec(select(WaitingListEntry)).all()
    assert [(e.user_id, e.seats_wanted) for e in entries] == [(user.id, 3)]  # one entry, changed
    _cancel(pg_session, first)  # one seat free: wanting 1 is not waiting any more
    other = make_user(pg_session, "other@example.com")
    pg_session.commit()
    with pytest.raises(DomainError, match="1 seat is free right now"):
        waiting_list.join(pg_session, store, user_id=other.id, showtime_id=show.id, seats_wanted=1, max_seats=10)
    assert waiting_list.leave(pg_session, user_id=user.id, showtime_id=show.id) is True
    assert waiting_list.leave(pg_session, user_id=user.id, showtime_id=show.id) is False
    pg_session.commit()
    assert pg_session.exec(select(WaitingListEntry)).all() == []


def test_a_started_or_cancelled_showtime_cannot_be_joined(pg_session, store):
    show, _, _ = _full_show(pg_session)
    user = make_user(pg_session, "fan@example.com")
    show.starts_at = utcnow() - timedelta(minutes=1)
    pg_session.commit()
    with pytest.raises(DomainError, match="started"):
        waiting_list.join(pg_session, store, user_id=user.id, showtime_id=show.id, seats_wanted=1, max_seats=10)
    show.starts_at, show.is_cancelled = utcnow() + timedelta(days=1), True
    pg_session.commit()
    with pytest.raises(DomainError, match="cancelled"):
        waiting_list.join(pg_session, store, user_id=user.id, showtime_id=show.id, seats_wanted=1, max_seats=10)


def test_the_first_people_whose_wish_fits_are_told_in_join_order_once_per_opening(pg_session, store):
    show, _, (first, second, _) = _full_show(pg_session)
    a, b, c, d = _waiting(pg_session, store, show, 1, 2, 1, 1)
    _cancel(pg_session, first)  # opening 1: one seat
    assert _told(pg_session) == [a.email]  # b wants 2: passed over; c would fit but a took the seat
    message = pg_session.exec(select(OutboxMessage).where(OutboxMessage.kind == "waiting_list_opening")).one()
    assert message.dedupe_key.endswith(":1") and f"/showtimes/{show.id}" in message.body_text
    assert "Unsubscribe from these emails" in message.body_text
    # The same opening is never told twice, however often it is looked at again.
    assert waiting_list.seats_came_free(pg_session, show.id, store=store).notified == (a.id,)  # opening 2 now
    pg_session.rollback()
    _cancel(pg_session, second)  # opening 2: two seats; a (1) then b (2) does not fit, c (1) does
    assert _told(pg_session) == [a.email, a.email, c.email]
    pg_session.expire_all()
    assert pg_session.get(Showtime, show.id).seat_openings == 2
    entries = {e.user_id: e.notified_opening for e in pg_session.exec(select(WaitingListEntry))}
    assert entries == {a.id: 2, b.id: 0, c.id: 2, d.id: 0}


def test_someone_who_wants_more_than_is_free_is_told_when_enough_are(pg_session, store):
    show, _, (first, second, _) = _full_show(pg_session)
    [group] = _waiting(pg_session, store, show, 2)
    _cancel(pg_session, first)
    assert _told(pg_session) == []
    _cancel(pg_session, second)
    assert _told(pg_session) == [group.email]
    [body] = pg_session.exec(select(OutboxMessage.body_text).where(OutboxMessage.kind == "waiting_list_opening"))
    assert "2 seats came free. There are now 2 free." in body


def test_an_opening_that_rolls_back_tells_nobody(pg_session, store):
    show, _, (first, _, _) = _full_show(pg_session)
    _waiting(pg_session, store, show, 1)
    cancel_booking(pg_session, user_id=first.user_id, booking_id=first.id, cutoff=timedelta(minutes=30))
    pg_session.flush()
    pg_session.rollback()
    assert _told(pg_session) == []
    assert pg_session.get(Showtime, show.id).seat_openings == 0
    assert pg_session.exec(select(WaitingListEntry.notified_opening)).all() == [0]


def test_an_admins_cancel_frees_seats_for_the_waiting_list(pg_session, store):
    show, _, (first, _, _) = _full_show(pg_session)
    [fan] = _waiting(pg_session, store, show, 1)
    admin = make_user(pg_session, "boss@example.com", role="admin")
    pg_session.commit()
    admin_cancel_booking(pg_session, identity_for(admin), booking_id=first.id, reason="Double booked", now=utcnow())
    pg_session.commit()
    assert _told(pg_session) == [fan.email]


def test_a_hold_given_back_is_an_opening_and_a_seat_still_held_is_not_free(pg_session, store):
    show, _, (first, _, _) = _full_show(pg_session)
    [fan] = _waiting(pg_session, store, show, 1)
    holder = make_user(pg_session, "holder@example.com")
    pg_session.commit()
    seat = pg_session.exec(select(Seat).where(Seat.auditorium_id == show.auditorium_id, Seat.number == 1)).one()
    cancel_booking(pg_session, user_id=first.user_id, booking_id=first.id, cutoff=timedelta(minutes=30))
    pg_session.flush()
    hold_seats(pg_session, store, showtime_id=show.id, user_id=holder.id, seat_ids=[seat.id])
    waiting_list.seats_came_free(pg_session, show.id, store=store)
    pg_session.commit()
    messages = _told(pg_session)
    assert messages.count(fan.email) == 1  # told by the cancel (the seat was free then) ...
    release_seats(pg_session, store, showtime_id=show.id, user_id=holder.id, seat_ids=[seat.id])
    pg_session.commit()
    assert _told(pg_session) == [fan.email, fan.email]  # ... and again when the hold was given back


def test_expired_holds_tell_the_waiting_list(pg_session, store, redis_client):
    from moviebook.live.jobs import _tell_waiting_list
    from moviebook.services.holds import hold_store

    show, _, (first, _, _) = _full_show(pg_session)
    [fan] = _waiting(pg_session, store, show, 1)
    _cancel(pg_session, first)
    assert _told(pg_session) == [fan.email]
    seat = pg_session.exec(select(Seat).where(Seat.auditorium_id == show.auditorium_id, Seat.number == 1)).one()
    holder = make_user(pg_session, "holder@example.com")
    pg_session.commit()
    hold_store().hold(show.id, holder.id, [seat.id])
    hold_store().release(show.id, holder.id, [seat.id])  # as if it ran out: gone from Redis
    _tell_waiting_list(show.id)  # what the expiry sweep does for each showtime with expiries
    assert _told(pg_session) == [fan.email, fan.email]


def test_no_mail_once_the_show_has_started(pg_session, store):
    show, _, (first, _, _) = _full_show(pg_session)
    _waiting(pg_session, store, show, 1)
    opening = waiting_list.seats_came_free(pg_session, show.id, store=store, now=show.starts_at + timedelta(seconds=1))
    assert opening.notified == () and opening.opening == 0
    pg_session.rollback()
    assert _told(pg_session) == []


def test_nobody_waiting_costs_no_write(pg_session, store):
    show, _, (first, _, _) = _full_show(pg_session)
    _cancel(pg_session, first)
    pg_session.expire_all()
    assert pg_session.get(Showtime, show.id).seat_openings == 0


def test_the_waiting_list_mails_unsubscribe_link_leaves_the_list(pg_session, store):
    show, _, (first, _, _) = _full_show(pg_session)
    [fan] = _waiting(pg_session, store, show, 1)
    _cancel(pg_session, first)
    body = pg_session.exec(select(OutboxMessage.body_text).where(OutboxMessage.kind == "waiting_list_opening")).one()
    token = body.split("/unsubscribe?token=")[1].split()[0]
    result = unsubscribe(pg_session, get_settings().secret_key, token)
    pg_session.commit()
    assert "left the waiting list" in result.message
    assert pg_session.exec(select(WaitingListEntry)).all() == []
    pg_session.expire_all()
    assert fan.email_reminders is True  # only the list was left


def test_two_cancels_at_once_are_two_openings_each_told_once(pg_engine, pg_session, store):
    show, _, (first, second, _) = _full_show(pg_session)
    [fan] = _waiting(pg_session, store, show, 1)
    start, errors = threading.Barrier(2), []

    def cancel(booking):
        try:
            with Session(pg_engine, expire_on_commit=False) as session:
                start.wait()
                cancel_booking(session, user_id=booking.user_id, booking_id=booking.id, cutoff=timedelta(minutes=30))
                session.commit()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=cancel, args=(b,)) for b in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert _told(pg_session) == [fan.email, fan.email]  # the showtime's lock put the openings in a row
    keys = pg_session.exec(select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == "waiting_list_opening")).all()
    assert sorted(k.rsplit(":", 1)[1] for k in keys) == ["1", "2"]
    pg_session.expire_all()
    assert pg_session.get(Showtime, show.id).seat_openings == 2


def test_someone_who_bought_seats_since_joining_is_not_told_again(pg_session, store):
    show, _, (first, second, _) = _full_show(pg_session)
    a, b = _waiting(pg_session, store, show, 1, 1)
    _cancel(pg_session, first)
    assert _told(pg_session) == [a.email]
    make_booking(pg_session, a, show, {"A1": 1000})  # a got their seat
    pg_session.commit()
    _cancel(pg_session, second)
    assert _told(pg_session) == [a.email, b.email]


def test_logging_out_gives_back_holds_and_tells_the_waiting_list(pg_session, store):
    from moviebook.services.accounts import log_out

    show, _, (first, _, _) = _full_show(pg_session)
    [fan] = _waiting(pg_session, store, show, 1)
    holder = make_user(pg_session, "holder@example.com")
    pg_session.commit()
    seat = pg_session.exec(select(Seat).where(Seat.auditorium_id == show.auditorium_id, Seat.number == 1)).one()
    cancel_booking(pg_session, user_id=first.user_id, booking_id=first.id, cutoff=timedelta(minutes=30))
    hold_seats(pg_session, store, showtime_id=show.id, user_id=holder.id, seat_ids=[seat.id])
    pg_session.commit()
    assert _told(pg_session) == [fan.email]  # the cancel's opening; then the seat was held again
    assert log_out(pg_session, store, user_id=holder.id, session_id="none") == [show.id]
    pg_session.commit()
    assert _told(pg_session) == [fan.email, fan.email]  # giving the hold back at logout: a new opening


def test_a_refund_at_the_counter_frees_seats_for_the_waiting_list(pg_session, store):
    from moviebook.services.counter import refund_counter_sale

    show, _, (first, _, _) = _full_show(pg_session)
    [fan] = _waiting(pg_session, store, show, 1)
    clerk = make_user(pg_session, "clerk@example.com", role="staff")
    first.channel, first.payment_method, first.sold_by, first.user_id = "counter", "cash", clerk.id, None
    pg_session.commit()
    refund_counter_sale(pg_session, identity_for(clerk), booking_id=first.id)
    pg_session.commit()
    assert _told(pg_session) == [fan.email]
