"""Genre filter and title search for the browse page; both apply as you choose or type."""

import reflex as rx

from moviebook.components.forms import search_box
from moviebook.state.browse import BrowseState


def genre_select() -> rx.Component:
    return rx.select.root(
        rx.select.trigger(placeholder="All genres", aria_label="Genre", min_width="11em"),
        rx.select.content(
            rx.select.item("All genres", value="all"),
            rx.foreach(BrowseState.genres, lambda g: rx.select.item(g, value=g)),
        ),
        value=rx.cond(BrowseState.genre == "", "all", BrowseState.genre),
        on_change=BrowseState.choose_genre,
    )


def title_search() -> rx.Component:
    return search_box("Search titles", "Search titles", BrowseState.search, BrowseState.search_titles)


def filters_bar() -> rx.Component:
    return rx.flex(
        genre_select(),
        title_search(),
        rx.cond(
            BrowseState.has_filters,
            rx.button("Clear filters", variant="ghost", on_click=BrowseState.clear_filters),
        ),
        spacing="3",
        wrap="wrap",
        align="center",
        width="100%",
    )
