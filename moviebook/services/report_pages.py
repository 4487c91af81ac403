"""What the admin dashboard and the reports page load, each in one call, for admins only.

The figures themselves are defined in ``reports`` (and their text tables in ``report_tables``);
this module puts together what one page shows and checks, itself, that the caller may see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from moviebook.models import Auditorium, Movie, Role
from moviebook.services import report_tables, reports
from moviebook.services.clock import local_today
from moviebook.services.errors import NotFound
from moviebook.services.holds import HoldStore
from moviebook.services.report_tables import Table
from moviebook.services.roles import require_role
from moviebook.services.schedule_admin import FIRST_YEAR, LAST_YEAR
from moviebook.services.tokens import Identity

MAX_REPORT_DAYS = 366  # a year at a time keeps every report well under a second


def period_problem(start: date, end: date) -> str | None:
    """What is wrong with a report period (days inclusive), in words; None when it is fine."""
    if not (FIRST_YEAR <= start.year and end.year <= LAST_YEAR):
        # No showtime lies outside, and 9999-12-31 has no next day for the period to end at.
        return f"Choose days between {FIRST_YEAR} and {LAST_YEAR}."
    if start > end:
        return "The start date must be on or before the end date."
    if (end - start).days + 1 > MAX_REPORT_DAYS:
        return f"Please choose at most {MAX_REPORT_DAYS} days at a time."
    return None


@dataclass(frozen=True)
class DashboardFigures:
    sales: list[reports.SalesWindow]
    today: list[reports.ShowtimeRow]
    held: int  # seats held in open checkouts right now
    by_day: list[reports.DayRow]
    by_movie: list[reports.GroupRow]
    by_hour: list[reports.HourRow]


def dashboard_figures(
    session: Session, actor: Identity, store: HoldStore, *, chart_days: int, tz: ZoneInfo, now: datetime
) -> DashboardFigures:
    """Today's sales and shows, and charts over the last ``chart_days`` local days."""
    require_role(actor, Role.ADMIN.value)
    today = local_today(tz, now)
    chart_range = reports.ReportRange(today - timedelta(days=chart_days - 1), today, tz)
    return DashboardFigures(
        sales=reports.sales_summary(session, now, tz),
        today=reports.occupancy_by_showtime(session, reports.ReportRange(today, today, tz)),
        held=store.count_held(),
        by_day=reports.revenue_by_day(session, chart_range),
        by_movie=reports.revenue_by_movie(session, chart_range),
        by_hour=reports.occupancy_by_hour(session, chart_range),
    )


def report_filter_choices(session: Session, actor: Identity) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Every film and every room, by name, for the report filters: ([(id, title)], [(id, name)])."""
    require_role(actor, Role.ADMIN.value)
    movies = session.exec(select(Movie.id, Movie.title).order_by(Movie.title)).all()
    rooms = session.exec(select(Auditorium.id, Auditorium.name).order_by(Auditorium.name)).all()
    return list(movies), list(rooms)


@dataclass(frozen=True)
class LoadedReport:
    tables: list[Table]
    by_day: list[reports.DayRow]  # for the charts: numbers, not the tables' text
    totals: reports.Totals
    by_type: list[reports.TicketTypeRow]
    by_channel: list[reports.ChannelRow]


def load_report(session: Session, actor: Identity, rng: reports.ReportRange, currency: str) -> LoadedReport:
    """Every table of the reports page, the chart's days and the headline totals."""
    require_role(actor, Role.ADMIN.value)
    tables = [build(session, rng, currency) for build in report_tables.TABLES.values()]
    return LoadedReport(
        tables,
        reports.revenue_by_day(session, rng),
        reports.totals(session, rng),
        reports.sales_by_ticket_type(session, rng),
        reports.sales_by_channel(session, rng),
    )


def report_table(session: Session, actor: Identity, rng: reports.ReportRange, key: str, currency: str) -> Table:
    """One table, by the key it downloads as; NotFound for a key that names none."""
    require_role(actor, Role.ADMIN.value)
    if key not in report_tables.TABLES:
        raise NotFound("There is no such report.")
    return report_tables.TABLES[key](session, rng, currency)


def room_heatmap(session: Session, actor: Identity, rng: reports.ReportRange, room_id: int) -> reports.Heatmap:
    require_role(actor, Role.ADMIN.value)
    if session.get(Auditorium, room_id) is None:
        raise NotFound("That room does not exist.")
    return reports.seat_heatmap(session, rng, room_id)
