"""The box office in a browser: staff sell at the counter on the same live seat map moviegoers
see, print the receipt, refund at the counter, and cash up.

Set MOVIEBOOK_SHOTS to a folder to keep screenshots of the pages (tablet and desktop widths).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from moviebook.models import Movie
from tests.e2e.helpers import day_button, log_in, own_showtime, seat
from tests.factories import local_day_ahead, make_user, wait_until_clear_of_local_midnight

PASSWORD = "selling seats all day"
LIVE = 3_000  # well under a second is measured in bench/; this only bounds a slow CI machine
DAYS_AHEAD = 2


def _shot(page: Page, name: str) -> None:
    folder = os.environ.get("MOVIEBOOK_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _context(browser: Browser, app_url: str, width: int):
    height = 1000 if width > 800 else 844
    context = browser.new_context(base_url=app_url, viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


@pytest.fixture
def box_office(app_db):
    """A showtime of this test's own (2 Adult = £25.00), a staff member and a moviegoer."""
    show = own_showtime(app_db, days=DAYS_AHEAD, base_price_cents=1250)
    staff = make_user(app_db, name="Sam Counter", role="staff", password=PASSWORD)
    moviegoer = make_user(app_db, name="Mo Viegoer", password=PASSWORD)
    app_db.commit()
    title = app_db.get(Movie, show.movie_id).title
    return {"show": show, "staff": staff, "moviegoer": moviegoer, "title": title}


def _open_the_showtime(page: Page, title: str) -> None:
    expect(page.get_by_role("heading", name="Box office", level=1)).to_be_visible()
    day = local_day_ahead(DAYS_AHEAD)
    day_button(page, day).click()
    expect(day_button(page, day)).to_have_attribute("aria-pressed", "true")
    page.get_by_role("group", name=f"Showtimes of {title}").get_by_role("button", name=re.compile(r"^18:00")).click()
    expect(page.get_by_role("region", name="Seat map")).to_be_visible()
    expect(page.get_by_role("heading", name=title, level=2)).to_be_visible()


def test_staff_sell_two_seats_for_cash_and_another_browser_sees_them_sold_live(browser, app_url, box_office):
    wait_until_clear_of_local_midnight(600)  # the sale and its cash-up belong to one local day
    show, title = box_office["show"], box_office["title"]
    viewer_context, viewer, viewer_errors = _context(browser, app_url, 1280)
    staff_context, staff, staff_errors = _context(browser, app_url, 1280)
    try:
        viewer.goto(f"/showtimes/{show.id}")  # a guest may look; the map is live all the same
        expect(viewer.get_by_role("region", name="Seat map")).to_be_visible()

        log_in(staff, box_office["staff"].email, PASSWORD, path="/login?next=/staff/sell")
        _open_the_showtime(staff, title)
        for number in (5, 6):
            seat(staff, "C", number).click()
            expect(seat(staff, "C", number)).to_have_attribute("aria-pressed", "true")
        for number in (5, 6):  # held under the staff member's id: every other map sees them go
            expect(seat(viewer, "C", number)).to_have_attribute("data-state", "held", timeout=LIVE)

        summary = staff.get_by_role("list", name="Order summary")
        expect(summary).to_contain_text("Row C, seat 5")
        expect(staff.get_by_label("Total", exact=True)).to_have_text("£25.00")  # 2 Adult, no booking fee
        expect(staff.get_by_label("Booking fee")).to_have_count(0)

        cash = staff.get_by_label("Cash handed over")
        cash.fill("20")
        expect(staff.get_by_role("status", name="Change")).to_have_text("Short by £5.00")
        expect(staff.get_by_role("button", name=re.compile(r"^Take cash"))).to_be_disabled()
        cash.fill("30")
        expect(staff.get_by_role("status", name="Change")).to_have_text("Change due £5.00")
        _shot(staff, "sell-1280")
        staff.get_by_role("button", name="Take cash £25.00").click()

        expect(staff).to_have_url(re.compile(r"/staff/tickets/[A-Z2-9]{4}-[A-Z2-9]{4}$"))
        expect(staff.get_by_text(re.compile(r"^Sold 2 tickets \(.*\)\. Change due £5\.00\.$"))).to_be_visible()
        receipt = staff.get_by_role("article", name="Receipt")
        expect(receipt.get_by_role("listitem", name="Seat C5")).to_contain_text("Adult")
        expect(receipt.get_by_label("Change")).to_have_text("£5.00")
        expect(receipt.get_by_label("Total")).to_have_text("£25.00")
        code = receipt.get_by_label("Booking code").inner_text()
        expect(receipt.get_by_role("img", name=f"QR code of booking {code}")).to_be_visible()
        _shot(staff, "receipt-1280")

        for number in (5, 6):  # sold, on the other browser's map, without a reload
            expect(seat(viewer, "C", number)).to_have_attribute("data-state", "booked", timeout=LIVE)

        staff.get_by_role("navigation", name="Staff sections").get_by_role("link", name="Cash-up").click()
        expect(staff.get_by_role("heading", name="Cash-up", level=1)).to_be_visible()
        expect(staff.get_by_label("Till", exact=True)).to_contain_text("Sam Counter")
        expect(staff.get_by_label("Sales", exact=True)).to_contain_text("1")
        expect(staff.get_by_label("Cash taken")).to_contain_text("£25.00")
        expect(staff.get_by_label("Expected cash in drawer")).to_contain_text("£125.00")  # float £100 + £25
        expect(staff.get_by_role("row", name="Adult 2 £25.00")).to_be_visible()  # tickets by type
        _shot(staff, "cashup-1280")
    finally:
        viewer_context.close()
        staff_context.close()
    assert viewer_errors == [] and staff_errors == [], viewer_errors + staff_errors


def test_on_a_narrow_screen_staff_take_a_card_refund_it_and_moviegoers_are_kept_out(browser, app_url, box_office):
    show, title = box_office["show"], box_office["title"]
    context, staff, errors = _context(browser, app_url, 390)
    try:
        log_in(staff, box_office["staff"].email, PASSWORD, path="/login?next=/staff/sell")
        _open_the_showtime(staff, title)
        seat(staff, "A", 1).click()
        expect(seat(staff, "A", 1)).to_have_attribute("aria-pressed", "true")
        staff.get_by_role("group", name="Payment").get_by_role("button", name="Card", exact=True).click()
        staff.get_by_label("Customer email (optional)").fill("walk-in@example")
        staff.get_by_role("button", name="Card paid").click()
        expect(
            staff.get_by_text("Enter a valid email address, like name@example.com, or leave it empty.")
        ).to_be_visible()
        staff.get_by_label("Customer email (optional)").fill("walk-in@example.com")
        _shot(staff, "sell-390")
        staff.get_by_role("button", name="Card paid").click()

        expect(staff).to_have_url(re.compile(r"/staff/tickets/"))
        receipt = staff.get_by_role("article", name="Receipt")
        expect(receipt.get_by_label("Paid by")).to_have_text("Card")
        expect(receipt.get_by_label("Customer")).to_have_text("walk-in@example.com")
        _shot(staff, "receipt-390")
        staff.emulate_media(media="print")  # on paper: the receipt alone, at till-roll width
        assert staff.get_by_role("article", name="Receipt").bounding_box()["width"] <= 80 * 96 / 25.4
        _shot(staff, "receipt-print")
        staff.emulate_media(media="screen")
        staff.get_by_role("button", name="Refund").click()
        staff.get_by_role("alertdialog").get_by_role("button", name="Refund £12.50").click()
        expect(staff.get_by_text("Refunded £12.50. The seats are on sale again.")).to_be_visible()
        expect(receipt).to_contain_text(re.compile(r"Refunded £12\.50 at .* by Sam Counter"))
        expect(staff.get_by_role("button", name="Refund")).to_have_count(0)

        staff.get_by_role("navigation", name="Staff sections").get_by_role("link", name="Cash-up").click()
        expect(staff.get_by_label("Card refunded")).to_contain_text("£12.50")
        expect(staff.get_by_label("Staff member")).to_have_count(0)  # staff see their own till only
        _shot(staff, "cashup-390")

        staff.goto(f"/showtimes/{show.id}")  # the seat is on sale again
        expect(seat(staff, "A", 1)).to_have_attribute("data-state", "available", timeout=LIVE)
    finally:
        context.close()
    assert errors == [], errors

    context, moviegoer, errors = _context(browser, app_url, 390)
    try:
        log_in(moviegoer, box_office["moviegoer"].email, PASSWORD, path="/login?next=/staff/sell")
        expect(moviegoer.get_by_text("Sorry, that is not available to your account.")).to_be_visible()
        expect(moviegoer).to_have_url(re.compile(r"/$"))
    finally:
        context.close()


def test_an_admin_picks_whose_cash_up_to_read(browser, app_url, app_env, box_office, app_db):
    from moviebook.models import Booking
    from moviebook.services.tickets import new_booking_code

    wait_until_clear_of_local_midnight(120)
    show, sam = box_office["show"], box_office["staff"]
    app_db.add(  # a sale Sam made today, card, 1 Adult
        Booking(
            showtime_id=show.id, code=new_booking_code(), total_cents=1250, channel="counter",
            payment_method="card", sold_by=sam.id, seat_count=0, idempotency_key=f"admin-view-{sam.id}",
        )
    )  # fmt: skip
    app_db.commit()
    context, admin, errors = _context(browser, app_url, 1280)
    try:
        log_in(admin, app_env["ADMIN_EMAIL"], app_env["ADMIN_PASSWORD"], path="/login?next=/staff/cashup")
        expect(admin.get_by_role("heading", name="Cash-up", level=1)).to_be_visible()
        admin.get_by_label("Staff member").select_option(value=str(sam.id))
        expect(admin.get_by_label("Till", exact=True)).to_contain_text("Sam Counter")
        expect(admin.get_by_label("Card taken")).to_contain_text("£12.50")
        _shot(admin, "cashup-admin-1280")
    finally:
        context.close()
    assert errors == [], errors
