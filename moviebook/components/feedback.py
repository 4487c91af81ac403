"""Loading and empty states, so a page is never blank while it waits or when nothing matches."""

import reflex as rx

from moviebook.components.theme import POSTER_RATIO


def card_skeletons(count: int = 4) -> rx.Component:
    """Grey placeholders in the shape of movie cards, shown while listings load."""
    return rx.grid(
        *[
            rx.card(
                rx.hstack(
                    rx.skeleton(rx.box(width="110px", aspect_ratio=POSTER_RATIO)),
                    rx.vstack(
                        rx.skeleton(rx.box(height="24px", width="60%")),
                        rx.skeleton(rx.box(height="16px", width="40%")),
                        rx.skeleton(rx.box(height="32px", width="80%")),
                        width="100%",
                    ),
                    width="100%",
                ),
            )
            for _ in range(count)
        ],
        columns={"initial": "1", "md": "2"},
        spacing="4",
        width="100%",
        aria_busy="true",
        # A named status, not a bare <div> with a label (axe: aria-prohibited-attr).
        role="status",
        aria_label="Loading the programme",
    )


def empty_state(icon: str, heading: str, body: str, *actions: rx.Component) -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon(icon, size=40, color=rx.color("gray", 9)),
            rx.heading(heading, size="5", as_="h2"),
            rx.text(body, color_scheme="gray", align="center"),
            *actions,
            align="center",
            spacing="3",
            max_width="28em",
        ),
        padding_y="9",
        width="100%",
    )


def page_spinner() -> rx.Component:
    """Shown while a page's on_load fetches what it needs."""
    return rx.center(rx.spinner(size="3"), padding_y="9", width="100%", role="status", aria_label="Loading")
