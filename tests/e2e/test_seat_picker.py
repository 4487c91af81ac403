"""Two moviegoers on one showtime, side by side: live holds, payment, tickets, cancellation."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from moviebook.models import User
from tests.e2e.conftest import HOLD_TTL_SECONDS
from tests.e2e.helpers import choose_from_account_menu, fill_card, log_in, own_showtime, pay, seat
from tests.factories import cinema_tz, make_auditorium, make_movie, make_user, tag

PASSWORD = "popcorn for two"
LIVE = 3_000  # "well under a second" is measured in bench/; this only bounds a slow CI machine


def moviegoer(app_db, name: str) -> User:
    """Someone who can log in to the app under test."""
    user = make_user(app_db, name=name, password=PASSWORD)
    app_db.commit()
    return user


@pytest.fixture
def two_viewers(browser: Browser, app_url: str, app_db):
    """A and B logged in, each in their own browser context, on the same showtime of this test."""
    slot = own_showtime(app_db)
    pages = []
    for name in ("Alice", "Bob"):
        user = moviegoer(app_db, name)
        page = browser.new_context(base_url=app_url, viewport={"width": 1280, "height": 1000}).new_page()
        page.set_default_timeout(15_000)
        log_in(page, user.email, PASSWORD, path=f"/login?next=/showtimes/{slot.id}")
        expect(page.get_by_role("region", name="Seat map")).to_be_visible()
        pages.append(page)
    yield pages[0], pages[1], slot
    for page in pages:
        page.context.close()


def test_holds_sales_and_cancellations_show_live_in_another_browser(two_viewers):
    alice, bob, _ = two_viewers
    for number in (5, 6):
        seat(alice, "C", number).click()
        expect(seat(alice, "C", number)).to_have_attribute("aria-pressed", "true")
    # Bob sees them held within moments, without reloading, and cannot take them.
    for number in (5, 6):
        expect(seat(bob, "C", number)).to_have_attribute("data-state", "held", timeout=LIVE)
        expect(seat(bob, "C", number)).to_be_disabled()
    expect(alice.get_by_role("list", name="Order summary")).to_contain_text("Row C, seat 5")
    expect(alice.get_by_role("timer", name="Time left")).to_have_text(re.compile(r"^00:(4[0-5]|3\d)$"))

    # A declined card says so and keeps the seats.
    fill_card(alice, "Alice", "4000 0000 0000 0002")
    pay(alice)
    expect(alice.get_by_text("Your card was declined.")).to_be_visible()
    expect(seat(alice, "C", 5)).to_have_attribute("aria-pressed", "true")

    # A malformed card is refused at the field.
    alice.get_by_label("Card number").fill("1234")
    pay(alice)
    expect(alice.get_by_text("Enter a valid card number.")).to_be_visible()

    alice.get_by_label("Card number").fill("4242 4242 4242 4242")
    pay(alice)
    expect(alice).to_have_url(re.compile(r"/bookings/\d+$"))
    expect(alice.get_by_label("Booking code")).to_have_text(re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    code = alice.get_by_label("Booking code").inner_text()
    expect(alice.get_by_role("img", name=f"QR code of booking {code}")).to_be_visible()
    expect(alice.get_by_text("C5, C6")).to_be_visible()
    with alice.expect_download() as download:
        alice.get_by_role("button", name="Add to calendar (.ics)").click()
    ics = open(download.value.path()).read()
    assert "BEGIN:VEVENT" in ics and code in ics

    for number in (5, 6):
        expect(seat(bob, "C", number)).to_have_attribute("data-state", "booked", timeout=LIVE)

    # Alice cancels from My bookings; Bob sees the seats free again.
    alice.goto("/bookings")
    ticket = alice.get_by_role("article", name=re.compile(rf" {code}$"))
    ticket.get_by_role("button", name=f"Cancel booking {code}").click()
    alice.get_by_role("alertdialog").get_by_role("button", name="Cancel booking").click()
    expect(alice.get_by_text("Booking cancelled.")).to_be_visible()
    expect(alice.get_by_role("article", name=re.compile(rf" {code}$"))).to_contain_text("Cancelled")
    expect(alice.get_by_role("article", name=re.compile(rf" {code}$"))).to_contain_text("Refund:")
    for number in (5, 6):
        expect(seat(bob, "C", number)).to_have_attribute("data-state", "available", timeout=LIVE)
    seat(bob, "C", 5).click()
    expect(seat(bob, "C", 5)).to_have_attribute("aria-pressed", "true")


def test_a_guest_may_look_but_is_asked_to_log_in_to_choose(page: Page, app_db):
    slot = own_showtime(app_db)
    page.goto(f"/showtimes/{slot.id}")
    seat(page, "A", 3).click()
    expect(page).to_have_url(re.compile(rf"/login\?next=/showtimes/{slot.id}$"))
    user = moviegoer(app_db, "Carol")
    form = page.locator("form")
    form.get_by_label("Email").fill(user.email)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_label("Password").press("Enter")
    expect(page).to_have_url(re.compile(rf"/showtimes/{slot.id}$"))
    expect(page.get_by_role("region", name="Seat map")).to_be_visible()


def test_arrow_keys_move_between_seats_and_enter_selects(page: Page, app_db):
    slot = own_showtime(app_db)
    user = moviegoer(app_db, "Dan")
    log_in(page, user.email, PASSWORD, path=f"/login?next=/showtimes/{slot.id}")
    seat(page, "B", 2).focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    expect(seat(page, "C", 3)).to_be_focused()
    page.keyboard.press("Enter")
    expect(seat(page, "C", 3)).to_have_attribute("aria-pressed", "true")


def test_an_expired_hold_frees_the_seats_everywhere_and_tells_its_owner(two_viewers):
    alice, bob, _ = two_viewers
    seat(alice, "E", 9).click()
    expect(seat(bob, "E", 9)).to_have_attribute("data-state", "held", timeout=LIVE)
    expect(alice.get_by_role("timer", name="Time left")).to_have_text(re.compile(r"^00:\d\d$"))
    # Nobody touches anything: the hold runs out on its own.
    wait = (HOLD_TTL_SECONDS + 5) * 1000
    expect(seat(bob, "E", 9)).to_have_attribute("data-state", "available", timeout=wait)
    expect(alice.get_by_role("alert")).to_contain_text("Your hold ran out", timeout=LIVE)
    expect(seat(alice, "E", 9)).to_have_attribute("aria-pressed", "false")


def test_a_viewer_is_told_live_when_the_cinema_cancels_the_showtime(browser: Browser, app_url: str, app_env, app_db):
    movie = make_movie(app_db, f"Cancelled Tonight {tag()}")
    show = own_showtime(app_db, movie=movie, days=3)
    viewer = browser.new_context(base_url=app_url).new_page()
    admin = browser.new_context(base_url=app_url, viewport={"width": 1280, "height": 1000}).new_page()
    try:
        viewer.goto(f"/showtimes/{show.id}")
        expect(viewer.get_by_role("region", name="Seat map")).to_be_visible()
        log_in(admin, app_env["ADMIN_EMAIL"], app_env["ADMIN_PASSWORD"], path="/login?next=/admin/showtimes")
        expect(admin.get_by_role("heading", name="Schedule", level=1)).to_be_visible()
        local = show.starts_at.astimezone(cinema_tz())
        admin.get_by_label("Day", exact=True).fill(local.date().isoformat())
        expect(admin.get_by_role("heading", name=local.strftime("%A %d %B %Y"))).to_be_visible()
        admin.get_by_role("button", name=re.compile(rf"^{re.escape(movie.title)}, {local:%H:%M}–")).click()
        expect(admin.get_by_role("heading", name="Edit showtime")).to_be_visible()
        admin.get_by_role("button", name="Cancel showtime").click()
        admin.get_by_role("alertdialog").get_by_role("button", name="Cancel showtime").click()
        expect(admin.get_by_text("Showtime cancelled.")).to_be_visible()
        expect(viewer.get_by_text("This showtime has just been cancelled by the cinema.")).to_be_visible(timeout=LIVE)
    finally:
        viewer.context.close()
        admin.context.close()


def test_logging_out_releases_the_users_holds_for_everyone(two_viewers):
    alice, bob, _ = two_viewers
    seat(alice, "D", 2).click()
    expect(seat(bob, "D", 2)).to_have_attribute("data-state", "held", timeout=LIVE)
    choose_from_account_menu(alice, "Log out")
    expect(seat(bob, "D", 2)).to_have_attribute("data-state", "available", timeout=LIVE)


def test_a_tab_that_moved_to_another_showtime_is_not_sent_the_old_ones_seats(browser: Browser, app_url: str, app_db):
    # Two showtimes in the same room share seat ids, so a stray update would land on the wrong map.
    room = make_auditorium(app_db, f"Shared Room {tag()}", rows=6, seats_per_row=10)
    first = own_showtime(app_db, room=room, hour=15)
    second = own_showtime(app_db, room=room, hour=18)
    assert first.auditorium_id == second.auditorium_id
    actor_user = moviegoer(app_db, "Erin")
    actor = browser.new_context(base_url=app_url).new_page()
    viewer = browser.new_context(base_url=app_url).new_page()
    try:
        viewer.goto(f"/showtimes/{first.id}")
        expect(viewer.get_by_role("region", name="Seat map")).to_be_visible()
        viewer.goto(f"/showtimes/{second.id}")  # same tab, same client token
        expect(viewer.get_by_role("region", name="Seat map")).to_be_visible()
        log_in(actor, actor_user.email, PASSWORD, path=f"/login?next=/showtimes/{first.id}")
        seat(actor, "B", 4).click()
        expect(seat(actor, "B", 4)).to_have_attribute("aria-pressed", "true")
        viewer.wait_for_timeout(1500)  # longer than a live update takes
        expect(seat(viewer, "B", 4)).to_have_attribute("data-state", "available")
    finally:
        actor.context.close()
        viewer.context.close()


def test_a_guest_who_signs_up_instead_of_logging_in_also_comes_back(page: Page, app_db):
    slot = own_showtime(app_db)
    page.goto(f"/showtimes/{slot.id}")
    seat(page, "A", 5).click()
    expect(page).to_have_url(re.compile(rf"/login\?next=/showtimes/{slot.id}$"))
    page.get_by_role("link", name="Create an account").click()
    form = page.locator("form")
    form.get_by_label("Name").fill("Frank")
    form.get_by_label("Email").fill(f"frank-{uuid.uuid4().hex[:6]}@example.com")
    form.get_by_label("Password", exact=True).fill(PASSWORD)
    form.get_by_label("Confirm password").fill(PASSWORD)
    form.get_by_label("Confirm password").press("Enter")
    expect(page).to_have_url(re.compile(rf"/showtimes/{slot.id}$"))
    expect(page.get_by_role("region", name="Seat map")).to_be_visible()


def test_best_available_holds_the_best_seats_with_one_press_and_others_see_them_go(two_viewers):
    alice, bob, _ = two_viewers
    # A 6 x 10 room: rows D and E are as near the ideal two thirds back (a row too near counts
    # double), and a tie goes to the row further back; the middle two of ten are 5 and 6.
    alice.get_by_role("button", name="Hold the best seats").click()
    expect(alice.get_by_text("Held for you: E5, E6.")).to_be_visible()
    for number in (5, 6):
        expect(seat(alice, "E", number)).to_have_attribute("aria-pressed", "true")
        expect(seat(bob, "E", number)).to_have_attribute("data-state", "held", timeout=LIVE)
    expect(alice.get_by_role("list", name="Order summary")).to_contain_text("Row E, seat 6")

    # Asking for three replaces the choice with the best three (one more, not three more).
    alice.get_by_role("combobox", name="Best available").click()
    alice.get_by_role("option", name="3", exact=True).click()
    alice.get_by_role("button", name="Hold the best seats").click()
    expect(alice.get_by_text("Held for you: E4, E5, E6.")).to_be_visible()
    expect(seat(bob, "E", 4)).to_have_attribute("data-state", "held", timeout=LIVE)
    # Bob asks for the same: he gets the next best, never Alice's.
    bob.get_by_role("button", name="Hold the best seats").click()
    expect(bob.get_by_text("Held for you: D5, D6.")).to_be_visible()
    expect(seat(alice, "D", 5)).to_have_attribute("data-state", "held", timeout=LIVE)


def _width(locator) -> float:
    return locator.bounding_box()["width"]


def _inside(box: dict, frame: dict) -> bool:
    return (
        box["x"] >= frame["x"] - 0.5
        and box["y"] >= frame["y"] - 0.5
        and box["x"] + box["width"] <= frame["x"] + frame["width"] + 0.5
        and box["y"] + box["height"] <= frame["y"] + frame["height"] + 0.5
    )


def test_on_a_phone_a_big_room_opens_on_its_best_rows_and_pans_from_there(browser: Browser, app_url, app_db):
    # 26 rows of 22 seats, aisles after seats 5 and 17: far too big for a phone at 24 px, either
    # way. The best rows (best_available's measure, two thirds back) are R, S and Q; the block in
    # their middle is seats 6 to 17, between the aisles.
    room = make_auditorium(app_db, f"Big room {tag()}", rows=26, seats_per_row=22, aisles_after=(5, 17))
    slot = own_showtime(app_db, room=room)
    user = moviegoer(app_db, "Phone")
    context = browser.new_context(
        base_url=app_url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, user.email, PASSWORD, path=f"/login?next=/showtimes/{slot.id}")
        region = page.get_by_role("region", name="Seat map")
        expect(seat(page, "R", 6)).to_be_visible()
        frame = region.bounding_box()
        # The middle block of the best rows is in view, at the smallest thumb-sized seats...
        for row in ("Q", "R", "S"):
            for number in (6, 11, 12, 17):
                box = seat(page, row, number).bounding_box()
                assert _inside(box, frame), f"{row}{number} at {box} is outside the seat map {frame}"
        assert _width(seat(page, "R", 11)) == 24
        expect(seat(page, "R", 11)).to_be_in_viewport()  # on the screen too, not below the fold
        # ...and the rest of the room is there to pan to: the side blocks and the front rows.
        for row, number in (("R", 1), ("R", 22), ("A", 11)):
            box = seat(page, row, number).bounding_box()
            assert not _inside(box, frame), f"{row}{number} at {box} should be panned out of {frame}"
        assert seat(page, "A", 11).bounding_box()["y"] < frame["y"], "the front rows should be above, not below"

        # Panning there shows them; the best rows go out of view.
        seat(page, "A", 1).scroll_into_view_if_needed()
        assert _inside(seat(page, "A", 1).bounding_box(), region.bounding_box())
    finally:
        context.close()


def test_on_a_desktop_a_small_room_opens_fitted_to_the_width_of_its_best_rows(browser: Browser, app_url, app_db):
    slot = own_showtime(app_db)  # 6 rows of 10: best rows E, D, F
    page = browser.new_context(base_url=app_url, viewport={"width": 1280, "height": 1000}).new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"/showtimes/{slot.id}")
        expect(seat(page, "E", 1)).to_be_visible()
        frame = page.get_by_role("region", name="Seat map").bounding_box()
        for row in "ABCDEF":
            for number in (1, 10):
                assert _inside(seat(page, row, number).bounding_box(), frame), f"{row}{number} is not in view"
        # Zoomed in as far as the seats go (44 px): the whole room fits the map's width.
        assert _width(seat(page, "E", 5)) == 44
        expect(page.get_by_role("button", name="Smaller seats")).to_be_visible()
    finally:
        page.context.close()


def test_on_a_phone_seats_are_thumb_sized_and_the_map_zooms_by_button_and_pinch(browser: Browser, app_url, app_db):
    slot = own_showtime(app_db, room=make_auditorium(app_db, f"Wide room {tag()}", rows=8, seats_per_row=18))
    user = moviegoer(app_db, "Thumb")
    context = browser.new_context(
        base_url=app_url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, user.email, PASSWORD, path=f"/login?next=/showtimes/{slot.id}")
        first = seat(page, "A", 1)
        expect(first).to_be_visible()
        opened = _width(first)
        assert opened >= 24, "a seat smaller than a thumb (WCAG 2.2 target size: 24 px)"
        page.get_by_role("button", name="Bigger seats").tap()
        expect(first).to_have_css("width", f"{opened + 4:g}px")
        for _ in range(5):  # never below 24 px, however often
            page.get_by_role("button", name="Smaller seats").tap()
        expect(first).to_have_css("width", "24px")

        # Two fingers spread on the map: the seats grow.
        box = page.get_by_role("region", name="Seat map").bounding_box()
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        cdp = context.new_cdp_session(page)

        def touch(kind: str, spread: float) -> None:
            points = [{"x": cx - spread, "y": cy}, {"x": cx + spread, "y": cy}] if kind != "touchEnd" else []
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

        touch("touchStart", 30)
        for spread in (45, 60, 75):
            touch("touchMove", spread)
        touch("touchEnd", 0)
        expect(first).not_to_have_css("width", "24px")
        assert _width(first) >= 40, f"the pinch did not zoom the map: a seat is {_width(first)} px"

        # And a tap chooses a seat, the map scrolling sideways to reach it.
        middle = seat(page, "F", 9)
        middle.scroll_into_view_if_needed()
        middle.tap()
        expect(middle).to_have_attribute("aria-pressed", "true")
    finally:
        context.close()


def test_a_seat_taken_by_someone_else_is_said_politely_to_screen_readers(two_viewers):
    alice, bob, _ = two_viewers
    news = alice.get_by_role("status").filter(has_text="was just taken")
    seat(bob, "B", 2).click()
    expect(news).to_have_text("Row B, seat 2 was just taken.", timeout=LIVE)
    expect(alice.locator("#seat-news")).to_have_attribute("aria-live", "polite")
