"""The seat map: the screen at the front, rows labelled on both sides, aisles as gaps."""

import reflex as rx

from moviebook.state.seatmap_views import PriceView, SeatCellView, SeatRowView

SEAT_SIZE = "1.75em"

# Seat colours by type, shared by the map and its legend so they always agree.
TYPE_COLOURS = {
    "regular": rx.color("gray", 8),
    "premium": rx.color("amber", 9),
    "wheelchair": rx.color("blue", 9),
    "companion": rx.color("cyan", 9),
    "couple": rx.color("crimson", 9),
}
BOOKED_COLOUR = rx.color("gray", 4)


def _type_colour(seat_type) -> rx.Var:
    return rx.match(seat_type, *TYPE_COLOURS.items(), rx.color("gray", 8))


def _seat(cell: SeatCellView) -> rx.Component:
    return rx.cond(
        cell.is_seat,
        rx.center(
            rx.text(cell.number, size="1", weight="medium"),
            role="img",
            aria_label=cell.label,
            data_state=cell.state,
            data_type=cell.seat_type,
            width=SEAT_SIZE,
            height=SEAT_SIZE,
            flex_shrink="0",
            border_radius="6px 6px 3px 3px",
            background=rx.match(
                cell.state,
                ("booked", BOOKED_COLOUR),
                ("blocked", "transparent"),
                _type_colour(cell.seat_type),
            ),
            border=rx.cond(cell.state == "blocked", f"1px dashed {rx.color('gray', 6)}", "none"),
            color=rx.cond(cell.state == "available", "var(--gray-1)", rx.color("gray", 8)),
            text_decoration=rx.cond(cell.state == "booked", "line-through", "none"),
            title=cell.label,
        ),
        rx.box(width=SEAT_SIZE, height=SEAT_SIZE, flex_shrink="0", aria_hidden="true"),
    )


def _row_label(text) -> rx.Component:
    return rx.text(text, size="1", weight="bold", color_scheme="gray", width="1.5em", text_align="center", flex_shrink="0")


def _row(row: SeatRowView) -> rx.Component:
    return rx.hstack(
        _row_label(row.label),
        rx.foreach(row.cells, _seat),
        _row_label(row.label),
        spacing="1",
        align="center",
        role="group",
        aria_label="Row " + row.label,
    )


def _screen() -> rx.Component:
    return rx.vstack(
        rx.box(
            width="80%",
            height="10px",
            border_radius="50% 50% 0 0 / 100% 100% 0 0",
            background=f"linear-gradient(180deg, {rx.color('amber', 9)}, transparent)",
            box_shadow=f"0 -6px 24px {rx.color('amber', 6)}",
        ),
        rx.text("SCREEN", size="1", letter_spacing="0.4em", color_scheme="gray"),
        align="center",
        width="100%",
        spacing="1",
        aria_hidden="true",
    )


def seat_map(rows) -> rx.Component:
    """Scrolls sideways inside its box on a narrow phone instead of widening the page."""
    return rx.box(
        rx.vstack(
            _screen(),
            rx.vstack(rx.foreach(rows, _row), spacing="1", align="center"),
            spacing="5",
            align="center",
            min_width="max-content",
            margin_x="auto",
            padding="4",
        ),
        overflow_x="auto",
        width="100%",
        background=rx.color("gray", 2),
        border_radius="var(--radius-4)",
        border=f"1px solid {rx.color('gray', 4)}",
        role="region",
        aria_label="Seat map",
    )


def _swatch(colour, dashed: bool = False) -> rx.Component:
    return rx.box(
        width="1em",
        height="1em",
        border_radius="4px 4px 2px 2px",
        background=colour,
        border=f"1px dashed {rx.color('gray', 6)}" if dashed else "none",
        flex_shrink="0",
    )


def _price_item(item: PriceView) -> rx.Component:
    return rx.hstack(
        _swatch(_type_colour(item.seat_type)),
        rx.text(item.name, size="2"),
        rx.text(item.price, size="2", weight="bold"),
        align="center",
        spacing="2",
    )


def seat_legend(prices) -> rx.Component:
    return rx.flex(
        rx.foreach(prices, _price_item),
        rx.hstack(_swatch(BOOKED_COLOUR), rx.text("Sold", size="2"), align="center", spacing="2"),
        rx.hstack(_swatch("transparent", dashed=True), rx.text("Not for sale", size="2"), align="center", spacing="2"),
        spacing="4",
        wrap="wrap",
        role="list",
        aria_label="Seat types and prices",
    )
