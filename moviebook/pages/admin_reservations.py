"""``/admin/reservations``: every booking, filtered, sorted and paged; a booking's detail and history;
an admin's cancel with a reason."""

import reflex as rx

from moviebook.components.admin_nav import admin_nav
from moviebook.components.booking_status import booking_status_badge
from moviebook.components.forms import NATIVE_SELECT_STYLE, labelled_control, pager, search_box
from moviebook.components.layout import page_layout
from moviebook.components.scroll_region import scroll_region
from moviebook.state.admin_reservations import HistoryView, ReservationRowView, ReservationsState, SeatLineView

S = ReservationsState
STATUS_CHOICES = (
    ("", "All statuses"),
    ("confirmed", "Confirmed"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
)


def _day_input(label: str, name: str, value) -> rx.Component:
    return labelled_control(
        label,
        f"reservations-{name}",
        rx.input(id=f"reservations-{name}", type="date", value=value, on_change=lambda v: S.filter_by(name, v)),
    )


def _select(label: str, name: str, value, *options: rx.Component) -> rx.Component:
    return labelled_control(
        label,
        f"reservations-{name}",
        rx.el.select(
            *options,
            id=f"reservations-{name}",
            value=value,
            on_change=lambda v: S.filter_by(name, v),
            style={**NATIVE_SELECT_STYLE, "max_width": "16em"},
        ),
    )


def _filters() -> rx.Component:
    return rx.vstack(
        rx.flex(
            _day_input("From", "start", S.start),
            _day_input("To", "end", S.end),
            _select(
                "Film",
                "movie",
                S.movie,
                rx.el.option("All films", value=""),
                rx.foreach(S.movies, lambda c: rx.el.option(c.label, value=c.value)),
            ),
            rx.cond(
                S.movie != "",
                _select(
                    "Showtime",
                    "showtime",
                    S.showtime,
                    rx.el.option("All showtimes", value=""),
                    rx.foreach(S.showtimes, lambda c: rx.el.option(c.label, value=c.value)),
                ),
            ),
            _select("Status", "status", S.status, *[rx.el.option(text, value=value) for value, text in STATUS_CHOICES]),
            search_box("Email or booking code", "Email or booking code", S.query, S.search),
            spacing="3",
            wrap="wrap",
            align="end",
        ),
        rx.cond(S.filter_error != "", rx.text(S.filter_error, color_scheme="red", size="2", role="alert")),
        spacing="2",
        width="100%",
    )


def _sort_header(label: str, column: str) -> rx.Component:
    active = S.sort == column
    return rx.table.column_header_cell(
        rx.button(
            label,
            rx.cond(
                active,
                rx.cond(S.descending, rx.icon("arrow-down", size=14), rx.icon("arrow-up", size=14)),
                rx.icon("arrow-up-down", size=14, opacity="0.4"),
            ),
            variant="ghost",
            color_scheme="gray",
            high_contrast=True,
            size="1",
            on_click=S.sort_by(column),
            aria_label=f"Sort by {label.lower()}",
        ),
        aria_sort=rx.cond(active, rx.cond(S.descending, "descending", "ascending"), "none"),
        white_space="nowrap",
    )


def _row(row: ReservationRowView) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.button(
                rx.code(row.code, white_space="nowrap"),
                variant="ghost",
                size="1",
                on_click=S.open_detail(row.id),
                aria_label="Details of booking " + row.code,
            )
        ),
        rx.table.cell(
            rx.vstack(rx.text(row.customer, size="2"), rx.text(row.email, size="1", color_scheme="gray"), spacing="0")
        ),
        rx.table.cell(row.movie),
        rx.table.cell(rx.text(row.when, size="2", white_space="nowrap")),
        rx.table.cell(row.room),
        rx.table.cell(row.seats),
        rx.table.cell(rx.text(row.total, white_space="nowrap")),
        rx.table.cell(rx.text(row.refund, white_space="nowrap")),
        rx.table.cell(
            rx.hstack(
                booking_status_badge(row.status, row.status_label),
                rx.cond(
                    row.checked_in != "",
                    rx.badge("Checked in", color_scheme="blue", variant="soft", title=row.checked_in),
                ),
                spacing="1",
                wrap="wrap",
            )
        ),
    )


def _table() -> rx.Component:
    return scroll_region(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    _sort_header("Code", "code"),
                    _sort_header("Customer", "customer"),
                    rx.table.column_header_cell("Film"),
                    _sort_header("Showtime", "starts_at"),
                    rx.table.column_header_cell("Room"),
                    rx.table.column_header_cell("Seats"),
                    _sort_header("Total", "total"),
                    rx.table.column_header_cell("Refund"),
                    rx.table.column_header_cell("Status"),
                )
            ),
            rx.table.body(rx.foreach(S.rows, _row)),
            variant="surface",
            width="100%",
        ),
        label="Bookings found",
    )


def _seat_line(line: SeatLineView) -> rx.Component:
    return rx.table.row(rx.table.cell(line.label), rx.table.cell(line.seat_type), rx.table.cell(line.price))


def _history_line(event: HistoryView) -> rx.Component:
    return rx.el.li(
        rx.text(rx.text.strong(event.what), " · ", event.who, size="2"),
        rx.text(event.when, size="1", color_scheme="gray"),
        rx.cond(event.note != "", rx.text("“", event.note, "”", size="2")),
        style={"margin_bottom": "var(--space-2)"},
    )


def _cancel_dialog() -> rx.Component:
    row = S.detail.row
    return rx.dialog.root(
        rx.dialog.trigger(rx.button("Cancel booking", color_scheme="red", variant="soft")),
        rx.dialog.content(
            rx.dialog.title("Cancel booking " + row.code),
            rx.dialog.description(
                "The seats go back on sale at once and "
                + row.customer
                + " is refunded "
                + row.total
                + " in full. They will see your reason on My bookings."
            ),
            rx.form(
                rx.vstack(
                    labelled_control(
                        "Reason (the customer sees this)",
                        "cancel-reason",
                        rx.text_area(
                            id="cancel-reason",
                            name="reason",
                            required=True,
                            min_length=3,
                            max_length=300,
                            rows="3",
                            width="100%",
                            aria_describedby="cancel-reason-error",
                        ),
                        width="100%",
                    ),
                    rx.cond(
                        S.cancel_error != "",
                        rx.text(S.cancel_error, id="cancel-reason-error", color_scheme="red", size="2", role="alert"),
                    ),
                    rx.flex(
                        rx.dialog.close(rx.button("Keep booking", variant="soft", color_scheme="gray", type="button")),
                        rx.button("Cancel and refund", color_scheme="red", type="submit"),
                        spacing="3",
                        justify="end",
                        width="100%",
                    ),
                    spacing="2",
                    margin_top="3",
                ),
                on_submit=S.cancel_booking,
                reset_on_submit=False,
            ),
        ),
        open=S.cancel_open,
        on_open_change=S.toggle_cancel,
    )


def _detail_dialog() -> rx.Component:
    d = S.detail
    row = d.row
    return rx.dialog.root(
        rx.dialog.content(
            rx.vstack(
                rx.hstack(
                    rx.dialog.title("Booking " + row.code, margin="0"),
                    booking_status_badge(row.status, row.status_label),
                    align="center",
                    spacing="2",
                    wrap="wrap",
                ),
                rx.text(row.customer, " · ", row.email, size="2"),
                rx.text(row.movie, " · ", row.when, " · ", row.room, size="2"),
                rx.cond(row.checked_in != "", rx.text("Checked in: ", row.checked_in, size="2")),
                rx.cond(d.reason != "", rx.text("Cancellation reason: ", d.reason, size="2", color_scheme="red")),
                rx.table.root(
                    rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in ("Seat", "Type", "Price")])),
                    rx.table.body(rx.foreach(d.seats, _seat_line)),
                    size="1",
                    width="100%",
                ),
                rx.text(
                    "Total ",
                    rx.text.strong(row.total),
                    rx.cond(row.refund != "", " · refunded " + row.refund, ""),
                    size="2",
                ),
                rx.heading("History", size="3", as_="h3"),
                rx.el.ol(
                    rx.foreach(d.history, _history_line),
                    aria_label="History",
                    style={"padding_left": "1.2em", "margin": "0"},
                ),
                rx.flex(
                    rx.cond(S.viewer_is_admin & d.can_cancel, _cancel_dialog()),
                    rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                    spacing="3",
                    justify="end",
                    width="100%",
                ),
                spacing="3",
                width="100%",
            ),
            max_width="40em",
        ),
        open=S.detail_open,
        on_open_change=S.toggle_detail,
    )


def admin_reservations_page() -> rx.Component:
    return page_layout(
        rx.cond(S.viewer_is_admin, admin_nav()),
        _filters(),
        rx.text(S.total_label, size="2", color_scheme="gray", role="status"),
        rx.cond(S.total > 0, _table(), rx.text("No bookings match these filters.", color_scheme="gray")),
        pager(S.page, S.pages, S.go_to_page),
        _detail_dialog(),
        title="Reservations",
    )
