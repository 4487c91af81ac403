"""Admins set the cinema's ticket types at ``/admin/pricing``: rule, value, age ceiling, order.

Only admins: staff sell tickets but never edit what they cost, and every function here checks
the caller's role itself. Every change is audited with the values before and after. Each
booking seat keeps the price it was sold for, so nothing here rewrites a past sale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, func, select

from moviebook.models import PriceRule, Role, TicketType, utcnow
from moviebook.services import audit
from moviebook.services.checkout import ticket_types
from moviebook.services.errors import DomainError, FormInvalid, NotFound
from moviebook.services.money import format_cents
from moviebook.services.pricing import ticket_unit_price
from moviebook.services.roles import require_role
from moviebook.services.schedule_admin import parse_price
from moviebook.services.tokens import Identity

EXAMPLE_BASE_CENTS = 1250  # the list shows what each type costs against a £12.50 base price
MAX_AGE_CEILING = 120
RULE_LABELS = {
    PriceRule.PERCENT_OFF.value: "Percentage off the base price",
    PriceRule.AMOUNT_OFF.value: "Amount off the base price",
    PriceRule.ABSOLUTE.value: "Fixed price",
}
EDIT_REFUSAL = "Only admins can change ticket prices."

_PERCENT = re.compile(r"\s*([0-9]{1,3})(?:[.,]([0-9]{1,2}))?\s*%?\s*")
_MONEY = re.compile(r"\s*[£€$]?\s*([0-9]{1,4}(?:[.,][0-9]{1,2})?)\s*")


# --- values typed into forms -------------------------------------------------------------------


def parse_percent_bp(text: object) -> int | None:
    """'40', '12.5', '12.25%' as basis points (4000, 1250, 1225); None unless 0–100 with at most
    two decimals."""
    match = _PERCENT.fullmatch(str(text or ""))
    if not match:
        return None
    whole, frac = int(match.group(1)), (match.group(2) or "0").ljust(2, "0")
    bp = whole * 100 + int(frac)
    return bp if bp <= 10000 else None


def parse_money(text: object) -> int | None:
    """'2', '2.50', '£2.50' as cents; None for anything that is not an amount of money ≥ 0."""
    match = _MONEY.fullmatch(str(text or ""))
    return parse_price(match.group(1)) if match else None


def percent_label(bp: int) -> str:
    """4000 -> '40%', 1250 -> '12.5%', 1225 -> '12.25%'."""
    whole, frac = divmod(bp, 100)
    return f"{whole}%" if not frac else f"{whole}.{frac:02d}".rstrip("0") + "%"


def percent_input(bp: int) -> str:
    """Basis points as typed back into a form: 4000 -> '40', 1250 -> '12.5'."""
    return percent_label(bp).rstrip("%")


def rule_in_words(rule: str, value: int, currency: str) -> str:
    if rule == PriceRule.PERCENT_OFF.value:
        return "Base price" if value == 0 else f"{percent_label(value)} off"
    if rule == PriceRule.AMOUNT_OFF.value:
        return "Base price" if value == 0 else f"{format_cents(value, currency)} off"
    return format_cents(value, currency)


def age_ceiling_in_words(max_age: int | None) -> str:
    """The age ceiling as the door says it: max_age 14 -> 'Under 15'."""
    return "Any age" if max_age is None else f"Under {max_age + 1}"


# --- the form ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketTypeForm:
    name: str
    rule: str
    value: int  # cents, or basis points for a percentage
    max_age: int | None
    door_note: str


def parse_ticket_type_form(raw: dict) -> TicketTypeForm:
    """The ticket type form's fields: name, rule, value, under_age (blank: any age), door_note."""
    errors: dict[str, str] = {}
    name = " ".join(str(raw.get("name", "")).split())
    if not name:
        errors["name"] = "Enter a name, such as Child."
    elif len(name) > 40:
        errors["name"] = "Use at most 40 characters."
    rule = str(raw.get("rule", ""))
    value = 0
    value_text = str(raw.get("value", "")).strip()
    if rule not in RULE_LABELS:
        errors["rule"] = "Choose how the price is set."
    elif rule == PriceRule.PERCENT_OFF.value:
        parsed = parse_percent_bp(value_text)
        if parsed is None:
            errors["value"] = "Enter a percentage from 0 to 100, with at most 2 decimals (e.g. 40 or 12.5)."
        else:
            value = parsed
    else:
        parsed = parse_money(value_text)
        if parsed is None:
            errors["value"] = "Enter an amount of 0 or more, such as 2.50."
        else:
            value = parsed
    max_age = None
    under_text = str(raw.get("under_age", "")).strip()
    if under_text:
        if under_text.isdecimal() and len(under_text) <= 3 and 1 <= int(under_text) <= MAX_AGE_CEILING:
            max_age = int(under_text) - 1
        else:
            errors["under_age"] = f"Enter an age from 1 to {MAX_AGE_CEILING}, or leave it empty for any age."
    door_note = " ".join(str(raw.get("door_note", "")).split())
    if len(door_note) > 120:
        errors["door_note"] = "Use at most 120 characters."
    if errors:
        raise FormInvalid(errors)
    return TicketTypeForm(name, rule, value, max_age, door_note)


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketTypeRow:
    id: int
    name: str
    rule: str
    value: int
    max_age: int | None
    door_note: str
    sort_order: int
    is_active: bool
    example_cents: int  # against EXAMPLE_BASE_CENTS on a standard seat


def list_ticket_types(session: Session, actor: Identity) -> list[TicketTypeRow]:
    require_role(actor, Role.ADMIN.value, EDIT_REFUSAL)
    return [
        TicketTypeRow(
            t.id,
            t.name,
            t.rule,
            t.value,
            t.max_age,
            t.door_note,
            t.sort_order,
            t.is_active,
            ticket_unit_price(EXAMPLE_BASE_CENTS, 0, t.rule, t.value),
        )
        for t in ticket_types(session, active_only=False)
    ]


def _get(session: Session, ticket_type_id: int, *, lock: bool = False) -> TicketType:
    query = select(TicketType).where(TicketType.id == ticket_type_id)
    found = session.exec(query.with_for_update() if lock else query).first()
    if found is None:
        raise NotFound("That ticket type no longer exists. Reload the page.")
    return found


def ticket_type_for_editing(session: Session, actor: Identity, ticket_type_id: int) -> TicketType:
    require_role(actor, Role.ADMIN.value, EDIT_REFUSAL)
    return _get(session, ticket_type_id)


# --- changing -----------------------------------------------------------------------------------


def _snapshot(t: TicketType) -> dict:
    return {
        "name": t.name,
        "rule": t.rule,
        "value": t.value,
        "max_age": t.max_age,
        "door_note": t.door_note,
        "sort_order": t.sort_order,
        "is_active": t.is_active,
    }


def _ensure_name_free(session: Session, name: str, own_id: int | None) -> None:
    query = select(TicketType.id).where(func.lower(TicketType.name) == name.lower())
    if own_id is not None:
        query = query.where(TicketType.id != own_id)
    if session.exec(query).first() is not None:
        raise FormInvalid({"name": f"There is already a ticket type called {name}. Choose another name."})


def _flush_unique(session: Session, name: str) -> None:
    """Flush; two admins saving the same new name at once meet the table's UNIQUE here."""
    try:
        session.flush()
    except sa.exc.IntegrityError as clash:
        raise FormInvalid({"name": f"There is already a ticket type called {name}. Choose another name."}) from clash


def _audit(session: Session, action: str, actor: Identity, t: TicketType, old: dict | None, ip: str | None) -> None:
    audit.record(
        session,
        action,
        actor_id=actor.user_id,
        entity_type="ticket_type",
        entity_id=t.id,
        old=old,
        new=_snapshot(t),
        ip=ip,
    )


def create_ticket_type(session: Session, actor: Identity, form: TicketTypeForm, ip: str | None = None) -> TicketType:
    require_role(actor, Role.ADMIN.value, EDIT_REFUSAL)
    _ensure_name_free(session, form.name, None)
    last = session.exec(select(func.max(TicketType.sort_order))).one()
    ticket_type = TicketType(
        name=form.name,
        rule=form.rule,
        value=form.value,
        max_age=form.max_age,
        door_note=form.door_note,
        sort_order=(last or 0) + 1,
    )
    session.add(ticket_type)
    _flush_unique(session, form.name)
    _audit(session, "ticket_type.create", actor, ticket_type, None, ip)
    return ticket_type


def update_ticket_type(
    session: Session, actor: Identity, ticket_type_id: int, form: TicketTypeForm, ip: str | None = None
) -> TicketType:
    require_role(actor, Role.ADMIN.value, EDIT_REFUSAL)
    ticket_type = _get(session, ticket_type_id, lock=True)
    _ensure_name_free(session, form.name, ticket_type.id)
    old = _snapshot(ticket_type)
    ticket_type.name, ticket_type.rule, ticket_type.value = form.name, form.rule, form.value
    ticket_type.max_age, ticket_type.door_note = form.max_age, form.door_note
    if _snapshot(ticket_type) == old:
        return ticket_type  # nothing changed: nothing to audit
    ticket_type.updated_at = utcnow()
    _flush_unique(session, form.name)
    _audit(session, "ticket_type.update", actor, ticket_type, old, ip)
    return ticket_type


def set_ticket_type_active(
    session: Session, actor: Identity, ticket_type_id: int, active: bool, ip: str | None = None
) -> TicketType:
    """Switch a type on or off for new sales; bookings already sold keep it."""
    require_role(actor, Role.ADMIN.value, EDIT_REFUSAL)
    ticket_type = _get(session, ticket_type_id, lock=True)
    if ticket_type.is_active == active:
        return ticket_type
    old = _snapshot(ticket_type)
    ticket_type.is_active, ticket_type.updated_at = active, utcnow()
    session.flush()
    _audit(session, "ticket_type.activate" if active else "ticket_type.deactivate", actor, ticket_type, old, ip)
    return ticket_type


def move_ticket_type(
    session: Session, actor: Identity, ticket_type_id: int, step: int, ip: str | None = None
) -> TicketType:
    """Move a type one place up (step -1) or down (+1) in the order the checkout offers them.

    The whole order is locked and renumbered 1..n, so two admins reordering at once take turns
    and ties left by older data are resolved.
    """
    require_role(actor, Role.ADMIN.value, EDIT_REFUSAL)
    if step not in (-1, 1):
        raise DomainError("Move a ticket type one place up or down.")
    ordered = list(session.exec(select(TicketType).order_by(TicketType.sort_order, TicketType.id).with_for_update()))
    at = next((i for i, t in enumerate(ordered) if t.id == ticket_type_id), None)
    if at is None:
        raise NotFound("That ticket type no longer exists. Reload the page.")
    moving = ordered[at]
    before = {t.id: t.sort_order for t in ordered}
    target = at + step
    if 0 <= target < len(ordered):
        ordered[at], ordered[target] = ordered[target], ordered[at]
    for position, t in enumerate(ordered, start=1):
        if t.sort_order != position:
            t.sort_order, t.updated_at = position, utcnow()
    if before == {t.id: t.sort_order for t in ordered}:
        return moving  # already first (or last): nothing changed
    session.flush()
    audit.record(
        session,
        "ticket_type.reorder",
        actor_id=actor.user_id,
        entity_type="ticket_type",
        entity_id=moving.id,
        old={"order": [t.name for t in sorted(ordered, key=lambda t: (before[t.id], t.id))]},
        new={"order": [t.name for t in ordered]},
        ip=ip,
    )
    return moving
