from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from moviebook.models import AuditEntry, Booking, BookingSeat, Seat
from moviebook.services.auditoriums import create_auditorium, list_rooms, room_seats, set_seat_type, set_type_price
from moviebook.services.errors import DomainError, FormInvalid
from moviebook.services.layouts import LayoutSpec, couple_pairs, generate_layout, layout_problems
from tests.factories import identity_for, make_movie, make_showtime, make_user

TZ = ZoneInfo("Europe/London")
NOW = datetime(2030, 5, 1, 10, tzinfo=timezone.utc)


@pytest.fixture
def admin(session):
    return identity_for(make_user(session, "ada@example.com", name="Ada", role="admin"))


def seats_by_label(seats):
    return {f"{s.row_label}{s.number}": s for s in seats}


def test_couple_seats_pair_up_from_the_left_within_a_row():
    seats = generate_layout(LayoutSpec(rows=1, seats_per_row=6, aisles_after=(2,), row_types={"A": "couple"}))
    pairs = couple_pairs(seats)
    assert pairs[("A", 1)] == ("A", 2) and pairs[("A", 3)] == ("A", 4) and pairs[("A", 6)] == ("A", 5)
    assert layout_problems(seats) == []


def test_an_odd_couple_seat_and_an_aisle_split_pair_are_problems():
    odd = generate_layout(LayoutSpec(rows=1, seats_per_row=3, row_types={"A": "couple"}))
    assert layout_problems(odd) == ["Couple seat A3 needs a couple seat right next to it."]
    split = generate_layout(
        LayoutSpec(rows=1, seats_per_row=4, aisles_after=(1,), seat_types={("A", 1): "couple", ("A", 2): "couple"})
    )
    assert len(layout_problems(split)) == 2  # an aisle between them: not side by side


def test_a_wheelchair_space_needs_a_companion_seat_beside_it():
    alone = generate_layout(LayoutSpec(rows=1, seats_per_row=3, seat_types={("A", 2): "wheelchair"}))
    assert layout_problems(alone) == ["Wheelchair space A2 needs a companion seat right next to it."]
    paired = generate_layout(
        LayoutSpec(rows=1, seats_per_row=3, seat_types={("A", 2): "wheelchair", ("A", 3): "companion"})
    )
    assert layout_problems(paired) == []


def test_create_a_room_from_the_generator(session, admin):
    room = create_auditorium(session, admin, {"name": "Screen 7", "rows": "8", "seats_per_row": "12", "aisles": "6"})
    _, seats = room_seats(session, admin, room.id)
    assert len(seats) == 96 and max(s.x for s in seats) == 12  # one empty aisle column
    summary = list_rooms(session, admin)[0]
    assert (summary.name, summary.rows, summary.capacity) == ("Screen 7", 8, 96)
    assert session.exec(select(AuditEntry.action)).one() == "auditorium.create"


def test_create_room_validation(session, admin):
    create_auditorium(session, admin, {"name": "Screen 7", "rows": "2", "seats_per_row": "2", "aisles": ""})
    with pytest.raises(FormInvalid) as caught:
        create_auditorium(session, admin, {"name": "screen 7", "rows": "0", "seats_per_row": "99", "aisles": "x"})
    assert set(caught.value.errors) == {"name", "rows", "seats_per_row", "aisles"}


def test_seat_types_change_with_their_price_and_capacity_follows(session, admin):
    room = create_auditorium(session, admin, {"name": "R", "rows": "2", "seats_per_row": "4", "aisles": ""})
    _, seats = room_seats(session, admin, room.id)
    by = seats_by_label(seats)
    set_type_price(session, admin, room.id, "premium", 450)  # no premium seats yet: nothing to price
    assert set_seat_type(session, admin, room.id, [by["B1"].id, by["B2"].id], "premium", tz=TZ, now=NOW) == 2
    set_type_price(session, admin, room.id, "premium", 450)
    assert by["B1"].price_modifier_cents == 450 and by["A1"].price_modifier_cents == 0
    set_seat_type(session, admin, room.id, [by["A4"].id], "blocked", tz=TZ, now=NOW)
    assert list_rooms(session, admin)[0].capacity == 7


def test_layout_rules_are_enforced_when_editing(session, admin):
    room = create_auditorium(session, admin, {"name": "R", "rows": "1", "seats_per_row": "4", "aisles": ""})
    _, seats = room_seats(session, admin, room.id)
    by = seats_by_label(seats)
    with pytest.raises(DomainError, match="Couple seat A1 needs"):
        set_seat_type(session, admin, room.id, [by["A1"].id], "couple", tz=TZ, now=NOW)
    with pytest.raises(DomainError, match="Wheelchair space A4 needs"):
        set_seat_type(session, admin, room.id, [by["A4"].id], "wheelchair", tz=TZ, now=NOW)
    assert {s.seat_type for s in seats} == {"regular"}  # nothing half-applied
    set_seat_type(session, admin, room.id, [by["A1"].id, by["A2"].id], "couple", tz=TZ, now=NOW)
    set_seat_type(session, admin, room.id, [by["A3"].id], "companion", tz=TZ, now=NOW)
    set_seat_type(session, admin, room.id, [by["A4"].id], "wheelchair", tz=TZ, now=NOW)
    assert [s.seat_type for s in seats] == ["couple", "couple", "companion", "wheelchair"]


def test_a_seat_booked_for_a_future_showtime_cannot_be_blocked(session, admin):
    room = create_auditorium(session, admin, {"name": "R", "rows": "1", "seats_per_row": "2", "aisles": ""})
    _, seats = room_seats(session, admin, room.id)
    show = make_showtime(session, make_movie(session), room, NOW + timedelta(days=2))
    booking = Booking(user_id=admin.user_id, showtime_id=show.id, code="Q1", total_cents=1, idempotency_key="k")
    session.add(booking)
    session.flush()
    session.add(
        BookingSeat(booking_id=booking.id, showtime_id=show.id, seat_id=seats[0].id, unit_price_cents=1, price_cents=1)
    )
    session.flush()
    with pytest.raises(DomainError, match=rf"A1 for .* \(showtime #{show.id}\)"):
        set_seat_type(session, admin, room.id, [seats[0].id], "blocked", tz=TZ, now=NOW)
    set_seat_type(session, admin, room.id, [seats[0].id], "premium", tz=TZ, now=NOW)  # still sellable: fine
    set_seat_type(session, admin, room.id, [seats[1].id], "blocked", tz=TZ, now=NOW)  # unbooked: fine
    assert session.exec(select(Seat.seat_type).order_by(Seat.x)).all() == ["premium", "blocked"]


def test_seats_of_another_room_are_refused(session, admin):
    a = create_auditorium(session, admin, {"name": "A", "rows": "1", "seats_per_row": "2", "aisles": ""})
    b = create_auditorium(session, admin, {"name": "B", "rows": "1", "seats_per_row": "2", "aisles": ""})
    _, b_seats = room_seats(session, admin, b.id)
    with pytest.raises(DomainError, match="Choose seats of this room"):
        set_seat_type(session, admin, a.id, [b_seats[0].id], "premium", tz=TZ, now=NOW)
