"""The public catalogue over HTTP, on real PostgreSQL and Redis: films with their filters, pages
and links, showtimes, ETags, and a showtime's live seat map."""

from __future__ import annotations

from moviebook.services.holds import hold_store
from tests.factories import (
    local_day_ahead,
    make_auditorium,
    make_booking,
    make_movie,
    make_showtime,
    make_showtime_ahead,
    make_user,
    started_minutes_ago,
    tag,
)
from tests.integration.api_support import seat_ids, user_with_token

PROBLEM = "application/problem+json"


def _problem(response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["type"] == f"urn:moviebook:problem:{kind}" and body["status"] == status
    return body


def _films(app_session, word: str):
    """Three films of this test, all with a title containing ``word``, shown on different days."""
    room = make_auditorium(app_session, f"Room {word}")
    drama = make_movie(app_session, f"Alpha {word}", genres=("Drama",), age_rating="15")
    comedy = make_movie(app_session, f"Bravo {word}", genres=("Comedy",), age_rating="PG")
    french = make_movie(app_session, f"Charlie {word}", genres=("Drama",), age_rating="PG")
    make_showtime_ahead(app_session, drama, room, days=2, hour=14)
    make_showtime_ahead(app_session, comedy, room, days=2, hour=18)
    make_showtime_ahead(app_session, french, room, days=3, hour=18, language="French")
    app_session.commit()
    return drama, comedy, french


def _titles(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [m["title"] for m in response.json()["items"]]


def test_movies_are_listed_by_title_and_filtered(api, app_session):
    word = tag()
    drama, comedy, french = _films(app_session, word)
    assert _titles(api.get("/api/v1/movies", params={"q": word})) == [drama.title, comedy.title, french.title]
    assert _titles(api.get("/api/v1/movies", params={"q": word, "genre": "Drama"})) == [drama.title, french.title]
    assert _titles(api.get("/api/v1/movies", params={"q": word, "rating": "PG"})) == [comedy.title, french.title]
    assert _titles(api.get("/api/v1/movies", params={"q": word, "language": "french"})) == [french.title]
    day = local_day_ahead(2).isoformat()
    assert _titles(api.get("/api/v1/movies", params={"q": word, "date": day})) == [drama.title, comedy.title]
    assert _titles(api.get("/api/v1/movies", params={"q": f"no such {word}"})) == []
    item = api.get("/api/v1/movies", params={"q": f"Alpha {word}"}).json()["items"][0]
    assert item | {"id": 0} == {
        "id": 0,
        "title": drama.title,
        "synopsis": drama.synopsis,
        "poster_path": None,
        "genres": ["Drama"],
        "runtime_minutes": 100,
        "age_rating": "15",
        "language": "English",
        "release_date": None,
    }


def test_a_film_with_no_bookable_showtime_is_not_listed(api, app_session):
    word = tag()
    room = make_auditorium(app_session, f"Room {word}")
    make_showtime(app_session, make_movie(app_session, f"Started {word}"), room, started_minutes_ago(5))
    make_showtime_ahead(app_session, make_movie(app_session, f"Cancelled {word}"), room, is_cancelled=True)
    make_movie(app_session, f"Unscheduled {word}")
    app_session.commit()
    assert _titles(api.get("/api/v1/movies", params={"q": word})) == []


def test_pages_carry_links_in_the_body_and_the_link_header(api, app_session):
    word = tag()
    drama, comedy, french = _films(app_session, word)
    first = api.get("/api/v1/movies", params={"q": word, "per_page": 2})
    body = first.json()
    assert _titles(first) == [drama.title, comedy.title]
    assert (body["page"], body["pages"], body["total"], body["per_page"]) == (1, 2, 3, 2)
    assert body["links"]["prev"] is None and "page=1" in body["links"]["self"]
    assert "page=2" in body["links"]["next"] and f"q={word}" in body["links"]["next"]
    assert first.headers["link"] == f'<{body["links"]["self"]}>; rel="self", <{body["links"]["next"]}>; rel="next"'
    second = api.get(body["links"]["next"])
    assert _titles(second) == [french.title]
    links = second.json()["links"]
    assert links["next"] is None and "page=1" in links["prev"]
    assert 'rel="prev"' in second.headers["link"] and 'rel="next"' not in second.headers["link"]


def test_catalogue_reads_answer_304_while_their_etag_is_current(api, app_session):
    word = tag()
    drama, _, _ = _films(app_session, word)
    listing = api.get("/api/v1/movies", params={"q": word})
    tag_now = listing.headers["etag"]
    assert tag_now.startswith('W/"')
    same = api.get("/api/v1/movies", params={"q": word}, headers={"If-None-Match": tag_now})
    assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == tag_now
    make_showtime_ahead(app_session, make_movie(app_session, f"Delta {word}"), days=2)
    app_session.commit()
    changed = api.get("/api/v1/movies", params={"q": word}, headers={"If-None-Match": tag_now})
    assert changed.status_code == 200 and changed.headers["etag"] != tag_now and len(changed.json()["items"]) == 4

    detail = api.get(f"/api/v1/movies/{drama.id}")
    assert api.get(f"/api/v1/movies/{drama.id}", headers={"If-None-Match": detail.headers["etag"]}).status_code == 304
    day = {"date": local_day_ahead(2).isoformat()}
    shows = api.get("/api/v1/showtimes", params=day)
    again = api.get("/api/v1/showtimes", params=day, headers={"If-None-Match": f'"x", {shows.headers["etag"]}'})
    assert again.status_code == 304


def test_a_movie_with_its_showtimes(api, app_session):
    word = tag()
    drama, _, _ = _films(app_session, word)
    later = make_showtime_ahead(app_session, drama, days=4, hour=20, base_price_cents=1250)
    app_session.commit()
    body = api.get(f"/api/v1/movies/{drama.id}").json()
    assert body["title"] == drama.title
    assert [s["starts_at"][:16] for s in body["showtimes"]] == sorted(s["starts_at"][:16] for s in body["showtimes"])
    last = body["showtimes"][-1]
    assert last["id"] == later.id and last["base_price_cents"] == 1250 and last["movie_id"] == drama.id
    assert last["starts_at"].endswith(("Z", "+00:00"))
    _problem(api.get("/api/v1/movies/2147483647"), 404, "not-found")


def test_showtimes_of_a_day_and_of_one_movie(api, app_session):
    word = tag()
    drama, comedy, _ = _films(app_session, word)
    day = local_day_ahead(2).isoformat()
    listed = api.get("/api/v1/showtimes", params={"date": day}).json()
    assert listed["date"] == day
    ours = [s["movie_title"] for s in listed["showtimes"] if word in s["movie_title"]]
    assert ours == [drama.title, comedy.title]  # soonest first: 14:00, then 18:00
    only = api.get("/api/v1/showtimes", params={"date": day, "movie_id": comedy.id}).json()["showtimes"]
    assert [s["movie_id"] for s in only] == [comedy.id]


def test_bad_filters_are_422_naming_the_field(api):
    for params, field in (
        ({"rating": "XX"}, "rating"),
        ({"per_page": 1000}, "per_page"),
        ({"page": 0}, "page"),
        ({"date": "tomorrow"}, "date"),
        ({"q": "a\x00b"}, "q"),
        ({"q": "x" * 101}, "q"),
    ):
        body = _problem(api.get("/api/v1/movies", params=params), 422, "invalid-request")
        assert [e["field"] for e in body["errors"]] == [field], params
    _problem(api.get("/api/v1/showtimes", params={"movie_id": "abc"}), 422, "invalid-request")


def test_the_seat_map_shows_every_seats_live_state(api, app_session):
    me, headers = user_with_token(api, app_session)
    other = make_user(app_session)
    show = make_showtime_ahead(app_session, base_price_cents=900)
    seats = seat_ids(app_session, show)
    make_booking(app_session, other, show, {"A1": 900})
    app_session.commit()
    store = hold_store()
    store.hold(show.id, other.id, [seats["A2"]])
    store.hold(show.id, me, [seats["B1"]])

    mine = api.get(f"/api/v1/showtimes/{show.id}/seats", headers=headers)
    assert mine.status_code == 200 and mine.headers["cache-control"] == "no-store"
    body = mine.json()
    assert body["showtime"]["id"] == show.id and body["version"] == store.version(show.id)
    assert [row["label"] for row in body["rows"]] == ["A", "B"]
    states = {s["label"]: s["state"] for row in body["rows"] for s in row["seats"]}
    assert states == {"A1": "sold", "A2": "held", "A3": "free", "B1": "mine", "B2": "free", "B3": "free"}
    assert body["seats_free"] == 3
    a3 = body["rows"][0]["seats"][2]
    assert a3 | {"id": 0} == {
        "id": 0,
        "label": "A3",
        "row": "A",
        "number": 3,
        "seat_type": "regular",
        "x": a3["x"],
        "y": a3["y"],
        "price_cents": 900,
        "state": "free",
    }
    # A guest sees the same map, with my hold as anyone's.
    guest = api.get(f"/api/v1/showtimes/{show.id}/seats").json()
    assert {s["label"]: s["state"] for row in guest["rows"] for s in row["seats"]}["B1"] == "held"


def test_the_seat_map_of_a_started_or_unknown_showtime_is_refused(api, app_session):
    started = make_showtime(app_session, make_movie(app_session), make_auditorium(app_session), started_minutes_ago(1))
    app_session.commit()
    _problem(api.get(f"/api/v1/showtimes/{started.id}/seats"), 409, "showtime-unavailable")
    _problem(api.get("/api/v1/showtimes/2147483647/seats"), 404, "not-found")
    _problem(api.get("/api/v1/showtimes/0/seats"), 422, "invalid-request")
    _problem(api.get("/api/v1/showtimes/1/seats", headers={"Authorization": "Bearer nonsense"}), 401, "unauthenticated")
