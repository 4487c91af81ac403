"""``/api/v1/admin/rooms``: rooms and seat layouts over HTTP, on the rooms page's services."""

from __future__ import annotations

from sqlmodel import select

from moviebook.models import Auditorium, Seat
from tests.factories import make_auditorium, make_booking, make_showtime_ahead, make_user, tag
from tests.integration.api_admin_support import assert_refused, field_errors, problem
from tests.integration.api_support import user_with_token

ROOMS = "/api/v1/admin/rooms"


def _types(app_session, room_id: int) -> dict[str, str]:
    app_session.expire_all()
    seats = app_session.exec(select(Seat).where(Seat.auditorium_id == room_id)).all()
    return {f"{s.row_label}{s.number}": s.seat_type for s in seats}


def test_create_a_room_read_it_and_save_its_layout(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    name = f"Screen {tag()}"
    made = api.post(ROOMS, json={"name": name, "rows": 3, "seats_per_row": 6, "aisles_after": [3]}, headers=admin)
    assert made.status_code == 201, made.text
    room = made.json()
    assert room["capacity"] == 18 and len(room["seats"]) == 18
    assert {s["x"] for s in room["seats"] if s["row_label"] == "A"} == {0, 1, 2, 4, 5, 6}  # the aisle column
    assert any(
        r["id"] == room["id"] and r["seat_counts"] == {"regular": 18} for r in api.get(ROOMS, headers=admin).json()
    )

    seat = {f"{s['row_label']}{s['number']}": s["id"] for s in room["seats"]}
    layout = {
        "seats": [
            {"id": seat["A1"], "seat_type": "wheelchair"},
            {"id": seat["A2"], "seat_type": "companion"},
            {"id": seat["C5"], "seat_type": "couple"},
            {"id": seat["C6"], "seat_type": "couple"},
            {"id": seat["B6"], "seat_type": "blocked"},
        ],
        "price_modifiers": {"couple": 450},
    }
    saved = api.put(f"{ROOMS}/{room['id']}/layout", json=layout, headers=admin)
    assert saved.status_code == 200, saved.text
    assert saved.json()["capacity"] == 17 and saved.json()["price_modifiers"]["couple"] == 450
    types = _types(app_session, room["id"])
    assert (types["A1"], types["A2"], types["C5"], types["B6"], types["A3"]) == (
        "wheelchair",
        "companion",
        "couple",
        "blocked",
        "regular",
    )
    assert api.get(f"{ROOMS}/{room['id']}", headers=admin).json() == saved.json()


def test_the_editors_checks_hold_all_or_nothing(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    room = make_auditorium(app_session, f"Checked {tag()}", rows=2, seats_per_row=4)
    show = make_showtime_ahead(app_session, room=room)
    make_booking(app_session, make_user(app_session), show, {"B2": 1000})
    app_session.commit()
    seat = {
        f"{s.row_label}{s.number}": s.id for s in app_session.exec(select(Seat).where(Seat.auditorium_id == room.id))
    }
    before = _types(app_session, room.id)
    url = f"{ROOMS}/{room.id}/layout"

    lonely = {"seats": [{"id": seat["A1"], "seat_type": "premium"}, {"id": seat["A4"], "seat_type": "couple"}]}
    assert "Couple seat A4" in problem(api.put(url, json=lonely, headers=admin), 422)["detail"]
    booked = {"seats": [{"id": seat["B2"], "seat_type": "blocked"}]}
    assert f"showtime #{show.id}" in problem(api.put(url, json=booked, headers=admin), 422)["detail"]
    other = make_auditorium(app_session, f"Other {tag()}")
    app_session.commit()
    foreign = app_session.exec(select(Seat.id).where(Seat.auditorium_id == other.id)).first()
    problem(api.put(url, json={"seats": [{"id": foreign, "seat_type": "premium"}]}, headers=admin), 422)
    problem(api.put(url, json={"seats": [{"id": seat["A1"], "seat_type": "throne"}]}, headers=admin), 422)
    problem(api.put(url, json={"price_modifiers": {"premium": 10**6}}, headers=admin), 422)
    assert _types(app_session, room.id) == before
    problem(api.put(f"{ROOMS}/{2**31 - 1}/layout", json={}, headers=admin), 404, "not-found")
    problem(api.get(f"{ROOMS}/{2**31 - 1}", headers=admin), 404, "not-found")


def test_invalid_rooms_are_422_with_field_errors(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    taken = make_auditorium(app_session, f"Taken {tag()}")
    app_session.commit()
    bad = {"name": taken.name.upper(), "rows": 0, "seats_per_row": 41, "aisles_after": [50]}
    assert field_errors(api.post(ROOMS, json=bad, headers=admin)) == {"name", "rows", "seats_per_row", "aisles_after"}
    assert field_errors(api.post(ROOMS, json={"name": "No size"}, headers=admin)) == {"rows", "seats_per_row"}
    assert len(app_session.exec(select(Auditorium).where(Auditorium.name.ilike(taken.name))).all()) == 1


def test_a_moviegoer_and_a_guest_change_nothing(api, app_session):
    _, moviegoer = user_with_token(api, app_session)
    room = make_auditorium(app_session, f"Kept {tag()}")
    app_session.commit()
    seat_id = app_session.exec(select(Seat.id).where(Seat.auditorium_id == room.id)).first()
    before = _types(app_session, room.id)
    name = f"Refused {tag()}"
    assert_refused(api, moviegoer, "GET", ROOMS)
    assert_refused(api, moviegoer, "POST", ROOMS, json={"name": name, "rows": 2, "seats_per_row": 2})
    assert_refused(api, moviegoer, "GET", f"{ROOMS}/{room.id}")
    layout = {"seats": [{"id": seat_id, "seat_type": "blocked"}]}
    assert_refused(api, moviegoer, "PUT", f"{ROOMS}/{room.id}/layout", json=layout)
    assert _types(app_session, room.id) == before
    assert not app_session.exec(select(Auditorium).where(Auditorium.name == name)).first()
