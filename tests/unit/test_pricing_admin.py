"""Ticket types as admins set them: the form's parser, the words the list shows, and the rules."""

from __future__ import annotations

import pytest
from sqlmodel import select

from moviebook.models import AuditEntry, TicketType
from moviebook.services.errors import FormInvalid
from moviebook.services.pricing_admin import (
    age_ceiling_in_words,
    create_ticket_type,
    list_ticket_types,
    move_ticket_type,
    parse_money,
    parse_percent_bp,
    parse_ticket_type_form,
    percent_input,
    percent_label,
    rule_in_words,
    set_ticket_type_active,
    update_ticket_type,
)
from moviebook.services.roles import AccessDenied
from tests.factories import identity_for, make_ticket_types, make_user

GOOD = {"name": " Family  member ", "rule": "amount_off", "value": "1.50", "under_age": "", "door_note": ""}


def _errors(raw: dict) -> dict[str, str]:
    with pytest.raises(FormInvalid) as caught:
        parse_ticket_type_form(raw)
    return caught.value.errors


@pytest.mark.parametrize(
    "typed, bp",
    [("40", 4000), ("12.5", 1250), ("12.25", 1225), (" 7,5 % ", 750), ("0", 0), ("100", 10000), ("100.00", 10000)],
)
def test_percentages_are_read_as_basis_points(typed, bp):
    assert parse_percent_bp(typed) == bp


@pytest.mark.parametrize("typed", ["", "abc", "-5", "100.01", "101", "12.345", "1e2", "12.", "٣"])
def test_what_is_not_a_percentage_from_0_to_100_is_refused(typed):
    assert parse_percent_bp(typed) is None


@pytest.mark.parametrize("typed, cents", [("2", 200), ("2.5", 250), ("£2.50", 250), ("0", 0), (" 12,00 ", 1200)])
def test_money_is_read_as_cents(typed, cents):
    assert parse_money(typed) == cents


@pytest.mark.parametrize("typed", ["", "-1", "£-2.00", "2.555", "two", "10000", "٣"])
def test_what_is_not_an_amount_of_money_is_refused(typed):
    assert parse_money(typed) is None


def test_rules_and_ages_in_words():
    assert [percent_label(bp) for bp in (4000, 1250, 1225, 5)] == ["40%", "12.5%", "12.25%", "0.05%"]
    assert percent_input(1250) == "12.5"
    assert rule_in_words("percent_off", 4000, "GBP") == "40% off"
    assert rule_in_words("amount_off", 200, "GBP") == "£2.00 off"
    assert rule_in_words("absolute", 500, "GBP") == "£5.00"
    assert rule_in_words("percent_off", 0, "GBP") == "Base price"
    assert age_ceiling_in_words(14) == "Under 15" and age_ceiling_in_words(None) == "Any age"


def test_the_form_reads_a_good_ticket_type():
    form = parse_ticket_type_form({**GOOD, "under_age": "15", "door_note": " Under  15 "})
    assert (form.name, form.rule, form.value, form.max_age, form.door_note) == (
        "Family member",
        "amount_off",
        150,
        14,
        "Under 15",
    )
    assert parse_ticket_type_form({**GOOD, "rule": "percent_off", "value": "40"}).value == 4000
    assert parse_ticket_type_form({**GOOD, "rule": "absolute", "value": "0"}).value == 0  # a free ticket


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"name": "  "}, "name", "Enter a name, such as Child."),
        ({"name": "x" * 41}, "name", "Use at most 40 characters."),
        ({"rule": "free"}, "rule", "Choose how the price is set."),
        (
            {"rule": "percent_off", "value": "150"},
            "value",
            "Enter a percentage from 0 to 100, with at most 2 decimals (e.g. 40 or 12.5).",
        ),
        (
            {"rule": "percent_off", "value": "33.333"},
            "value",
            "Enter a percentage from 0 to 100, with at most 2 decimals (e.g. 40 or 12.5).",
        ),
        ({"rule": "absolute", "value": "-1"}, "value", "Enter an amount of 0 or more, such as 2.50."),
        ({"value": ""}, "value", "Enter an amount of 0 or more, such as 2.50."),
        ({"under_age": "0"}, "under_age", "Enter an age from 1 to 120, or leave it empty for any age."),
        ({"under_age": "fifteen"}, "under_age", "Enter an age from 1 to 120, or leave it empty for any age."),
        ({"door_note": "y" * 121}, "door_note", "Use at most 120 characters."),
    ],
)
def test_bad_input_gets_the_fields_message(changes, field, message):
    assert _errors({**GOOD, **changes}) == {field: message}


def test_a_form_missing_every_field_names_each_problem():
    assert set(_errors({})) == {"name", "rule"}


@pytest.fixture
def admin(session):
    return identity_for(make_user(session, name="Ada", role="admin"))


def test_admins_create_edit_switch_off_and_reorder_with_an_audit_of_each(session, admin):
    make_ticket_types(session)
    family = create_ticket_type(session, admin, parse_ticket_type_form(GOOD), ip="10.0.0.9")
    rows = list_ticket_types(session, admin)
    assert [r.name for r in rows] == ["Adult", "Child", "Senior", "Student", "Family member"]
    # Against £12.50: Adult the base, Child 40% off, Senior 30% off (£3.75), Student £2 off, £1.50 off.
    assert [r.example_cents for r in rows] == [1250, 750, 875, 1050, 1100]

    child = next(r for r in rows if r.name == "Child")
    update_ticket_type(
        session,
        admin,
        child.id,
        parse_ticket_type_form({**GOOD, "name": "Child", "rule": "percent_off", "value": "50", "under_age": "15"}),
    )
    assert session.get(TicketType, child.id).value == 5000
    set_ticket_type_active(session, admin, family.id, False)
    set_ticket_type_active(session, admin, family.id, False)  # already off: no second entry
    move_ticket_type(session, admin, family.id, -1)
    move_ticket_type(session, admin, rows[0].id, -1)  # Adult is first already: nothing happens
    assert [r.name for r in list_ticket_types(session, admin)] == [
        "Adult",
        "Child",
        "Senior",
        "Family member",
        "Student",
    ]
    assert not list_ticket_types(session, admin)[3].is_active

    entries = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == [
        "ticket_type.create",
        "ticket_type.update",
        "ticket_type.deactivate",
        "ticket_type.reorder",
    ]
    assert entries[0].ip_address == "10.0.0.9" and entries[0].new_values["value"] == 150
    assert (entries[1].old_values["value"], entries[1].new_values["value"]) == (4000, 5000)
    assert entries[1].old_values["door_note"] == "Under 15" and entries[1].new_values["door_note"] == ""
    assert entries[3].new_values["order"] == ["Adult", "Child", "Senior", "Family member", "Student"]


def test_names_are_unique_whatever_the_case(session, admin):
    make_ticket_types(session)
    with pytest.raises(FormInvalid) as caught:
        create_ticket_type(session, admin, parse_ticket_type_form({**GOOD, "name": "child"}))
    assert caught.value.errors == {"name": "There is already a ticket type called child. Choose another name."}
    student = session.exec(select(TicketType).where(TicketType.name == "Student")).one()
    with pytest.raises(FormInvalid):
        update_ticket_type(session, admin, student.id, parse_ticket_type_form({**GOOD, "name": "ADULT"}))
    update_ticket_type(session, admin, student.id, parse_ticket_type_form({**GOOD, "name": "student"}))  # its own
    assert student.name == "student"


def test_staff_and_moviegoers_may_not_see_or_change_prices(session):
    types = make_ticket_types(session)
    child = types["Child"].id
    attempts = (
        lambda caller: list_ticket_types(session, caller),
        lambda caller: create_ticket_type(session, caller, parse_ticket_type_form(GOOD)),
        lambda caller: update_ticket_type(session, caller, child, parse_ticket_type_form(GOOD)),
        lambda caller: set_ticket_type_active(session, caller, child, False),
        lambda caller: move_ticket_type(session, caller, child, 1),
    )
    for role in ("staff", "user"):
        caller = identity_for(make_user(session, role=role))
        for attempt in attempts:
            with pytest.raises(AccessDenied, match="Only admins can change ticket prices."):
                attempt(caller)
    assert types["Child"].value == 4000 and types["Child"].is_active
    assert session.exec(select(AuditEntry)).all() == []
