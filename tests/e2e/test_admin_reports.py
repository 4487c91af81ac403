"""The admin's view of the box office: a live dashboard, and reports whose CSV matches the screen."""

from __future__ import annotations

import csv
import re
from datetime import timedelta

from playwright.sync_api import Browser, Page, expect

from moviebook.services.clock import local_today
from tests.e2e.helpers import fill_card, log_in, own_showtime, pay, seat
from tests.factories import cinema_tz, make_booking, make_user, wait_until_clear_of_local_midnight

ADMIN = ("admin@e2e.example", "e2e-admin-password")
PASSWORD = "tickets for the dashboard"
TWO_REGULAR_SEATS = [("B", 3), ("B", 4)]  # own_showtime's room has standard seats only


def _admin(browser: Browser, app_url: str, path: str) -> Page:
    page = browser.new_context(base_url=app_url, viewport={"width": 1280, "height": 1000}).new_page()
    page.set_default_timeout(15_000)
    log_in(page, *ADMIN, path=f"/login?next={path}")
    return page


def _tickets_sold_today(admin: Page) -> int:
    text = admin.get_by_role("group", name="Sold today").inner_text()
    return int(re.search(r"([\d,]+) tickets?\b", text).group(1).replace(",", ""))


def _pounds(text: str) -> str:
    return re.search(r"£([\d,]+\.\d\d)", text).group(1).replace(",", "")


def test_the_dashboard_changes_live_when_a_moviegoer_books(browser: Browser, app_url: str, app_db):
    slot = own_showtime(app_db)
    user = make_user(app_db, name="Carol", password=PASSWORD)
    app_db.commit()
    # "Sold today" counts by the moment of sale: the local day must not turn over mid-test.
    wait_until_clear_of_local_midnight(180)
    admin = _admin(browser, app_url, "/admin")
    expect(admin.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(admin.get_by_role("group", name="Sold today")).to_contain_text("tickets")
    expect(admin.get_by_role("figure", name="Tickets per film")).to_be_visible()
    before = _tickets_sold_today(admin)

    buyer = browser.new_context(base_url=app_url, viewport={"width": 1280, "height": 1000}).new_page()
    buyer.set_default_timeout(15_000)
    log_in(buyer, user.email, PASSWORD, path=f"/login?next=/showtimes/{slot.id}")
    for row, number in TWO_REGULAR_SEATS:
        seat(buyer, row, number).click()
        expect(seat(buyer, row, number)).to_have_attribute("aria-pressed", "true")
    # Held seats show up on the dashboard before anything is paid.
    expect(admin.get_by_role("group", name="Seats held right now")).to_contain_text(re.compile(r"right now\s*[1-9]"))
    fill_card(buyer, "Carol")
    pay(buyer)
    expect(buyer).to_have_url(re.compile(r"/bookings/\d+$"))

    # No reload: the admin's tile moves on its own.
    expect(admin.get_by_role("group", name="Sold today")).to_contain_text(f"{before + 2:,} tickets", timeout=5_000)
    buyer.context.close()
    admin.context.close()


def test_a_report_downloads_as_csv_and_its_totals_match_the_screen(browser: Browser, app_url: str, app_db):
    slot = own_showtime(app_db)  # two days ahead: inside the week the report covers below
    (row, number), _ = TWO_REGULAR_SEATS
    make_booking(app_db, make_user(app_db, name="Dave"), slot, {f"{row}{number}": 1234})
    app_db.commit()
    admin = _admin(browser, app_url, "/admin/reports")
    expect(admin.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    # Wait for the default period's report, as a person would, before choosing another.
    expect(admin.get_by_role("region", name="Revenue by day")).to_be_visible()
    today = local_today(cinema_tz())
    admin.get_by_label("From", exact=True).fill(today.isoformat())
    admin.get_by_label("To", exact=True).fill((today + timedelta(days=6)).isoformat())
    admin.get_by_role("button", name="Show report").click()
    table = admin.get_by_role("region", name="Revenue by day").get_by_role("table")
    expect(table).to_contain_text((today + timedelta(days=6)).isoformat())

    on_screen = _pounds(admin.get_by_role("group", name="Revenue").inner_text())
    assert float(on_screen) >= 12.34, "the booking made above plays this week"
    with admin.expect_download() as download:
        admin.get_by_role("button", name="Download Revenue by day as CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    with open(download.value.path(), newline="") as f:
        rows = list(csv.DictReader(f))
    days, totals = rows[:-1], rows[-1]
    assert len(days) == 7 and totals["Day"] == "Total"
    column = "Revenue (GBP)"
    cents = sum(int(r[column].replace(".", "")) for r in days)
    assert f"{cents // 100}.{cents % 100:02d}" == totals[column] == on_screen
    # And the screen's table says the same as the file, row by row.
    screen_total = table.locator("[data-totals]").inner_text()
    assert totals[column] in screen_total

    # Bad input gets a message, not a broken page.
    admin.get_by_label("From", exact=True).fill((today + timedelta(days=3)).isoformat())
    admin.get_by_label("To", exact=True).fill(today.isoformat())
    admin.get_by_role("button", name="Show report").click()
    expect(admin.get_by_role("alert")).to_contain_text("The start date must be on or before the end date.")

    # The seat heat map draws the chosen room's seats.
    expect(admin.get_by_role("img", name=re.compile(r"^Row A, seat 1: "))).to_be_visible()
    admin.context.close()
