"""A rush of buyers over the JSON API while something fails, and what it left behind.

Each buyer holds 2 seats of a hot block (two buyers want every pair), "fills in the card" for a
moment, then confirms with an Idempotency-Key, sending a request again while the answer is
"briefly unavailable". The fault strikes while some buyers hold and others pay. Used by
tests/integration/test_faults.py (an API app on servers of the test's own) and
tests/e2e/test_cluster.py (two instances behind nginx). ``api`` is anything with httpx's
``get``/``post``: a TestClient, or an httpx.Client on the balancer.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
import sqlalchemy as sa
from sqlmodel import Session, select

from moviebook.db import make_engine
from moviebook.models import Booking, BookingSeat, Seat, utcnow
from tests.factories import make_auditorium, make_movie, make_showtime, make_user, tag
from tests.integration.api_support import PASSWORD, bearer, log_in_over_http

CARD = {"card_number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123", "card_name": "Rush Buyer"}
BUYERS = 12
BUYER_DEADLINE_SECONDS = 45
RETRY_PAUSE_SECONDS = 0.3
RETRY_STATUSES = {502, 503, 504}


@dataclass
class Buyer:
    headers: dict[str, str]
    seats: list[int]
    key: str = field(default_factory=lambda: f"rush-{uuid.uuid4().hex}")
    outcome: str = ""  # booked / seat-taken / hold-lost / ...: the definite answer it got
    booking_id: int | None = None
    statuses: list[int] = field(default_factory=list)
    retries: int = 0


def _kind(response: httpx.Response) -> str:
    try:
        return str(response.json().get("type", "")).rsplit(":", 1)[-1]
    except ValueError:
        return f"http-{response.status_code}"


def _send(buyer: Buyer, call: Callable[[], httpx.Response], deadline: float) -> httpx.Response | None:
    """One request, sent again (unchanged) while the app or the balancer says it is briefly
    unavailable (503, or 502/504 when an instance died under the request), or the connection
    broke: what a kiosk or a mobile app does."""
    while time.monotonic() < deadline:
        try:
            response = call()
        except httpx.TransportError:
            response = None
        if response is not None:
            buyer.statuses.append(response.status_code)
            if response.status_code not in RETRY_STATUSES:
                return response
        buyer.retries += 1
        time.sleep(RETRY_PAUSE_SECONDS)
    return None


def buy(api, show_id: int, buyer: Buyer, start_after: float) -> None:
    time.sleep(start_after)
    deadline = time.monotonic() + BUYER_DEADLINE_SECONDS
    held = _send(
        buyer,
        lambda: api.post(f"/api/v1/showtimes/{show_id}/holds", json={"seat_ids": buyer.seats}, headers=buyer.headers),
        deadline,
    )
    if held is None:
        buyer.outcome = "no answer"
        return
    if held.status_code != 200:
        buyer.outcome = _kind(held)
        return
    time.sleep(0.4)  # filling in the card: the fault lands while some buyers are here
    paid = _send(
        buyer,
        lambda: api.post(
            f"/api/v1/showtimes/{show_id}/confirm",
            json={"card": CARD},
            headers={**buyer.headers, "Idempotency-Key": buyer.key},
        ),
        deadline,
    )
    if paid is None:
        buyer.outcome = "no answer"
    elif paid.status_code in (200, 201):
        buyer.outcome, buyer.booking_id = "booked", paid.json()["id"]
    else:
        buyer.outcome = _kind(paid)


@dataclass
class RushReport:
    show_id: int
    buyers: list[Buyer]
    outage_seconds: float  # from the fault's start until the server was back
    recovery_seconds: float  # from then until /ready said 200
    bookings_in_db: dict[int, list[int]]  # booking id → its active seats
    double_sold: int

    @property
    def answered(self) -> int:
        return sum(1 for b in self.buyers if b.outcome and b.outcome != "no answer")

    @property
    def booked(self) -> list[Buyer]:
        return [b for b in self.buyers if b.outcome == "booked"]

    @property
    def lost(self) -> int:
        """Buyers told "booked" whose booking is not in the database with their seats."""
        return sum(1 for b in self.booked if sorted(self.bookings_in_db.get(b.booking_id, [])) != sorted(b.seats))

    def print(self, fault: str) -> None:
        outcomes = Counter(b.outcome for b in self.buyers)
        statuses = Counter(s for b in self.buyers for s in b.statuses)
        print(
            f"\n{fault}: buyers {len(self.buyers)}, answered {self.answered}, booked {len(self.booked)}, "
            f"lost {self.lost}, double-sold {self.double_sold}; server back after {self.outage_seconds:.2f} s, "
            f"app ready {self.recovery_seconds:.2f} s later; "
            f"outcomes {dict(outcomes)}; HTTP statuses {dict(statuses)}; "
            f"requests sent again {sum(b.retries for b in self.buyers)}"
        )


def sale_setup(engine: sa.Engine, api, password: str = PASSWORD) -> tuple[int, list[Buyer]]:
    """A showtime of its own (3 rows of 8), and buyers who each want 2 seats of a hot block
    of 12: two buyers want every pair."""
    with Session(engine, expire_on_commit=False) as session:
        movie = make_movie(session, f"Fault Film {tag()}")
        room = make_auditorium(session, f"Fault Room {tag()}", rows=3, seats_per_row=8)
        show = make_showtime(session, movie, room, utcnow() + timedelta(days=2))
        seats = session.exec(select(Seat.id).where(Seat.auditorium_id == room.id).order_by(Seat.id)).all()
        users = [make_user(session, f"rush-{tag()}-{i}@example.com", password=password) for i in range(BUYERS)]
        session.commit()
        show_id = show.id
    pairs = [seats[2 * k : 2 * k + 2] for k in range(BUYERS // 2)]
    buyers = [
        Buyer(
            headers=bearer(log_in_over_http(api, user.email, password)["access_token"]),
            seats=list(pairs[i % len(pairs)]),
        )
        for i, user in enumerate(users)
    ]
    return show_id, buyers


def _ready(api) -> bool:
    try:
        return api.get("/ready").status_code == 200
    except httpx.TransportError:
        return False


def rush_with_fault(
    api,
    database_url: str,
    fault: Callable[[], None],
    *,
    fault_after: float = 0.9,
    password: str = PASSWORD,
    before: Callable[[int], None] | None = None,
) -> RushReport:
    """Buyers arrive over ~2 s; the fault strikes ``fault_after`` seconds in. Recovery is timed
    from the fault's start to ``/ready`` answering 200 again."""
    engine = make_engine(database_url)
    show_id, buyers = sale_setup(engine, api, password)
    if before is not None:
        before(show_id)  # e.g. open seat maps that must show the truth afterwards
    threads = [threading.Thread(target=buy, args=(api, show_id, b, i * 0.15)) for i, b in enumerate(buyers)]
    for thread in threads:
        thread.start()
    time.sleep(fault_after)
    struck = time.monotonic()
    fault()
    back = time.monotonic()
    while not _ready(api):
        assert time.monotonic() - back < 30, "the app was not ready within 30 s of the server's return"
        time.sleep(0.05)
    recovery = time.monotonic() - back
    for thread in threads:
        thread.join(timeout=BUYER_DEADLINE_SECONDS + 30)
    engine.dispose()  # its connections died with the fault: count with new ones
    with Session(engine) as check:
        rows = check.exec(
            select(BookingSeat.booking_id, BookingSeat.seat_id)
            .join(Booking, Booking.id == BookingSeat.booking_id)
            .where(BookingSeat.showtime_id == show_id, Booking.status == "confirmed")
        ).all()
        by_seat = Counter(seat for _booking, seat in rows)
        bookings: dict[int, list[int]] = {}
        for booking, seat in rows:
            bookings.setdefault(booking, []).append(seat)
    double_sold = sum(1 for n in by_seat.values() if n > 1)
    return RushReport(show_id, buyers, back - struck, recovery, bookings, double_sold=double_sold)


def assert_nothing_lost(report: RushReport) -> None:
    assert report.answered == len(report.buyers), [b.outcome for b in report.buyers]
    assert all(500 not in b.statuses for b in report.buyers), "a buyer got a 500"
    assert report.lost == 0
    assert report.double_sold == 0
    # Every confirmed booking of the showtime is one a buyer was told about: none made twice.
    assert sorted(report.bookings_in_db) == sorted(b.booking_id for b in report.booked)
    assert report.booked, "nobody managed to buy: the rush did not exercise the sale"


def a_new_hold_works(api, report: RushReport) -> None:
    seats = api.get(f"/api/v1/showtimes/{report.show_id}/seats").json()
    free = [s["id"] for row in seats["rows"] for s in row["seats"] if s["state"] == "free"]
    sold = {s["id"] for row in seats["rows"] for s in row["seats"] if s["state"] == "sold"}
    assert sold == {seat for seat_list in report.bookings_in_db.values() for seat in seat_list}
    latecomer = report.buyers[0].headers
    answer = api.post(f"/api/v1/showtimes/{report.show_id}/holds", json={"seat_ids": free[-1:]}, headers=latecomer)
    assert answer.status_code == 200, answer.text
