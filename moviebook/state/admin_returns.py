"""``/admin/returns``: what each film's distributor is owed for one film week."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import Role, utcnow
from moviebook.services.distributor_returns import (
    DistributorReturn,
    FilmWeek,
    current_film_week,
    film_week_of,
    load_return,
)
from moviebook.services.errors import DomainError
from moviebook.services.money import format_cents
from moviebook.services.report_tables import distributor_return as return_table
from moviebook.services.tokens import Identity
from moviebook.state.admin_reports import TableView, table_view
from moviebook.state.auth import AuthState
from moviebook.state.guard import requires

# Far enough either way for any real return; keeps "next week" from running off the calendar.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


@dataclass
class ReturnSummaryView:
    admissions: str = ""
    gross: str = ""
    net: str = ""
    due: str = ""


def _week(day: date) -> FilmWeek:
    settings = get_settings()
    return film_week_of(day, settings.timezone, settings.film_week_starts)


def _parse_day(raw: object) -> date | str:
    """The day the form names, or what is wrong with it, in words."""
    try:
        day = date.fromisoformat(str(raw or "")[:10])
    except ValueError:
        return "Please give a date in the film week you want (for example 2026-06-25)."
    if not EARLIEST <= day <= LATEST:
        return f"Please choose a week between {EARLIEST.year} and {LATEST.year}."
    return day


def _load(me: Identity, week: FilmWeek) -> DistributorReturn:
    with session_scope() as session:
        return load_return(session, me, week, get_settings().vat_rate_bp)


class AdminReturnsState(AuthState):
    required_role: ClassVar[str | None] = Role.ADMIN.value
    week_start: str = ""  # ISO date of the film week's first day, as the server settled it
    week_label: str = ""
    vat_note: str = ""
    problem: str = ""
    loading: bool = True
    table: TableView = TableView()
    summary: ReturnSummaryView = ReturnSummaryView()
    due_points: list[dict[str, str | float]] = []

    @rx.var
    def has_due(self) -> bool:
        return any(point["due"] for point in self.due_points)

    def _current(self) -> FilmWeek:
        """The week on screen; the current film week when none (or junk) is set."""
        try:
            return _week(date.fromisoformat(self.week_start))
        except ValueError:
            pass
        settings = get_settings()
        return current_film_week(utcnow(), settings.timezone, settings.film_week_starts)

    async def _show_week(self, me: Identity, week: FilmWeek):
        self.problem = ""
        self.week_start, self.week_label = week.start.isoformat(), week.label
        self.loading = True
        yield
        ret = await asyncio.to_thread(_load, me, week)
        currency = get_settings().currency
        self.table = table_view(return_table(ret, currency))
        self.summary = ReturnSummaryView(
            admissions=f"{ret.admissions:,}",
            gross=format_cents(ret.gross_cents, currency),
            net=format_cents(ret.net_cents, currency),
            due=format_cents(ret.due_cents, currency),
        )
        # The chart shows who is owed something; the table lists every film that played.
        self.due_points = [{"film": r.title, "due": r.due_cents / 100} for r in ret.rows if r.due_cents]
        rate = ret.vat_rate_bp
        self.vat_note = f"VAT at {rate // 100}.{rate % 100:02d}%"
        self.loading = False

    @requires(Role.ADMIN)
    async def on_load(self, me: Identity):
        async for update in self._show_week(me, self._current()):
            yield update

    @requires(Role.ADMIN)
    async def choose_week(self, me: Identity, form: dict):
        parsed = _parse_day(form.get("day"))
        if isinstance(parsed, str):
            self.problem = parsed
            return
        async for update in self._show_week(me, _week(parsed)):
            yield update

    async def _step(self, me: Identity, weeks: int):
        week = self._current().previous() if weeks < 0 else self._current().next()
        if not EARLIEST <= week.start <= LATEST:
            self.problem = f"Returns cover {EARLIEST.year} to {LATEST.year}."
            return
        async for update in self._show_week(me, week):
            yield update

    @requires(Role.ADMIN)
    async def previous_week(self, me: Identity):
        async for update in self._step(me, -1):
            yield update

    @requires(Role.ADMIN)
    async def next_week(self, me: Identity):
        async for update in self._step(me, +1):
            yield update

    @requires(Role.ADMIN)
    async def download(self, me: Identity):
        """The CSV, rebuilt on the server for the week on screen (never from the page's cells)."""
        week = self._current()
        try:
            ret = await asyncio.to_thread(_load, me, week)
        except DomainError as problem:
            return rx.toast.error(str(problem))
        table = return_table(ret, get_settings().currency)
        return rx.download(data=table.csv(), filename=f"moviebook-distributor-return-{week.start}-to-{week.end}.csv")
