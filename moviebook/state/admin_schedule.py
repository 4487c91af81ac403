"""``/admin/showtimes``: a day's timeline per room, the showtime form, cancelling, bulk scheduling."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import ClassVar

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.live.seat_maps import announce
from moviebook.models import FORMATS, Role  # noqa: F401  (FORMATS: re-exported for the showtime form page)
from moviebook.services.clock import local_day_bounds, local_today
from moviebook.services.errors import DomainError, FormInvalid
from moviebook.services.money import format_amount, format_cents
from moviebook.services.schedule_admin import (
    FIRST_YEAR,
    LAST_YEAR,
    BulkReport,
    RoomDay,
    bulk_schedule,
    cancel_showtime,
    create_showtime,
    day_schedule,
    parse_bulk_form,
    parse_calendar_day,
    parse_showtime_form,
    schedule_choices,
    showtime_for_editing,
    update_showtime,
    within_calendar,
)
from moviebook.services.tokens import Identity
from moviebook.state.auth import AuthState
from moviebook.state.guard import requires

# The timeline runs from 09:00 to 01:00: where a cinema's day lives.
TIMELINE_START_HOUR = 9
TIMELINE_HOURS = 16
HOUR_LABELS = [f"{(TIMELINE_START_HOUR + i) % 24:02d}:00" for i in range(0, TIMELINE_HOURS, 2)]


@dataclass
class TimelineSlot:
    id: int = 0
    title: str = ""
    when: str = ""
    left: str = "0%"
    width: str = "0%"
    cancelled: bool = False
    detail: str = ""


@dataclass
class TimelineRoom:
    id: int = 0
    name: str = ""
    slots: list[TimelineSlot] = field(default_factory=list)


@dataclass
class Choice:
    value: str = ""
    label: str = ""


def _timeline(rooms: list[RoomDay], day: date) -> list[TimelineRoom]:
    settings = get_settings()
    tz = settings.timezone
    day_start, _ = local_day_bounds(day, tz)
    origin = day_start + timedelta(hours=TIMELINE_START_HOUR)
    span = TIMELINE_HOURS * 60

    def pct(minutes: float) -> str:
        return f"{max(0.0, min(100.0, minutes / span * 100)):.2f}%"

    result = []
    for room in rooms:
        slots = []
        for slot in room.slots:
            start_min = (slot.starts_at - origin).total_seconds() / 60
            length = (slot.ends_at - slot.starts_at).total_seconds() / 60
            local_start, local_end = slot.starts_at.astimezone(tz), slot.ends_at.astimezone(tz)
            when = f"{local_start:%H:%M}–{local_end:%H:%M}"
            state = "cancelled" if slot.is_cancelled else f"{slot.bookings} bookings"
            slots.append(
                TimelineSlot(
                    slot.id,
                    slot.movie_title,
                    when,
                    pct(start_min),
                    pct(length),
                    slot.is_cancelled,
                    f"{slot.movie_title}, {when}, {slot.format}, "
                    f"{format_cents(slot.base_price_cents, settings.currency)}, {state}",
                )
            )
        result.append(TimelineRoom(room.auditorium_id, room.auditorium_name, slots))
    return result


def _load(me: Identity, day: date) -> tuple[list[TimelineRoom], list[Choice], list[Choice]]:
    with session_scope() as session:
        movies, rooms = schedule_choices(session, me)
        timeline = _timeline(day_schedule(session, me, day, get_settings().timezone), day)
    return timeline, [Choice(str(i), t) for i, t in movies], [Choice(str(i), n) for i, n in rooms]


def _save(me: Identity, showtime_id: int, raw: dict, ip: str) -> None:
    settings = get_settings()
    with session_scope() as session:
        form = parse_showtime_form(raw)
        kwargs = dict(tz=settings.timezone, cleaning_buffer_minutes=settings.cleaning_buffer_minutes, ip=ip)
        if showtime_id:
            update_showtime(session, me, showtime_id, form, **kwargs)
        else:
            create_showtime(session, me, form, **kwargs)


def _cancel(me: Identity, showtime_id: int, ip: str) -> int:
    with session_scope() as session:
        return cancel_showtime(session, me, showtime_id, ip=ip)


def _for_editing(me: Identity, showtime_id: int) -> dict[str, str]:
    tz = get_settings().timezone
    with session_scope() as session:
        show = showtime_for_editing(session, me, showtime_id)
        local = show.starts_at.astimezone(tz)
        return {
            "movie_id": str(show.movie_id),
            "auditorium_id": str(show.auditorium_id),
            "day": local.date().isoformat(),
            "start": local.strftime("%H:%M"),
            "format": show.format,
            "price": format_amount(show.base_price_cents),
            "language": show.language,
            "subtitles": show.subtitles or "",
        }


def _bulk(me: Identity, raw: dict, ip: str) -> BulkReport:
    settings = get_settings()
    form = parse_bulk_form(raw)
    with session_scope() as session:
        return bulk_schedule(
            session,
            me,
            **vars(form),
            tz=settings.timezone,
            cleaning_buffer_minutes=settings.cleaning_buffer_minutes,
            ip=ip,
        )


EMPTY_FORM = {
    "movie_id": "",
    "auditorium_id": "",
    "day": "",
    "start": "",
    "format": "2D",
    "price": "11.50",
    "language": "",
    "subtitles": "",
}


class AdminScheduleState(AuthState):
    required_role: ClassVar[str | None] = Role.ADMIN.value
    day: str = ""
    rooms: list[TimelineRoom] = []
    movies: list[Choice] = []
    room_choices: list[Choice] = []
    editing_id: int = 0
    form: dict[str, str] = dict(EMPTY_FORM)
    form_version: int = 0  # bumped to re-render the form with new default values
    errors: dict[str, str] = {}
    problem: str = ""
    bulk_errors: dict[str, str] = {}
    bulk_result: list[str] = []

    @rx.var
    def day_label(self) -> str:
        try:
            return date.fromisoformat(self.day).strftime("%A %d %B %Y")
        except ValueError:
            return ""

    async def _reload(self, me: Identity) -> None:
        self.rooms, self.movies, self.room_choices = await asyncio.to_thread(_load, me, date.fromisoformat(self.day))

    def _reset_form(self) -> None:
        self.editing_id, self.errors, self.problem = 0, {}, ""
        self.form = {**EMPTY_FORM, "day": self.day}
        self.form_version += 1

    @requires(Role.ADMIN)
    async def on_load(self, me: Identity):
        if not self.day:
            self.day = local_today(get_settings().timezone).isoformat()
        self._reset_form()
        self.bulk_errors, self.bulk_result = {}, []
        await self._reload(me)

    @requires(Role.ADMIN)
    async def choose_day(self, me: Identity, value: str):
        if (day := parse_calendar_day(value)) is None:
            return rx.toast.error(f"Choose a date between {FIRST_YEAR} and {LAST_YEAR}.")
        self.day = day.isoformat()
        self._reset_form()
        await self._reload(me)

    @requires(Role.ADMIN)
    async def shift_day(self, me: Identity, days: int):
        self.day = within_calendar(date.fromisoformat(self.day) + timedelta(days=max(-31, min(31, days)))).isoformat()
        self._reset_form()
        await self._reload(me)

    @requires(Role.ADMIN)
    async def new_showtime(self):
        self._reset_form()

    @requires(Role.ADMIN)
    async def edit_showtime(self, me: Identity, showtime_id: int):
        try:
            values = await asyncio.to_thread(_for_editing, me, showtime_id)
        except DomainError:
            return rx.toast.error("That showtime does not exist.")
        self.editing_id, self.errors, self.problem = showtime_id, {}, ""
        self.form = values
        self.form_version += 1

    @requires(Role.ADMIN)
    async def save(self, me: Identity, form: dict):
        self.form = {key: str(form.get(key, ""))[:60] for key in EMPTY_FORM}  # keep what was typed on error
        try:
            await asyncio.to_thread(_save, me, self.editing_id, form, self._client_ip())
        except FormInvalid as invalid:
            self.errors, self.problem = invalid.errors, ""
            return
        except DomainError as problem:
            self.errors, self.problem = {}, str(problem)
            return
        saved_day = self.form.get("day") or self.day
        was_edit = bool(self.editing_id)
        self.day = saved_day
        self._reset_form()
        await self._reload(me)
        return rx.toast.success("Showtime updated." if was_edit else "Showtime scheduled.")

    @requires(Role.ADMIN)
    async def cancel(self, me: Identity, showtime_id: int):
        try:
            refunded = await asyncio.to_thread(_cancel, me, showtime_id, self._client_ip())
        except DomainError as problem:
            return rx.toast.error(str(problem))
        announce(showtime_id)  # everyone looking at its seat map is told now
        self._reset_form()
        await self._reload(me)
        return rx.toast.success(f"Showtime cancelled. {refunded} bookings were cancelled and marked for refund.")

    @requires(Role.ADMIN)
    async def bulk(self, me: Identity, form: dict):
        try:
            report = await asyncio.to_thread(_bulk, me, form, self._client_ip())
        except FormInvalid as invalid:
            self.bulk_errors, self.bulk_result = invalid.errors, []
            return
        except DomainError as problem:
            self.bulk_errors, self.bulk_result = {"movie_id": str(problem)}, []
            return
        tz = get_settings().timezone
        self.bulk_errors = {}
        self.bulk_result = [f"Scheduled {len(report.created)} showtimes."] + [
            f"Skipped {when.astimezone(tz):%a %d %b %H:%M}: {reason}" for when, reason in report.skipped
        ]
        await self._reload(me)
