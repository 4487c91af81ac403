"""``/admin``: how the cinema is doing today, kept current while seats are held and sold."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import Role, utcnow
from moviebook.services import reports
from moviebook.services.clock import local_today
from moviebook.services.money import format_cents
from moviebook.state.auth import AuthState
from moviebook.state.dashboard_live import register_dashboard
from moviebook.state.live import hold_store

CHART_RANGES = (7, 30, 90)


@dataclass
class SalesTileView:
    label: str = ""
    tickets: str = ""
    revenue: str = ""


@dataclass
class TodayShowView:
    showtime_id: int = 0
    time: str = ""
    title: str = ""
    room: str = ""
    sold: int = 0
    capacity: int = 0
    percent: str = ""  # "35%", also the bar's width
    percent_value: int = 0
    href: str = ""
    cancelled: bool = False


@dataclass(frozen=True)
class DashboardData:
    sales: list[reports.SalesWindow]
    today: list[reports.ShowtimeRow]
    held: int
    by_day: list[reports.DayRow]
    by_movie: list[reports.GroupRow]
    by_hour: list[reports.HourRow]


def _load(days: int) -> DashboardData:
    settings = get_settings()
    tz, now = settings.timezone, utcnow()
    today = local_today(tz, now)
    chart_range = reports.ReportRange(today - timedelta(days=days - 1), today, tz)
    with session_scope() as session:
        return DashboardData(
            sales=reports.sales_summary(session, now, tz),
            today=reports.occupancy_by_showtime(session, reports.ReportRange(today, today, tz)),
            held=hold_store().count_held(),
            by_day=reports.revenue_by_day(session, chart_range),
            by_movie=reports.revenue_by_movie(session, chart_range),
            by_hour=reports.occupancy_by_hour(session, chart_range),
        )


def _today_view(row: reports.ShowtimeRow, tz) -> TodayShowView:
    return TodayShowView(
        showtime_id=row.showtime_id,
        time=row.starts_at.astimezone(tz).strftime("%H:%M"),
        title=row.title,
        room=row.room,
        sold=row.figures.tickets,
        capacity=row.capacity,
        percent=f"{round(row.occupancy)}%",
        percent_value=round(row.occupancy),
        href=f"/showtimes/{row.showtime_id}",
        cancelled=row.is_cancelled,
    )


class AdminDashboardState(AuthState):
    required_role: ClassVar[str | None] = Role.ADMIN.value
    loading: bool = True
    sales: list[SalesTileView] = []
    today_shows: list[TodayShowView] = []
    held_now: int = 0
    chart_days: int = 30
    revenue_points: list[dict[str, str | float]] = []
    movie_points: list[dict[str, str | int]] = []
    hour_points: list[dict[str, str | float]] = []
    updated: str = ""

    @rx.var
    def has_sales(self) -> bool:
        """Any ticket in the chart range (films are listed best first); without one the charts show a message."""
        return any(point["tickets"] for point in self.movie_points)

    async def _refresh(self, loaded: dict[int, DashboardData] | None = None) -> None:
        """Reload the figures. ``loaded`` is shared by one live-refresh pass over all open dashboards,
        so tabs showing the same chart range reuse one computation instead of each running it."""
        data = (loaded or {}).get(self.chart_days) or await asyncio.to_thread(_load, self.chart_days)
        if loaded is not None:
            loaded[self.chart_days] = data
        settings = get_settings()
        tz, currency = settings.timezone, settings.currency
        self.sales = [
            SalesTileView(
                w.label,
                f"{w.tickets:,} ticket" + ("" if w.tickets == 1 else "s"),
                format_cents(w.revenue_cents, currency),
            )
            for w in data.sales
        ]
        self.today_shows = [_today_view(r, tz) for r in data.today]
        self.held_now = data.held
        # Charts take numbers; money in whole units of the currency (display only, never summed).
        self.revenue_points = [
            {"day": r.day.strftime("%d %b"), "revenue": r.figures.revenue_cents / 100} for r in data.by_day
        ]
        self.movie_points = [{"film": r.name, "tickets": r.figures.tickets} for r in data.by_movie[:10]]
        self.hour_points = [{"hour": f"{r.hour:02d}:00", "occupancy": r.occupancy} for r in data.by_hour]
        self.updated = utcnow().astimezone(tz).strftime("%H:%M:%S")
        self.loading = False

    async def _refresh_if_still_admin(self, loaded: dict[int, DashboardData]) -> None:
        """Called by the live refresher: a tab whose user is no longer an admin gets nothing new."""
        if await self._require_role(Role.ADMIN.value) is not None:
            await self._refresh(loaded)

    @rx.event
    async def on_load(self):
        if await self._require_role(Role.ADMIN.value) is None:
            return self._refusal()
        await asyncio.to_thread(register_dashboard, self.router.session.client_token)
        await self._refresh()

    @rx.event
    async def choose_chart_days(self, days: str):
        if await self._require_role(Role.ADMIN.value) is None:
            return self._refusal()
        try:
            wanted = int(days)
        except (TypeError, ValueError):
            wanted = 0
        self.chart_days = wanted if wanted in CHART_RANGES else 30
        await self._refresh()
