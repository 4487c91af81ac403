"""``/staff/sell`` and ``/staff/tickets/[sale_ref]``: the box office and its receipts.

The box office is the seat picker's machinery used by staff: ``CounterState`` is a substate of
``SeatPickerState``, so the live map, the holds (taken under the staff member's own user id, so
every other open map sees them), the relay and the order summary are the same code; the tab's
map is priced for the counter channel (no booking fee). What is the box office's own (the day's
showtimes, the till, the sale) lives here, behind the staff guard.
"""

from __future__ import annotations

import asyncio
import secrets
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import ClassVar

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.live.seat_maps import announce
from moviebook.models import PaymentMethod, Role, SalesChannel
from moviebook.services.checkout import change_due
from moviebook.services.clock import local_today
from moviebook.services.counter import Receipt, counter_receipt, parse_cash, refund_counter_sale, sell_at_counter
from moviebook.services.errors import DomainError, FormInvalid
from moviebook.services.holds import hold_store
from moviebook.services.money import format_amount, format_cents
from moviebook.services.payments import PaymentDeclined
from moviebook.services.programme import listings_for_day
from moviebook.services.tickets import normalise_code, qr_svg_data_uri
from moviebook.services.tokens import Identity
from moviebook.state.auth import AuthState
from moviebook.state.guard import requires
from moviebook.state.seat_picker import PAYMENTS, SeatPickerState, paying_noted, settle_unanswered
from moviebook.state.views import DayView, ListingView, day_views, listing_view, parse_day

COUNTER = SalesChannel.COUNTER.value
METHODS = (PaymentMethod.CASH.value, PaymentMethod.CARD.value)
SALE_NOT_MADE = (
    "The last sale did not go through: nothing was sold and no card was charged. Hand back any "
    "cash taken for it, or sell again."
)
SALE_SEATS_HELD = "Its seats are still held for this sale."
SALE_SEATS_RELEASED = "Its seats were released in the meantime; pick them again."
SALE_UNKNOWN = "The last sale has not answered yet. Look it up by its code in a minute before selling again."


def receipt_href(code: str) -> str:
    return "/staff/tickets/" + urllib.parse.quote(code, safe="")


def _programme(day_iso: str) -> tuple[list[DayView], str, list[ListingView]]:
    """The strip's days and the chosen day's showtimes that can still be sold."""
    settings = get_settings()
    now = datetime.now(timezone.utc)
    days = day_views(local_today(settings.timezone, now))
    day = parse_day(day_iso, days) or parse_day(days[0].iso, days)
    with session_scope() as session:
        listings = listings_for_day(session, day, settings.timezone, now=now)
    return days, day.isoformat(), [listing_view(item, settings.timezone, settings.currency) for item in listings]


def _sell(me: Identity, showtime_id: int, key: str, method: str, form: dict, chosen: dict[int, int], promo: str, ip):
    with session_scope() as session:
        booking = sell_at_counter(
            session,
            hold_store(),
            PAYMENTS,
            me,
            showtime_id=showtime_id,
            idempotency_key=key,
            method=method,
            cash_text=str(form.get("cash_tendered", ""))[:20],
            email_text=str(form.get("customer_email", ""))[:300],
            chosen_types=chosen,
            promo_code=promo,
            ip=ip,
        )
        return booking.code, booking.seat_count, change_due(booking.total_cents, booking.cash_tendered_cents or 0)


def till_line(cash_text: str, total_cents: int, currency: str) -> tuple[str, bool]:
    """What the change calculator says about the cash typed, and whether it covers the total."""
    text = cash_text.strip()
    if not text:
        return "", False
    tendered = parse_cash(text)
    if tendered is None:
        return "Enter the cash handed over, like 20 or 20.00.", False
    if tendered < total_cents:
        return f"Short by {format_cents(total_cents - tendered, currency)}", False
    return f"Change due {format_cents(change_due(total_cents, tendered), currency)}", True


class CounterState(SeatPickerState):
    required_role: ClassVar[str | None] = Role.STAFF.value
    days: list[DayView] = []
    selected_day: str = ""
    listings: list[ListingView] = []
    programme_loading: bool = True
    method: str = PaymentMethod.CASH.value
    cash_tendered: str = ""  # as typed at the till
    sale_errors: dict[str, str] = {}
    selling: bool = False

    @rx.var
    def till(self) -> str:
        return till_line(self.cash_tendered, self.total_cents, get_settings().currency)[0]

    @rx.var
    def cash_covers(self) -> bool:
        return till_line(self.cash_tendered, self.total_cents, get_settings().currency)[1]

    async def _show_programme(self, day_iso: str) -> None:
        days, chosen, listings = await asyncio.to_thread(_programme, day_iso)
        async with self:
            self.days, self.selected_day, self.listings, self.programme_loading = days, chosen, listings, False

    @requires(Role.STAFF, background=True)
    async def on_load(self, me: Identity):
        async with self:
            self.programme_loading, self.sale_errors, self.selling = True, {}, False
            day, resume = self.selected_day, self._showtime_id if self._channel == COUNTER else 0
        await self._show_programme(day)
        if resume:  # a reload mid-sale: the same map, with the seats still held
            await self._open(resume, me.user_id, COUNTER)
            async for event in self._tell_settled_sale(resume, me.user_id):
                yield event
        else:
            await self._close()

    @requires(Role.STAFF, background=True)
    async def select_day(self, iso: str):
        async with self:
            known = iso in {d.iso for d in self.days}
        if not known:
            yield rx.toast.error("That day is not in this week's programme.")
            return
        await self._show_programme(iso)

    @requires(Role.STAFF, background=True)
    async def open_showtime(self, me: Identity, showtime_id: int):
        async with self:
            self.sale_errors, self.cash_tendered = {}, ""
        await self._open(showtime_id, me.user_id, COUNTER)
        async for event in self._tell_settled_sale(showtime_id, me.user_id):
            yield event

    async def _tell_settled_sale(self, showtime_id: int, staff_id: int):
        """A sale of this till for this showtime that never answered (its instance died under
        it; this tab may have come back on another one): its receipt, or what the staff member
        must do now. The Sell buttons stay busy until its outcome is known."""
        async with self:
            self.selling = True
        settled = await settle_unanswered(showtime_id, staff_id, COUNTER)
        if settled is not None and settled.booking is not None:
            async with self:
                self._checkout_key, self.selling, self.cash_tendered = secrets.token_hex(16), False, ""
                self._chosen, self._promo = {}, ""
            await self._refresh_mine(showtime_id, staff_id)
            code = settled.booking[1]
            yield rx.toast.success(f"The last sale went through ({code}).", duration=8_000)
            yield rx.redirect(receipt_href(code))
            return
        async with self:
            self.selling = False
            if settled is not None:
                said = f"{SALE_NOT_MADE} {SALE_SEATS_HELD if settled.held else SALE_SEATS_RELEASED}"
                self.notice, self._checkout_key = SALE_UNKNOWN if settled.running else said, settled.key

    @requires(Role.STAFF, background=True)
    async def change_showtime(self, me: Identity):
        """Back to the day's showtimes; the seats held for this sale go back on sale."""
        async with self:
            showtime_id, self.sale_errors, self.cash_tendered = self._showtime_id, {}, ""
        if showtime_id:
            await asyncio.to_thread(hold_store().release_all, showtime_id, me.user_id)
            announce(showtime_id)
        await self._close()

    @requires(Role.STAFF)
    async def choose_method(self, method: str):
        if method in METHODS:
            self.method, self.sale_errors = method, {}

    @requires(Role.STAFF)
    async def set_cash(self, text: str):
        self.cash_tendered = text[:20]

    @requires(Role.STAFF)
    async def exact_cash(self):
        self.cash_tendered = format_amount(self.total_cents)

    @requires(Role.STAFF, background=True)
    async def sell(self, me: Identity, form: dict):
        """Take the money (cash, or the terminal said the card was paid) and sell the held seats."""
        async with self:
            if self.selling:
                return  # a double tap: the first is on its way
            self.selling, self.sale_errors = True, {}
            showtime_id, key, method, ip = self._showtime_id, self._checkout_key, self.method, self._client_ip()
            chosen, promo = dict(self._chosen), self.promo_applied  # only a code the summary applied
            form = {**form, "cash_tendered": self.cash_tendered}
        try:
            async with paying_noted(me.user_id, showtime_id, key):
                sale = (me, showtime_id, key, method, form, chosen, promo, ip)
                code, seats, change = await asyncio.to_thread(_sell, *sale)
        except FormInvalid as invalid:
            async with self:
                self.sale_errors, self.selling = invalid.errors, False
            return
        except (PaymentDeclined, DomainError) as refused:
            async with self:
                self.selling = False
            await self._refresh_mine(showtime_id, me.user_id)
            announce(showtime_id)  # a seat sold under us, or a hold lost: every map re-reads
            yield rx.toast.error(str(refused), duration=10_000)
            return
        async with self:
            self._checkout_key, self.selling, self.cash_tendered = secrets.token_hex(16), False, ""
            self._chosen, self._promo = {}, ""
        await self._refresh_mine(showtime_id, me.user_id)
        announce(showtime_id)
        currency = get_settings().currency
        paid = f"Change due {format_cents(change, currency)}." if method == PaymentMethod.CASH else "Card paid."
        yield rx.toast.success(f"Sold {seats} ticket{'s' if seats != 1 else ''} ({code}). {paid}", duration=8_000)
        yield rx.redirect(receipt_href(code))

    @requires(Role.STAFF)
    async def find_sale(self, form: dict):
        """A lookup by booking code (for a reprint or a refund): the receipt page says what it finds."""
        code = normalise_code(str(form.get("sale_code", ""))[:40])
        if not code:
            return rx.toast.error("Enter the booking code from the receipt, like ABCD-EF23.")
        return rx.redirect(receipt_href(code))


# --- The receipt ------------------------------------------------------------------------------


@dataclass
class ReceiptLineView:
    seat: str = ""
    ticket_type: str = ""
    unit: str = ""
    discount: str = ""
    price: str = ""


@dataclass
class ReceiptView:
    booking_id: int = 0
    code: str = ""
    refunded: bool = False
    status_line: str = ""
    cinema: str = ""
    movie: str = ""
    age_rating: str = ""
    when: str = ""
    room: str = ""
    lines: list[ReceiptLineView] = field(default_factory=list)
    discount: str = ""
    promo: str = ""
    total: str = ""
    payment: str = ""
    tendered: str = ""
    change: str = ""
    customer_email: str = ""
    sold: str = ""  # "Sold by Sam at 14:02, Wed 2 Dec"
    can_refund: bool = False
    refund_note: str = ""  # why not, when it cannot be refunded


def _local(moment: datetime) -> str:
    return moment.astimezone(get_settings().timezone).strftime("%a %d %b %Y, %H:%M")


def receipt_view(receipt: Receipt) -> ReceiptView:
    settings = get_settings()
    money = lambda cents: format_cents(cents, settings.currency)  # noqa: E731
    refunded = receipt.refunded_at is not None
    status = (
        f"Refunded {money(receipt.refund_cents)} at {_local(receipt.refunded_at)}"
        + (f" by {receipt.refunded_by}" if receipt.refunded_by else "")
        if refunded
        else ""
    )
    return ReceiptView(
        booking_id=receipt.booking_id,
        code=receipt.code,
        refunded=refunded,
        status_line=status,
        cinema=settings.cinema_name,
        movie=receipt.movie_title,
        age_rating=receipt.age_rating,
        when=_local(receipt.starts_at),
        room=receipt.auditorium,
        lines=[
            ReceiptLineView(
                line.seat,
                line.ticket_type,
                money(line.unit_cents),
                money(line.discount_cents) if line.discount_cents else "",
                money(line.price_cents),
            )
            for line in receipt.lines
        ],
        discount=money(receipt.discount_cents) if receipt.discount_cents else "",
        promo=receipt.promotion_code,
        total=money(receipt.total_cents),
        payment="Cash" if receipt.payment_method == PaymentMethod.CASH else "Card",
        tendered=money(receipt.cash_tendered_cents) if receipt.cash_tendered_cents is not None else "",
        change=money(receipt.change_cents) if receipt.change_cents is not None else "",
        customer_email=receipt.customer_email,
        sold=f"Sold by {receipt.sold_by or 'a former staff member'}, {_local(receipt.sold_at)}",
        can_refund=receipt.refund_refusal is None,
        refund_note=receipt.refund_refusal or "",
    )


def _receipt(me: Identity, ref: str) -> tuple[ReceiptView, str]:
    with session_scope() as session:
        view = receipt_view(counter_receipt(session, me, ref))
    return view, qr_svg_data_uri(view.code)


def _refund(me: Identity, booking_id: int, ip: str) -> tuple[int, str]:
    with session_scope() as session:
        booking = refund_counter_sale(session, me, booking_id=booking_id, ip=ip)
        return booking.showtime_id, format_cents(booking.refund_cents, get_settings().currency)


class ReceiptState(AuthState):
    required_role: ClassVar[str | None] = Role.STAFF.value
    receipt: ReceiptView = ReceiptView()
    qr: str = ""
    problem: str = ""
    loading: bool = True
    refunding: bool = False

    async def _show_receipt(self, me: Identity, ref: str) -> None:
        try:
            view, qr = await asyncio.to_thread(_receipt, me, ref)
        except DomainError as problem:
            async with self:
                self.receipt, self.qr, self.problem, self.loading = ReceiptView(), "", str(problem), False
            return
        async with self:
            self.receipt, self.qr, self.problem, self.loading = view, qr, "", False

    @requires(Role.STAFF, background=True)
    async def on_load(self, me: Identity):
        async with self:
            self.loading, self.refunding = True, False
            ref = self.sale_ref if isinstance(self.sale_ref, str) else ""  # the dynamic route argument
        await self._show_receipt(me, ref[:40])

    @requires(Role.STAFF, background=True)
    async def refund(self, me: Identity):
        """Refund the sale shown, in full; its seats go back on sale on every open map."""
        async with self:
            if self.refunding:
                return
            self.refunding, booking_id, code, ip = True, self.receipt.booking_id, self.receipt.code, self._client_ip()
        try:
            showtime_id, amount = await asyncio.to_thread(_refund, me, booking_id, ip)
        except DomainError as refused:
            async with self:
                self.refunding = False
            yield rx.toast.error(str(refused))
            return
        announce(showtime_id)
        await self._show_receipt(me, code)
        async with self:
            self.refunding = False
        yield rx.toast.success(f"Refunded {amount}. The seats are on sale again.")

    @requires(Role.STAFF)
    async def print_receipt(self):
        return rx.call_script("window.print()")
