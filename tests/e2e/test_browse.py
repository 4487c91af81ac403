"""A moviegoer browses the programme in Chromium, against the production build."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import open_tomorrow, titles_on


def test_the_date_strip_offers_today_and_six_more_days(page: Page):
    page.goto("/")
    strip = page.get_by_role("group", name="Choose a day")
    expect(strip.get_by_role("button")).to_have_count(7)
    expect(strip.get_by_role("button").first).to_contain_text("Today")


def test_tomorrow_shows_every_scheduled_movie_with_poster_and_showtimes(page: Page, programme):
    open_tomorrow(page)
    expected = [item.movie.title for item in programme["listings"]]
    expect(page.get_by_role("article")).to_have_count(len(expected))
    assert titles_on(page) == expected

    first = programme["listings"][0]
    card = page.get_by_role("article", name=first.movie.title)
    for genre in first.movie.genres:
        expect(card.get_by_text(genre, exact=True)).to_be_visible()
    expect(card.get_by_label(f"Age rating {first.movie.age_rating}")).to_be_visible()
    expect(card.get_by_role("link", name=re.compile(r"^\d\d:\d\d, (2D|3D|IMAX), "))).to_have_count(len(first.showtimes))

    poster = card.get_by_role("img", name=f"Poster for {first.movie.title}")
    expect(poster).to_be_visible()
    assert poster.evaluate("img => img.complete && img.naturalWidth > 0"), "poster image did not load"


def test_genre_filter_and_title_search_update_without_reload(page: Page, programme):
    open_tomorrow(page)
    page.evaluate("window.__no_reload_marker = 1")  # gone if the page reloads

    horror = [item.movie.title for item in programme["listings"] if "Horror" in item.movie.genres]
    page.get_by_role("combobox", name="Genre").click()
    page.get_by_role("option", name="Horror").click()
    expect(page.get_by_role("article")).to_have_count(len(horror))
    assert titles_on(page) == horror

    page.get_by_role("searchbox", name="Search titles").fill("zzz-no-such-film")
    expect(page.get_by_role("heading", name="No films match")).to_be_visible()
    expect(page.get_by_role("article")).to_have_count(0)

    page.get_by_role("button", name="Clear filters").first.click()
    expect(page.get_by_role("article")).to_have_count(len(programme["listings"]))

    word = programme["listings"][-1].movie.title.split()[-1].lower()
    matching = [item.movie.title for item in programme["listings"] if word in item.movie.title.lower()]
    page.get_by_role("searchbox", name="Search titles").fill(word)
    expect(page.get_by_role("article")).to_have_count(len(matching))
    assert titles_on(page) == matching
    assert page.evaluate("window.__no_reload_marker") == 1


def test_movie_detail_shows_synopsis_and_the_week(page: Page, programme):
    listing = programme["listings"][0]
    week = programme["weeks"][listing.movie.id]
    open_tomorrow(page)
    page.get_by_role("article", name=listing.movie.title).get_by_role("heading", name=listing.movie.title).click()
    expect(page).to_have_url(re.compile(rf"/movies/{listing.movie.id}$"))
    expect(page.get_by_role("heading", name=listing.movie.title, level=1)).to_be_visible()
    expect(page.get_by_text(listing.movie.synopsis)).to_be_visible()
    expect(page.get_by_role("heading", name="Showtimes this week")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^\d\d:\d\d, (2D|3D|IMAX), "))).to_have_count(len(week.showtimes))

    page.get_by_role("link", name="All films").click()
    expect(page.get_by_role("heading", name="What's on", level=1)).to_be_visible()


@pytest.mark.parametrize("path", ["/movies/999999", "/movies/not-a-number", "/movies/99999999999999999999"])
def test_unknown_movie_gets_a_clear_message(page: Page, path: str):
    page.goto(path)
    expect(page.get_by_role("heading", name="Film not found")).to_be_visible()
    expect(page.get_by_role("link", name="See what's on")).to_be_visible()


def test_phone_width_has_no_sideways_scrolling(browser, app_url, programme):
    context = browser.new_context(base_url=app_url, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        open_tomorrow(page)
        expect(page.get_by_role("article")).to_have_count(len(programme["listings"]))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"page is {overflow}px wider than a phone screen"
    finally:
        context.close()
