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


def _waiting_list() -> rx.Component:
    """ "Tell me if seats free up" on a full showtime, or leave the list again."""
    return rx.card(
        rx.cond(
            SeatPickerState.waiting_seats > 0,
            rx.vstack(
                rx.heading("You are on the waiting list", size="3", as_="h2"),
                rx.text(
                    "We will email you when " + SeatPickerState.waiting_seats.to_string() + " seats or more come free,"
                    " until the show starts.",
                    size="2",
                ),
                rx.button(
                    "Leave the waiting list",
                    variant="soft",
                    color_scheme="gray",
                    on_click=SeatPickerState.leave_waiting_list,
                ),
                spacing="2",
                align="start",
            ),
            rx.form(
                rx.vstack(
                    rx.heading(
                        rx.cond(SeatPickerState.seats_free == 0, "Sold out", "Not enough seats free?"),
                        size="3",
                        as_="h2",
                    ),
                    rx.text(
                        "Join the waiting list and we will email you when seats come free.",
                        size="2",
                    ),
                    rx.hstack(
                        rx.el.label(
                            "Seats wanted", html_for="waiting-seats", style={"font_size": "var(--font-size-2)"}
                        ),
                        rx.select(
                            SeatPickerState.waiting_choices,
                            name="seats",
                            default_value="2",
                            id="waiting-seats",
                        ),
                        rx.button("Tell me if seats free up", type="submit"),
                        spacing="2",
                        align="center",
                        wrap="wrap",
                    ),
                    spacing="2",
                    align="start",
                ),
                on_submit=SeatPickerState.join_waiting_list,
                reset_on_submit=False,
            ),
        ),
        width="100%",
    )


def _best_available() -> rx.Component:
    """Ask for N seats and hold the best ones with one press: no need to find them on the map."""
    return rx.form(
        rx.flex(
            rx.el.label("Best available", html_for="best-count", style={"font_weight": "600"}),
            rx.select(
                SeatPickerState.waiting_choices,
                name="best_count",
                default_value="2",
                id="best-count",
            ),
            rx.text("seats", size="2"),
            rx.button(rx.icon("sparkles", size=16), "Hold the best seats", type="submit", variant="soft"),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        on_submit=SeatPickerState.hold_best,
        reset_on_submit=False,
        aria_label="Best available seats",
        width="100%",
    )


def _picker() -> rx.Component:
    return rx.vstack(
        _header(),
        rx.cond(
            SeatPickerState.notice != "",
            rx.callout(SeatPickerState.notice, icon="clock", color_scheme="orange", role="alert", width="100%"),
        ),
        rx.cond(SeatPickerState.seats_free > 0, _best_available()),
        seat_legend(SeatPickerState.prices),
        rx.grid(
            rx.vstack(
                seat_map(SeatPickerState),
                rx.text(
                    SeatPickerState.seats_free.to_string() + " seats free. Arrow keys move between seats; "
                    "Enter or Space chooses.",
                    size="1",
                    color_scheme="gray",
                ),
                rx.cond(SeatPickerState.offer_waiting_list, _waiting_list()),
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
