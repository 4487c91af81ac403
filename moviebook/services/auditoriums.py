"""Admins run the rooms: create one from a generator, then edit seat types and their prices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from moviebook.models import Auditorium, BookingSeat, Role, Seat, SeatType, Showtime, utcnow
from moviebook.services import audit
from moviebook.services.errors import DomainError, FormInvalid, NotFound
from moviebook.services.layouts import (
    DEFAULT_PRICE_MODIFIERS,
    MAX_ROWS,
    MAX_SEATS_PER_ROW,
    LayoutSpec,
    capacity,
    generate_layout,
    layout_problems,
)
from moviebook.services.roles import require_role
from moviebook.services.tokens import Identity

MAX_MODIFIER_CENTS = 10_000


@dataclass(frozen=True)
class RoomSummary:
    id: int
    name: str
    rows: int
    capacity: int
    counts: dict[str, int]


def parse_aisles(text: str) -> tuple[int, ...] | None:
    parts = [p for p in (text or "").replace(",", " ").split() if p]
    if not all(p.isdecimal() and len(p) <= 2 for p in parts):
        return None
    return tuple(sorted({int(p) for p in parts}))


def create_auditorium(session: Session, actor: Identity, raw: dict, ip: str | None = None) -> Auditorium:
    require_role(actor, Role.ADMIN.value)
    errors: dict[str, str] = {}
    name = str(raw.get("name", "")).strip()
    if not name or len(name) > 80:
        errors["name"] = "Enter a name (at most 80 characters)."
    elif session.exec(select(Auditorium.id).where(sa.func.lower(Auditorium.name) == name.lower())).first():
        errors["name"] = "A room with this name exists already."
    rows_text, per_row_text = str(raw.get("rows", "")).strip(), str(raw.get("seats_per_row", "")).strip()
    rows = int(rows_text) if rows_text.isdecimal() and len(rows_text) <= 2 else 0
    per_row = int(per_row_text) if per_row_text.isdecimal() and len(per_row_text) <= 2 else 0
    if not 1 <= rows <= MAX_ROWS:
        errors["rows"] = f"Enter 1 to {MAX_ROWS} rows."
    if not 1 <= per_row <= MAX_SEATS_PER_ROW:
        errors["seats_per_row"] = f"Enter 1 to {MAX_SEATS_PER_ROW} seats per row."
    aisles = parse_aisles(str(raw.get("aisles", "")))
    if aisles is None or (per_row and any(not 1 <= a < per_row for a in aisles)):
        errors["aisles"] = "List seat numbers after which an aisle runs, like 4, 10."
    if errors:
        raise FormInvalid(errors)
    room = Auditorium(name=name)
    session.add(room)
    session.flush()
    for spec in generate_layout(LayoutSpec(rows=rows, seats_per_row=per_row, aisles_after=aisles)):
        session.add(Seat(auditorium_id=room.id, **spec.__dict__))
    session.flush()
    audit.record(
        session,
        "auditorium.create",
        actor_id=actor.user_id,
        entity_type="auditorium",
        entity_id=room.id,
        new={"name": name, "rows": rows, "seats_per_row": per_row, "aisles_after": list(aisles)},
        ip=ip,
    )
    return room


def room_seats(session: Session, actor: Identity, auditorium_id: int) -> tuple[Auditorium, list[Seat]]:
    require_role(actor, Role.ADMIN.value)
    room = session.get(Auditorium, auditorium_id)
    if room is None:
        raise NotFound("That room does not exist.")
    seats = session.exec(select(Seat).where(Seat.auditorium_id == room.id).order_by(Seat.y, Seat.x)).all()
    return room, list(seats)


def price_modifiers(seats: list[Seat]) -> dict[str, int]:
    """Each seat type's price modifier in this room (the defaults for types it does not use)."""
    found = dict(DEFAULT_PRICE_MODIFIERS)
    for seat in seats:
        found[seat.seat_type] = seat.price_modifier_cents
    return found


def list_rooms(session: Session, actor: Identity) -> list[RoomSummary]:
    require_role(actor, Role.ADMIN.value)
    rooms = session.exec(select(Auditorium).order_by(Auditorium.name)).all()
    seats_of: dict[int, list[Seat]] = {room.id: [] for room in rooms}
    for seat in session.exec(select(Seat)):  # every room's seats in one query, not one query per room
        seats_of.setdefault(seat.auditorium_id, []).append(seat)
    summaries = []
    for room in rooms:
        seats = seats_of[room.id]
        counts: dict[str, int] = {}
        for seat in seats:
            counts[seat.seat_type] = counts.get(seat.seat_type, 0) + 1
        summaries.append(RoomSummary(room.id, room.name, len({s.row_label for s in seats}), capacity(seats), counts))
    return summaries


def _future_bookings_of(session: Session, seat_ids: list[int], now: datetime) -> list[tuple[Showtime, str]]:
    rows = session.exec(
        select(Showtime, Seat.row_label, Seat.number)
        .join(BookingSeat, BookingSeat.showtime_id == Showtime.id)
        .join(Seat, Seat.id == BookingSeat.seat_id)
        .where(col(BookingSeat.seat_id).in_(seat_ids), col(BookingSeat.is_active).is_(True), Showtime.starts_at > now)
        .order_by(Showtime.starts_at)
    ).all()
    return [(showtime, f"{row}{number}") for showtime, row, number in rows]


def set_seat_type(
    session: Session,
    actor: Identity,
    auditorium_id: int,
    seat_ids: list[int],
    seat_type: str,
    *,
    tz: ZoneInfo,
    now: datetime | None = None,
    ip: str | None = None,
) -> int:
    """Give seats a type (and that type's price in this room). Returns how many changed."""
    return set_seat_types(
        session, actor, auditorium_id, {seat_id: seat_type for seat_id in seat_ids}, tz=tz, now=now, ip=ip
    )


def set_seat_types(
    session: Session,
    actor: Identity,
    auditorium_id: int,
    types: dict[int, str],
    *,
    tz: ZoneInfo,
    now: datetime | None = None,
    ip: str | None = None,
) -> int:
    """Give each seat (by id) its type, all at once: the editor's one type for a selection, or a
    whole layout. The layout is checked as it would be after every change, and a booked seat is
    never blocked. Each changed seat gets its type's price in this room. Returns how many changed."""
    require_role(actor, Role.ADMIN.value)
    if any(kind not in set(SeatType) for kind in types.values()):
        raise DomainError("Unknown seat type.")
    room, seats = room_seats(session, actor, auditorium_id)
    chosen = {s.id: s for s in seats if s.id in types}
    if not chosen or len(chosen) != len(types):
        raise DomainError("Choose seats of this room.")
    changing = [s for s in chosen.values() if s.seat_type != types[s.id]]
    if not changing:
        return 0
    blocking = [s.id for s in changing if types[s.id] == SeatType.BLOCKED]
    booked = _future_bookings_of(session, blocking, now or utcnow()) if blocking else []
    if booked:
        listed = "; ".join(
            f"{label} for {show.starts_at.astimezone(tz):%a %d %b %H:%M} (showtime #{show.id})"
            for show, label in booked[:5]
        )
        raise DomainError(f"Booked seats cannot be blocked: {listed}. Cancel those bookings or showtimes first.")
    # Check the layout as it would be, before changing anything.
    after = [replace_type(s, types[s.id]) if s.id in chosen else s for s in seats]
    problems = layout_problems(after)
    if problems:
        raise DomainError(" ".join(problems[:3]))
    modifiers = price_modifiers(seats)
    old_types = {f"{s.row_label}{s.number}": s.seat_type for s in changing}
    for seat in changing:
        seat.seat_type, seat.price_modifier_cents = types[seat.id], modifiers[types[seat.id]]
    room.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        "auditorium.seat_types",
        actor_id=actor.user_id,
        entity_type="auditorium",
        entity_id=room.id,
        old={"seats": old_types},
        new={"seats": {f"{s.row_label}{s.number}": s.seat_type for s in changing}},
        ip=ip,
    )
    return len(changing)


@dataclass(frozen=True)
class _SeatView:
    """A seat with a hypothetical type, for checking a layout before it is saved."""

    row_label: str
    number: int
    x: int
    y: int
    seat_type: str


def replace_type(seat: Seat, seat_type: str) -> _SeatView:
    return _SeatView(seat.row_label, seat.number, seat.x, seat.y, seat_type)


def set_type_price(
    session: Session, actor: Identity, auditorium_id: int, seat_type: str, modifier_cents: int, ip: str | None = None
) -> None:
    require_role(actor, Role.ADMIN.value)
    if seat_type not in set(SeatType) or seat_type == SeatType.BLOCKED:
        raise DomainError("Choose a seat type that is sold.")
    if not -MAX_MODIFIER_CENTS <= modifier_cents <= MAX_MODIFIER_CENTS:
        raise DomainError("Enter a modifier between -100.00 and 100.00.")
    room, seats = room_seats(session, actor, auditorium_id)
    old = price_modifiers(seats)[seat_type]
    for seat in seats:
        if seat.seat_type == seat_type:
            seat.price_modifier_cents = modifier_cents
    session.flush()
    audit.record(
        session,
        "auditorium.price",
        actor_id=actor.user_id,
        entity_type="auditorium",
        entity_id=room.id,
        old={seat_type: old},
        new={seat_type: modifier_cents},
        ip=ip,
    )
