"""An admin sets up a film, a room and a showtime from the dashboard; a moviegoer then finds it."""

from __future__ import annotations

import re

from PIL import Image
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import log_in, open_day
from tests.factories import local_day_ahead, tag


def admin_page(browser: Browser, app_url: str, app_env) -> Page:
    page = browser.new_context(base_url=app_url, viewport={"width": 1280, "height": 1000}).new_page()
    page.set_default_timeout(15_000)
    log_in(page, app_env["ADMIN_EMAIL"], app_env["ADMIN_PASSWORD"], path="/login?next=/admin")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    return page


def test_an_admin_sets_up_a_film_room_and_showtime_that_moviegoers_then_see(
    browser: Browser, app_url, app_env, tmp_path, page
):
    name = tag()
    title, room = f"Premiere {name}", f"Hall {name}"
    poster = tmp_path / "poster.png"
    Image.new("RGB", (200, 300), (180, 40, 60)).save(poster)
    fake = tmp_path / "not-really.png"
    fake.write_text("just some text pretending to be an image")

    admin = admin_page(browser, app_url, app_env)
    try:
        # A film, with a poster checked by its content.
        admin.goto("/admin/movies/new")
        expect(admin.get_by_role("heading", name="New film")).to_be_visible()
        admin.locator("input[type=file]").set_input_files(str(fake))
        expect(admin.get_by_role("alert")).to_contain_text("not a PNG, JPEG or WebP")
        admin.locator("input[type=file]").set_input_files(str(poster))
        expect(admin.get_by_role("img", name="Poster preview")).to_have_attribute(
            "src", re.compile(r"/_upload/posters/")
        )
        admin.get_by_label("Title").fill(title)
        admin.get_by_label("Synopsis").fill("A test premiere, made from the dashboard.")
        admin.get_by_label("Runtime (minutes)").fill("95")
        admin.get_by_label("Age rating").select_option("12A")
        admin.get_by_role("group", name="Genres").get_by_role("button", name="Drama").click()
        expect(admin.get_by_role("group", name="Genres").get_by_role("button", name="Drama")).to_have_attribute(
            "aria-pressed", "true"
        )
        admin.get_by_role("button", name="Save film").click()
        expect(admin.get_by_text("Film saved.")).to_be_visible()
        # Found by its title, as an admin would in a long list (other tests add films too).
        admin.get_by_role("searchbox", name="Search films").fill(title)
        expect(admin.get_by_role("row", name=title)).to_be_visible()

        # An 8×12 room with an aisle after seat 6, and a premium back row.
        admin.goto("/admin/auditoriums")
        admin.get_by_label("Name").fill(room)
        admin.get_by_label("Rows").fill("8")
        admin.get_by_label("Seats per row").fill("12")
        admin.get_by_label("Aisles after seat numbers").fill("6")
        admin.get_by_role("button", name="Create room").click()
        expect(admin.get_by_role("heading", name=room)).to_be_visible()
        editor = admin.get_by_role("region", name="Layout editor")
        expect(editor.get_by_role("button", name=re.compile(r"^Row [A-H], seat \d+,"))).to_have_count(96)
        admin.get_by_role("button", name="Select row H").click()
        expect(admin.get_by_text("12 selected")).to_be_visible()
        admin.get_by_role("button", name="Make selected seats premium").click()
        expect(admin.get_by_text("12 seats are now premium.")).to_be_visible()
        expect(editor.get_by_role("button", name=re.compile(r"^Row H, seat \d+, premium$"))).to_have_count(12)
        expect(editor.get_by_role("button", name="Row G, seat 1, standard")).to_be_visible()

        # In two days at 19:00 there; then an overlapping showtime is refused, naming the clash.
        day = local_day_ahead(2)
        admin.goto("/admin/showtimes")
        for start, outcome in (("19:00", "scheduled"), ("20:00", "refused")):
            form = admin.locator("form").filter(has=admin.get_by_role("button", name="Schedule", exact=True))
            form.get_by_label("Film").select_option(label=title)
            form.get_by_label("Room").select_option(label=room)
            form.get_by_label("Date").fill(day.isoformat())
            form.get_by_label("Start time").fill(start)
            form.get_by_label("Base price").fill("12.00")
            form.get_by_role("button", name="Schedule", exact=True).click()
            if outcome == "scheduled":
                expect(admin.get_by_text("Showtime scheduled.")).to_be_visible()
                lane = admin.get_by_role("group", name=f"Schedule of {room}")
                expect(lane.get_by_role("button", name=re.compile(rf"^{title}, 19:00–20:50, 2D, "))).to_be_visible()
            else:
                expect(admin.get_by_role("alert")).to_contain_text(f"It overlaps “{title}”")
                expect(admin.get_by_role("alert")).to_contain_text("19:00–20:50")
    finally:
        admin.context.close()

    # A moviegoer, in another browser context, finds it on that day's programme with its poster.
    open_day(page, day)
    card = page.get_by_role("article", name=title)
    expect(card).to_be_visible()
    expect(card.get_by_role("link", name=re.compile(rf"^19:00, 2D, {room}$"))).to_be_visible()
    image = card.get_by_role("img", name=f"Poster for {title}")
    expect(image).to_have_attribute("src", re.compile(r"/_upload/posters/.+\.png$"))
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth === 200", arg=image.element_handle())
