"""``/admin/promotions``: promotion codes, their limits and their use, edited by admins."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

import reflex as rx

from moviebook.config import get_settings
from moviebook.db import session_scope
from moviebook.models import Promotion, PromotionKind, Role, utcnow
from moviebook.services.errors import DomainError, FormInvalid
from moviebook.services.money import currency_symbol, format_amount
from moviebook.services.pricing_admin import percent_input
from moviebook.services.promotions import listed
from moviebook.services.promotions_admin import (
    KIND_LABELS,
    PromotionRow,
    create_promotion,
    current_films,
    limits_in_words,
    list_promotions,
    local_input,
    offer_in_words,
    parse_promotion_form,
    promotion_for_editing,
    set_promotion_active,
    status_of,
    update_promotion,
    usage_in_words,
)
from moviebook.services.tokens import Identity
from moviebook.state.auth import AuthState
from moviebook.state.guard import requires

KIND_CHOICES = tuple(KIND_LABELS.items())
WEEKDAY_CHOICES = tuple((str(d), name) for d, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), 1))
STATUS_COLOURS = {"Live": "green", "Scheduled": "blue", "Expired": "gray", "Used up": "amber", "Inactive": "gray"}


@dataclass
class PromotionView:
    id: int = 0
    code: str = ""
    description: str = ""
    offer: str = ""
    valid: str = ""
    limits: str = ""
    usage: str = ""
    status: str = ""
    colour: str = "gray"
    is_active: bool = True


@dataclass
class FilmChoice:
    name: str = ""  # the checkbox's form field: film_<id>
    title: str = ""
    chosen: bool = False


def _when(instant: datetime, tz) -> str:
    return f"{instant.astimezone(tz):%-d %b %Y %H:%M}"


def _views(rows: list[PromotionRow]) -> list[PromotionView]:
    settings, now = get_settings(), utcnow()
    tz = settings.timezone
    views = []
    for row in rows:
        p = row.promotion
        status = status_of(p, now)
        views.append(
            PromotionView(
                id=p.id,
                code=p.code,
                description=p.description,
                offer=offer_in_words(p.kind, p.value, settings.currency),
                valid=f"{_when(p.valid_from, tz)} – {_when(p.valid_to, tz)}",
                limits=" · ".join(limits_in_words(p, row.film_titles)) or "Any film, any showing",
                usage=usage_in_words(p),
                status=status,
                colour=STATUS_COLOURS[status],
                is_active=p.is_active,
            )
        )
    return views


def _load(me: Identity) -> tuple[list[PromotionRow], list[tuple[int, str]]]:
    with session_scope() as session:
        return list_promotions(session, me), current_films(session, me)


def _for_editing(me: Identity, promotion_id: int) -> tuple[Promotion, list[int]]:
    with session_scope() as session:
        return promotion_for_editing(session, me, promotion_id)


def _save(me: Identity, promotion_id: int | None, raw: dict, ip: str) -> str:
    with session_scope() as session:
        form = parse_promotion_form(raw, get_settings().timezone)
        if promotion_id is None:
            return create_promotion(session, me, form, ip).code
        return update_promotion(session, me, promotion_id, form, ip).code


def _set_active(me: Identity, promotion_id: int, active: bool, ip: str) -> str:
    with session_scope() as session:
        return set_promotion_active(session, me, promotion_id, active, ip).code


class AdminPromotionsState(AuthState):
    required_role: ClassVar[str | None] = Role.ADMIN.value
    loading: bool = True
    rows: list[PromotionView] = []
    timezone_name: str = ""
    _films: list[tuple[int, str]] = []
    films: list[FilmChoice] = []
    # The form: 0 for a new code, else the one being edited.
    editing_id: int = 0
    editing_code: str = ""
    f_code: str = ""
    f_description: str = ""
    f_kind: str = PromotionKind.PERCENT.value
    f_value: str = ""
    f_valid_from: str = ""
    f_valid_to: str = ""
    f_formats: list[str] = []
    f_weekdays: list[str] = []
    f_min_tickets: str = "1"
    f_max_redemptions: str = ""
    f_max_per_customer: str = ""
    form_key: int = 0
    errors: dict[str, str] = {}

    @rx.var
    def value_label(self) -> str:
        if self.f_kind == PromotionKind.PERCENT.value:
            return "Percentage off each ticket (%)"
        return f"Amount off the order ({currency_symbol(get_settings().currency)})"

    @rx.var
    def form_heading(self) -> str:
        return f"Edit {self.editing_code}" if self.editing_id else "New promotion code"

    async def _reload(self, me: Identity) -> None:
        rows, self._films = await asyncio.to_thread(_load, me)
        self.rows = _views(rows)
        self.timezone_name = get_settings().timezone_name
        self.loading = False

    def _fill(self, promotion: Promotion | None, film_ids: list[int]) -> None:
        tz = get_settings().timezone
        p = promotion
        if p is None:  # a new code: from the next hour for a month
            start = (utcnow() + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
            p = Promotion(
                code="",
                kind=PromotionKind.PERCENT.value,
                value=0,
                valid_from=start,
                valid_to=start + timedelta(days=30),
            )
        self.editing_id, self.editing_code = (promotion.id, promotion.code) if promotion else (0, "")
        self.f_code, self.f_description, self.f_kind = p.code, p.description, p.kind
        if promotion is None:
            self.f_value = ""
        else:
            self.f_value = percent_input(p.value) if p.kind == PromotionKind.PERCENT.value else format_amount(p.value)
        self.f_valid_from, self.f_valid_to = local_input(p.valid_from, tz), local_input(p.valid_to, tz)
        self.f_formats, self.f_weekdays = listed(p.formats), listed(p.weekdays)
        self.f_min_tickets = str(p.min_tickets)
        self.f_max_redemptions = "" if p.max_redemptions is None else str(p.max_redemptions)
        self.f_max_per_customer = "" if p.max_per_customer is None else str(p.max_per_customer)
        chosen = set(film_ids)
        self.films = [FilmChoice(f"film_{i}", title, i in chosen) for i, title in self._films]
        self.errors, self.form_key = {}, self.form_key + 1

    @requires(Role.ADMIN)
    async def on_load(self, me: Identity):
        await self._reload(me)
        self._fill(None, [])

    @requires(Role.ADMIN)
    async def new(self, me: Identity):
        self._fill(None, [])

    @requires(Role.ADMIN)
    async def edit(self, me: Identity, promotion_id: int):
        try:
            promotion, film_ids = await asyncio.to_thread(_for_editing, me, promotion_id)
        except DomainError as problem:
            return rx.toast.error(str(problem))
        self._fill(promotion, film_ids)
        return rx.scroll_to("promotion-form")

    @requires(Role.ADMIN)
    async def choose_kind(self, me: Identity, kind: str):
        self.f_kind = kind if kind in KIND_LABELS else PromotionKind.PERCENT.value

    @requires(Role.ADMIN)
    async def save(self, me: Identity, form: dict):
        try:
            code = await asyncio.to_thread(_save, me, self.editing_id or None, form, self._client_ip())
        except FormInvalid as invalid:
            self.errors = invalid.errors
            return rx.toast.error("Please check the highlighted fields.")
        except DomainError as problem:
            return rx.toast.error(str(problem))
        created = not self.editing_id
        await self._reload(me)
        self._fill(None, [])
        return rx.toast.success(f"Code {code} created." if created else f"Code {code} saved.")

    @requires(Role.ADMIN)
    async def set_active(self, me: Identity, promotion_id: int, active: bool):
        try:
            code = await asyncio.to_thread(_set_active, me, promotion_id, active, self._client_ip())
        except DomainError as problem:
            return rx.toast.error(str(problem))
        await self._reload(me)
        if active:
            return rx.toast.success(f"Code {code} is on again.")
        return rx.toast.success(f"Code {code} deactivated: customers can no longer use it.")
