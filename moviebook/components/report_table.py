"""A report's table as the reports and returns pages show it, with its CSV download button."""

import reflex as rx

from moviebook.components.scroll_region import scroll_region
from moviebook.state.admin_reports import TableView


def csv_button(title, on_download) -> rx.Component:
    """The small "CSV" button of a report, named "Download <title> as CSV" for screen readers."""
    return rx.button(
        rx.icon("download", size=14),
        "CSV",
        variant="soft",
        size="1",
        aria_label="Download " + title + " as CSV",
        on_click=on_download,
    )


def report_table_card(table: TableView, on_download) -> rx.Component:
    """A report table in a card: its title, a CSV button (``on_download``), the rows and a bold
    totals line. The table scrolls in a region named by the title, so a person (or a test) finds
    it by that name and a keyboard can scroll it."""
    return rx.card(
        rx.hstack(
            rx.heading(table.title, size="4", as_="h2"),
            rx.spacer(),
            csv_button(table.title, on_download),
            align="center",
            width="100%",
        ),
        scroll_region(
            rx.table.root(
                rx.table.header(rx.table.row(rx.foreach(table.headers, lambda h: rx.table.column_header_cell(h)))),
                rx.table.body(
                    rx.foreach(table.rows, lambda row: rx.table.row(rx.foreach(row, lambda c: rx.table.cell(c)))),
                    rx.cond(
                        table.totals.length() > 0,
                        rx.table.row(
                            rx.foreach(table.totals, lambda c: rx.table.cell(rx.text(c, weight="bold"))),
                            data_totals="true",
                        ),
                    ),
                ),
                size="1",
                variant="ghost",
                width="100%",
            ),
            label=table.title,
            max_height="28em",
            overflow_y="auto",
        ),
        rx.cond(table.rows.length() == 0, rx.text("Nothing in this period.", size="2", color_scheme="gray")),
        rx.cond(table.note != "", rx.text(table.note, size="1", color_scheme="gray")),
        width="100%",
    )
