"""Distributor returns against one film week whose every figure was worked out by hand (FIXTURE).

Runs on SQLite and PostgreSQL (the local-day boundaries are SQL on both, see local_time.py),
with real Redis for the holds: every sale goes through ``checkout.complete_sale``, online and at
the counter, at a fixed ``now`` before the shows, so the test passes at any hour and weekday.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from moviebook.models import Seat
from moviebook.services import report_tables
from moviebook.services.bookings import cancel_booking, hold_seats
from moviebook.services.checkout import Payment, Sale, SellingPolicy, complete_sale
from moviebook.services.distributor_returns import (
    FilmWeek,
    current_film_week,
    distributor_return,
    due_cents,
    film_week_of,
    film_week_start,
    load_return,
)
from moviebook.services.holds import HoldPolicy, HoldStore
from moviebook.services.payments import SimulatedProvider, parse_card
from moviebook.services.roles import AccessDenied
from tests.factories import (
    identity_for,
    make_auditorium,
    make_movie,
    make_promotion,
    make_showtime,
    make_ticket_types,
    make_user,
)

LONDON = ZoneInfo("Europe/London")
THURSDAY = 4
WEEK = FilmWeek(date(2026, 6, 25), LONDON)  # Thu 25 Jun – Wed 1 Jul 2026, British Summer Time (UTC+1)
VAT = 2000
NOW = datetime(2026, 6, 20, 12, 0, tzinfo=timezone.utc)  # every sale is made before every show
POLICY = SellingPolicy(fee_per_ticket_cents=75, currency="GBP", tz=LONDON)
CARD = parse_card(
    {"card_number": "4242424242424242", "expiry": "12/39", "cvc": "123", "card_name": "A"}, date(2030, 1, 1)
)

# FIXTURE. Ticket types from base 1250: Adult 1250, Child 40% off 750, Senior 30% off 875,
# Student 2.00 off 1050. Online sales carry a 0.75 fee per ticket, which the return leaves out.
#
# Alpha (rental 35%), base 1250
#   S0 Wed 24 Jun 23:30 BST (22:30 UTC)  online 1 Adult                    -> the week before
#   S1 Thu 25 Jun 00:30 BST (23:30 UTC on Wed 24!)  online 1 Adult 1250 (+75 fee)    in
#   S2 Sat 27 Jun 19:00 BST  online TENOFF 10%: 2 Adult + 1 Child
#                              1250+1250+750 = 3250 - (125+125+75) = 2925 (+225 fee)   in
#                            counter cash: 1 Senior + 1 Student = 875 + 1050 = 1925  in
#                            online 2 Adult 2500, then cancelled by the customer  -> out
#   admissions 1 + 3 + 2 = 6; gross 1250 + 2925 + 1925 = 6100
#   net 6100 / 1.2 = 5083.33 -> 5083; due 5083 × 35% = 1779.05 -> 1779
# Beta (rental 50%), base 1503
#   S3 Wed 1 Jul 23:30 BST (22:30 UTC)   counter card: 1 Adult 1503          in (last day)
#   S4 Thu 2 Jul 00:15 BST (23:15 UTC on Wed 1)  online 1 Adult             -> the week after
#   S5 Fri 26 Jun 18:00 BST, cancelled, nothing sold: not a show of the week
#   admissions 1; gross 1503; net 1503 / 1.2 = 1252.5 -> 1253 (half up);
#   due 1253 × 50% = 626.5 -> 627 (half up)
# Totals: admissions 7, gross 7603, net 5083 + 1253 = 6336, due 1779 + 627 = 2406.


def bst(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON).astimezone(timezone.utc)


@pytest.fixture
def store(redis_client):
    return HoldStore(redis_client, HoldPolicy(ttl_seconds=600, max_seats=10))


def _sell(session, store, showtime, holder, labels, *, channel="online", types=None, code="", payment=None):
    seats = {
        f"{s.row_label}{s.number}": s.id
        for s in session.exec(select(Seat).where(Seat.auditorium_id == showtime.auditorium_id))
    }
    ids = [seats[label] for label in labels]
    hold_seats(session, store, showtime_id=showtime.id, user_id=holder.id, seat_ids=ids, now=NOW)
    chosen = {seats[label]: kind.id for label, kind in (types or {}).items()}
    sale = Sale(
        showtime_id=showtime.id,
        holder_id=holder.id,
        channel=channel,
        idempotency_key=f"{showtime.id}-{'-'.join(labels)}",
        payment=payment or Payment("card", card=CARD),
        chosen_types=chosen,
        promo_code=code,
    )
    return complete_sale(session, store, SimulatedProvider(), sale, policy=POLICY, now=NOW)


@pytest.fixture
def week(session, store):
    types = make_ticket_types(session)
    adult, child, senior, student = (types[n] for n in ("Adult", "Child", "Senior", "Student"))
    room = make_auditorium(session, "Screen 1", rows=3, seats_per_row=6)
    other = make_auditorium(session, "Screen 2", rows=1, seats_per_row=2)  # the late shows overlap
    alpha = make_movie(session, "Alpha", rental_percent_bp=3500)
    beta = make_movie(session, "Beta", rental_percent_bp=5000)
    make_promotion(session, "TENOFF", value=1000, valid_from=NOW - timedelta(days=1), valid_to=NOW + timedelta(days=30))
    ann, bob = make_user(session, "ann@example.com"), make_user(session, "bob@example.com")
    clerk = make_user(session, "clerk@example.com", role="staff")
    s0 = make_showtime(session, alpha, other, bst(24, 6, 23, 30), base_price_cents=1250)
    s1 = make_showtime(session, alpha, room, bst(25, 6, 0, 30), base_price_cents=1250)
    s2 = make_showtime(session, alpha, room, bst(27, 6, 19), base_price_cents=1250)
    s3 = make_showtime(session, beta, room, bst(1, 7, 23, 30), base_price_cents=1503)
    s4 = make_showtime(session, beta, other, bst(2, 7, 0, 15), base_price_cents=1503)
    make_showtime(session, beta, room, bst(26, 6, 18), base_price_cents=1503, is_cancelled=True)
    session.commit()

    _sell(session, store, s0, ann, ["A1"])
    boundary = _sell(session, store, s1, ann, ["A1"])
    promo = _sell(session, store, s2, ann, ["A1", "A2", "A3"], types={"A3": child}, code="tenoff")
    counter = _sell(
        session,
        store,
        s2,
        clerk,
        ["B1", "B2"],
        channel="counter",
        types={"B1": senior, "B2": student},
        payment=Payment("cash", cash_tendered_cents=2000),
    )
    refunded = _sell(session, store, s2, bob, ["C1", "C2"], types={"C1": adult, "C2": adult})
    cancel_booking(session, user_id=bob.id, booking_id=refunded.id, cutoff=timedelta(minutes=30), now=NOW)
    session.commit()
    _sell(
        session,
        store,
        s3,
        clerk,
        ["A1"],
        channel="counter",
        payment=Payment("card", card=CARD),
    )
    _sell(session, store, s4, bob, ["A1"])
    # The sales are what the fixture says they are (so a pricing change fails here, not below).
    assert (boundary.total_cents, boundary.fee_cents) == (1325, 75)
    assert (promo.total_cents, promo.discount_cents, promo.fee_cents) == (2925 + 225, 325, 225)
    assert (counter.total_cents, counter.fee_cents) == (1925, 0)
    assert (refunded.status, refunded.refund_cents) == ("cancelled", 2500)  # the fee was kept
    return {"alpha": alpha, "beta": beta, "clerk": clerk, "ann": ann}


def test_the_week_per_film_by_hand(session, week):
    ret = distributor_return(session, WEEK, VAT)
    assert [
        (r.title, r.showtimes, r.admissions, r.gross_cents, r.net_cents, r.rental_bp, r.due_cents) for r in ret.rows
    ] == [
        ("Alpha", 2, 6, 6100, 5083, 3500, 1779),
        ("Beta", 1, 1, 1503, 1253, 5000, 627),
    ]
    assert (ret.admissions, ret.gross_cents, ret.net_cents, ret.due_cents) == (7, 7603, 6336, 2406)


def test_the_weeks_either_side_hold_the_boundary_shows(session, week):
    before = distributor_return(session, WEEK.previous(), VAT)
    assert [(r.title, r.admissions, r.gross_cents) for r in before.rows] == [("Alpha", 1, 1250)]
    after = distributor_return(session, WEEK.next(), VAT)
    assert [(r.title, r.admissions, r.gross_cents) for r in after.rows] == [("Beta", 1, 1503)]


def test_the_week_start_is_configurable(session, week):
    # Weeks from Monday: Mon 22 – Sun 28 Jun holds S0, S1 and S2 (Alpha), and none of Beta's
    # sold shows (its only show that week was cancelled).
    monday = film_week_of(date(2026, 6, 25), LONDON, 1)
    assert monday.start == date(2026, 6, 22)
    ret = distributor_return(session, monday, VAT)
    assert [(r.title, r.showtimes, r.admissions, r.gross_cents) for r in ret.rows] == [("Alpha", 3, 7, 7350)]


def test_vat_rate_is_a_setting(session, week):
    ret = distributor_return(session, WEEK, 0)
    assert [(r.net_cents, r.due_cents) for r in ret.rows] == [(6100, 2135), (1503, 752)]  # 2135 = 2135.0; 751.5 -> 752


def test_the_csv_is_the_screens_table_with_totals(session, week):
    table = report_tables.distributor_return(distributor_return(session, WEEK, VAT), "GBP")
    assert table.csv() == (
        "Film,Shows,Admissions,Gross box office (GBP),Net of VAT (GBP),Rental %,Due (GBP)\n"
        "Alpha,2,6,61.00,50.83,35.00,17.79\n"
        "Beta,1,1,15.03,12.53,50.00,6.27\n"
        "Total,3,7,76.03,63.36,,24.06\n"
    )


def test_only_admins_load_a_return(session, week):
    with pytest.raises(AccessDenied):
        load_return(session, identity_for(week["clerk"]), WEEK, VAT)
    with pytest.raises(AccessDenied):
        load_return(session, identity_for(week["ann"]), WEEK, VAT)
    admin = make_user(session, "boss@example.com", role="admin")
    assert load_return(session, identity_for(admin), WEEK, VAT).due_cents == 2406


def test_an_empty_week_is_empty(session):
    ret = distributor_return(session, WEEK, VAT)
    assert ret.rows == () and ret.due_cents == 0


@pytest.mark.parametrize(
    "day, starts, first",
    [
        (date(2026, 6, 25), THURSDAY, date(2026, 6, 25)),  # a Thursday starts its own week
        (date(2026, 7, 1), THURSDAY, date(2026, 6, 25)),  # the Wednesday ends it
        (date(2026, 7, 2), THURSDAY, date(2026, 7, 2)),
        (date(2026, 6, 28), 1, date(2026, 6, 22)),  # Sunday, weeks from Monday
        (date(2026, 6, 28), 7, date(2026, 6, 28)),
    ],
)
def test_film_week_start(day, starts, first):
    assert film_week_start(day, starts) == first


def test_the_current_film_week_turns_at_local_midnight():
    # 23:30 UTC on Wed 24 Jun is already Thursday 00:30 in London: the new week.
    assert current_film_week(datetime(2026, 6, 24, 22, 59, tzinfo=timezone.utc), LONDON, THURSDAY).start == date(
        2026, 6, 18
    )
    assert current_film_week(datetime(2026, 6, 24, 23, 0, tzinfo=timezone.utc), LONDON, THURSDAY) == WEEK
    assert WEEK.label == "Thu 25 Jun – Wed 1 Jul 2026"
    assert FilmWeek(date(2026, 12, 31), LONDON).label == "Thu 31 Dec 2026 – Wed 6 Jan 2027"


def test_due_rounds_half_up():
    assert due_cents(1253, 5000) == 627  # 626.5
    assert due_cents(1251, 5000) == 626  # 625.5 -> 626
    assert due_cents(5083, 3500) == 1779  # 1779.05
    assert due_cents(0, 3500) == 0
