"""A day with nothing left names the next day that has showtimes, one click away.

The test makes its own film, room and showtime, in a genre no other film has, three days from
today. Whatever the hour, today has nothing in that genre, so the page must say so and offer
that day; one click shows the film. Checked at desktop and phone width.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from moviebook.config import Settings
from moviebook.services.clock import at_local, local_today
from moviebook.state.views import long_day_label
from tests.factories import make_auditorium, make_movie, make_showtime


@pytest.fixture
def film_in_three_days(app_db):
    suffix = uuid.uuid4().hex[:8]
    tz = Settings().timezone
    day = local_today(tz) + timedelta(days=3)
    room = make_auditorium(app_db, f"Room {suffix}")
    film = make_movie(app_db, f"The Long Wait {suffix}", genres=(f"Slow Cinema {suffix}",))
    make_showtime(app_db, film, room, at_local(day, 19, 0, tz))
    app_db.commit()
    return {"title": film.title, "genre": f"Slow Cinema {suffix}", "room": room.name, "day": day}


def _choose_genre_on_an_empty_today(page: Page, genre: str, day_label: str) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="What's on", level=1)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Today"))).to_have_attribute("aria-pressed", "true")
    page.get_by_role("combobox", name="Genre").click()
    page.get_by_role("option", name=genre).click()
    expect(page.get_by_role("heading", name="No films match")).to_be_visible()
    expect(page.get_by_text("Nothing today matches your genre or search.")).to_be_visible()
    expect(page.get_by_text(f"The next showtimes that do are on {day_label}.")).to_be_visible()
    expect(page.get_by_role("button", name=f"Show {day_label}")).to_be_visible()


def _go_to_the_offered_day(page: Page, film: dict, day_label: str) -> None:
    page.get_by_role("button", name=f"Show {day_label}").click()
    chip = page.get_by_role("group", name="Choose a day").get_by_role("button", pressed=True)
    expect(chip).to_have_count(1)
    expect(chip).to_contain_text(f"{film['day'].day} {film['day']:%b}")
    expect(
        page.get_by_role("heading", name=f"{film['day']:%a} {film['day'].day} {film['day']:%b}", level=2)
    ).to_be_visible()
    card = page.get_by_role("article", name=film["title"])
    expect(card).to_be_visible()
    expect(card.get_by_role("link", name=f"19:00, 2D, {film['room']}")).to_be_visible()
    expect(page.get_by_role("article")).to_have_count(1)  # only the film of that genre


def test_an_empty_day_offers_the_next_day_with_showtimes_of_the_chosen_genre(
    page: Page, browser, app_url, film_in_three_days, tmp_path
):
    film = film_in_three_days
    day_label = long_day_label(film["day"])  # e.g. "Saturday 5 Dec"

    _choose_genre_on_an_empty_today(page, film["genre"], day_label)
    page.screenshot(path=str(tmp_path / "empty-day-1280.png"), full_page=True)
    _go_to_the_offered_day(page, film, day_label)

    phone = browser.new_context(base_url=app_url, viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        small = phone.new_page()
        _choose_genre_on_an_empty_today(small, film["genre"], day_label)
        small.screenshot(path=str(tmp_path / "empty-day-390.png"), full_page=True)
        overflow = small.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the empty day is {overflow}px wider than a phone screen"
        offer = small.get_by_role("button", name=f"Show {day_label}")
        box = offer.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844, "the offer is below the fold on a phone"
        _go_to_the_offered_day(small, film, day_label)
        small.screenshot(path=str(tmp_path / "offered-day-390.png"), full_page=True)
    finally:
        phone.close()
