from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from moviebook.models import AuditEntry, Booking, Movie, User
from moviebook.services.audit_log import list_audit
from moviebook.services.catalog_admin import create_movie, delete_movie, list_movies, parse_movie_form, update_movie
from moviebook.services.errors import DomainError, FormInvalid
from moviebook.services.programme import genre_names
from moviebook.services.roles import AccessDenied
from tests.factories import identity_for, make_auditorium, make_showtime, make_user

TZ = ZoneInfo("Europe/London")
FORM = {
    "title": "  Night Train ",
    "synopsis": "A train.",
    "runtime": "104",
    "age_rating": "12A",
    "language": "English",
    "release_date": "2026-10-01",
}


@pytest.fixture
def admin(session):
    return identity_for(make_user(session, "ada@example.com", name="Ada", role="admin"))


def test_parse_movie_form_reports_each_field():
    with pytest.raises(FormInvalid) as caught:
        parse_movie_form(
            {"title": "", "runtime": "0", "age_rating": "R", "language": "", "release_date": "soon"},
            ["a"] * 2 + [str(i) for i in range(7)],
            None,
        )
    assert set(caught.value.errors) == {"title", "runtime", "age_rating", "language", "release_date", "genres"}
    form = parse_movie_form(FORM, ["Drama", " drama ", "Thriller", ""], None)
    assert form.title == "Night Train" and form.runtime_minutes == 104 and form.genres == ("Drama", "drama", "Thriller")


def test_create_and_update_a_movie_with_genres_and_audit(session, admin):
    movie = create_movie(session, admin, parse_movie_form(FORM, ["Drama", "Thriller"], "posters/a.png"), ip="10.1.1.1")
    assert (movie.title, movie.poster_path, movie.runtime_minutes) == ("Night Train", "posters/a.png", 104)
    update_movie(
        session, admin, movie.id, parse_movie_form({**FORM, "title": "Night Train II"}, ["drama", "Mystery"], None)
    )
    assert movie.title == "Night Train II" and movie.poster_path == "posters/a.png"  # no new poster: kept
    assert genre_names(session) == ["Drama", "Mystery"]  # "drama" matched the existing "Drama"
    entries = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["movie.create", "movie.update"]
    assert entries[1].old_values["title"] == "Night Train" and entries[1].new_values["title"] == "Night Train II"
    assert entries[1].old_values["genres"] == ["Drama", "Thriller"] and entries[0].ip_address == "10.1.1.1"
    page = list_audit(session, admin, action="movie.")
    assert page.total == 2 and page.rows[0].actor == "ada@example.com" and page.rows[0].action == "movie.update"


def test_non_admins_cannot_touch_the_catalog(session, admin):
    staff = identity_for(make_user(session, name="Sam", role="staff"))
    with pytest.raises(AccessDenied):
        create_movie(session, staff, parse_movie_form(FORM, [], None))
    with pytest.raises(AccessDenied):
        list_movies(session, staff)
    assert session.exec(select(Movie)).all() == []


def test_soft_delete_hides_the_movie_and_cancels_its_unbooked_future_showtimes(session, admin):
    movie = create_movie(session, admin, parse_movie_form(FORM, ["Drama"], None))
    room = make_auditorium(session)
    now = datetime(2030, 1, 1, 12, tzinfo=timezone.utc)
    past = make_showtime(session, movie, room, now - timedelta(days=1))
    future = make_showtime(session, movie, room, now + timedelta(days=1))
    assert delete_movie(session, admin, movie.id, TZ, now=now) == 1
    assert movie.deleted_at == now and future.is_cancelled and not past.is_cancelled
    assert list_movies(session, admin).total == 0
    assert session.get(Movie, movie.id) is not None  # still there for bookings and reports


def test_a_movie_with_booked_future_showtimes_cannot_be_deleted(session, admin):
    movie = create_movie(session, admin, parse_movie_form(FORM, [], None))
    room = make_auditorium(session)
    now = datetime(2030, 1, 1, 12, tzinfo=timezone.utc)
    show = make_showtime(session, movie, room, datetime(2030, 1, 3, 19, tzinfo=timezone.utc))
    session.add(
        Booking(user_id=admin.user_id, showtime_id=show.id, code="ABC123", total_cents=1000, idempotency_key="k")
    )
    session.flush()
    with pytest.raises(DomainError, match=rf"Cancel these first: Thu 03 Jan 19:00 \(showtime #{show.id}\)"):
        delete_movie(session, admin, movie.id, TZ, now=now)
    assert movie.deleted_at is None and not show.is_cancelled


def test_list_movies_searches_filters_and_pages(session, admin):
    for i in range(15):
        create_movie(
            session, admin, parse_movie_form({**FORM, "title": f"Film {i:02d}"}, ["Drama" if i % 2 else "Comedy"], None)
        )
    page = list_movies(session, admin, page=2, page_size=12)
    assert (page.total, page.pages, len(page.rows)) == (15, 2, 3)
    assert [r.title for r in list_movies(session, admin, query="film 1", page_size=50).rows][:2] == [
        "Film 10",
        "Film 11",
    ]
    assert list_movies(session, admin, genre="Comedy").total == 8
    assert list_movies(session, admin, genre="Comedy").rows[0].genres == ("Comedy",)


def test_searches_take_typed_wildcards_and_backslashes_literally(session, admin):
    create_movie(session, admin, parse_movie_form(FORM, [], None))
    session.get(User, admin.user_id).name = "Ada\\Lovelace"
    session.commit()
    # The audit search once left backslashes unescaped: "a\L" then meant "aL" and found nothing.
    assert list_audit(session, admin, actor_query="a\\L").total == 1
    for typed in ("100%", "a_a", "\\\\"):
        assert list_audit(session, admin, actor_query=typed).total == 0
        assert list_movies(session, admin, query=typed).total == 0


@pytest.mark.parametrize("typed", ["", "101", "-5", "35.125", "a third"])
def test_the_distributor_share_must_be_a_percentage_from_0_to_100(typed):
    with pytest.raises(FormInvalid) as caught:
        parse_movie_form({**FORM, "rental_percent": typed}, [], None)
    assert caught.value.errors == {
        "rental_percent": "Enter the distributor's share as a percentage from 0 to 100 (e.g. 35 or 47.5)."
    }


def test_the_distributor_share_is_saved_audited_and_listed(session, admin):
    movie = create_movie(session, admin, parse_movie_form({**FORM, "rental_percent": "47.5"}, [], None))
    assert movie.rental_percent_bp == 4750
    update_movie(session, admin, movie.id, parse_movie_form({**FORM, "title": "Night Train II"}, [], None))
    assert movie.rental_percent_bp == 4750, "a form without the field keeps the film's share"
    update_movie(session, admin, movie.id, parse_movie_form({**FORM, "rental_percent": "0"}, [], None))
    assert list_movies(session, admin).rows[0].rental_percent_bp == 0
    last = session.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (last.old_values["rental_percent_bp"], last.new_values["rental_percent_bp"]) == (4750, 0)
