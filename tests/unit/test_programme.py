"""The browse page's queries, on SQLite and PostgreSQL."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from moviebook.models import Showtime
from moviebook.services.clock import at_local
from moviebook.services.errors import NotFound
from moviebook.services.programme import genre_names, listings_for_day, movie_with_week, next_day_with_showtimes
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


# The next day with showtimes: what the browse page offers when the chosen day has nothing left.

SUMMER_DAY = date(2030, 7, 12)  # British Summer Time: local midnight is 23:00 UTC the day before


def test_late_in_the_evening_the_next_day_is_offered(session, cinema):
    """21:30: the last show of the day (21:00) has started, tomorrow has one at 21:00."""
    evening = at_local(DAY, 21, 30, TZ)
    assert listings_for_day(session, DAY, TZ, now=evening) == []
    assert next_day_with_showtimes(session, TZ, now=evening) == DAY + timedelta(days=1)
    assert next_day_with_showtimes(session, TZ, after=DAY, now=evening) == DAY + timedelta(days=1)


def test_today_counts_while_it_has_showtimes_left_unless_a_later_day_is_asked_for(session, cinema):
    assert next_day_with_showtimes(session, TZ, now=MORNING) == DAY
    assert next_day_with_showtimes(session, TZ, after=DAY, now=MORNING) == DAY + timedelta(days=1)
    assert next_day_with_showtimes(session, TZ, after=DAY + timedelta(days=1), now=MORNING) is None


def test_the_search_stops_at_the_last_day_asked_about(session, cinema):
    assert next_day_with_showtimes(session, TZ, after=DAY, until=DAY, now=MORNING) is None
    tomorrow = DAY + timedelta(days=1)
    assert next_day_with_showtimes(session, TZ, after=DAY, until=tomorrow, now=MORNING) == tomorrow
    week_later = DAY + timedelta(days=7)
    assert next_day_with_showtimes(session, TZ, until=DAY, now=at_local(week_later, 9, 0, TZ)) is None


def test_the_next_day_follows_the_genre_and_the_title_search(session, cinema):
    room = cinema["room"]
    western = make_movie(session, "High Noon Again", genres=("Western",))
    make_showtime(session, western, room, at_local(DAY + timedelta(days=3), 18, 0, TZ))
    session.commit()
    assert next_day_with_showtimes(session, TZ, genre="Western", now=MORNING) == DAY + timedelta(days=3)
    assert next_day_with_showtimes(session, TZ, title_query="high noon", now=MORNING) == DAY + timedelta(days=3)
    assert next_day_with_showtimes(session, TZ, genre="Drama", after=DAY, now=MORNING) is None
    assert next_day_with_showtimes(session, TZ, genre="Horror", after=DAY, now=MORNING) == DAY + timedelta(days=1)
    assert next_day_with_showtimes(session, TZ, genre="Musical", now=MORNING) is None
    assert next_day_with_showtimes(session, TZ, genre="Western", title_query="attic", now=MORNING) is None
    assert next_day_with_showtimes(session, TZ, title_query="%", now=MORNING) is None  # a literal percent sign


def test_cancelled_showtimes_and_deleted_films_do_not_make_a_day(session, cinema):
    tomorrow = DAY + timedelta(days=1)
    for showtime in session.exec(select(Showtime).where(Showtime.movie_id == cinema["horror"].id)):
        if showtime.starts_at.astimezone(TZ).date() == tomorrow:
            showtime.is_cancelled = True
    session.commit()
    assert next_day_with_showtimes(session, TZ, after=DAY, now=MORNING) is None
    spare = make_movie(session, "Spare Reel")
    make_showtime(session, spare, cinema["room"], at_local(tomorrow, 18, 0, TZ))
    session.commit()
    assert next_day_with_showtimes(session, TZ, after=DAY, now=MORNING) == tomorrow
    spare.deleted_at = MORNING
    session.commit()
    assert next_day_with_showtimes(session, TZ, after=DAY, now=MORNING) is None


@pytest.fixture
def around_midnight(session):
    """A summer night: one show at 23:55, one at 00:30 on the next local day (23:30 UTC before it)."""
    room = make_auditorium(session, "Night Room")
    film = make_movie(session, "Owl", genres=("Drama",), runtime=20)
    late = make_showtime(session, film, room, at_local(SUMMER_DAY, 23, 55, TZ))
    after_midnight = make_showtime(session, film, room, at_local(SUMMER_DAY + timedelta(days=1), 0, 30, TZ))
    session.commit()
    return {"late": late, "after_midnight": after_midnight}


def test_at_23_50_tonight_still_counts_and_then_the_local_next_day(session, around_midnight):
    ten_to_midnight = at_local(SUMMER_DAY, 23, 50, TZ)
    assert next_day_with_showtimes(session, TZ, now=ten_to_midnight) == SUMMER_DAY
    # The 00:30 show is on the next local day, although it is still the 12th in UTC.
    assert around_midnight["after_midnight"].starts_at.date() == SUMMER_DAY
    after = next_day_with_showtimes(session, TZ, after=SUMMER_DAY, now=ten_to_midnight)
    assert after == SUMMER_DAY + timedelta(days=1)
    assert titles(listings_for_day(session, after, TZ, now=ten_to_midnight)) == ["Owl"]


def test_at_00_10_the_new_day_has_its_00_30_show(session, around_midnight):
    ten_past = at_local(SUMMER_DAY + timedelta(days=1), 0, 10, TZ)
    assert ten_past.date() == SUMMER_DAY  # UTC is still on the 12th
    assert next_day_with_showtimes(session, TZ, now=ten_past) == SUMMER_DAY + timedelta(days=1)
    assert next_day_with_showtimes(session, TZ, after=SUMMER_DAY + timedelta(days=1), now=ten_past) is None
    after_it = at_local(SUMMER_DAY + timedelta(days=1), 0, 40, TZ)
    assert next_day_with_showtimes(session, TZ, now=after_it) is None


def test_the_short_spring_day_ends_at_its_own_midnight(session):
    """Clocks go forward on Sunday 31 March 2030: that day has 23 hours. A show at 00:30 on
    Monday is 23:30 UTC on Sunday, and belongs to Monday."""
    saturday, sunday, monday = date(2030, 3, 30), date(2030, 3, 31), date(2030, 4, 1)
    film = make_movie(session, "Spring Forward")
    show = make_showtime(session, film, make_auditorium(session), at_local(monday, 0, 30, TZ))
    session.commit()
    assert show.starts_at == datetime(2030, 3, 31, 23, 30, tzinfo=timezone.utc)
    late_saturday = at_local(saturday, 23, 50, TZ)
    assert next_day_with_showtimes(session, TZ, after=saturday, now=late_saturday) == monday
    assert next_day_with_showtimes(session, TZ, after=saturday, until=sunday, now=late_saturday) is None
    assert next_day_with_showtimes(session, TZ, after=saturday, until=monday, now=late_saturday) == monday


def test_the_long_autumn_day_keeps_its_25th_hour(session):
    """Clocks go back on Sunday 27 October 2030: that day has 25 hours, and a show at 23:30 on
    it is still that Sunday's, not Monday's."""
    saturday, sunday = date(2030, 10, 26), date(2030, 10, 27)
    film = make_movie(session, "Fall Back")
    show = make_showtime(session, film, make_auditorium(session), at_local(sunday, 23, 30, TZ))
    session.commit()
    assert show.starts_at == datetime(2030, 10, 27, 23, 30, tzinfo=timezone.utc)
    ten_past_midnight = at_local(sunday, 0, 10, TZ)
    assert next_day_with_showtimes(session, TZ, now=ten_past_midnight) == sunday
    assert next_day_with_showtimes(session, TZ, after=saturday, until=sunday, now=ten_past_midnight) == sunday
    assert listings_for_day(session, sunday, TZ, now=ten_past_midnight)[0].movie.title == "Fall Back"


def test_the_day_named_always_has_listings_with_the_same_filters(session, cinema):
    """The rule and the day's listings agree: the offered day never turns out empty."""
    for now in (MORNING, at_local(DAY, 21, 30, TZ), at_local(DAY, 23, 50, TZ)):
        for genre in (None, "Drama", "Horror"):
            day = next_day_with_showtimes(session, TZ, genre=genre, now=now)
            if day is not None:
                assert listings_for_day(session, day, TZ, genre=genre, now=now), (now, genre, day)
