"""``/api/v1/admin/movies``: the catalog over HTTP, on the films page's services."""

from __future__ import annotations

from sqlmodel import select

from moviebook.models import AuditEntry, Movie, Showtime
from tests.factories import make_booking, make_movie, make_showtime_ahead, make_user, tag
from tests.integration.api_admin_support import assert_refused, field_errors, problem
from tests.integration.api_support import user_with_token

MOVIES = "/api/v1/admin/movies"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _film(**fields) -> dict:
    return {"title": f"API Film {tag()}", "runtime_minutes": 95, "age_rating": "12A", "genres": ["Drama"]} | fields


def test_create_read_list_and_patch_a_film(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    made = api.post(MOVIES, json=_film(synopsis="Night falls.", rental_percent_bp=4750), headers=admin)
    assert made.status_code == 201, made.text
    film = made.json()
    assert film["runtime_minutes"] == 95 and film["genres"] == ["Drama"] and film["rental_percent_bp"] == 4750
    row = app_session.get(Movie, film["id"])
    assert row.title == film["title"] and row.synopsis == "Night falls."

    assert api.get(f"{MOVIES}/{film['id']}", headers=admin).json() == film
    listed = api.get(MOVIES, params={"q": film["title"]}, headers=admin).json()
    assert [m["id"] for m in listed["items"]] == [film["id"]] and listed["total"] == 1

    patched = api.patch(f"{MOVIES}/{film['id']}", json={"runtime_minutes": 120, "genres": []}, headers=admin)
    assert patched.status_code == 200, patched.text
    assert patched.json() | {"runtime_minutes": 95, "genres": ["Drama"]} == film  # only what was sent changed
    app_session.refresh(row)
    assert row.runtime_minutes == 120 and row.title == film["title"]
    actions = app_session.exec(
        select(AuditEntry.action).where(AuditEntry.entity_type == "movie", AuditEntry.entity_id == str(film["id"]))
    ).all()
    assert {"movie.create", "movie.update"} <= set(actions)


def test_invalid_films_are_422_with_the_api_field_names(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    bad = _film(title="", runtime_minutes=0, age_rating="XX", rental_percent_bp=20_000)
    assert field_errors(api.post(MOVIES, json=bad, headers=admin)) == {
        "title",
        "runtime_minutes",
        "age_rating",
        "rental_percent_bp",
    }
    assert field_errors(api.post(MOVIES, json={"title": "No runtime"}, headers=admin)) == {
        "runtime_minutes",
        "age_rating",
    }
    movie = make_movie(app_session, f"Kept {tag()}", runtime=90)
    app_session.commit()
    assert field_errors(api.patch(f"{MOVIES}/{movie.id}", json={"runtime_minutes": 601}, headers=admin)) == {
        "runtime_minutes"
    }
    app_session.refresh(movie)
    assert movie.runtime_minutes == 90
    problem(api.get(f"{MOVIES}/{2**31 - 1}", headers=admin), 404, "not-found")
    assert field_errors(api.get(f"{MOVIES}/{2**40}", headers=admin)) == {"movie_id"}


def test_delete_archives_or_refuses_while_booked(api, app_session):
    _, admin = user_with_token(api, app_session, role="admin")
    free = make_showtime_ahead(app_session)
    booked = make_showtime_ahead(app_session)
    customer = make_user(app_session)
    make_booking(app_session, customer, booked, {"A1": 1000})
    app_session.commit()

    refused = problem(api.delete(f"{MOVIES}/{booked.movie_id}", headers=admin), 409, "conflict")
    assert f"showtime #{booked.id}" in refused["detail"]
    assert app_session.get(Movie, booked.movie_id).deleted_at is None

    gone = api.delete(f"{MOVIES}/{free.movie_id}", headers=admin)
    assert gone.json() == {"id": free.movie_id, "showtimes_cancelled": 1}
    app_session.expire_all()
    assert app_session.get(Movie, free.movie_id).deleted_at is not None
    assert app_session.get(Showtime, free.id).is_cancelled
    problem(api.get(f"{MOVIES}/{free.movie_id}", headers=admin), 404, "not-found")


def test_poster_is_checked_by_content(api, app_session, tmp_path, monkeypatch):
    monkeypatch.setenv("REFLEX_UPLOADED_FILES_DIR", str(tmp_path / "uploads"))
    _, admin = user_with_token(api, app_session, role="admin")
    movie = make_movie(app_session, f"Poster {tag()}")
    app_session.commit()
    url = f"{MOVIES}/{movie.id}/poster"

    fake = api.post(url, files={"file": ("poster.png", b"just text, renamed", "image/png")}, headers=admin)
    assert "PNG, JPEG or WebP" in problem(fake, 422, "poster-rejected")["detail"]
    app_session.refresh(movie)
    assert movie.poster_path is None

    real = api.post(url, files={"file": ("anything.txt", PNG, "text/plain")}, headers=admin)
    assert real.status_code == 200, real.text
    path = real.json()["poster_url"]
    assert path.startswith("/_upload/posters/") and path.endswith(".png")
    assert (tmp_path / "uploads" / path.removeprefix("/_upload/")).read_bytes() == PNG
    app_session.refresh(movie)
    assert movie.poster_path == path
    assert field_errors(api.post(url, headers=admin)) == {"file"}


def test_a_moviegoer_and_a_guest_change_nothing(api, app_session):
    _, moviegoer = user_with_token(api, app_session)
    _, staff = user_with_token(api, app_session, role="staff")
    movie = make_movie(app_session, f"Untouched {tag()}", runtime=90)
    app_session.commit()
    one = f"{MOVIES}/{movie.id}"
    assert_refused(api, moviegoer, "GET", MOVIES)
    new_title = f"Refused {tag()}"
    assert_refused(api, moviegoer, "POST", MOVIES, json=_film(title=new_title))
    assert_refused(api, moviegoer, "GET", one)
    assert_refused(api, moviegoer, "PATCH", one, json={"runtime_minutes": 10})
    assert_refused(api, moviegoer, "DELETE", one)
    assert_refused(api, moviegoer, "POST", f"{one}/poster", files={"file": ("p.png", PNG, "image/png")})
    problem(api.delete(one, headers=staff), 403, "forbidden")  # the films page is for admins only
    app_session.refresh(movie)
    assert movie.runtime_minutes == 90 and movie.deleted_at is None and movie.poster_path is None
    assert not app_session.exec(select(Movie).where(Movie.title == new_title)).first()
