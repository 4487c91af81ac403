"""Webhooks on real PostgreSQL and Redis, delivered over real HTTP to receivers in this process:
queued with the change or not at all, once per subscribed endpoint, signed with the endpoint's
secret, retried with backoff under the same id, and the admin API refused to everyone else."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from moviebook.models import AuditEntry, Booking, Seat, WebhookDelivery, WebhookEndpoint
from moviebook.services import webhooks
from moviebook.services.bookings import cancel_booking, confirm_booking, hold_seats
from moviebook.services.checkout import SellingPolicy
from moviebook.services.holds import HoldPolicy, HoldStore
from moviebook.services.payments import PaymentDeclined, SimulatedProvider, parse_card
from moviebook.services.schedule_admin import cancel_showtime
from moviebook.services.webhook_sender import MAX_TRIES, deliver_due
from tests.factories import cinema_tz, identity_for, make_auditorium, make_movie, make_showtime_ahead, make_user, tag
from tests.integration.api_support import user_with_token

pytestmark = pytest.mark.usefixtures("app_environment", "pg_only_engine")  # empty tables for each test

CARD = parse_card(
    {"card_number": "4242424242424242", "expiry": "12/39", "cvc": "123", "card_name": "A"}, date(2030, 1, 1)
)
DECLINED = parse_card(
    {"card_number": "4000000000000002", "expiry": "12/39", "cvc": "123", "card_name": "A"}, date(2030, 1, 1)
)
POLICY = SellingPolicy(fee_per_ticket_cents=75, currency="GBP", tz=cinema_tz())
PROBLEM = "application/problem+json"
ALL = list(webhooks.EVENTS)


def _sessions(engine):
    return lambda: Session(engine, expire_on_commit=False)


def _admin(session):
    return identity_for(make_user(session, f"admin-{tag()}@example.com", role="admin"))


def _endpoint(session, url: str, events: list[str], *, active: bool = True) -> webhooks.NewEndpoint:
    made = webhooks.create_endpoint(session, _admin(session), url=url, events=events, active=active)
    session.commit()
    return made


def _show(session):
    room = make_auditorium(session, f"Room {tag()}", rows=2, seats_per_row=4)
    show = make_showtime_ahead(session, make_movie(session, "Harbour Lights"), room, days=3, hour=19)
    session.commit()
    return show


def _sale(session, redis_client, show=None, *, card=CARD, first_seat=0) -> Booking:
    """A moviegoer's sale of two seats through the bookings service (hold, then confirm), as the
    seat page makes it."""
    store = HoldStore(redis_client, HoldPolicy(ttl_seconds=600, max_seats=10))
    show = show or _show(session)
    user = make_user(session, f"buyer-{tag()}@example.com")
    session.commit()
    seats = session.exec(select(Seat).where(Seat.auditorium_id == show.auditorium_id).order_by(Seat.y, Seat.x)).all()
    chosen = [s.id for s in seats[first_seat : first_seat + 2]]
    hold_seats(session, store, showtime_id=show.id, user_id=user.id, seat_ids=chosen)
    return confirm_booking(
        session,
        store,
        SimulatedProvider(),
        showtime_id=show.id,
        user_id=user.id,
        idempotency_key=tag(),
        card=card,
        policy=POLICY,
    )


def _deliveries(session) -> list[WebhookDelivery]:
    session.expire_all()
    return list(session.exec(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def _verified(secret: str, request) -> dict:
    """What a receiver does (the README's five lines): check the signature, then read the body."""
    timestamp = request.headers["Moviebook-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + request.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(request.headers["Moviebook-Signature"], f"v1={expected}")
    return json.loads(request.body)


# --- queued with the change, once per subscribed endpoint ----------------------------------------


def test_a_confirmed_booking_reaches_each_subscribed_endpoint_once_signed(
    pg_engine, pg_session, redis_client, webhook_receivers
):
    partner, other, monitor, paused = (webhook_receivers() for _ in range(4))
    wants = _endpoint(pg_session, partner.url, ["booking.confirmed"])
    also = _endpoint(pg_session, monitor.url, ALL)
    _endpoint(pg_session, other.url, ["showtime.cancelled"])  # not subscribed to sales
    _endpoint(pg_session, paused.url, ["booking.confirmed"], active=False)

    booking = _sale(pg_session, redis_client)
    pg_session.commit()
    assert [(d.endpoint_id, d.event_type) for d in _deliveries(pg_session)] == [
        (wants.endpoint.id, "booking.confirmed"),
        (also.endpoint.id, "booking.confirmed"),
    ]

    report = deliver_due(_sessions(pg_engine))
    assert (report.delivered, report.failed) == (2, 0)
    assert other.received == [] and paused.received == []
    [request] = partner.received
    assert request.headers["Content-Type"] == "application/json"
    event = _verified(wants.secret, request)
    assert event["id"] == request.headers["Moviebook-Webhook-Id"] and event["type"] == "booking.confirmed"
    assert set(event) == {"id", "type", "created_at", "data"}
    assert event["data"]["booking"]["code"] == booking.code
    assert event["data"]["booking"]["seats"] == ["A1", "A2"]
    assert event["data"]["booking"]["total_cents"] == booking.total_cents
    assert event["data"]["showtime"]["movie_title"] == "Harbour Lights"
    [copy] = monitor.received
    _verified(also.secret, copy)
    assert copy.headers["Moviebook-Webhook-Id"] != request.headers["Moviebook-Webhook-Id"]  # one id per delivery
    with pytest.raises(AssertionError):  # another endpoint's secret does not verify
        _verified(also.secret, request)

    assert deliver_due(_sessions(pg_engine)).delivered == 0  # and never again
    assert len(partner.received) == 1
    assert {d.status for d in _deliveries(pg_session)} == {"delivered"}


def test_a_declined_sale_queues_no_webhook(pg_engine, pg_session, redis_client, webhook_receivers):
    receiver = webhook_receivers()
    _endpoint(pg_session, receiver.url, ALL)
    with pytest.raises(PaymentDeclined):
        _sale(pg_session, redis_client, card=DECLINED)
    pg_session.rollback()
    assert _deliveries(pg_session) == []
    assert deliver_due(_sessions(pg_engine)).delivered == 0 and receiver.received == []


def test_a_rolled_back_cancel_queues_nothing(pg_engine, pg_session, redis_client, webhook_receivers):
    receiver = webhook_receivers()
    _endpoint(pg_session, receiver.url, ["booking.cancelled"])
    booking = _sale(pg_session, redis_client)
    pg_session.commit()
    with Session(pg_engine) as session:
        cancel_booking(session, user_id=booking.user_id, booking_id=booking.id, cutoff=timedelta(minutes=30))
        assert len(session.exec(select(WebhookDelivery)).all()) == 1  # queued in the cancel's transaction ...
        session.rollback()  # ... which does not commit
    assert _deliveries(pg_session) == []
    assert deliver_due(_sessions(pg_engine)).delivered == 0 and receiver.received == []


def test_cancels_tell_booking_cancelled_and_a_showtime_cancel_tells_showtime_cancelled_once(
    pg_engine, pg_session, redis_client, webhook_receivers
):
    receiver = webhook_receivers()
    made = _endpoint(pg_session, receiver.url, ["booking.cancelled", "showtime.cancelled"])
    show = _show(pg_session)
    mine, theirs = _sale(pg_session, redis_client, show), _sale(pg_session, redis_client, show, first_seat=2)
    pg_session.commit()
    cancel_booking(pg_session, user_id=mine.user_id, booking_id=mine.id, cutoff=timedelta(minutes=30))
    pg_session.commit()
    assert cancel_showtime(pg_session, _admin(pg_session), show.id) == 1  # theirs: mine is cancelled already
    pg_session.commit()
    assert cancel_showtime(pg_session, _admin(pg_session), show.id) == 0  # a second cancel tells nobody
    pg_session.commit()

    assert deliver_due(_sessions(pg_engine)).delivered == 3
    events = [_verified(made.secret, r) for r in receiver.received]
    assert [(e["type"], e["data"].get("booking", {}).get("id")) for e in events] == [
        ("booking.cancelled", mine.id),
        ("booking.cancelled", theirs.id),
        ("showtime.cancelled", None),
    ]
    assert [e["data"].get("cancelled_by") for e in events] == ["customer", "cinema", None]
    assert events[0]["data"]["booking"]["refund_cents"] == mine.total_cents - mine.fee_cents  # the fee is kept
    assert events[1]["data"]["reason"] and events[1]["data"]["showtime"]["is_cancelled"] is True
    assert events[2]["data"] | {"showtime": None} == {"showtime": None, "bookings_cancelled": 1}
    assert events[2]["data"]["showtime"]["id"] == show.id


# --- retries -----------------------------------------------------------------------------------


def test_a_receiver_answering_500_then_200_gets_it_again_with_the_same_id(pg_engine, pg_session, webhook_receivers):
    receiver = webhook_receivers(answers=(500,))
    made = _endpoint(pg_session, receiver.url, ["showtime.cancelled"])
    show = _show(pg_session)
    webhooks.showtime_cancelled(pg_session, show, bookings_cancelled=0)
    pg_session.commit()
    [row] = _deliveries(pg_session)
    clock = {"now": row.next_attempt_at}
    now = lambda: clock["now"]  # noqa: E731

    assert deliver_due(_sessions(pg_engine), now=now).failed == 1
    [row] = _deliveries(pg_session)
    assert (row.status, row.tries) == ("pending", 1) and row.last_error.startswith("HTTP 500")
    assert row.next_attempt_at == clock["now"] + timedelta(seconds=30)  # backoff after the first try
    clock["now"] += timedelta(seconds=29)
    assert deliver_due(_sessions(pg_engine), now=now).delivered == 0 and len(receiver.received) == 1  # not yet due
    clock["now"] += timedelta(seconds=1)
    assert deliver_due(_sessions(pg_engine), now=now).delivered == 1

    first, second = receiver.received
    assert first.headers["Moviebook-Webhook-Id"] == second.headers["Moviebook-Webhook-Id"] == row.webhook_id
    assert first.body == second.body  # the same event, byte for byte
    assert int(second.headers["Moviebook-Timestamp"]) - int(first.headers["Moviebook-Timestamp"]) == 30
    assert _verified(made.secret, first) == _verified(made.secret, second)
    [row] = _deliveries(pg_session)
    assert (row.status, row.tries, row.last_error) == ("delivered", 2, None)


def test_a_receiver_that_always_fails_ends_dead_and_does_not_hold_up_the_others(
    pg_engine, pg_session, webhook_receivers
):
    broken, healthy = webhook_receivers(answers=(503,) * 100), webhook_receivers()
    _endpoint(pg_session, broken.url, ["showtime.cancelled"])
    _endpoint(pg_session, healthy.url, ["showtime.cancelled"])
    for _ in range(3):
        webhooks.showtime_cancelled(pg_session, _show(pg_session), bookings_cancelled=0)
    pg_session.commit()
    clock = {"now": max(d.next_attempt_at for d in _deliveries(pg_session))}
    now = lambda: clock["now"]  # noqa: E731

    report = deliver_due(_sessions(pg_engine), now=now)
    assert (report.delivered, report.failed) == (3, 1)  # the broken one tried once this round, not three times
    assert len(healthy.received) == 3 and len(broken.received) == 1
    for _ in range(3 * MAX_TRIES):
        clock["now"] += timedelta(hours=7)
        deliver_due(_sessions(pg_engine), now=now)
    statuses = sorted((d.status, d.tries) for d in _deliveries(pg_session) if d.status != "delivered")
    assert statuses == [("dead", MAX_TRIES)] * 3
    assert len(broken.received) == 3 * MAX_TRIES


def test_an_unreachable_or_slow_receiver_is_a_failed_try(pg_engine, pg_session, webhook_receivers):
    slow = webhook_receivers(delay=1.5)
    gone = webhook_receivers()
    gone.stop()  # nothing listens on its port any more
    _endpoint(pg_session, slow.url, ["showtime.cancelled"])
    _endpoint(pg_session, gone.url, ["showtime.cancelled"])
    webhooks.showtime_cancelled(pg_session, _show(pg_session), bookings_cancelled=0)
    pg_session.commit()
    report = deliver_due(_sessions(pg_engine), timeout=0.5)
    assert (report.delivered, report.failed) == (0, 2)
    errors = sorted(d.last_error.split(":")[0] for d in _deliveries(pg_session))
    assert errors == ["ConnectError", "ReadTimeout"]


def test_two_senders_deliver_each_webhook_once(pg_engine, pg_session, webhook_receivers):
    receiver = webhook_receivers()
    _endpoint(pg_session, receiver.url, ["showtime.cancelled"])
    show = _show(pg_session)
    for i in range(30):
        webhooks.enqueue(pg_session, "showtime.cancelled", f"test:{i}", {"showtime": {"id": show.id}, "n": i})
    pg_session.commit()
    gate = threading.Barrier(2)

    def sender():
        gate.wait()
        deliver_due(_sessions(pg_engine), limit=100)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    ids = [r.headers["Moviebook-Webhook-Id"] for r in receiver.received]
    assert len(ids) == 30 and len(set(ids)) == 30


# --- the admin API -----------------------------------------------------------------------------


def _problem(response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["type"] == f"urn:moviebook:problem:{kind}"
    return body


def test_admins_register_list_inspect_and_delete_endpoints(api, app_session, pg_engine, webhook_receivers):
    receiver = webhook_receivers(answers=(500,))
    admin_id, admin = user_with_token(api, app_session, role="admin")
    made = api.post(
        "/api/v1/admin/webhooks", headers=admin, json={"url": receiver.url, "events": ["showtime.cancelled"]}
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["secret"].startswith("whsec_") and len(body["secret"]) > 40
    assert body | {"id": 0, "created_at": "", "secret": ""} == {
        "id": 0,
        "url": receiver.url,
        "events": ["showtime.cancelled"],
        "active": True,
        "created_at": "",
        "secret": "",
        "deliveries": {"pending": 0, "delivered": 0, "dead": 0},
    }
    endpoint_id = body["id"]
    [listed] = api.get("/api/v1/admin/webhooks", headers=admin).json()["items"]
    assert listed["id"] == endpoint_id and "secret" not in listed  # shown once only
    [entry] = app_session.exec(select(AuditEntry).where(AuditEntry.action == "webhook.create")).all()
    assert entry.actor_id == admin_id and body["secret"] not in json.dumps(entry.new_values)

    webhooks.showtime_cancelled(app_session, _show(app_session), bookings_cancelled=0)
    app_session.commit()
    deliver_due(_sessions(pg_engine))  # the receiver answers 500
    page = api.get(f"/api/v1/admin/webhooks/{endpoint_id}/deliveries", headers=admin)
    assert page.status_code == 200, page.text
    [delivery] = page.json()["items"]
    assert (delivery["type"], delivery["status"], delivery["tries"]) == ("showtime.cancelled", "pending", 1)
    assert delivery["last_error"].startswith("HTTP 500")
    assert delivery["webhook_id"] == receiver.received[0].headers["Moviebook-Webhook-Id"]
    assert page.json()["total"] == 1
    counts = api.get("/api/v1/admin/webhooks", headers=admin).json()["items"][0]["deliveries"]
    assert counts == {"pending": 1, "delivered": 0, "dead": 0}

    assert api.delete(f"/api/v1/admin/webhooks/{endpoint_id}", headers=admin).status_code == 204
    assert api.get("/api/v1/admin/webhooks", headers=admin).json()["items"] == []
    assert app_session.exec(select(WebhookDelivery)).all() == []  # its waiting delivery went with it
    _problem(api.delete(f"/api/v1/admin/webhooks/{endpoint_id}", headers=admin), 404, "not-found")
    _problem(api.get(f"/api/v1/admin/webhooks/{endpoint_id}/deliveries", headers=admin), 404, "not-found")
    assert app_session.exec(select(AuditEntry).where(AuditEntry.action == "webhook.delete")).one().actor_id == admin_id


SALES = ["booking.confirmed"]


@pytest.mark.parametrize(
    ("payload", "field", "kind"),
    [
        ({"url": "ftp://partner.example/hooks", "events": SALES}, "url", "form-invalid"),
        ({"url": "javascript:alert(1)", "events": SALES}, "url", "form-invalid"),
        ({"url": "https://", "events": SALES}, "url", "form-invalid"),
        ({"url": "partner.example/hooks", "events": SALES}, "url", "form-invalid"),
        ({"url": "https://partner.example/a b", "events": SALES}, "url", "form-invalid"),
        ({"url": "https://partner.example:99999/", "events": SALES}, "url", "form-invalid"),
        ({"url": "https://partner.example/" + "a" * 1977, "events": SALES}, "url", "invalid-request"),  # 2001
        ({"url": "https://partner.example/hooks", "events": []}, "events", "invalid-request"),
        ({"url": "https://partner.example/hooks", "events": ["booking.refunded"]}, "events.0", "invalid-request"),
    ],
)
def test_a_bad_endpoint_is_refused_with_the_field_named(api, app_session, payload, field, kind):
    _, admin = user_with_token(api, app_session, role="admin")
    body = _problem(api.post("/api/v1/admin/webhooks", headers=admin, json=payload), 422, kind)
    assert field in [e["field"] for e in body["errors"]], body
    assert app_session.exec(select(WebhookEndpoint)).all() == []


def _webhook_routes(api) -> list[tuple[str, str]]:
    """Every /admin/webhooks operation the API publishes, so a new one is covered too."""
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    routes = [
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith("/api/v1/admin/webhooks")
        for method in operations
    ]
    assert len(routes) == 4, routes  # GET and POST /admin/webhooks, DELETE one, GET its deliveries
    return routes


@pytest.mark.parametrize("role", ["user", "staff"])
def test_everyone_but_an_admin_is_refused_every_webhook_endpoint(api, app_session, role):
    made = _endpoint(app_session, "https://partner.example/hooks", ALL)
    _, headers = user_with_token(api, app_session, role=role)
    for method, path in _webhook_routes(api):
        path = path.format(endpoint_id=made.endpoint.id)
        json_body = {"url": "https://evil.example/", "events": ALL} if method == "POST" else None
        _problem(api.request(method, path, headers=headers, json=json_body), 403, "forbidden")
        _problem(api.request(method, path, json=json_body), 401, "unauthenticated")
    app_session.expire_all()
    assert [e.url for e in app_session.exec(select(WebhookEndpoint))] == ["https://partner.example/hooks"]


def test_a_url_of_2000_characters_is_taken_as_given():
    url = "https://partner.example/" + "a" * 1976
    assert len(url) == 2000 and webhooks.check_url(f"  {url} ") == url


def test_the_readme_verify_snippet_accepts_our_signature_and_refuses_a_changed_body():
    from moviebook.config import PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text()
    section = readme[readme.index("## Webhooks") :]
    code = section[section.index("```python\n") + len("```python\n") :]
    namespace: dict = {}
    exec(code[: code.index("```")], namespace)  # noqa: S102 (our own README)
    now, body = int(time.time()), '{"id":"wh_1","type":"booking.confirmed","created_at":"","data":{}}'
    headers = {"Moviebook-Timestamp": str(now), "Moviebook-Signature": webhooks.signature("whsec_x", now, body)}
    assert namespace["verify"]("whsec_x", headers, body.encode())
    assert not namespace["verify"]("whsec_x", headers, body.encode() + b" ")
    assert not namespace["verify"]("whsec_y", headers, body.encode())
