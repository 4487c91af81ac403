"""Accounts in Chromium: sign up, stay logged in, log out and in, lock-out, roles."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import choose_from_account_menu, log_in, navbar
from tests.factories import make_user, tag

PASSWORD = "a night at the movies"


def unique_email(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}@example.com"


@pytest.fixture
def moviegoer(app_db):
    """A fresh account that can log in, for tests that are not about signing up."""
    user = make_user(app_db, name=f"Goer {tag()}", password=PASSWORD)
    app_db.commit()
    return user


def test_sign_up_then_stay_logged_in_across_reload_and_tabs(page: Page):
    page.goto("/signup")
    form = page.locator("form")
    form.get_by_label("Name").fill("Rosa Cinephile")
    form.get_by_label("Email").fill("not-an-email")
    form.get_by_label("Password", exact=True).fill("short")
    form.get_by_label("Confirm password").fill("different")
    form.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("Enter a valid email address")).to_be_visible()
    expect(page.get_by_text("Use at least 8 characters.")).to_be_visible()
    expect(page.get_by_text("The passwords do not match.")).to_be_visible()

    email = unique_email("rosa")
    form.get_by_label("Email").fill(email)
    form.get_by_label("Password", exact=True).fill(PASSWORD)
    form.get_by_label("Confirm password").fill(PASSWORD)
    form.get_by_label("Confirm password").press("Enter")
    expect(navbar(page).get_by_text("Rosa Cinephile")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))

    page.reload()
    expect(navbar(page).get_by_text("Rosa Cinephile")).to_be_visible()
    second_tab = page.context.new_page()
    second_tab.goto("/")
    expect(navbar(second_tab).get_by_text("Rosa Cinephile")).to_be_visible()
    second_tab.close()

    page.goto("/signup")  # already logged in: nothing to sign up for
    expect(page).to_have_url(re.compile(r"/$"))


def test_an_email_already_registered_is_refused_at_the_field(page: Page, moviegoer):
    page.goto("/signup")
    form = page.locator("form")
    form.get_by_label("Name").fill("Copy Cat")
    form.get_by_label("Email").fill(moviegoer.email.upper())
    form.get_by_label("Password", exact=True).fill(PASSWORD)
    form.get_by_label("Confirm password").fill(PASSWORD)
    form.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("An account with this email already exists.")).to_be_visible()
    expect(navbar(page).get_by_role("link", name="Log in")).to_be_visible()


def test_log_out_and_log_in_again(page: Page, moviegoer):
    log_in(page, moviegoer.email, PASSWORD)
    expect(navbar(page).get_by_text(moviegoer.name)).to_be_visible()
    choose_from_account_menu(page, "Log out")
    expect(navbar(page).get_by_role("link", name="Log in")).to_be_visible()
    page.reload()
    expect(navbar(page).get_by_role("link", name="Log in")).to_be_visible()  # really out, not just hidden
    log_in(page, moviegoer.email, PASSWORD)
    expect(navbar(page).get_by_text(moviegoer.name)).to_be_visible()


def test_after_logging_in_the_user_returns_to_where_they_were(page: Page, moviegoer):
    page.goto("/account")
    expect(page).to_have_url(re.compile(r"/login\?next=/account"))
    form = page.locator("form")
    form.get_by_label("Email").fill(moviegoer.email)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_label("Password").press("Enter")
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
    expect(page.get_by_text(moviegoer.email)).to_be_visible()


def test_wrong_password_then_lock_out_on_the_sixth_try(page: Page, moviegoer):
    for attempt in range(5):
        log_in(page, moviegoer.email, f"wrong password {attempt}")
        expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    log_in(page, moviegoer.email, PASSWORD)  # even the right password is refused now
    expect(page.get_by_role("alert")).to_contain_text("Too many failed attempts")
    expect(navbar(page).get_by_role("link", name="Log in")).to_be_visible()


def test_change_name_and_password(page: Page, moviegoer):
    log_in(page, moviegoer.email, PASSWORD, path="/login?next=/account")
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
    page.get_by_label("Name").fill("Renamed Goer")
    page.get_by_role("button", name="Save name").click()
    expect(navbar(page).get_by_text("Renamed Goer")).to_be_visible()

    page.get_by_label("Current password", exact=True).fill("not my password")
    page.get_by_label("New password", exact=True).fill("brand new password")
    page.get_by_label("Confirm new password").fill("brand new password")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("That is not your current password.")).to_be_visible()

    page.get_by_label("Current password", exact=True).fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("brand new password")
    page.get_by_label("Confirm new password").fill("brand new password")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Password changed")).to_be_visible()
    choose_from_account_menu(page, "Log out")
    log_in(page, moviegoer.email, "brand new password")
    expect(navbar(page).get_by_text("Renamed Goer")).to_be_visible()


def test_a_plain_user_opening_admin_is_sent_away(page: Page, moviegoer):
    log_in(page, moviegoer.email, PASSWORD)
    expect(navbar(page).get_by_text(moviegoer.name)).to_be_visible()
    page.goto("/admin/users")
    expect(page.get_by_text("Sorry, that is not available to your account.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("table")).to_have_count(0)


def test_admin_promotes_a_user_who_then_sees_staff_powers(browser: Browser, app_url: str, app_env, moviegoer):
    admin_ctx = browser.new_context(base_url=app_url)
    user_ctx = browser.new_context(base_url=app_url)
    try:
        user_page = user_ctx.new_page()
        log_in(user_page, moviegoer.email, PASSWORD)
        expect(navbar(user_page).get_by_text(moviegoer.name)).to_be_visible()
        expect(navbar(user_page).get_by_text("Moviegoer", exact=True)).to_be_visible()
        expect(navbar(user_page).get_by_text("Staff", exact=True)).to_have_count(0)

        admin = admin_ctx.new_page()
        log_in(admin, app_env["ADMIN_EMAIL"], app_env["ADMIN_PASSWORD"], path="/login?next=/admin/users")
        expect(admin.get_by_role("heading", name="Users and roles")).to_be_visible()
        admin.get_by_role("searchbox", name="Search accounts").fill(moviegoer.email)
        row = admin.get_by_role("row", name=moviegoer.email)
        expect(row).to_be_visible()
        expect(admin.get_by_role("row")).to_have_count(2)  # header and the one match
        row.get_by_role("combobox", name=f"Role of {moviegoer.name}").click()
        admin.get_by_role("option", name="Staff").click()
        expect(admin.get_by_text("Role changed to Staff.")).to_be_visible()

        user_page.goto("/")  # the user's next page view
        expect(navbar(user_page).get_by_text("Staff", exact=True)).to_be_visible()
    finally:
        admin_ctx.close()
        user_ctx.close()


def test_a_forged_token_is_treated_as_logged_out_with_a_message(page: Page, moviegoer):
    log_in(page, moviegoer.email, PASSWORD)
    expect(navbar(page).get_by_text(moviegoer.name)).to_be_visible()
    # Tamper with the stored tokens as an attacker with access to the browser might.
    page.evaluate("""() => {
        const [head, body] = localStorage.getItem('mb_access').split('.');
        localStorage.setItem('mb_access', head + '.' + body + '.forged-signature');
        localStorage.setItem('mb_refresh', 'not-a-token');
    }""")
    page.reload()
    expect(page.get_by_text("Your session is not valid. Please sign in again.")).to_be_visible()
    expect(navbar(page).get_by_role("link", name="Log in")).to_be_visible()
    page.goto("/account")
    expect(page).to_have_url(re.compile(r"/login\?next=/account"))
