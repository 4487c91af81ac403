"""``/bookings`` (My bookings) and ``/bookings/[booking_id]`` (a ticket)."""

import reflex as rx

from moviebook.components.booking_status import booking_status_badge
from moviebook.components.confirm import confirm_dialog
from moviebook.components.feedback import empty_state, page_spinner
from moviebook.components.layout import page_layout
from moviebook.components.theme import POSTER_RATIO
from moviebook.state.my_bookings import MyBookingsState, TicketState, TicketView


def _cancel_button(ticket: TicketView) -> rx.Component:
    return confirm_dialog(
        rx.button(
            "Cancel booking", color_scheme="red", variant="soft", size="2", aria_label="Cancel booking " + ticket.code
        ),
        title="Cancel booking " + ticket.code + "?",
        description="Your seats are released and you get " + ticket.cancel_refund + " back.",
        confirm_label="Cancel booking",
        on_confirm=MyBookingsState.cancel(ticket.id),
    )


def _ticket_card(ticket: TicketView) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.image(
                src=ticket.poster,
                alt="Poster for " + ticket.title,
                width="72px",
                aspect_ratio=POSTER_RATIO,
                object_fit="cover",
                border_radius="var(--radius-2)",
                flex_shrink="0",
            ),
            rx.vstack(
                rx.hstack(
                    rx.link(rx.heading(ticket.title, size="4", as_="h3"), href=ticket.href),
                    booking_status_badge(ticket.status, ticket.status_label),
                    align="center",
                    spacing="2",
                    wrap="wrap",
                ),
                rx.text(ticket.when, " · ", ticket.room, size="2"),
                rx.text("Seats ", ticket.seats, " · ", ticket.total, " · code ", rx.code(ticket.code), size="2"),
                rx.cond(
                    ticket.status == "cancelled",
                    rx.text(
                        ticket.reason,
                        rx.cond(ticket.refund != "", " Refund: " + ticket.refund + ".", ""),
                        size="2",
                        color_scheme="red",
                    ),
                ),
                rx.cond(ticket.can_cancel, _cancel_button(ticket)),
                spacing="1",
                align="start",
            ),
            spacing="4",
            align="start",
        ),
        role="article",
        aria_label=ticket.title + " " + ticket.code,
        width="100%",
    )


def _unverified_note() -> rx.Component:
    return rx.cond(
        MyBookingsState.unverified,
        rx.callout(
            rx.text(
                "Your tickets are emailed to you: please confirm your address with the link we sent. ",
                rx.link("Send it again", href="/account"),
                size="2",
            ),
            icon="mail",
            color_scheme="amber",
            size="1",
            width="100%",
        ),
    )


def my_bookings_page() -> rx.Component:
    return page_layout(
        _unverified_note(),
        rx.cond(
            MyBookingsState.loading,
            page_spinner(),
            rx.vstack(
                rx.heading("Upcoming", size="5", as_="h2"),
                rx.cond(
                    MyBookingsState.upcoming.length() > 0,
                    rx.vstack(rx.foreach(MyBookingsState.upcoming, _ticket_card), width="100%", spacing="3"),
                    empty_state(
                        "ticket",
                        "No upcoming bookings",
                        "Pick a film and a showtime to book seats.",
                        rx.button(rx.link("See what's on", href="/"), as_child=True),
                    ),
                ),
                rx.heading("Past and cancelled", size="5", as_="h2"),
                rx.cond(
                    MyBookingsState.past.length() > 0,
                    rx.vstack(rx.foreach(MyBookingsState.past, _ticket_card), width="100%", spacing="3"),
                    rx.text("Nothing yet.", color_scheme="gray"),
                ),
                spacing="4",
                width="100%",
            ),
        ),
        title="My bookings",
    )


def ticket_page() -> rx.Component:
    ticket = TicketState.ticket
    return page_layout(
        rx.cond(
            TicketState.found,
            rx.card(
                rx.flex(
                    rx.vstack(
                        rx.hstack(
                            rx.heading(ticket.title, size="6", as_="h1"),
                            booking_status_badge(ticket.status, ticket.status_label),
                            align="center",
                            spacing="2",
                            wrap="wrap",
                        ),
                        rx.text(ticket.when, size="3", weight="medium"),
                        rx.text(ticket.room, size="2", color_scheme="gray"),
                        rx.text("Seats: ", rx.text.strong(ticket.seats), size="3"),
                        rx.text("Total paid: ", ticket.total, size="2"),
                        rx.text("Booking code", size="2", color_scheme="gray"),
                        rx.heading(ticket.code, size="8", font_family="monospace", aria_label="Booking code"),
                        rx.hstack(
                            rx.button(
                                rx.icon("calendar-plus"),
                                "Add to calendar (.ics)",
                                on_click=TicketState.download_ics,
                                variant="soft",
                            ),
                            rx.button(rx.link("My bookings", href="/bookings"), variant="ghost", as_child=True),
                            spacing="3",
                            wrap="wrap",
                        ),
                        spacing="2",
                        align="start",
                    ),
                    rx.image(
                        src=TicketState.qr,
                        alt="QR code of booking " + ticket.code,
                        width="200px",
                        height="200px",
                        background="white",
                        padding="2",
                        border_radius="var(--radius-3)",
                    ),
                    direction={"initial": "column", "sm": "row"},
                    spacing="6",
                    justify="between",
                    width="100%",
                ),
                size="3",
                width="100%",
            ),
            empty_state(
                "ticket-x",
                "Booking not found",
                "It is not one of your bookings.",
                rx.button(rx.link("My bookings", href="/bookings"), as_child=True),
            ),
        ),
        title="Your tickets",
    )
