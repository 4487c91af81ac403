"""``/admin/promotions``: promotion codes, what they give, when, to whom, and how often used."""

import reflex as rx

from moviebook.components.admin_nav import admin_nav
from moviebook.components.feedback import empty_state, page_spinner
from moviebook.components.forms import LABEL_STYLE, NATIVE_SELECT_STYLE, editor_card, form_field, labelled_control
from moviebook.components.layout import page_layout
from moviebook.components.list_table import list_table
from moviebook.models import FORMATS
from moviebook.state.admin_promotions import (
    KIND_CHOICES,
    WEEKDAY_CHOICES,
    AdminPromotionsState,
    FilmChoice,
    PromotionView,
)

S = AdminPromotionsState


def _row(row: PromotionView) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.code(row.code, weight="bold", size="3"),
                rx.cond(row.description != "", rx.text(row.description, size="1", color_scheme="gray")),
                spacing="1",
            )
        ),
        rx.table.cell(row.offer),
        rx.table.cell(rx.text(row.valid, size="2", white_space="nowrap")),
        rx.table.cell(rx.text(row.limits, size="2")),
        rx.table.cell(rx.text(row.usage, size="2", white_space="nowrap")),
        rx.table.cell(rx.badge(row.status, color_scheme=row.colour, variant="soft")),
        rx.table.cell(
            rx.hstack(
                rx.button("Edit", size="1", variant="soft", aria_label="Edit " + row.code, on_click=S.edit(row.id)),
                rx.cond(
                    row.is_active,
                    rx.button(
                        "Deactivate",
                        size="1",
                        variant="soft",
                        color_scheme="red",
                        aria_label="Deactivate " + row.code,
                        on_click=S.set_active(row.id, False),
                    ),
                    rx.button(
                        "Activate",
                        size="1",
                        variant="soft",
                        color_scheme="green",
                        aria_label="Activate " + row.code,
                        on_click=S.set_active(row.id, True),
                    ),
                ),
                spacing="2",
            )
        ),
        aria_label=row.code,
    )


def _list() -> rx.Component:
    return rx.cond(
        S.loading,
        page_spinner(),
        rx.cond(
            S.rows.length() > 0,
            rx.vstack(
                list_table(
                    ("Code", "Gives", "Valid", "Limits", "Used", "Status", ""), S.rows, _row, label="Promotion codes"
                ),
                rx.text("Times are the cinema's (", S.timezone_name, ").", size="2", color_scheme="gray"),
                width="100%",
                spacing="2",
            ),
            empty_state("tag", "No promotion codes yet", "Create the first one below."),
        ),
    )


def _checkbox(name, label, checked) -> rx.Component:
    """A native checkbox inside its label: a form sends name=on when it is ticked."""
    return rx.el.label(
        rx.el.input(type="checkbox", name=name, default_checked=checked, style={"accent_color": "var(--accent-9)"}),
        label,
        style={
            "display": "inline-flex",
            "align_items": "center",
            "gap": "6px",
            "padding": "4px 10px",
            "border": "1px solid var(--gray-6)",
            "border_radius": "999px",
            "font_size": "var(--font-size-2)",
            "cursor": "pointer",
        },
    )


def _group(legend: str, hint: str, *boxes, error=None) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(legend, style=LABEL_STYLE),
        rx.text(hint, size="1", color_scheme="gray"),
        rx.flex(*boxes, spacing="2", wrap="wrap", padding_top="2"),
        rx.cond(error != "", rx.text(error, color_scheme="red", size="2")) if error is not None else rx.fragment(),
        style={"border": "none", "padding": "0", "margin": "0", "width": "100%"},
    )


def _film_box(film: FilmChoice) -> rx.Component:
    return _checkbox(film.name, film.title, film.chosen)


def _form() -> rx.Component:
    errors = S.errors
    return editor_card(
        S.form_heading,
        rx.grid(
            form_field("Code", "code", error=errors.get("code", ""), default_value=S.f_code, max_length=32),
            form_field(
                "Description",
                "description",
                error=errors.get("description", ""),
                default_value=S.f_description,
                max_length=200,
            ),
            labelled_control(
                "Kind",
                "field-kind",
                rx.el.select(
                    *[rx.el.option(label, value=value) for value, label in KIND_CHOICES],
                    id="field-kind",
                    name="kind",
                    value=S.f_kind,
                    on_change=S.choose_kind,
                    style={**NATIVE_SELECT_STYLE, "width": "100%", "height": "40px"},
                ),
                error=errors.get("kind", ""),
                width="100%",
            ),
            form_field(
                S.value_label,
                "value",
                error=errors.get("value", ""),
                default_value=S.f_value,
                input_mode="decimal",
                max_length=10,
            ),
            form_field(
                "Valid from",
                "valid_from",
                error=errors.get("valid_from", ""),
                default_value=S.f_valid_from,
                type="datetime-local",
                max_length=20,
            ),
            form_field(
                "Valid to",
                "valid_to",
                error=errors.get("valid_to", ""),
                default_value=S.f_valid_to,
                type="datetime-local",
                max_length=20,
            ),
            columns={"initial": "1", "sm": "2"},
            spacing="3",
            width="100%",
        ),
        rx.text("Dates and times are the cinema's (", S.timezone_name, ").", size="1", color_scheme="gray"),
        _group(
            "Formats",
            "None ticked: every format.",
            *[_checkbox(f"format_{f}", f, S.f_formats.contains(f)) for f in FORMATS],
        ),
        _group(
            "Weekdays",
            "None ticked: every day. The day of the showing counts, in the cinema's time zone.",
            *[_checkbox(f"weekday_{d}", name, S.f_weekdays.contains(d)) for d, name in WEEKDAY_CHOICES],
        ),
        _group(
            "Films",
            "None ticked: every film.",
            rx.foreach(S.films, _film_box),
            error=errors.get("films", ""),
        ),
        rx.grid(
            form_field(
                "Minimum tickets",
                "min_tickets",
                error=errors.get("min_tickets", ""),
                default_value=S.f_min_tickets,
                input_mode="numeric",
                max_length=2,
            ),
            form_field(
                "Uses in total (empty: no limit)",
                "max_redemptions",
                error=errors.get("max_redemptions", ""),
                default_value=S.f_max_redemptions,
                input_mode="numeric",
                max_length=7,
            ),
            form_field(
                "Uses per customer (empty: no limit)",
                "max_per_customer",
                error=errors.get("max_per_customer", ""),
                default_value=S.f_max_per_customer,
                input_mode="numeric",
                max_length=7,
            ),
            columns={"initial": "1", "sm": "3"},
            spacing="3",
            width="100%",
        ),
        editing=S.editing_id != 0,
        create_label="Create code",
        save_label="Save code",
        on_submit=S.save,
        on_cancel=S.new,
        key=S.form_key.to_string(),
        card_id="promotion-form",
        max_width="48em",
    )


def admin_promotions_page() -> rx.Component:
    return page_layout(
        admin_nav(),
        rx.text(
            "Codes customers type at the checkout. A code that does not apply says why; "
            "a cancelled booking gives its use back.",
            color_scheme="gray",
        ),
        _list(),
        _form(),
        title="Promotion codes",
    )
