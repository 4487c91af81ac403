"""The staff pages' links to each other: the box office, its cash-up and the door."""

import reflex as rx

SECTIONS = (
    ("Box office", "/staff/sell"),
    ("Cash-up", "/staff/cashup"),
    ("Door check-in", "/staff/checkin"),
)


def staff_nav() -> rx.Component:
    return rx.el.nav(
        rx.flex(
            *[
                rx.link(label, href=href, size="2", weight="medium", color_scheme="gray", high_contrast=True)
                for label, href in SECTIONS
            ],
            spacing="4",
            wrap="wrap",
        ),
        aria_label="Staff sections",
    )
