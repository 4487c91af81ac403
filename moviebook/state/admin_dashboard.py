"""``/admin``: how the cinema is doing today, kept current while seats are held and sold."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import ClassVar

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.live.dashboards import DashboardView, register_dashboard, register_dashboard_view
from moviebook.models import Role, utcnow
from moviebook.services import reports
from moviebook.services.holds import hold_store
from moviebook.services.money import format_cents
from moviebook.services.report_pages import DashboardFigures, dashboard_figures
from moviebook.services.tokens import Identity
from moviebook.state.auth import AuthState
from moviebook.state.guard import requires

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


def _load(me: Identity, days: int) -> DashboardFigures:
    tz = get_settings().timezone
    with session_scope() as session:
        return dashboard_figures(session, me, hold_store(), chart_days=days, tz=tz, now=utcnow())


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

    async def _refresh(self, me: Identity, loaded: dict[int, DashboardFigures] | None = None) -> None:
        """Reload the figures. ``loaded`` is shared by one live-refresh pass over all open dashboards,
        so tabs showing the same chart range reuse one computation instead of each running it."""
        data = (loaded or {}).get(self.chart_days) or await asyncio.to_thread(_load, me, self.chart_days)
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

    async def _refresh_if_still_admin(self, loaded: dict[int, DashboardFigures]) -> None:
        """Called by the live refresher: a tab whose user is no longer an admin gets nothing new."""
        if (me := await self._require_role(Role.ADMIN.value)) is not None:
            await self._refresh(me, loaded)

    @requires(Role.ADMIN)
    async def on_load(self, me: Identity):
        await asyncio.to_thread(register_dashboard, self.router.session.client_token)
        await self._refresh(me)

    @requires(Role.ADMIN)
    async def choose_chart_days(self, me: Identity, days: str):
        self.chart_days = int(days) if days in {str(d) for d in CHART_RANGES} else 30
        await self._refresh(me)


register_dashboard_view(DashboardView(AdminDashboardState, AdminDashboardState._refresh_if_still_admin))
