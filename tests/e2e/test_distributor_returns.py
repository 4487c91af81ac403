"""The distributor return in a browser: a sale made through the checkout shows in its film week,
and the downloaded CSV says what the screen says."""

from __future__ import annotations

import csv
import re

import redis
from playwright.sync_api import Browser, expect
from sqlmodel import select

from moviebook.config import Settings
from moviebook.models import Movie, Seat, utcnow
from moviebook.services.bookings import hold_seats
from moviebook.services.checkout import Payment, Sale, SellingPolicy, complete_sale
from moviebook.services.distributor_returns import current_film_week, film_week_of
from moviebook.services.holds import HoldPolicy, HoldStore
from moviebook.services.payments import SimulatedProvider, parse_card
from tests.e2e.helpers import log_in, own_showtime
from tests.factories import cinema_tz, make_booking, make_promotion, make_ticket_types, make_user, tag

ADMIN = ("admin@e2e.example", "e2e-admin-password")


def _cents(text: str) -> int:
    """'£1,234.56' or '1234.56' -> 123456."""
    whole, frac = re.search(r"([\d,]+)\.(\d\d)", text).groups()
    return int(whole.replace(",", "")) * 100 + int(frac)


def _sell_online(app_env, app_db, show, buyer) -> None:
    """An Adult and a Child ticket bought online, through the one sale path the checkout uses."""
    types = make_ticket_types(app_db)
    seats = app_db.exec(
        select(Seat).where(Seat.auditorium_id == show.auditorium_id, Seat.row_label == "C").order_by(Seat.number)
    ).all()[:2]
    store = HoldStore(redis.Redis.from_url(app_env["REDIS_URL"], decode_responses=True), HoldPolicy())
    hold_seats(app_db, store, showtime_id=show.id, user_id=buyer.id, seat_ids=[s.id for s in seats])
    card = parse_card(
        {"card_number": "4242424242424242", "expiry": "12/39", "cvc": "123", "card_name": "Erin"}, utcnow().date()
    )
    sale = Sale(
        showtime_id=show.id,
        holder_id=buyer.id,
        channel="online",
        idempotency_key=f"returns-{tag()}",
        payment=Payment("card", card=card),
        chosen_types={seats[0].id: types["Adult"].id, seats[1].id: types["Child"].id},
    )
    booking = complete_sale(app_db, store, SimulatedProvider(), sale, policy=SellingPolicy(75, "GBP", cinema_tz()))
    # Base 10.00: Adult 10.00 + Child (40% off) 6.00, plus 0.75 fee each, which the return leaves out.
    assert (booking.total_cents, booking.fee_cents) == (1750, 150)


def test_the_return_for_a_sales_week_includes_it_and_its_csv_matches_the_screen(
    browser: Browser, app_url: str, app_env, app_db
):
    show = own_showtime(app_db)
    film = app_db.get(Movie, show.movie_id)
    film.rental_percent_bp = 4000
    buyer = make_user(app_db, name="Erin")
    app_db.commit()
    _sell_online(app_env, app_db, show, buyer)
    # Gross 16.00; net of 20% VAT 1600 / 1.2 = 1333.33 -> 13.33; due at 40%: 533.2 -> 5.33.
    expected_row = [film.title, "1", "2", "16.00", "13.33", "40.00", "5.33"]

    settings, tz = Settings(), cinema_tz()
    week = film_week_of(show.starts_at.astimezone(tz).date(), tz, settings.film_week_starts)
    page = browser.new_context(base_url=app_url, viewport={"width": 1280, "height": 1000}).new_page()
    page.set_default_timeout(15_000)
    log_in(page, *ADMIN, path="/login?next=/admin/returns")
    expect(page.get_by_role("heading", name="Distributor returns", level=1)).to_be_visible()
    # It opens on the current film week.
    now_week = current_film_week(utcnow(), tz, settings.film_week_starts)
    expect(page.get_by_role("heading", name=f"Film week {now_week.label}")).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Admin sections").get_by_role("link", name="Distributor returns")
    ).to_be_visible()

    # Choose the show's week by any day in it.
    page.get_by_label("Week containing").fill(show.starts_at.astimezone(tz).date().isoformat())
    page.get_by_role("button", name="Show week").click()
    expect(page.get_by_role("heading", name=f"Film week {week.label}")).to_be_visible()
    region = page.get_by_role("region", name="Distributor return")
    ours = region.get_by_role("row").filter(has_text=film.title)
    expect(ours).to_have_count(1)
    assert [c.strip() for c in ours.get_by_role("cell").all_inner_texts()] == expected_row
    expect(page.get_by_role("figure", name="Due per film")).to_be_visible()

    due_on_screen = _cents(page.get_by_role("group", name="Due to distributors").inner_text())
    gross_on_screen = _cents(page.get_by_role("group", name="Gross box office").inner_text())
    admissions_on_screen = int(
        re.search(r"Admissions\s+([\d,]+)", page.get_by_role("group", name="Admissions").inner_text())
        .group(1)
        .replace(",", "")
    )
    totals_on_screen = [c.strip() for c in region.locator("[data-totals]").get_by_role("cell").all_inner_texts()]

    with page.expect_download() as download:
        page.get_by_role("button", name="Download Distributor return as CSV").click()
    assert download.value.suggested_filename == f"moviebook-distributor-return-{week.start}-to-{week.end}.csv"
    with open(download.value.path(), newline="") as f:
        rows = list(csv.reader(f))
    header, films, totals = rows[0], rows[1:-1], rows[-1]
    assert header == [
        "Film",
        "Shows",
        "Admissions",
        "Gross box office (GBP)",
        "Net of VAT (GBP)",
        "Rental %",
        "Due (GBP)",
    ]
    assert expected_row in films
    assert totals == totals_on_screen and totals[0] == "Total"
    # The file adds up, and its totals are the screen's tiles.
    assert sum(int(r[2]) for r in films) == int(totals[2]) == admissions_on_screen
    assert sum(_cents(r[3]) for r in films) == _cents(totals[3]) == gross_on_screen
    assert sum(_cents(r[6]) for r in films) == _cents(totals[6]) == due_on_screen

    # The week before does not hold this sale.
    page.get_by_role("button", name="Previous week").click()
    expect(page.get_by_role("heading", name=f"Film week {week.previous().label}")).to_be_visible()
    expect(
        page.get_by_role("region", name="Distributor return").get_by_role("row").filter(has_text=film.title)
    ).to_have_count(0)
    page.get_by_role("button", name="Next week").click()
    expect(page.get_by_role("heading", name=f"Film week {week.label}")).to_be_visible()
    page.context.close()


def _wait_for_bars(page, chart: str) -> None:
    """A chart's bars are drawn, and their grow-in animation (about 1.5 s) is over."""
    expect(page.get_by_role("figure", name=chart).locator(".recharts-bar-rectangle").first).to_be_visible()
    page.wait_for_timeout(2_000)


def test_returns_and_the_sales_mix_at_phone_and_desktop_widths(browser: Browser, app_url: str, app_db, tmp_path):
    """Screenshots of both pages with a week of mixed sales: online with a code, the counter,
    a customer's cancellation that kept its fee."""
    show = own_showtime(app_db)
    film = app_db.get(Movie, show.movie_id)
    clerk = make_user(app_db, name="Clerk", role="staff")
    code = make_promotion(app_db, value=1000)
    online = {"fee_per_seat": 75, "promotion": code}
    make_booking(
        app_db, make_user(app_db, name="Fay"), show, {"D1": ("Adult", 1000, 100), "D2": ("Child", 600, 60)}, **online
    )
    make_booking(app_db, None, show, {"D3": ("Senior", 700, 0), "D4": 1000}, channel="counter", sold_by=clerk)
    make_booking(
        app_db, make_user(app_db, name="Gil"), show, {"D5": 1000}, status="cancelled", keep_fee=True, fee_per_seat=75
    )
    app_db.commit()
    tz = cinema_tz()
    day = show.starts_at.astimezone(tz).date()
    for width in (390, 1280):
        page = browser.new_context(base_url=app_url, viewport={"width": width, "height": 900}).new_page()
        page.set_default_timeout(15_000)
        log_in(page, *ADMIN, path="/login?next=/admin/returns")
        expect(page.get_by_role("region", name="Distributor return")).to_be_visible()
        page.get_by_label("Week containing").fill(day.isoformat())
        page.get_by_role("button", name="Show week").click()
        expect(
            page.get_by_role("region", name="Distributor return").get_by_role("row").filter(has_text=film.title)
        ).to_have_count(1)
        # Nothing wider than the screen but the table's own scroller.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the returns page scrolls sideways by {overflow}px at {width}px"
        _wait_for_bars(page, "Due per film")
        page.screenshot(path=str(tmp_path / f"returns-{width}.png"), full_page=True)

        page.goto("/admin/reports")
        expect(page.get_by_role("region", name="Revenue by day")).to_be_visible()
        page.get_by_label("From", exact=True).fill(day.isoformat())
        page.get_by_label("To", exact=True).fill(day.isoformat())
        page.get_by_role("button", name="Show report").click()
        expect(page.get_by_role("region", name="Sales by ticket type")).to_contain_text("Senior")
        expect(page.get_by_role("region", name="Discounts by promo code")).to_contain_text(code.code)
        _wait_for_bars(page, "Tickets by type")
        page.screenshot(path=str(tmp_path / f"reports-{width}.png"), full_page=True)
        page.context.close()
