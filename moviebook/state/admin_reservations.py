"""``/admin/reservations``: staff and admins find bookings and read them; admins cancel them.

Every handler checks for staff first (so a moviegoer is refused everywhere); cancelling then
also needs an admin, and the service checks that again.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import ClassVar

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.live.seat_maps import announce
from moviebook.models import Role, utcnow
from moviebook.services.bookings import why_not_cancellable
from moviebook.services.clock import local_today
from moviebook.services.errors import DomainError, FormInvalid
from moviebook.services.money import format_cents
from moviebook.services.reservations import (
    SORTS,
    STATUSES,
    ReservationDetail,
    ReservationFilter,
    ReservationPage,
    ReservationRow,
    admin_cancel_booking,
    movie_choices,
    reservation_detail,
    search_reservations,
    showtime_choices,
)
from moviebook.services.tokens import Identity
from moviebook.state.admin_schedule import Choice
from moviebook.state.auth import AuthState
from moviebook.state.guard import requires
from moviebook.state.my_bookings import STATUS_LABELS
from moviebook.state.paged_list import SearchableList

PAGE_SIZE = 25
# The list opens on last week's and the coming month's shows: the ones people ask about.
DEFAULT_DAYS_BACK, DEFAULT_DAYS_AHEAD = 7, 30


@dataclass
class ReservationRowView:
    id: int = 0
    code: str = ""
    customer: str = ""
    email: str = ""
    movie: str = ""
    when: str = ""
    room: str = ""
    seats: int = 0
    total: str = ""
    refund: str = ""
    status: str = ""
    status_label: str = ""
    checked_in: str = ""


@dataclass
class SeatLineView:
    label: str = ""
    seat_type: str = ""
    price: str = ""


@dataclass
class HistoryView:
    when: str = ""
    what: str = ""
    who: str = ""
    note: str = ""


@dataclass
class DetailView:
    row: ReservationRowView = field(default_factory=ReservationRowView)
    reason: str = ""
    seats: list[SeatLineView] = field(default_factory=list)
    history: list[HistoryView] = field(default_factory=list)
    can_cancel: bool = False


def _moment(value) -> str:
    return value.astimezone(get_settings().timezone).strftime("%a %d %b %Y, %H:%M") if value else ""


def _row_view(row: ReservationRow) -> ReservationRowView:
    money = get_settings().currency
    return ReservationRowView(
        id=row.id,
        code=row.code,
        customer=row.customer_name,
        email=row.customer_email,
        movie=row.movie_title,
        when=_moment(row.starts_at),
        room=row.auditorium_name,
        seats=row.seat_count,
        total=format_cents(row.total_cents, money),
        refund=format_cents(row.refund_cents, money) if row.refund_cents else "",
        status=row.status,
        status_label=STATUS_LABELS.get(row.status, row.status),
        checked_in=_moment(row.checked_in_at),
    )


def _detail_view(detail: ReservationDetail) -> DetailView:
    money = get_settings().currency
    return DetailView(
        row=_row_view(detail.row),
        reason=detail.cancel_reason or "",
        seats=[SeatLineView(s.label, s.seat_type, format_cents(s.price_cents, money)) for s in detail.seats],
        history=[HistoryView(_moment(h.at), h.what, h.who, h.note) for h in detail.history],
        can_cancel=why_not_cancellable(
            detail.row.status, detail.row.starts_at, detail.row.ends_at, now=utcnow(), customer_cutoff=None
        )
        is None,
    )


def _parse_day(text: str) -> date | None:
    """'' is an open end; anything else must be an ISO date (what a date input sends)."""
    return date.fromisoformat(text) if text else None


def _search(me: Identity, flt: ReservationFilter, sort: str, descending: bool, page: int) -> ReservationPage:
    with session_scope() as session:
        return search_reservations(
            session,
            me,
            flt,
            tz=get_settings().timezone,
            sort=sort,
            descending=descending,
            page=page,
            page_size=PAGE_SIZE,
        )


def _choices(me: Identity, movie_id: int | None, start: date | None, end: date | None) -> tuple[list, list]:
    tz = get_settings().timezone
    with session_scope() as session:
        movies = [Choice(str(i), t) for i, t in movie_choices(session, me)]
        shows = (
            []
            if movie_id is None
            else [
                Choice(str(i), f"{starts.astimezone(tz):%a %d %b, %H:%M} · {room}")
                for i, starts, room in showtime_choices(session, me, movie_id=movie_id, start=start, end=end, tz=tz)
            ]
        )
    return movies, shows


def _detail(me: Identity, booking_id: int) -> ReservationDetail:
    with session_scope() as session:
        return reservation_detail(session, me, booking_id)


def _cancel(me: Identity, booking_id: int, reason: str, ip: str) -> int:
    with session_scope() as session:
        return admin_cancel_booking(session, me, booking_id=booking_id, reason=reason, now=utcnow(), ip=ip).showtime_id


def _id(text: str) -> int | None:
    text = str(text)
    return int(text) if text.isdecimal() and len(text) <= 9 else None


class ReservationsState(SearchableList, AuthState):
    required_role: ClassVar[str | None] = Role.STAFF.value
    start: str = ""
    end: str = ""
    movie: str = ""
    showtime: str = ""
    status: str = ""
    sort: str = "starts_at"
    descending: bool = False
    total_label: str = ""
    rows: list[ReservationRowView] = []
    movies: list[Choice] = []
    showtimes: list[Choice] = []
    filter_error: str = ""
    detail: DetailView = DetailView()
    detail_open: bool = False
    cancel_open: bool = False
    cancel_error: str = ""

    def _filter(self) -> ReservationFilter:
        return ReservationFilter(
            start=_parse_day(self.start),
            end=_parse_day(self.end),
            movie_id=_id(self.movie),
            showtime_id=_id(self.showtime),
            status=self.status,
            query=self.query,
        )

    async def _reload(self, me: Identity) -> None:
        result = await asyncio.to_thread(_search, me, self._filter(), self.sort, self.descending, self.page)
        self.page, self.pages, self.total = result.page, result.pages, result.total
        self.total_label = f"{result.total:,} booking" + ("" if result.total == 1 else "s")
        self.rows = [_row_view(r) for r in result.rows]

    async def _reload_choices(self, me: Identity) -> None:
        flt = self._filter()
        self.movies, self.showtimes = await asyncio.to_thread(_choices, me, flt.movie_id, flt.start, flt.end)

    @requires(Role.STAFF)
    async def on_load(self, me: Identity):
        if not self.start and not self.end:
            today = local_today(get_settings().timezone)
            self.start = (today - timedelta(days=DEFAULT_DAYS_BACK)).isoformat()
            self.end = (today + timedelta(days=DEFAULT_DAYS_AHEAD)).isoformat()
        self.detail_open = self.cancel_open = False
        await self._reload_choices(me)
        await self._reload(me)

    @requires(Role.STAFF)
    async def filter_by(self, me: Identity, name: str, value: str):
        """One filter changed: start, end (days), movie, showtime or status."""
        value = value[:20]
        if name in ("start", "end"):
            try:
                days = {"start": _parse_day(self.start), "end": _parse_day(self.end), name: _parse_day(value)}
            except ValueError:
                self.filter_error = "Enter dates like 2026-03-01."
                return
            if days["start"] and days["end"] and days["end"] < days["start"]:
                self.filter_error = "The last day is before the first."
                return
        elif name == "movie":
            value = value if _id(value) is not None else ""
            self.showtime = ""
        elif name == "showtime":
            value = value if _id(value) is not None else ""
        elif name == "status":
            value = value if value in STATUSES else ""
        else:
            return rx.toast.error("Unknown filter.")
        setattr(self, name, value)
        self.filter_error, self.page = "", 1
        if name != "showtime" and name != "status":
            await self._reload_choices(me)
        await self._reload(me)

    @requires(Role.STAFF)
    async def sort_by(self, me: Identity, column: str):
        """A column header was clicked: sort by it, or flip the direction if it already sorts."""
        if column not in SORTS:
            return rx.toast.error("That column cannot be sorted.")
        self.descending = not self.descending if column == self.sort else False
        self.sort, self.page = column, 1
        await self._reload(me)

    @requires(Role.STAFF)
    async def open_detail(self, me: Identity, booking_id: int):
        try:
            self.detail = _detail_view(await asyncio.to_thread(_detail, me, booking_id))
        except DomainError as problem:
            return rx.toast.error(str(problem))
        self.detail_open, self.cancel_open, self.cancel_error = True, False, ""

    @requires(Role.STAFF)
    async def toggle_detail(self, is_open: bool):
        self.detail_open = is_open and self.detail.row.id != 0
        self.cancel_open = self.cancel_open and self.detail_open

    @requires(Role.STAFF)
    async def toggle_cancel(self, is_open: bool):
        self.cancel_open, self.cancel_error = is_open and self.detail.can_cancel, ""

    @requires(Role.STAFF)
    async def cancel_booking(self, me: Identity, form: dict):
        """Cancel the booking shown in the detail, with the reason from the form (admins only: the
        service refuses staff, with a message saying who can)."""
        reason = str(form.get("reason", ""))[:1000]
        try:
            showtime_id = await asyncio.to_thread(_cancel, me, self.detail.row.id, reason, self._client_ip())
        except FormInvalid as problem:
            self.cancel_error = problem.errors.get("reason", str(problem))
            return
        except DomainError as problem:
            self.cancel_open = False
            return rx.toast.error(str(problem))
        announce(showtime_id)  # the freed seats show as available on every open seat map
        self.cancel_open, self.cancel_error = False, ""
        self.detail = _detail_view(await asyncio.to_thread(_detail, me, self.detail.row.id))
        await self._reload(me)
        return rx.toast.success(f"Booking {self.detail.row.code} cancelled; {self.detail.row.total} will be refunded.")
