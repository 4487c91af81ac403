"""``/api/v1/admin/showtimes``: the schedule over HTTP, on the showtimes page's services."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import func, select

from moviebook.models import Booking, Showtime
from tests.factories import (
    local_day_ahead,
    local_time_ahead,
    make_auditorium,
    make_booking,
    make_movie,
    make_showtime,
    make_user,
    tag,
)
from tests.integration.api_admin_support import assert_refused, field_errors, problem
from tests.integration.api_support import user_with_token

SHOWTIMES = "/api/v1/admin/showtimes"


def _film_and_room(app_session):
    movie = make_movie(app_session, f"Sched {tag()}", runtime=100)
    room = make_auditorium(app_session, f"Screen {tag()}")
    return movie, room


def _new(movie, room, starts_at, **fields) -> dict:
    return {
        "movie_id": movie.id,
        "auditorium_id": room.id,
        "starts_at": starts_at.isoformat(),
        "base_price_cents": 1150,
    } | fields


def _count(app_session, room) -> int:
    return app_session.exec(select(func.count()).select_from(Showtime).where(Showtime.auditorium_id == room.id)).one()


def test_schedule_list_edit_and_cancel(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    movie, room = _film_and_room(app_session)
    app_session.commit()
    starts = local_time_ahead(3, 19, 30)
    made = api.post(SHOWTIMES, json=_new(movie, room, starts, format="3D"), headers=admin)
    assert made.status_code == 201, made.text
    show = made.json()
    assert show["format"] == "3D" and show["base_price_cents"] == 1150 and show["language"] == movie.language
    assert show["starts_at"].startswith(starts.isoformat()[:16])
    row = app_session.get(Showtime, show["id"])
    assert row.starts_at == starts and row.ends_at > starts

    day = api.get(SHOWTIMES, params={"day": local_day_ahead(3).isoformat()}, headers=admin).json()
    listed = next(s for s in day["showtimes"] if s["id"] == show["id"])
    assert listed["movie_title"] == movie.title and listed["auditorium_name"] == room.name
    assert listed["bookings"] == 0 and not listed["is_cancelled"]

    moved = api.patch(
        f"{SHOWTIMES}/{show['id']}", json={"starts_at": (starts + timedelta(hours=1)).isoformat()}, headers=admin
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["format"] == "3D" and moved.json()["base_price_cents"] == 1150  # the rest kept
    app_session.refresh(row)
    assert row.starts_at == starts + timedelta(hours=1)

    customer = make_user(app_session)
    booking = make_booking(app_session, customer, row, {"A1": 1150})
    app_session.commit()
    refused = problem(api.patch(f"{SHOWTIMES}/{row.id}", json={"starts_at": starts.isoformat()}, headers=admin), 409)
    assert "People have booked" in refused["detail"]

    cancelled = api.post(f"{SHOWTIMES}/{row.id}/cancel", headers=admin)
    assert cancelled.json() == {"id": row.id, "bookings_refunded": 1}
    app_session.expire_all()
    assert app_session.get(Showtime, row.id).is_cancelled
    assert app_session.get(Booking, booking.id).status == "cancelled"
    problem(api.post(f"{SHOWTIMES}/{2**31 - 1}/cancel", headers=admin), 404, "not-found")


def test_an_overlap_is_a_409_naming_the_other_showtime(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    movie, room = _film_and_room(app_session)
    other = make_movie(app_session, f"In the way {tag()}", runtime=120)
    there = make_showtime(app_session, other, room, local_time_ahead(4, 18))
    later = make_showtime(app_session, movie, room, local_time_ahead(4, 23))
    app_session.commit()
    before = _count(app_session, room)

    clash = problem(api.post(SHOWTIMES, json=_new(movie, room, local_time_ahead(4, 19)), headers=admin), 409)
    assert clash["type"] == "urn:moviebook:problem:showtime-clash"
    assert clash["clashing_showtime_id"] == there.id
    assert other.title in clash["detail"] and room.name in clash["detail"] and f"#{there.id}" in clash["detail"]
    assert "18:00" in clash["detail"]
    assert _count(app_session, room) == before

    moved = api.patch(f"{SHOWTIMES}/{later.id}", json={"starts_at": local_time_ahead(4, 19).isoformat()}, headers=admin)
    assert problem(moved, 409, "showtime-clash")["clashing_showtime_id"] == there.id
    app_session.refresh(later)
    assert later.starts_at == local_time_ahead(4, 23)


def test_invalid_showtimes_are_422_with_field_errors(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    movie, room = _film_and_room(app_session)
    app_session.commit()
    before = _count(app_session, room)
    past = _new(movie, room, local_time_ahead(-2, 18))
    assert field_errors(api.post(SHOWTIMES, json=past, headers=admin)) == {"starts_at"}
    wrong = _new(movie, room, local_time_ahead(3, 18), format="8K", base_price_cents=-5)
    assert field_errors(api.post(SHOWTIMES, json=wrong, headers=admin)) == {"format", "base_price_cents"}
    naive = _new(movie, room, local_time_ahead(3, 18)) | {"starts_at": "2030-01-01T18:00:00"}
    assert field_errors(api.post(SHOWTIMES, json=naive, headers=admin)) == {"starts_at"}
    no_film = _new(movie, room, local_time_ahead(3, 18)) | {"movie_id": 2**31 - 1}
    assert field_errors(api.post(SHOWTIMES, json=no_film, headers=admin)) == {"movie_id"}
    assert field_errors(api.get(SHOWTIMES, params={"day": "1066-10-14"}, headers=admin)) == {"day"}
    assert _count(app_session, room) == before


def test_a_moviegoer_and_a_guest_change_nothing(api, app_session):
    _, moviegoer = user_with_token(api, app_session)
    movie, room = _film_and_room(app_session)
    show = make_showtime(app_session, movie, room, local_time_ahead(5, 18))
    app_session.commit()
    before = _count(app_session, room)
    assert_refused(api, moviegoer, "GET", SHOWTIMES)
    assert_refused(api, moviegoer, "POST", SHOWTIMES, json=_new(movie, room, local_time_ahead(5, 22)))
    assert_refused(
        api, moviegoer, "PATCH", f"{SHOWTIMES}/{show.id}", json={"starts_at": local_time_ahead(6, 18).isoformat()}
    )
    assert_refused(api, moviegoer, "POST", f"{SHOWTIMES}/{show.id}/cancel")
    app_session.refresh(show)
    assert not show.is_cancelled and show.starts_at == local_time_ahead(5, 18)
    assert _count(app_session, room) == before
