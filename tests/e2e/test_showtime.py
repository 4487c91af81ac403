"""From a showtime button to that showtime's seat map, in Chromium."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from playwright.sync_api import Page, expect
from sqlmodel import select

from moviebook.models import Movie, Seat, Showtime
from tests.e2e.helpers import open_tomorrow


def test_a_showtime_button_opens_its_seat_map(page: Page, programme, app_db):
    listing = programme["listings"][0]
    slot = listing.showtimes[0]
    showtime = app_db.get(Showtime, slot.id)
    seats = app_db.exec(select(Seat).where(Seat.auditorium_id == showtime.auditorium_id)).all()

    open_tomorrow(page)
    card = page.get_by_role("article", name=listing.movie.title)
    card.get_by_role("link", name=re.compile(rf", {slot.format}, {re.escape(slot.auditorium_name)}$")).first.click()
    expect(page).to_have_url(re.compile(rf"/showtimes/{slot.id}$"))
    expect(page.get_by_role("heading", name=listing.movie.title, level=1)).to_be_visible()
    expect(page.get_by_text(slot.auditorium_name, exact=True)).to_be_visible()

    seat_map = page.get_by_role("region", name="Seat map")
    expect(seat_map.get_by_role("button", name=re.compile(r"^Row [A-Z], seat \d+,"))).to_have_count(len(seats))
    front_left = min(seats, key=lambda s: (s.y, s.x))
    expect(
        seat_map.get_by_role("button", name=re.compile(rf"^Row {front_left.row_label}, seat {front_left.number},"))
    ).to_have_attribute("data-state", "available")
    expect(page.get_by_role("list", name="Seat types and prices")).to_contain_text("Standard")


def test_unknown_past_and_cancelled_showtimes_explain_themselves(page: Page, app_db):
    movie = app_db.exec(select(Movie)).first()
    room_id = app_db.exec(select(Showtime.auditorium_id)).first()
    # Far from every seeded slot, so they clash with nothing on the real schedule.
    past = Showtime(
        movie_id=movie.id,
        auditorium_id=room_id,
        base_price_cents=1000,
        starts_at=datetime(2020, 1, 1, 18, tzinfo=timezone.utc),
        ends_at=datetime(2020, 1, 1, 20, tzinfo=timezone.utc),
    )
    cancelled = Showtime(
        movie_id=movie.id,
        auditorium_id=room_id,
        base_price_cents=1000,
        is_cancelled=True,
        starts_at=datetime(2035, 1, 1, 18, tzinfo=timezone.utc),
        ends_at=datetime(2035, 1, 1, 20, tzinfo=timezone.utc),
    )
    app_db.add_all([past, cancelled])
    app_db.commit()

    for path, reason in [
        ("/showtimes/424242", "We could not find that showtime."),
        ("/showtimes/abc", "We could not find that showtime."),
        (f"/showtimes/{past.id}", "This showtime has already started, so it can no longer be booked."),
        (f"/showtimes/{cancelled.id}", "This showtime has been cancelled."),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", name="This showtime cannot be booked")).to_be_visible()
        expect(page.get_by_text(reason)).to_be_visible()
        expect(page.get_by_role("region", name="Seat map")).to_have_count(0)
