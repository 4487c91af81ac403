"""``/showtimes/[showtime_id]``: choose seats on the live map, see the order, pay."""

import reflex as rx

from moviebook.components.feedback import empty_state, page_spinner
from moviebook.components.forms import form_field
from moviebook.components.layout import page_layout
from moviebook.components.order_summary import order_panel, order_summary
from moviebook.components.seat_map import seat_legend, seat_map, seat_map_script
from moviebook.components.theme import POSTER_RATIO
from moviebook.state.seat_picker import SeatPickerState


def _header() -> rx.Component:
    show = SeatPickerState.show
    return rx.hstack(
        rx.image(
            src=show.poster,
            alt="Poster for " + show.movie_title,
            width="72px",
            aspect_ratio=POSTER_RATIO,
            object_fit="cover",
            border_radius="var(--radius-2)",
        ),
        rx.vstack(
            rx.link(
                rx.heading(show.movie_title, size="7", as_="h1"),
                href=show.movie_href,
                color_scheme="gray",
                high_contrast=True,
                underline="hover",
            ),
            rx.text(show.when, size="4", weight="medium"),
            rx.flex(
                rx.badge(show.format, size="2"),
                rx.badge(show.auditorium, variant="soft", color_scheme="gray", size="2"),
                rx.badge(show.age_rating, variant="outline", color_scheme="gray", size="2"),
                rx.text(show.runtime + " · " + show.language, size="2", color_scheme="gray"),
                spacing="2",
                wrap="wrap",
                align="center",
            ),
            spacing="1",
            align="start",
        ),
        spacing="4",
        align="center",
    )


def _payment_form() -> rx.Component:
    errors = SeatPickerState.card_errors
    return rx.form(
        rx.vstack(
            form_field(
                "Name on card", "card_name", error=errors.get("card_name", ""), autocomplete="cc-name", max_length=100
            ),
            form_field(
                "Card number",
                "card_number",
                error=errors.get("card_number", ""),
                autocomplete="cc-number",
                input_mode="numeric",
                max_length=23,
            ),
            rx.grid(
                form_field(
                    "Expiry (MM/YY)", "expiry", error=errors.get("expiry", ""), autocomplete="cc-exp", max_length=7
                ),
                form_field(
                    "CVC", "cvc", error=errors.get("cvc", ""), autocomplete="cc-csc", input_mode="numeric", max_length=4
                ),
                columns="2",
                spacing="3",
                width="100%",
            ),
            rx.text(
                "Payments here are simulated: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined.",
                size="1",
                color_scheme="gray",
            ),
            rx.button(
                "Pay " + SeatPickerState.total, type="submit", size="3", width="100%", loading=SeatPickerState.paying
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=SeatPickerState.pay,
        reset_on_submit=False,
        width="100%",
    )


def _order_panel() -> rx.Component:
    return order_panel(
        "Your seats",
        SeatPickerState.holding,
        "Choose seats on the map. They are held for you while you pay.",
        rx.hstack(
            rx.icon("timer", size=16),
            rx.text("Held for you for ", size="2"),
            rx.el.span(
                data_seconds=SeatPickerState.hold_seconds,
                data_stamp=SeatPickerState.hold_stamp,
                role="timer",
                aria_label="Time left",
                style={"font_weight": "700", "font_variant_numeric": "tabular-nums"},
            ),
            align="center",
            spacing="1",
        ),
        order_summary(SeatPickerState),
        _payment_form(),
        rx.button("Release my seats", variant="ghost", color_scheme="gray", on_click=SeatPickerState.release_all),
    )


def _picker() -> rx.Component:
    return rx.vstack(
        _header(),
        rx.cond(
            SeatPickerState.notice != "",
            rx.callout(SeatPickerState.notice, icon="clock", color_scheme="orange", role="alert", width="100%"),
        ),
        seat_legend(SeatPickerState.prices),
        rx.grid(
            rx.vstack(
                seat_map(SeatPickerState.rows),
                rx.text(
                    SeatPickerState.seats_free.to_string() + " seats free. Arrow keys move between seats; "
                    "Enter or Space chooses.",
                    size="1",
                    color_scheme="gray",
                ),
                width="100%",
                spacing="2",
            ),
            _order_panel(),
            columns={"initial": "1", "lg": "3fr 1.3fr"},
            spacing="5",
            width="100%",
            align_items="start",
        ),
        seat_map_script(),
        spacing="5",
        width="100%",
    )


def showtime_page() -> rx.Component:
    return page_layout(
        rx.cond(
            SeatPickerState.loading,
            page_spinner(),
            rx.cond(
                (SeatPickerState.problem != "") | (SeatPickerState.closed_notice != ""),
                empty_state(
                    "ticket-x",
                    "This showtime cannot be booked",
                    rx.cond(SeatPickerState.problem != "", SeatPickerState.problem, SeatPickerState.closed_notice),
                    rx.button(rx.link("See what's on", href="/"), as_child=True),
                ),
                _picker(),
            ),
        ),
    )
