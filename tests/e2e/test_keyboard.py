"""A whole purchase without a mouse, as a keyboard user makes it: Tab moves the focus, Enter
presses, typing fills the field that has the focus. Log in, pick the day, pick the showtime,
ask for the best two seats, pay, and read the ticket."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.helpers import day_button, own_showtime
from tests.factories import cinema_tz, make_movie, make_user, tag

PASSWORD = "keys, not a mouse"


def _tab_to(page: Page, target: Locator, limit: int = 300) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user moves through a page."""
    target.wait_for()
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement || el.contains(document.activeElement)"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{limit} presses of Tab never reached {target}")


def _type_into(page: Page, field: Locator, text: str) -> None:
    _tab_to(page, field)
    page.keyboard.type(text)


def test_a_whole_purchase_by_keyboard(browser: Browser, app_url: str, app_db):
    film = make_movie(app_db, f"Keys Only {tag()}")
    show = own_showtime(app_db, movie=film)
    user = make_user(app_db, name="Kay Board", password=PASSWORD)
    app_db.commit()
    day = show.starts_at.astimezone(cinema_tz()).date()
    page = browser.new_context(base_url=app_url, viewport={"width": 1280, "height": 1000}).new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto("/login?next=/")
        form = page.locator("form")
        expect(form.get_by_role("button", name="Log in")).to_be_enabled()
        _type_into(page, form.get_by_label("Email"), user.email)
        _type_into(page, form.get_by_label("Password"), PASSWORD)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="What's on", level=1)).to_be_visible()

        _tab_to(page, day_button(page, day))
        page.keyboard.press("Enter")
        expect(day_button(page, day)).to_have_attribute("aria-pressed", "true")
        _tab_to(page, page.get_by_role("article", name=film.title).get_by_role("link", name=re.compile(r"^18:00")))
        page.keyboard.press("Enter")
        expect(page.get_by_role("region", name="Seat map")).to_be_visible()

        _tab_to(page, page.get_by_role("button", name="Hold the best seats"))
        page.keyboard.press("Enter")
        expect(page.get_by_text("Held for you: E5, E6.")).to_be_visible()
        _type_into(page, page.get_by_label("Name on card"), "Kay Board")
        _type_into(page, page.get_by_label("Card number"), "4242 4242 4242 4242")
        _type_into(page, page.get_by_label("Expiry (MM/YY)"), "12/39")
        _type_into(page, page.get_by_label("CVC"), "123")
        _tab_to(page, page.get_by_role("button", name=re.compile(r"^Pay ")))
        page.keyboard.press("Enter")

        expect(page).to_have_url(re.compile(r"/bookings/\d+$"))
        expect(page.get_by_role("heading", name=film.title)).to_be_visible()
        expect(page.locator("body")).to_contain_text("Seats: E5, E6")
    finally:
        page.context.close()
