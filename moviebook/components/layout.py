"""The frame every page sits in: a skip link, the navbar on top, the content in a centred
<main>, a footer below."""

import reflex as rx

from moviebook.components.navbar import navbar

MAIN_ID = "main-content"  # where the skip link leads; tests/e2e/test_accessibility.py scopes axe by it


def skip_link() -> rx.Component:
    """The first thing a keyboard reaches on every page: hidden until focused (assets/accessibility.css).

    Plain HTML, because Reflex turns ``rx.el.a`` into a router link that navigates to the page
    again instead of moving focus; the click moves focus to <main> without touching the URL."""
    focus_main = f"event.preventDefault();document.getElementById('{MAIN_ID}').focus();"
    return rx.html(f'<a class="skip-link" href="#{MAIN_ID}" onclick="{focus_main}">Skip to content</a>')


def page_layout(*children: rx.Component, title: str | None = None) -> rx.Component:
    heading = [rx.heading(title, size="7", as_="h1")] if title else []
    return rx.box(
        skip_link(),
        navbar(),
        rx.el.main(
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
            id=MAIN_ID,
            # Focusable by the skip link only, so the next Tab continues inside the content.
            tab_index=-1,
            style={"outline": "none"},
        ),
        rx.el.footer(
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
