"""``/staff/cashup``: a staff member's till for a day: what was taken, refunded and sold, and
the cash the drawer should hold."""

import reflex as rx

from moviebook.components.forms import NATIVE_SELECT_STYLE, labelled_control
from moviebook.components.layout import page_layout
from moviebook.components.staff_nav import staff_nav
from moviebook.state.cashup import CashupState, TicketTypeView

S = CashupState
F = S.figures


def _controls() -> rx.Component:
    return rx.flex(
        rx.cond(
            S.members.length() > 1,
            labelled_control(
                "Staff member",
                "cashup-member",
                rx.el.select(
                    rx.foreach(S.members, lambda m: rx.el.option(m.label, value=m.value)),
                    id="cashup-member",
                    value=S.member,
                    on_change=S.choose_member,
                    style={**NATIVE_SELECT_STYLE, "font_size": "16px", "min_width": "14em"},
                ),
            ),
        ),
        labelled_control(
            "Day",
            "cashup-day",
            rx.input(id="cashup-day", type="date", value=S.day, on_change=S.choose_day, size="3"),
        ),
        spacing="4",
        wrap="wrap",
        align="end",
    )


def _figure(label: str, value, *, big: bool = False) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(label),
        rx.data_list.value(rx.text(value, size="5" if big else "3", weight="bold" if big else "medium")),
        aria_label=label,
    )


def _type_row(row: TicketTypeView) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row.name),
        rx.table.cell(row.tickets, justify="end"),
        rx.table.cell(row.amount, justify="end"),
    )


def _figures() -> rx.Component:
    return rx.grid(
        rx.card(
            rx.vstack(
                rx.heading(F.member + " · " + F.day, size="4", as_="h2"),
                rx.data_list.root(
                    _figure("Sales", F.sales),
                    _figure("Cash taken", F.cash),
                    _figure("Card taken", F.card),
                    _figure("Taken in all", F.taken),
                    _figure("Refunds", F.refunds),
                    _figure("Cash refunded", F.cash_refunds),
                    _figure("Card refunded", F.card_refunds),
                    _figure("Till float", F.till_float),
                    _figure("Expected cash in drawer", F.expected, big=True),
                    orientation="horizontal",
                    size="3",
                ),
                rx.text(
                    "Expected cash = float + cash taken − cash refunded. Refunds count in the drawer that paid "
                    "them out.",
                    size="1",
                    color_scheme="gray",
                ),
                spacing="3",
            ),
            aria_label="Till",
        ),
        rx.card(
            rx.vstack(
                rx.heading("Tickets sold by type", size="4", as_="h2"),
                rx.cond(
                    F.tickets.length() > 0,
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                rx.table.column_header_cell("Type"),
                                rx.table.column_header_cell("Tickets", justify="end"),
                                rx.table.column_header_cell("Amount", justify="end"),
                            )
                        ),
                        rx.table.body(rx.foreach(F.tickets, _type_row)),
                        width="100%",
                        aria_label="Tickets by type",
                    ),
                    rx.text("No tickets sold at the counter on this day.", color_scheme="gray"),
                ),
                spacing="3",
                width="100%",
            ),
        ),
        columns={"initial": "1", "md": "2"},
        spacing="4",
        width="100%",
    )


def staff_cashup_page() -> rx.Component:
    return page_layout(
        staff_nav(),
        _controls(),
        rx.cond(S.loading, rx.spinner(), _figures()),
        title="Cash-up",
    )
