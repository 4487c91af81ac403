"""The dashboard and reports States, driven as the pages drive them, on real PostgreSQL and Redis."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from moviebook.config import get_settings
from moviebook.services.clock import at_local, local_today
from tests.factories import (
    make_auditorium,
    make_booking,
    make_movie,
    make_showtime,
    make_user,
    wait_until_clear_of_local_midnight,
)
from tests.state_driver import drive, run_handler, state_tree_for, substate


@pytest.fixture
def cinema(app_environment, pg_only_engine):
    from moviebook.services.session_policy import token_policy
    from moviebook.services.tokens import start_session

    tz = get_settings().timezone
    wait_until_clear_of_local_midnight(tz=tz)  # "today" must stay the same day until the asserts
    with Session(pg_only_engine, expire_on_commit=False) as session:
        admin = make_user(session, "root@example.com", role="admin")
        buyer = make_user(session, "ann@example.com")
        room, film = make_auditorium(session, "Screen 9", rows=2, seats_per_row=4), make_movie(session, "Alpha")
        # Just after midnight: today's, whatever time the suite runs (a dashboard lists shows
        # that have started too).
        show = make_showtime(session, film, room, at_local(local_today(tz), 0, 1, tz))
        make_booking(session, buyer, show, {"A1": 1250, "A2": 1250})
        make_booking(session, buyer, show, {"A3": 1000}, status="cancelled")
        tokens = start_session(session, admin, token_policy())
        session.commit()
    return {"tokens": tokens, "show": show, "buyer": buyer}


def _page(cinema, cls):
    import moviebook.moviebook  # noqa: F401  (registers the pages and states)

    state = substate(state_tree_for(cinema["tokens"]), cls)

    def call(name, *args):
        return run_handler(drive(cls.event_handlers[name].fn(state, *args)))

    return state, call


def _downloaded_text(event) -> str:
    """The file an rx.download event carries (a base64 data: URL)."""
    import base64

    url = dict((str(name), value) for name, value in event.args)["url"]._var_value
    return base64.b64decode(url.split("base64,", 1)[1]).decode()


def test_the_dashboard_shows_todays_sales_shows_and_held_seats(cinema):
    from moviebook.services.holds import hold_store
    from moviebook.state.admin_dashboard import AdminDashboardState

    state, call = _page(cinema, AdminDashboardState)
    call("on_load")
    today = state.sales[0]
    assert (today.label, today.tickets, today.revenue) == ("Today", "2 tickets", "£25.00")
    assert state.held_now == 0
    [show] = [s for s in state.today_shows if s.showtime_id == cinema["show"].id]
    assert (show.sold, show.capacity, show.percent) == (2, 8, "25%")
    assert {"film": "Alpha", "tickets": 2} in state.movie_points and state.has_sales  # charts, not "nothing sold"

    from sqlmodel import select

    from moviebook.db import session_scope
    from moviebook.models import Seat

    with session_scope() as session:
        seat_ids = [
            s.id
            for s in session.exec(
                select(Seat).where(Seat.auditorium_id == cinema["show"].auditorium_id, Seat.row_label == "B")
            )
        ][:3]
    hold_store().hold(cinema["show"].id, cinema["buyer"].id, seat_ids)
    call("choose_chart_days", "7")
    assert state.held_now == 3 and state.chart_days == 7 and len(state.revenue_points) == 7
    call("choose_chart_days", "9999")  # not offered: back to the default
    assert state.chart_days == 30


def test_one_live_refresh_pass_computes_the_figures_once_per_chart_range(cinema):
    """Two admin tabs on the same range share the first tab's figures within a pass."""
    from moviebook.state.admin_dashboard import AdminDashboardState

    first, call_first = _page(cinema, AdminDashboardState)
    second, call_second = _page(cinema, AdminDashboardState)
    call_first("on_load")
    call_second("on_load")
    loaded = {}
    run_handler(first._refresh_if_still_admin(loaded))
    assert list(loaded) == [30] and loaded[30].sales[0].tickets == 2
    marked = loaded[30].sales[0].__class__("Today", 777, 0)  # the second tab must show these, not recompute
    loaded[30] = loaded[30].__class__(**{**loaded[30].__dict__, "sales": [marked]})
    run_handler(second._refresh_if_still_admin(loaded))
    assert second.sales[0].tickets == "777 tickets"


def test_reports_load_refuse_bad_dates_and_download_what_the_screen_shows(cinema):
    from moviebook.state.admin_reports import AdminReportsState

    state, call = _page(cinema, AdminReportsState)
    call("on_load")
    assert state.summary.revenue == "£25.00" and state.summary.refunds == "£10.00" and state.summary.tickets == "2"
    by_day = state.tables[0]
    assert by_day.key == "revenue-by-day" and by_day.totals[3] == "25.00" and state.has_revenue
    assert (state.summary.fees, state.summary.discounts) == ("£0.00", "£0.00")
    assert state.type_points == [{"type": "Adult", "tickets": 2}] and state.has_tickets
    assert state.channel_points == [{"channel": "Online", "revenue": 25.0}, {"channel": "Counter", "revenue": 0.0}]
    keys = [t.key for t in state.tables]
    assert {"sales-by-ticket-type", "sales-by-channel", "discounts-by-code"} <= set(keys)
    period = {"start": state.start, "end": state.end}
    call("apply", {"start": "2020-01-01", "end": "2020-01-31"})  # long before anything was sold
    assert not state.has_revenue and state.summary.revenue == "£0.00"
    call("apply", period)
    assert state.has_revenue

    events = call("apply", {"start": "2026-05-02", "end": "2026-05-01"})
    assert state.problem == "The start date must be on or before the end date."
    assert state.summary.revenue == "£25.00", "a refused filter leaves the report as it was"
    call("apply", {"start": "not a date", "end": ""})
    assert state.problem == "Please give both dates as dates (from and to)."

    [download] = call("download", "revenue-by-day")
    csv_text = _downloaded_text(download)
    assert csv_text.startswith("Day,Tickets,Bookings,Revenue (GBP),Cancelled bookings,Refunds (GBP)\n")
    assert csv_text.splitlines()[-1] == "Total,2,1,25.00,1,10.00"
    events = call("download", "no-such-table")
    assert "There is no such report." in " ".join(str(e) for e in events)


def test_returns_open_on_the_current_film_week_move_by_week_refuse_bad_dates_and_download(cinema):
    from datetime import date, timedelta

    from moviebook.services.distributor_returns import film_week_start
    from moviebook.state.admin_returns import AdminReturnsState

    settings = get_settings()
    state, call = _page(cinema, AdminReturnsState)
    call("on_load")
    # Today's show is in the current film week: 2 live tickets at 12.50 (the cancelled one is out);
    # net 2500 / 1.2 = 2083.33 -> 2083; due at the default 35% = 729.05 -> 729.
    this_week = film_week_start(local_today(settings.timezone), settings.film_week_starts)
    assert state.week_start == this_week.isoformat() and not state.loading
    assert (state.summary.admissions, state.summary.gross, state.summary.net, state.summary.due) == (
        "2",
        "£25.00",
        "£20.83",
        "£7.29",
    )
    assert state.table.rows == [["Alpha", "1", "2", "25.00", "20.83", "35.00", "7.29"]]
    assert state.due_points == [{"film": "Alpha", "due": 7.29}] and state.has_due

    call("previous_week")
    assert state.week_start == (this_week - timedelta(days=7)).isoformat()
    assert state.table.rows == [] and state.summary.due == "£0.00" and not state.has_due
    call("next_week")
    assert state.week_start == this_week.isoformat() and state.summary.due == "£7.29"

    # Any day of a week shows that week, from its first day.
    call("choose_week", {"day": (this_week + timedelta(days=6)).isoformat()})
    assert state.week_start == this_week.isoformat() and state.problem == ""
    call("choose_week", {"day": "next thursday"})
    assert state.problem == "Please give a date in the film week you want (for example 2026-06-25)."
    assert state.summary.due == "£7.29", "a refused week leaves the return as it was"
    call("choose_week", {"day": "9999-12-31"})
    assert state.problem == "Please choose a week between 2000 and 2099."
    call("choose_week", {"day": date(2099, 12, 31).isoformat()})
    assert state.problem == "" and state.week_label.endswith("2100")
    call("next_week")
    assert state.problem == "Returns cover 2000 to 2099."
    call("choose_week", {"day": "2000-01-01"})
    call("previous_week")
    assert state.problem == "Returns cover 2000 to 2099."
    call("choose_week", {"day": this_week.isoformat()})

    [download] = call("download")
    lines = _downloaded_text(download).splitlines()
    assert lines[0] == "Film,Shows,Admissions,Gross box office (GBP),Net of VAT (GBP),Rental %,Due (GBP)"
    assert lines[1:] == ["Alpha,1,2,25.00,20.83,35.00,7.29", "Total,1,2,25.00,20.83,,7.29"]
