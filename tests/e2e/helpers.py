"""What several browser tests do: make a showtime of their own, reach a day of the programme,
read the cards on it, pick seats and pay."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlmodel import Session

from moviebook.models import Auditorium, Showtime
from tests.factories import make_auditorium, make_showtime_ahead, tag

GOOD_CARD = "4242 4242 4242 4242"


def own_showtime(app_db: Session, *, room: Auditorium | None = None, **when_and_what) -> Showtime:
    """A showtime for this test alone, committed to the app's database: make_showtime_ahead's
    (18:00 two cinema-local days ahead, its own film), in a 6×10 room of its own unless given."""
    room = room or make_auditorium(app_db, f"Room {tag()}", rows=6, seats_per_row=10)
    show = make_showtime_ahead(app_db, room=room, **when_and_what)
    app_db.commit()
    return show


def titles_on(page: Page) -> list[str]:
    return page.get_by_role("article").evaluate_all("cards => cards.map(c => c.getAttribute('aria-label'))")


def date_label(day: date) -> str:
    """How the date strip writes a day, e.g. "3 Dec" (components/date_strip.py, state/views.py)."""
    return f"{day.day} {day:%b}"


def day_button(page: Page, day: date):
    """The date strip's button of ``day``, found by its date, not by "Tomorrow": the suite may
    cross midnight while it runs. Its name is the weekday (or Today/Tomorrow) and the date."""
    strip = page.get_by_role("group", name="Choose a day")
    return strip.get_by_role("button", name=re.compile(rf"(?<!\d){re.escape(date_label(day))}$"))


def open_day(page: Page, day: date) -> None:
    """Open the programme (today is chosen first), then choose ``day`` on the date strip."""
    page.goto("/")
    expect(page.get_by_role("heading", name="What's on", level=1)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Today"))).to_have_attribute("aria-pressed", "true")
    day_button(page, day).click()
    expect(day_button(page, day)).to_have_attribute("aria-pressed", "true")
    heading = re.compile(rf"^(Today|Tomorrow|[A-Z][a-z]{{2}} {re.escape(date_label(day))})$")
    expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()


def seat(page: Page, row: str, number: int):
    """A seat of the seat map, by its name ("Row C, seat 7, premium, available")."""
    return page.get_by_role("region", name="Seat map").get_by_role(
        "button", name=re.compile(rf"^Row {row}, seat {number}, ")
    )


def fill_card(page: Page, name: str, number: str = GOOD_CARD) -> None:
    page.get_by_label("Name on card").fill(name)
    page.get_by_label("Card number").fill(number)
    page.get_by_label("Expiry (MM/YY)").fill("12/39")
    page.get_by_label("CVC").fill("123")


def pay(page: Page) -> None:
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()


def log_in(page: Page, email: str, password: str, path: str = "/login") -> None:
    """Log in through the form, submitting with Enter as a keyboard user would."""
    page.goto(path)
    form = page.locator("form")
    # As a person waits for the button to stop spinning: the page is live (hydrated).
    expect(form.get_by_role("button", name="Log in")).to_be_enabled()
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
