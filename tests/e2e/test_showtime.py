"""From a showtime button to that showtime's seat map, in Chromium."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from playwright.sync_api import Page, expect
from sqlmodel import select

from moviebook.models import Seat
from tests.e2e.helpers import open_day, own_showtime
from tests.factories import cinema_tz, make_auditorium, make_movie, make_showtime, tag


def test_a_showtime_button_opens_its_seat_map(page: Page, app_db):
    movie = make_movie(app_db, f"Seat Map Test {tag()}")
    room = make_auditorium(app_db, f"Screen {tag()}", rows=5, seats_per_row=8)
    showtime = own_showtime(app_db, movie=movie, room=room, format="3D")
    seats = app_db.exec(select(Seat).where(Seat.auditorium_id == room.id)).all()

    open_day(page, showtime.starts_at.astimezone(cinema_tz()).date())
    card = page.get_by_role("article", name=movie.title)
    card.get_by_role("link", name=re.compile(rf"^18:00, 3D, {re.escape(room.name)}$")).click()
    expect(page).to_have_url(re.compile(rf"/showtimes/{showtime.id}$"))
    expect(page.get_by_role("heading", name=movie.title, level=1)).to_be_visible()
    expect(page.get_by_text(room.name, exact=True)).to_be_visible()

    seat_map = page.get_by_role("region", name="Seat map")
    expect(seat_map.get_by_role("button", name=re.compile(r"^Row [A-Z], seat \d+,"))).to_have_count(len(seats))
    front_left = min(seats, key=lambda s: (s.y, s.x))
    expect(
        seat_map.get_by_role("button", name=re.compile(rf"^Row {front_left.row_label}, seat {front_left.number},"))
    ).to_have_attribute("data-state", "available")
    expect(page.get_by_role("list", name="Seat types and prices")).to_contain_text("Standard")


def test_unknown_past_and_cancelled_showtimes_explain_themselves(page: Page, app_db):
    movie = make_movie(app_db, f"Not Bookable {tag()}")
    room = make_auditorium(app_db, f"Screen {tag()}")
    # Long ago, and long after any day the suite could run on: neither depends on the hour.
    past = make_showtime(app_db, movie, room, datetime(2020, 1, 1, 18, tzinfo=timezone.utc))
    cancelled = make_showtime(app_db, movie, room, datetime(2035, 1, 1, 18, tzinfo=timezone.utc), is_cancelled=True)
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
