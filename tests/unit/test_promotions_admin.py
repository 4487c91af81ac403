"""Promotion codes as admins set them: the form's parser (the cinema's clock), words, and rules."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from moviebook.models import AuditEntry, Promotion, PromotionMovie
from moviebook.services.errors import FormInvalid
from moviebook.services.promotions_admin import (
    create_promotion,
    current_films,
    limits_in_words,
    list_promotions,
    local_input,
    offer_in_words,
    parse_local_datetime,
    parse_promotion_form,
    promotion_for_editing,
    set_promotion_active,
    status_of,
    update_promotion,
    usage_in_words,
)
from moviebook.services.roles import AccessDenied
from tests.factories import identity_for, make_movie, make_promotion, make_user

TZ = ZoneInfo("Europe/London")
GOOD = {
    "code": " tuesday3d ",
    "description": "Half price 3D on Tuesdays",
    "kind": "percent",
    "value": "50",
    "valid_from": "2026-07-01T00:00",
    "valid_to": "2026-12-31T23:59",
    "min_tickets": "",
    "max_redemptions": "",
    "max_per_customer": "",
}


def _errors(raw: dict) -> dict[str, str]:
    with pytest.raises(FormInvalid) as caught:
        parse_promotion_form(raw, TZ)
    return caught.value.errors


def test_local_times_are_the_cinemas_clock_stored_in_utc():
    # Summer: London is UTC+1; winter: UTC.
    assert parse_local_datetime("2026-07-01T00:00", TZ) == datetime(2026, 6, 30, 23, 0, tzinfo=timezone.utc)
    assert parse_local_datetime("2026-12-24 18:30", TZ) == datetime(2026, 12, 24, 18, 30, tzinfo=timezone.utc)
    assert local_input(datetime(2026, 6, 30, 23, 0, tzinfo=timezone.utc), TZ) == "2026-07-01T00:00"
    # 01:30 on 29 March 2026 never happens in London: the clocks jump from 01:00 to 02:00.
    for typed in ("2026-03-29T01:30", "2026-02-30T10:00", "tomorrow", "", "1999-01-01T10:00", "2026-07-01T25:00"):
        assert parse_local_datetime(typed, TZ) is None, typed


def test_the_form_reads_a_good_code_with_its_limits():
    form = parse_promotion_form(
        {
            **GOOD,
            "format_3D": "on",
            "format_IMAX": "on",
            "weekday_2": "on",
            "weekday_4": "on",
            "film_12": "on",
            "film_7": "on",
            "film_x": "on",
            "min_tickets": "2",
            "max_redemptions": "100",
            "max_per_customer": "1",
        },
        TZ,
    )
    assert (form.code, form.kind, form.value) == ("TUESDAY3D", "percent", 5000)
    assert (form.formats, form.weekdays, form.movie_ids) == (("3D", "IMAX"), (2, 4), (7, 12))
    assert (form.min_tickets, form.max_redemptions, form.max_per_customer) == (2, 100, 1)
    plain = parse_promotion_form({**GOOD, "kind": "amount", "value": "£3"}, TZ)
    assert (plain.value, plain.formats, plain.weekdays, plain.min_tickets, plain.max_redemptions) == (
        300,
        (),
        (),
        1,
        None,
    )


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"code": "AB"}, "code", "Use 3 to 32 letters A–Z and digits 0–9, with no spaces."),
        ({"code": "TEN OFF"}, "code", "Use 3 to 32 letters A–Z and digits 0–9, with no spaces."),
        ({"code": "TEN-OFF"}, "code", "Use 3 to 32 letters A–Z and digits 0–9, with no spaces."),
        ({"code": "C" * 33}, "code", "Use 3 to 32 letters A–Z and digits 0–9, with no spaces."),
        ({"code": "ÉTÉ2026"}, "code", "Use 3 to 32 letters A–Z and digits 0–9, with no spaces."),
        ({"description": "d" * 201}, "description", "Use at most 200 characters."),
        ({"kind": "bogof"}, "kind", "Choose a percentage or an amount off."),
        (
            {"value": "0"},
            "value",
            "Enter a percentage above 0 and up to 100, with at most 2 decimals (e.g. 10 or 12.5).",
        ),
        (
            {"value": "120"},
            "value",
            "Enter a percentage above 0 and up to 100, with at most 2 decimals (e.g. 10 or 12.5).",
        ),
        ({"kind": "amount", "value": "0.00"}, "value", "Enter an amount above 0, such as 2.50."),
        ({"kind": "amount", "value": "lots"}, "value", "Enter an amount above 0, such as 2.50."),
        ({"valid_from": ""}, "valid_from", "Enter the date and time the code starts."),
        ({"valid_to": "2026-13-01T00:00"}, "valid_to", "Enter the date and time the code ends."),
        ({"valid_to": "2026-07-01T00:00"}, "valid_to", "The end must be after the start."),
        ({"valid_to": "2026-06-30T12:00"}, "valid_to", "The end must be after the start."),
        ({"min_tickets": "0"}, "min_tickets", "Enter a number of tickets from 1 to 50."),
        ({"min_tickets": "51"}, "min_tickets", "Enter a number of tickets from 1 to 50."),
        (
            {"max_redemptions": "0"},
            "max_redemptions",
            "Enter a whole number of uses (1 or more), or leave it empty for no limit.",
        ),
        (
            {"max_per_customer": "2.5"},
            "max_per_customer",
            "Enter a whole number of uses (1 or more), or leave it empty for no limit.",
        ),
    ],
)
def test_bad_input_gets_the_fields_message(changes, field, message):
    assert _errors({**GOOD, **changes}) == {field: message}


def test_the_list_says_what_a_code_gives_its_limits_and_use():
    now = datetime(2026, 8, 1, tzinfo=timezone.utc)
    code = Promotion(
        code="X",
        kind="percent",
        value=1250,
        valid_from=datetime(2026, 7, 1, tzinfo=timezone.utc),
        valid_to=datetime(2026, 9, 1, tzinfo=timezone.utc),
        formats="3D,IMAX",
        weekdays="2,4",
        min_tickets=2,
        max_redemptions=10,
        max_per_customer=1,
        redemption_count=3,
    )
    assert offer_in_words("percent", 1250, "GBP") == "12.5% off each ticket"
    assert offer_in_words("amount", 300, "GBP") == "£3.00 off the order"
    assert limits_in_words(code, ["Alpha"]) == [
        "Films: Alpha",
        "3D / IMAX only",
        "Tue, Thu",
        "At least 2 tickets",
        "Once per customer",
    ]
    assert usage_in_words(code) == "Used 3 of 10" and status_of(code, now) == "Live"
    code.redemption_count = 10
    assert status_of(code, now) == "Used up"
    assert status_of(code, datetime(2026, 9, 1, tzinfo=timezone.utc)) == "Expired"
    assert status_of(code, datetime(2026, 6, 1, tzinfo=timezone.utc)) == "Scheduled"
    code.max_redemptions = None
    assert usage_in_words(code) == "Used 10 (no limit)"


@pytest.fixture
def admin(session):
    return identity_for(make_user(session, name="Ada", role="admin"))


def test_admins_create_edit_and_deactivate_codes_with_an_audit_of_each(session, admin):
    alpha, beta = make_movie(session, "Alpha"), make_movie(session, "Beta")
    form = parse_promotion_form({**GOOD, "format_3D": "on", f"film_{alpha.id}": "on"}, TZ)
    promotion = create_promotion(session, admin, form, ip="10.0.0.2")
    assert promotion.code == "TUESDAY3D" and promotion.formats == "3D"
    assert [(m.id, t) for m, t in [(alpha, "Alpha"), (beta, "Beta")]] == current_films(session, admin)
    [row] = list_promotions(session, admin)
    assert row.film_titles == ["Alpha"]

    edited = parse_promotion_form(
        {**GOOD, "value": "25", "weekday_2": "on", f"film_{beta.id}": "on", "max_redemptions": "10"}, TZ
    )
    update_promotion(session, admin, promotion.id, edited)
    _, films = promotion_for_editing(session, admin, promotion.id)
    assert (promotion.value, promotion.formats, promotion.weekdays, films) == (2500, "", "2", [beta.id])
    update_promotion(session, admin, promotion.id, edited)  # the same again: nothing to audit
    set_promotion_active(session, admin, promotion.id, False)
    assert not promotion.is_active

    entries = session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["promotion.create", "promotion.update", "promotion.deactivate"]
    assert entries[0].new_values["movie_ids"] == [alpha.id] and entries[0].ip_address == "10.0.0.2"
    assert (entries[1].old_values["value"], entries[1].new_values["value"]) == (5000, 2500)
    assert (entries[1].old_values["movie_ids"], entries[1].new_values["movie_ids"]) == ([alpha.id], [beta.id])
    assert (entries[2].old_values["is_active"], entries[2].new_values["is_active"]) == (True, False)


def test_codes_are_unique_and_limits_respect_what_was_used(session, admin):
    make_promotion(session, "SPRING", redemption_count=4)
    with pytest.raises(FormInvalid) as caught:
        create_promotion(session, admin, parse_promotion_form({**GOOD, "code": "spring"}, TZ))
    assert caught.value.errors == {"code": "The code SPRING is already in use. Choose another."}
    spring = session.exec(select(Promotion).where(Promotion.code == "SPRING")).one()
    with pytest.raises(FormInvalid) as caught:
        update_promotion(
            session, admin, spring.id, parse_promotion_form({**GOOD, "code": "SPRING", "max_redemptions": "3"}, TZ)
        )
    assert caught.value.errors == {
        "max_redemptions": "This code has already been used 4 times; the limit cannot be lower than that."
    }
    gone = make_movie(session, "Gone", deleted_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
    with pytest.raises(FormInvalid, match="no longer in the catalog"):
        create_promotion(session, admin, parse_promotion_form({**GOOD, f"film_{gone.id}": "on"}, TZ))
    assert session.exec(select(PromotionMovie)).all() == []


def test_staff_and_moviegoers_may_not_manage_codes(session):
    promotion = make_promotion(session, "STAFFY")
    form = parse_promotion_form(GOOD, TZ)
    attempts = (
        lambda caller: list_promotions(session, caller),
        lambda caller: current_films(session, caller),
        lambda caller: promotion_for_editing(session, caller, promotion.id),
        lambda caller: create_promotion(session, caller, form),
        lambda caller: update_promotion(session, caller, promotion.id, form),
        lambda caller: set_promotion_active(session, caller, promotion.id, False),
    )
    for role in ("staff", "user"):
        caller = identity_for(make_user(session, role=role))
        for attempt in attempts:
            with pytest.raises(AccessDenied, match="Only admins can manage promotion codes."):
                attempt(caller)
    assert promotion.is_active and promotion.code == "STAFFY"
    assert session.exec(select(AuditEntry)).all() == []
