"""``/admin/reports``: pick a period (and a film or room); read tables and charts; download CSV."""

import reflex as rx

from moviebook.components.admin_nav import admin_nav
from moviebook.components.charts import bar_chart, stat_tile
from moviebook.components.feedback import page_spinner
from moviebook.components.forms import NATIVE_SELECT_STYLE, error_callout, labelled_control
from moviebook.components.layout import page_layout
from moviebook.components.report_table import csv_button, report_table_card
from moviebook.components.scroll_region import scroll_region
from moviebook.state.admin_reports import AdminReportsState, HeatCellView, OptionView, TableView

S = AdminReportsState


def _option(option: OptionView) -> rx.Component:
    return rx.el.option(option.label, value=option.value)


def _filters() -> rx.Component:
    # key= remounts the uncontrolled fields when the server changes the filter (first load).
    return rx.form(
        rx.flex(
            labelled_control(
                "From",
                "report-start",
                rx.input(id="report-start", type="date", name="start", default_value=S.start, key=S.start),
            ),
            labelled_control(
                "To", "report-end", rx.input(id="report-end", type="date", name="end", default_value=S.end, key=S.end)
            ),
            labelled_control(
                "Film",
                "report-movie",
                rx.el.select(
                    rx.el.option("All films", value=""),
                    rx.foreach(S.movies, _option),
                    id="report-movie",
                    name="movie",
                    default_value=S.movie,
                    key="movie-" + S.movie,
                    style=NATIVE_SELECT_STYLE,
                ),
            ),
            labelled_control(
                "Room",
                "report-room",
                rx.el.select(
                    rx.el.option("All rooms", value=""),
                    rx.foreach(S.rooms, _option),
                    id="report-room",
                    name="room",
                    default_value=S.room,
                    key="room-" + S.room,
                    style=NATIVE_SELECT_STYLE,
                ),
            ),
            rx.button("Show report", type="submit", size="2"),
            spacing="3",
            wrap="wrap",
            align="end",
        ),
        on_submit=S.apply,
        reset_on_submit=False,
        width="100%",
    )


def _summary() -> rx.Component:
    return rx.grid(
        stat_tile("Revenue", S.summary.revenue, "cancelled bookings excluded", icon="banknote"),
        stat_tile("Tickets sold", S.summary.tickets, icon="ticket"),
        stat_tile("Refunds", S.summary.refunds, "given back on cancellations", icon="undo-2"),
        stat_tile("Occupancy", S.summary.occupancy, "of seats on sale", icon="armchair"),
        stat_tile("Booking fees", S.summary.fees, "online, in the revenue", icon="receipt"),
        stat_tile("Discounts", S.summary.discounts, "given by promo codes", icon="tag"),
        columns={"initial": "2", "md": "3"},
        spacing="3",
        width="100%",
    )


def _table(table: TableView) -> rx.Component:
    return report_table_card(table, S.download(table.key))


def _heat_cell(cell: HeatCellView) -> rx.Component:
    return rx.box(
        title=cell.label,
        aria_label=cell.label,
        role="img",
        style={
            "grid_column": cell.column,
            "grid_row": cell.row,
            "background": cell.colour,
            "border_radius": "4px 4px 2px 2px",
        },
    )


def _heatmap() -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.heading("Seat heat map", size="4", as_="h2"),
            rx.el.select(
                rx.foreach(S.rooms, _option),
                value=S.heat_room,
                on_change=S.choose_heat_room,
                aria_label="Room for the heat map",
                style=NATIVE_SELECT_STYLE,
            ),
            rx.spacer(),
            csv_button("Seat heat map", S.download("seat-heatmap")),
            align="center",
            width="100%",
            wrap="wrap",
        ),
        rx.text(
            "How often each seat of ",
            S.heat_title,
            " was sold over ",
            S.heat_shows.to_string(),
            " showtimes (most: ",
            S.heat_max.to_string(),
            "). Brighter is busier.",
            size="2",
            color_scheme="gray",
        ),
        scroll_region(
            rx.box(
                rx.text("Screen", size="1", color_scheme="gray", align="center"),
                border_top=f"3px solid {rx.color('gray', 8)}",
                margin_bottom="2",
            ),
            rx.el.div(
                rx.foreach(S.heat_cells, _heat_cell),
                style={
                    "display": "grid",
                    "gap": "3px",
                    "grid_auto_columns": "18px",
                    "grid_auto_rows": "18px",
                    "justify_content": "center",
                },
            ),
            label="Seats by how often they sold",
            padding_y="2",
        ),
        width="100%",
    )


def _report() -> rx.Component:
    return rx.vstack(
        _summary(),
        bar_chart(S.revenue_points, "day", "revenue", "Revenue per show day", has_data=S.has_revenue),
        rx.grid(
            bar_chart(S.type_points, "type", "tickets", "Tickets by type", has_data=S.has_tickets, height=200),
            bar_chart(S.channel_points, "channel", "revenue", "Revenue by channel", has_data=S.has_revenue, height=200),
            columns={"initial": "1", "md": "2"},
            spacing="4",
            width="100%",
        ),
        rx.foreach(S.tables, _table),
        _heatmap(),
        spacing="4",
        width="100%",
    )


def admin_reports_page() -> rx.Component:
    return page_layout(
        admin_nav(),
        rx.text(
            "Figures cover the showtimes that play in the period, by the cinema's local date.",
            size="2",
            color_scheme="gray",
        ),
        _filters(),
        error_callout(S.problem),
        rx.cond(S.loading, page_spinner(), _report()),
        title="Reports",
    )
