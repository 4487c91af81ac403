"""Booking on real PostgreSQL and real Redis: races, losing Redis, expiry, idempotency, access."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from datetime import date, timedelta

import pytest
import redis
from sqlmodel import Session, select

from moviebook.models import Booking, BookingSeat, Seat, utcnow
from moviebook.services.bookings import (
    BOOKED,
    HoldLost,
    LiveSeats,
    bookings_of,
    cancel_booking,
    complete_past_bookings,
    confirm_booking,
    hold_seats,
    live_seats,
)
from moviebook.services.checkout import quote_held
from moviebook.services.errors import Conflict, DomainError, NotFound
from moviebook.services.holds import HoldPolicy, HoldRefused, HoldStore
from moviebook.services.payments import PaymentDeclined, SimulatedProvider, parse_card
from tests.factories import make_auditorium, make_showtime_ahead, make_user
from tests.support import forget_app_keys

GOOD_CARD = parse_card(
    {"card_number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123", "card_name": "A"}, date(2030, 1, 1)
)
DECLINED = parse_card(
    {"card_number": "4000 0000 0000 0002", "expiry": "12/39", "cvc": "123", "card_name": "A"}, date(2030, 1, 1)
)


@pytest.fixture
def show(pg_session):
    room = make_auditorium(pg_session, rows=4, seats_per_row=10)
    showtime = make_showtime_ahead(pg_session, room=room, days=2, base_price_cents=1000)
    users = [make_user(pg_session, f"u{i}@example.com", name=f"U{i}") for i in range(50)]
    pg_session.commit()
    seats = pg_session.exec(select(Seat).where(Seat.auditorium_id == room.id).order_by(Seat.y, Seat.x)).all()
    return {"showtime": showtime, "seats": seats, "users": users}


@pytest.fixture
def store(redis_client):
    return HoldStore(redis_client, HoldPolicy(ttl_seconds=600, max_seats=10))


def confirm(session, store, showtime_id, user_id, key, *, card=GOOD_CARD, provider=None):
    """Pay for the caller's held seats, as the checkout does."""
    return confirm_booking(
        session,
        store,
        provider or SimulatedProvider(),
        showtime_id=showtime_id,
        user_id=user_id,
        idempotency_key=key,
        card=card,
    )


def book(session, store, show, user, seat_ids, key="k1", card=GOOD_CARD, provider=None):
    hold_seats(session, store, showtime_id=show["showtime"].id, user_id=user.id, seat_ids=seat_ids)
    return confirm(session, store, show["showtime"].id, user.id, key, card=card, provider=provider)


def test_live_seats_say_who_holds_what_and_count_only_free_seats_on_sale(pg_session, store, show):
    showtime_id, seats, users = show["showtime"].id, show["seats"], show["users"]
    assert live_seats(pg_session, store, showtime_id).free == 40
    seats[39].seat_type = "blocked"  # not for sale: never counted as free
    pg_session.commit()
    book(pg_session, store, show, users[0], [seats[0].id])
    hold_seats(pg_session, store, showtime_id=showtime_id, user_id=users[1].id, seat_ids=[seats[1].id, seats[2].id])
    now = live_seats(pg_session, store, showtime_id)
    assert now.taken == {seats[0].id: BOOKED, seats[1].id: users[1].id, seats[2].id: users[1].id}
    assert now.free == 40 - 1 - 1 - 2
    assert live_seats(pg_session, store, 999_999) == LiveSeats({}, 0)  # an unknown showtime has no seats


def test_hold_quote_and_confirm(pg_session, store, show):
    user, seats = show["users"][0], show["seats"]
    hold_seats(pg_session, store, showtime_id=show["showtime"].id, user_id=user.id, seat_ids=[seats[0].id, seats[1].id])
    priced = quote_held(
        pg_session, store, showtime_id=show["showtime"].id, holder_id=user.id, channel="online", chosen_types={}
    ).order
    # No ticket types set up: Standard tickets at the seat price, plus the online fee per ticket.
    assert [line.label for line in priced.lines] == ["A1", "A2"] and priced.subtotal_cents == 2000
    assert priced.total_cents == 2000 + 2 * 75
    provider = SimulatedProvider()
    booking = confirm(pg_session, store, show["showtime"].id, user.id, "abc", provider=provider)
    assert (
        booking.total_cents == 2150
        and booking.fee_cents == 150
        and booking.seat_count == 2
        and len(booking.code) == 9
        and provider.captured
    )
    assert store.held_by(show["showtime"].id, user.id) == []  # holds became the booking
    assert bookings_of(pg_session, user.id)[0].seats == ("A1", "A2")


def test_fifty_concurrent_buyers_never_share_a_seat(pg_only_engine, redis_url, show):
    showtime_id, seat_ids = show["showtime"].id, [s.id for s in show["seats"]][:12]
    rng = random.Random(7)
    wishes = {u.id: rng.sample(seat_ids, rng.randint(1, 3)) for u in show["users"]}  # heavily overlapping
    barrier = threading.Barrier(len(wishes))
    outcomes: dict[int, str] = {}
    pool = redis.BlockingConnectionPool.from_url(redis_url, max_connections=60, decode_responses=True)

    def buyer(user_id: int, wanted: list[int]):
        store = HoldStore(redis.Redis(connection_pool=pool), HoldPolicy())
        with Session(pg_only_engine) as session:
            barrier.wait()
            try:
                hold_seats(session, store, showtime_id=showtime_id, user_id=user_id, seat_ids=wanted)
                confirm(session, store, showtime_id, user_id, f"key-{user_id}")
                outcomes[user_id] = "booked"
            except (HoldRefused, Conflict, HoldLost) as refused:
                session.rollback()
                assert str(refused), "every refusal must say why"
                outcomes[user_id] = "refused"

    threads = [threading.Thread(target=buyer, args=item) for item in wishes.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pool.disconnect()
    assert len(outcomes) == 50, "every buyer got an answer"
    with Session(pg_only_engine) as session:
        rows = session.exec(select(BookingSeat).where(BookingSeat.showtime_id == showtime_id)).all()
        owner_of = {b.id: b.user_id for b in session.exec(select(Booking))}
    per_seat = Counter(r.seat_id for r in rows)
    assert per_seat and max(per_seat.values()) == 1, "a seat was sold twice"
    assert set(owner_of.values()) == {u for u, result in outcomes.items() if result == "booked"}
    for user_id in set(owner_of.values()):  # each winner got exactly the seats they asked for
        assert {r.seat_id for r in rows if owner_of[r.booking_id] == user_id} == set(wishes[user_id])


def test_confirm_after_redis_lost_the_holds_is_refused_cleanly(pg_session, store, show, redis_client):
    user, seat = show["users"][0], show["seats"][5]
    hold_seats(pg_session, store, showtime_id=show["showtime"].id, user_id=user.id, seat_ids=[seat.id])
    forget_app_keys(redis_client)  # as a Redis restart would
    with pytest.raises(HoldLost, match="no longer held"):
        confirm(pg_session, store, show["showtime"].id, user.id, "k")
    assert pg_session.exec(select(Booking)).all() == []


def test_a_seat_booked_before_redis_was_flushed_cannot_be_booked_after(pg_session, store, show, redis_client):
    first, second, seat = show["users"][0], show["users"][1], show["seats"][7]
    book(pg_session, store, show, first, [seat.id])
    forget_app_keys(redis_client)  # as a Redis restart would
    with pytest.raises(Conflict, match="just booked"):
        hold_seats(pg_session, store, showtime_id=show["showtime"].id, user_id=second.id, seat_ids=[seat.id])
    # Even if Redis were tricked into granting the hold, PostgreSQL refuses the sale.
    store.hold(show["showtime"].id, second.id, [seat.id])
    provider = SimulatedProvider()
    with pytest.raises(Conflict, match="sold to someone else"):
        confirm(pg_session, store, show["showtime"].id, second.id, "k2", provider=provider)
    assert provider.voided and not provider.captured  # nothing charged
    assert len(pg_session.exec(select(BookingSeat).where(BookingSeat.seat_id == seat.id)).all()) == 1


def test_holds_expire_after_their_ttl_and_the_seats_are_free_again(pg_session, redis_client, show):
    store = HoldStore(redis_client, HoldPolicy(ttl_seconds=2, max_seats=10))
    first, second, seat = show["users"][0], show["users"][1], show["seats"][3]
    hold_seats(pg_session, store, showtime_id=show["showtime"].id, user_id=first.id, seat_ids=[seat.id])
    with pytest.raises(HoldRefused):
        hold_seats(pg_session, store, showtime_id=show["showtime"].id, user_id=second.id, seat_ids=[seat.id])
    time.sleep(2.3)
    assert (show["showtime"].id, seat.id, first.id) in store.pop_expired()  # what tells the browsers
    with pytest.raises(HoldLost):
        confirm(pg_session, store, show["showtime"].id, first.id, "late")
    hold_seats(pg_session, store, showtime_id=show["showtime"].id, user_id=second.id, seat_ids=[seat.id])


def test_confirming_twice_with_the_same_key_gives_one_booking(pg_session, store, show):
    user = show["users"][0]
    first = book(pg_session, store, show, user, [show["seats"][0].id], key="same")
    again = confirm(pg_session, store, show["showtime"].id, user.id, "same")
    assert again.id == first.id and len(pg_session.exec(select(Booking)).all()) == 1


def test_a_double_click_racing_itself_gives_one_booking(pg_only_engine, redis_client, show):
    user, seat = show["users"][0], show["seats"][9]
    store = HoldStore(redis_client, HoldPolicy())
    with Session(pg_only_engine) as session:
        hold_seats(session, store, showtime_id=show["showtime"].id, user_id=user.id, seat_ids=[seat.id])
    barrier, results = threading.Barrier(2), []

    def click():
        with Session(pg_only_engine) as session:
            barrier.wait()
            results.append(confirm(session, store, show["showtime"].id, user.id, "dbl").id)

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2 and results[0] == results[1]
    with Session(pg_only_engine) as session:
        assert len(session.exec(select(Booking)).all()) == 1


def test_a_declined_card_books_nothing_and_keeps_the_holds(pg_session, store, show):
    user, seat = show["users"][0], show["seats"][2]
    with pytest.raises(PaymentDeclined, match="declined"):
        book(pg_session, store, show, user, [seat.id], card=DECLINED)
    assert pg_session.exec(select(Booking)).all() == []
    assert store.held_by(show["showtime"].id, user.id) == [seat.id]


def test_nobody_touches_another_users_booking_or_holds(pg_session, store, show):
    owner, intruder = show["users"][0], show["users"][1]
    booking = book(pg_session, store, show, owner, [show["seats"][0].id])
    with pytest.raises(NotFound):
        cancel_booking(pg_session, user_id=intruder.id, booking_id=booking.id, cutoff=timedelta(minutes=30))
    assert bookings_of(pg_session, intruder.id, booking.id) == []
    hold_seats(pg_session, store, showtime_id=show["showtime"].id, user_id=owner.id, seat_ids=[show["seats"][1].id])
    assert store.release(show["showtime"].id, intruder.id, [show["seats"][1].id]) == []
    with pytest.raises(HoldLost):  # the intruder holds nothing, so has nothing to confirm
        confirm(pg_session, store, show["showtime"].id, intruder.id, "x")
    assert store.held_by(show["showtime"].id, owner.id) == [show["seats"][1].id]


def test_cancel_frees_the_seats_with_a_refund_until_the_cutoff(pg_session, store, show):
    user, other, seat = show["users"][0], show["users"][1], show["seats"][4]
    booking = book(pg_session, store, show, user, [seat.id])
    late = show["showtime"].starts_at - timedelta(minutes=20)
    with pytest.raises(DomainError, match="30 minutes before"):
        cancel_booking(pg_session, user_id=user.id, booking_id=booking.id, cutoff=timedelta(minutes=30), now=late)
    cancel_booking(pg_session, user_id=user.id, booking_id=booking.id, cutoff=timedelta(minutes=30))
    pg_session.commit()
    assert (booking.status, booking.refund_cents) == ("cancelled", 1000)
    book(pg_session, store, show, other, [seat.id], key="k-other")  # the seat can be sold again


def test_couple_seats_are_held_as_a_pair(pg_session, store, show):
    a, b = show["seats"][10], show["seats"][11]
    a.seat_type = b.seat_type = "couple"
    pg_session.commit()
    held = hold_seats(pg_session, store, showtime_id=show["showtime"].id, user_id=show["users"][0].id, seat_ids=[a.id])
    assert held == sorted([a.id, b.id])


def test_past_showtimes_bookings_become_completed(pg_session, store, show):
    booking = book(pg_session, store, show, show["users"][0], [show["seats"][0].id])
    assert complete_past_bookings(pg_session, now=utcnow()) == 0
    assert complete_past_bookings(pg_session, now=show["showtime"].ends_at + timedelta(minutes=1)) == 1
    pg_session.refresh(booking)
    assert booking.status == "completed"
