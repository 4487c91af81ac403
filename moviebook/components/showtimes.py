"""Showtime buttons: the time, big, with its format; each one leads to the seat picker."""

import reflex as rx

from moviebook.state.views import SlotView


def showtime_button(slot: SlotView) -> rx.Component:
    return rx.link(
        rx.button(
            rx.text(slot.time, weight="bold"),
            # A space, so the visible text reads "18:00 2D" as the name does ("18:00, 2D, …").
            " ",
            rx.badge(slot.format, variant="soft", size="1"),
            variant="surface",
            size="2",
            aria_label=slot.label,
            title=f"{slot.auditorium} · from {slot.price}",
        ),
        href=slot.href,
        underline="none",
    )


def showtime_buttons(slots) -> rx.Component:
    return rx.flex(rx.foreach(slots, showtime_button), wrap="wrap", spacing="2")
