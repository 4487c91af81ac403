"""``/showtimes/[showtime_id]``: the live seat map, holds, the order summary and payment."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.live.seat_maps import (
    SeatMapView,
    announce,
    register_seat_map_view,
    register_viewer,
    relay,
    unregister_viewer,
)
from moviebook.models import Role, SalesChannel
from moviebook.redis_client import get_redis
from moviebook.services.best_available import IdealView, hold_best, ideal_view
from moviebook.services.bookings import (
    HoldLost,
    LiveSeats,
    confirm_booking,
    hold_seats,
    release_seats,
)
from moviebook.services.checkout import default_ticket_type, quote_held
from moviebook.services.clock import local_today
from moviebook.services.errors import DomainError, FormInvalid
from moviebook.services.holds import HoldRefused, hold_store
from moviebook.services.money import format_cents
from moviebook.services.payments import PaymentDeclined, SimulatedProvider, parse_card
from moviebook.services.promotions import customer_key
from moviebook.services.seatmap import showtime_seat_map
from moviebook.services.tokens import Identity
from moviebook.services.unfinished_pays import (
    GIVE_UP_SECONDS,
    PAY_LEASE_SECONDS,
    answered,
    booking_of_checkout,
    is_running,
    start_paying,
    still_running,
    unanswered_pay,
)
from moviebook.services.waiting_list import entry_of, join, leave
from moviebook.state.auth import AuthState
from moviebook.state.guard import public, requires, route_id
from moviebook.state.order_views import OrderLine, OrderView, TicketCount, order_view, recount
from moviebook.state.seatmap_views import SEAT_TYPE_LABELS, PriceView, ShowtimeHeaderView, header, price_list

log = logging.getLogger(__name__)

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


# (seat_id, row_label, number, seat_type, x, y, price_cents or -1 when not for sale): server only.
_Layout = list[tuple[int, str, int, str, int, int, int]]


def _load(showtime_id: int) -> tuple[ShowtimeHeaderView, list[PriceView], _Layout, IdealView | None]:
    settings = get_settings()
    with session_scope() as session:
        seat_map = showtime_seat_map(session, showtime_id)
    layout = [
        (s.id, s.row_label, s.number, s.seat_type, s.x, s.y, -1 if s.price_cents is None else s.price_cents)
        for s in seat_map.seats
    ]
    view = ideal_view(seat_map.seats)
    return header(seat_map, settings.timezone), price_list(seat_map, settings.currency), layout, view


def _hold(showtime_id: int, user_id: int, seat_ids: list[int]) -> None:
    with session_scope() as session:
        hold_seats(session, hold_store(), showtime_id=showtime_id, user_id=user_id, seat_ids=seat_ids)


def _release(showtime_id: int, user_id: int, seat_ids: list[int]) -> None:
    with session_scope() as session:
        release_seats(session, hold_store(), showtime_id=showtime_id, user_id=user_id, seat_ids=seat_ids)


def _pay(showtime_id: int, user_id: int, key: str, form: dict, ip: str, chosen: dict[int, int], promo: str) -> int:
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
            chosen_types=chosen,
            promo_code=promo,
            ip=ip,
        )
        return booking.id


def _booking_of_checkout(channel: str, holder_id: int, key: str) -> tuple[int, str] | None:
    with session_scope() as session:
        return booking_of_checkout(session, channel, holder_id, key)


def _still_held(showtime_id: int, user_id: int) -> bool:
    return bool(hold_store().held_by(showtime_id, user_id))


@contextlib.asynccontextmanager
async def paying_noted(holder_id: int, showtime_id: int, key: str):
    """While a pay runs, Redis knows (services/unfinished_pays.py), so that a page opened after
    its instance died can tell a pay still running from one that will never answer."""
    client = get_redis()
    await asyncio.to_thread(start_paying, client, holder_id, showtime_id, key)

    async def keep_running() -> None:
        while True:
            await asyncio.sleep(PAY_LEASE_SECONDS / 3)
            await asyncio.to_thread(still_running, client, key)

    running = asyncio.create_task(keep_running())
    try:
        yield
    finally:
        running.cancel()
        await asyncio.to_thread(answered, client, holder_id, showtime_id, key)


@dataclass(frozen=True)
class Settled:
    """What became of a pay that never answered its tab (see services/unfinished_pays.py)."""

    key: str  # its checkout reference, to pay again with: a late commit is found, never doubled
    booking: tuple[int, str] | None  # (id, code) of the booking it made; None: nothing booked
    held: bool  # the holder still holds seats of the showtime
    running: bool = False  # still running after GIVE_UP_SECONDS: the outcome is not known yet


async def settle_unanswered(showtime_id: int, holder_id: int, channel: str) -> Settled | None:
    """The outcome of ``holder_id``'s last pay for this showtime if it never answered (None:
    there is none). Waits while an instance still runs it: a dead pay's lease runs out within
    PAY_LEASE_SECONDS."""
    client = get_redis()
    key = await asyncio.to_thread(unanswered_pay, client, holder_id, showtime_id)
    if not key:
        return None
    give_up = time.monotonic() + GIVE_UP_SECONDS
    while await asyncio.to_thread(is_running, client, key):
        if time.monotonic() > give_up:
            return Settled(key, None, held=True, running=True)
        await asyncio.sleep(0.5)
    booking = await asyncio.to_thread(_booking_of_checkout, channel, holder_id, key)
    # Rare, and worth an operator's notice: an instance died under a pay, or a tab was reloaded.
    log.warning("an unanswered %s pay of checkout %s was settled: %s", channel, key[:8], booking or "nothing booked")
    await asyncio.to_thread(answered, client, holder_id, showtime_id, key)
    return Settled(key, booking, await asyncio.to_thread(_still_held, showtime_id, holder_id))


PAY_NOT_MADE = "Your payment did not go through: you have not been charged and nothing was booked."
SEATS_STILL_HELD = "Your seats are still held for you; pay again when you are ready."
SEATS_RELEASED = "Your seats were released in the meantime; please pick them again."
PAY_UNKNOWN = (
    "We have not heard back about your payment yet. Look in My bookings in a minute; paying "
    "again here can never charge you twice for these seats."
)


def _waiting_of(showtime_id: int, user_id: int) -> int:
    """How many seats the user waits for on this showtime's list (0: not on it)."""
    if not user_id:
        return 0
    with session_scope() as session:
        entry = entry_of(session, user_id, showtime_id)
        return entry.seats_wanted if entry else 0


def _join_waiting_list(showtime_id: int, user_id: int, seats: int) -> int:
    with session_scope() as session:
        return join(
            session,
            hold_store(),
            user_id=user_id,
            showtime_id=showtime_id,
            seats_wanted=seats,
            max_seats=get_settings().max_seats_per_user,
        ).seats_wanted


def _leave_waiting_list(showtime_id: int, user_id: int) -> None:
    with session_scope() as session:
        leave(session, user_id=user_id, showtime_id=showtime_id)


def _toggle(showtime_id: int, user_id: int, seat_id: int) -> None:
    """Release the seat if it is the user's (with a couple's partner), else hold it."""
    if _holder_of(showtime_id, seat_id) == user_id:
        _release(showtime_id, user_id, [seat_id])
    else:
        _hold(showtime_id, user_id, [seat_id])


def _hold_best(showtime_id: int, user_id: int, count: int) -> list[int]:
    with session_scope() as session:
        return hold_best(session, hold_store(), showtime_id=showtime_id, user_id=user_id, count=count)


def _release_all(showtime_id: int, user_id: int) -> None:
    store = hold_store()
    with session_scope() as session:
        release_seats(
            session, store, showtime_id=showtime_id, user_id=user_id, seat_ids=store.held_by(showtime_id, user_id)
        )


# Quote numbers, per worker process (a tab's events all reach the worker holding its socket):
# the newest one asked for each tab, by client token. See SeatPickerState._refresh_mine.
_QUOTE_NUMBERS = itertools.count(1)
_NEWEST_QUOTE: dict[str, int] = {}


@dataclass(frozen=True)
class _Asked:
    number: int
    token: str
    chosen: dict[int, int]
    promo: str
    channel: str

    @classmethod
    def now(cls, token: str, chosen: dict[int, int], promo: str, channel: str) -> _Asked:
        number = next(_QUOTE_NUMBERS)
        _NEWEST_QUOTE[token] = number
        return cls(number, token, dict(chosen), promo, channel)

    def is_newest(self) -> bool:
        return _NEWEST_QUOTE.get(self.token) == self.number

    def done(self) -> None:
        """Shown: forget the tab's number (a later, older answer then finds none and is dropped)."""
        if self.is_newest():
            del _NEWEST_QUOTE[self.token]


def _fee_note() -> str:
    settings = get_settings()
    fee = format_cents(settings.booking_fee_cents, settings.currency)
    refund = "refunded" if settings.refund_booking_fee else "not refunded"
    return f"Online bookings carry a {fee} fee per ticket, {refund} if you cancel."


@dataclass(frozen=True)
class _Mine:
    """This viewer's order as it stands: the seats held, the priced view, the time left."""

    held: tuple[int, ...] = ()
    view: OrderView = field(default_factory=OrderView)
    seconds_left: int = 0
    default_type: int = 0


def _my_order(
    showtime_id: int, user_id: int, chosen: dict[int, int], promo: str, channel: str = SalesChannel.ONLINE.value
) -> _Mine:
    """Quote what the user holds (outside the tab's lock): the same service the payment uses,
    so the total shown is the total charged. At the box office (``channel`` counter) the holder
    is the staff member: no booking fee, and the code's per-customer limit is not theirs."""
    if not user_id or not showtime_id:
        return _Mine()
    store = hold_store()
    online = channel == SalesChannel.ONLINE
    with session_scope() as session:
        checkout = quote_held(
            session,
            store,
            showtime_id=showtime_id,
            holder_id=user_id,
            channel=channel,
            chosen_types=chosen,
            promo_code=promo,
            customer=customer_key(user_id=user_id, email=None) if online else None,
        )
    options = list(checkout.options)
    held = tuple(line.seat_id for line in checkout.order.lines)
    seconds = store.seconds_left(showtime_id, user_id) if held else 0
    default = default_ticket_type(options) or 0
    return _Mine(held, order_view(checkout, options, get_settings().currency), seconds, default)


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
    """The live vars every viewer of the showtime gets, the same for all of them (sent by the
    showtime's relay, ``live.seat_maps``, to its whole room)."""
    return {
        "taken": _public_taken(showtime_id, seats.taken),
        "seats_free": seats.free,
        "closed_notice": "This showtime has just been cancelled by the cinema." if seats.cancelled else "",
    }


def _holder_of(showtime_id: int, seat_id: int) -> int:
    return hold_store().holders(showtime_id, [seat_id]).get(seat_id, 0)


class SeatPickerState(AuthState):
    show: ShowtimeHeaderView = ShowtimeHeaderView()
    rows: list[PickerRow] = []
    prices: list[PriceView] = []
    # Live, the same for every viewer, and set only by the showtime's relay (live.seat_maps):
    # seat id -> holder's public tag (see _public_holder) or BOOKED (-1); free seats are absent.
    taken: dict[str, int] = {}
    seats_free: int = 0
    closed_notice: str = ""
    seat_version: int = 0  # the version of the seat state ``taken`` shows
    seat_showtime: int = 0  # the showtime ``taken`` belongs to: the page trusts it for its own only
    showtime_key: int = 0  # this tab's showtime
    me: int = 0  # this viewer's public tag: seats held with it are "yours"
    # Where the map opens (services.best_available.ideal_view), for the page's script: the best
    # rows' y, space-separated, and the x of the middle block's first and last seats in them.
    best_rows: str = ""
    best_left: int = 0
    best_right: int = 0
    order: list[OrderLine] = []
    ticket_counts: list[TicketCount] = []
    subtotal: str = ""
    discount: str = ""
    fees: str = ""
    total: str = ""
    total_cents: int = 0  # the same total, for the box office's change calculator
    promo_applied: str = ""  # the code taken off this order; "" when none
    promo_problem: str = ""  # why the code typed does not apply
    age_note: str = ""
    fee_note: str = ""  # what the booking fee is, and whether a cancellation refunds it
    # How long the caller's earliest hold has left, in seconds, when this was sent (0: nothing
    # held). The browser counts down from when it arrives, so a phone whose clock is wrong still
    # shows the right time; ``hold_stamp`` changes with every new value, even an equal one.
    hold_seconds: int = 0
    hold_stamp: int = 0
    loading: bool = True
    problem: str = ""  # why there is no map: unknown, past or cancelled showtime
    notice: str = ""  # something that happened to this user's holds (expired, lost)
    card_errors: dict[str, str] = {}
    paying: bool = False
    # The waiting list of a full showtime: how many seats this viewer waits for (0: not waiting),
    # and the choices of how many one may ask for (1 to the per-booking maximum).
    waiting_seats: int = 0
    waiting_choices: list[str] = []
    _showtime_id: int = 0
    _user_id: int = 0
    _layout: _Layout = []
    _checkout_key: str = ""
    _chosen: dict[int, int] = {}  # seat id -> ticket type id, as the buyer set them
    _promo: str = ""  # the code the buyer typed
    _held: list[int] = []  # the seats the last quote found held, in map order
    _default_type: int = 0
    _channel: str = SalesChannel.ONLINE.value  # how this tab sells: online, or at the box office

    def _forget_checkout(self) -> None:
        """Paid: the next purchase is a new one, with a checkout reference of its own."""
        self._checkout_key, self.paying = secrets.token_hex(16), False
        self._chosen, self._promo = {}, ""

    @rx.var
    def holding(self) -> bool:
        return len(self.order) > 0

    @rx.var
    def offer_waiting_list(self) -> bool:
        """ "Tell me if seats free up": sold out, or fewer seats free than a group may want."""
        return self.waiting_seats > 0 or (not self.order and self.seats_free < len(self.waiting_choices))

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

    def _show_order(self, mine: _Mine) -> None:
        view = mine.view
        self.order, self.ticket_counts = view.lines, view.counts
        self.subtotal, self.discount, self.fees, self.total = view.subtotal, view.discount, view.fees, view.total
        self.total_cents = view.total_cents
        self.promo_applied, self.promo_problem, self.age_note = view.promo_applied, view.promo_problem, view.age_note
        self._held, self._default_type = list(mine.held), mine.default_type
        self.hold_seconds = mine.seconds_left if view.lines else 0
        self.hold_stamp += 1

    def _apply_expiry(self, showtime_id: int, expired_users: frozenset[int]) -> None:
        """Called by the live layer when holds of this showtime ran out (its slow path)."""
        if showtime_id != self._showtime_id or self._user_id not in expired_users:
            return  # this tab has moved on, or the expired holds were someone else's
        had_holds = bool(self.order)
        self._ask_quote()  # any quote still on its way is older than this one
        self._show_order(_my_order(showtime_id, self._user_id, dict(self._chosen), self._promo, self._channel))
        if had_holds and not self.order:
            self.notice = "Your hold ran out, so your seats were released. Pick them again to continue."

    def _ask_quote(self) -> _Asked:
        """Under the lock: number a new quote and take what it is of (see _refresh_mine)."""
        return _Asked.now(self.router.session.client_token, self._chosen, self._promo, self._channel)

    async def _refresh_mine(
        self, showtime_id: int, user_id: int, asked: _Asked | None = None, then: Callable[[], None] | None = None
    ) -> None:
        """Re-quote this user's own holds (outside the lock), then show them. ``asked`` comes from
        the caller's own lock block (``_ask_quote``), or is numbered after a lock-free step (a hold)
        from inputs read earlier, which saves taking the lock again. ``then`` is the caller's own
        last change to the tab (a pay's "no longer paying"), made in the same lock block as the
        quote is shown: one lock, one save of the tab's state, one delta. It is made even when
        the quote fails."""
        if asked is None:
            async with self:
                asked = self._ask_quote()
        try:
            mine = await asyncio.to_thread(_my_order, showtime_id, user_id, asked.chosen, asked.promo, asked.channel)
        except BaseException:
            if then is not None:
                async with self:
                    then()
            raise
        again = False
        async with self:
            if then is not None:
                then()
            # Background handlers of one tab run side by side, so quotes can finish out of order:
            # only the newest one asked for is shown, and only if the ticket choices and code it
            # priced are still the tab's (else it is asked again, now under the lock).
            if self._showtime_id == showtime_id and asked.is_newest():
                if (asked.chosen, asked.promo) == (self._chosen, self._promo):
                    self._show_order(mine)
                    asked.done()
                else:
                    again = True
        if again:
            await self._refresh_mine(showtime_id, user_id)

    @public(background=True)
    async def on_load(self):
        async with self:
            showtime_id = route_id(self.showtime_id)  # the dynamic route argument
        me = await self._identity_unlocked()  # looking needs no account; choosing seats does
        user_id = me.user_id if me else 0
        # A pay of this buyer's for this showtime that never answered: its instance died under
        # it (this may be the tab coming back on another instance), or the page was reloaded
        # mid-pay. The Pay button stays busy until its outcome is known.
        unfinished = bool(user_id and showtime_id) and await asyncio.to_thread(
            unanswered_pay, get_redis(), user_id, showtime_id
        )
        await self._open(showtime_id, user_id, SalesChannel.ONLINE.value, paying=bool(unfinished))
        if unfinished:
            async for event in self._tell_settled(showtime_id, user_id):
                yield event

    async def _tell_settled(self, showtime_id: int, user_id: int):
        """Tell the buyer what became of their pay that never answered: the ticket, or nothing
        booked and whether the seats are still theirs."""
        settled = await settle_unanswered(showtime_id, user_id, SalesChannel.ONLINE.value)
        async with self:
            token, channel = self.router.session.client_token, self._channel
            chosen, typed = dict(self._chosen), self._promo
        if settled is not None and settled.booking is not None:
            await self._refresh_mine(showtime_id, user_id, _Asked.now(token, {}, "", channel), self._forget_checkout)
            yield rx.toast.success("Your payment went through: here is your ticket.", duration=10_000)
            yield rx.redirect(f"/bookings/{settled.booking[0]}")
            return

        def not_paid() -> None:
            self.paying = False
            if settled is not None:
                said = PAY_NOT_MADE + " " + (SEATS_STILL_HELD if settled.held else SEATS_RELEASED)
                self.notice, self._checkout_key = PAY_UNKNOWN if settled.running else said, settled.key

        await self._refresh_mine(showtime_id, user_id, _Asked.now(token, chosen, typed, channel), not_paid)

    async def _leave(self, previous: int, sid: str, token: str) -> None:
        """This tab no longer shows ``previous``: that showtime's updates carry seat ids that may
        also exist on the next map (same room) and must not reach it."""
        if previous:
            await asyncio.to_thread(unregister_viewer, previous, token)
            await relay().unwatch(sid, previous)

    async def _close(self) -> None:
        """Show no map (the box office before a showtime is chosen)."""
        async with self:
            previous, sid, token = self._showtime_id, self.router.session.session_id, self.router.session.client_token
            self._showtime_id, self.showtime_key, self.taken, self.seat_showtime = 0, 0, {}, 0
            self._layout, self.rows, self.problem, self.loading = [], [], "", False
        await self._leave(previous, sid, token)

    async def _open(self, showtime_id: int | None, user_id: int, channel: str, *, paying: bool = False) -> None:
        """Show this tab the live map of ``showtime_id``, priced for ``channel``, leaving the map
        it showed before. Used by this page's ``on_load`` and by the box office (``counter``).
        Nothing slow happens under the tab's lock: it is taken only to read and to publish.
        ``paying``: the tab's last pay is still to be settled (the Pay button stays busy)."""
        async with self:
            self.loading, self.problem, self.notice, self.card_errors, self.paying = True, "", "", {}, paying
            previous, sid, token = self._showtime_id, self.router.session.session_id, self.router.session.client_token
            self._showtime_id, self.showtime_key, self.taken, self.seat_showtime = 0, showtime_id or 0, {}, 0
            self.closed_notice = ""
            if not self._checkout_key:
                self._checkout_key = secrets.token_hex(16)
            if previous != showtime_id or self._channel != channel:
                self._chosen, self._promo = {}, ""  # ticket choices belong to one showtime's seats
            self._channel = channel
            asked = self._ask_quote()
        await self._leave(previous, sid, token)
        try:
            if showtime_id is None:
                raise DomainError("We could not find that showtime.")
            show, prices, layout, view = await asyncio.to_thread(_load, showtime_id)
        except DomainError as error:
            async with self:
                self.problem, self._layout, self.rows, self.loading = str(error), [], [], False
            return
        mine = await asyncio.to_thread(_my_order, showtime_id, user_id, asked.chosen, asked.promo, asked.channel)
        waiting = await asyncio.to_thread(_waiting_of, showtime_id, user_id)
        await asyncio.to_thread(register_viewer, showtime_id, token, user_id)
        async with self:
            self._showtime_id, self._user_id, self._layout = showtime_id, user_id, layout
            self.waiting_seats = waiting
            self.waiting_choices = [str(n) for n in range(1, get_settings().max_seats_per_user + 1)]
            self.show, self.prices, self.me = show, prices, _public_holder(showtime_id, user_id)
            self.best_rows = " ".join(str(y) for y in view.rows) if view else ""
            self.best_left, self.best_right = (view.left, view.right) if view else (0, 0)
            self.fee_note = _fee_note()
            self._build_rows()
            if asked.is_newest():
                self._show_order(mine)
                asked.done()
            self.loading = False
        await relay().watch(sid, showtime_id)  # joins the room and is sent the seats as they are now

    @requires(Role.USER, background=True)  # a guest is sent to log in, and comes back here after
    async def toggle_seat(self, me: Identity, seat_id: int):
        _, problem = await self._change_seats(me, lambda showtime_id: _toggle(showtime_id, me.user_id, seat_id))
        if problem:
            yield rx.toast.error(problem)

    @requires(Role.USER, background=True)  # a guest is sent to log in, and comes back here after
    async def hold_best(self, me: Identity, form: dict):
        """ "Best available": one press holds the best N seats side by side (services/best_available),
        in place of any the buyer held. The way in for keyboard and screen-reader users, and the
        quickest for everyone."""
        raw = str(form.get("best_count", "")).strip()[:3]
        if not raw.isdecimal():
            yield rx.toast.error("Choose how many seats you want.")
            return
        held, problem = await self._change_seats(me, lambda showtime_id: _hold_best(showtime_id, me.user_id, int(raw)))
        if problem:
            yield rx.toast.error(problem)
        elif held:
            labels = {seat_id: f"{row}{number}" for seat_id, row, number, *_ in self._layout}
            yield rx.toast.success("Held for you: " + ", ".join(labels.get(seat_id, "?") for seat_id in held) + ".")

    async def _change_seats(self, me: Identity, change: Callable[[int], Any]) -> tuple[Any, str]:
        """Run ``change(showtime_id)`` (a hold or a release, in a thread), then show this user's
        seats and tell every map. Returns what the change returned, and why it was refused or "";
        (None, "") when the tab shows no map it can change.

        Read from the tab's state as Reflex loaded it, under the lock, when the click arrived:
        the click takes the lock once more, at the end, to show the answer (issue 11: every
        lock is a load and a save of the tab's state, which a rush of clicks pays for)."""
        showtime_id, closed, notice = self._showtime_id, bool(self.problem), self.notice
        token, chosen, promo, channel = (
            self.router.session.client_token,
            dict(self._chosen),
            self._promo,
            self._channel,
        )
        if closed or not showtime_id:
            return None, ""

        def clicked() -> None:
            self._user_id = me.user_id  # this tab's seats are now this account's (for expiry)
            if self.notice == notice:  # a notice that came during the click is still news
                self.notice = ""

        try:
            result = await asyncio.to_thread(change, showtime_id)
        except (HoldRefused, DomainError) as refused:
            return None, str(refused)
        finally:
            # Numbered after the change, so the newest quote has seen every hold before it.
            await self._refresh_mine(showtime_id, me.user_id, _Asked.now(token, chosen, promo, channel), clicked)
        announce(showtime_id)
        return result, ""

    @requires(Role.USER, background=True)
    async def release_all(self, me: Identity):
        async with self:
            showtime_id = self._showtime_id
        await asyncio.to_thread(_release_all, showtime_id, me.user_id)  # the waiting list hears of it
        await self._refresh_mine(showtime_id, me.user_id)
        announce(showtime_id)

    @requires(Role.USER, background=True)  # a guest is sent to log in, and comes back here after
    async def join_waiting_list(self, me: Identity, form: dict):
        async with self:
            showtime_id, closed = self._showtime_id, bool(self.problem)
        raw = str(form.get("seats", "")).strip()[:3]
        if closed or not showtime_id:
            return
        if not raw.isdecimal():
            yield rx.toast.error("Choose how many seats you want.")
            return
        try:
            seats = await asyncio.to_thread(_join_waiting_list, showtime_id, me.user_id, int(raw))
        except DomainError as refused:
            yield rx.toast.error(str(refused))
            return
        async with self:
            self.waiting_seats = seats
        noun = "seat" if seats == 1 else "seats"
        yield rx.toast.success(f"You are on the waiting list for {seats} {noun}. We will email you.")

    @requires(Role.USER, background=True)
    async def leave_waiting_list(self, me: Identity):
        async with self:
            showtime_id = self._showtime_id
        if not showtime_id:
            return
        await asyncio.to_thread(_leave_waiting_list, showtime_id, me.user_id)
        async with self:
            self.waiting_seats = 0
        yield rx.toast.success("You have left the waiting list.")

    @requires(Role.USER, background=True)
    async def choose_ticket(self, me: Identity, seat_id: int, ticket_type_id: int):
        """The ticket type of one held seat (Adult, Child, ...); the price follows on the server."""
        async with self:
            showtime_id = self._showtime_id
            refusal = next((c.refusal for c in self.ticket_counts if c.key == str(ticket_type_id)), "")
            if seat_id in self._held and not refusal:
                self._chosen = {**self._chosen, seat_id: ticket_type_id}
            asked = self._ask_quote()
        await self._refresh_mine(showtime_id, me.user_id, asked)
        if refusal:
            yield rx.toast.error(refusal)

    @requires(Role.USER, background=True)
    async def count_ticket(self, me: Identity, ticket_type_id: int, delta: int):
        """A quick counter: one more (``delta`` 1) or one fewer (-1) seat of this ticket type."""
        async with self:
            showtime_id = self._showtime_id
            refusal = next((c.refusal for c in self.ticket_counts if c.key == str(ticket_type_id)), "")
            if not refusal and self._default_type:
                self._chosen = recount(
                    self._chosen, self._held, ticket_type_id, 1 if delta > 0 else -1, self._default_type
                )
            asked = self._ask_quote()
        await self._refresh_mine(showtime_id, me.user_id, asked)
        if refusal:
            yield rx.toast.error(refusal)

    @requires(Role.USER, background=True)
    async def apply_promo(self, me: Identity, form: dict):
        async with self:
            showtime_id = self._showtime_id
            self._promo = str(form.get("promo_code", ""))[:32].strip()
            asked = self._ask_quote()
        await self._refresh_mine(showtime_id, me.user_id, asked)
        async with self:
            problem, applied = self.promo_problem, self.promo_applied
        if problem:
            yield rx.toast.error(problem)
        elif applied:
            yield rx.toast.success(f"Code {applied} applied.")

    @requires(Role.USER, background=True)
    async def remove_promo(self, me: Identity):
        async with self:
            showtime_id, self._promo = self._showtime_id, ""
            asked = self._ask_quote()
        await self._refresh_mine(showtime_id, me.user_id, asked)

    @requires(Role.USER, background=True)
    async def pay(self, me: Identity, form: dict):
        async with self:
            if self.paying:
                return  # a double click: the first one is on its way
            self.paying, self.card_errors = True, {}
            showtime_id, key, ip = self._showtime_id, self._checkout_key, self._client_ip()
            token, channel, typed = self.router.session.client_token, self._channel, self._promo
            # Only a code the summary applied is sent: the buyer pays what they were shown.
            chosen, promo = dict(self._chosen), self.promo_applied
        try:
            async with paying_noted(me.user_id, showtime_id, key):
                booking_id = await asyncio.to_thread(_pay, showtime_id, me.user_id, key, form, ip, chosen, promo)
        except FormInvalid as invalid:
            async with self:
                self.card_errors, self.paying = invalid.errors, False
            return
        except (PaymentDeclined, HoldLost, DomainError) as refused:

            def refused_shown() -> None:
                self.paying = False

            # The quote is asked for the choices sent to pay, which are the tab's: one lock to show it.
            await self._refresh_mine(showtime_id, me.user_id, _Asked.now(token, chosen, typed, channel), refused_shown)
            announce(showtime_id)  # a seat sold under us, or a hold lost: every map re-reads
            yield rx.toast.error(str(refused), duration=10_000)
            return

        await self._refresh_mine(showtime_id, me.user_id, _Asked.now(token, {}, "", channel), self._forget_checkout)
        announce(showtime_id)
        yield rx.redirect(f"/bookings/{booking_id}")


register_seat_map_view(SeatMapView(SeatPickerState, live_vars, SeatPickerState._apply_expiry))
