"""``/showtimes/[showtime_id]``: the live seat map, holds, the order summary and payment."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.live.seat_maps import (
    SeatMapView,
    announce,
    load_live_seats,
    register_seat_map_view,
    register_viewer,
    unregister_viewer,
)
from moviebook.models import Role
from moviebook.services.bookings import (
    HoldLost,
    LiveSeats,
    confirm_booking,
    hold_seats,
    live_seats,
    release_seats,
)
from moviebook.services.clock import local_today
from moviebook.services.errors import DomainError, FormInvalid
from moviebook.services.holds import HoldRefused, hold_store
from moviebook.services.money import format_cents
from moviebook.services.payments import PaymentDeclined, SimulatedProvider, parse_card
from moviebook.services.seatmap import showtime_seat_map
from moviebook.services.tokens import Identity
from moviebook.state.auth import AuthState
from moviebook.state.guard import public, requires, route_id
from moviebook.state.seatmap_views import SEAT_TYPE_LABELS, PriceView, ShowtimeHeaderView, header, price_list

# The payment provider of this installation. Swap for a real one behind the same interface.
PAYMENTS = SimulatedProvider()


@dataclass
class PickerCell:
    """One place of the grid. Static: a seat's live state comes from ``taken``, not from here,
    so a live update sends one small dict instead of re-sending the whole map."""

    is_seat: bool = False
    key: str = ""  # the seat id as text, the key into SeatPickerState.taken
    number: str = ""
    seat_type: str = ""
    sellable: bool = False
    label: str = ""  # "Row C, seat 7, premium"; the state is appended on the page
    x: int = 0
    y: int = 0


@dataclass
class PickerRow:
    label: str = ""
    cells: list[PickerCell] = field(default_factory=list)


@dataclass
class OrderLine:
    label: str = ""
    kind: str = ""
    price: str = ""


# (seat_id, row_label, number, seat_type, x, y, price_cents or -1 when not for sale): server only.
_Layout = list[tuple[int, str, int, str, int, int, int]]


def _load(showtime_id: int) -> tuple[ShowtimeHeaderView, list[PriceView], _Layout, dict[int, int]]:
    settings = get_settings()
    with session_scope() as session:
        seat_map = showtime_seat_map(session, showtime_id)
        snapshot = live_seats(session, hold_store(), showtime_id).taken
    layout = [
        (s.id, s.row_label, s.number, s.seat_type, s.x, s.y, -1 if s.price_cents is None else s.price_cents)
        for s in seat_map.seats
    ]
    return header(seat_map, settings.timezone), price_list(seat_map, settings.currency), layout, snapshot


def _hold(showtime_id: int, user_id: int, seat_ids: list[int]) -> None:
    with session_scope() as session:
        hold_seats(session, hold_store(), showtime_id=showtime_id, user_id=user_id, seat_ids=seat_ids)


def _release(showtime_id: int, user_id: int, seat_ids: list[int]) -> None:
    with session_scope() as session:
        release_seats(session, hold_store(), showtime_id=showtime_id, user_id=user_id, seat_ids=seat_ids)


def _pay(showtime_id: int, user_id: int, key: str, form: dict, ip: str) -> int:
    settings = get_settings()
    card = parse_card(form, local_today(settings.timezone))
    with session_scope() as session:
        booking = confirm_booking(
            session,
            hold_store(),
            PAYMENTS,
            showtime_id=showtime_id,
            user_id=user_id,
            idempotency_key=key,
            card=card,
            currency=settings.currency,
            ip=ip,
        )
        return booking.id


def _public_holder(showtime_id: int, holder: int) -> int:
    """What every viewer may see of a seat's holder: a tag, not the user's id.

    A keyed hash of (showtime, user), so a page can still tell "mine" from "someone else's"
    by comparing with its own ``me``, but no viewer learns who holds what, and the same
    person cannot be followed from one showtime to the next. BOOKED (-1) passes through.
    """
    if holder <= 0:
        return holder
    digest = hmac.new(get_settings().secret_key.encode(), f"{showtime_id}:{holder}".encode(), hashlib.sha256)
    return int.from_bytes(digest.digest()[:6], "big") + 1  # positive and exact in JavaScript


def _public_taken(showtime_id: int, snapshot: dict[int, int]) -> dict[str, int]:
    return {str(seat_id): _public_holder(showtime_id, holder) for seat_id, holder in snapshot.items()}


def live_vars(showtime_id: int, seats: LiveSeats) -> dict:
    """The vars of every viewer's state that a seat change alters, the same for all of them.

    They must be exactly what ``SeatPickerState._render`` would set for these two vars.
    """
    return {"taken": _public_taken(showtime_id, seats.taken), "seats_free": seats.free}


class SeatPickerState(AuthState):
    show: ShowtimeHeaderView = ShowtimeHeaderView()
    rows: list[PickerRow] = []
    # Live: seat id -> holder's public tag (see _public_holder), or BOOKED (-1). Free seats are
    # absent. The same for every viewer; each page compares holders with ``me`` to tell
    # "yours" from "held".
    taken: dict[str, int] = {}
    me: int = 0
    prices: list[PriceView] = []
    order: list[OrderLine] = []
    total: str = ""
    seats_free: int = 0
    # When the caller's earliest hold runs out (ms since the epoch); 0 when nothing is held.
    deadline_ms: int = 0
    loading: bool = True
    problem: str = ""  # why there is no map: unknown, past or cancelled showtime
    notice: str = ""  # something that happened to this user's holds (expired, lost)
    card_errors: dict[str, str] = {}
    paying: bool = False
    _showtime_id: int = 0
    _user_id: int = 0
    _layout: _Layout = []
    _snapshot: dict[int, int] = {}
    _checkout_key: str = ""

    @rx.var
    def holding(self) -> bool:
        return len(self.order) > 0

    def _build_rows(self) -> None:
        """The static grid, built once per page load."""
        width = max((s[4] for s in self._layout), default=-1) + 1
        grid: dict[int, dict[int, tuple]] = {}
        for seat in self._layout:
            grid.setdefault(seat[5], {})[seat[4]] = seat
        rows = []
        for y in sorted(grid):
            cells = []
            for x in range(width):
                seat = grid[y].get(x)
                if seat is None:
                    cells.append(PickerCell(x=x, y=y))
                    continue
                seat_id, row, number, kind, _, _, price = seat
                name = SEAT_TYPE_LABELS.get(kind, kind).lower()
                cells.append(
                    PickerCell(
                        True, str(seat_id), str(number), kind, price >= 0, f"Row {row}, seat {number}, {name}", x, y
                    )
                )
            rows.append(PickerRow(next(iter(grid[y].values()))[1], cells))
        self.rows = rows

    def _render(self) -> None:
        """Publish the live snapshot, and this viewer's order summary and free count."""
        me, taken = self._user_id, self._snapshot
        self.me = _public_holder(self._showtime_id, me)
        self.taken = _public_taken(self._showtime_id, taken)
        order, total, free = [], 0, 0
        currency = get_settings().currency
        for seat_id, row, number, kind, _, _, price in sorted(self._layout, key=lambda s: (s[5], s[4])):
            holder = taken.get(seat_id)
            if price < 0:
                continue
            if holder is None:
                free += 1
            elif me and holder == me:
                order.append(
                    OrderLine(
                        f"Row {row}, seat {number}", SEAT_TYPE_LABELS.get(kind, kind), format_cents(price, currency)
                    )
                )
                total += price
        self.order, self.seats_free = order, free
        self.total = format_cents(total, currency) if order else ""

    async def _refresh_deadline(self) -> None:
        left = (
            await asyncio.to_thread(hold_store().seconds_left, self._showtime_id, self._user_id)
            if self._user_id and self.order
            else 0
        )
        self.deadline_ms = int(time.time() * 1000) + left * 1000 if left else 0

    def _apply_live(
        self, showtime_id: int, snapshot: dict[int, int], expired_users: frozenset[int], cancelled: bool
    ) -> None:
        """Called by the live fan-out (live.seat_maps.broadcast) with the showtime's new seats."""
        if showtime_id != self._showtime_id:
            return  # this tab has moved on to another showtime
        had_holds = bool(self.order)
        self._snapshot = snapshot
        self._render()
        if cancelled:
            self.problem = "This showtime has just been cancelled by the cinema."
        elif self._user_id in expired_users and had_holds and not self.order:
            self.notice = "Your hold ran out, so your seats were released. Pick them again to continue."
            self.deadline_ms = 0

    @public
    async def on_load(self):
        self.loading, self.problem, self.notice, self.card_errors, self.paying = True, "", "", {}, False
        yield
        me = await self._identity()  # looking needs no account; choosing seats does
        self._user_id = me.user_id if me else 0
        if self._showtime_id:
            # This tab leaves the map it showed before: live updates for that showtime carry
            # seat ids that may also exist here (same room) and must not reach this page.
            await asyncio.to_thread(unregister_viewer, self._showtime_id, self.router.session.client_token)
            self._showtime_id = 0
        try:
            if (showtime_id := route_id(self.showtime_id)) is None:  # the dynamic route argument
                raise DomainError("We could not find that showtime.")
            self._showtime_id = showtime_id
            self.show, self.prices, self._layout, self._snapshot = await asyncio.to_thread(_load, self._showtime_id)
        except DomainError as error:
            self.problem, self._layout, self._snapshot, self.rows, self.taken = str(error), [], {}, [], {}
            self.loading = False
            return
        self._build_rows()
        self._render()
        await self._refresh_deadline()
        await asyncio.to_thread(register_viewer, self._showtime_id, self.router.session.client_token, self._user_id)
        if not self._checkout_key:
            self._checkout_key = secrets.token_hex(16)
        self.loading = False

    @requires(Role.USER)  # a guest is sent to log in, and comes back here after
    async def toggle_seat(self, me: Identity, seat_id: int):
        if self.problem or not self._showtime_id:
            return
        self._user_id, self.notice = me.user_id, ""
        try:
            if self._snapshot.get(seat_id) == me.user_id:  # a couple seat's partner goes with it
                await asyncio.to_thread(_release, self._showtime_id, me.user_id, [seat_id])
            else:
                await asyncio.to_thread(_hold, self._showtime_id, me.user_id, [seat_id])
        except (HoldRefused, DomainError) as refused:
            self._snapshot = (await asyncio.to_thread(load_live_seats, self._showtime_id)).taken
            self._render()
            return rx.toast.error(str(refused))
        self._snapshot = (await asyncio.to_thread(load_live_seats, self._showtime_id)).taken
        self._render()
        await self._refresh_deadline()
        announce(self._showtime_id, skip_token=self.router.session.client_token)

    @requires(Role.USER)
    async def release_all(self, me: Identity):
        await asyncio.to_thread(hold_store().release_all, self._showtime_id, me.user_id)
        self._snapshot = (await asyncio.to_thread(load_live_seats, self._showtime_id)).taken
        self._render()
        self.deadline_ms = 0
        announce(self._showtime_id, skip_token=self.router.session.client_token)

    @requires(Role.USER)
    async def pay(self, me: Identity, form: dict):
        self.paying, self.card_errors = True, {}
        yield
        try:
            booking_id = await asyncio.to_thread(
                _pay,
                self._showtime_id,
                me.user_id,
                self._checkout_key,
                form,
                self._client_ip(),
            )
        except FormInvalid as invalid:
            self.card_errors, self.paying = invalid.errors, False
            return
        except (PaymentDeclined, HoldLost, DomainError) as refused:
            self.paying = False
            self._snapshot = (await asyncio.to_thread(load_live_seats, self._showtime_id)).taken
            self._render()
            yield rx.toast.error(str(refused), duration=10_000)
            return
        self._checkout_key, self.paying = secrets.token_hex(16), False  # the next purchase is a new one
        self._snapshot = (await asyncio.to_thread(load_live_seats, self._showtime_id)).taken
        self._render()
        self.deadline_ms = 0
        announce(self._showtime_id, skip_token=self.router.session.client_token)
        yield rx.redirect(f"/bookings/{booking_id}")


register_seat_map_view(SeatMapView(SeatPickerState, live_vars, SeatPickerState._apply_live))
