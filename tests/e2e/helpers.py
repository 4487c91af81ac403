"""What several browser tests do: reach tomorrow's programme and read the cards on it."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout


def titles_on(page: Page) -> list[str]:
    return page.get_by_role("article").evaluate_all("cards => cards.map(c => c.getAttribute('aria-label'))")


def open_tomorrow(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="What's on", level=1)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Today"))).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name=re.compile(r"^Tomorrow")).click()
    expect(page.get_by_role("button", name=re.compile(r"^Tomorrow"))).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("heading", name="Tomorrow", level=2)).to_be_visible()


def log_in(page: Page, email: str, password: str, path: str = "/login") -> None:
    """Log in through the form, submitting with Enter as a keyboard user would."""
    page.goto(path)
    form = page.locator("form")
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_label("Password").press("Enter")


def navbar(page: Page):
    return page.get_by_role("navigation", name="Main")


def open_account_menu(page: Page) -> None:
    """Open the account menu. Right after a login the page is still re-rendering (welcome
    toast, listings arriving) and Radix may dismiss a menu opened in that instant; a person
    would simply click again, and so does this helper, once."""
    trigger = navbar(page).get_by_role("button", name=re.compile(r"^Account menu for "))
    trigger.click()
    try:
        expect(page.get_by_role("menu")).to_be_visible(timeout=3_000)
    except AssertionError:
        page.keyboard.press("Escape")
        trigger.click()
        expect(page.get_by_role("menu")).to_be_visible()


def choose_from_account_menu(page: Page, item: str) -> None:
    """Open the account menu and choose ``item``. A menu that a late re-render closes between
    opening and the click is opened again, as a person would; whatever the item should do is
    still asserted by the caller."""
    for _ in range(3):
        open_account_menu(page)
        try:
            page.get_by_role("menuitem", name=item).click(timeout=5_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    raise AssertionError(f"could not choose {item!r} from the account menu")
