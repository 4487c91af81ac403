"""The public API and the browser seat map are one system, on the production server.

A seat held, sold, released or cancelled through ``/api/v1`` shows on an open seat map in
Chromium within moments, without a reload; and a seat a browser user holds is refused to an API
caller and reported held by the API's own seat map.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import log_in, own_showtime, seat
from tests.factories import make_user
from tests.integration.api_support import PASSWORD, bearer, log_in_over_http, seat_ids

LIVE = 5_000  # "within a second" on a quiet machine; this bounds two shared cores
PROBLEM_JSON = "application/problem+json"
CARD = {"card_number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123", "card_name": "Kiosk Buyer"}


@pytest.fixture
def http(app_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=app_url, timeout=15) as client:
        yield client


def account(app_db, name: str):
    user = make_user(app_db, name=name, password=PASSWORD)
    app_db.commit()
    return user


def api_caller(http: httpx.Client, app_db, name: str) -> dict[str, str]:
    """Bearer headers of a new moviegoer, from a real login over HTTP."""
    user = account(app_db, name)
    return bearer(log_in_over_http(http, user.email)["access_token"])


@contextmanager
def seat_map_of(browser: Browser, app_url: str, app_db, show, name: str) -> Iterator[Page]:
    """A moviegoer logged in through the form, looking at ``show``'s seat map, in a context of
    their own; no JavaScript error may happen on the page meanwhile."""
    user = account(app_db, name)
    context = browser.new_context(base_url=app_url, viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        log_in(page, user.email, PASSWORD, path=f"/login?next=/showtimes/{show.id}")
        expect(page.get_by_role("region", name="Seat map")).to_be_visible()
        yield page
    finally:
        context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def states(http: httpx.Client, show_id: int, headers: dict[str, str] | None = None) -> dict[str, str]:
    """The API's seat map: each seat's state by label ("C5": "held")."""
    response = http.get(f"/api/v1/showtimes/{show_id}/seats", headers=headers or {})
    assert response.status_code == 200, response.text
    return {s["label"]: s["state"] for row in response.json()["rows"] for s in row["seats"]}


def test_holds_sales_releases_and_cancellations_through_the_api_show_live_in_the_browser(
    browser: Browser, app_url: str, app_db, http: httpx.Client
):
    show = own_showtime(app_db)
    ids = seat_ids(app_db, show)
    kiosk = api_caller(http, app_db, "Kiosk Kim")
    with seat_map_of(browser, app_url, app_db, show, "Viewer Vic") as viewer:
        for number in (5, 6):
            expect(seat(viewer, "C", number)).to_have_attribute("data-state", "available")

        held = http.post(f"/api/v1/showtimes/{show.id}/holds", json={"seat_ids": [ids["C5"], ids["C6"]]}, headers=kiosk)
        assert held.status_code == 200, held.text
        assert sorted(held.json()["seat_ids"]) == sorted([ids["C5"], ids["C6"]])
        assert held.json()["seconds_left"] > 0
        # The open map shows them held by someone else, without a reload, and will not take them.
        for number in (5, 6):
            expect(seat(viewer, "C", number)).to_have_accessible_name(
                re.compile(rf"^Row C, seat {number}, .*, held by someone else$"), timeout=LIVE
            )
            expect(seat(viewer, "C", number)).to_have_attribute("data-state", "held")
            expect(seat(viewer, "C", number)).to_be_disabled()
        expect(seat(viewer, "C", 7)).to_have_attribute("data-state", "available")

        # A hold given back through the API frees its seat on the map.
        extra = http.post(f"/api/v1/showtimes/{show.id}/holds", json={"seat_ids": [ids["D2"]]}, headers=kiosk)
        assert extra.status_code == 200, extra.text
        expect(seat(viewer, "D", 2)).to_have_attribute("data-state", "held", timeout=LIVE)
        released = http.request(
            "DELETE", f"/api/v1/showtimes/{show.id}/holds", json={"seat_ids": [ids["D2"]]}, headers=kiosk
        )
        assert released.status_code == 200, released.text
        assert ids["D2"] not in released.json()["seat_ids"]
        expect(seat(viewer, "D", 2)).to_have_attribute("data-state", "available", timeout=LIVE)
        expect(seat(viewer, "D", 2)).to_be_enabled()
        expect(seat(viewer, "C", 5)).to_have_attribute("data-state", "held")

        # Paid through the API: the map shows them sold.
        key = {"Idempotency-Key": f"api-live-{uuid.uuid4().hex}"}
        confirmed = http.post(f"/api/v1/showtimes/{show.id}/confirm", json={"card": CARD}, headers={**kiosk, **key})
        assert confirmed.status_code == 201, confirmed.text
        booking = confirmed.json()
        assert booking["status"] == "confirmed" and sorted(booking["seats"]) == ["C5", "C6"]
        for number in (5, 6):
            expect(seat(viewer, "C", number)).to_have_accessible_name(
                re.compile(rf"^Row C, seat {number}, .*, booked$"), timeout=LIVE
            )
            expect(seat(viewer, "C", number)).to_have_attribute("data-state", "booked")
            expect(seat(viewer, "C", number)).to_be_disabled()
        # The same key again is the same booking, not a second sale.
        again = http.post(f"/api/v1/showtimes/{show.id}/confirm", json={"card": CARD}, headers={**kiosk, **key})
        assert again.status_code == 200 and again.json()["id"] == booking["id"], again.text

        # Cancelled through the API: free again for the browser user, who can now pick one.
        cancelled = http.post(f"/api/v1/me/bookings/{booking['id']}/cancel", headers=kiosk)
        assert cancelled.status_code == 200, cancelled.text
        assert cancelled.json()["status"] == "cancelled"
        for number in (5, 6):
            expect(seat(viewer, "C", number)).to_have_attribute("data-state", "available", timeout=LIVE)
            expect(seat(viewer, "C", number)).to_be_enabled()
        seat(viewer, "C", 5).click()
        expect(seat(viewer, "C", 5)).to_have_attribute("aria-pressed", "true")
        expect(seat(viewer, "C", 5)).to_have_accessible_name(re.compile(r"^Row C, seat 5, .*, selected by you$"))
        assert states(http, show.id, kiosk)["C5"] == "held"


def test_a_seat_the_browser_user_holds_is_refused_to_the_api_and_shown_held_there(
    browser: Browser, app_url: str, app_db, http: httpx.Client
):
    show = own_showtime(app_db)
    ids = seat_ids(app_db, show)
    kiosk = api_caller(http, app_db, "Kiosk Kai")
    with seat_map_of(browser, app_url, app_db, show, "Picker Pat") as picker:
        seat(picker, "B", 4).click()
        expect(seat(picker, "B", 4)).to_have_attribute("aria-pressed", "true")
        expect(seat(picker, "B", 4)).to_have_accessible_name(re.compile(r"^Row B, seat 4, .*, selected by you$"))
        expect(picker.get_by_role("list", name="Order summary")).to_contain_text("Row B, seat 4")

        # All or none: with a free seat alongside, nothing is held.
        refused = http.post(
            f"/api/v1/showtimes/{show.id}/holds", json={"seat_ids": [ids["B5"], ids["B4"]]}, headers=kiosk
        )
        assert refused.status_code == 409, refused.text
        assert refused.headers["content-type"].startswith(PROBLEM_JSON)
        problem = refused.json()
        assert problem["type"] == "urn:moviebook:problem:seat-taken"
        assert problem["status"] == 409
        assert "B4" in problem["detail"]

        # The API's seat map says so too, to the caller and to a guest alike.
        assert states(http, show.id, kiosk)["B4"] == "held"
        assert states(http, show.id)["B4"] == "held"
        assert states(http, show.id, kiosk)["B5"] == "free"
        mine = http.request("DELETE", f"/api/v1/showtimes/{show.id}/holds", headers=kiosk)
        assert mine.status_code == 200 and mine.json()["seat_ids"] == [], mine.text

        # The browser user still has the seat, and the map shows no stray hold on B5.
        expect(seat(picker, "B", 4)).to_have_attribute("aria-pressed", "true")
        expect(seat(picker, "B", 5)).to_have_attribute("data-state", "available")
