"""An admin changes the Child discount and creates a promotion code for 3D showings."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from moviebook.models import TicketType
from moviebook.services.clock import local_today
from tests.e2e.helpers import log_in
from tests.factories import cinema_tz, tag


def _admin(browser: Browser, app_url: str, app_env, width: int) -> Page:
    page = browser.new_context(base_url=app_url, viewport={"width": width, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    log_in(page, app_env["ADMIN_EMAIL"], app_env["ADMIN_PASSWORD"], path="/login?next=/admin")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    return page


def _restore_child(app_db: Session, value: int) -> None:
    """The Child ticket is the seeded one other browser tests sell: put its discount back."""
    app_db.expire_all()
    child = app_db.exec(select(TicketType).where(TicketType.name == "Child")).one()
    child.value = value
    app_db.commit()


def test_an_admin_edits_the_child_discount_and_creates_a_3d_promotion(
    browser: Browser, app_url, app_env, app_db: Session, tmp_path
):
    child = app_db.exec(select(TicketType).where(TicketType.name == "Child")).one()
    original, code = child.value, f"THREED{tag().upper()}"
    year = local_today(cinema_tz()).year + 1
    admin = _admin(browser, app_url, app_env, 1280)
    try:
        # Ticket prices: the Child row says what it gives, against the £12.50 example.
        admin.get_by_role("navigation", name="Admin sections").get_by_role("link", name="Prices").click()
        expect(admin.get_by_role("heading", name="Ticket prices", level=1)).to_be_visible()
        row = admin.get_by_role("row", name="Child", exact=True)
        expect(row).to_contain_text("40% off")
        expect(row).to_contain_text("£7.50")
        expect(row).to_contain_text("Under 15")
        row.get_by_role("button", name="Edit Child").click()
        expect(admin.get_by_role("heading", name="Edit Child")).to_be_visible()
        discount = admin.get_by_label("Percentage off (%)")
        expect(discount).to_have_value("40")
        discount.fill("150")
        admin.get_by_role("button", name="Save ticket type").click()
        expect(admin.get_by_text("Enter a percentage from 0 to 100, with at most 2 decimals")).to_be_visible()
        discount.fill("50")
        admin.get_by_role("button", name="Save ticket type").click()
        expect(admin.get_by_text("Child saved. New sales use the new price.")).to_be_visible()
        expect(row).to_contain_text("50% off")
        expect(row).to_contain_text("£6.25")
        admin.screenshot(path=str(tmp_path / "pricing-1280.png"), full_page=True)

        # A code for 3D showings only.
        admin.get_by_role("navigation", name="Admin sections").get_by_role("link", name="Promotions").click()
        expect(admin.get_by_role("heading", name="Promotion codes", level=1)).to_be_visible()
        form = admin.locator("#promotion-form")
        expect(form.get_by_role("heading", name="New promotion code")).to_be_visible()
        form.get_by_label("Code").fill(code.lower())
        form.get_by_label("Description").fill("A quarter off 3D")
        form.get_by_label("Kind").select_option(label="Percentage off each ticket")
        form.get_by_label("Percentage off each ticket (%)").fill("25")
        form.get_by_label("Valid from").fill(f"{year}-01-01T00:00")
        form.get_by_label("Valid to").fill(f"{year - 1}-12-31T00:00")  # before the start: refused
        form.get_by_role("group", name="Formats").get_by_label("3D").check()
        form.get_by_label("Uses in total (empty: no limit)").fill("100")
        form.get_by_role("button", name="Create code").click()
        expect(form.get_by_text("The end must be after the start.")).to_be_visible()
        form.get_by_label("Valid to").fill(f"{year}-12-31T23:59")
        form.get_by_role("button", name="Create code").click()
        expect(admin.get_by_text(f"Code {code} created.")).to_be_visible()
        promo = admin.get_by_role("row", name=code)
        expect(promo).to_contain_text("25% off each ticket")
        expect(promo).to_contain_text("3D only")
        expect(promo).to_contain_text("Used 0 of 100")
        expect(promo).to_contain_text(f"1 Jan {year} 00:00 – 31 Dec {year} 23:59")
        expect(promo).to_contain_text("Scheduled")
        admin.screenshot(path=str(tmp_path / "promotions-1280.png"), full_page=True)
    finally:
        admin.context.close()
        _restore_child(app_db, original)

    # The same pages on a phone: still usable, the table scrolls sideways.
    phone = _admin(browser, app_url, app_env, 390)
    try:
        phone.goto("/admin/pricing")
        expect(phone.get_by_role("row", name="Adult", exact=True)).to_be_visible()
        phone.screenshot(path=str(tmp_path / "pricing-390.png"), full_page=True)
        phone.goto("/admin/promotions")
        expect(phone.get_by_role("row", name=code)).to_be_visible()
        expect(phone.get_by_role("row", name=code)).to_contain_text(re.compile(r"3D only"))
        phone.screenshot(path=str(tmp_path / "promotions-390.png"), full_page=True)
    finally:
        phone.context.close()
