"""Selling on real PostgreSQL and Redis: ticket types, the age rule, promotion codes (limits,
concurrency, giving back), the fee on cancel, and counter sales for cash."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlmodel import Session, select

from moviebook.models import Booking, BookingSeat, Promotion, PromotionRedemption, Seat
from moviebook.services import promotions
from moviebook.services.bookings import bookings_of, cancel_booking, confirm_booking, hold_seats
from moviebook.services.checkout import Payment, Sale, SellingPolicy, complete_sale, quote_held
from moviebook.services.errors import DomainError
from moviebook.services.holds import HoldPolicy, HoldStore
from moviebook.services.payments import SimulatedProvider, parse_card
from moviebook.services.reservations import admin_cancel_booking
from tests.factories import (
    cinema_tz,
    identity_for,
    make_auditorium,
    make_movie,
    make_promotion,
    make_showtime_ahead,
    make_ticket_types,
    make_user,
)

CARD = parse_card(
    {"card_number": "4242424242424242", "expiry": "12/39", "cvc": "123", "card_name": "A"}, date(2030, 1, 1)
)
POLICY = SellingPolicy(fee_per_ticket_cents=75, currency="GBP", tz=cinema_tz())


@pytest.fixture
def store(redis_client):
    return HoldStore(redis_client, HoldPolicy(ttl_seconds=600, max_seats=10))


@pytest.fixture
def cinema(pg_session):
    types = make_ticket_types(pg_session)
    room = make_auditorium(pg_session, rows=3, seats_per_row=10)
    film_15 = make_movie(pg_session, "Night Teeth", age_rating="15")
    family = make_movie(pg_session, "Paper Kites", age_rating="PG")
    show_15 = make_showtime_ahead(pg_session, film_15, room, days=2, hour=20, base_price_cents=1250)
    show_pg = make_showtime_ahead(pg_session, family, room, days=3, hour=14, base_price_cents=1250, format="3D")
    buyers = [make_user(pg_session, f"buyer{i}@example.com") for i in range(60)]
    pg_session.commit()
    seats = pg_session.exec(select(Seat).where(Seat.auditorium_id == room.id).order_by(Seat.y, Seat.x)).all()
    return {"types": types, "show_15": show_15, "show_pg": show_pg, "seats": seats, "buyers": buyers}


def _hold(session, store, showtime, user, seats):
    hold_seats(session, store, showtime_id=showtime.id, user_id=user.id, seat_ids=[s.id for s in seats])


def _buy(session, store, showtime, user, seats, *, types=None, code="", key="k"):
    _hold(session, store, showtime, user, seats)
    return confirm_booking(
        session,
        store,
        SimulatedProvider(),
        showtime_id=showtime.id,
        user_id=user.id,
        idempotency_key=key,
        card=CARD,
        chosen_types=types or {},
        promo_code=code,
        policy=POLICY,
    )


def test_one_adult_and_one_child_with_a_code_pay_what_the_quote_said(pg_session, store, cinema):
    show, (a, b), user = cinema["show_pg"], cinema["seats"][:2], cinema["buyers"][0]
    promo = make_promotion(pg_session, "FAMILY", value=1000)
    pg_session.commit()
    types = {a.id: cinema["types"]["Adult"].id, b.id: cinema["types"]["Child"].id}
    _hold(pg_session, store, show, user, [a, b])
    quoted = quote_held(
        pg_session,
        store,
        showtime_id=show.id,
        holder_id=user.id,
        channel="online",
        chosen_types=types,
        promo_code="family",
        policy=POLICY,
    )
    # Adult 1250, Child 40% off = 750; 10% off each: 125 + 75; fee 75 × 2  ->  1125 + 675 + 150 = 1950
    assert quoted.promotion_problem is None and quoted.promotion_code == "FAMILY"
    assert quoted.order.total_cents == 1950
    booking = confirm_booking(
        pg_session,
        store,
        SimulatedProvider(),
        showtime_id=show.id,
        user_id=user.id,
        idempotency_key="fam",
        card=CARD,
        chosen_types=types,
        promo_code=" family ",
        policy=POLICY,
    )
    assert (booking.total_cents, booking.discount_cents, booking.fee_cents) == (1950, 200, 150)
    assert booking.promotion_id == promo.id
    rows = pg_session.exec(
        select(BookingSeat).where(BookingSeat.booking_id == booking.id).order_by(BookingSeat.id)
    ).all()
    assert [(r.ticket_type_name, r.unit_price_cents, r.discount_cents, r.fee_cents, r.price_cents) for r in rows] == [
        ("Adult", 1250, 125, 75, 1125),
        ("Child", 750, 75, 75, 675),
    ]
    pg_session.refresh(promo)
    assert promo.redemption_count == 1


def test_prices_as_sold_survive_a_later_price_change(pg_session, store, cinema):
    booking = _buy(pg_session, store, cinema["show_pg"], cinema["buyers"][0], cinema["seats"][:1])
    child = cinema["types"]["Adult"]
    child.value = 5000
    cinema["show_pg"].base_price_cents = 9999
    pg_session.commit()
    row = pg_session.exec(select(BookingSeat).where(BookingSeat.booking_id == booking.id)).one()
    assert (row.unit_price_cents, row.price_cents, booking.total_cents) == (1250, 1250, 1325)


def test_a_child_ticket_is_refused_for_a_15_film_and_nothing_is_sold(pg_session, store, cinema):
    show, seat, user = cinema["show_15"], cinema["seats"][0], cinema["buyers"][0]
    with pytest.raises(DomainError, match="rated 15"):
        _buy(pg_session, store, show, user, [seat], types={seat.id: cinema["types"]["Child"].id})
    pg_session.rollback()
    assert pg_session.exec(select(Booking)).all() == []
    assert store.held_by(show.id, user.id) == [seat.id]  # still held: choose another type and pay


def test_a_ticket_type_that_is_switched_off_cannot_be_chosen(pg_session, store, cinema):
    senior = cinema["types"]["Senior"]
    senior.is_active = False
    pg_session.commit()
    seat = cinema["seats"][0]
    with pytest.raises(DomainError, match="not on sale"):
        _buy(pg_session, store, cinema["show_pg"], cinema["buyers"][0], [seat], types={seat.id: senior.id})


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"valid_to_days": -1}, "This code has expired."),
        ({"valid_from_days": 5}, "This code starts on"),
        ({"formats": "IMAX"}, "This code is for IMAX showings."),
        ({"min_tickets": 3}, "This code needs at least 3 tickets in one booking."),
        ({"max_redemptions": 2, "redemption_count": 2}, "Only 2 could be used and they have all gone."),
        ({"is_active": False}, "We do not know that code."),
        ({"films": "other"}, "This code is not valid for this film."),
    ],
)
def test_a_code_that_does_not_apply_says_why(pg_session, store, cinema, fields, message):
    from datetime import UTC, datetime

    from moviebook.models import PromotionMovie

    now = datetime.now(UTC)
    extra = dict(fields)
    if "valid_to_days" in extra:
        extra = {"valid_from": now - timedelta(days=10), "valid_to": now + timedelta(days=extra.pop("valid_to_days"))}
    if "valid_from_days" in extra:
        extra = {"valid_from": now + timedelta(days=extra.pop("valid_from_days")), "valid_to": now + timedelta(days=30)}
    films = extra.pop("films", None)
    promo = make_promotion(pg_session, "TRYME", **extra)
    if films:
        other = make_movie(pg_session, "Somebody Else's Film")
        pg_session.add(PromotionMovie(promotion_id=promo.id, movie_id=other.id))
    pg_session.commit()
    show, seats, user = cinema["show_pg"], cinema["seats"][:2], cinema["buyers"][0]
    _hold(pg_session, store, show, user, seats)
    quoted = quote_held(
        pg_session,
        store,
        showtime_id=show.id,
        holder_id=user.id,
        channel="online",
        chosen_types={},
        promo_code="tryme",
        policy=POLICY,
    )
    assert quoted.promotion_problem.startswith(message)
    assert quoted.order.discount_cents == 0  # the summary shows the price without it
    with pytest.raises(promotions.PromotionRefused, match=message.split(":")[0][:20]):
        confirm_booking(
            pg_session,
            store,
            SimulatedProvider(),
            showtime_id=show.id,
            user_id=user.id,
            idempotency_key="x",
            card=CARD,
            promo_code="TRYME",
            policy=POLICY,
        )


def test_a_weekday_code_names_its_day(pg_session, store, cinema):
    show = cinema["show_pg"]
    other_day = show.starts_at.astimezone(cinema_tz()).isoweekday() % 7 + 1
    make_promotion(pg_session, "DAYCODE", weekdays=str(other_day))
    pg_session.commit()
    user = cinema["buyers"][0]
    _hold(pg_session, store, show, user, cinema["seats"][:1])
    quoted = quote_held(
        pg_session,
        store,
        showtime_id=show.id,
        holder_id=user.id,
        channel="online",
        chosen_types={},
        promo_code="DAYCODE",
        policy=POLICY,
    )
    day = promotions.WEEKDAY_NAMES[other_day - 1]
    assert quoted.promotion_problem == f"This code is for {day} showings."


def test_fifty_concurrent_checkouts_on_a_code_with_ten_uses_give_exactly_ten(pg_engine, pg_session, store, cinema):
    promo = make_promotion(pg_session, "TEN", max_redemptions=10)
    pg_session.commit()
    show, seats, buyers = cinema["show_pg"], cinema["seats"], cinema["buyers"][:50]
    # 30 seats, 50 buyers: give each buyer a seat of their own by using both showtimes' rooms.
    pairs = [(show if i < 30 else cinema["show_15"], seats[i % 30], buyers[i]) for i in range(50)]
    for showtime, seat, buyer in pairs:
        _hold(pg_session, store, showtime, buyer, [seat])
    results: list[str] = []
    gate = threading.Barrier(50)

    def checkout(showtime_id, user_id):
        with Session(pg_engine, expire_on_commit=False) as session:
            gate.wait()
            try:
                confirm_booking(
                    session,
                    store,
                    SimulatedProvider(),
                    showtime_id=showtime_id,
                    user_id=user_id,
                    idempotency_key=f"k{user_id}",
                    card=CARD,
                    promo_code="TEN",
                    policy=POLICY,
                )
                results.append("ok")
            except promotions.PromotionRefused as refused:
                results.append(str(refused))

    threads = [threading.Thread(target=checkout, args=(st.id, b.id)) for st, _, b in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results.count("ok") == 10 and len(results) == 50
    assert all("all gone" in r for r in results if r != "ok")
    pg_session.expire_all()
    assert pg_session.get(Promotion, promo.id).redemption_count == 10
    assert len(pg_session.exec(select(PromotionRedemption)).all()) == 10
    assert len(pg_session.exec(select(Booking)).all()) == 10  # the refused 40 bought nothing
    # The 40 refused buyers still hold their seats: they may pay without the code.
    assert sum(1 for st, _, b in pairs if store.held_by(st.id, b.id)) == 40


def test_once_per_customer_and_a_cancelled_booking_gives_its_use_back(pg_session, store, cinema):
    promo = make_promotion(pg_session, "ONCE", max_per_customer=1, max_redemptions=1)
    pg_session.commit()
    show, seats, user = cinema["show_pg"], cinema["seats"], cinema["buyers"][0]
    first = _buy(pg_session, store, show, user, [seats[0]], code="ONCE", key="1")
    _hold(pg_session, store, show, user, [seats[1]])
    again = quote_held(
        pg_session,
        store,
        showtime_id=show.id,
        holder_id=user.id,
        channel="online",
        chosen_types={},
        promo_code="ONCE",
        policy=POLICY,
    )
    assert again.promotion_problem == "Only 1 could be used and they have all gone."
    store.release_all(show.id, user.id)
    cancel_booking(pg_session, user_id=user.id, booking_id=first.id, cutoff=timedelta(minutes=30))
    pg_session.commit()
    pg_session.refresh(promo)
    assert promo.redemption_count == 0 and pg_session.exec(select(PromotionRedemption)).all() == []
    # The fee is kept by default (REFUND_BOOKING_FEE=0): 1250 - 125 refunded, 75 kept.
    assert (first.total_cents, first.refund_cents) == (1125 + 75, 1125)
    second = _buy(pg_session, store, show, user, [seats[1]], code="ONCE", key="2")
    assert second.discount_cents == 125


def test_the_cinema_cancelling_refunds_the_fee_too(pg_session, store, cinema):
    admin = make_user(pg_session, "boss@example.com", role="admin")
    booking = _buy(pg_session, store, cinema["show_pg"], cinema["buyers"][0], cinema["seats"][:2])
    admin_cancel_booking(
        pg_session, identity_for(admin), booking_id=booking.id, reason="Projector broke", now=booking.created_at
    )
    pg_session.commit()
    assert booking.refund_cents == booking.total_cents == 2 * 1250 + 2 * 75


def test_a_counter_cash_sale_needs_no_account_and_shows_in_the_customers_bookings(pg_session, store, cinema):
    clerk = make_user(pg_session, "clerk@example.com", role="staff")
    pg_session.commit()
    show, seats = cinema["show_pg"], cinema["seats"][:2]
    _hold(pg_session, store, show, clerk, seats)
    sale = Sale(
        showtime_id=show.id,
        holder_id=clerk.id,
        channel="counter",
        idempotency_key="till-1",
        payment=Payment("cash", cash_tendered_cents=1000),
        chosen_types={seats[1].id: cinema["types"]["Child"].id},
        customer_email="Walk.In@Example.com",
    )
    with pytest.raises(DomainError, match="cover the total"):
        complete_sale(pg_session, store, SimulatedProvider(), sale, policy=POLICY)
    paid = Sale(**{**sale.__dict__, "payment": Payment("cash", cash_tendered_cents=2500)})
    booking = complete_sale(pg_session, store, SimulatedProvider(), paid, policy=POLICY)
    # No fee at the counter: Adult 1250 + Child 750.
    assert (booking.total_cents, booking.fee_cents, booking.channel, booking.payment_method) == (
        2000,
        0,
        "counter",
        "cash",
    )
    assert (booking.user_id, booking.sold_by, booking.cash_tendered_cents) == (None, clerk.id, 2500)
    assert complete_sale(pg_session, store, SimulatedProvider(), paid, policy=POLICY).id == booking.id  # a retry
    # Anyone can sign up with any address: until the account has proved it owns the address the
    # counter wrote down, the walk-in's booking (its code is the ticket) is not shown to it.
    customer = make_user(pg_session, "walk.in@example.com")
    pg_session.commit()
    assert bookings_of(pg_session, customer.id) == []
    customer.email_verified_at = datetime.now(timezone.utc)
    pg_session.commit()
    mine = bookings_of(pg_session, customer.id)
    assert [b.code for b in mine] == [booking.code] and mine[0].channel == "counter"
    assert bookings_of(pg_session, cinema["buyers"][0].id) == []
    with pytest.raises(DomainError):  # the customer cannot cancel a box-office sale online
        cancel_booking(pg_session, user_id=customer.id, booking_id=booking.id, cutoff=timedelta(minutes=30))
