"""``/``: what is showing on a chosen day."""

import reflex as rx

from moviebook.components.date_strip import date_strip
from moviebook.components.feedback import card_skeletons, empty_state
from moviebook.components.filters import filters_bar
from moviebook.components.layout import page_layout
from moviebook.components.movie_card import movie_card
from moviebook.state.browse import BrowseState


def _next_day_button() -> rx.Component:
    """Go to the day with showtimes that the empty state names ("Show Saturday 5 Dec")."""
    return rx.cond(
        BrowseState.next_day != "",
        rx.button(
            "Show " + BrowseState.next_day_label,
            rx.icon("arrow-right", size=16),
            on_click=BrowseState.select_day(BrowseState.next_day),
            size="3",
        ),
    )


def _empty_day() -> rx.Component:
    """The chosen day has nothing (matching) left: say so, and offer the day that has."""
    actions = rx.flex(
        _next_day_button(),
        rx.cond(
            BrowseState.has_filters,
            rx.button("Clear filters", variant="soft", size="3", on_click=BrowseState.clear_filters),
        ),
        spacing="3",
        wrap="wrap",
        justify="center",
    )
    return rx.cond(
        BrowseState.has_filters,
        empty_state("search-x", BrowseState.empty_heading, BrowseState.empty_text, actions),
        empty_state("calendar-x", BrowseState.empty_heading, BrowseState.empty_text, actions),
    )


def _results() -> rx.Component:
    return rx.cond(
        BrowseState.loading & (BrowseState.listings.length() == 0),
        card_skeletons(),
        rx.cond(
            BrowseState.listings.length() > 0,
            rx.grid(
                rx.foreach(BrowseState.listings, movie_card),
                columns={"initial": "1", "md": "2"},
                spacing="4",
                width="100%",
                opacity=rx.cond(BrowseState.loading, "0.6", "1"),
            ),
            _empty_day(),
        ),
    )


def browse_page() -> rx.Component:
    return page_layout(
        rx.vstack(
            rx.heading("What's on", size="8", as_="h1"),
            rx.text(
                "Pick a day, then a showtime to choose your seats.",
                color_scheme="gray",
            ),
            spacing="1",
        ),
        date_strip(),
        filters_bar(),
        rx.heading(BrowseState.selected_day_label, size="4", as_="h2", color_scheme="gray"),
        _results(),
    )
