"""``/admin/pricing``: ticket types (Adult, Child, ...), their price rules and their order."""

import reflex as rx

from moviebook.components.admin_nav import admin_nav
from moviebook.components.feedback import empty_state, page_spinner
from moviebook.components.forms import NATIVE_SELECT_STYLE, editor_card, form_field, labelled_control
from moviebook.components.layout import page_layout
from moviebook.components.list_table import list_table
from moviebook.state.admin_pricing import RULE_CHOICES, AdminPricingState, TicketTypeView

S = AdminPricingState


def _order_buttons(row: TicketTypeView) -> rx.Component:
    return rx.hstack(
        rx.icon_button(
            rx.icon("arrow-up", size=14),
            size="1",
            variant="soft",
            color_scheme="gray",
            disabled=row.first,
            aria_label="Move " + row.name + " up",
            on_click=S.move(row.id, -1),
        ),
        rx.icon_button(
            rx.icon("arrow-down", size=14),
            size="1",
            variant="soft",
            color_scheme="gray",
            disabled=row.last,
            aria_label="Move " + row.name + " down",
            on_click=S.move(row.id, 1),
        ),
        spacing="1",
    )


def _row(row: TicketTypeView) -> rx.Component:
    return rx.table.row(
        rx.table.cell(_order_buttons(row)),
        rx.table.row_header_cell(
            rx.text(row.name, weight="medium"),
            rx.cond(~row.is_active, rx.badge("Off sale", color_scheme="gray", variant="soft", margin_left="2")),
        ),
        rx.table.cell(row.rule),
        rx.table.cell(rx.text(row.example, weight="medium")),
        rx.table.cell(row.age),
        rx.table.cell(rx.text(row.door_note, size="2", color_scheme="gray")),
        rx.table.cell(
            rx.switch(
                checked=row.is_active,
                on_change=S.set_active(row.id),
                aria_label="On sale: " + row.name,
            )
        ),
        rx.table.cell(
            rx.button("Edit", size="1", variant="soft", aria_label="Edit " + row.name, on_click=S.edit(row.id))
        ),
        aria_label=row.name,
        opacity=rx.cond(row.is_active, "1", "0.6"),
    )


def _list() -> rx.Component:
    return rx.cond(
        S.loading,
        page_spinner(),
        rx.cond(
            S.rows.length() > 0,
            rx.vstack(
                list_table(
                    ("Order", "Ticket type", "Price rule", "At " + S.example_base, "Ages", "Door note", "On sale", ""),
                    S.rows,
                    _row,
                    label="Ticket types",
                ),
                rx.text(
                    "Example prices are for a standard seat at a ",
                    S.example_base,
                    " base price; seat types add their own modifier on top. "
                    "The checkout offers the types on sale in this order, the first one by default.",
                    size="2",
                    color_scheme="gray",
                ),
                width="100%",
                spacing="2",
            ),
            empty_state(
                "ticket",
                "No ticket types yet",
                "Every seat sells as Standard at its seat price until you add one below.",
            ),
        ),
    )


def _form() -> rx.Component:
    errors = S.errors
    return editor_card(
        S.form_heading,
        form_field("Name", "name", error=errors.get("name", ""), default_value=S.f_name, max_length=40),
        rx.grid(
            labelled_control(
                "Price rule",
                "field-rule",
                rx.el.select(
                    *[rx.el.option(label, value=value) for value, label in RULE_CHOICES],
                    id="field-rule",
                    name="rule",
                    value=S.f_rule,
                    on_change=S.choose_rule,
                    style={**NATIVE_SELECT_STYLE, "width": "100%", "height": "40px"},
                ),
                error=errors.get("rule", ""),
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
            columns={"initial": "1", "sm": "2"},
            spacing="3",
            width="100%",
        ),
        rx.grid(
            form_field(
                "Only for ages under (empty: any age)",
                "under_age",
                error=errors.get("under_age", ""),
                default_value=S.f_under_age,
                input_mode="numeric",
                max_length=3,
            ),
            form_field(
                "Note for the door",
                "door_note",
                error=errors.get("door_note", ""),
                default_value=S.f_door_note,
                max_length=120,
            ),
            columns={"initial": "1", "sm": "2"},
            spacing="3",
            width="100%",
        ),
        rx.text(
            "An age ceiling keeps the type off films rated for older audiences: "
            "a Child ticket for under 15s is never sold for a 15 or 18.",
            size="2",
            color_scheme="gray",
        ),
        editing=S.editing_id != 0,
        create_label="Add ticket type",
        save_label="Save ticket type",
        on_submit=S.save,
        on_cancel=S.new,
        key=S.form_key.to_string(),
        card_id="ticket-type-form",
        max_width="40em",
    )


def admin_pricing_page() -> rx.Component:
    return page_layout(
        admin_nav(),
        rx.text(
            "Ticket types set each seat's price from the showtime's base price. "
            "Changes apply to new sales; tickets already sold keep the price they were sold for.",
            color_scheme="gray",
        ),
        _list(),
        _form(),
        title="Ticket prices",
    )
