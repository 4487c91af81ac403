"""``/staff/sell``: the box office, made for a tablet on the counter: pick a showtime, tap seats
on the live map, set the tickets, take cash or card."""

import reflex as rx

from moviebook.components.date_strip import date_strip
from moviebook.components.feedback import page_spinner
from moviebook.components.forms import form_field
from moviebook.components.layout import page_layout
from moviebook.components.order_summary import order_panel, order_summary
from moviebook.components.seat_map import seat_legend, seat_map, seat_map_script
from moviebook.components.staff_nav import staff_nav
from moviebook.config import get_settings
from moviebook.services.money import format_cents
from moviebook.state.counter import CounterState
from moviebook.state.views import ListingView, SlotView

S = CounterState
QUICK_CASH = ("10", "20", "50")


def _slot(slot: SlotView) -> rx.Component:
    chosen = S.showtime_key == slot.id
    return rx.button(
        # Spaced, so the visible text reads as the name does ("18:00, 2D, Screen 1"); the time
        # is a <div>, not a bold <p> that reads like a heading.
        rx.text(slot.time, weight="bold", as_="div"),
        " ",
        rx.badge(slot.format, variant="soft", size="1", color_scheme=rx.cond(chosen, "gray", "amber")),
        " ",
        rx.text(slot.auditorium, size="1"),
        on_click=S.open_showtime(slot.id),
        variant=rx.cond(chosen, "solid", "surface"),
        aria_pressed=rx.cond(chosen, "true", "false"),
        aria_label=slot.label,
        size="3",
    )


def _listing(listing: ListingView) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(listing.movie.title, weight="bold", size="3"),
            rx.badge(listing.movie.age_rating, variant="outline", color_scheme="gray"),
            align="center",
            spacing="2",
        ),
        rx.flex(rx.foreach(listing.slots, _slot), wrap="wrap", spacing="2"),
        spacing="1",
        width="100%",
        role="group",
        aria_label="Showtimes of " + listing.movie.title,
    )


def _programme() -> rx.Component:
    """The day's showtimes; once one is open, only a way back to them (the map needs the room)."""
    return rx.cond(
        S.showtime_key != 0,
        rx.button(
            rx.icon("arrow-left", size=16),
            "Choose another showtime",
            variant="soft",
            color_scheme="gray",
            size="3",
            on_click=S.change_showtime,
        ),
        rx.vstack(
            date_strip(S),
            rx.cond(S.programme_loading, rx.spinner(), _listings()),
            spacing="3",
            width="100%",
        ),
    )


def _listings() -> rx.Component:
    return rx.cond(
        S.listings.length() > 0,
        rx.grid(
            rx.foreach(S.listings, _listing),
            columns={"initial": "1", "md": "2", "lg": "3"},
            spacing="4",
            width="100%",
        ),
        rx.text("Nothing left to sell on this day.", color_scheme="gray"),
    )


def _find_sale() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.input(
                name="sale_code",
                placeholder="ABCD-EF23",
                aria_label="Booking code to find",
                max_length=40,
                auto_complete="off",
                font_family="monospace",
                size="2",
            ),
            rx.button("Find a sale", type="submit", size="2", variant="soft"),
            spacing="2",
        ),
        on_submit=S.find_sale,
        reset_on_submit=True,
    )


def _cash() -> rx.Component:
    return rx.vstack(
        rx.el.label("Cash handed over", html_for="field-cash_tendered", style={"font_weight": "500"}),
        rx.input(
            id="field-cash_tendered",
            name="cash_tendered",
            value=S.cash_tendered,
            on_change=S.set_cash,
            input_mode="decimal",
            auto_complete="off",
            max_length=20,
            size="3",
            width="100%",
            font_size="18px",
        ),
        rx.flex(
            rx.button("Exact", type="button", variant="soft", size="3", on_click=S.exact_cash),
            *[
                rx.button(
                    format_cents(int(amount) * 100, get_settings().currency),
                    type="button",
                    variant="soft",
                    size="3",
                    on_click=S.set_cash(amount),
                )
                for amount in QUICK_CASH
            ],
            spacing="2",
            wrap="wrap",
        ),
        rx.cond(
            S.sale_errors.get("cash_tendered", "") != "",
            rx.text(S.sale_errors.get("cash_tendered", ""), color_scheme="red", size="2"),
        ),
        rx.text(
            S.till,
            size="5",
            weight="bold",
            color_scheme=rx.cond(S.cash_covers, "grass", "red"),
            role="status",
            aria_label="Change",
        ),
        rx.button(
            "Take cash " + S.total,
            type="submit",
            size="4",
            width="100%",
            disabled=~S.cash_covers,
            loading=S.selling,
        ),
        spacing="2",
        width="100%",
    )


def _card() -> rx.Component:
    return rx.vstack(
        rx.callout(
            "Take " + S.total + " on the card terminal. When it says approved:",
            icon="credit-card",
            size="1",
            width="100%",
        ),
        rx.button("Card paid", type="submit", size="4", width="100%", loading=S.selling),
        spacing="2",
        width="100%",
    )


def _method(label: str, value: str) -> rx.Component:
    chosen = S.method == value
    return rx.button(
        label,
        type="button",
        size="3",
        flex="1",
        variant=rx.cond(chosen, "solid", "soft"),
        aria_pressed=rx.cond(chosen, "true", "false"),
        on_click=S.choose_method(value),
    )


def _payment() -> rx.Component:
    errors = S.sale_errors
    return rx.form(
        rx.vstack(
            rx.flex(
                *[_method(label, value) for label, value in (("Cash", "cash"), ("Card", "card"))],
                spacing="2",
                width="100%",
                role="group",
                aria_label="Payment",
            ),
            form_field(
                "Customer email (optional)",
                "customer_email",
                error=errors.get("customer_email", ""),
                type="email",
                autocomplete="off",
                max_length=254,
            ),
            rx.cond(S.method == "cash", _cash(), _card()),
            spacing="3",
            width="100%",
        ),
        on_submit=S.sell,
        reset_on_submit=False,
        width="100%",
    )


def _sale_panel() -> rx.Component:
    return order_panel(
        "Sale",
        S.holding,
        "Tap seats on the map to start a sale.",
        order_summary(S),
        _payment(),
        rx.button("Release seats", variant="ghost", color_scheme="gray", on_click=S.release_all),
    )


def _map() -> rx.Component:
    show = S.show
    return rx.cond(
        S.loading,
        page_spinner(),
        rx.cond(
            (S.problem != "") | (S.closed_notice != ""),
            rx.callout(
                rx.cond(S.problem != "", S.problem, S.closed_notice),
                icon="ticket-x",
                color_scheme="red",
                role="alert",
                width="100%",
            ),
            rx.vstack(
                rx.hstack(
                    rx.heading(show.movie_title, size="5", as_="h2"),
                    rx.text(show.when, size="3", weight="medium"),
                    rx.badge(show.auditorium, variant="soft", color_scheme="gray", size="2"),
                    rx.badge(show.age_rating, variant="outline", color_scheme="gray", size="2"),
                    spacing="3",
                    align="center",
                    wrap="wrap",
                ),
                rx.cond(
                    S.notice != "",
                    rx.callout(S.notice, icon="clock", color_scheme="orange", role="alert", width="100%"),
                ),
                seat_legend(S.prices),
                rx.grid(
                    rx.vstack(
                        seat_map(S),
                        rx.text(S.seats_free.to_string() + " seats free.", size="1", color_scheme="gray"),
                        width="100%",
                        spacing="2",
                    ),
                    _sale_panel(),
                    columns={"initial": "1", "lg": "3fr 2fr"},
                    spacing="5",
                    width="100%",
                    align_items="start",
                ),
                spacing="4",
                width="100%",
            ),
        ),
    )


def staff_sell_page() -> rx.Component:
    return page_layout(
        rx.flex(staff_nav(), rx.spacer(), _find_sale(), spacing="3", wrap="wrap", width="100%", align="center"),
        _programme(),
        rx.cond(S.showtime_key != 0, _map()),
        seat_map_script(),
        title="Box office",
    )
