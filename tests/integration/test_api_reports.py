"""``/api/v1/admin/reports``: every report as JSON and as CSV over HTTP, on real PostgreSQL and
Redis. Each test sells its own film in its own room on a day ahead, and reads the reports for
that film (or room) only, so the figures are exactly the test's bookings."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

from moviebook.config import Settings
from moviebook.models import Auditorium, Booking, Movie, Promotion, Showtime
from tests.factories import (
    cinema_tz,
    make_auditorium,
    make_booking,
    make_movie,
    make_promotion,
    make_showtime_ahead,
    make_user,
    tag,
)
from tests.integration.api_admin_support import assert_refused, field_errors, problem
from tests.integration.api_support import user_with_token

REPORTS = "/api/v1/admin/reports"
NAMES = [
    "revenue-by-day",
    "revenue-by-movie",
    "revenue-by-room",
    "sales-by-ticket-type",
    "sales-by-channel",
    "discounts-by-code",
    "occupancy-by-showtime",
    "popular-films",
    "cancellations",
    "seat-heatmap",
]
# The tables that split the same revenue, whose totals must all add up to it.
REVENUE_TABLES = ["revenue-by-day", "revenue-by-movie", "revenue-by-room", "sales-by-ticket-type", "sales-by-channel"]


@dataclass
class Programme:
    movie: Movie
    room: Auditorium
    show: Showtime
    promotion: Promotion
    online: Booking
    counter: Booking
    cancelled: Booking
    buyer_email: str

    def params(self, **more) -> dict:
        day = self.show.starts_at.astimezone(cinema_tz()).date().isoformat()
        return {"from": day, "to": day, "movie_id": self.movie.id, "room_id": self.room.id, **more}


def _programme(app_session) -> Programme:
    """One show of a new film in a new 2×3 room, three days ahead: an online booking of two seats
    (one with a promo code's 2.00 off, 0.50 fee a seat: 23.00), a counter sale of one (9.00) and
    a cancelled booking of one (12.00 refunded). Revenue 32.00 for 3 tickets of 6 seats."""
    mark = tag()
    movie = make_movie(app_session, f"Report Film {mark}")
    room = make_auditorium(app_session, f"Report Room {mark}", rows=2, seats_per_row=3)
    show = make_showtime_ahead(app_session, movie, room, days=3, hour=18)
    promotion = make_promotion(app_session, f"REP{mark}".upper())
    buyer = make_user(app_session, f"report-{mark}@example.com", name="Report Buyer")
    seller = make_user(app_session, role="staff", name="Report Seller")
    online = make_booking(
        app_session,
        buyer,
        show,
        {"A1": ("Adult", 1200, 200), "A2": 1200},
        promotion=promotion,
        fee_per_seat=50,
    )
    counter = make_booking(app_session, None, show, {"B2": 900}, channel="counter", sold_by=seller)
    cancelled = make_booking(app_session, buyer, show, {"B1": 1200}, status="cancelled")
    app_session.commit()
    assert (online.total_cents, counter.total_cents, cancelled.refund_cents) == (2300, 900, 1200)
    return Programme(movie, room, show, promotion, online, counter, cancelled, buyer.email)


def _json(api, admin: dict, name: str, params: dict) -> dict:
    response = api.get(f"{REPORTS}/{name}", params=params, headers=admin)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def _csv(api, admin: dict, name: str, params: dict) -> list[list[str]]:
    response = api.get(f"{REPORTS}/{name}.csv", params=params, headers=admin)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    disposition = response.headers["content-disposition"]
    assert disposition == f'attachment; filename="moviebook-{name}-{params["from"]}-to-{params["to"]}.csv"'
    return list(csv.reader(io.StringIO(response.text)))


def _column(table: dict, header: str, row: list[str]) -> str:
    return row[table["headers"].index(header)]


def test_the_list_names_every_report_in_page_order(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    response = api.get(REPORTS, headers=admin)
    assert response.status_code == 200, response.text
    assert response.json() == {"names": NAMES}


def test_every_report_answers_json_and_the_same_table_as_csv(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    programme = _programme(app_session)
    params = programme.params()
    for name in NAMES:
        table = _json(api, admin, name, params)
        assert table["key"] == name and table["title"]
        assert (table["start"], table["end"]) == (params["from"], params["to"])
        assert table["rows"], f"{name} has no rows for the test's own show"
        assert all(len(row) == len(table["headers"]) for row in table["rows"]), name

        lines = _csv(api, admin, name, params)
        expected = [table["headers"], *table["rows"], *([table["totals"]] if table["totals"] else [])]
        assert lines == expected, name


def test_the_figures_are_the_tests_bookings(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    p = _programme(app_session)
    params = p.params()
    currency = Settings().currency
    revenue = f"Revenue ({currency})"

    by_movie = _json(api, admin, "revenue-by-movie", params)
    assert by_movie["headers"] == [
        "Film",
        "Tickets",
        "Bookings",
        revenue,
        "Cancelled bookings",
        f"Refunds ({currency})",
    ]
    assert by_movie["rows"] == [[p.movie.title, "3", "2", "32.00", "1", "12.00"]]
    assert by_movie["totals"] == ["Total", "3", "2", "32.00", "1", "12.00"]
    assert _json(api, admin, "revenue-by-room", params)["rows"] == [[p.room.name, "3", "2", "32.00", "1", "12.00"]]
    assert _json(api, admin, "revenue-by-day", params)["rows"] == [[params["from"], "3", "2", "32.00", "1", "12.00"]]

    for name in REVENUE_TABLES:  # every split of the money adds up to the same revenue
        table = _json(api, admin, name, params)
        assert _column(table, revenue, table["totals"]) == "32.00", name

    channels = _json(api, admin, "sales-by-channel", params)
    assert sorted(_column(channels, revenue, row) for row in channels["rows"]) == ["23.00", "9.00"]
    fees = _column(channels, f"Booking fees ({currency})", channels["totals"])
    assert fees == "1.00"

    discounts = _json(api, admin, "discounts-by-code", params)
    assert [row[:4] for row in discounts["rows"]] == [[p.promotion.code, "1", "2", "2.00"]]

    occupancy = _json(api, admin, "occupancy-by-showtime", params)
    starts = p.show.starts_at.astimezone(cinema_tz()).strftime("%Y-%m-%d %H:%M")
    assert occupancy["rows"] == [[starts, p.movie.title, p.room.name, "6", "3", "50.0", "32.00", "On"]]

    popular = _json(api, admin, "popular-films", params)
    assert [(_column(popular, "Film", r), _column(popular, "Tickets", r)) for r in popular["rows"]] == [
        (p.movie.title, "3")
    ]

    gone = _json(api, admin, "cancellations", params)
    assert [(r[0], r[1], r[2], r[-2], r[-1]) for r in gone["rows"]] == [
        (p.cancelled.code, p.buyer_email, p.movie.title, "1", "12.00")
    ]

    heat = _json(api, admin, "seat-heatmap", params)
    sold = {f"{r[0]}{r[1]}": (r[3], r[4]) for r in heat["rows"]}
    assert sold == {
        "A1": ("1", "1"),
        "A2": ("1", "1"),
        "A3": ("0", "1"),
        "B1": ("0", "1"),  # the cancelled booking's seat is not counted
        "B2": ("1", "1"),
        "B3": ("0", "1"),
    }
    assert heat["title"] == f"Seat heat map: {p.room.name}"


def test_an_admin_cancel_moves_the_money_from_revenue_to_refunds(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    p = _programme(app_session)
    params = p.params()
    cancel = api.post(
        f"/api/v1/admin/reservations/{p.online.id}/cancel", json={"reason": "Sound system down"}, headers=admin
    )
    assert cancel.status_code == 200, cancel.text

    assert _json(api, admin, "revenue-by-movie", params)["rows"] == [[p.movie.title, "1", "1", "9.00", "2", "35.00"]]
    gone = _json(api, admin, "cancellations", params)
    reasons = {r[0]: (r[5], r[-1]) for r in gone["rows"]}
    assert reasons == {p.online.code: ("Sound system down", "23.00"), p.cancelled.code: ("Cancelled by you.", "12.00")}
    assert _json(api, admin, "discounts-by-code", params)["rows"] == []  # a cancelled booking gives its code back
    lines = _csv(api, admin, "revenue-by-movie", params)
    assert lines[1] == [p.movie.title, "1", "1", "9.00", "2", "35.00"]


def test_a_period_without_the_film_has_nothing_of_it(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    p = _programme(app_session)
    day_before = (p.show.starts_at.astimezone(cinema_tz()).date() - timedelta(days=1)).isoformat()
    params = p.params(**{"from": day_before, "to": day_before})
    assert _json(api, admin, "revenue-by-movie", params)["rows"] == []
    assert _json(api, admin, "occupancy-by-showtime", params)["rows"] == []
    assert _csv(api, admin, "revenue-by-movie", params)[1:] == [["Total", "0", "0", "0.00", "0", "0.00"]]


def test_an_unknown_report_or_room_is_a_404_problem(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    p = _programme(app_session)
    params = p.params()
    for url in (f"{REPORTS}/no-such-report", f"{REPORTS}/no-such-report.csv", f"{REPORTS}/distributor-return"):
        problem(api.get(url, params=params, headers=admin), 404, "not-found")
    room_gone = p.params(room_id=2**31 - 1)
    problem(api.get(f"{REPORTS}/seat-heatmap", params=room_gone, headers=admin), 404, "not-found")
    problem(api.get(f"{REPORTS}/seat-heatmap.csv", params=room_gone, headers=admin), 404, "not-found")
    no_room = {k: v for k, v in params.items() if k != "room_id"}
    assert field_errors(api.get(f"{REPORTS}/seat-heatmap", params=no_room, headers=admin)) == {"room_id"}


def test_a_bad_period_is_a_422_with_field_errors(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    for suffix in ("", ".csv"):
        url = f"{REPORTS}/revenue-by-day{suffix}"
        backwards = api.get(url, params={"from": "2026-03-10", "to": "2026-03-09"}, headers=admin)
        body = problem(backwards, 422)
        assert [e["field"] for e in body["errors"]] == ["to"] and "before" in body["errors"][0]["message"]
        too_long = api.get(url, params={"from": "2025-01-01", "to": "2026-01-02"}, headers=admin)
        assert field_errors(too_long) == {"to"}
        assert field_errors(api.get(url, params={"to": "2026-03-09"}, headers=admin)) == {"from"}
        assert field_errors(api.get(url, params={"from": "2026-03-09", "to": "tomorrow"}, headers=admin)) == {"to"}
        just_a_year = api.get(url, params={"from": "2025-01-01", "to": "2026-01-01"}, headers=admin)
        assert just_a_year.status_code == 200, just_a_year.text  # 366 days is allowed
    # The period is checked before the name, so an unknown report with a bad period is a 422.
    assert field_errors(
        api.get(f"{REPORTS}/nope", params={"from": "2026-03-10", "to": "2026-03-09"}, headers=admin)
    ) == {"to"}


def test_only_an_admin_reads_reports(api, app_session):
    _, moviegoer = user_with_token(api, app_session)
    _, staff = user_with_token(api, app_session, role="staff")
    params = {"from": "2026-03-09", "to": "2026-03-09"}
    for url in (REPORTS, f"{REPORTS}/revenue-by-day", f"{REPORTS}/revenue-by-day.csv"):
        assert_refused(api, moviegoer, "GET", url, params=params)
        problem(api.get(url, params=params, headers=staff), 403, "forbidden")


def test_a_day_past_the_calendar_is_a_422_not_a_500(api, app_session):
    """A report covers days the schedule can hold (2000 to 2100): 9999-12-31, which has no next
    day for the period to end at, was a 500."""
    _, admin = user_with_token(api, app_session, role="admin")
    for suffix in ("", ".csv"):
        url = f"{REPORTS}/revenue-by-day{suffix}"
        assert field_errors(api.get(url, params={"from": "9999-12-31", "to": "9999-12-31"}, headers=admin)) == {"to"}
        assert field_errors(api.get(url, params={"from": "0001-01-01", "to": "0001-01-01"}, headers=admin)) == {"to"}
