"""Reservations on real PostgreSQL: search, sort and pages over known bookings; a booking's detail
and history; an admin's cancel (and staff refused), through the service and the State."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from moviebook.models import AuditEntry, Booking, BookingSeat, Seat, utcnow
from moviebook.services.bookings import bookings_of
from moviebook.services.checkin import check_in
from moviebook.services.clock import at_local, local_today
from moviebook.services.errors import DomainError, FormInvalid
from moviebook.services.reservations import (
    ReservationFilter,
    admin_cancel_booking,
    movie_choices,
    reservation_detail,
    search_reservations,
    showtime_choices,
)
from moviebook.services.roles import AccessDenied
from tests.factories import identity_for, make_auditorium, make_booking, make_movie, make_showtime, make_user
from tests.state_driver import database_fingerprint, drive, run_handler, state_tree_for, substate

TZ = ZoneInfo("Europe/London")
# Ten days ahead: inside the page's default window, and far from "now" for every cancel rule.
DAY = local_today(TZ) + timedelta(days=10)
CODES = {"b1": "AAAA-2222", "b2": "BBBB-3333", "b3": "CCCC-4444", "b4": "DDDD-5555"}


def build(s: Session) -> dict:
    dune, alien = make_movie(s, "Dune"), make_movie(s, "Alien")
    one, two = make_auditorium(s, "Screen 1", rows=2, seats_per_row=4), make_auditorium(s, "Screen 2")
    s.exec(
        select(Seat).where(Seat.auditorium_id == one.id, Seat.row_label == "A", Seat.number == 2)
    ).one().seat_type = "premium"
    shows = {
        "s1": make_showtime(s, dune, one, at_local(DAY, 19, 30, TZ)),
        "s2": make_showtime(s, dune, one, at_local(DAY + timedelta(days=1), 19, 30, TZ)),
        "s3": make_showtime(s, alien, two, at_local(DAY, 21, 0, TZ)),
    }
    people = {
        "ann": make_user(s, "ann@example.com", name="Ann Lee"),
        "bob": make_user(s, "bob@films.org", name="Bob Stone"),
        "sam": make_user(s, "sam@example.com", name="Sam", role="staff"),
        "root": make_user(s, "root@example.com", name="Root", role="admin"),
        "mallory": make_user(s, "mallory@example.com", name="Mallory"),
    }
    bookings = {
        "b1": make_booking(s, people["ann"], shows["s1"], {"A1": 1000, "A2": 1200}),
        "b2": make_booking(s, people["bob"], shows["s1"], {"B1": 1000}, status="cancelled"),
        "b3": make_booking(s, people["bob"], shows["s2"], {"A1": 1500, "A2": 1500, "A3": 1500}),
        "b4": make_booking(s, people["ann"], shows["s3"], {"A1": 800}, status="completed"),
    }
    for key, booking in bookings.items():  # known codes, so code searches are exact
        booking.code = CODES[key]
    s.commit()
    return {"shows": shows, "people": people, "bookings": bookings, "movies": {"dune": dune, "alien": alien}}


@pytest.fixture
def box(pg_session):
    return build(pg_session)


def codes(box, session, flt: ReservationFilter | None = None, **kwargs) -> list[str]:
    page = search_reservations(session, identity_for(box["people"]["sam"]), flt or ReservationFilter(), tz=TZ, **kwargs)
    return [row.code for row in page.rows]


def test_everything_by_showtime_then_booking(pg_session, box):
    assert codes(box, pg_session) == [CODES["b1"], CODES["b2"], CODES["b4"], CODES["b3"]]
    assert codes(box, pg_session, descending=True) == [CODES["b3"], CODES["b4"], CODES["b2"], CODES["b1"]]


def test_a_row_carries_what_the_list_shows(pg_session, box):
    page = search_reservations(pg_session, identity_for(box["people"]["sam"]), ReservationFilter(query="bob"), tz=TZ)
    cancelled, three_seats = page.rows
    assert (
        cancelled.customer_name,
        cancelled.customer_email,
        cancelled.movie_title,
        cancelled.auditorium_name,
        cancelled.seat_count,
        cancelled.total_cents,
        cancelled.refund_cents,
        cancelled.status,
    ) == ("Bob Stone", "bob@films.org", "Dune", "Screen 1", 1, 1000, 1000, "cancelled")
    assert (three_seats.seat_count, three_seats.total_cents, three_seats.starts_at, three_seats.checked_in_at) == (
        3,
        4500,
        box["shows"]["s2"].starts_at,
        None,
    )


@pytest.mark.parametrize(
    "flt, expected",
    [
        (ReservationFilter(start=DAY, end=DAY), ["b1", "b2", "b4"]),
        (ReservationFilter(start=DAY + timedelta(days=1)), ["b3"]),
        (ReservationFilter(end=DAY - timedelta(days=1)), []),
        (ReservationFilter(status="cancelled"), ["b2"]),
        (ReservationFilter(status="completed"), ["b4"]),
        (ReservationFilter(status="nonsense"), []),
        (ReservationFilter(query="FILMS.org"), ["b2", "b3"]),
        (ReservationFilter(query="ann@"), ["b1", "b4"]),
        (ReservationFilter(query="cccc 4444"), ["b3"]),  # a code as read out, without its dash
        (ReservationFilter(query="dddd-55"), ["b4"]),  # the start of a code
        (ReservationFilter(query="%"), []),  # LIKE wildcards are literal
        (ReservationFilter(start=DAY, end=DAY, query="bob", status="cancelled"), ["b2"]),
    ],
)
def test_filters(pg_session, box, flt, expected):
    assert codes(box, pg_session, flt) == [CODES[key] for key in expected]


def test_filter_by_film_and_by_showtime(pg_session, box):
    dune, s1 = box["movies"]["dune"].id, box["shows"]["s1"].id
    assert codes(box, pg_session, ReservationFilter(movie_id=dune)) == [CODES[k] for k in ("b1", "b2", "b3")]
    assert codes(box, pg_session, ReservationFilter(showtime_id=s1)) == [CODES["b1"], CODES["b2"]]
    sam = identity_for(box["people"]["sam"])
    assert [title for _, title in movie_choices(pg_session, sam)] == ["Alien", "Dune"]
    shows = showtime_choices(pg_session, sam, movie_id=dune, start=DAY, end=DAY, tz=TZ)
    assert [(i, room) for i, _, room in shows] == [(s1, "Screen 1")]


@pytest.mark.parametrize(
    "sort, descending, expected",
    [
        ("total", True, ["b3", "b1", "b2", "b4"]),
        ("total", False, ["b4", "b2", "b1", "b3"]),
        ("customer", False, ["b1", "b4", "b2", "b3"]),
        ("code", True, ["b4", "b3", "b2", "b1"]),
        ("created_at", False, ["b1", "b2", "b3", "b4"]),
        ("'; DROP TABLE bookings; --", False, ["b1", "b2", "b4", "b3"]),  # unknown: by showtime
    ],
)
def test_sorting(pg_session, box, sort, descending, expected):
    assert codes(box, pg_session, sort=sort, descending=descending) == [CODES[key] for key in expected]


def test_pages(pg_session, box):
    sam = identity_for(box["people"]["sam"])
    first = search_reservations(
        pg_session, sam, ReservationFilter(), tz=TZ, sort="total", descending=True, page=1, page_size=3
    )
    second = search_reservations(
        pg_session, sam, ReservationFilter(), tz=TZ, sort="total", descending=True, page=2, page_size=3
    )
    beyond = search_reservations(
        pg_session, sam, ReservationFilter(), tz=TZ, sort="total", descending=True, page=99, page_size=3
    )
    assert (first.total, first.pages, [r.code for r in first.rows]) == (4, 2, [CODES[k] for k in ("b3", "b1", "b2")])
    assert (second.page, [r.code for r in second.rows]) == (2, [CODES["b4"]])
    assert (beyond.page, [r.code for r in beyond.rows]) == (2, [CODES["b4"]])


def test_moviegoers_cannot_search_read_or_cancel(pg_session, box):
    mallory, b1 = identity_for(box["people"]["mallory"]), box["bookings"]["b1"]
    with pytest.raises(AccessDenied):
        search_reservations(pg_session, mallory, ReservationFilter(), tz=TZ)
    with pytest.raises(AccessDenied):
        reservation_detail(pg_session, mallory, b1.id)
    with pytest.raises(AccessDenied):
        admin_cancel_booking(pg_session, mallory, booking_id=b1.id, reason="because", now=utcnow())


def test_detail_has_seats_prices_and_history_oldest_first(pg_session, box):
    b1, s1 = box["bookings"]["b1"], box["shows"]["s1"]
    in_the_evening = s1.starts_at - timedelta(minutes=20)
    check_in(
        pg_session,
        identity_for(box["people"]["sam"]),
        code=b1.code,
        showtime_id=s1.id,
        today=DAY,
        tz=TZ,
        now=in_the_evening,
    )
    admin_cancel_booking(
        pg_session,
        identity_for(box["people"]["root"]),
        booking_id=b1.id,
        reason="Projector broke",
        now=in_the_evening + timedelta(minutes=1),
    )
    pg_session.commit()

    detail = reservation_detail(pg_session, identity_for(box["people"]["sam"]), b1.id)
    assert [(s.label, s.seat_type, s.price_cents) for s in detail.seats] == [
        ("A1", "regular", 1000),
        ("A2", "premium", 1200),
    ]
    assert (detail.row.total_cents, detail.row.refund_cents, detail.row.status) == (2200, 2200, "cancelled")
    assert detail.cancel_reason == "Projector broke"
    assert [(h.what, h.who, h.note) for h in detail.history] == [
        ("Booked", "Ann Lee", ""),
        ("Checked in", "Sam", ""),
        ("Cancelled by the cinema", "Root", "Projector broke"),
    ]
    assert [h.at for h in detail.history] == sorted(h.at for h in detail.history)
    with pytest.raises(DomainError):
        reservation_detail(pg_session, identity_for(box["people"]["sam"]), 999_999)


def test_a_booking_cancelled_with_its_showtime_shows_that_in_its_history(pg_session, box):
    detail = reservation_detail(pg_session, identity_for(box["people"]["sam"]), box["bookings"]["b2"].id)
    assert [(h.what, h.note) for h in detail.history] == [("Booked", ""), ("Cancelled", "Cancelled by you.")]


def seats_active(session, booking_id) -> list[bool]:
    return [s.is_active for s in session.exec(select(BookingSeat).where(BookingSeat.booking_id == booking_id))]


def test_an_admin_cancel_refunds_in_full_frees_the_seats_and_tells_the_customer(pg_session, box):
    b1, root, ann = box["bookings"]["b1"], box["people"]["root"], box["people"]["ann"]
    admin_cancel_booking(
        pg_session, identity_for(root), booking_id=b1.id, reason="  Projector   broke ", now=utcnow(), ip="10.1.1.1"
    )
    pg_session.commit()
    pg_session.expire_all()
    stored = pg_session.get(Booking, b1.id)
    assert (stored.status, stored.refund_cents, stored.cancel_reason) == ("cancelled", 2200, "Projector broke")
    assert stored.cancelled_at is not None and seats_active(pg_session, b1.id) == [False, False]
    entry = pg_session.exec(select(AuditEntry).where(AuditEntry.action == "booking.admin_cancel")).one()
    assert (entry.actor_id, entry.entity_id, entry.ip_address, entry.new_values["reason"]) == (
        root.id,
        str(b1.id),
        "10.1.1.1",
        "Projector broke",
    )
    # The customer's own list carries the reason (My bookings shows it).
    assert [b.cancel_reason for b in bookings_of(pg_session, ann.id) if b.id == b1.id] == ["Projector broke"]
    # The unique index on active seats now lets someone else buy the same seats.
    again = make_booking(pg_session, box["people"]["bob"], box["shows"]["s1"], {"A1": 1000, "A2": 1200})
    pg_session.commit()
    assert seats_active(pg_session, again.id) == [True, True]


@pytest.mark.parametrize(
    "reason, message",
    [
        ("", "at least 3 characters"),
        ("  ok ", "at least 3 characters"),
        ("x" * 301, "300 characters or fewer"),
    ],
)
def test_a_cancel_needs_a_reason_of_3_to_300_characters(pg_session, box, reason, message):
    with pytest.raises(FormInvalid) as refused:
        admin_cancel_booking(
            pg_session,
            identity_for(box["people"]["root"]),
            booking_id=box["bookings"]["b1"].id,
            reason=reason,
            now=utcnow(),
        )
    assert message in refused.value.errors["reason"]
    pg_session.rollback()
    assert pg_session.get(Booking, box["bookings"]["b1"].id).status == "confirmed"


def test_only_confirmed_bookings_of_shows_not_ended_can_be_cancelled(pg_session, box):
    root = identity_for(box["people"]["root"])
    for key in ("b2", "b4"):  # cancelled already; completed
        with pytest.raises(DomainError, match="already"):
            admin_cancel_booking(pg_session, root, booking_id=box["bookings"][key].id, reason="Duplicate", now=utcnow())
    after_the_show = box["shows"]["s1"].ends_at + timedelta(minutes=1)
    with pytest.raises(DomainError, match="has ended"):
        admin_cancel_booking(pg_session, root, booking_id=box["bookings"]["b1"].id, reason="Late", now=after_the_show)
    with pytest.raises(DomainError, match="could not find"):
        admin_cancel_booking(pg_session, root, booking_id=999_999, reason="Nobody", now=utcnow())


def test_staff_may_read_but_not_cancel(pg_session, box):
    with pytest.raises(AccessDenied):
        admin_cancel_booking(
            pg_session,
            identity_for(box["people"]["sam"]),
            booking_id=box["bookings"]["b1"].id,
            reason="I would like to",
            now=utcnow(),
        )


# --- through the State, as the page calls it -------------------------------------------------


@pytest.fixture
def signed_in(app_environment, pg_only_engine):
    from moviebook.services.session_policy import token_policy
    from moviebook.services.tokens import start_session

    with Session(pg_only_engine, expire_on_commit=False) as session:
        data = build(session)
        data["tokens"] = {who: start_session(session, data["people"][who], token_policy()) for who in ("sam", "root")}
        session.commit()
    return data


def page_state(signed_in, who):
    import moviebook.moviebook  # noqa: F401  (registers the pages and states)
    from moviebook.state.admin_reservations import ReservationsState

    state = substate(state_tree_for(signed_in["tokens"][who]), ReservationsState)

    def call(name, *args):
        return run_handler(drive(ReservationsState.event_handlers[name].fn(state, *args)))

    return state, call


def test_staff_browse_filter_sort_and_read_a_booking(signed_in):
    state, call = page_state(signed_in, "sam")
    call("on_load")
    assert state.start and state.end and state.total == 4 and state.total_label == "4 bookings"
    call("filter_by", "status", "confirmed")
    assert [r.code for r in state.rows] == [CODES["b1"], CODES["b3"]]
    call("sort_by", "total")
    call("sort_by", "total")  # the second click flips the direction
    assert state.descending and [r.code for r in state.rows] == [CODES["b3"], CODES["b1"]]
    call("filter_by", "start", "not a date")
    assert state.filter_error == "Enter dates like 2026-03-01." and state.total == 2
    call("filter_by", "movie", str(signed_in["movies"]["dune"].id))
    assert [c.value for c in state.showtimes] == [str(signed_in["shows"]["s1"].id), str(signed_in["shows"]["s2"].id)]
    call("open_detail", signed_in["bookings"]["b3"].id)
    assert state.detail_open and state.detail.row.total == "£45.00" and len(state.detail.seats) == 3
    assert state.detail.can_cancel  # the page shows the button to admins only; the service decides


@pytest.fixture
def announced(monkeypatch) -> list[int]:
    """The showtimes whose open seat maps were told to refresh."""
    told: list[int] = []
    monkeypatch.setattr("moviebook.state.admin_reservations.announce", told.append)
    return told


def detail_of_b1(signed_in, who):
    state, call = page_state(signed_in, who)
    call("on_load")
    call("open_detail", signed_in["bookings"]["b1"].id)
    return state, call


def test_staff_cancelling_through_the_state_is_refused_and_changes_nothing(signed_in, pg_only_engine, announced):
    state, call = detail_of_b1(signed_in, "sam")
    before = database_fingerprint(pg_only_engine)
    events = call("cancel_booking", {"reason": "I would like to"})
    assert "Only an admin can cancel a booking" in " ".join(map(str, events))
    assert database_fingerprint(pg_only_engine) == before and announced == []
    assert state.detail.row.status == "confirmed"


def test_an_admin_cancels_through_the_state_and_open_seat_maps_are_told(signed_in, pg_only_engine, announced):
    state, call = detail_of_b1(signed_in, "root")
    call("toggle_cancel", True)
    assert state.cancel_open

    before = database_fingerprint(pg_only_engine)
    call("cancel_booking", {"reason": "no"})
    assert "at least 3 characters" in state.cancel_error and state.cancel_open
    assert database_fingerprint(pg_only_engine) == before

    events = call("cancel_booking", {"reason": "Projector broke"})
    assert "cancelled" in " ".join(map(str, events))
    assert announced == [signed_in["shows"]["s1"].id]
    assert (state.cancel_open, state.detail.row.status, state.detail.row.refund) == (False, "cancelled", "£22.00")
    assert state.detail.history[-1].what == "Cancelled by the cinema"
    with Session(pg_only_engine) as session:
        assert session.get(Booking, signed_in["bookings"]["b1"].id).cancel_reason == "Projector broke"
