"""The browse page's queries, on SQLite and PostgreSQL."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from moviebook.models import Showtime
from moviebook.services.clock import at_local
from moviebook.services.errors import NotFound
from moviebook.services.programme import genre_names, listings_for_day, movie_with_week
from tests.factories import make_auditorium, make_movie, make_showtime

TZ = ZoneInfo("Europe/London")
DAY = date(2030, 3, 12)
MORNING = datetime(2030, 3, 12, 8, 0, tzinfo=timezone.utc)  # "now" for most tests


@pytest.fixture
def cinema(session):
    room = make_auditorium(session, "Screen 1")
    other_room = make_auditorium(session, "Screen 2")
    drama = make_movie(session, "Zebra Crossing", genres=("Drama",))
    horror = make_movie(session, "Attic", genres=("Horror", "Thriller"))
    make_showtime(session, drama, room, at_local(DAY, 14, 0, TZ), format="2D")
    make_showtime(session, drama, other_room, at_local(DAY, 11, 0, TZ), format="IMAX")
    make_showtime(session, horror, room, at_local(DAY, 21, 0, TZ))
    make_showtime(session, horror, room, at_local(DAY + timedelta(days=1), 21, 0, TZ))
    session.commit()
    return {"room": room, "drama": drama, "horror": horror}


def titles(listings):
    return [listing.movie.title for listing in listings]


def test_listings_are_sorted_by_title_with_showtimes_in_time_order(session, cinema):
    listings = listings_for_day(session, DAY, TZ, now=MORNING)
    assert titles(listings) == ["Attic", "Zebra Crossing"]
    zebra = listings[1]
    assert [s.starts_at.astimezone(TZ).strftime("%H:%M") for s in zebra.showtimes] == ["11:00", "14:00"]
    assert [s.format for s in zebra.showtimes] == ["IMAX", "2D"]
    assert zebra.showtimes[0].auditorium_name == "Screen 2"
    assert listings[0].movie.genres == ("Horror", "Thriller")


def test_showtimes_that_already_started_are_not_offered(session, cinema):
    at_noon = at_local(DAY, 12, 0, TZ)
    zebra = [item for item in listings_for_day(session, DAY, TZ, now=at_noon) if item.movie.title == "Zebra Crossing"]
    assert [s.starts_at.astimezone(TZ).hour for s in zebra[0].showtimes] == [14]
    late = at_local(DAY, 22, 0, TZ)
    assert listings_for_day(session, DAY, TZ, now=late) == []


def test_cancelled_showtimes_and_deleted_movies_are_hidden(session, cinema):
    for showtime in session.exec(select(Showtime).where(Showtime.movie_id == cinema["drama"].id)):
        showtime.is_cancelled = True
    cinema["horror"].deleted_at = MORNING
    session.commit()
    assert listings_for_day(session, DAY, TZ, now=MORNING) == []
    assert genre_names(session) == ["Drama"]  # deleted movie's genres disappear from the filter


def test_genre_filter_keeps_only_movies_of_that_genre(session, cinema):
    assert titles(listings_for_day(session, DAY, TZ, genre="Thriller", now=MORNING)) == ["Attic"]
    assert listings_for_day(session, DAY, TZ, genre="Western", now=MORNING) == []


def test_title_search_is_case_insensitive_and_treats_wildcards_literally(session, cinema):
    assert titles(listings_for_day(session, DAY, TZ, title_query="zebra", now=MORNING)) == ["Zebra Crossing"]
    assert titles(listings_for_day(session, DAY, TZ, title_query="  CROSS ", now=MORNING)) == ["Zebra Crossing"]
    assert listings_for_day(session, DAY, TZ, title_query="%", now=MORNING) == []
    assert listings_for_day(session, DAY, TZ, title_query="_", now=MORNING) == []


def test_search_and_genre_combine(session, cinema):
    assert listings_for_day(session, DAY, TZ, genre="Drama", title_query="attic", now=MORNING) == []


def test_genre_names_are_distinct_and_sorted(session, cinema):
    assert genre_names(session) == ["Drama", "Horror", "Thriller"]


def test_movie_with_week_lists_the_coming_showtimes(session, cinema):
    listing = movie_with_week(session, cinema["horror"].id, TZ, now=MORNING)
    assert listing.movie.title == "Attic"
    assert [s.starts_at.astimezone(TZ).day for s in listing.showtimes] == [12, 13]
    only_today = movie_with_week(session, cinema["horror"].id, TZ, days=1, now=MORNING)
    assert len(only_today.showtimes) == 1


def test_movie_with_week_refuses_unknown_and_deleted_movies(session, cinema):
    with pytest.raises(NotFound):
        movie_with_week(session, 999_999, TZ, now=MORNING)
    cinema["drama"].deleted_at = MORNING
    session.commit()
    with pytest.raises(NotFound, match="not in our programme"):
        movie_with_week(session, cinema["drama"].id, TZ, now=MORNING)
