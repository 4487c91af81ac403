"""``/admin/auditoriums``: rooms, the layout generator and the seat-type editor."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import ClassVar

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import Role, SeatType
from moviebook.services.auditoriums import (
    RoomSummary,
    create_auditorium,
    list_rooms,
    price_modifiers,
    room_seats,
    set_seat_type,
    set_type_price,
)
from moviebook.services.errors import DomainError, FormInvalid
from moviebook.services.layouts import capacity
from moviebook.services.money import format_amount
from moviebook.services.schedule_admin import parse_price
from moviebook.services.tokens import Identity
from moviebook.state.auth import AuthState
from moviebook.state.guard import requires, route_id
from moviebook.state.seatmap_views import SEAT_TYPE_LABELS


@dataclass
class RoomRow:
    id: int = 0
    name: str = ""
    rows: int = 0
    capacity: int = 0
    summary: str = ""
    href: str = ""


def _summary_text(room: RoomSummary) -> str:
    return ", ".join(
        f"{count} {SEAT_TYPE_LABELS.get(kind, kind).lower()}" for kind, count in sorted(room.counts.items())
    )


def _rooms(me: Identity) -> list[RoomRow]:
    with session_scope() as session:
        return [
            RoomRow(r.id, r.name, r.rows, r.capacity, _summary_text(r), f"/admin/auditoriums/{r.id}")
            for r in list_rooms(session, me)
        ]


def _create(me: Identity, raw: dict, ip: str) -> int:
    with session_scope() as session:
        return create_auditorium(session, me, raw, ip).id


class AdminRoomsState(AuthState):
    required_role: ClassVar[str | None] = Role.ADMIN.value
    rooms: list[RoomRow] = []
    errors: dict[str, str] = {}

    @requires(Role.ADMIN)
    async def on_load(self, me: Identity):
        self.errors = {}
        self.rooms = await asyncio.to_thread(_rooms, me)

    @requires(Role.ADMIN)
    async def create(self, me: Identity, form: dict):
        try:
            room_id = await asyncio.to_thread(_create, me, form, self._client_ip())
        except FormInvalid as invalid:
            self.errors = invalid.errors
            return
        self.errors = {}
        return [rx.toast.success("Room created. Now set its seat types."), rx.redirect(f"/admin/auditoriums/{room_id}")]


@dataclass
class EditorCell:
    is_seat: bool = False
    seat_id: int = 0
    number: str = ""
    seat_type: str = ""
    selected: bool = False
    label: str = ""


@dataclass
class EditorRow:
    label: str = ""
    cells: list[EditorCell] = field(default_factory=list)


@dataclass
class TypePrice:
    seat_type: str = ""
    name: str = ""
    modifier: str = ""


# (id, row_label, number, x, y, seat_type) for every seat: kept on the server only.
_SeatTuple = tuple[int, str, int, int, int, str]


def _load_room(me: Identity, room_id: int) -> tuple[str, list[_SeatTuple], dict[str, int], int]:
    with session_scope() as session:
        room, seats = room_seats(session, me, room_id)
        tuples = [(s.id, s.row_label, s.number, s.x, s.y, s.seat_type) for s in seats]
        return room.name, tuples, price_modifiers(seats), capacity(seats)


def _apply_type(me: Identity, room_id: int, seat_ids: list[int], seat_type: str, ip: str) -> int:
    with session_scope() as session:
        return set_seat_type(session, me, room_id, seat_ids, seat_type, tz=get_settings().timezone, ip=ip)


def _save_price(me: Identity, room_id: int, seat_type: str, cents: int, ip: str) -> None:
    with session_scope() as session:
        set_type_price(session, me, room_id, seat_type, cents, ip)


EDITABLE_TYPES = [t.value for t in SeatType]


class RoomEditorState(AuthState):
    required_role: ClassVar[str | None] = Role.ADMIN.value
    room_id: int = 0
    room_name: str = ""
    rows: list[EditorRow] = []
    selected_ids: list[int] = []
    prices: list[TypePrice] = []
    capacity: int = 0
    not_found: bool = False
    _seats: list[_SeatTuple] = []
    _drag_anchor: int = 0
    _drag_base: list[int] = []

    @rx.var
    def selected_count(self) -> int:
        return len(self.selected_ids)

    def _rebuild(self) -> None:
        chosen = set(self.selected_ids)
        width = max((s[3] for s in self._seats), default=-1) + 1
        by_row: dict[int, dict[int, _SeatTuple]] = {}
        for seat in self._seats:
            by_row.setdefault(seat[4], {})[seat[3]] = seat
        rows = []
        for y in sorted(by_row):
            cells = []
            label = next(iter(by_row[y].values()))[1]
            for x in range(width):
                seat = by_row[y].get(x)
                if seat is None:
                    cells.append(EditorCell())
                    continue
                kind = SEAT_TYPE_LABELS.get(seat[5], seat[5]).lower()
                cells.append(
                    EditorCell(
                        True,
                        seat[0],
                        str(seat[2]),
                        seat[5],
                        seat[0] in chosen,
                        f"Row {seat[1]}, seat {seat[2]}, {kind}",
                    )
                )
            rows.append(EditorRow(label, cells))
        self.rows = rows

    async def _reload(self, me: Identity) -> None:
        self.room_name, self._seats, modifiers, self.capacity = await asyncio.to_thread(_load_room, me, self.room_id)
        present = {s[5] for s in self._seats}
        self.prices = [
            TypePrice(t, SEAT_TYPE_LABELS[t], format_amount(modifiers[t]))
            for t in EDITABLE_TYPES
            if t in present and t != SeatType.BLOCKED
        ]
        valid = {s[0] for s in self._seats}
        self.selected_ids = [i for i in self.selected_ids if i in valid]
        self._rebuild()

    @requires(Role.ADMIN)
    async def on_load(self, me: Identity):
        self.not_found, self.selected_ids = False, []
        if (room_id := route_id(self.room_id_arg)) is None:
            self.not_found = True
            return
        self.room_id = room_id
        try:
            await self._reload(me)
        except DomainError:
            self.not_found = True

    def _seat_ids_in_rectangle(self, a: int, b: int) -> list[int]:
        where = {s[0]: (s[3], s[4]) for s in self._seats}
        if a not in where or b not in where:
            return []
        (x1, y1), (x2, y2) = where[a], where[b]
        xs, ys = sorted((x1, x2)), sorted((y1, y2))
        return [s[0] for s in self._seats if xs[0] <= s[3] <= xs[1] and ys[0] <= s[4] <= ys[1]]

    @requires(Role.ADMIN)
    async def toggle_seat(self, seat_id: int):
        if seat_id in self.selected_ids:
            self.selected_ids = [i for i in self.selected_ids if i != seat_id]
        elif any(s[0] == seat_id for s in self._seats):
            self.selected_ids = self.selected_ids + [seat_id]
        self._rebuild()

    @requires(Role.ADMIN)
    async def drag_start(self, seat_id: int):
        self._drag_anchor = seat_id if any(s[0] == seat_id for s in self._seats) else 0
        self._drag_base = list(self.selected_ids)

    @requires(Role.ADMIN)
    async def drag_over(self, seat_id: int):
        """While the mouse button is down, select the rectangle from where the drag began."""
        if not self._drag_anchor or seat_id == self._drag_anchor:
            return
        area = self._seat_ids_in_rectangle(self._drag_anchor, seat_id)
        self.selected_ids = list(dict.fromkeys(self._drag_base + area))
        self._rebuild()

    @requires(Role.ADMIN)
    async def drag_end(self):
        self._drag_anchor = 0

    @requires(Role.ADMIN)
    async def select_row(self, label: str):
        row_ids = [s[0] for s in self._seats if s[1] == label]
        self.selected_ids = list(dict.fromkeys(self.selected_ids + row_ids))
        self._rebuild()

    @requires(Role.ADMIN)
    async def clear_selection(self):
        self.selected_ids = []
        self._rebuild()

    @requires(Role.ADMIN)
    async def apply_type(self, me: Identity, seat_type: str):
        if not self.selected_ids:
            return rx.toast.info("Select seats first: click them, drag across them, or click a row letter.")
        try:
            changed = await asyncio.to_thread(
                _apply_type, me, self.room_id, list(self.selected_ids), seat_type, self._client_ip()
            )
        except DomainError as problem:
            return rx.toast.error(str(problem), duration=10_000)
        self.selected_ids = []
        await self._reload(me)
        return rx.toast.success(f"{changed} seats are now {SEAT_TYPE_LABELS.get(seat_type, seat_type).lower()}.")

    @requires(Role.ADMIN)
    async def save_price(self, me: Identity, form: dict):
        seat_type = str(form.get("seat_type", ""))
        text = str(form.get("modifier", "")).strip()
        negative = text.startswith("-")
        cents = parse_price(text.lstrip("-+").lstrip("£€$"))
        if cents is None:
            return rx.toast.error("Enter an amount like 2.50 or -1.00.")
        try:
            await asyncio.to_thread(
                _save_price, me, self.room_id, seat_type, -cents if negative else cents, self._client_ip()
            )
        except DomainError as problem:
            return rx.toast.error(str(problem))
        await self._reload(me)
        return rx.toast.success(f"{SEAT_TYPE_LABELS.get(seat_type, seat_type)} price saved.")
