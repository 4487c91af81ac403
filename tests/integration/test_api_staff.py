"""``/api/v1/staff/reservations``, ``/api/v1/staff/checkin`` and
``/api/v1/admin/reservations/{id}/cancel`` over HTTP, on real PostgreSQL and Redis: what staff
find, who gets in at the door, and what an admin's cancel changes in the database."""

from __future__ import annotations

from sqlmodel import select

from moviebook.models import AuditEntry, Booking, BookingSeat
from tests.factories import (
    local_day_ahead,
    make_auditorium,
    make_booking,
    make_movie,
    make_showtime,
    make_showtime_ahead,
    make_user,
    started_minutes_ago,
    tag,
)
from tests.integration.api_admin_support import assert_refused, field_errors, problem
from tests.integration.api_support import user_with_token

RESERVATIONS = "/api/v1/staff/reservations"
CHECKIN = "/api/v1/staff/checkin"


def _cancel_url(booking_id: int) -> str:
    return f"/api/v1/admin/reservations/{booking_id}/cancel"


def _booking(app_session, booking_id: int) -> Booking:
    app_session.expire_all()
    return app_session.get(Booking, booking_id)


def _active_seats(app_session, booking_id: int) -> list[bool]:
    app_session.expire_all()
    return list(app_session.exec(select(BookingSeat.is_active).where(BookingSeat.booking_id == booking_id)))


def _audit(app_session, action: str, booking_id: int) -> list[AuditEntry]:
    return list(
        app_session.exec(select(AuditEntry).where(AuditEntry.action == action, AuditEntry.entity_id == str(booking_id)))
    )


def _seat_states(api, show_id: int) -> dict[str, str]:
    body = api.get(f"/api/v1/showtimes/{show_id}/seats").json()
    return {s["label"]: s["state"] for row in body["rows"] for s in row["seats"]}


def _running_show(app_session, title: str | None = None):
    """A show that started five minutes ago: the door admits it whatever the hour."""
    name = tag()
    movie = make_movie(app_session, title or f"Door Film {name}")
    room = make_auditorium(app_session, f"Door Room {name}")
    return make_showtime(app_session, movie, room, started_minutes_ago(5))


# --- GET /staff/reservations -------------------------------------------------------------------


def test_staff_and_admins_page_through_one_shows_bookings(api, app_session):
    _, staff = user_with_token(api, app_session, role="staff")
    _, admin = user_with_token(api, app_session, role="admin")
    show = make_showtime_ahead(app_session)
    buyers = [make_user(app_session, name=f"Buyer {n}") for n in range(3)]
    made = [make_booking(app_session, b, show, {f"A{n + 1}": 1000 + n}) for n, b in enumerate(buyers)]
    app_session.commit()

    first = api.get(RESERVATIONS, params={"showtime_id": show.id, "page_size": 2}, headers=staff)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["total"] == 3 and body["pages"] == 2 and body["page"] == 1
    assert [r["id"] for r in body["items"]] == [made[0].id, made[1].id]  # same start: by id
    row = body["items"][0]
    assert row["code"] == made[0].code and row["customer_email"] == buyers[0].email
    assert row["customer_name"] == "Buyer 0" and row["showtime_id"] == show.id
    assert row["seat_count"] == 1 and row["total_cents"] == 1000 and row["status"] == "confirmed"
    assert row["checked_in_at"] is None and row["refund_cents"] == 0

    second = api.get(RESERVATIONS, params={"showtime_id": show.id, "page_size": 2, "page": 2}, headers=admin).json()
    assert [r["id"] for r in second["items"]] == [made[2].id] and second["page"] == 2
    past_the_end = api.get(RESERVATIONS, params={"showtime_id": show.id, "page_size": 2, "page": 9}, headers=staff)
    assert past_the_end.json()["page"] == 2  # a page past the end answers with the last one

    by_total = api.get(
        RESERVATIONS, params={"showtime_id": show.id, "sort": "total", "descending": True}, headers=staff
    ).json()
    assert [r["total_cents"] for r in by_total["items"]] == [1002, 1001, 1000]


def test_the_filters_narrow_the_list(api, app_session):
    _, staff = user_with_token(api, app_session, role="staff")
    mark = tag()
    movie = make_movie(app_session, f"Filter Film {mark}")
    room = make_auditorium(app_session, f"Filter Room {mark}")
    near = make_showtime_ahead(app_session, movie, room, days=2)
    far = make_showtime_ahead(app_session, movie, room, days=4)
    buyer = make_user(app_session, f"filter-{mark}@example.com", name="Filter Buyer")
    live = make_booking(app_session, buyer, near, {"A1": 1000})
    gone = make_booking(app_session, buyer, near, {"A2": 1000}, status="cancelled")
    later = make_booking(app_session, buyer, far, {"A1": 1000})
    app_session.commit()

    def ids(**params) -> list[int]:
        response = api.get(RESERVATIONS, params=params, headers=staff)
        assert response.status_code == 200, response.text
        return [r["id"] for r in response.json()["items"]]

    assert ids(movie_id=movie.id) == [live.id, gone.id, later.id]
    assert ids(movie_id=movie.id, status="cancelled") == [gone.id]
    assert ids(movie_id=movie.id, status="confirmed") == [live.id, later.id]
    day = local_day_ahead(4).isoformat()
    assert ids(movie_id=movie.id, **{"from": day, "to": day}) == [later.id]
    assert ids(movie_id=movie.id, to=local_day_ahead(2).isoformat()) == [live.id, gone.id]
    assert ids(q=f"filter-{mark}") == [live.id, gone.id, later.id]  # part of the email
    typed = later.code.lower().replace("-", " ")  # as a person types it
    assert ids(q=typed) == [later.id]

    assert field_errors(api.get(RESERVATIONS, params={"from": day, "to": "2000-01-01"}, headers=staff)) == {"to"}
    assert field_errors(api.get(RESERVATIONS, params={"status": "lost"}, headers=staff)) == {"status"}
    assert field_errors(api.get(RESERVATIONS, params={"page_size": 101}, headers=staff)) == {"page_size"}
    assert field_errors(api.get(RESERVATIONS, params={"sort": "password"}, headers=staff)) == {"sort"}


def test_a_counter_sale_is_listed_with_its_customer_email(api, app_session):
    """A box-office sale has no account (``user_id`` is NULL): staff must still find it."""
    _, staff = user_with_token(api, app_session, role="staff")
    seller = make_user(app_session, role="staff", name="Seller")
    show = make_showtime_ahead(app_session)
    email = f"walk-in-{tag()}@example.com"
    sale = make_booking(app_session, None, show, {"B1": 900}, channel="counter", sold_by=seller, customer_email=email)
    app_session.commit()
    body = api.get(RESERVATIONS, params={"showtime_id": show.id}, headers=staff).json()
    assert [r["id"] for r in body["items"]] == [sale.id] and body["total"] == 1
    assert body["items"][0]["customer_email"] == email and body["items"][0]["customer_name"] == "Counter sale"
    assert [r["id"] for r in api.get(RESERVATIONS, params={"q": email}, headers=staff).json()["items"]] == [sale.id]


def test_a_moviegoer_and_a_guest_see_no_reservations(api, app_session):
    _, moviegoer = user_with_token(api, app_session)
    assert_refused(api, moviegoer, "GET", RESERVATIONS)


# --- POST /admin/reservations/{id}/cancel ------------------------------------------------------


def test_an_admin_cancels_with_a_reason_and_the_seats_are_free_again(api, app_session):
    admin_id, admin = user_with_token(api, app_session, role="admin")
    show = make_showtime_ahead(app_session)
    buyer = make_user(app_session)
    booking = make_booking(app_session, buyer, show, {"A1": 1200, "A2": 1200})
    app_session.commit()
    assert _seat_states(api, show.id)["A1"] == "sold"

    response = api.post(_cancel_url(booking.id), json={"reason": "  The projector   broke. "}, headers=admin)
    assert response.status_code == 200, response.text
    assert response.json() == {"id": booking.id, "status": "cancelled", "refund_cents": 2400}

    row = _booking(app_session, booking.id)
    assert row.status == "cancelled" and row.refund_cents == 2400 and row.cancelled_at is not None
    assert row.cancel_reason == "The projector broke."
    assert _active_seats(app_session, booking.id) == [False, False]
    states = _seat_states(api, show.id)
    assert (states["A1"], states["A2"]) == ("free", "free")
    audit = _audit(app_session, "booking.admin_cancel", booking.id)
    assert len(audit) == 1 and audit[0].actor_id == admin_id

    listed = api.get(RESERVATIONS, params={"showtime_id": show.id}, headers=admin).json()["items"]
    assert [(r["status"], r["refund_cents"]) for r in listed] == [("cancelled", 2400)]

    # Twice: a problem saying so, and nothing changes (no second refund, no second audit line).
    again = problem(api.post(_cancel_url(booking.id), json={"reason": "Once more"}, headers=admin), 422)
    assert again["type"] == "urn:moviebook:problem:domain-error" and "already cancelled" in again["detail"]
    row = _booking(app_session, booking.id)
    assert row.cancel_reason == "The projector broke." and row.refund_cents == 2400
    assert len(_audit(app_session, "booking.admin_cancel", booking.id)) == 1


def test_cancel_needs_a_reason_and_a_booking_that_exists(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    show = make_showtime_ahead(app_session)
    booking = make_booking(app_session, make_user(app_session), show, {"A1": 1000})
    app_session.commit()
    assert field_errors(api.post(_cancel_url(booking.id), json={"reason": " x "}, headers=admin)) == {"reason"}
    assert field_errors(api.post(_cancel_url(booking.id), json={"reason": "y" * 301}, headers=admin)) == {"reason"}
    assert field_errors(api.post(_cancel_url(booking.id), json={}, headers=admin)) == {"reason"}
    assert _booking(app_session, booking.id).status == "confirmed"
    assert _active_seats(app_session, booking.id) == [True]

    problem(api.post(_cancel_url(2**31 - 1), json={"reason": "No such booking"}, headers=admin), 404, "not-found")
    assert field_errors(api.post(_cancel_url(2**31), json={"reason": "Too big an id"}, headers=admin)) == {"booking_id"}


def test_a_show_that_has_ended_cannot_be_cancelled(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    name = tag()
    movie = make_movie(app_session, f"Old Film {name}", runtime=60)
    room = make_auditorium(app_session, f"Old Room {name}")
    show = make_showtime(app_session, movie, room, started_minutes_ago(180))
    booking = make_booking(app_session, make_user(app_session), show, {"A1": 1000})
    app_session.commit()
    body = problem(api.post(_cancel_url(booking.id), json={"reason": "Too late now"}, headers=admin), 422)
    assert "ended" in body["detail"]
    assert _booking(app_session, booking.id).status == "confirmed"


def test_only_an_admin_may_cancel(api, app_session):
    _, moviegoer = user_with_token(api, app_session)
    _, staff = user_with_token(api, app_session, role="staff")
    show = make_showtime_ahead(app_session)
    booking = make_booking(app_session, make_user(app_session), show, {"A1": 1000})
    app_session.commit()
    url, body = _cancel_url(booking.id), {"reason": "Not allowed to"}
    assert_refused(api, moviegoer, "POST", url, json=body)
    problem(api.post(url, json=body, headers=staff), 403, "forbidden")
    row = _booking(app_session, booking.id)
    assert row.status == "confirmed" and row.cancel_reason is None
    assert _active_seats(app_session, booking.id) == [True]


# --- POST /staff/checkin -----------------------------------------------------------------------


def test_a_valid_code_is_admitted_once(api, app_session):
    staff_id, staff = user_with_token(api, app_session, role="staff", name="Door Keeper")
    show = _running_show(app_session)
    buyer = make_user(app_session, name="Ticket Holder")
    booking = make_booking(app_session, buyer, show, {"A1": 1000, "A2": 1000})
    app_session.commit()

    typed = f" {booking.code.lower()} "  # case and spaces are forgiven
    first = api.post(CHECKIN, json={"code": typed, "showtime_id": show.id}, headers=staff)
    assert first.status_code == 200, first.text
    verdict = first.json()
    assert verdict["kind"] == "checked_in" and verdict["booking_id"] == booking.id
    assert verdict["customer"] == "Ticket Holder" and verdict["seats"] == ["A1", "A2"]
    assert verdict["showtime_id"] == show.id and verdict["checked_in_by"] == "Door Keeper"
    row = _booking(app_session, booking.id)
    assert row.checked_in_at is not None and row.checked_in_by == staff_id
    assert len(_audit(app_session, "booking.checkin", booking.id)) == 1

    second = api.post(CHECKIN, json={"code": booking.code}, headers=staff)
    assert second.status_code == 200, second.text
    again = second.json()
    assert again["kind"] == "already_checked_in" and again["checked_in_by"] == "Door Keeper"
    assert "Door Keeper" in again["detail"]
    row_after = _booking(app_session, booking.id)
    assert row_after.checked_in_at == row.checked_in_at  # the first check-in stands
    listed = api.get(RESERVATIONS, params={"showtime_id": show.id}, headers=staff).json()["items"]
    assert listed[0]["checked_in_at"] is not None


def test_an_admin_may_check_in_too(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    show = _running_show(app_session)
    booking = make_booking(app_session, make_user(app_session), show, {"B1": 1000})
    app_session.commit()
    assert api.post(CHECKIN, json={"code": booking.code}, headers=admin).json()["kind"] == "checked_in"
    assert _booking(app_session, booking.id).checked_in_at is not None


def test_unknown_cancelled_and_wrong_show_codes_are_refused_and_nothing_changes(api, app_session):
    _, staff = user_with_token(api, app_session, role="staff")
    show = _running_show(app_session)
    other = _running_show(app_session)
    later = make_showtime_ahead(app_session, days=3)
    buyer = make_user(app_session)
    gone = make_booking(app_session, buyer, show, {"A1": 1000}, status="cancelled")
    elsewhere = make_booking(app_session, buyer, other, {"A1": 1000})
    tomorrow = make_booking(app_session, buyer, later, {"A1": 1000})
    app_session.commit()

    unknown = api.post(CHECKIN, json={"code": "ZZZZ-ZZZZ"}, headers=staff)
    assert unknown.status_code == 200, unknown.text
    assert unknown.json()["kind"] == "unknown" and unknown.json()["booking_id"] is None
    empty = api.post(CHECKIN, json={"code": "  "}, headers=staff).json()
    assert empty["kind"] == "unknown" and empty["headline"] == "Enter a booking code"

    cancelled = api.post(CHECKIN, json={"code": gone.code}, headers=staff).json()
    assert cancelled["kind"] == "cancelled" and cancelled["booking_id"] == gone.id
    assert "Cancelled by you." in cancelled["detail"]  # the reason is shown at the door

    wrong = api.post(CHECKIN, json={"code": elsewhere.code, "showtime_id": show.id}, headers=staff).json()
    assert wrong["kind"] == "wrong_showtime" and wrong["showtime_id"] == other.id
    assert api.post(CHECKIN, json={"code": tomorrow.code}, headers=staff).json()["kind"] == "wrong_day"

    for booking in (gone, elsewhere, tomorrow):
        assert _booking(app_session, booking.id).checked_in_at is None
    assert not app_session.exec(
        select(AuditEntry).where(
            AuditEntry.action == "booking.checkin",
            AuditEntry.entity_id.in_([str(b.id) for b in (gone, elsewhere, tomorrow)]),
        )
    ).all()
    assert field_errors(api.post(CHECKIN, json={"code": "A" * 41}, headers=staff)) == {"code"}
    assert field_errors(api.post(CHECKIN, json={"code": gone.code, "showtime_id": 0}, headers=staff)) == {"showtime_id"}


def test_a_counter_sale_is_admitted_at_the_door(api, app_session):
    """A walk-in's ticket has no account behind it (``user_id`` is NULL); its code still works."""
    _, staff = user_with_token(api, app_session, role="staff")
    seller = make_user(app_session, role="staff", name="Seller")
    show = _running_show(app_session)
    email = f"walk-in-{tag()}@example.com"
    sale = make_booking(app_session, None, show, {"A3": 900}, channel="counter", sold_by=seller, customer_email=email)
    app_session.commit()
    verdict = api.post(CHECKIN, json={"code": sale.code}, headers=staff).json()
    assert verdict["kind"] == "checked_in" and verdict["booking_id"] == sale.id and verdict["seats"] == ["A3"]
    assert verdict["customer"] == email
    assert _booking(app_session, sale.id).checked_in_at is not None


def test_a_moviegoer_and_a_guest_cannot_check_in(api, app_session):
    _, moviegoer = user_with_token(api, app_session)
    show = _running_show(app_session)
    booking = make_booking(app_session, make_user(app_session), show, {"A1": 1000})
    app_session.commit()
    assert_refused(api, moviegoer, "POST", CHECKIN, json={"code": booking.code})
    assert _booking(app_session, booking.id).checked_in_at is None


# --- input the database cannot take ------------------------------------------------------------


def test_text_with_a_nul_or_a_day_past_the_calendar_is_a_422_not_a_500(api, app_session):
    """PostgreSQL refuses NUL in text, and 9999-12-31 has no next day to end at: both were 500s."""
    _, admin = user_with_token(api, app_session, role="admin")
    show = make_showtime_ahead(app_session)
    booking = make_booking(app_session, make_user(app_session), show, {"A1": 1000})
    app_session.commit()
    assert field_errors(api.get(RESERVATIONS, params={"q": "ab\x00cd"}, headers=admin)) == {"q"}
    assert field_errors(api.get(RESERVATIONS, params={"from": "9999-12-31"}, headers=admin)) == {"from"}
    assert field_errors(api.get(RESERVATIONS, params={"to": "9999-12-31"}, headers=admin)) == {"to"}
    assert field_errors(api.post(CHECKIN, json={"code": booking.code + "\x00"}, headers=admin)) == {"code"}
    assert _booking(app_session, booking.id).checked_in_at is None
    nul = api.post(_cancel_url(booking.id), json={"reason": "Broken\x00 projector"}, headers=admin)
    assert field_errors(nul) == {"reason"}
    assert _booking(app_session, booking.id).status == "confirmed"
    lines = api.post(_cancel_url(booking.id), json={"reason": "The projector\nbroke."}, headers=admin)
    assert lines.status_code == 200, lines.text  # a reason typed on two lines is fine
    assert _booking(app_session, booking.id).cancel_reason == "The projector broke."
