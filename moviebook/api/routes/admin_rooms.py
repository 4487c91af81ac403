"""``/admin/rooms``: rooms and their seat layouts, as the rooms page and its visual editor run
them (admins only). A room is generated from rows, seats per row and aisles; its layout is then
edited seat by seat (types) and per type (prices), with the editor's checks."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from moviebook.api.deps import Address, Admin
from moviebook.api.routes.admin_common import Id, api_fields, refusals
from moviebook.api.schemas import text
from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import SeatType
from moviebook.services.auditoriums import (
    create_auditorium,
    list_rooms,
    price_modifiers,
    room_seats,
    set_seat_types,
    set_type_price,
)
from moviebook.services.layouts import MAX_ROWS, MAX_SEATS_PER_ROW, capacity
from moviebook.services.tokens import Identity

router = APIRouter(tags=["admin: rooms"])

FIELDS = {"aisles": "aisles_after"}
SEAT_TYPES = [t.value for t in SeatType]


class RoomIn(BaseModel):
    name: text(1000) = Field(examples=["Screen 4"])
    rows: int = Field(description=f"1 to {MAX_ROWS}; labelled A, B, … from the front.")
    seats_per_row: int = Field(description=f"1 to {MAX_SEATS_PER_ROW}.")
    aisles_after: list[int] = Field(
        default_factory=list, max_length=MAX_SEATS_PER_ROW, description="Seat numbers after which an aisle runs."
    )


class RoomSummaryOut(BaseModel):
    id: int
    name: str
    rows: int
    capacity: int = Field(description="Seats that can be sold (all but blocked places).")
    seat_counts: dict[str, int] = Field(description="How many seats of each type.")


class SeatOut(BaseModel):
    id: int
    row_label: str
    number: int
    x: int = Field(description="Column in the layout grid (aisles are empty columns).")
    y: int
    seat_type: str = Field(examples=SEAT_TYPES)
    price_modifier_cents: int


class RoomOut(BaseModel):
    id: int
    name: str
    capacity: int
    seats: list[SeatOut]
    price_modifiers: dict[str, int] = Field(description="What each seat type adds to a showtime's price here.")


class SeatTypeIn(BaseModel):
    id: int = Field(description="A seat of this room.")
    seat_type: text(20) = Field(examples=SEAT_TYPES)


class LayoutIn(BaseModel):
    """What the visual editor saves: seat types (seats not listed keep theirs) and, per sold
    type, its price modifier in this room."""

    seats: list[SeatTypeIn] = Field(default_factory=list, max_length=MAX_ROWS * MAX_SEATS_PER_ROW)
    price_modifiers: dict[str, int] = Field(default_factory=dict, examples=[{"premium": 300}])


def _room_out(me: Identity, session, room_id: int) -> RoomOut:
    room, seats = room_seats(session, me, room_id)
    return RoomOut(
        id=room.id,
        name=room.name,
        capacity=capacity(seats),
        seats=[
            SeatOut(
                id=s.id,
                row_label=s.row_label,
                number=s.number,
                x=s.x,
                y=s.y,
                seat_type=s.seat_type,
                price_modifier_cents=s.price_modifier_cents,
            )
            for s in seats
        ],
        price_modifiers={str(kind): cents for kind, cents in price_modifiers(seats).items()},
    )


@router.get("/admin/rooms", response_model=list[RoomSummaryOut], responses=refusals())
def rooms(me: Admin) -> list[RoomSummaryOut]:
    with session_scope() as session:
        return [
            RoomSummaryOut(id=r.id, name=r.name, rows=r.rows, capacity=r.capacity, seat_counts=dict(r.counts))
            for r in list_rooms(session, me)
        ]


@router.post("/admin/rooms", status_code=201, response_model=RoomOut, responses=refusals())
def add_room(body: RoomIn, me: Admin, address: Address) -> RoomOut:
    """Generate a room of regular seats, as the rooms page does; then set its seat types."""
    raw = {
        "name": body.name,
        "rows": str(body.rows) if body.rows >= 0 else "",
        "seats_per_row": str(body.seats_per_row) if body.seats_per_row >= 0 else "",
        "aisles": " ".join(str(a) if a >= 0 else "-" for a in body.aisles_after),
    }
    with api_fields(FIELDS), session_scope() as session:
        room = create_auditorium(session, me, raw, address)
        return _room_out(me, session, room.id)


@router.get("/admin/rooms/{room_id}", response_model=RoomOut, responses=refusals(404))
def room(room_id: Id, me: Admin) -> RoomOut:
    """A room with every seat of its layout."""
    with session_scope() as session:
        return _room_out(me, session, room_id)


@router.put("/admin/rooms/{room_id}/layout", response_model=RoomOut, responses=refusals(404))
def save_layout(room_id: Id, body: LayoutIn, me: Admin, address: Address) -> RoomOut:
    """Save seat types and prices as the editor does, all or nothing: couple seats must pair up,
    a wheelchair space needs a companion seat beside it, and a booked seat cannot be blocked."""
    with session_scope() as session:
        if body.seats:
            types = {seat.id: seat.seat_type for seat in body.seats}
            set_seat_types(session, me, room_id, types, tz=get_settings().timezone, ip=address)
        for seat_type, cents in body.price_modifiers.items():
            set_type_price(session, me, room_id, seat_type, cents, address)
        return _room_out(me, session, room_id)
