"""The moviegoer's API over HTTP, on real PostgreSQL and Redis: holds (all or nothing, the seat
picker's limits, seen by every seat map), quotes, the idempotent confirm (also under
concurrency), bookings, cancelling and tickets."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import func, select

from moviebook.models import Booking, BookingSeat, Seat, SeatType
from moviebook.services.holds import hold_store
from moviebook.services.seat_changes import CHANNEL
from tests.factories import (
    make_auditorium,
    make_booking,
    make_movie,
    make_promotion,
    make_showtime_ahead,
    make_ticket_types,
    make_user,
    tag,
)
from tests.integration.api_support import seat_ids, user_with_token

PROBLEM = "application/problem+json"
CARD = {"card_number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123", "card_name": "Kiosk User"}


def _problem(response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["type"] == f"urn:moviebook:problem:{kind}" and body["status"] == status and body["detail"]
    return body


def _states(api, show_id: int, headers: dict | None = None) -> dict[str, str]:
    body = api.get(f"/api/v1/showtimes/{show_id}/seats", headers=headers or {}).json()
    return {s["label"]: s["state"] for row in body["rows"] for s in row["seats"]}


def _hold(api, show_id: int, headers: dict, *seat_ids: int):
    return api.post(f"/api/v1/showtimes/{show_id}/holds", json={"seat_ids": list(seat_ids)}, headers=headers)


def _confirm(api, show_id: int, headers: dict, key: str, **body):
    return api.post(
        f"/api/v1/showtimes/{show_id}/confirm",
        json={"card": CARD, **body},
        headers={**headers, "Idempotency-Key": key},
    )


def test_every_moviegoer_endpoint_needs_a_token(api, app_session):
    show = make_showtime_ahead(app_session)
    owner = make_user(app_session)
    booking = make_booking(app_session, owner, show, {"A1": 1000})
    app_session.commit()
    s, b = show.id, booking.id
    calls = [
        ("post", f"/api/v1/showtimes/{s}/holds", {"seat_ids": [1]}),
        ("delete", f"/api/v1/showtimes/{s}/holds", None),
        ("get", f"/api/v1/showtimes/{s}/ticket-types", None),
        ("post", f"/api/v1/showtimes/{s}/quote", {}),
        ("post", f"/api/v1/showtimes/{s}/confirm", {"card": CARD}),
        ("get", "/api/v1/me/bookings", None),
        ("get", f"/api/v1/me/bookings/{b}", None),
        ("post", f"/api/v1/me/bookings/{b}/cancel", None),
        ("get", f"/api/v1/me/bookings/{b}/ticket", None),
        ("get", f"/api/v1/me/bookings/{b}/ticket.ics", None),
        ("get", f"/api/v1/me/bookings/{b}/ticket.svg", None),
    ]
    for method, path, body in calls:
        response = api.request(method, path, json=body, headers={"Idempotency-Key": "key-12345678"})
        _problem(response, 401, "unauthenticated")
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert hold_store().held_by(s, owner.id) == []
    assert app_session.exec(select(Booking.status).where(Booking.id == b)).one() == "confirmed"


def test_a_hold_over_http_bumps_the_version_and_shows_as_held_to_everyone_else(api, app_session, redis_client):
    me, mine = user_with_token(api, app_session)
    _, theirs = user_with_token(api, app_session, name="Other")
    show = make_showtime_ahead(app_session)
    app_session.commit()
    seats = seat_ids(app_session, show)
    before = api.get(f"/api/v1/showtimes/{show.id}/seats", headers=theirs).json()["version"]
    listener = redis_client.pubsub(ignore_subscribe_messages=True)
    listener.subscribe(CHANNEL)
    listener.get_message(timeout=1)

    held = _hold(api, show.id, mine, seats["A2"], seats["A3"])
    assert held.status_code == 200, held.text
    body = held.json()
    assert body["seat_ids"] == sorted([seats["A2"], seats["A3"]]) and 0 < body["seconds_left"] <= 600
    assert body["version"] > before
    told = listener.get_message(timeout=2)
    assert told is not None and told["data"] in (str(show.id), str(show.id).encode())  # the open maps re-read
    listener.close()

    seen = api.get(f"/api/v1/showtimes/{show.id}/seats", headers=theirs).json()
    assert seen["version"] >= body["version"] > before
    states = {s["label"]: s["state"] for row in seen["rows"] for s in row["seats"]}
    assert (states["A2"], states["A3"], states["A1"]) == ("held", "held", "free")
    assert _states(api, show.id, mine)["A2"] == "mine"
    assert hold_store().held_by(show.id, me) == sorted([seats["A2"], seats["A3"]])


def test_holds_are_all_or_nothing_and_a_taken_seat_is_named(api, app_session):
    me, mine = user_with_token(api, app_session)
    other, theirs = user_with_token(api, app_session, name="Other")
    buyer = make_user(app_session)
    show = make_showtime_ahead(app_session)
    make_booking(app_session, buyer, show, {"B1": 1000})
    app_session.commit()
    seats = seat_ids(app_session, show)
    assert _hold(api, show.id, theirs, seats["A1"]).status_code == 200

    taken = _problem(_hold(api, show.id, mine, seats["A2"], seats["A1"]), 409, "seat-taken")
    assert "A1" in taken["detail"]
    sold = _problem(_hold(api, show.id, mine, seats["A3"], seats["B1"]), 409, "seat-taken")
    assert "B1" in sold["detail"]
    assert hold_store().held_by(show.id, me) == []  # A2 and A3 were not held either
    assert _states(api, show.id, theirs)["A2"] == "free"


def test_hold_limits_are_the_seat_pickers(api, app_session):
    me, mine = user_with_token(api, app_session)
    room = make_auditorium(app_session, f"Room {tag()}", rows=3, seats_per_row=4)
    seats = app_session.exec(select(Seat).where(Seat.auditorium_id == room.id, Seat.row_label == "A")).all()
    by_number = {s.number: s for s in seats}
    for number in (1, 2):
        by_number[number].seat_type = SeatType.COUPLE.value
    by_number[4].seat_type = SeatType.BLOCKED.value
    app_session.add_all(seats)
    show = make_showtime_ahead(app_session, make_movie(app_session), room)
    app_session.commit()
    ids = seat_ids(app_session, show)

    couple = _hold(api, show.id, mine, ids["A1"])
    assert couple.json()["seat_ids"] == sorted([ids["A1"], ids["A2"]])  # the partner comes too
    _problem(_hold(api, show.id, mine, ids["A4"]), 422, "domain-error")
    rest = [ids[f"{row}{n}"] for row in "BC" for n in range(1, 5)]  # 8 more: 10 held is the limit
    _problem(_hold(api, show.id, mine, *rest, ids["A3"]), 409, "too-many-seats")
    assert hold_store().held_by(show.id, me) == sorted([ids["A1"], ids["A2"]])

    foreign = seat_ids(app_session, make_showtime_ahead(app_session, days=3))
    app_session.commit()
    body = _problem(_hold(api, show.id, mine, ids["A3"], foreign["A1"]), 422, "invalid-request")
    assert [e["field"] for e in body["errors"]] == ["seat_ids.1"]
    body = _problem(_hold(api, show.id, mine), 422, "invalid-request")
    assert [e["field"] for e in body["errors"]] == ["seat_ids"]
    _problem(_hold(api, 2147483647, mine, ids["A3"]), 404, "not-found")


def test_releasing_some_holds_or_all_of_them(api, app_session):
    me, mine = user_with_token(api, app_session)
    show = make_showtime_ahead(app_session)
    app_session.commit()
    seats = seat_ids(app_session, show)
    _hold(api, show.id, mine, seats["A1"], seats["A2"], seats["A3"])
    version = hold_store().version(show.id)

    by_query = api.delete(f"/api/v1/showtimes/{show.id}/holds", params={"seat_ids": [seats["A1"]]}, headers=mine)
    assert by_query.status_code == 200 and by_query.json()["seat_ids"] == sorted([seats["A2"], seats["A3"]])
    assert by_query.json()["version"] > version
    by_body = api.request(
        "DELETE", f"/api/v1/showtimes/{show.id}/holds", json={"seat_ids": [seats["A2"]]}, headers=mine
    )
    assert by_body.json()["seat_ids"] == [seats["A3"]]
    everything = api.delete(f"/api/v1/showtimes/{show.id}/holds", headers=mine)
    assert everything.json() | {"version": 0} == {
        "showtime_id": show.id,
        "seat_ids": [],
        "seconds_left": 0,
        "version": 0,
    }
    assert hold_store().held_by(show.id, me) == []


def test_a_quote_prices_the_held_seats_as_the_confirm_charges_them(api, app_session):
    _, mine = user_with_token(api, app_session)
    types = make_ticket_types(app_session)
    promo = make_promotion(app_session)
    show = make_showtime_ahead(app_session, base_price_cents=1000)
    app_session.commit()
    seats = seat_ids(app_session, show)
    _hold(api, show.id, mine, seats["A1"], seats["A2"])
    child = types["Child"].id
    ask = {"tickets": [{"seat_id": seats["A2"], "ticket_type_id": child}], "promo_code": promo.code.lower()}

    quote = api.post(f"/api/v1/showtimes/{show.id}/quote", json=ask, headers=mine)
    assert quote.status_code == 200, quote.text
    body = quote.json()
    assert [(line["label"], line["ticket_type_name"]) for line in body["lines"]] == [("A1", "Adult"), ("A2", "Child")]
    adult, kid = body["lines"]
    assert adult["unit_cents"] == 1000 and kid["unit_cents"] < 1000
    assert (adult["discount_cents"], adult["fee_cents"]) == (100, 75)  # 10% off, the online fee
    assert body["promo_code"] == promo.code and body["promo_problem"] is None and body["currency"] == "GBP"
    assert body["total_cents"] == sum(
        line["unit_cents"] - line["discount_cents"] + line["fee_cents"] for line in body["lines"]
    )
    assert {t["name"] for t in body["ticket_types"]} >= {"Adult", "Child"} and body["seconds_left"] > 0

    wrong = api.post(f"/api/v1/showtimes/{show.id}/quote", json={"promo_code": "NOSUCHCODE"}, headers=mine).json()
    assert wrong["promo_code"] is None and wrong["promo_problem"]
    twice = {"tickets": [{"seat_id": seats["A1"], "ticket_type_id": child}] * 2}
    bad = _problem(api.post(f"/api/v1/showtimes/{show.id}/quote", json=twice, headers=mine), 422, "invalid-request")
    assert [e["field"] for e in bad["errors"]] == ["tickets.1.seat_id"]
    listed = api.get(f"/api/v1/showtimes/{show.id}/ticket-types", headers=mine).json()
    assert [t["id"] for t in listed] == [t["id"] for t in body["ticket_types"]]

    paid = _confirm(api, show.id, mine, "quote-then-pay-1", **ask)
    assert paid.status_code == 201, paid.text
    assert paid.json()["total_cents"] == body["total_cents"] and paid.json()["seats"] == ["A1", "A2"]


def test_confirm_makes_one_booking_and_a_retry_returns_it(api, app_session):
    me, mine = user_with_token(api, app_session)
    show = make_showtime_ahead(app_session, base_price_cents=800)
    app_session.commit()
    seats = seat_ids(app_session, show)
    _hold(api, show.id, mine, seats["B2"])

    first = _confirm(api, show.id, mine, "retry-key-0001")
    assert first.status_code == 201, first.text
    booking = first.json()
    assert booking["status"] == "confirmed" and booking["seats"] == ["B2"] and booking["total_cents"] == 875
    assert booking["can_cancel"] is True and booking["showtime_id"] == show.id
    again = _confirm(api, show.id, mine, "retry-key-0001")
    assert again.status_code == 200 and again.json() == booking
    assert _states(api, show.id)["B2"] == "sold" and hold_store().held_by(show.id, me) == []
    count = app_session.exec(select(func.count()).select_from(Booking).where(Booking.user_id == me)).one()
    assert count == 1


def test_confirm_refusals(api, app_session):
    me, mine = user_with_token(api, app_session)
    show = make_showtime_ahead(app_session)
    app_session.commit()
    seats = seat_ids(app_session, show)
    _problem(_confirm(api, show.id, mine, "nothing-held-1"), 409, "hold-lost")
    _hold(api, show.id, mine, seats["A1"])
    for key in ("short", "has spaces in it", "x" * 101, "slash/in-the-key"):
        body = _problem(_confirm(api, show.id, mine, key), 422, "invalid-request")
        assert [e["field"] for e in body["errors"]] == ["Idempotency-Key"]
    missing = api.post(f"/api/v1/showtimes/{show.id}/confirm", json={"card": CARD}, headers=mine)
    assert [e["field"] for e in _problem(missing, 422, "invalid-request")["errors"]] == ["Idempotency-Key"]
    card = {**CARD, "card_number": "1234", "expiry": "13/99"}
    bad = api.post(
        f"/api/v1/showtimes/{show.id}/confirm", json={"card": card}, headers={**mine, "Idempotency-Key": "bad-card-1"}
    )
    assert {e["field"] for e in _problem(bad, 422, "form-invalid")["errors"]} == {"card.card_number", "card.expiry"}
    declined = {**CARD, "card_number": "4000 0000 0000 0002"}
    no = api.post(
        f"/api/v1/showtimes/{show.id}/confirm",
        json={"card": declined},
        headers={**mine, "Idempotency-Key": "declined-1"},
    )
    _problem(no, 402, "payment-declined")
    assert hold_store().held_by(show.id, me) == [seats["A1"]]  # still held: try another card
    assert app_session.exec(select(func.count()).select_from(Booking).where(Booking.user_id == me)).one() == 0


def test_twenty_parallel_confirms_with_one_key_make_one_booking(api, app_session):
    me, mine = user_with_token(api, app_session)
    show = make_showtime_ahead(app_session)
    app_session.commit()
    seats = seat_ids(app_session, show)
    assert _hold(api, show.id, mine, seats["A1"], seats["A2"]).status_code == 200
    start = threading.Barrier(20)

    def confirm_once(_):
        start.wait()
        return _confirm(api, show.id, mine, "one-key-for-twenty")

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(confirm_once, range(20)))
    assert all(a.status_code in (200, 201) for a in answers), [a.text for a in answers if a.status_code >= 300]
    assert sorted(a.status_code for a in answers) == [200] * 19 + [201]
    assert len({a.json()["id"] for a in answers}) == 1
    rows = app_session.exec(select(Booking.id).where(Booking.user_id == me)).all()
    assert rows == [answers[0].json()["id"]]
    sold = app_session.exec(
        select(func.count()).select_from(BookingSeat).where(BookingSeat.booking_id == rows[0])
    ).one()
    assert sold == 2

    _problem(_confirm(api, show.id, mine, "another-key-same-seats"), 409, "hold-lost")
    _problem(_hold(api, show.id, mine, seats["A1"]), 409, "seat-taken")
    assert app_session.exec(select(func.count()).select_from(Booking).where(Booking.user_id == me)).one() == 1


def test_my_bookings_tickets_and_cancelling(api, app_session):
    me, mine = user_with_token(api, app_session)
    _, theirs = user_with_token(api, app_session, name="Other")
    show = make_showtime_ahead(app_session, days=3)
    app_session.commit()
    seats = seat_ids(app_session, show)
    _hold(api, show.id, mine, seats["A1"], seats["A2"])
    booking = _confirm(api, show.id, mine, "my-bookings-1").json()
    bid = booking["id"]

    listed = api.get("/api/v1/me/bookings", headers=mine).json()["items"]
    assert [b["id"] for b in listed] == [bid]
    assert api.get(f"/api/v1/me/bookings/{bid}", headers=mine).json() == booking
    ticket = api.get(f"/api/v1/me/bookings/{bid}/ticket", headers=mine).json()
    assert ticket["code"] == booking["code"] and ticket["seats"] == ["A1", "A2"]
    ics = api.get(ticket["ics"], headers=mine)
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in ics.text and booking["code"] in ics.text
    svg = api.get(ticket["qr_svg"], headers=mine)
    assert svg.headers["content-type"].startswith("image/svg+xml") and svg.text.lstrip().startswith("<?xml")
    assert "<svg" in svg.text

    # Someone else's booking does not exist for them, whatever they try.
    assert api.get("/api/v1/me/bookings", headers=theirs).json()["items"] == []
    for method, path in (
        ("get", f"/api/v1/me/bookings/{bid}"),
        ("post", f"/api/v1/me/bookings/{bid}/cancel"),
        ("get", f"/api/v1/me/bookings/{bid}/ticket"),
        ("get", f"/api/v1/me/bookings/{bid}/ticket.ics"),
        ("get", f"/api/v1/me/bookings/{bid}/ticket.svg"),
    ):
        _problem(api.request(method, path, headers=theirs), 404, "not-found")
    _problem(api.get("/api/v1/me/bookings/2147483647", headers=mine), 404, "not-found")
    assert app_session.exec(select(Booking.status).where(Booking.id == bid)).one() == "confirmed"

    cancelled = api.post(f"/api/v1/me/bookings/{bid}/cancel", headers=mine)
    assert cancelled.status_code == 200, cancelled.text
    assert (
        cancelled.json()["status"] == "cancelled" and cancelled.json()["refund_cents"] == booking["cancel_refund_cents"]
    )
    assert cancelled.json()["can_cancel"] is False
    assert _states(api, show.id)["A1"] == "free"  # on sale again
    _problem(api.post(f"/api/v1/me/bookings/{bid}/cancel", headers=mine), 422, "domain-error")
