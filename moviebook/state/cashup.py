"""``/staff/cashup``: one staff member's till for one day. Who may see whose is the service's
rule (``services.counter.cash_up``): staff their own, admins anyone's."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import Role
from moviebook.services.clock import local_today
from moviebook.services.counter import CashUp, cash_up, cash_up_members
from moviebook.services.errors import DomainError
from moviebook.services.money import format_cents
from moviebook.services.schedule_admin import parse_calendar_day
from moviebook.services.tokens import Identity
from moviebook.state.admin_schedule import Choice
from moviebook.state.auth import AuthState
from moviebook.state.guard import requires
from moviebook.state.views import long_day_label


@dataclass
class TicketTypeView:
    name: str = ""
    tickets: int = 0
    amount: str = ""


@dataclass
class CashUpView:
    member: str = ""
    day: str = ""  # "Wednesday 2 Dec"
    sales: int = 0
    cash: str = ""
    card: str = ""
    taken: str = ""
    refunds: int = 0
    cash_refunds: str = ""
    card_refunds: str = ""
    till_float: str = ""
    expected: str = ""
    tickets: list[TicketTypeView] = field(default_factory=list)
    ticket_total: int = 0


def cash_up_view(up: CashUp, currency: str) -> CashUpView:
    money = lambda cents: format_cents(cents, currency)  # noqa: E731
    return CashUpView(
        member=up.member_name,
        day=long_day_label(up.day),
        sales=up.sales,
        cash=money(up.cash_cents),
        card=money(up.card_cents),
        taken=money(up.cash_cents + up.card_cents),
        refunds=up.refunds,
        cash_refunds=money(up.cash_refund_cents),
        card_refunds=money(up.card_refund_cents),
        till_float=money(up.float_cents),
        expected=money(up.expected_drawer_cents),
        tickets=[TicketTypeView(t.name, t.tickets, money(t.cents)) for t in up.tickets],
        ticket_total=sum(t.tickets for t in up.tickets),
    )


def _load(me: Identity, member_id: int | None, day: date | None) -> tuple[list[Choice], CashUpView, str]:
    settings = get_settings()
    day = day or local_today(settings.timezone)
    with session_scope() as session:
        members = cash_up_members(session, me)
        up = cash_up(
            session, me, member_id=member_id, day=day, tz=settings.timezone, float_cents=settings.till_float_cents
        )
    return [Choice(str(i), name) for i, name in members], cash_up_view(up, settings.currency), day.isoformat()


def _member_id(value: str) -> int | None:
    text = value.strip()
    return int(text) if text.isascii() and text.isdecimal() and len(text) <= 9 else None


class CashupState(AuthState):
    required_role: ClassVar[str | None] = Role.STAFF.value
    members: list[Choice] = []
    member: str = ""  # whose till, as the picker's value
    day: str = ""  # ISO date
    figures: CashUpView = CashUpView()
    loading: bool = True

    async def _show_till(self, me: Identity, member: str, day: str):
        try:
            members, figures, day_iso = await asyncio.to_thread(
                _load, me, _member_id(member) if member else None, parse_calendar_day(day) if day else None
            )
        except DomainError as refused:
            async with self:
                self.loading = False
            yield rx.toast.error(str(refused))
            return
        async with self:
            self.members, self.figures, self.day, self.loading = members, figures, day_iso, False
            self.member = member if member in {m.value for m in members} else str(me.user_id)

    @requires(Role.STAFF, background=True)
    async def on_load(self, me: Identity):
        async with self:
            self.loading, member = True, self.member
        async for update in self._show_till(me, member, ""):  # today's, first
            yield update

    @requires(Role.STAFF, background=True)
    async def choose_member(self, me: Identity, value: str):
        if _member_id(value) is None:
            yield rx.toast.error("Choose a staff member from the list.")
            return
        async with self:
            day = self.day
        async for update in self._show_till(me, value, day):
            yield update

    @requires(Role.STAFF, background=True)
    async def choose_day(self, me: Identity, value: str):
        if parse_calendar_day(value) is None:
            yield rx.toast.error("Enter a day as YYYY-MM-DD.")
            return
        async with self:
            member = self.member
        async for update in self._show_till(me, member, value):
            yield update
