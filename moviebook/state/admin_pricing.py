"""``/admin/pricing``: the cinema's ticket types, with an example price, edited by admins."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import ClassVar

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import PriceRule, Role
from moviebook.services.errors import DomainError, FormInvalid
from moviebook.services.money import currency_symbol, format_amount, format_cents
from moviebook.services.pricing_admin import (
    EXAMPLE_BASE_CENTS,
    RULE_LABELS,
    TicketTypeRow,
    age_ceiling_in_words,
    create_ticket_type,
    list_ticket_types,
    move_ticket_type,
    parse_ticket_type_form,
    percent_input,
    rule_in_words,
    set_ticket_type_active,
    ticket_type_for_editing,
    update_ticket_type,
)
from moviebook.services.tokens import Identity
from moviebook.state.auth import AuthState
from moviebook.state.guard import requires

RULE_CHOICES = tuple(RULE_LABELS.items())  # (value, label) for the form's select


@dataclass
class TicketTypeView:
    id: int = 0
    name: str = ""
    rule: str = ""  # "40% off", "£2.00 off", "£5.00"
    age: str = ""  # "Under 15", "Any age"
    door_note: str = ""
    position: int = 0
    is_active: bool = True
    example: str = ""
    first: bool = False
    last: bool = False


def _views(rows: list[TicketTypeRow]) -> list[TicketTypeView]:
    currency = get_settings().currency
    return [
        TicketTypeView(
            id=r.id,
            name=r.name,
            rule=rule_in_words(r.rule, r.value, currency),
            age=age_ceiling_in_words(r.max_age),
            door_note=r.door_note,
            position=i + 1,
            is_active=r.is_active,
            example=format_cents(r.example_cents, currency),
            first=i == 0,
            last=i == len(rows) - 1,
        )
        for i, r in enumerate(rows)
    ]


def _list(me: Identity) -> list[TicketTypeRow]:
    with session_scope() as session:
        return list_ticket_types(session, me)


def _change(me: Identity, change, *args) -> str:
    """Run one change in its own transaction; the name of the ticket type it changed."""
    with session_scope() as session:
        return change(session, me, *args).name


def _save(me: Identity, ticket_type_id: int | None, raw: dict, ip: str) -> str:
    with session_scope() as session:
        form = parse_ticket_type_form(raw)
        if ticket_type_id is None:
            return create_ticket_type(session, me, form, ip).name
        return update_ticket_type(session, me, ticket_type_id, form, ip).name


def _for_editing(me: Identity, ticket_type_id: int) -> tuple[str, str, str, str, str]:
    with session_scope() as session:
        t = ticket_type_for_editing(session, me, ticket_type_id)
        value = percent_input(t.value) if t.rule == PriceRule.PERCENT_OFF.value else format_amount(t.value)
        under = "" if t.max_age is None else str(t.max_age + 1)
        return t.name, t.rule, value, under, t.door_note


class AdminPricingState(AuthState):
    required_role: ClassVar[str | None] = Role.ADMIN.value
    loading: bool = True
    rows: list[TicketTypeView] = []
    example_base: str = ""
    # The form: 0 for a new ticket type, else the one being edited.
    editing_id: int = 0
    editing_name: str = ""
    f_name: str = ""
    f_rule: str = PriceRule.PERCENT_OFF.value
    f_value: str = ""
    f_under_age: str = ""
    f_door_note: str = ""
    form_key: int = 0  # bumped to reset the form's inputs to the values above
    errors: dict[str, str] = {}

    @rx.var
    def value_label(self) -> str:
        if self.f_rule == PriceRule.PERCENT_OFF.value:
            return "Percentage off (%)"
        symbol = currency_symbol(get_settings().currency)
        return f"Amount off ({symbol})" if self.f_rule == PriceRule.AMOUNT_OFF.value else f"Price ({symbol})"

    @rx.var
    def form_heading(self) -> str:
        return f"Edit {self.editing_name}" if self.editing_id else "New ticket type"

    async def _reload(self, me: Identity) -> None:
        self.rows = _views(await asyncio.to_thread(_list, me))
        self.example_base = format_cents(EXAMPLE_BASE_CENTS, get_settings().currency)
        self.loading = False

    def _fill(self, ticket_type_id: int, name: str, rule: str, value: str, under: str, note: str) -> None:
        self.editing_id, self.editing_name = ticket_type_id, name
        self.f_name, self.f_rule, self.f_value, self.f_under_age, self.f_door_note = name, rule, value, under, note
        self.errors, self.form_key = {}, self.form_key + 1

    @requires(Role.ADMIN)
    async def on_load(self, me: Identity):
        self._fill(0, "", PriceRule.PERCENT_OFF.value, "", "", "")
        await self._reload(me)

    @requires(Role.ADMIN)
    async def edit(self, me: Identity, ticket_type_id: int):
        try:
            found = await asyncio.to_thread(_for_editing, me, ticket_type_id)
        except DomainError as problem:
            return rx.toast.error(str(problem))
        self._fill(ticket_type_id, *found)
        return rx.scroll_to("ticket-type-form")

    @requires(Role.ADMIN)
    async def new(self, me: Identity):
        self._fill(0, "", PriceRule.PERCENT_OFF.value, "", "", "")

    @requires(Role.ADMIN)
    async def choose_rule(self, me: Identity, rule: str):
        self.f_rule = rule if rule in RULE_LABELS else PriceRule.PERCENT_OFF.value

    @requires(Role.ADMIN)
    async def save(self, me: Identity, form: dict):
        try:
            name = await asyncio.to_thread(_save, me, self.editing_id or None, form, self._client_ip())
        except FormInvalid as invalid:
            self.errors = invalid.errors
            return rx.toast.error("Please check the highlighted fields.")
        except DomainError as problem:
            return rx.toast.error(str(problem))
        created = not self.editing_id
        self._fill(0, "", PriceRule.PERCENT_OFF.value, "", "", "")
        await self._reload(me)
        return rx.toast.success(f"{name} added." if created else f"{name} saved. New sales use the new price.")

    @requires(Role.ADMIN)
    async def set_active(self, me: Identity, ticket_type_id: int, active: bool):
        try:
            name = await asyncio.to_thread(
                _change, me, set_ticket_type_active, ticket_type_id, active, self._client_ip()
            )
        except DomainError as problem:
            return rx.toast.error(str(problem))
        await self._reload(me)
        if active:
            return rx.toast.success(f"{name} is on sale again.")
        return rx.toast.success(f"{name} switched off: it is no longer offered. Tickets already sold keep it.")

    @requires(Role.ADMIN)
    async def move(self, me: Identity, ticket_type_id: int, step: int):
        try:
            name = await asyncio.to_thread(
                _change, me, move_ticket_type, ticket_type_id, 1 if step > 0 else -1, self._client_ip()
            )
        except DomainError as problem:
            return rx.toast.error(str(problem))
        await self._reload(me)
        return rx.toast.success(f"{name} moved {'down' if step > 0 else 'up'}.")
