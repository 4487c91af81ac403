"""The frame every page sits in: navbar on top, content in a centred column, footer below."""

import reflex as rx

from moviebook.components.navbar import navbar


def page_layout(*children: rx.Component, title: str | None = None) -> rx.Component:
    heading = [rx.heading(title, size="7", as_="h1")] if title else []
    return rx.box(
        navbar(),
        rx.container(
            rx.vstack(
                *heading,
                *children,
                spacing="5",
                width="100%",
            ),
            size="4",
            padding_x=["3", "4", "6"],
            padding_y="5",
        ),
        rx.box(
            rx.text(
                "Moviebook · an open-source box office",
                size="1",
                color_scheme="gray",
                align="center",
            ),
            padding_y="6",
        ),
        min_height="100vh",
    )
