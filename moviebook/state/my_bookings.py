"""``/bookings`` and ``/bookings/[booking_id]``: the caller's own tickets, never anyone else's."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from typing import ClassVar

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.live.seat_maps import announce
from moviebook.models import Role, utcnow
from moviebook.services.account_mail import is_verified
from moviebook.services.bookings import (
    BookingSummary,
    bookings_of,
    cancel_booking,
    customer_refund_cents,
    summary_ics,
    why_not_cancellable,
)
from moviebook.services.errors import DomainError
from moviebook.services.money import format_cents
from moviebook.services.tickets import qr_svg_data_uri
from moviebook.services.tokens import Identity
from moviebook.state.auth import AuthState
from moviebook.state.guard import requires, route_id
from moviebook.state.views import FALLBACK_POSTER

STATUS_LABELS = {"confirmed": "Confirmed", "cancelled": "Cancelled", "completed": "Completed"}


@dataclass
class TicketView:
    id: int = 0
    code: str = ""
    status: str = ""
    status_label: str = ""
    title: str = ""
    poster: str = ""
    when: str = ""
    room: str = ""
    seats: str = ""
    total: str = ""
    refund: str = ""
    cancel_refund: str = ""  # what cancelling now would give back (the fee may be kept)
    reason: str = ""
    can_cancel: bool = False
    href: str = ""
    seat_list: list[str] = field(default_factory=list)


def _view(summary: BookingSummary) -> TicketView:
    settings = get_settings()
    local = summary.starts_at.astimezone(settings.timezone)
    cutoff = timedelta(minutes=settings.cancel_cutoff_minutes)
    return TicketView(
        id=summary.id,
        code=summary.code,
        status=summary.status,
        status_label=STATUS_LABELS.get(summary.status, summary.status),
        title=summary.movie_title,
        poster=summary.poster_path or FALLBACK_POSTER,
        when=local.strftime("%A %d %B, %H:%M").replace(" 0", " "),
        room=summary.auditorium_name,
        seats=", ".join(summary.seats),
        total=format_cents(summary.total_cents, settings.currency),
        refund=format_cents(summary.refund_cents, settings.currency) if summary.refund_cents else "",
        cancel_refund=format_cents(
            customer_refund_cents(summary.total_cents, summary.fee_cents, refund_fee=settings.refund_booking_fee),
            settings.currency,
        ),
        reason=summary.cancel_reason or "",
        can_cancel=why_not_cancellable(
            summary.status,
            summary.starts_at,
            summary.ends_at,
            now=utcnow(),
            customer_cutoff=cutoff,
            channel=summary.channel,
        )
        is None,
        href=f"/bookings/{summary.id}",
        seat_list=list(summary.seats),
    )


def _mine(user_id: int) -> tuple[list[BookingSummary], bool]:
    with session_scope() as session:
        return bookings_of(session, user_id), is_verified(session, user_id)


def _cancel(user_id: int, booking_id: int, ip: str) -> int:
    settings = get_settings()
    with session_scope() as session:
        booking = cancel_booking(
            session,
            user_id=user_id,
            booking_id=booking_id,
            cutoff=timedelta(minutes=settings.cancel_cutoff_minutes),
            refund_fee=settings.refund_booking_fee,
            ip=ip,
        )
        return booking.showtime_id


class MyBookingsState(AuthState):
    required_role: ClassVar[str | None] = Role.USER.value
    upcoming: list[TicketView] = []
    past: list[TicketView] = []
    loading: bool = True
    # Booking works before the email is confirmed; this only shows a gentle reminder.
    unverified: bool = False

    async def _reload(self, user_id: int) -> None:
        now = utcnow()
        summaries, verified = await asyncio.to_thread(_mine, user_id)
        self.unverified = not verified
        self.upcoming = [_view(s) for s in reversed(summaries) if s.ends_at > now and s.status != "completed"]
        self.past = [_view(s) for s in summaries if not (s.ends_at > now and s.status != "completed")]
        self.loading = False

    @requires(Role.USER)
    async def on_load(self, me: Identity):
        await self._reload(me.user_id)

    @requires(Role.USER)
    async def cancel(self, me: Identity, booking_id: int):
        try:
            showtime_id = await asyncio.to_thread(_cancel, me.user_id, booking_id, self._client_ip())
        except DomainError as problem:
            return rx.toast.error(str(problem))
        await self._reload(me.user_id)
        announce(showtime_id)  # the seats are free again for everyone looking
        return rx.toast.success("Booking cancelled. Your refund is on its way.")


def _one(user_id: int, booking_id: int) -> BookingSummary | None:
    with session_scope() as session:
        found = bookings_of(session, user_id, booking_id)
        return found[0] if found else None


def _ics_of(summary: BookingSummary) -> str:
    return summary_ics(summary, get_settings().cinema_name)


class TicketState(AuthState):
    required_role: ClassVar[str | None] = Role.USER.value
    ticket: TicketView = TicketView()
    qr: str = ""
    found: bool = True

    @requires(Role.USER)
    async def on_load(self, me: Identity):
        booking_id = route_id(self.booking_id)  # the dynamic route argument
        summary = await asyncio.to_thread(_one, me.user_id, booking_id) if booking_id is not None else None
        self.found = summary is not None
        if summary is None:  # unknown, or someone else's: the same answer
            self.ticket, self.qr = TicketView(), ""
            return
        self.ticket = _view(summary)
        self.qr = await asyncio.to_thread(qr_svg_data_uri, summary.code)

    @requires(Role.USER)
    async def download_ics(self, me: Identity):
        # Built for the caller from the database: a tab can outlive a logout and a new login.
        summary = await asyncio.to_thread(_one, me.user_id, self.ticket.id) if self.ticket.id else None
        if summary is None:
            return self._refusal()
        return rx.download(data=_ics_of(summary), filename=f"moviebook-{summary.code}.ics")
