"""Best available on a real showtime: sales from PostgreSQL and holds from Redis count as taken."""

from __future__ import annotations

import pytest
from sqlmodel import select

from moviebook.models import Seat
from moviebook.services.best_available import hold_best, suggest
from moviebook.services.bookings import hold_seats
from moviebook.services.errors import DomainError
from moviebook.services.holds import HoldPolicy, HoldStore, SeatTaken
from tests.factories import make_auditorium, make_booking, make_showtime_ahead, make_user


@pytest.fixture
def store(redis_client):
    return HoldStore(redis_client, HoldPolicy(ttl_seconds=600, max_seats=10))


def test_suggest_skips_sold_and_held_seats_but_not_the_buyers_own(pg_session, store):
    # Rows A-D of six seats: the ideal row is C, two thirds of the way back.
    room = make_auditorium(pg_session, rows=4, seats_per_row=6)
    show = make_showtime_ahead(pg_session, room=room)
    buyer, other = make_user(pg_session, "buyer@example.com"), make_user(pg_session, "other@example.com")
    make_booking(pg_session, other, show, {"C3": 1000, "C4": 1000})
    pg_session.commit()
    ids = {f"{s.row_label}{s.number}": s.id for s in pg_session.exec(select(Seat).where(Seat.auditorium_id == room.id))}
    labels = {seat_id: label for label, seat_id in ids.items()}

    def best(**kwargs) -> list[str]:
        suggestion = suggest(pg_session, store, show.id, 2, **kwargs)
        assert suggestion.seat_ids is not None, suggestion.reason
        return [labels[seat_id] for seat_id in suggestion.seat_ids]

    assert best() == ["D3", "D4"]  # C's middle is sold: the middle of the row behind it
    hold_seats(pg_session, store, showtime_id=show.id, user_id=other.id, seat_ids=[ids["D3"], ids["D4"]])
    assert best() == ["B3", "B4"]  # held by someone else is taken too
    hold_seats(pg_session, store, showtime_id=show.id, user_id=buyer.id, seat_ids=[ids["B3"], ids["B4"]])
    assert best(user_id=buyer.id) == ["B3", "B4"]  # asking again offers the buyer's own seats
    assert best(user_id=other.id) == ["D3", "D4"]
    assert best() == ["C1", "C2"]

    too_many = suggest(pg_session, store, show.id, 11)
    assert too_many.seat_ids is None and too_many.reason == "You can hold at most 10 seats for one showtime."


def test_one_press_holds_the_best_seats_in_place_of_the_buyers_earlier_choice(pg_session, store):
    room = make_auditorium(pg_session, rows=3, seats_per_row=6)
    show = make_showtime_ahead(pg_session, room=room)
    buyer, other = make_user(pg_session, "one-press@example.com"), make_user(pg_session, "quick@example.com")
    pg_session.commit()
    ids = {f"{s.row_label}{s.number}": s.id for s in pg_session.exec(select(Seat).where(Seat.auditorium_id == room.id))}
    hold_seats(pg_session, store, showtime_id=show.id, user_id=buyer.id, seat_ids=[ids["A1"]])

    held = hold_best(pg_session, store, showtime_id=show.id, user_id=buyer.id, count=2)
    # B and C are as good (a row too near counts double), and a tie goes to the row further back.
    assert held == [ids["C3"], ids["C4"]]
    assert sorted(store.held_by(show.id, buyer.id)) == sorted(held)  # A1 went back on sale
    assert store.holders(show.id, [ids["A1"]]) == {}

    with pytest.raises(DomainError, match="No row has 7 seats side by side"):
        hold_best(pg_session, store, showtime_id=show.id, user_id=other.id, count=7)
    assert sorted(store.held_by(show.id, buyer.id)) == sorted(held)  # nothing changed for anyone

    # The next buyer's best seats are the next best ones, and the first buyer's are theirs alone.
    held_again = hold_best(pg_session, store, showtime_id=show.id, user_id=other.id, count=2)
    assert set(held_again).isdisjoint(held)
    with pytest.raises(SeatTaken):
        hold_seats(pg_session, store, showtime_id=show.id, user_id=buyer.id, seat_ids=held_again)
