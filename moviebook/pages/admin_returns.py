"""``/admin/returns``: pick a film week; read each film's return as tiles, a chart and a table; CSV."""

import reflex as rx

from moviebook.components.admin_nav import admin_nav
from moviebook.components.charts import bar_chart, stat_tile
from moviebook.components.feedback import page_spinner
from moviebook.components.forms import error_callout, labelled_control
from moviebook.components.layout import page_layout
from moviebook.components.report_table import report_table_card
from moviebook.state.admin_returns import AdminReturnsState

S = AdminReturnsState


def _week_picker() -> rx.Component:
    # key= remounts the uncontrolled date field when the server moves the week (arrows, first load).
    return rx.flex(
        rx.form(
            rx.flex(
                labelled_control(
                    "Week containing",
                    "return-day",
                    rx.input(id="return-day", type="date", name="day", default_value=S.week_start, key=S.week_start),
                ),
                rx.button("Show week", type="submit", size="2"),
                spacing="3",
                align="end",
            ),
            on_submit=S.choose_week,
            reset_on_submit=False,
        ),
        rx.flex(
            rx.button(rx.icon("chevron-left", size=16), "Previous week", variant="soft", on_click=S.previous_week),
            rx.button("Next week", rx.icon("chevron-right", size=16), variant="soft", on_click=S.next_week),
            spacing="2",
        ),
        spacing="3",
        wrap="wrap",
        align="end",
        justify="between",
        width="100%",
    )


def _summary() -> rx.Component:
    return rx.grid(
        stat_tile("Admissions", S.summary.admissions, "tickets not refunded", icon="ticket"),
        stat_tile("Gross box office", S.summary.gross, "after discounts, without booking fees", icon="banknote"),
        stat_tile("Net of VAT", S.summary.net, S.vat_note, icon="receipt"),
        stat_tile("Due to distributors", S.summary.due, "net × each film's rental", icon="hand-coins"),
        columns={"initial": "2", "md": "4"},
        spacing="3",
        width="100%",
    )


def _return() -> rx.Component:
    return rx.vstack(
        _summary(),
        bar_chart(
            S.due_points,
            "film",
            "due",
            "Due per film",
            has_data=S.has_due,
            empty_text="Nothing is due for this week.",
        ),
        report_table_card(S.table, S.download),
        spacing="4",
        width="100%",
    )


def admin_returns_page() -> rx.Component:
    return page_layout(
        admin_nav(),
        rx.heading(rx.text.span("Film week "), rx.text.span(S.week_label), size="4", as_="h2"),
        rx.text(
            "Each film's takings for the showtimes that play in the film week, by the cinema's local date. "
            "Refunded tickets are left out; booking fees are the cinema's and are not shared.",
            size="2",
            color_scheme="gray",
        ),
        _week_picker(),
        error_callout(S.problem),
        rx.cond(S.loading, page_spinner(), _return()),
        title="Distributor returns",
    )
