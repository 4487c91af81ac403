"""The top bar: the brand and the main sections."""

import reflex as rx


def _brand() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon("clapperboard", size=26, color=rx.color("accent", 9)),
            rx.heading("Moviebook", size="6", weight="bold"),
            align="center",
            spacing="2",
        ),
        href="/",
        underline="none",
        color_scheme="gray",
        high_contrast=True,
    )


def navbar() -> rx.Component:
    return rx.box(
        rx.container(
            rx.hstack(
                _brand(),
                rx.spacer(),
                rx.link("What's on", href="/", weight="medium", color_scheme="gray", high_contrast=True),
                align="center",
                width="100%",
            ),
            size="4",
            padding_x=["3", "4", "6"],
            padding_y="3",
        ),
        as_="nav",
        aria_label="Main",
        border_bottom=f"1px solid {rx.color('gray', 5)}",
        background=rx.color("gray", 2),
        position="sticky",
        top="0",
        z_index="10",
    )
