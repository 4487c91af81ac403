"""Report figures against a small cinema whose answers were worked out by hand (see FIXTURE).

Runs on SQLite and PostgreSQL: the local-day grouping differs per database (see local_time.py).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from moviebook.models import Seat
from moviebook.services import reports
from moviebook.services.reports import Figures, ReportRange
from tests.factories import make_auditorium, make_booking, make_movie, make_showtime, make_user

LONDON = ZoneInfo("Europe/London")
D1, D2, D3 = date(2026, 11, 10), date(2026, 11, 11), date(2026, 11, 12)

# FIXTURE (November: London is on UTC, so local times equal UTC here)
# Rooms: Small 2x3 (A1..B3, 6 seats); Big 3x4 with C4 blocked (11 on sale).
# S1 Alpha Small D1 18:00   B1 completed A1,A2 @800 = 1600  (sold Nov 6)
#                           B2 cancelled A3 @800, refund 800
# S2 Beta  Small D1 21:00   B3 confirmed A1,B1,B2 @1000 = 3000 (sold Nov 11)
# S3 Alpha Big   D2 19:00   B4 confirmed A1,A2 @1200 + B1,B2 @1500 = 5400 (sold Oct 20)
#                           B5 cancelled A3 @1200, refund 1200
# S4 Beta  Big   D2 14:00   showtime cancelled; B6 cancelled A1,A2 @900, refund 1800
# S5 Alpha Small D3 18:00   B7 confirmed A1 @700 (sold Nov 12 09:00) -- outside D1..D2


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.utc)


@pytest.fixture
def cinema(session):
    small = make_auditorium(session, "Small", rows=2, seats_per_row=3)
    big = make_auditorium(session, "Big", rows=3, seats_per_row=4)
    blocked = session.exec(
        select(Seat).where(Seat.auditorium_id == big.id, Seat.row_label == "C", Seat.number == 4)
    ).one()
    blocked.seat_type = "blocked"
    alpha, beta = make_movie(session, "Alpha", runtime=90), make_movie(session, "Beta", runtime=90)
    s1 = make_showtime(session, alpha, small, utc(D1, 18))
    s2 = make_showtime(session, beta, small, utc(D1, 21))
    s3 = make_showtime(session, alpha, big, utc(D2, 19))
    s4 = make_showtime(session, beta, big, utc(D2, 14), is_cancelled=True)
    s5 = make_showtime(session, alpha, small, utc(D3, 18))
    ann, bob = make_user(session, "ann@example.com"), make_user(session, "bob@example.com")
    make_booking(session, ann, s1, {"A1": 800, "A2": 800}, status="completed", created_at=utc(date(2026, 11, 6), 12))
    make_booking(session, bob, s1, {"A3": 800}, status="cancelled", created_at=utc(D1, 9))
    make_booking(session, bob, s2, {"A1": 1000, "B1": 1000, "B2": 1000}, created_at=utc(D2, 10))
    make_booking(
        session, ann, s3, {"A1": 1200, "A2": 1200, "B1": 1500, "B2": 1500}, created_at=utc(date(2026, 10, 20), 12)
    )
    make_booking(session, bob, s3, {"A3": 1200}, status="cancelled", created_at=utc(D2, 11))
    make_booking(session, ann, s4, {"A1": 900, "A2": 900}, status="cancelled", created_at=utc(D2, 8))
    make_booking(session, bob, s5, {"A1": 700}, created_at=utc(D3, 9))
    session.commit()
    return {"small": small, "big": big, "alpha": alpha, "beta": beta, "s": (s1, s2, s3, s4, s5)}


def rng(**narrow) -> ReportRange:
    return ReportRange(D1, D2, LONDON, **narrow)


def test_revenue_by_day_excludes_cancelled_and_shows_refunds(session, cinema):
    rows = reports.revenue_by_day(session, rng())
    assert [r.day for r in rows] == [D1, D2]
    assert rows[0].figures == Figures(
        tickets=5, bookings=2, revenue_cents=4600, cancelled_bookings=1, refunds_cents=800
    )
    assert rows[1].figures == Figures(
        tickets=4, bookings=1, revenue_cents=5400, cancelled_bookings=2, refunds_cents=3000
    )


def test_days_without_shows_are_zero_rows(session, cinema):
    rows = reports.revenue_by_day(session, ReportRange(date(2026, 11, 8), D1, LONDON))
    assert [(r.day, r.figures.revenue_cents) for r in rows] == [
        (date(2026, 11, 8), 0),
        (date(2026, 11, 9), 0),
        (D1, 4600),
    ]


def test_revenue_by_movie_and_by_room_reconcile_with_by_day(session, cinema):
    movies = reports.revenue_by_movie(session, rng())
    assert [(m.name, m.figures.tickets, m.figures.revenue_cents, m.figures.refunds_cents) for m in movies] == [
        ("Alpha", 6, 7000, 2000),
        ("Beta", 3, 3000, 1800),
    ]
    rooms = reports.revenue_by_auditorium(session, rng())
    assert [(r.name, r.figures.tickets, r.figures.revenue_cents, r.figures.refunds_cents) for r in rooms] == [
        ("Big", 4, 5400, 3000),
        ("Small", 5, 4600, 800),
    ]
    by_day_total = sum(r.figures.revenue_cents for r in reports.revenue_by_day(session, rng()))
    assert by_day_total == sum(m.figures.revenue_cents for m in movies) == sum(r.figures.revenue_cents for r in rooms)


def test_filters_narrow_every_report(session, cinema):
    beta_only = rng(movie_id=cinema["beta"].id)
    assert [
        (r.day, r.figures.revenue_cents, r.figures.refunds_cents) for r in reports.revenue_by_day(session, beta_only)
    ] == [(D1, 3000, 0), (D2, 0, 1800)]
    big_only = rng(auditorium_id=cinema["big"].id)
    assert [m.name for m in reports.revenue_by_movie(session, big_only)] == ["Alpha", "Beta"]
    assert sum(m.figures.revenue_cents for m in reports.revenue_by_movie(session, big_only)) == 5400


def test_occupancy_per_showtime(session, cinema):
    rows = reports.occupancy_by_showtime(session, rng())
    assert [(r.title, r.room, r.capacity, r.figures.tickets, r.occupancy, r.is_cancelled) for r in rows] == [
        ("Alpha", "Small", 6, 2, 33.3, False),
        ("Beta", "Small", 6, 3, 50.0, False),
        ("Beta", "Big", 0, 0, 0.0, True),  # cancelled: nothing on sale
        ("Alpha", "Big", 11, 4, 36.4, False),  # C4 is blocked
    ]


def test_occupancy_by_start_hour_ignores_cancelled_shows(session, cinema):
    rows = reports.occupancy_by_hour(session, rng())
    assert [(r.hour, r.showtimes, r.capacity, r.tickets) for r in rows] == [
        (18, 1, 6, 2),
        (19, 1, 11, 4),
        (21, 1, 6, 3),
    ]


def test_popular_movies_ranked_by_tickets_and_by_occupancy(session, cinema):
    rows = reports.popular_movies(session, rng())
    assert [
        (r.title, r.figures.tickets, r.showtimes, r.capacity, r.occupancy, r.rank_by_tickets, r.rank_by_occupancy)
        for r in rows
    ] == [
        ("Alpha", 6, 2, 17, 35.3, 1, 2),
        ("Beta", 3, 1, 6, 50.0, 2, 1),
    ]


def test_cancellations_list_refunds(session, cinema):
    rows = reports.cancellations(session, rng())
    assert sorted((r.customer_email, r.title, r.tickets, r.refund_cents) for r in rows) == [
        ("ann@example.com", "Beta", 2, 1800),
        ("bob@example.com", "Alpha", 1, 800),
        ("bob@example.com", "Alpha", 1, 1200),
    ]
    assert [r.cancelled_at for r in rows] == sorted((r.cancelled_at for r in rows), reverse=True)


def test_seat_heatmap_counts_sold_seats_only(session, cinema):
    heat = reports.seat_heatmap(session, rng(), cinema["small"].id)
    assert heat.showtimes == 2 and heat.name == "Small"
    assert {f"{s.row_label}{s.number}": s.sold for s in heat.seats} == {
        "A1": 2,
        "A2": 1,
        "A3": 0,
        "B1": 1,
        "B2": 1,
        "B3": 0,
    }
    assert heat.max_sold == 2
    wider = reports.seat_heatmap(session, ReportRange(D1, D3, LONDON), cinema["small"].id)
    assert {f"{s.row_label}{s.number}": s.sold for s in wider.seats}["A1"] == 3


def test_sales_summary_counts_by_moment_of_sale(session, cinema):
    windows = reports.sales_summary(session, utc(D3, 12), LONDON)
    assert [(w.label, w.tickets, w.revenue_cents) for w in windows] == [
        ("Today", 1, 700),
        ("Last 7 days", 6, 5300),
        ("Last 30 days", 10, 10700),
    ]


def test_a_show_after_midnight_in_summer_belongs_to_its_local_day(session):
    # 23:30 UTC on 1 July is 00:30 BST on 2 July: the poster says 2 July.
    room, film = make_auditorium(session, "Late"), make_movie(session, "Night")
    show = make_showtime(session, film, room, datetime(2026, 7, 1, 23, 30, tzinfo=timezone.utc))
    make_booking(session, make_user(session, "owl@example.com"), show, {"A1": 500})
    session.commit()
    rows = reports.revenue_by_day(session, ReportRange(date(2026, 7, 1), date(2026, 7, 2), LONDON))
    assert [(r.day, r.figures.revenue_cents) for r in rows] == [(date(2026, 7, 1), 0), (date(2026, 7, 2), 500)]
    hours = reports.occupancy_by_hour(session, ReportRange(date(2026, 7, 1), date(2026, 7, 2), LONDON))
    assert [(h.hour, h.tickets) for h in hours] == [(0, 1)]


def test_a_range_across_the_clock_change_keeps_every_show_on_its_day(session):
    # Clocks go back on 25 Oct 2026 at 02:00 BST. 23:30 UTC on 24 Oct is 00:30 BST on the 25th;
    # 23:30 UTC on 25 Oct is 23:30 GMT on the 25th.
    room, film = make_auditorium(session, "Late"), make_movie(session, "Night")
    owl = make_user(session, "owl@example.com")
    make_booking(
        session,
        owl,
        make_showtime(session, film, room, datetime(2026, 10, 24, 23, 30, tzinfo=timezone.utc)),
        {"A1": 500},
    )
    make_booking(
        session,
        owl,
        make_showtime(session, film, room, datetime(2026, 10, 25, 23, 30, tzinfo=timezone.utc)),
        {"A1": 700},
    )
    session.commit()
    rows = reports.revenue_by_day(session, ReportRange(date(2026, 10, 24), date(2026, 10, 26), LONDON))
    assert [(r.day.day, r.figures.revenue_cents) for r in rows] == [(24, 0), (25, 1200), (26, 0)]


def test_csv_says_what_the_screen_says_in_exact_decimals(session, cinema):
    from moviebook.services import report_tables

    day = report_tables.revenue_by_day(session, rng(), "GBP")
    assert day.csv() == (
        "Day,Tickets,Bookings,Revenue (GBP),Cancelled bookings,Refunds (GBP)\n"
        "2026-11-10,5,2,46.00,1,8.00\n"
        "2026-11-11,4,1,54.00,2,30.00\n"
        "Total,9,3,100.00,3,38.00\n"
    )
    shows = report_tables.occupancy_by_showtime(session, rng(), "GBP").csv().splitlines()
    assert shows[0] == "Starts,Film,Room,Seats on sale,Tickets,Occupancy %,Revenue (GBP),Status"
    assert shows[1] == "2026-11-10 18:00,Alpha,Small,6,2,33.3,16.00,On"
    assert shows[3] == "2026-11-11 14:00,Beta,Big,0,0,0.0,0.00,Cancelled"
    assert shows[-1] == "Total,,,23,9,39.1,100.00,"
    refunds = report_tables.cancellations(session, rng(), "GBP")
    assert refunds.totals[-2:] == ("4", "38.00")
    # Every table of the page downloads, each with its header and one line per row (+ totals).
    for key, build in report_tables.TABLES.items():
        table = build(session, rng(), "GBP")
        assert table.key == key
        lines = table.csv().splitlines()
        assert len(lines) == 1 + len(table.rows) + (1 if table.totals else 0)


def test_csv_quotes_commas_in_names(session, cinema):
    from moviebook.services import report_tables

    cinema["alpha"].title = "Alpha, the Return"
    session.commit()
    lines = report_tables.revenue_by_movie(session, rng(), "GBP").csv().splitlines()
    assert lines[1] == '"Alpha, the Return",6,2,70.00,2,20.00'


def test_totals_are_the_sum_of_the_range(session, cinema):
    t = reports.totals(session, rng())
    assert t.figures == Figures(tickets=9, bookings=3, revenue_cents=10000, cancelled_bookings=3, refunds_cents=3800)
    assert (t.showtimes, t.capacity, t.occupancy) == (3, 23, 39.1)


# SALES MIX (Friday 20 Nov 2026; a 3x4 room "Mix"; prices as sold, fee 0.75 per online ticket)
# M1 Alpha 18:00  Ann online, code P10 (10%): A1 Adult 1000-100, A2 Child 600-60, fees 150 -> 1590
#                 counter (Clerk, no account): A3 Senior 700, B1 Adult 1000            -> 1700
#                 Bob online, P10: B2 Adult 1000-100 + 75 = 975, cancelled by him, fee kept:
#                   refund 900, kept 75
#                 counter walk-in: B3 Adult 1000, cancelled at the counter: refund 1000
# M2 Beta 21:00   Ann online, code FIVER (5.00 off): A1 Student 800-500 + 75          -> 375
# Revenue 1590 + 1700 + 375 = 3665 = ticket sales 3440 + fees 225; discounts 160 + 500 = 660.
MIX_DAY = date(2026, 11, 20)


@pytest.fixture
def mix(session):
    from tests.factories import make_promotion

    room = make_auditorium(session, "Mix", rows=3, seats_per_row=4)
    alpha, beta = make_movie(session, "Alpha", runtime=90), make_movie(session, "Beta", runtime=90)
    m1, m2 = make_showtime(session, alpha, room, utc(MIX_DAY, 18)), make_showtime(session, beta, room, utc(MIX_DAY, 21))
    ann, bob = make_user(session, "ann@example.com"), make_user(session, "bob@example.com")
    clerk = make_user(session, "clerk@example.com", role="staff")
    p10, fiver = make_promotion(session, "P10"), make_promotion(session, "FIVER", kind="amount", value=500)
    online = {"fee_per_seat": 75}
    make_booking(session, ann, m1, {"A1": ("Adult", 1000, 100), "A2": ("Child", 600, 60)}, promotion=p10, **online)
    make_booking(session, None, m1, {"A3": ("Senior", 700, 0), "B1": 1000}, channel="counter", sold_by=clerk)
    make_booking(
        session, bob, m1, {"B2": ("Adult", 1000, 100)}, promotion=p10, status="cancelled", keep_fee=True, **online
    )
    make_booking(
        session,
        None,
        m1,
        {"B3": 1000},
        channel="counter",
        sold_by=clerk,
        customer_email="walk.in@example.com",
        status="cancelled",
    )
    make_booking(session, ann, m2, {"A1": ("Student", 800, 500)}, promotion=fiver, **online)
    session.commit()


def mix_range() -> ReportRange:
    return ReportRange(MIX_DAY, MIX_DAY, LONDON)


def test_sales_by_ticket_type_split_the_revenue(session, mix):
    rows = reports.sales_by_ticket_type(session, mix_range())
    assert [
        (r.name, r.tickets, r.sales_cents, r.discount_cents, r.fee_cents, r.revenue_cents, r.cancelled_tickets)
        for r in rows
    ] == [
        ("Adult", 2, 1900, 100, 75, 1975, 2),  # A1 900 + B1 1000; B2 and B3 were cancelled
        ("Child", 1, 540, 60, 75, 615, 0),
        ("Senior", 1, 700, 0, 0, 700, 0),
        ("Student", 1, 300, 500, 75, 375, 0),
    ]
    assert sum(r.revenue_cents for r in rows) == reports.totals(session, mix_range()).figures.revenue_cents == 3665


def test_sales_by_channel_with_fees_discounts_refunds_and_fees_kept(session, mix):
    rows = reports.sales_by_channel(session, mix_range())
    assert [(r.label, r.figures, r.discount_cents, r.fee_cents, r.fees_kept_cents) for r in rows] == [
        ("Online", Figures(3, 2, 1965, 1, 900), 660, 225, 75),
        ("Counter", Figures(2, 1, 1700, 1, 1000), 0, 0, 0),
    ]
    assert sum(r.figures.revenue_cents for r in rows) == 3665


def test_both_channels_are_listed_even_when_one_sold_nothing(session, cinema):
    rows = reports.sales_by_channel(session, rng())
    assert [(r.label, r.figures.revenue_cents, r.fee_cents) for r in rows] == [("Online", 10000, 0), ("Counter", 0, 0)]


def test_discounts_by_promo_code_count_live_bookings_only(session, mix):
    rows = reports.discounts_by_promotion(session, mix_range())
    assert [(r.code, r.bookings, r.tickets, r.discount_cents, r.revenue_cents) for r in rows] == [
        ("FIVER", 1, 1, 500, 375),
        ("P10", 1, 2, 160, 1590),  # Bob's cancelled booking gave its use of the code back
    ]


def test_a_cancelled_counter_sale_is_listed_with_the_customers_email(session, mix):
    rows = reports.cancellations(session, mix_range())
    assert sorted((r.customer_email, r.tickets, r.refund_cents) for r in rows) == [
        ("bob@example.com", 1, 900),
        ("walk.in@example.com", 1, 1000),
    ]


def test_sales_mix_tables_and_their_csv(session, mix):
    from moviebook.services import report_tables

    types = report_tables.sales_by_ticket_type(session, mix_range(), "GBP")
    assert types.csv().splitlines() == [
        "Ticket type,Tickets,Ticket sales (GBP),Discounts (GBP),Booking fees (GBP),Revenue (GBP),Cancelled tickets",
        "Adult,2,19.00,1.00,0.75,19.75,2",
        "Child,1,5.40,0.60,0.75,6.15,0",
        "Senior,1,7.00,0.00,0.00,7.00,0",
        "Student,1,3.00,5.00,0.75,3.75,0",
        "Total,5,34.40,6.60,2.25,36.65,2",
    ]
    channels = report_tables.sales_by_channel(session, mix_range(), "GBP")
    assert channels.csv().splitlines()[1:] == [
        "Online,3,2,6.60,2.25,19.65,1,9.00,0.75",
        "Counter,2,1,0.00,0.00,17.00,1,10.00,0.00",
        "Total,5,3,6.60,2.25,36.65,2,19.00,0.75",
    ]
    codes = report_tables.discounts_by_promotion(session, mix_range(), "GBP")
    assert codes.csv().splitlines()[1:] == ["FIVER,1,1,5.00,3.75", "P10,1,2,1.60,15.90", "Total,2,3,6.60,19.65"]
