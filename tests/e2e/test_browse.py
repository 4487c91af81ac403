"""A moviegoer browses the programme in Chromium, against the production build.

Each test puts a small programme of its own on a day two days ahead (films with a unique tag in
their titles and genres of their own) and asserts on those films only: the seeded films and
other tests' films share the day, so they are never counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from moviebook.config import PROJECT_ROOT
from moviebook.models import Movie, Showtime
from tests.e2e.helpers import open_day, titles_on
from tests.factories import (
    cinema_tz,
    local_day_ahead,
    local_time_ahead,
    make_auditorium,
    make_movie,
    make_showtime,
    tag,
)

# A poster file the project ships (any will do); the films are this test's own rows.
POSTER = "/posters/" + sorted((PROJECT_ROOT / "assets" / "posters").glob("*.jpg"))[0].name


@dataclass
class Programme:
    tag: str
    day: date  # the cinema-local day the films play on
    genre: str  # every film of this programme, and no other, has it
    noir: str  # a second genre of their own: two of the three films
    films: list[Movie]  # in title order, as the page lists them
    noir_films: list[Movie]  # the films of genre ``noir``, in title order
    showtimes: dict[int, list[Showtime]]  # per film: those on ``day``, in time order
    week: dict[int, list[Showtime]]  # per film: every showtime of the coming week


@pytest.fixture
def programme(app_db) -> Programme:
    t = tag()
    genre, noir = f"Genre {t}", f"Noir {t}"
    small, big = make_auditorium(app_db, f"Small {t}", rows=4, seats_per_row=6), make_auditorium(app_db, f"Big {t}")
    # Titles carry the tag, so a search for it (or for "harbour <tag>") finds these films only.
    glacier = make_movie(
        app_db,
        f"Glacier {t}",
        genres=(genre, "Drama"),
        age_rating="12A",
        synopsis=f"A slow thaw, told over one winter ({t}).",
        poster_path=POSTER,
    )
    lights = make_movie(
        app_db,
        f"Harbour {t} Lights",
        genres=(genre, noir),
        age_rating="15",
        synopsis=f"A lighthouse keeper and three nights of fog ({t}).",
        poster_path=POSTER,
    )
    mist = make_movie(app_db, f"Harbour {t} Mist", genres=(genre, noir), poster_path=POSTER)
    day = local_day_ahead(2)

    def show(movie, room, days, hour, minute=0, **fields):
        return make_showtime(app_db, movie, room, local_time_ahead(days, hour, minute), **fields)

    week = {
        glacier.id: [show(glacier, small, 2, 14, 30), show(glacier, small, 2, 20, 15, format="IMAX")],
        lights.id: [show(lights, big, 2, 18), show(lights, big, 3, 18), show(lights, small, 4, 11)],
        mist.id: [show(mist, big, 2, 21, format="3D")],
    }
    app_db.commit()
    on_day = {
        film: [s for s in shows if s.starts_at.astimezone(cinema_tz()).date() == day] for film, shows in week.items()
    }
    return Programme(t, day, genre, noir, [glacier, lights, mist], [lights, mist], on_day, week)


def titles(films: list[Movie]) -> list[str]:
    return [film.title for film in films]


def ours(page: Page, programme: Programme) -> list[str]:
    """The titles of this programme's films on the page, in the page's order."""
    mine = set(titles(programme.films))
    return [title for title in titles_on(page) if title in mine]


def test_the_date_strip_offers_today_and_six_more_days(page: Page):
    page.goto("/")
    strip = page.get_by_role("group", name="Choose a day")
    expect(strip.get_by_role("button")).to_have_count(7)
    expect(strip.get_by_role("button").first).to_contain_text("Today")


def test_a_day_shows_every_scheduled_movie_with_poster_and_showtimes(page: Page, programme: Programme):
    open_day(page, programme.day)
    for film in programme.films:
        expect(page.get_by_role("article", name=film.title)).to_have_count(1)
    assert ours(page, programme) == titles(programme.films)  # by title, among the day's other films
    page.get_by_role("searchbox", name="Search titles").fill(programme.tag)
    expect(page.get_by_role("article")).to_have_count(len(programme.films))
    assert titles_on(page) == titles(programme.films)

    first = programme.films[0]
    card = page.get_by_role("article", name=first.title)
    for genre in (programme.genre, "Drama"):
        expect(card.get_by_text(genre, exact=True)).to_be_visible()
    expect(card.get_by_label(f"Age rating {first.age_rating}")).to_be_visible()
    links = card.get_by_role("link", name=re.compile(r"^\d\d:\d\d, (2D|3D|IMAX), "))
    expect(links).to_have_count(len(programme.showtimes[first.id]))
    expect(card.get_by_role("link", name=f"14:30, 2D, Small {programme.tag}")).to_be_visible()
    expect(card.get_by_role("link", name=f"20:15, IMAX, Small {programme.tag}")).to_be_visible()

    poster = card.get_by_role("img", name=f"Poster for {first.title}")
    expect(poster).to_be_visible()
    assert poster.evaluate("img => img.complete && img.naturalWidth > 0"), "poster image did not load"


def test_genre_filter_and_title_search_update_without_reload(page: Page, programme: Programme):
    open_day(page, programme.day)
    page.evaluate("window.__no_reload_marker = 1")  # gone if the page reloads

    noir = titles(programme.noir_films)
    page.get_by_role("combobox", name="Genre").click()
    page.get_by_role("option", name=programme.noir).click()
    expect(page.get_by_role("article")).to_have_count(len(noir))
    assert titles_on(page) == noir

    page.get_by_role("searchbox", name="Search titles").fill("zzz-no-such-film")
    expect(page.get_by_role("heading", name="No films match")).to_be_visible()
    expect(page.get_by_role("article")).to_have_count(0)

    page.get_by_role("button", name="Clear filters").first.click()
    for film in programme.films:  # the whole day again, with every film of this test
        expect(page.get_by_role("article", name=film.title)).to_be_visible()
    assert ours(page, programme) == titles(programme.films)

    word = f"harbour {programme.tag}"  # in two of the titles, whatever the case
    matching = [film.title for film in programme.films if word in film.title.lower()]
    assert len(matching) == 2
    page.get_by_role("searchbox", name="Search titles").fill(word)
    expect(page.get_by_role("article")).to_have_count(len(matching))
    assert titles_on(page) == matching
    assert page.evaluate("window.__no_reload_marker") == 1


def test_movie_detail_shows_synopsis_and_the_week(page: Page, programme: Programme):
    movie = programme.films[1]  # three showtimes, on three days of the week
    open_day(page, programme.day)
    page.get_by_role("article", name=movie.title).get_by_role("heading", name=movie.title).click()
    expect(page).to_have_url(re.compile(rf"/movies/{movie.id}$"))
    expect(page.get_by_role("heading", name=movie.title, level=1)).to_be_visible()
    expect(page.get_by_text(movie.synopsis)).to_be_visible()
    expect(page.get_by_role("heading", name="Showtimes this week")).to_be_visible()
    links = page.get_by_role("link", name=re.compile(r"^\d\d:\d\d, (2D|3D|IMAX), "))
    expect(links).to_have_count(len(programme.week[movie.id]))

    page.get_by_role("link", name="All films").click()
    expect(page.get_by_role("heading", name="What's on", level=1)).to_be_visible()


@pytest.mark.parametrize("path", ["/movies/999999", "/movies/not-a-number", "/movies/99999999999999999999"])
def test_unknown_movie_gets_a_clear_message(page: Page, path: str):
    page.goto(path)
    expect(page.get_by_role("heading", name="Film not found")).to_be_visible()
    expect(page.get_by_role("link", name="See what's on")).to_be_visible()


def test_phone_width_has_no_sideways_scrolling(browser, app_url, programme: Programme):
    context = browser.new_context(base_url=app_url, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        open_day(page, programme.day)
        for film in programme.films:  # the day's whole programme is laid out, these films among it
            expect(page.get_by_role("article", name=film.title)).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"page is {overflow}px wider than a phone screen"
    finally:
        context.close()
