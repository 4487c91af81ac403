"""``/admin/reports``: revenue, occupancy, popularity, refunds and a seat heat map for any period."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import ClassVar

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import Role, utcnow
from moviebook.services import report_tables, reports
from moviebook.services.clock import local_today
from moviebook.services.errors import DomainError
from moviebook.services.money import format_cents
from moviebook.services.report_pages import (
    LoadedReport,
    load_report,
    period_problem,
    report_filter_choices,
    report_table,
    room_heatmap,
)
from moviebook.services.report_tables import Table
from moviebook.services.tokens import Identity
from moviebook.state.auth import AuthState
from moviebook.state.guard import requires

DEFAULT_DAYS = 30
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
    fees: str = ""
    discounts: str = ""


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
    if problem := period_problem(start, end):
        return problem

    def optional_id(name: str) -> int | None:
        raw = str(form.get(name) or "")
        return int(raw) if raw.isdecimal() and len(raw) <= 9 else None

    return ReportFilter(start, end, optional_id("movie"), optional_id("room"))


def _options(me: Identity) -> tuple[list[OptionView], list[OptionView]]:
    with session_scope() as session:
        movies, rooms = report_filter_choices(session, me)
    return [OptionView(str(i), t) for i, t in movies], [OptionView(str(i), n) for i, n in rooms]


def _range(f: ReportFilter) -> reports.ReportRange:
    return reports.ReportRange(f.start, f.end, get_settings().timezone, f.movie_id, f.auditorium_id)


def _load(me: Identity, f: ReportFilter) -> LoadedReport:
    with session_scope() as session:
        return load_report(session, me, _range(f), get_settings().currency)


def _table(me: Identity, f: ReportFilter, key: str) -> Table:
    with session_scope() as session:
        return report_table(session, me, _range(f), key, get_settings().currency)


def _heatmap(me: Identity, f: ReportFilter, room_id: int) -> reports.Heatmap:
    with session_scope() as session:
        return room_heatmap(session, me, _range(f), room_id)


def table_view(table: Table) -> TableView:
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
    type_points: list[dict[str, str | float]] = []
    channel_points: list[dict[str, str | float]] = []
    heat_room: str = ""
    heat_title: str = ""
    heat_cells: list[HeatCellView] = []
    heat_max: int = 0
    heat_shows: int = 0

    @rx.var
    def has_revenue(self) -> bool:
        """All-zero bars would look broken: without revenue the page shows a message instead."""
        return any(point["revenue"] for point in self.revenue_points)

    @rx.var
    def has_tickets(self) -> bool:
        return any(point["tickets"] for point in self.type_points)

    def _filter(self) -> ReportFilter:
        parsed = _parse_filter({"start": self.start, "end": self.end, "movie": self.movie, "room": self.room})
        return parsed if isinstance(parsed, ReportFilter) else self._default_filter()

    def _default_filter(self) -> ReportFilter:
        today = local_today(get_settings().timezone, utcnow())
        return ReportFilter(today - timedelta(days=DEFAULT_DAYS - 1), today, None, None)

    async def _reload(self, me: Identity) -> None:
        f = self._filter()
        loaded = await asyncio.to_thread(_load, me, f)
        self.tables = [table_view(t) for t in loaded.tables]
        self.revenue_points = [
            {"day": r.day.strftime("%d %b"), "revenue": r.figures.revenue_cents / 100} for r in loaded.by_day
        ]
        currency, t = get_settings().currency, loaded.totals
        self.summary = SummaryView(
            revenue=format_cents(t.figures.revenue_cents, currency),
            tickets=f"{t.figures.tickets:,}",
            refunds=format_cents(t.figures.refunds_cents, currency),
            occupancy=f"{t.occupancy:.1f}%",
            fees=format_cents(sum(c.fee_cents for c in loaded.by_channel), currency),
            discounts=format_cents(sum(c.discount_cents for c in loaded.by_channel), currency),
        )
        self.type_points = [{"type": r.name, "tickets": r.tickets} for r in loaded.by_type]
        self.channel_points = [
            {"channel": c.label, "revenue": c.figures.revenue_cents / 100} for c in loaded.by_channel
        ]
        await self._reload_heatmap(me, f)
        self.loading = False

    async def _reload_heatmap(self, me: Identity, f: ReportFilter) -> None:
        room_id = int(self.heat_room) if self.heat_room.isdecimal() else None
        if room_id is None or room_id not in {int(r.value) for r in self.rooms}:
            room_id = int(self.rooms[0].value) if self.rooms else None
        if room_id is None:
            self.heat_cells, self.heat_title, self.heat_max, self.heat_shows = [], "", 0, 0
            return
        heat = await asyncio.to_thread(_heatmap, me, f, room_id)
        self.heat_room, self.heat_title = str(room_id), heat.name
        self.heat_cells, self.heat_max, self.heat_shows = _heat_cells(heat), heat.max_sold, heat.showtimes

    @requires(Role.ADMIN)
    async def on_load(self, me: Identity):
        self.movies, self.rooms = await asyncio.to_thread(_options, me)
        if not self.start or not self.end:
            f = self._default_filter()
            self.start, self.end = f.start.isoformat(), f.end.isoformat()
        self.problem = ""
        await self._reload(me)

    @requires(Role.ADMIN)
    async def apply(self, me: Identity, form: dict):
        parsed = _parse_filter(form)
        if isinstance(parsed, str):
            self.problem = parsed
            return
        self.problem = ""
        self.start, self.end = parsed.start.isoformat(), parsed.end.isoformat()
        self.movie = str(parsed.movie_id or "")
        self.room = str(parsed.auditorium_id or "")
        self.loading = True
        yield
        await self._reload(me)

    @requires(Role.ADMIN)
    async def choose_heat_room(self, me: Identity, room_id: str):
        self.heat_room = room_id[:9]
        await self._reload_heatmap(me, self._filter())

    @requires(Role.ADMIN)
    async def download(self, me: Identity, key: str):
        """The CSV of one table, rebuilt on the server from the filter in force (never from the page)."""
        f = self._filter()
        try:
            if key == "seat-heatmap":
                if not self.heat_room.isdecimal():
                    return rx.toast.error("Choose a room for the heat map first.")
                table = report_tables.heatmap_table(await asyncio.to_thread(_heatmap, me, f, int(self.heat_room)))
            else:
                table = await asyncio.to_thread(_table, me, f, key)  # only the one asked for
        except DomainError as problem:
            return rx.toast.error(str(problem))
        return rx.download(data=table.csv(), filename=table.csv_filename(f.start, f.end))
