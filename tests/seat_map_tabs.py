"""Seat-map tabs over Reflex's protocol, signed-in buyers made straight in the database, and the
truth every open map must show: shared by the convergence test and the rush benchmark.

    storage = signed_in_storage(session, secret_key, users)   # each user's localStorage tokens
    tab = SeatMapTab(url, schema, storage[0])
    await tab.open(f"/showtimes/{show_id}", {"showtime_id": str(show_id)})
    shown(tab.taken) == truth(redis_url, session, show_id, seat_ids)
"""

from __future__ import annotations

import time
from datetime import timedelta

import redis
from sqlmodel import Session

from moviebook.models import User
from moviebook.services.bookings import booked_seat_ids
from moviebook.services.holds import HoldPolicy, HoldStore
from moviebook.services.tokens import TokenPolicy, start_session
from tests.reflex_protocol import ReflexClient

CARD = {"card_name": "Rush", "card_number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123"}
TAKEN = "taken_rx_state_"  # SeatPickerState.taken as it travels: seat id -> holder tag, -1 sold
ME = "me_rx_state_"  # the tab's own holder tag
LOADING = "loading_rx_state_"
VERSION = "seat_version_rx_state_"  # only the showtime's relay sends it, with the live seats


def state_names() -> tuple[str, str]:
    """The full names of the auth state (whose tokens a tab stores) and of the seat picker."""
    import moviebook.moviebook  # noqa: F401  (registers every state)
    from moviebook.state.auth import AuthState
    from moviebook.state.seat_picker import SeatPickerState

    return AuthState.get_full_name(), SeatPickerState.get_full_name()


class SeatMapTab(ReflexClient):
    """A tab on the seat map that remembers the live seats it was last sent (and when each
    seat first showed as taken), its own holder tag, and how a payment ended."""

    def __init__(self, url, schema, picker: str, storage=None):
        super().__init__(url, schema, storage)
        self.picker = picker
        self.taken: dict[str, int] | None = None
        self.me: int = 0
        self.outcome: str = ""  # for a buyer: "booked", or "refused" at the first error toast
        self.refusals = 0  # error toasts received (a seat someone else holds, a payment refused)
        self.first_taken: dict[str, float] = {}  # seat id -> time.time() it first showed as taken
        self.loaded = False  # the page's on_load has finished (a click before it finds no showtime)
        self.version = 0  # the seat version of the live seats last sent by the relay

    async def _on_event(self, message) -> None:
        await super()._on_event(message)
        if not isinstance(message, dict):
            return
        picker = (message.get("delta") or {}).get(self.picker, {})
        if ME in picker:
            self.me = picker[ME]
        if picker.get(LOADING) is False:
            self.loaded = True
        if VERSION in picker:
            self.version = picker[VERSION]
        if TAKEN in picker:
            self.taken = dict(picker[TAKEN] or {})
            now = time.time()
            for seat in self.taken:
                self.first_taken.setdefault(seat, now)
        text = str(message.get("events", ""))
        if '["error"]' in text:
            self.refusals += 1
        if "/bookings/" in text:
            self.outcome = "booked"
        elif '["error"]' in text and not self.outcome:
            self.outcome = "refused"  # the first refusal, of a seat or of the payment

    @property
    def ready(self) -> bool:
        """The map is on screen as a person sees it: loaded, with live seats from the relay
        (the first ``taken`` a tab receives is on_load's reset to nothing)."""
        return self.loaded and self.version > 0

    def mine(self, seat_id: int | str) -> bool:
        return bool(self.me) and (self.taken or {}).get(str(seat_id)) == self.me


def signed_in_storage(session: Session, secret_key: str, count: int, prefix: str = "buyer") -> list[dict]:
    """``count`` new users with sessions made straight in the app's database (no password
    hashing, no login round trip), as each one's localStorage: the tokens a tab sends."""
    policy = TokenPolicy(secret_key=secret_key, access_ttl=timedelta(minutes=15), refresh_ttl=timedelta(days=1))
    auth_state = state_names()[0]
    storage = []
    for n in range(count):
        user = User(name=f"Buyer {n}", email=f"{prefix}-{time.time_ns()}-{n}@example.com", password_hash="unused")
        session.add(user)
        session.flush()
        pair = start_session(session, user, policy)
        storage.append({f"{auth_state}.access_token": pair.access, f"{auth_state}.refresh_token": pair.refresh})
    session.commit()
    return storage


def truth(redis_url: str, session: Session, show_id: int, seat_ids: list[int]) -> dict[str, str]:
    """What every map should show now: {seat id: "sold" | "held"} for the taken seats."""
    store = HoldStore(redis.Redis.from_url(redis_url, decode_responses=True), HoldPolicy())
    found = {str(s): "held" for s in store.holders(show_id, seat_ids)}
    session.rollback()  # see what the app committed meanwhile
    found.update({str(s): "sold" for s in booked_seat_ids(session, show_id)})
    return found


def shown(taken: dict[str, int] | None) -> dict[str, str]:
    """A map's live seats as {seat id: "sold" | "held"}, comparable with ``truth``."""
    return {seat: ("sold" if holder == -1 else "held") for seat, holder in (taken or {}).items()}
