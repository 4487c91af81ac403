"""``/admin/reports``: revenue, occupancy, popularity, refunds and a seat heat map for any period."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import ClassVar

import reflex as rx
from sqlmodel import select

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import Auditorium, Movie, Role, utcnow
from moviebook.services import report_tables, reports
from moviebook.services.clock import local_today
from moviebook.services.money import format_cents
from moviebook.services.report_tables import Table
from moviebook.state.auth import AuthState

DEFAULT_DAYS = 30
MAX_DAYS = 366  # a year at a time keeps every report well under a second
ROWS_ON_SCREEN = 100  # a month of a busy cinema has thousands of showtimes: the browser gets a page


@dataclass
class OptionView:
    value: str = ""
    label: str = ""


@dataclass
class TableView:
    key: str = ""
    title: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    totals: list[str] = field(default_factory=list)
    note: str = ""  # said when the screen shows only the first rows


@dataclass
class HeatCellView:
    label: str = ""  # "Row C, seat 7: sold 4 times"
    sold: int = 0
    column: str = ""  # CSS grid placement from the layout
    row: str = ""
    colour: str = ""


@dataclass
class SummaryView:
    revenue: str = ""
    tickets: str = ""
    refunds: str = ""
    occupancy: str = ""


@dataclass(frozen=True)
class ReportFilter:
    start: date
    end: date
    movie_id: int | None
    auditorium_id: int | None


def _parse_filter(form: dict) -> ReportFilter | str:
    """The filter the form asks for, or what is wrong with it, in words."""
    try:
        start = date.fromisoformat(str(form.get("start") or "")[:10])
        end = date.fromisoformat(str(form.get("end") or "")[:10])
    except ValueError:
        return "Please give both dates as dates (from and to)."
    if start > end:
        return "The start date must be on or before the end date."
    if (end - start).days + 1 > MAX_DAYS:
        return f"Please choose at most {MAX_DAYS} days at a time."

    def optional_id(name: str) -> int | None:
        raw = str(form.get(name) or "")
        return int(raw) if raw.isdigit() and len(raw) <= 9 else None

    return ReportFilter(start, end, optional_id("movie"), optional_id("room"))


def _options() -> tuple[list[OptionView], list[OptionView]]:
    with session_scope() as session:
        movies = session.exec(select(Movie.id, Movie.title).order_by(Movie.title)).all()
        rooms = session.exec(select(Auditorium.id, Auditorium.name).order_by(Auditorium.name)).all()
    return [OptionView(str(i), t) for i, t in movies], [OptionView(str(i), n) for i, n in rooms]


def _range(f: ReportFilter) -> reports.ReportRange:
    return reports.ReportRange(f.start, f.end, get_settings().timezone, f.movie_id, f.auditorium_id)


def _tables(f: ReportFilter) -> list[Table]:
    currency = get_settings().currency
    with session_scope() as session:
        return [build(session, _range(f), currency) for build in report_tables.TABLES.values()]


def _table(f: ReportFilter, key: str) -> Table:
    with session_scope() as session:
        return report_tables.TABLES[key](session, _range(f), get_settings().currency)


@dataclass(frozen=True)
class LoadedReport:
    tables: list[Table]
    by_day: list[reports.DayRow]  # for the chart: numbers, not the tables' text
    totals: reports.Totals


def _load(f: ReportFilter) -> LoadedReport:
    with session_scope() as session:
        rng = _range(f)
        return LoadedReport(_tables(f), reports.revenue_by_day(session, rng), reports.totals(session, rng))


def _heatmap(f: ReportFilter, room_id: int) -> reports.Heatmap:
    with session_scope() as session:
        return reports.seat_heatmap(session, _range(f), room_id)


def _table_view(table: Table) -> TableView:
    shown = table.rows[:ROWS_ON_SCREEN]
    note = (
        f"Showing the first {ROWS_ON_SCREEN} of {len(table.rows):,} rows; the totals and the CSV cover all."
        if len(table.rows) > ROWS_ON_SCREEN
        else ""
    )
    return TableView(
        table.key, table.title, list(table.headers), [list(r) for r in shown], list(table.totals or ()), note
    )


def _heat_colour(sold: int, most: int, seat_type: str) -> str:
    if seat_type == "blocked":
        return "var(--gray-5)"
    if not most or not sold:
        return "var(--gray-4)"
    # From a faint to a full amber, so the most-sold seats glow.
    return f"color-mix(in srgb, var(--amber-9) {20 + round(80 * sold / most)}%, var(--gray-3))"


def _heat_cells(heat: reports.Heatmap) -> list[HeatCellView]:
    times = lambda n: "once" if n == 1 else f"{n} times"  # noqa: E731
    return [
        HeatCellView(
            label=f"Row {s.row_label}, seat {s.number}: "
            + ("blocked" if s.seat_type == "blocked" else f"sold {times(s.sold)}" if s.sold else "never sold"),
            sold=s.sold,
            column=str(s.x + 1),
            row=str(s.y + 1),
            colour=_heat_colour(s.sold, heat.max_sold, s.seat_type),
        )
        for s in heat.seats
    ]


class AdminReportsState(AuthState):
    required_role: ClassVar[str | None] = Role.ADMIN.value
    start: str = ""
    end: str = ""
    movie: str = ""
    room: str = ""
    problem: str = ""
    loading: bool = True
    movies: list[OptionView] = []
    rooms: list[OptionView] = []
    tables: list[TableView] = []
    summary: SummaryView = SummaryView()
    revenue_points: list[dict[str, str | float]] = []
    heat_room: str = ""
    heat_title: str = ""
    heat_cells: list[HeatCellView] = []
    heat_max: int = 0
    heat_shows: int = 0

    @rx.var
    def has_revenue(self) -> bool:
        """All-zero bars would look broken: without revenue the page shows a message instead."""
        return any(point["revenue"] for point in self.revenue_points)

    def _filter(self) -> ReportFilter:
        parsed = _parse_filter({"start": self.start, "end": self.end, "movie": self.movie, "room": self.room})
        return parsed if isinstance(parsed, ReportFilter) else self._default_filter()

    def _default_filter(self) -> ReportFilter:
        today = local_today(get_settings().timezone, utcnow())
        return ReportFilter(today - timedelta(days=DEFAULT_DAYS - 1), today, None, None)

    async def _reload(self) -> None:
        f = self._filter()
        loaded = await asyncio.to_thread(_load, f)
        self.tables = [_table_view(t) for t in loaded.tables]
        self.revenue_points = [
            {"day": r.day.strftime("%d %b"), "revenue": r.figures.revenue_cents / 100} for r in loaded.by_day
        ]
        currency, t = get_settings().currency, loaded.totals
        self.summary = SummaryView(
            revenue=format_cents(t.figures.revenue_cents, currency),
            tickets=f"{t.figures.tickets:,}",
            refunds=format_cents(t.figures.refunds_cents, currency),
            occupancy=f"{t.occupancy:.1f}%",
        )
        await self._reload_heatmap(f)
        self.loading = False

    async def _reload_heatmap(self, f: ReportFilter) -> None:
        room_id = int(self.heat_room) if self.heat_room.isdigit() else None
        if room_id is None or room_id not in {int(r.value) for r in self.rooms}:
            room_id = int(self.rooms[0].value) if self.rooms else None
        if room_id is None:
            self.heat_cells, self.heat_title, self.heat_max, self.heat_shows = [], "", 0, 0
            return
        heat = await asyncio.to_thread(_heatmap, f, room_id)
        self.heat_room, self.heat_title = str(room_id), heat.name
        self.heat_cells, self.heat_max, self.heat_shows = _heat_cells(heat), heat.max_sold, heat.showtimes

    @rx.event
    async def on_load(self):
        if await self._require_role(Role.ADMIN.value) is None:
            return self._refusal()
        self.movies, self.rooms = await asyncio.to_thread(_options)
        if not self.start or not self.end:
            f = self._default_filter()
            self.start, self.end = f.start.isoformat(), f.end.isoformat()
        self.problem = ""
        await self._reload()

    @rx.event
    async def apply(self, form: dict):
        if await self._require_role(Role.ADMIN.value) is None:
            yield self._refusal()
            return
        parsed = _parse_filter(form if isinstance(form, dict) else {})
        if isinstance(parsed, str):
            self.problem = parsed
            return
        self.problem = ""
        self.start, self.end = parsed.start.isoformat(), parsed.end.isoformat()
        self.movie = str(parsed.movie_id or "")
        self.room = str(parsed.auditorium_id or "")
        self.loading = True
        yield
        await self._reload()

    @rx.event
    async def choose_heat_room(self, room_id: str):
        if await self._require_role(Role.ADMIN.value) is None:
            return self._refusal()
        self.heat_room = str(room_id)[:9]
        await self._reload_heatmap(self._filter())

    @rx.event
    async def download(self, key: str):
        """The CSV of one table, rebuilt on the server from the filter in force (never from the page)."""
        if await self._require_role(Role.ADMIN.value) is None:
            return self._refusal()
        f = self._filter()
        if key == "seat-heatmap":
            if not self.heat_room.isdigit():
                return rx.toast.error("Choose a room for the heat map first.")
            table = report_tables.heatmap_table(await asyncio.to_thread(_heatmap, f, int(self.heat_room)))
        elif key in report_tables.TABLES:
            table = await asyncio.to_thread(_table, f, key)  # only the one asked for
        else:
            return rx.toast.error("There is no such report.")
        return rx.download(data=table.csv(), filename=f"moviebook-{table.key}-{f.start}-to-{f.end}.csv")
