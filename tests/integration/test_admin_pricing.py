"""The ticket-price and promotion-code pages' States, driven as the pages drive them, on PostgreSQL.

An admin creates, edits, switches off and reorders; each change leaves an audit row. Staff and
moviegoers reach neither page's data (the attacker test sends them every handler; here the
services refuse them too, whatever a State did).
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from moviebook.config import get_settings
from moviebook.models import AuditEntry, Promotion, PromotionMovie, TicketType
from moviebook.services.clock import local_today
from tests.factories import identity_for, make_movie, make_promotion, make_ticket_types, make_user
from tests.state_driver import drive, run_handler, state_tree_for, substate


@pytest.fixture
def cinema(app_environment, pg_only_engine):
    from moviebook.services.session_policy import token_policy
    from moviebook.services.tokens import start_session

    with Session(pg_only_engine, expire_on_commit=False) as session:
        admin = make_user(session, "root@example.com", role="admin")
        staff = make_user(session, "stan@example.com", role="staff")
        types = make_ticket_types(session)
        film = make_movie(session, "Alpha")
        tokens = start_session(session, admin, token_policy())
        session.commit()
    return {"tokens": tokens, "types": types, "film": film, "admin": admin, "staff": staff}


def _page(cinema, cls):
    import moviebook.moviebook  # noqa: F401  (registers the pages and states)

    state = substate(state_tree_for(cinema["tokens"]), cls)

    def call(name, *args):
        return " ".join(str(e) for e in run_handler(drive(cls.event_handlers[name].fn(state, *args))))

    return state, call


def _actions(engine, entity_type: str) -> list[AuditEntry]:
    with Session(engine) as session:
        return list(
            session.exec(select(AuditEntry).where(AuditEntry.entity_type == entity_type).order_by(AuditEntry.id))
        )


def test_an_admin_edits_ticket_types_on_the_pricing_page(cinema, pg_only_engine):
    from moviebook.state.admin_pricing import AdminPricingState

    state, call = _page(cinema, AdminPricingState)
    call("on_load")
    assert not state.loading and state.example_base == "£12.50"
    assert [(r.name, r.rule, r.example, r.age) for r in state.rows] == [
        ("Adult", "Base price", "£12.50", "Any age"),
        ("Child", "40% off", "£7.50", "Under 15"),
        ("Senior", "30% off", "£8.75", "Any age"),
        ("Student", "£2.00 off", "£10.50", "Any age"),
    ]
    child = cinema["types"]["Child"].id

    call("edit", child)
    assert (state.editing_id, state.f_name, state.f_rule, state.f_value, state.f_under_age) == (
        child,
        "Child",
        "percent_off",
        "40",
        "15",
    )
    assert state.form_heading == "Edit Child" and state.value_label == "Percentage off (%)"
    form = {"name": "Child", "rule": "percent_off", "value": "50", "under_age": "15", "door_note": "Under 15"}
    answer = call("save", {**form, "value": "150"})
    assert "Please check the highlighted fields." in answer and "value" in state.errors
    assert state.editing_id == child, "a refused save keeps the form"
    answer = call("save", form)
    assert "Child saved." in answer and state.errors == {} and state.editing_id == 0
    assert [(r.rule, r.example) for r in state.rows if r.name == "Child"] == [("50% off", "£6.25")]

    call("choose_rule", "absolute")
    assert state.value_label == "Price (£)"
    call("choose_rule", "free")  # not a rule: back to the default
    assert state.f_rule == "percent_off"
    answer = call("save", {"name": "adult", "rule": "absolute", "value": "5", "under_age": "", "door_note": ""})
    assert state.errors == {"name": "There is already a ticket type called adult. Choose another name."}
    answer = call("save", {"name": "Member", "rule": "absolute", "value": "5", "under_age": "", "door_note": ""})
    assert "Member added." in answer and state.rows[-1].name == "Member" and state.rows[-1].rule == "£5.00"

    answer = call("set_active", child, False)
    assert "Child switched off" in answer and not state.rows[1].is_active
    answer = call("move", state.rows[-1].id, -1)
    assert "Member moved up." in answer
    assert [r.name for r in state.rows] == ["Adult", "Child", "Senior", "Member", "Student"]
    assert "That ticket type no longer exists." in call("edit", 999_999)

    assert [e.action for e in _actions(pg_only_engine, "ticket_type")] == [
        "ticket_type.update",
        "ticket_type.create",
        "ticket_type.deactivate",
        "ticket_type.reorder",
    ]
    with Session(pg_only_engine) as session:
        saved = session.get(TicketType, child)
        assert (saved.value, saved.max_age, saved.is_active) == (5000, 14, False)


def test_an_admin_creates_edits_and_deactivates_a_code_on_the_promotions_page(cinema, pg_only_engine):
    from moviebook.state.admin_promotions import AdminPromotionsState

    state, call = _page(cinema, AdminPromotionsState)
    call("on_load")
    assert state.rows == [] and not state.loading and state.timezone_name == get_settings().timezone_name
    assert [(f.name, f.title, f.chosen) for f in state.films] == [(f"film_{cinema['film'].id}", "Alpha", False)]
    assert state.f_valid_from and state.f_valid_to > state.f_valid_from  # a month from the next hour

    year = local_today(get_settings().timezone).year + 1
    form = {
        "code": "imax3d",
        "description": "3D for less",
        "kind": "amount",
        "value": "2.50",
        "valid_from": f"{year}-01-01T00:00",
        "valid_to": f"{year}-12-31T23:59",
        "format_3D": "on",
        f"film_{cinema['film'].id}": "on",
        "min_tickets": "2",
        "max_redemptions": "10",
        "max_per_customer": "",
    }
    answer = call("save", {**form, "code": "3D!", "valid_to": f"{year - 1}-01-01T00:00"})
    assert set(state.errors) == {"code", "valid_to"} and "Please check the highlighted fields." in answer
    answer = call("save", form)
    assert "Code IMAX3D created." in answer and state.errors == {}
    [row] = state.rows
    assert (row.code, row.offer, row.usage, row.status) == (
        "IMAX3D",
        "£2.50 off the order",
        "Used 0 of 10",
        "Scheduled",
    )
    assert row.limits == "Films: Alpha · 3D only · At least 2 tickets"
    assert row.valid == f"1 Jan {year} 00:00 – 31 Dec {year} 23:59"

    call("edit", row.id)
    assert (state.f_code, state.f_kind, state.f_value, state.f_formats) == ("IMAX3D", "amount", "2.50", ["3D"])
    assert [f.chosen for f in state.films] == [True] and state.f_valid_from == f"{year}-01-01T00:00"
    del form[f"film_{cinema['film'].id}"]
    answer = call("save", {**form, "kind": "percent", "value": "20", "weekday_2": "on"})
    assert "Code IMAX3D saved." in answer
    assert state.rows[0].offer == "20% off each ticket" and state.rows[0].limits.startswith("3D only · Tue")

    answer = call("set_active", row.id, False)
    assert "deactivated" in answer and state.rows[0].status == "Inactive"
    assert [e.action for e in _actions(pg_only_engine, "promotion")] == [
        "promotion.create",
        "promotion.update",
        "promotion.deactivate",
    ]
    with Session(pg_only_engine) as session:
        saved = session.exec(select(Promotion).where(Promotion.code == "IMAX3D")).one()
        assert (saved.kind, saved.value, saved.formats, saved.weekdays, saved.is_active) == (
            "percent",
            2000,
            "3D",
            "2",
            False,
        )
        assert session.exec(select(PromotionMovie)).all() == []


def test_a_code_already_in_use_is_refused_with_a_clear_message(cinema, pg_only_engine):
    from moviebook.state.admin_promotions import AdminPromotionsState

    with Session(pg_only_engine) as session:
        make_promotion(session, "SUMMER")
        session.commit()
    state, call = _page(cinema, AdminPromotionsState)
    call("on_load")
    window = {"valid_from": state.f_valid_from, "valid_to": state.f_valid_to}
    call("save", {"code": "summer", "kind": "percent", "value": "10", **window})
    assert state.errors == {"code": "The code SUMMER is already in use. Choose another."}


def test_the_services_refuse_staff_even_when_a_state_would_let_them_through(cinema, pg_only_engine):
    """Staff sell tickets; prices and codes stay with admins, decided in the service."""
    from moviebook.services.errors import DomainError
    from moviebook.services.pricing_admin import parse_ticket_type_form, update_ticket_type
    from moviebook.services.promotions_admin import list_promotions

    staff = identity_for(cinema["staff"])
    form = parse_ticket_type_form({"name": "Child", "rule": "percent_off", "value": "100"})
    with Session(pg_only_engine) as session:
        with pytest.raises(DomainError, match="Only admins can change ticket prices."):
            update_ticket_type(session, staff, cinema["types"]["Child"].id, form)
        with pytest.raises(DomainError, match="Only admins can manage promotion codes."):
            list_promotions(session, staff)
    assert _actions(pg_only_engine, "ticket_type") == []


def test_the_film_form_sets_the_distributor_share_and_the_films_list_shows_it(cinema, pg_only_engine):
    from moviebook.models import Movie
    from moviebook.state.admin_movies import AdminMoviesState, MovieFormState

    form, call = _page(cinema, MovieFormState)
    assert form.rental_percent == "35", "a new film starts at the default share"
    film = {"title": "Beta", "runtime": "90", "age_rating": "PG", "language": "English", "release_date": ""}
    call("save", {**film, "rental_percent": "100.5"})
    assert form.errors == {
        "rental_percent": "Enter the distributor's share as a percentage from 0 to 100 (e.g. 35 or 47.5)."
    }
    assert "Film saved." in call("save", {**film, "rental_percent": "47.5"})
    with Session(pg_only_engine) as session:
        assert session.exec(select(Movie.rental_percent_bp).where(Movie.title == "Beta")).one() == 4750
    films, call = _page(cinema, AdminMoviesState)
    call("on_load")
    assert {(r.title, r.rental) for r in films.rows} == {("Alpha", "35%"), ("Beta", "47.5%")}
