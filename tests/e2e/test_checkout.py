"""Checkout the way a family buys: an Adult and a Child ticket with a promo code, paying exactly
what the summary showed; and a Child ticket that an 18 film does not offer."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.helpers import fill_card, log_in, own_showtime, pay, seat
from tests.factories import make_movie, make_promotion, make_ticket_types, make_user, tag

PASSWORD = "family night out"


def _moviegoer_on(page: Page, app_db, showtime_id: int) -> None:
    user = make_user(app_db, name="Parent", password=PASSWORD)
    app_db.commit()
    log_in(page, user.email, PASSWORD, path=f"/login?next=/showtimes/{showtime_id}")
    expect(page.get_by_role("region", name="Seat map")).to_be_visible()


def test_an_adult_and_a_child_with_a_code_pay_exactly_the_total_shown(page: Page, app_db):
    make_ticket_types(app_db)
    code = f"FAM{tag()}".upper()[:20]
    make_promotion(app_db, code, value=1000)  # 10% off
    film = make_movie(app_db, f"Paper Kites {tag()}", age_rating="PG")
    show = own_showtime(app_db, movie=film, base_price_cents=1250)
    _moviegoer_on(page, app_db, show.id)

    seat(page, "C", 5).click()
    seat(page, "C", 6).click()
    summary = page.get_by_role("list", name="Order summary")
    expect(summary).to_contain_text("Row C, seat 6")
    page.get_by_label("Ticket for Row C, seat 6").select_option(label="Child")
    # Adult 12.50 + Child (40% off) 7.50 = 20.00, plus the online fee of 0.75 a ticket.
    expect(page.get_by_label("Total", exact=True)).to_have_text("£21.50")
    expect(page.get_by_label("Child tickets")).to_have_text("1")

    page.get_by_label("Promo code").fill(code.lower())
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text(f"Code {code} applied.")).to_be_visible()
    # 10% off each seat: 1.25 + 0.75 = 2.00 off -> 18.00 + 1.50 fee = 19.50.
    expect(page.get_by_label("Discount")).to_have_text("−£2.00")
    expect(page.get_by_label("Booking fee")).to_have_text("£1.50")
    expect(page.get_by_label("Total", exact=True)).to_have_text("£19.50")
    expect(page.get_by_role("button", name="Pay £19.50")).to_be_visible()

    fill_card(page, "Parent")
    pay(page)
    expect(page).to_have_url(re.compile(r"/bookings/\d+$"), timeout=15_000)
    expect(page.get_by_text("Total paid: £19.50")).to_be_visible()


def test_a_child_ticket_cannot_be_chosen_for_an_18_film(page: Page, app_db):
    make_ticket_types(app_db)
    film = make_movie(app_db, f"Night Teeth {tag()}", age_rating="18")
    show = own_showtime(app_db, movie=film, base_price_cents=1250)
    _moviegoer_on(page, app_db, show.id)

    seat(page, "B", 2).click()
    expect(page.get_by_role("list", name="Order summary")).to_contain_text("Row B, seat 2")
    select = page.get_by_label("Ticket for Row B, seat 2")
    expect(select.locator("option", has_text="Child")).to_be_disabled()
    expect(select.locator("option", has_text="Adult")).to_be_enabled()
    expect(page.get_by_role("button", name="One more Child")).to_be_disabled()
    expect(page.get_by_role("group", name="Tickets by type")).to_contain_text("Not for this film")
    expect(page.get_by_label("Total", exact=True)).to_have_text("£13.25")
