"""Staff at the door (on a phone-sized screen) and an admin on the reservations list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from moviebook.models import Booking
from tests.e2e.helpers import choose_from_account_menu, log_in, navbar
from tests.factories import (
    make_auditorium,
    make_booking,
    make_movie,
    make_showtime,
    make_user,
    started_minutes_ago,
    tag,
)

PASSWORD = "tickets at the door"


@pytest.fixture
def tonight(app_db):
    """A show running right now in a room of its own, a moviegoer's booking for it, and a staff member.

    "Right now" is the one time that must follow the clock; at any hour, a show that started a
    few minutes ago is tonight's at the door (one that started before midnight still counts).
    """
    name = tag()
    movie = make_movie(app_db, f"Door Test {name}")
    show = make_showtime(app_db, movie, make_auditorium(app_db, f"Door {name}"), started_minutes_ago(5))
    guest = make_user(app_db, name="Guest", password=PASSWORD)
    booking = make_booking(app_db, guest, show, {"A1": 1000, "A2": 1000})
    staff = make_user(app_db, name="Doorkeeper", role="staff", password=PASSWORD)
    app_db.commit()
    return {"show": show, "title": movie.title, "booking": booking, "guest": guest, "staff": staff}


def test_staff_check_a_code_in_and_the_second_try_says_already(browser: Browser, app_url: str, app_db, tonight):
    context = browser.new_context(base_url=app_url, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        log_in(page, tonight["staff"].email, PASSWORD)
        expect(navbar(page).get_by_text("Staff", exact=True)).to_be_visible()
        choose_from_account_menu(page, "Door check-in")
        expect(page.get_by_role("heading", name="Door check-in", level=1)).to_be_visible()
        code = tonight["booking"].code

        box = page.get_by_label("Booking code")
        expect(box).to_be_focused()
        box.fill(code.lower().replace("-", " "))  # as typed on a phone in a hurry
        box.press("Enter")
        verdict = page.get_by_role("status", name="Verdict")
        expect(verdict).to_contain_text("Valid ticket")
        expect(verdict).to_contain_text("Guest")
        expect(verdict).to_contain_text("A1, A2")
        expect(verdict).to_contain_text(tonight["title"])

        verdict.get_by_role("button", name="Check in").click()
        expect(verdict).to_contain_text("Checked in")
        expect(verdict.get_by_role("button", name="Check in")).to_have_count(0)

        box.fill(code)
        box.press("Enter")
        expect(verdict).to_contain_text("Already checked in")
        expect(verdict).to_contain_text(re.compile(r"Checked in at \d\d:\d\d by Doorkeeper\."))
        expect(verdict.get_by_role("button", name="Check in")).to_have_count(0)

        box.fill("ZZZZ-ZZZZ")
        box.press("Enter")
        expect(verdict).to_contain_text("Unknown code")

        app_db.expire_all()
        stored = app_db.get(Booking, tonight["booking"].id)
        assert stored.checked_in_by == tonight["staff"].id and stored.checked_in_at is not None
        assert errors == [], errors
    finally:
        context.close()


def test_an_admin_finds_a_booking_reads_it_and_cancels_it_with_a_reason(page, app_env, app_db, tonight):
    code = tonight["booking"].code
    log_in(page, app_env["ADMIN_EMAIL"], app_env["ADMIN_PASSWORD"], path="/login?next=/admin/reservations")
    expect(page.get_by_role("heading", name="Reservations", level=1)).to_be_visible()
    page.get_by_role("searchbox", name="Email or booking code").fill(tonight["guest"].email)
    expect(page.get_by_role("status").filter(has_text="booking")).to_have_text("1 booking")
    page.get_by_role("button", name=f"Details of booking {code}").click()

    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name=f"Booking {code}")).to_be_visible()
    expect(dialog.get_by_role("table")).to_contain_text("A1")
    expect(dialog.get_by_role("list", name="History")).to_contain_text("Booked")
    dialog.get_by_role("button", name="Cancel booking").click()

    confirm = page.get_by_role("dialog", name=f"Cancel booking {code}")
    confirm.get_by_label("Reason (the customer sees this)").fill("Projector broke")
    confirm.get_by_role("button", name="Cancel and refund").click()
    expect(page.get_by_text(f"Booking {code} cancelled")).to_be_visible()
    expect(page.get_by_role("list", name="History")).to_contain_text("Cancelled by the cinema")
    expect(page.get_by_role("list", name="History")).to_contain_text("Projector broke")

    app_db.expire_all()
    stored = app_db.get(Booking, tonight["booking"].id)
    assert (stored.status, stored.cancel_reason, stored.refund_cents) == ("cancelled", "Projector broke", 2000)
