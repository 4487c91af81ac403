"""``/``: what is showing on a chosen day."""

import reflex as rx

from moviebook.components.date_strip import date_strip
from moviebook.components.feedback import card_skeletons, empty_state
from moviebook.components.filters import filters_bar
from moviebook.components.layout import page_layout
from moviebook.components.movie_card import movie_card
from moviebook.state.browse import BrowseState


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
            rx.cond(
                BrowseState.has_filters,
                empty_state(
                    "search-x",
                    "No films match",
                    "Nothing on this day matches your genre or search. Try another day or clear the filters.",
                    rx.button("Clear filters", on_click=BrowseState.clear_filters),
                ),
                empty_state(
                    "calendar-x",
                    "Nothing left to see on this day",
                    "All of this day's shows have started or none are scheduled yet. Pick another day above.",
                ),
            ),
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
