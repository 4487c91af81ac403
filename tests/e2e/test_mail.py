"""Email end to end, through the embedded development mail server the quick start runs: a
moviegoer recovers their account with the link an admin reads in the Dev mailbox, and another
moviegoer's ticket mail arrives with its calendar file."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import fill_card, log_in, own_showtime, pay, seat
from tests.factories import make_movie, make_user, tag

ADMIN = ("admin@e2e.example", "e2e-admin-password")
PASSWORD = "my first password"


def _new_page(browser: Browser, app_url: str) -> Page:
    page = browser.new_context(base_url=app_url, viewport={"width": 1280, "height": 1000}).new_page()
    page.set_default_timeout(15_000)
    return page


def _open_mail(admin: Page, to: str, subject: str) -> None:
    """In the Dev mailbox, wait for the message to arrive (the sender runs every 2 s), open it.

    The list shown on load holds everyone's mail; the filtered one replaces it when Filter
    comes back, which the line above the list announces. The message is looked for only
    after that, so the click never lands on a row that the filtered list is replacing.
    """
    admin.get_by_label("Recipient").fill(to)
    filtered = admin.get_by_role("status").filter(has_text=re.compile(rf"messages? to {re.escape(to)}$"))
    deadline = time.monotonic() + 30
    row = admin.get_by_role("row").filter(has_text=to)
    message = row.get_by_role("button", name=re.compile(rf"^{re.escape(subject)}"))
    while time.monotonic() < deadline:
        admin.get_by_role("button", name="Filter").click()
        expect(filtered).to_be_visible()
        try:
            expect(message.first).to_be_visible(timeout=2_000)
            break
        except AssertionError:
            continue
    message.first.click()
    expect(admin.get_by_role("heading", name=re.compile(rf"^{re.escape(subject)}"), level=2)).to_be_visible()


def test_forgot_password_link_from_the_dev_mailbox_resets_it(browser: Browser, app_url: str, app_db):
    user = make_user(app_db, f"forgetful-{tag()}@example.com", name="Forgetful", password=PASSWORD)
    app_db.commit()
    person = _new_page(browser, app_url)
    person.goto("/login")
    person.get_by_role("link", name="Forgot password?").click()
    expect(person.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    person.get_by_label("Email").fill(user.email)
    person.get_by_role("button", name="Send me a link").click()
    expect(person.get_by_text("If an account uses that email, we have sent it a link")).to_be_visible()

    admin = _new_page(browser, app_url)
    log_in(admin, *ADMIN, path="/login?next=/admin/mailbox")
    expect(admin.get_by_role("heading", name="Dev mailbox")).to_be_visible()
    _open_mail(admin, user.email, "Choose a new password")
    link = admin.get_by_role("link", name=re.compile(r"\/reset-password\?token=")).get_attribute("href")

    person.goto(link)
    person.get_by_label("New password", exact=True).fill("a fresh start at last")
    person.get_by_label("Confirm new password").fill("a fresh start at last")
    person.get_by_role("button", name="Save new password").click()
    expect(person.get_by_text("Your password is changed. Log in with the new one.")).to_be_visible()
    log_in(person, user.email, "a fresh start at last")
    expect(person.get_by_text("Welcome back, Forgetful.")).to_be_visible()
    # The link worked once: opened again, it says so.
    person.goto(link)
    person.get_by_label("New password", exact=True).fill("yet another phrase")
    person.get_by_label("Confirm new password").fill("yet another phrase")
    person.get_by_role("button", name="Save new password").click()
    expect(person.get_by_text("This link is invalid, used or expired.")).to_be_visible()
    person.context.close()
    admin.context.close()


def test_the_ticket_mail_arrives_with_the_calendar_file(browser: Browser, app_url: str, app_db):
    film = make_movie(app_db, f"Lantern Bay {tag()}")
    show = own_showtime(app_db, movie=film)
    buyer_user = make_user(app_db, f"buyer-{tag()}@example.com", name="Buyer", password=PASSWORD)
    app_db.commit()
    buyer = _new_page(browser, app_url)
    log_in(buyer, buyer_user.email, PASSWORD, path=f"/login?next=/showtimes/{show.id}")
    seat(buyer, "D", 4).click()
    expect(buyer.get_by_role("list", name="Order summary")).to_contain_text("Row D, seat 4")
    fill_card(buyer, "Buyer")
    pay(buyer)
    expect(buyer).to_have_url(re.compile(r"/bookings/\d+$"))
    expect(buyer.get_by_label("Booking code")).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$"))
    code = buyer.get_by_label("Booking code").inner_text().strip()

    admin = _new_page(browser, app_url)
    log_in(admin, *ADMIN, path="/login?next=/admin/mailbox")
    _open_mail(admin, buyer_user.email, f"Your tickets for {film.title}")
    expect(admin.get_by_label("Message text")).to_contain_text(f"Booking code: {code}")
    # Each seat at its price, the fee once, and the total that was paid.
    expect(admin.get_by_label("Message text")).to_contain_text("D4 Adult £10.00")
    expect(admin.get_by_text(f"moviebook-{code}.ics")).to_be_visible()
    buyer.context.close()
    admin.context.close()
