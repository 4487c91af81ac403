"""``/admin/auditoriums`` and ``/admin/auditoriums/[room_id_arg]``: rooms and their seat layouts."""

import reflex as rx

from moviebook.components.admin_nav import admin_nav
from moviebook.components.feedback import empty_state
from moviebook.components.forms import form_field
from moviebook.components.layout import page_layout
from moviebook.components.list_table import list_table
from moviebook.components.seat_map import SEAT_TEXT, TYPE_COLOURS
from moviebook.state.admin_rooms import (
    EDITABLE_TYPES,
    AdminRoomsState,
    EditorCell,
    EditorRow,
    RoomEditorState,
    RoomRow,
    TypePrice,
)
from moviebook.state.seatmap_views import SEAT_TYPE_LABELS

# The editor's seats are touch targets of their own: at least 24 × 24 CSS px (WCAG 2.5.8).
EDITOR_SEAT_SIZE = "26px"


def _room_row(room: RoomRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(room.name, href=room.href, weight="medium")),
        rx.table.cell(room.rows.to_string()),
        rx.table.cell(room.capacity.to_string()),
        rx.table.cell(rx.text(room.summary, size="2", color_scheme="gray")),
        rx.table.cell(rx.button(rx.link("Edit layout", href=room.href), variant="soft", size="1", as_child=True)),
        aria_label=room.name,
    )


def _create_form() -> rx.Component:
    errors = AdminRoomsState.errors
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("New room", size="4", as_="h2"),
                rx.text(
                    "Generate a rectangle of seats, then set seat types on its layout.", size="2", color_scheme="gray"
                ),
                form_field("Name", "name", error=errors.get("name", ""), max_length=80),
                rx.grid(
                    form_field("Rows", "rows", error=errors.get("rows", ""), input_mode="numeric", max_length=2),
                    form_field(
                        "Seats per row",
                        "seats_per_row",
                        error=errors.get("seats_per_row", ""),
                        input_mode="numeric",
                        max_length=2,
                    ),
                    columns="2",
                    spacing="3",
                    width="100%",
                ),
                form_field("Aisles after seat numbers", "aisles", error=errors.get("aisles", ""), max_length=40),
                rx.button("Create room", type="submit"),
                spacing="3",
                width="100%",
                align="start",
            ),
            on_submit=AdminRoomsState.create,
            reset_on_submit=False,
        ),
        max_width="26em",
        width="100%",
    )


def admin_rooms_page() -> rx.Component:
    return page_layout(
        admin_nav(),
        list_table(("Room", "Rows", "Capacity", "Seats", ""), AdminRoomsState.rooms, _room_row, label="Rooms"),
        _create_form(),
        title="Rooms",
    )


def _editor_seat(cell: EditorCell) -> rx.Component:
    return rx.cond(
        cell.is_seat,
        rx.el.button(
            cell.number,
            type="button",
            aria_label=cell.label,
            aria_pressed=rx.cond(cell.selected, "true", "false"),
            data_type=cell.seat_type,
            on_click=RoomEditorState.toggle_seat(cell.seat_id),
            on_mouse_down=RoomEditorState.drag_start(cell.seat_id),
            on_mouse_enter=RoomEditorState.drag_over(cell.seat_id),
            style={
                "width": EDITOR_SEAT_SIZE,
                "height": EDITOR_SEAT_SIZE,
                "flex_shrink": "0",
                "font_size": "11px",
                "border_radius": "6px 6px 3px 3px",
                "cursor": "pointer",
                "user_select": "none",
                # Seat numbers at 4.5:1 on every seat colour: the seat map's near black.
                "color": rx.cond(cell.seat_type == "blocked", "var(--gray-11)", SEAT_TEXT),
                "background": rx.match(
                    cell.seat_type, *TYPE_COLOURS.items(), ("blocked", "var(--gray-3)"), rx.color("gray", 8)
                ),
                "outline": rx.cond(cell.selected, f"3px solid {rx.color('accent', 11)}", "none"),
                "outline_offset": "1px",
                "border": rx.cond(cell.seat_type == "blocked", f"1px dashed {rx.color('gray', 7)}", "none"),
            },
        ),
        rx.box(width=EDITOR_SEAT_SIZE, height=EDITOR_SEAT_SIZE, flex_shrink="0", aria_hidden="true"),
    )


def _editor_row(row: EditorRow) -> rx.Component:
    return rx.hstack(
        rx.button(
            row.label,
            size="1",
            variant="ghost",
            on_click=RoomEditorState.select_row(row.label),
            aria_label="Select row " + row.label,
            width="2em",
            min_height=EDITOR_SEAT_SIZE,
        ),
        rx.foreach(row.cells, _editor_seat),
        spacing="1",
        align="center",
    )


def _type_buttons() -> rx.Component:
    return rx.flex(
        *[
            rx.button(
                SEAT_TYPE_LABELS[t],
                on_click=RoomEditorState.apply_type(t),
                variant="surface",
                color_scheme="gray",
                disabled=RoomEditorState.selected_count == 0,
                aria_label=f"Make selected seats {SEAT_TYPE_LABELS[t].lower()}",
            )
            for t in EDITABLE_TYPES
        ],
        rx.button("Clear selection", variant="ghost", on_click=RoomEditorState.clear_selection),
        spacing="2",
        wrap="wrap",
    )


def _price_form(price: TypePrice) -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.el.input(type="hidden", name="seat_type", value=price.seat_type),
            rx.text(price.name, size="2", width="10em"),
            rx.input(
                name="modifier",
                default_value=price.modifier,
                aria_label=price.name + " price modifier",
                width="7em",
                max_length=8,
            ),
            rx.button("Save", type="submit", size="1", variant="soft"),
            align="center",
            spacing="2",
        ),
        on_submit=RoomEditorState.save_price,
        reset_on_submit=False,
        key=price.seat_type + price.modifier,
    )


def room_editor_page() -> rx.Component:
    return page_layout(
        admin_nav(),
        rx.cond(
            RoomEditorState.not_found,
            empty_state(
                "armchair",
                "Room not found",
                "Choose a room from the list.",
                rx.button(rx.link("All rooms", href="/admin/auditoriums"), as_child=True),
            ),
            rx.vstack(
                rx.heading(RoomEditorState.room_name, size="7", as_="h1"),
                rx.text(
                    "Capacity ",
                    RoomEditorState.capacity.to_string(),
                    " seats · ",
                    RoomEditorState.selected_count.to_string(),
                    " selected",
                    size="2",
                    color_scheme="gray",
                ),
                rx.text(
                    "Click seats, drag across a block of them, or click a row letter; then choose their type.", size="2"
                ),
                _type_buttons(),
                rx.box(
                    rx.vstack(
                        rx.foreach(RoomEditorState.rows, _editor_row),
                        spacing="1",
                        align="center",
                        min_width="max-content",
                        margin_x="auto",
                        padding="4",
                    ),
                    on_mouse_up=RoomEditorState.drag_end,
                    on_mouse_leave=RoomEditorState.drag_end,
                    overflow_x="auto",
                    width="100%",
                    background=rx.color("gray", 2),
                    border_radius="var(--radius-4)",
                    role="region",
                    aria_label="Layout editor",
                ),
                rx.heading("Price modifiers", size="4", as_="h2"),
                rx.text(
                    "Added to each showtime's base price for that seat type (use a minus sign for a discount).",
                    size="2",
                    color_scheme="gray",
                ),
                rx.vstack(rx.foreach(RoomEditorState.prices, _price_form), spacing="2"),
                spacing="4",
                width="100%",
            ),
        ),
    )
