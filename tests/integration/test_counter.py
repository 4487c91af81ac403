"""The box office on real PostgreSQL and Redis: selling for cash or card, the receipt, counter
refunds (promotion given back, seats freed, audited) and the cash-up, with figures worked out
by hand. Moviegoers can do none of it, and staff see only their own till."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from moviebook.models import AuditEntry, Booking, Seat
from moviebook.services.bookings import booked_seat_ids, confirm_booking, hold_seats
from moviebook.services.checkout import SellingPolicy
from moviebook.services.clock import at_local
from moviebook.services.counter import (
    cash_up,
    cash_up_members,
    counter_receipt,
    refund_counter_sale,
    sell_at_counter,
)
from moviebook.services.errors import DomainError, FormInvalid, NotFound
from moviebook.services.holds import HoldPolicy, HoldStore
from moviebook.services.payments import SimulatedProvider
from moviebook.services.roles import AccessDenied
from tests.factories import (
    cinema_tz,
    identity_for,
    local_day_ahead,
    make_auditorium,
    make_movie,
    make_promotion,
    make_showtime_ahead,
    make_ticket_types,
    make_user,
)
from tests.integration.test_selling import CARD

TZ = cinema_tz()
POLICY = SellingPolicy(fee_per_ticket_cents=75, currency="GBP", tz=TZ)
FLOAT = 10_000


@pytest.fixture
def store(redis_client):
    return HoldStore(redis_client, HoldPolicy(ttl_seconds=600, max_seats=10))


@pytest.fixture
def box_office(pg_session: Session):
    types = make_ticket_types(pg_session)
    room = make_auditorium(pg_session, rows=3, seats_per_row=10)
    show = make_showtime_ahead(
        pg_session, make_movie(pg_session, "Harbour Lights"), room, days=3, base_price_cents=1250
    )
    people = {
        "sam": make_user(pg_session, name="Sam Till", role="staff"),
        "tess": make_user(pg_session, name="Tess Till", role="staff"),
        "ada": make_user(pg_session, name="Ada Admin", role="admin"),
        "moe": make_user(pg_session, name="Moe Goer"),
    }
    pg_session.commit()
    seats = pg_session.exec(select(Seat).where(Seat.auditorium_id == room.id).order_by(Seat.y, Seat.x)).all()
    return {"types": types, "show": show, "seats": list(seats), **people}


def _sell(session, store, box, who, seats, method, *, types=None, cash="", email="", code="", key=None):
    person = box[who]
    hold_seats(session, store, showtime_id=box["show"].id, user_id=person.id, seat_ids=[s.id for s in seats])
    chosen = {s.id: box["types"][name].id for s, name in zip(seats, types or [], strict=False)}
    booking = sell_at_counter(
        session,
        store,
        SimulatedProvider(),
        identity_for(person),
        showtime_id=box["show"].id,
        idempotency_key=key or f"{who}-{seats[0].id}",
        method=method,
        cash_text=cash,
        email_text=email,
        chosen_types=chosen,
        promo_code=code,
        policy=POLICY,
    )
    session.commit()
    return booking


def test_a_cash_sale_records_seller_channel_tender_and_no_fee(pg_session, store, box_office):
    a, b = box_office["seats"][:2]
    booking = _sell(
        pg_session, store, box_office, "sam", [a, b], "cash", types=["Adult", "Child"], cash="£50", email=" Kim@X.org "
    )
    # Adult 12.50 + Child 40% off 7.50 = 20.00, no booking fee at the counter; 50.00 handed over.
    assert (booking.channel, booking.payment_method, booking.total_cents, booking.fee_cents) == (
        "counter",
        "cash",
        2000,
        0,
    )
    assert (booking.sold_by, booking.user_id, booking.cash_tendered_cents) == (box_office["sam"].id, None, 5000)
    assert booking.customer_email == "kim@x.org"
    assert store.held_by(box_office["show"].id, box_office["sam"].id) == []  # held → sold
    receipt = counter_receipt(pg_session, identity_for(box_office["tess"]), booking.code.lower().replace("-", " "))
    assert [(line.seat, line.ticket_type, line.price_cents) for line in receipt.lines] == [
        ("A1", "Adult", 1250),
        ("A2", "Child", 750),
    ]
    assert (receipt.total_cents, receipt.cash_tendered_cents, receipt.change_cents) == (2000, 5000, 3000)
    assert receipt.sold_by == "Sam Till" and receipt.refund_refusal is None


def test_card_on_the_terminal(pg_session, store, box_office):
    booking = _sell(pg_session, store, box_office, "ada", box_office["seats"][:1], "card")
    assert (booking.payment_method, booking.total_cents, booking.cash_tendered_cents) == ("card", 1250, None)
    assert counter_receipt(pg_session, identity_for(box_office["sam"]), str(booking.id)).change_cents is None


@pytest.mark.parametrize(
    "cash, email, error",
    [
        ("", "", "cash_tendered"),
        ("twenty", "", "cash_tendered"),
        ("20", "not an email", "customer_email"),
    ],
)
def test_bad_till_input_is_refused_at_its_field(pg_session, store, box_office, cash, email, error):
    with pytest.raises(FormInvalid) as refused:
        _sell(pg_session, store, box_office, "sam", box_office["seats"][:1], "cash", cash=cash, email=email)
    assert error in refused.value.errors
    pg_session.rollback()
    assert pg_session.exec(select(Booking)).all() == []


def test_short_cash_is_refused_and_the_seats_stay_held(pg_session, store, box_office):
    seats = box_office["seats"][:2]
    with pytest.raises(DomainError, match="cover the total"):
        _sell(pg_session, store, box_office, "sam", seats, "cash", cash="24.99")  # 2 Adult = 25.00
    pg_session.rollback()
    assert pg_session.exec(select(Booking)).all() == []
    assert sorted(store.held_by(box_office["show"].id, box_office["sam"].id)) == sorted(s.id for s in seats)


def test_a_moviegoer_can_neither_sell_nor_see_a_receipt_nor_refund(pg_session, store, box_office):
    moe = identity_for(box_office["moe"])
    with pytest.raises(AccessDenied):
        _sell(pg_session, store, box_office, "moe", box_office["seats"][:1], "cash", cash="20")
    pg_session.rollback()
    booking = _sell(pg_session, store, box_office, "sam", box_office["seats"][2:3], "cash", cash="20")
    with pytest.raises(AccessDenied):
        counter_receipt(pg_session, moe, booking.code)
    with pytest.raises(AccessDenied):
        refund_counter_sale(pg_session, moe, booking_id=booking.id)
    pg_session.rollback()
    assert pg_session.get(Booking, booking.id).status == "confirmed"


def test_a_counter_refund_gives_everything_back(pg_session, store, box_office):
    promo = make_promotion(pg_session, "TILL10", value=1000)
    pg_session.commit()
    seats = box_office["seats"][:2]
    booking = _sell(pg_session, store, box_office, "sam", seats, "cash", cash="30", code="till10")
    assert (booking.total_cents, booking.discount_cents) == (2250, 250)  # 2 × 12.50, 10% off
    pg_session.refresh(promo)
    assert promo.redemption_count == 1

    refunded = refund_counter_sale(pg_session, identity_for(box_office["tess"]), booking_id=booking.id, ip="10.0.0.9")
    pg_session.commit()
    assert (refunded.status, refunded.refund_cents, refunded.refunded_by) == ("cancelled", 2250, box_office["tess"].id)
    assert booked_seat_ids(pg_session, box_office["show"].id) == set()
    pg_session.refresh(promo)
    assert promo.redemption_count == 0
    entry = pg_session.exec(select(AuditEntry).where(AuditEntry.action == "booking.counter_refund")).one()
    assert (entry.actor_id, entry.entity_id, entry.new_values["refund_cents"]) == (
        box_office["tess"].id,
        str(booking.id),
        2250,
    )
    receipt = counter_receipt(pg_session, identity_for(box_office["sam"]), booking.code)
    assert receipt.status == "cancelled" and receipt.refunded_by == "Tess Till"
    assert "already cancelled" in (receipt.refund_refusal or "")
    with pytest.raises(DomainError, match="already cancelled"):
        refund_counter_sale(pg_session, identity_for(box_office["sam"]), booking_id=booking.id)


def test_online_bookings_are_not_refunded_at_the_counter(pg_session, store, box_office):
    moe, seat = box_office["moe"], box_office["seats"][5]
    hold_seats(pg_session, store, showtime_id=box_office["show"].id, user_id=moe.id, seat_ids=[seat.id])
    online = confirm_booking(
        pg_session,
        store,
        SimulatedProvider(),
        showtime_id=box_office["show"].id,
        user_id=moe.id,
        idempotency_key="web",
        card=CARD,
        policy=POLICY,
    )
    pg_session.commit()
    with pytest.raises(DomainError, match="bought online"):
        refund_counter_sale(pg_session, identity_for(box_office["sam"]), booking_id=online.id)
    with pytest.raises(DomainError, match="bought online"):
        counter_receipt(pg_session, identity_for(box_office["sam"]), online.code)
    with pytest.raises(NotFound):
        counter_receipt(pg_session, identity_for(box_office["sam"]), "ZZZZ-ZZZZ")


@pytest.fixture
def a_day_at_the_till(pg_session, store, box_office):
    """A day D of sales, worked out by hand below (Adult 12.50, Child 7.50, float 100.00):

    Sam  S1 cash Adult+Child 20.00 (50.00 handed over)
         S2 card Adult+Adult 25.00
         S3 cash Adult 12.50, refunded by Tess on D
         S4 card Child 7.50, refunded by Sam on D
    Tess T1 cash Adult 12.50, refunded by Sam on D+1
    Moe  buys Adult online (not a counter sale: no one's till)
    """
    s = box_office["seats"]
    sales = {
        "S1": _sell(pg_session, store, box_office, "sam", s[0:2], "cash", types=["Adult", "Child"], cash="50"),
        "S2": _sell(pg_session, store, box_office, "sam", s[2:4], "card"),
        "S3": _sell(pg_session, store, box_office, "sam", s[4:5], "cash", cash="12.50"),
        "S4": _sell(pg_session, store, box_office, "sam", s[5:6], "card", types=["Child"]),
        "T1": _sell(pg_session, store, box_office, "tess", s[6:7], "cash", cash="20"),
    }
    moe = box_office["moe"]
    hold_seats(pg_session, store, showtime_id=box_office["show"].id, user_id=moe.id, seat_ids=[s[10].id])
    online = confirm_booking(
        pg_session, store, SimulatedProvider(), showtime_id=box_office["show"].id, user_id=moe.id,
        idempotency_key="web", card=CARD, policy=POLICY,
    )  # fmt: skip
    day = local_day_ahead(-1, TZ)
    for booking in [*sales.values(), online]:
        booking.created_at = at_local(day, 10, 0, TZ)
    pg_session.commit()
    next_day = day + timedelta(days=1)
    for sale, by, when in (("S3", "tess", at_local(day, 15, 0, TZ)), ("S4", "sam", at_local(day, 16, 0, TZ)),
                           ("T1", "sam", at_local(next_day, 9, 0, TZ))):  # fmt: skip
        refund_counter_sale(pg_session, identity_for(box_office[by]), booking_id=sales[sale].id, now=when)
    pg_session.commit()
    return {"day": day, "next_day": next_day, **box_office}


def _figures(up):
    return {
        "sales": up.sales,
        "cash": up.cash_cents,
        "card": up.card_cents,
        "refunds": up.refunds,
        "cash_refunds": up.cash_refund_cents,
        "card_refunds": up.card_refund_cents,
        "tickets": [(t.name, t.tickets, t.cents) for t in up.tickets],
        "drawer": up.expected_drawer_cents,
    }


def test_the_cash_up_figures(pg_session, a_day_at_the_till):
    box, day = a_day_at_the_till, a_day_at_the_till["day"]
    sam = cash_up(pg_session, identity_for(box["sam"]), day=day, tz=TZ, float_cents=FLOAT)
    assert sam.member_name == "Sam Till"
    assert _figures(sam) == {
        "sales": 4,
        "cash": 2000 + 1250,
        "card": 2500 + 750,
        "refunds": 1,  # S4 (S3 was refunded by Tess, from her drawer)
        "cash_refunds": 0,
        "card_refunds": 750,
        "tickets": [("Adult", 4, 5000), ("Child", 2, 1500)],
        "drawer": 10_000 + 3250 - 0,
    }
    tess = cash_up(pg_session, identity_for(box["ada"]), member_id=box["tess"].id, day=day, tz=TZ, float_cents=FLOAT)
    assert _figures(tess) == {
        "sales": 1,
        "cash": 1250,
        "card": 0,
        "refunds": 1,  # S3, Sam's sale, paid back from Tess's drawer
        "cash_refunds": 1250,
        "card_refunds": 0,
        "tickets": [("Adult", 1, 1250)],
        "drawer": 10_000 + 1250 - 1250,
    }
    sam_next = cash_up(pg_session, identity_for(box["sam"]), day=box["next_day"], tz=TZ, float_cents=FLOAT)
    assert _figures(sam_next) == {
        "sales": 0,
        "cash": 0,
        "card": 0,
        "refunds": 1,  # T1, sold by Tess the day before
        "cash_refunds": 1250,
        "card_refunds": 0,
        "tickets": [],
        "drawer": 10_000 - 1250,
    }


def test_staff_see_their_own_cash_up_only_and_moviegoers_none(pg_session, a_day_at_the_till):
    box, day = a_day_at_the_till, a_day_at_the_till["day"]
    sam = identity_for(box["sam"])
    with pytest.raises(AccessDenied, match="your own"):
        cash_up(pg_session, sam, member_id=box["tess"].id, day=day, tz=TZ, float_cents=FLOAT)
    assert cash_up_members(pg_session, sam) == [(box["sam"].id, "Sam Till")]
    everyone = cash_up_members(pg_session, identity_for(box["ada"]))
    assert {box["sam"].id, box["tess"].id, box["ada"].id} <= {i for i, _ in everyone}
    assert box["moe"].id not in {i for i, _ in everyone}
    moe = identity_for(box["moe"])
    with pytest.raises(AccessDenied):
        cash_up(pg_session, moe, day=day, tz=TZ, float_cents=FLOAT)
    with pytest.raises(AccessDenied):
        cash_up_members(pg_session, moe)
